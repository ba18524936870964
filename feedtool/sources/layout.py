"""The furniture around a story, as outlets print it: headline, date lines, bylines, footers.

:func:`read_layout` takes a story's paragraphs (plain text, or Markdown blocks) and
separates what a reader sees as metadata from the story itself:

- at the top, in any order: a headline (a short line without closing punctuation),
  date lines (``Monday, March 5, 2007``, ``Published: …``, ``Updated: …``) and bylines
  (``By Jane Doe, Reuters``) — at most :data:`_TOP` paragraphs are looked at, and the
  first one that is none of these starts the story;
- at the bottom, up to :data:`_BOTTOM` paragraphs: licence footers and source credits
  (``This article is from Wikinews and is licensed under…``), and the lines outlets
  print beside them (``Read the original article.``).

Each piece of furniture is shown once, as metadata: it is removed from the body and
so from the summary.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC as _UTC
from datetime import tzinfo
from typing import Any

from feedtool.model import License
from feedtool.sources.credits import NAMES_PATTERN as _NAMES_PATTERN
from feedtool.sources.credits import (
    AgencyTable,
    Byline,
    agency_name,
    find_byline,
    find_name_line,
    find_name_with_affiliation,
    find_origin_line,
    find_print_header,
    find_source,
    split_glued_byline,
)
from feedtool.sources.dates import FoundDate, find_date_line, impossible_date_line
from feedtool.sources.licenses import (
    find_footer,
    fold_case,
    may_state_license,
    parse_license,
)
from feedtool.sources.text import find_dateline, looks_like_headline

__all__ = ["Layout", "first_story_paragraph", "read_layout"]

_TOP = 6
_BOTTOM = 4
# Lines printed beside footers that are not part of the story.
_FOOTER_NOISE = re.compile(
    r"^(?:read\s+the\s+original\s+article|read\s+more|share\s+this|related(?:\s+stories)?|"
    r"this\s+story\s+(?:has\s+been|was)\s+(?:updated|corrected)\b.*|tags?\s*:.*|"
    r"news\s+code\s*:?\s*\d+|-\s*end\s*-|###)\.?$",
    re.IGNORECASE,
)
# Lines of page furniture at the top: category lists, a kicker ("ACL 2020:").
_TOP_NOISE = re.compile(
    r"^(?:categories|tags|filed\s+under)\s*:.*$|^[^.!?]{1,40}:$|"
    r"^(?:\d+\s+(?:seconds?|minutes?|hours?|days?|weeks?|months?|years?)\s*)+ago$",
    re.IGNORECASE,
)
# The credit line under a photo caption.
_CREDIT_LINE = re.compile(
    r"^(?:image|photo|photograph|picture|credit|video|audio(?:\s+recording)?)s?(?:\s+by)?\s*:",
    re.IGNORECASE,
)
_NEWS_CODE = re.compile(r"^news\s+code\s*:?\s*\d+\.?$", re.IGNORECASE)
# A date line with the byline on the same line: "10 April 2017 - 21:44 By Jane Doe".
_DATE_THEN_BYLINE = re.compile(r"^(?P<date>.{6,60}?)\s+(?P<by>(?i:by)\s.+)$")
_MARKUP = re.compile(r"^[#>*_\s]+|[*_\s]+$")


@dataclass
class Layout:
    """What :func:`read_layout` found, and the story's own paragraphs."""

    paragraphs: list[str]
    headline: str | None = None
    published: FoundDate | None = None
    updated: FoundDate | None = None
    author: str | None = None
    #: The outlet credited: by a footer, else after the byline's names.
    source: str | None = None
    license: License | None = None
    #: What was recognised, for ``feedtool tag``'s "changes" list.
    changes: list[str] = field(default_factory=list)
    #: Date lines naming no real date ("February 30, 2026"): (the line, why).
    impossible_dates: list[tuple[str, str]] = field(default_factory=list)


