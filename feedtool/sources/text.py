"""Wire copy (``.txt``): recover the structure a person sees in a flat story.

A story may come as one line. Paragraph breaks are blank lines, line breaks, or
runs of two or more spaces (as in flattened wire copy). The first paragraph may
open with a dateline (``TEHRAN –``, ``LONDON, May 4 (Reuters) -``); the last may be a
license footer, which becomes metadata. Overlong paragraphs are regrouped at
sentence ends (never inside a quotation) into paragraphs of a few sentences, as
wire copy is written.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

# Breaks inside a line: a tab, or a run of two or more spaces (flattened wire copy).
_LINE_BREAKS = re.compile(r"\t|[ \u00a0\u2007\u202f]{2,}")


# "TEHRAN –", "TBILISI, Georgia (Reuters) —", "WASHINGTON, Jan. 15 (MNA) -", "ST. PETERSBURG –",
# "Taipei, Taiwan —"
_DATELINE = re.compile(
    r"""^(?P<all>
        (?P<place>[A-Z][\w.'’\-]*(?:\s+[A-Z][\w.'’\-]*){0,3})  # TEHRAN, Taipei
        (?:,\s*(?P<area>[A-Z][A-Za-z.'’\-]+(?:\s+[A-Z][A-Za-z.'’\-]+){0,2}
            (?:,\s*[A-Z][A-Za-z.'’\-]+(?:\s+[A-Z][A-Za-z.'’\-]+){0,2})?))?  # , Sydney, Australia
        (?:,?\s*(?P<date>[A-Z][a-z]{2,8}\.?\s+\d{1,2}(?:,\s*\d{4})?))?        # , Jan. 15
        \s*(?:\((?P<agency>[^()]{2,40})\))?                                    # (Reuters)
        \s*[–—-]{1,2}\s+)""",
    re.VERBOSE,
)

# Capitalised words that open sentences, not datelines ("Meanwhile, Russia — …").
_OPENERS = {
    "meanwhile",
    "however",
    "but",
    "and",
    "also",
    "still",
    "yet",
    "now",
    "today",
    "later",
    "earlier",
    "instead",
    "then",
    "here",
    "there",
    "so",
    "in",
    "on",
    "at",
    "after",
    "the",
}

_ABBREVIATIONS = {
    "mr",
    "mrs",
    "ms",
    "dr",
    "st",
    "gen",
    "lt",
    "col",
    "sgt",
    "capt",
    "gov",
    "sen",
    "rep",
    "prof",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "no",
    "vs",
    "inc",
    "ltd",
    "co",
    "corp",
    "jr",
    "sr",
    "u.s",
    "u.k",
    "u.n",
    "e.g",
    "i.e",
    "mt",
    "ft",
    "ave",
    "dept",
    "est",
    "approx",
}
_OPEN_QUOTES = {"“": "”", "«": "»", "„": "“"}
_MAX_SENTENCES = 3
_MAX_PARAGRAPH = 600


@dataclass(frozen=True, slots=True)
class Dateline:
    """A dateline as written (``raw``) and as a reader names the place (``place``)."""

    raw: str
    place: str
    #: The date as written (``Sep. 26``), if the dateline has one.
    date: str | None = None
    #: The agency as written (``MNA``), if the dateline names one.
    agency: str | None = None


def split_paragraphs(text: str) -> list[str]:
    """Paragraphs separated by blank lines, line breaks or runs of spaces.

    Hard-wrapped text (e-mail and mailing-list copy: lines broken near a fixed width,
    paragraphs between blank lines) has its wrapped lines joined first.
    """
    pieces: list[str] = []
    for line in unwrap(text).split("\n"):
        # A quick test first: most lines hold no break, and a regular expression tried
        # at every character of the text was a third of the time reading wire copy took.
        if "  " in line or "\t" in line or "\u00a0" in line or "\u2007" in line or "\u202f" in line:
            pieces.extend(p.strip() for p in _LINE_BREAKS.split(line))
        else:
            pieces.append(line.strip())
    return [p for p in pieces if p]


def unwrap(text: str) -> str:
    """``text`` with hard-wrapped lines joined, when it is hard-wrapped; else as it is.

    Text counts as hard-wrapped when it has blank lines between paragraphs and most
    lines that run on into the next stop within a few characters of one width
    (at most 100). A line well short of that width ends where the writer ended it.
    """
    lines = text.split("\n")
    if len(lines) < 4 or not any(not line.strip() for line in lines):
        return text
    running = [
        len(line.rstrip())
        for line, after in itertools.pairwise(lines)
        if line.strip() and after.strip() and len(line.rstrip()) >= 30
    ]  # short lines (names, contacts, list items) say nothing about a wrap width
    if len(running) < 3:
        return text
    width = sorted(running)[int(len(running) * 0.9) - 1 if len(running) >= 10 else -1]
    if not 40 <= width <= 100:
        return text
    near = sum(width - 12 <= n <= width for n in running)
    if near < 0.6 * len(running):
        return text
    out: list[str] = []
    for line in lines:
        if (
            out
            and out[-1].strip()
            and line.strip()
            and len(out[-1].rstrip()) >= width - 12
            and not out[-1].rstrip().endswith(("-", "—"))
        ):
            out[-1] = out[-1].rstrip() + " " + line.strip()
        else:
            out.append(line)
    return "\n".join(out)


def _titlecase_place(caps: str) -> str:
    words = []
    for word in caps.split():
        parts = re.split(r"([\-'’.])", word)
        words.append("".join(p.capitalize() if p.isalpha() else p for p in parts))
    return " ".join(words)


def find_dateline(paragraph: str) -> tuple[Dateline | None, str]:
    """Split a dateline off the start of ``paragraph``: ``(dateline, rest)``."""
    m = _DATELINE.match(paragraph)
    if not m:
        return None, paragraph
    place = m.group("place")
    letters = [c for c in place if c.isalpha()]
    if len(letters) < 3:
        return None, paragraph
    if not all(c.isupper() for c in letters):
        # Mixed case ("Taipei, Taiwan —") only with more than a capitalised word and a
        # dash, which also opens sentences ("Obama — who …").
        if not (m.group("area") or m.group("date") or m.group("agency")):
            return None, paragraph
        if any(not w[:1].isupper() for w in place.split()):
            return None, paragraph
        if place.split()[0].casefold() in _OPENERS:
            return None, paragraph
    shown = _titlecase_place(place) if place.isupper() else place
    if m.group("area"):
        area = m.group("area")
        shown += ", " + (_titlecase_place(area) if area.isupper() else area)
    raw = m.group("all").strip()
    return Dateline(raw, shown, m.group("date"), m.group("agency")), paragraph[m.end() :]


def _is_boundary(paragraph: str, start: int, end: int) -> bool:
    """True if a sentence that ends at ``end`` may be split there."""
    n = len(paragraph)
    if end + 1 >= n or paragraph[end] != " ":
        return False
    nxt = paragraph[end + 1]
    if not (nxt.isupper() or nxt in "“\"'‘«"):
        return False
    word = re.findall(r"[\w.]+$", paragraph[start:end].rstrip('”’")».!?'))
    if not word:
        return True
    token = word[0]
    if token.lower().rstrip(".") in _ABBREVIATIONS:
        return False
    return not (len(token) == 1 and token.isupper())


def split_sentences(paragraph: str) -> list[str]:
    """Sentences of ``paragraph``; never splits inside a quotation or after an abbreviation."""
    sentences: list[str] = []
    start = 0
    closing: list[str] = []
    straight_open = False
    for i, c in enumerate(paragraph):
        end = None
        if c in _OPEN_QUOTES and not (closing and c == closing[-1]):
            closing.append(_OPEN_QUOTES[c])
        elif closing and c == closing[-1]:
            closing.pop()
            if not closing and not straight_open and i > 0 and paragraph[i - 1] in ".!?":
                end = i + 1
        elif c == '"':
            straight_open = not straight_open
            if not straight_open and not closing and i > 0 and paragraph[i - 1] in ".!?":
                end = i + 1
        elif c in ".!?" and not closing and not straight_open:
            end = i + 1
        if end is not None and end > start and _is_boundary(paragraph, start, end):
            sentences.append(paragraph[start:end].strip())
            start = end + 1
    tail = paragraph[start:].strip()
    if tail:
        sentences.append(tail)
    return sentences


def regroup(paragraph: str) -> list[str]:
    """Break an overlong paragraph into paragraphs of at most a few sentences."""
    if len(paragraph) <= _MAX_PARAGRAPH:
        return [paragraph]
    sentences = split_sentences(paragraph)
    if len(sentences) <= _MAX_SENTENCES:
        return [paragraph]
    groups: list[list[str]] = [[]]
    for sentence in sentences:
        current = groups[-1]
        size = sum(len(s) + 1 for s in current)
        if current and (len(current) >= _MAX_SENTENCES or size + len(sentence) > _MAX_PARAGRAPH):
            groups.append([sentence])
        else:
            current.append(sentence)
    return [" ".join(g) for g in groups if g]


def looks_like_headline(paragraph: str, following: int) -> bool:
    """A short first line without closing punctuation, followed by the story."""
    return (
        following > 0
        and len(paragraph) <= 160
        and not paragraph.endswith((".", ",", ";", ":"))
        and len(paragraph.split()) >= 2
        and find_dateline(paragraph)[0] is None
    )


_LINKING = {
    "in",
    "on",
    "at",
    "after",
    "before",
    "as",
    "amid",
    "with",
    "for",
    "to",
    "and",
    "but",
    "while",
    "when",
    "where",
    "who",
    "which",
    "that",
    "because",
    "despite",
    "during",
    "over",
    "from",
    "by",
    "into",
    "following",
    "since",
    "until",
    "about",
    "against",
    "under",
}


def _inside_quotes(text: str) -> bool:
    """Whether ``text`` ends inside a quotation it opened."""
    depth = 0
    for c in text:
        if c in "“«„":
            depth += 1
        elif c in "”»" and depth:
            depth -= 1
    return depth > 0 or text.count('"') % 2 == 1


def _phrase_cut(sentence: str, limit: int) -> str:
    """The longest start of ``sentence`` within ``limit`` that ends at a phrase boundary:
    a clause break, else before a linking word, never inside quotes or a name."""
    floor = min(30, limit // 2)
    best = -1
    for sep in (", ", "; ", " – ", " — ", " - ", ": "):
        start = 0
        while (cut := sentence.find(sep, start)) != -1 and cut <= limit:
            if cut >= floor and not _inside_quotes(sentence[:cut]):
                best = max(best, cut)
            start = cut + 1
    if best > 0:
        return sentence[:best]
    words = sentence.split(" ")
    length = len(words[0])
    cut_at = -1
    for i in range(1, len(words)):
        if length > limit:
            break
        word, before = words[i], words[i - 1]
        head = " ".join(words[:i])
        if (
            word.casefold().strip("“\"'(") in _LINKING
            and length >= floor
            and not _inside_quotes(head)
            and not (before[:1].isupper() and words[i + 1 : i + 2] and words[i + 1][:1].isupper())
        ):
            cut_at = i
        length += 1 + len(word)
    if cut_at > 0:
        return " ".join(words[:cut_at]).rstrip(",;:–—- ")
    # No boundary: the words that fit, ended where no quotation is left open.
    kept: list[str] = []
    for word in words:
        if len(" ".join([*kept, word])) > limit:
            break
        kept.append(word)
    closed = list(kept)
    while len(kept) > 1 and _inside_quotes(" ".join(kept)):
        kept.pop()
    if len(" ".join(kept)) >= floor:
        return " ".join(kept).rstrip(",;:–—- ")
    # A quotation longer than a title: its start, with the quotation closed.
    text = " ".join(closed).rstrip(",;:–—- ")
    while len(text) >= limit and " " in text:
        text = text.rsplit(" ", 1)[0].rstrip(",;:–—- ")
    if _inside_quotes(text):
        text += "”" if text.count("“") > text.count("”") else '"'
    return text


def derive_title(lead: str, limit: int = 90) -> str:
    """A short, readable title from the lead sentence: the sentence if it is short,
    else its start up to a phrase boundary (never inside quotes, no ellipsis)."""
    sentences = split_sentences(lead)
    sentence = sentences[0] if sentences else lead
    sentence = " ".join(sentence.rstrip(".!? ").split())
    if len(sentence) <= limit:
        return sentence
    return _phrase_cut(sentence, limit)
