"""Markdown with YAML front matter (``.md``), rendered to sanitised HTML.

Raw HTML in Markdown is allowed but cleaned to a safe allow-list (nh3):
no scripts, styles, event handlers, ``javascript:`` or ``data:`` URLs.
"""

from __future__ import annotations

import functools
import html
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

import nh3

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

_FRONT = re.compile(r"\A---[ \t]*\n(?P<yaml>.*?)(?:\n)?^(?:---|\.\.\.)[ \t]*$\n?", re.S | re.M)

ALLOWED_TAGS = {
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "caption",
    "cite",
    "code",
    "dd",
    "del",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "ins",
    "kbd",
    "li",
    "mark",
    "ol",
    "p",
    "pre",
    "q",
    "s",
    "small",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "time",
    "tr",
    "u",
    "ul",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "hreflang"},
    "img": {"src", "alt", "title", "width", "height"},
    "abbr": {"title"},
    "q": {"cite"},
    "blockquote": {"cite"},
    "time": {"datetime"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "ol": {"start"},
}
URL_SCHEMES = {"http", "https", "mailto"}

_TAG = re.compile(r"<[^>]*>")


@functools.lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    # Imported on first use: plain paragraphs (most articles) never need the parser.
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": True, "linkify": False, "typographer": False})


def sanitize_html(html: str) -> str:
    """Clean ``html`` to the allow-list; links get ``rel="noopener noreferrer"``."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


@dataclass(frozen=True, slots=True)
class MarkdownDoc:
    """Front matter text (None if absent), its first line number, and the Markdown body."""

    front_matter: str | None
    front_matter_line: int
    body: str


def split_front_matter(text: str) -> MarkdownDoc:
    """Separate ``---`` YAML front matter from the body."""
    m = _FRONT.match(text)
    if not m:
        return MarkdownDoc(None, 0, text)
    return MarkdownDoc(m.group("yaml"), 1, text[m.end() :])


# Text without any of these renders as plain paragraphs in CommonMark, so the parser can
# be skipped (tests/test_sources.py checks both paths agree).
_MARKUP_CHARS = re.compile(r"[*_\[\]<>#`\\|!&~=:]")
# A list item at the start of a line. (Indented code and hard breaks are found with
# substring tests: a regex alternative ending in ``$`` is tried at every position.)
_MARKUP_LINES = re.compile(r"^[ \t]*(?:[-+]|\d{1,9}[.)])", re.M)

#: Every whitespace character but space and newline (``str.isspace``; a test checks it).
ODD_SPACES = "\t\r\x0b\x0c\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2028\u2029\u202f\u205f\u3000" + "".join(
    chr(c) for c in range(0x2000, 0x200B)
)
_ODD_SPACE = re.compile("[" + re.escape(ODD_SPACES) + "]")


def _has_markup(body: str) -> bool:
    return bool(
        _MARKUP_CHARS.search(body)
        or "  \n" in body
        or body.endswith("  ")
        or "\n    " in body
        or body.startswith("    ")
        or _MARKUP_LINES.search(body)
        or _ODD_SPACE.search(body)
    )


def _plain_paragraphs(body: str) -> tuple[str, list[str]] | None:
    if _has_markup(body):
        return None
    blocks = [b.strip("\n") for b in re.split(r"\n[ \t]*\n", body) if b.strip()]
    if any(line != line.strip() for b in blocks for line in b.split("\n")):
        return None
    texts = [" ".join(b.split()) for b in blocks]
    # Already what the sanitiser would return: the text holds no '&', '<', '>' or odd
    # space to escape, and <p> is allowed (tests/test_sources.py checks both paths agree).
    html_text = "".join(f"<p>{html.escape(b, quote=False)}</p>\n" for b in blocks)
    return html_text, texts


def parse_markdown(body: str) -> tuple[str, list[str]]:
    """Sanitised HTML of ``body`` and the plain text of its blocks, from one parse."""
    plain = _plain_paragraphs(body)
    if plain is not None:
        return plain
    return parse_markdown_full(body)


def parse_markdown_full(body: str) -> tuple[str, list[str]]:
    """:func:`parse_markdown` always through the CommonMark parser."""
    md = _parser()
    tokens = md.parse(body)
    texts: list[str] = []
    for token in tokens:
        if token.type in ("heading_open", "heading_close") and token.tag == "h1":
            token.tag = "h2"
        if token.type == "inline":
            plain = "".join(
                " " if child.type in ("softbreak", "hardbreak") else child.content
                for child in token.children or []
                if child.type in ("text", "code_inline", "softbreak", "hardbreak")
            )
        elif token.type == "html_block":
            plain = html.unescape(_TAG.sub(" ", sanitize_html(token.content)))
        else:
            continue
        plain = " ".join(plain.split())
        if plain:
            texts.append(plain)
    return sanitize_html(md.renderer.render(tokens, md.options, {})), texts