# Words every source credit find_source reads holds one of (a quick test first: most
# paragraphs are the story, and find_source tries several patterns).
_CREDIT_WORDS = re.compile(
    r"licen|creative|republish|originally|first\s+(?:published|appeared|posted)|copyright|"
    r"©|\(c\)|^\s*(?:source|courtesy|via)\b|\b(?:content|contents|text|articles?|material|"
    r"stories|posts)\s+(?:by|from|of|on|at)\b|\b(?:article|story|post|piece|work|report|text)"
    r"\s+(?:is|was|comes)\s+(?:originally\s+)?(?:from|by|published|republished)\b",
    re.IGNORECASE,
)
# Words one of which every footer, credit or line printed beside one holds (looked for
# as plain substrings of the lowercased text: much faster than a regular expression).
_FOOTER_WORDS = (
    "licen",
    "creative",
    "copyright",
    "©",
    "(c)",
    "source",
    "courtesy",
    "via ",
    "publish",
    "domain",
    "cc ",
    "cc-",
    "read the original",
    "read more",
    "share this",
    "related",
    "tags:",
    "tag:",
    "news code",
    "-end-",
    "- end -",
    "###",
    "has been updated",
    "was updated",
    "corrected",
    "filed under",
    "originally",
    "permission",
    "rights",
    "content by",
    "content from",
)


def _alternatives(words: Iterable[str]) -> str:
    """A pattern that finds any of ``words``, written as a tree of their letters
    (``c(?:c[ -]|reative)``): the regular expression engine tries a handful of letters at
    each position, where a search for each word goes through the whole text."""
    tree: dict[str, Any] = {}
    for word in words:
        node = tree
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}  # a word ends here

    def pattern(node: dict[str, Any]) -> str:
        if "" in node:
            return ""  # a word ends here: a longer one need not be looked for
        branches = [re.escape(char) + pattern(rest) for char, rest in sorted(node.items())]
        return branches[0] if len(branches) == 1 else f"(?:{'|'.join(branches)})"

    return pattern(tree)


# Any of _FOOTER_WORDS: one search, not one for each word (6.8 -> 4.5 µs on the last
# paragraph of an article: best of 9, 2,000 articles of the synthetic corpus).
_FOOTER_WORD = re.compile(_alternatives(_FOOTER_WORDS))


def _maybe_footer(paragraph: str) -> bool:
    """Whether ``paragraph`` holds one of :data:`_FOOTER_WORDS` (in any case)."""
    return _FOOTER_WORD.search(paragraph.lower()) is not None


_MARKUP_START = frozenset("#>*_ \t\n")


def _has_credit_words(plain: str) -> bool:
    low = plain.lower()
    if not any(word in low for word in _CREDIT_KEYS):
        return False
    # _CREDIT_WORDS is slow on a story's paragraph (a dozen branches tried at every
    # character): a word one of its branches needs is looked for first.
    folded = fold_case(plain)
    return any(word in folded for word in _CREDIT_NEEDS) and bool(_CREDIT_WORDS.search(plain))


# One of these is in every text _CREDIT_WORDS finds.
_CREDIT_KEYS = (
    "licen",
    "creative",
    "republish",
    "originally",
    "first published",
    "first appeared",
    "first posted",
    "copyright",
    "©",
    "(c)",
    "source",
    "courtesy",
    "via ",
    " by ",
    " from ",
)
# One of these is in every text _CREDIT_WORDS finds (in fold_case's form).
_CREDIT_NEEDS = (
    "licen",
    "creative",
    "republish",
    "originally",
    "first",
    "copyright",
    "©",
    "(c)",
    "source",
    "courtesy",
    "via",
    "content",
    "text",
    "article",
    "material",
    "stor",
    "post",
    "piece",
    "work",
    "report",
)
_EMPHASIS = re.compile(r"\*\*|__|(?<!\w)[*_](?=\S)|(?<=\S)[*_](?!\w)")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
#: Furniture is short: a paragraph longer than this is the story (its plain form is not
#: needed, and making it costs more than the rest of the reading).
_LONG = 600


@functools.lru_cache(maxsize=256)
def _plain(paragraph: str) -> str:
    """A Markdown block as the words a reader sees (enough to recognise furniture)."""
    text = _MARKUP.sub("", paragraph) if paragraph[:1] in _MARKUP_START else paragraph
    if "*" in text or "_" in text:
        text = _EMPHASIS.sub("", text)
    if "](" in text:
        text = _LINK.sub(r"\1", text)
    return " ".join(text.split())


_Footer = tuple[License | None, str | None] | None


def _footer(plain: str, agencies: Mapping[str, str]) -> _Footer:
    """A footer's licence and source, if the paragraph is a footer."""
    if isinstance(agencies, AgencyTable):  # the reader's own table: the answer is cached
        return _cached_footer(plain, agencies)
    return _read_footer(plain, agencies)


@functools.lru_cache(maxsize=1024)
def _cached_footer(plain: str, agencies: AgencyTable) -> _Footer:
    return _read_footer(plain, agencies)


