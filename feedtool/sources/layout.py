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

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import tzinfo

from feedtool.model import License
from feedtool.sources.credits import find_byline, find_print_header, find_source
from feedtool.sources.dates import FoundDate, find_date_line
from feedtool.sources.licenses import find_footer, parse_license
from feedtool.sources.text import find_dateline, looks_like_headline

__all__ = ["Layout", "read_layout"]

_TOP = 6
_BOTTOM = 4
# Lines printed beside footers that are not part of the story.
_FOOTER_NOISE = re.compile(
    r"^(?:read\s+the\s+original\s+article|read\s+more|share\s+this|related(?:\s+stories)?|"
    r"this\s+story\s+(?:has\s+been|was)\s+(?:updated|corrected)\b.*|tags?\s*:.*)\.?$",
    re.IGNORECASE,
)
# Lines of page furniture at the top: category lists, a kicker ("ACL 2020:").
_TOP_NOISE = re.compile(r"^(?:categories|tags|filed\s+under)\s*:.*$|^[^.!?]{1,40}:$", re.IGNORECASE)
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


def _plain(paragraph: str) -> str:
    """A Markdown block as the words a reader sees (enough to recognise furniture)."""
    text = _MARKUP.sub("", paragraph)
    text = re.sub(r"\*\*|__|(?<!\w)[*_](?=\S)|(?<=\S)[*_](?!\w)", "", text)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    return " ".join(text.split())


def _footer(plain: str, agencies: Mapping[str, str]) -> tuple[License | None, str | None] | None:
    """A footer's licence and source, if the paragraph is a footer."""
    found = find_footer(plain)
    source = find_source(plain, agencies)
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
        plain = _plain(body[-1])
        if _FOOTER_NOISE.match(plain):
            body.pop()
            removed_bottom += 1
            continue
        found = _footer(plain, agencies)
        if not found:
            break
        lic, source = found
        if lic is not None and layout.license is None:
            layout.license = lic
        if source and layout.source is None:
            layout.source = source
        body.pop()
        removed_bottom += 1
    if layout.license is not None:
        layout.changes.append("moved the license notice into the attribution")
    elif layout.source is not None:
        layout.changes.append("moved the source credit into the attribution")
    # Top: headline, date lines and bylines, in any order.
    looked = 0
    while body and looked < _TOP and len(body) > 1:
        plain = _plain(body[0])
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
        header = find_print_header(plain, agencies)
        if header is not None:
            layout.source = layout.source or header
            body.pop(0)
            continue
        if _TOP_NOISE.match(plain) and len(body) > 2:
            body.pop(0)
            continue
        byline = find_byline(plain, agencies)
        if byline is not None and layout.author is None:
            layout.author = byline.author
            if byline.outlet and layout.source is None:
                layout.source = byline.outlet
            rest_date = find_date_line(byline.rest.lstrip("|·•-–—, "), zone)
            if rest_date is not None and layout.published is None:
                layout.published = rest_date
            body.pop(0)
            layout.changes.append("read the byline")
            continue
        if (
            headline
            and layout.headline is None
            and looks_like_headline(plain, len(body) - 1)
            and find_dateline(plain)[0] is None
        ):
            layout.headline = plain
            body.pop(0)
            continue
        break
    # A date line or byline a little further down, under a standfirst, a caption or a
    # notice ("Image: …"): the short paragraphs at the top are looked through.
    i = 0
    while i < min(len(body) - 1, _TOP - 2) and len(body[i]) <= 240:
        plain = _plain(body[i])
        date = find_date_line(plain, zone) if layout.published is None else None
        byline = find_byline(plain, agencies) if layout.author is None and not date else None
        if date is not None:
            layout.published = date
            layout.changes.append("read the date line")
        elif byline is not None:
            layout.author = byline.author
            layout.source = layout.source or byline.outlet
            layout.changes.append("read the byline")
        else:
            i += 1
            continue
        del body[i]
    return layout