def _read_footer(plain: str, agencies: Mapping[str, str]) -> _Footer:
    found = find_footer(plain)
    source = find_source(plain, agencies) if found or _has_credit_words(plain) else None
    if found:
        return found[0], source or found[1]
    if source and len(plain) <= 300:
        lowered = plain.lower()
        if any(
            w in lowered
            for w in ("licen", "creative commons", "republish", "originally", "copyright", "©")
        ) or lowered.startswith(("source", "courtesy", "via")):
            return parse_license(plain), source
    return None


def _byline(plain: str, agencies: Mapping[str, str]) -> Byline | None:
    """:func:`find_byline` of a paragraph's plain text. With the reader's own table the
    answer is cached: the short paragraphs at the top are looked at twice, first for the
    furniture above the story, then for a byline under a standfirst (31.9 -> 28.6 µs
    a read_layout: best of 9, 2,000 articles of the synthetic corpus)."""
    if isinstance(agencies, AgencyTable):
        return _cached_byline(plain, agencies)
    return find_byline(plain, agencies)


@functools.lru_cache(maxsize=256)
def _cached_byline(plain: str, agencies: AgencyTable) -> Byline | None:
    return find_byline(plain, agencies)


_FIELD_LINE = re.compile(
    r"^(?:(?P<key>dc:creator|creator|author)\s*:\s*(?P<value>[^:]{2,80})|https?://\S+)$",
    re.IGNORECASE,
)
_FIELD_BODY = re.compile(r"^(?:content:encoded|description|summary)\s*:\s*", re.IGNORECASE)
_HEADLINE_CREDIT = re.compile(
    rf"^(?P<title>.{{10,}}?)\s+by\s+(?P<names>{_NAMES_PATTERN})\s*\[(?P<date>[^\]]{{6,30}})\]$"
)
_DATE_AT_END = re.compile(
    r"(?:(?:\bfor|\bon|\bis|:)\s+(?=(?:[A-Z][a-z]+day,?\s+)?[A-Z][a-z]{2,8}\.?\s+\d[^.]*\.?$)"
    r"|\b[Tt]oday\s+is\s+)"
    r"(?P<date>(?:[A-Z][a-z]+day,?\s+)?[A-Z][a-z]{2,8}\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4})"
)
_YEAR = re.compile(r"\d{4}")
_PHONE = re.compile(r"\(?\b\d{3}\)?[-/. ]\d{3}[-. ]\d{4}\b|\S+@\S+\.\w+|\S+@\S+\s+gov\b")


_DIGIT = re.compile(r"\d")


def _has_contact(line: str) -> bool:
    """A telephone number or an e-mail address in ``line`` (a quick test first: the
    pattern's e-mail branches backtrack through every word)."""
    return ("@" in line or _DIGIT.search(line) is not None) and _PHONE.search(line) is not None


_RELEASE_NUMBER = re.compile(
    r"^(?:news\s+|press\s+)?(?:release|media\s+advisory|advisory)\s*(?:no\.?|number)?\s*:?"
    r"\s*[\w-]*\d[\w-]*$",
    re.IGNORECASE,
)


_RELEASE_PREFIX = re.compile(
    r"^(?:news\s+|press\s+)?(?:release|media\s+advisory)\s*:?\s*[\w-]*\d[\w-]*\s+(?=\S{3})",
    re.IGNORECASE,
)


def _contact_block(body: list[str]) -> int:
    """How many paragraphs at the top of ``body`` are a press-contact block or a release
    number ("Jane Doe / Headquarters, Washington / 202-555-0100", "RELEASE: 07-55")."""
    if len(body[0]) > 160:
        return 0
    first = _plain(body[0])
    if _RELEASE_NUMBER.match(first):
        return 1
    if len(first) <= 120 and _has_contact(first) and find_date_line(first, _UTC) is None:
        return 1  # name, office and telephone on one line
    if len(body) > 2 and find_name_line(first):
        for j in range(1, min(4, len(body) - 1)):
            if len(body[j]) > 120:
                return 0
            line = _plain(body[j])
            if len(line) > 80 or (line.endswith((".", "!", "?")) and len(line.split()) > 6):
                return 0
            if _has_contact(line):
                return j + 1
    return 0


def _is_caption(paragraphs: list[str], i: int) -> bool:
    """A photo's credit line ("Image: Jane Doe.") or the caption above one."""
    return _is_credit_line(paragraphs[i]) or (
        i + 1 < len(paragraphs) and _is_credit_line(paragraphs[i + 1])
    )


def _is_credit_line(paragraph: str) -> bool:
    return len(paragraph) <= 200 and bool(_CREDIT_LINE.match(_plain(paragraph)))


def first_story_paragraph(paragraphs: list[str]) -> int:
    """The index of the story's first paragraph: photo captions at the top skipped."""
    for i in range(min(len(paragraphs), 100)):
        if not _is_caption(paragraphs, i):
            return i
    return 0


def _license_sentence(text: str, agencies: Mapping[str, str]) -> tuple[License, str | None] | None:
    """A license and its source from a sentence of ``text`` that states one."""
    low = text.lower()
    if "licen" not in low and "creative commons" not in low:
        return None
    for sentence in re.split(r"(?<=[.!?])\s+", text):
        if len(sentence) <= 300:
            found = find_footer(sentence)
            if found is not None:
                return found[0], find_source(sentence, agencies) or found[1]
    return None


def _title_case(text: str) -> bool:
    """Most longer words capitalised, as headlines are set ("Police Say They Witnessed…")."""
    words = [w for w in re.findall(r"[^\W\d_][\w'’]*", text) if len(w) >= 4]
    return len(words) >= 3 and sum(w[0].isupper() for w in words) >= 0.8 * len(words)


def _headline_by_context(
    plain: str, body: list[str], zone: tzinfo, agencies: Mapping[str, str]
) -> bool:
    """A first line with a full stop is still the headline when set in title case, or when
    furniture follows it: a date line, a byline, a line saying where the story first ran,
    or a name alone above the story ("How Safe Are Nursing Homes? This Tool Will Help.")."""
    if len(body) < 2 or len(plain) > 200 or len(re.findall(r"[.!?](?:\s|$)", plain)) > 3:
        return False
    if _title_case(plain):
        return True
    if len(body[1]) > _LONG:
        return False
    after = _plain(body[1])
    return bool(
        find_date_line(after, zone)
        or find_byline(after, agencies)
        or find_origin_line(after, agencies)
        or _TOP_NOISE.match(after)
        or (len(body) > 2 and find_name_line(after) and len(body[2]) > len(after))
    )


def _headline_under_standfirst(
    body: list[str], zone: tzinfo, agencies: Mapping[str, str]
) -> str | None:
    """The second paragraph of ``body`` when it is a headline set in title case with a
    date line or a byline under it (the first paragraph then being a standfirst)."""
    if len(body) < 4 or len(body[1]) > 160 or len(body[2]) > 200:
        return None
    title = _plain(body[1])
    if title.endswith((".", ",", ";", ":")) or not _title_case(title):
        return None
    after = _plain(body[2])
    if find_date_line(after, zone) is None and find_byline(after, agencies) is None:
        return None
    return title


def read_layout(
    paragraphs: list[str],
    zone: tzinfo,
    agencies: Mapping[str, str],
    *,
    headline: bool = True,
) -> Layout:
    """Split ``paragraphs`` into furniture and story (see the module's doc).

    With ``headline`` False (the title is set elsewhere) no headline is looked for.
    """
    body = list(paragraphs)
    layout = Layout(paragraphs=body)
    # Bottom: footers and the lines beside them, from the end up.
    removed_bottom = 0
    while body and removed_bottom < _BOTTOM and len(body) > 1:
        if len(body[-1]) > 400:
            break  # longer than any footer find_footer and find_source read
        if len(body[-1]) > (240 if removed_bottom else 80) and not _maybe_footer(body[-1]):
            break  # a paragraph of the story: no footer's words, too long for a byline
        plain = _plain(body[-1])
        # A reporter's name under the agency's story number (Mehr: "News Code 198767").
        if (
            len(body) > 2
            and len(body[-2]) <= 40
            and _NEWS_CODE.match(_plain(body[-2]))
            and find_name_line(plain)
        ):
            layout.author = layout.author or plain
            body.pop()
            removed_bottom += 1
            continue
        # The reporter's name alone on the story's last line.
        if removed_bottom == 0 and layout.author is None and len(body) > 2:
            name = find_name_line(plain)
            if name is not None and len(body[-2]) > 2 * len(plain):
                layout.author = name
                body.pop()
                removed_bottom += 1
                layout.changes.append("read the byline")
                continue
        # The agency's code alone on the last line ("MNA").
        agency = agency_name(plain, agencies) if len(plain) <= 40 else None
        if agency is not None:
            layout.source = layout.source or agency
            body.pop()
            removed_bottom += 1
            continue
        if _FOOTER_NOISE.match(plain):
            body.pop()
            removed_bottom += 1
            continue
        found = _footer(plain, agencies)
        if not found:
            # The authors and their roles printed above the footer ("Jane Doe, Editor,
            # The Conversation").
            byline = (
                find_byline(plain, agencies, bare=True)
                if removed_bottom and len(plain) <= 240
                else None
            )
            if byline is not None and byline.author and layout.author is None:
                layout.author = byline.author
                body.pop()
                removed_bottom += 1
                layout.changes.append("read the byline")
                continue
            break
        lic, source = found
        if lic is not None and layout.license is None:
            layout.license = lic
        if source and layout.source is None:
            layout.source = source
        body.pop()
        removed_bottom += 1
    if layout.license is None and body:
        # A license notice inside a paragraph of the story (copy flattened to one line):
        # its sentence names the license, which is kept; the text is left as it is.
        for edge in (body[0][:600], body[-1][-600:]):
            found = _license_sentence(edge, agencies)
            if found is not None:
                layout.license, layout.source = found[0], layout.source or found[1]
                break
    if layout.license is not None:
        layout.changes.append("moved the license notice into the attribution")
    elif layout.source is not None:
        layout.changes.append("moved the source credit into the attribution")
    # Top: headline, date lines and bylines, in any order.
    looked = 0
    while body and looked < _TOP and len(body) > 1:
        if len(body[0]) > _LONG // 2:
            break  # the story (a byline run into it is looked for below)
        plain = _plain(body[0])
        numbered = _RELEASE_PREFIX.match(plain)
        if numbered is not None:  # "RELEASE: 12-428 HUBBLE FINDS …": the number goes
            body[0] = plain[numbered.end() :]
            continue
        contact = _contact_block(body)
        if contact:
            # Press contacts and release numbers: furniture, not counted as looked at.
            del body[:contact]
            continue
        looked += 1
        date = find_date_line(plain, zone)
        if date is not None:
            if date.updated:
                layout.updated = layout.updated or date
            elif layout.published is None:
                layout.published = date
            else:
                layout.updated = layout.updated or date
            body.pop(0)
            layout.changes.append("read the date line")
            continue
        reason = impossible_date_line(plain)
        if reason is not None:
            layout.impossible_dates.append((plain, reason))
            body.pop(0)
            continue
        origin = find_origin_line(plain, agencies)
        if origin is not None:
            layout.source = layout.source or origin.outlet
            layout.author = layout.author or origin.author
            date = find_date_line(origin.date, zone) if origin.date else None
            if date is not None and layout.published is None:
                layout.published = date
            body.pop(0)
            layout.changes.append("read the line saying where the story first ran")
            continue
        split = _DATE_THEN_BYLINE.match(plain)
        if split and layout.published is None:
            date = find_date_line(split.group("date").rstrip("|·•-–—, "), zone)
            byline = find_byline(split.group("by"), agencies) if date else None
            if date is not None and byline is not None:
                layout.published = date
                layout.author = layout.author or byline.author or None
                layout.source = layout.source or byline.outlet
                body.pop(0)
                layout.changes.append("read the date line and byline")
                continue
        header = find_print_header(plain, agencies)
        if header is not None:
            layout.source = layout.source or header
            body.pop(0)
            continue
        field_line = _FIELD_LINE.match(plain)
        if field_line is not None:
            # A feed item's fields copied as text: "dc:creator: Jane Doe", a link line.
            names = field_line.group("value")
            if field_line.group("key") and find_byline(f"By {names}", agencies):
                creator = "creator" in field_line.group("key").casefold()
                if layout.author is None or creator:
                    layout.author = names
            body.pop(0)
            continue
        if _TOP_NOISE.match(plain) and len(body) > 2:
            body.pop(0)
            continue
        # Only a license notice is taken here, so a line that states none is not read.
        top_footer = (
            _footer(plain, agencies) if len(plain) > 60 and may_state_license(plain) else None
        )
        if top_footer is not None and top_footer[0] is not None:
            # A license notice printed above the story ("Originally posted by Wikinews.
            # Wikinews content appears under the Creative Commons Attribution 2.5 …").
            layout.license = layout.license or top_footer[0]
            layout.source = layout.source or top_footer[1]
            body.pop(0)
            layout.changes.append("moved the license notice into the attribution")
            continue
        glued = split_glued_byline(plain) if layout.author is None else None
        if glued is not None:
            layout.author, body[0] = glued
            layout.changes.append("read the byline")
            break
        byline = _byline(plain, agencies)
        if byline is not None and layout.author is None:
            layout.author = byline.author or None
            if byline.outlet and layout.source is None:
                layout.source = byline.outlet
            rest_date = find_date_line(byline.rest.lstrip("|·•-–—, "), zone)
            if rest_date is not None and layout.published is None:
                layout.published = rest_date
            body.pop(0)
            layout.changes.append("read the byline")
            continue
        if (
            layout.headline is not None
            and layout.author is None
            and looked == 2
            and len(body) > 1
            and (find_name_line(plain) or find_name_with_affiliation(plain))
            and len(body[1]) > 2 * len(plain)
        ):
            # A name alone (or with an affiliation: "Jane Doe, Cancer Council") right
            # under the headline, above the story: the byline.
            layout.author = find_name_line(plain) or find_name_with_affiliation(plain)
            body.pop(0)
            layout.changes.append("read the byline")
            continue
        credited = _HEADLINE_CREDIT.match(plain) if headline and layout.headline is None else None
        if credited is not None and find_date_line(credited.group("date"), zone) is not None:
            # A feed or newsletter's item line: "Headline by Jane Doe [10/29/2020]".
            layout.headline = credited.group("title")
            layout.author = layout.author or credited.group("names")
            layout.published = layout.published or find_date_line(credited.group("date"), zone)
            body.pop(0)
            layout.changes.append("read the byline and date after the headline")
            continue
        if (
            headline
            and layout.headline is None
            and (
                looks_like_headline(plain, len(body) - 1)
                or _headline_by_context(plain, body, zone, agencies)
            )
            and find_dateline(plain)[0] is None
        ):
            layout.headline = plain
            body.pop(0)
            continue
        under = (
            _headline_under_standfirst(body, zone, agencies) if headline and looked == 1 else None
        )
        if under is not None and layout.headline is None:
            # A standfirst printed above the headline (as web pages set a dek): the headline
            # is the line under it, set in title case, with a date line or byline under
            # that. The standfirst stays, as the story's first paragraph.
            layout.headline = under
            del body[1]
            layout.changes.append("read the headline under the standfirst")
        break
    field_body = _FIELD_BODY.match(body[0]) if body else None
    if field_body is not None:  # "content:encoded: The story…" as the last field
        body[0] = body[0][field_body.end() :]
    if layout.published is None:
        # A date closing the headline or an opening sentence: "Wikinews Shorts: March 14,
        # 2008", "A compilation of brief news reports for Friday, March 14, 2008."
        for text in [layout.headline or "", *(_plain(p) for p in body[:2] if len(p) <= 200)]:
            # The year's four digits looked for first: most opening words have none.
            m = _DATE_AT_END.search(text) if len(text) <= 160 and _YEAR.search(text) else None
            opening = find_date_line(m.group("date"), zone) if m else None
            if opening is not None and opening.year:
                layout.published = opening
                layout.changes.append("read the date in the opening words")
                break
    if body and layout.author is None:
        glued = split_glued_byline(body[0])
        if glued is not None:
            layout.author, body[0] = glued
            layout.changes.append("read the byline")
    if layout.author is None:
        # A byline of its own line further down, under a repeated headline and a
        # standfirst ("| By Jane Doe"): only the explicit forms.
        for i in range(min(len(body) - 1, 8)):
            if len(body[i]) > 120:
                continue
            plain = _plain(body[i])
            if len(plain) <= 100 and re.match(r"^(?:\|\s*)?(?i:by)\s", plain):
                byline = find_byline(plain, agencies)
                if byline is not None and byline.author:
                    layout.author = byline.author
                    layout.source = layout.source or byline.outlet
                    del body[i]
                    layout.changes.append("read the byline")
                    break
    # A date line or byline a little further down, under a standfirst, a caption or a
    # notice ("Image: …"): the short paragraphs at the top are looked through.
    # Photo captions ("…\nImage: Jane Doe.") do not count against the limit.
    i = looked_at = 0
    while i < len(body) - 1 and looked_at < _TOP - 2 and len(body[i]) <= 240 and i < 100:
        plain = _plain(body[i])
        if _is_caption(body, i):
            i += 1
            continue
        looked_at += 1
        date = find_date_line(plain, zone) if layout.published is None else None
        byline = _byline(plain, agencies) if layout.author is None and not date else None
        if date is not None:
            layout.published = date
            layout.changes.append("read the date line")
        elif byline is not None:
            layout.author = byline.author or None
            layout.source = layout.source or byline.outlet
            layout.changes.append("read the byline")
        else:
            i += 1
            continue
        del body[i]
    return layout
