"""Markdown with YAML front matter (``.md``), rendered to sanitised HTML.

Raw HTML in Markdown is allowed but cleaned to a safe allow-list (nh3):
no scripts, styles, event handlers, ``javascript:`` or ``data:`` URLs.
"""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import nh3

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

_FRONT = re.compile(r"\A---[ \t]*\n(?P<yaml>.*?)(?:\n)?^(?:---|\.\.\.)[ \t]*$\n?", re.S | re.M)
# An opening ``---`` line followed (after blank lines or comments) by a ``key:`` line:
# front matter, even when its closing line is missing.
_OPENED = re.compile(r"\A---[ \t]*\n(?:[ \t]*(?:#[^\n]*)?\n)*[ \t]*[\w-]+[ \t]*:(?:[ \t]|$)", re.M)

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
    # Imported on first use: 11 ms (python -X importtime) that plain paragraphs (most
    # articles) never need.
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": True, "linkify": False, "typographer": False})


#: Attributes HTML5 says hold a number, with the numbers it allows; another value
#: (``width="0px"``, ``colspan="0"``) is dropped.
_NUMBER_ATTRIBUTES = {
    ("img", "width"): re.compile(r"\d+"),
    ("img", "height"): re.compile(r"\d+"),
    ("td", "colspan"): re.compile(r"0*[1-9]\d*"),
    ("th", "colspan"): re.compile(r"0*[1-9]\d*"),
    ("td", "rowspan"): re.compile(r"\d+"),
    ("th", "rowspan"): re.compile(r"\d+"),
    ("ol", "start"): re.compile(r"-?\d+"),
}
# An <a> or <img> start tag in nh3's serialisation (attribute values double-quoted).
_A_OR_IMG = re.compile(r'<(a|img)((?:\s+[^\s=/>"]+(?:="[^"]*")?)*)\s*(/?)>')


def _valid_attribute(tag: str, name: str, value: str) -> str | None:
    pattern = _NUMBER_ATTRIBUTES.get((tag, name))
    if pattern is not None and not pattern.fullmatch(value):
        return None
    return value


def _complete_tag(m: re.Match[str]) -> str:
    tag, attributes = m.group(1), m.group(2)
    if tag == "a" and ' href="' not in attributes:
        # HTML5: a placeholder link (no href) has no rel or hreflang.
        attributes = re.sub(r' (?:rel|hreflang)="[^"]*"', "", attributes)
    elif tag == "img" and ' alt="' not in attributes:
        attributes += ' alt=""'  # HTML5 requires one; the source gave no text for it
    return f"<{tag}{attributes}{m.group(3)}>"


#: Allowed elements whose content HTML5 limits to phrasing content (text, links, ...).
_PHRASING = {"abbr", "b", "cite", "code", "em", "i", "kbd", "mark", "q", "s", "small"}
_PHRASING |= {"strong", "sub", "sup", "time", "u"}
#: Allowed elements that are flow content only: never inside :data:`_PHRASING` ones.
_FLOW = {"blockquote", "dl", "figure", "h2", "h3", "h4", "h5", "h6", "hr", "ol", "p", "pre"}
_FLOW |= {"table", "ul"}
_VOID = {"br", "hr", "img"}
_HAS_PHRASING = re.compile(rf"<(?:{'|'.join(sorted(_PHRASING))})[\s>]")
_HAS_FLOW = re.compile(rf"<(?:{'|'.join(sorted(_FLOW))})[\s>]")
# Any start or end tag in nh3's serialisation (attribute values double-quoted, and a
# "<" in text escaped), so this finds every tag and nothing else.
_ANY_TAG = re.compile(r'<(/?)([a-z][a-z0-9]*)(?:\s+[^\s=/>"]+(?:="[^"]*")?)*\s*/?>')


def _unwrap_misnested(html: str) -> str:
    """``html`` without the tags of phrasing elements that hold flow content.

    ``<b>Name<table>…</table></b>`` parses (the parser nests the table in the ``b``)
    but is not valid HTML5; the ``b`` tags go, and what they held stays.
    """
    if not (_HAS_PHRASING.search(html) and _HAS_FLOW.search(html)):
        return html
    stack: list[tuple[str, int]] = []  # open elements: name, index of the start tag
    drop: set[int] = set()  # indexes of the tags to remove
    tags = list(_ANY_TAG.finditer(html))
    for i, tag in enumerate(tags):
        closing, name = tag.group(1), tag.group(2)
        if closing:
            while stack:
                open_name, start = stack.pop()
                if start in drop:
                    drop.add(i)
                if open_name == name:
                    break
            continue
        if name in _FLOW:
            drop.update(start for open_name, start in stack if open_name in _PHRASING)
        if name not in _VOID:
            stack.append((name, i))
    if not drop:
        return html
    parts, at = [], 0
    for i in sorted(drop):
        parts.append(html[at : tags[i].start()])
        at = tags[i].end()
    parts.append(html[at:])
    return "".join(parts)


def sanitize_html(html: str) -> str:
    """Clean ``html`` to the allow-list; links get ``rel="noopener noreferrer"``.

    The result is valid HTML5 as far as attributes and nesting go: a number attribute
    that holds no number is dropped, an image without ``alt`` gets an empty one, an
    ``<a>`` without ``href`` gets no ``rel``, and a phrasing element such as ``<b>``
    that holds a table or a paragraph loses its tags (not its content).
    """
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=_valid_attribute,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
        clean_content_tags={"script", "style", "noscript", "iframe", "template", "textarea"},
    )
    if "<a" in clean or "<img" in clean:
        clean = _A_OR_IMG.sub(_complete_tag, clean)
    return _unwrap_misnested(clean)


@dataclass(frozen=True, slots=True)
class MarkdownDoc:
    """Front matter text (None if absent), its first line number, and the Markdown body."""

    front_matter: str | None
    front_matter_line: int
    body: str
    #: True when the text opens front matter (``---`` and a ``key:`` line) never closed.
    unclosed: bool = False


def split_front_matter(text: str) -> MarkdownDoc:
    """Separate ``---`` YAML front matter from the body.

    A first line ``---`` followed by ``key:`` lines but no closing ``---`` is marked
    ``unclosed`` (and the whole text kept as the body): an error for the reader to
    report, not text to publish. A ``---`` followed by prose is a thematic break.
    """
    m = _FRONT.match(text)
    if not m:
        return MarkdownDoc(None, 0, text, unclosed=_OPENED.match(text) is not None)
    return MarkdownDoc(m.group("yaml"), 1, text[m.end() :])


#: Every whitespace character but space and newline (``str.isspace``; a test checks it).
ODD_SPACES = "\t\r\x0b\x0c\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2028\u2029\u202f\u205f\u3000" + "".join(
    chr(c) for c in range(0x2000, 0x200B)
)
# Text without any of these characters renders as plain paragraphs in CommonMark, so the
# parser can be skipped (tests/test_sources.py checks both paths agree). Odd spaces are
# among them, so only spaces and newlines separate words on the fast path.
_MARKUP_CHARS = re.compile(r"[*_\[\]<>#`\\|!&~=:" + re.escape(ODD_SPACES) + "]")
# A list item at the start of a line. (Searched from a newline: that literal lets the
# regex engine skip ahead, where ``^`` with re.M is tried at every position.)
_LIST_START = re.compile(r"[ \t]*(?:[-+]|\d{1,9}[.)])")
_LIST_LINE = re.compile(r"\n[ \t]*(?:[-+]|\d{1,9}[.)])")
_BLANK_LINE = re.compile(r"\n[ \t]*\n")


# The ASCII characters of _MARKUP_CHARS are found in the UTF-8 bytes of a text with one
# ``bytes.translate`` (deleting every other byte), several times faster than the regex,
# which then looks only at the text's non-ASCII characters (a few dozen at most).
_NOT_ASCII_MARKUP = bytes(b for b in range(256) if b >= 0x80 or _MARKUP_CHARS.match(chr(b)) is None)
_ASCII = bytes(range(0x80))


def beyond_ascii(data: bytes) -> str:
    """The non-ASCII characters of UTF-8 ``data``, in order (ASCII bytes deleted at once)."""
    return data.translate(None, _ASCII).decode("utf-8", "surrogatepass")


# "\n " or " \n", or a list item after a newline (_LIST_LINE): one search that skips from
# newline to newline, where ``"\n " in body`` compares at nearly every space (several
# times slower); one search rather than two takes _needs_parser from 9.3 to 7.2 µs an
# article (best of 9, 2,000 articles of the synthetic corpus).
_AT_LINE_EDGE = re.compile(r"\n(?:(?<= \n)| |[ \t]*(?:[-+]|\d{1,9}[.)]))")
_DOUBLE_SPACE = re.compile("  ")


def _needs_parser(body: str) -> bool:
    """Whether ``body`` may hold more than plain paragraphs of words.

    A space at the start or end of a line (indented code, a hard break, a list) sends
    it to the parser too, as does any markup character.
    """
    if body[:1] == " " or body[-1:] == " " or _AT_LINE_EDGE.search(body):
        return True
    data = body.encode("utf-8", "surrogatepass")
    if data.translate(None, _NOT_ASCII_MARKUP):
        return True
    if not body.isascii() and _MARKUP_CHARS.search(beyond_ascii(data)):
        return True
    return _LIST_START.match(body) is not None


def _plain_paragraphs(body: str, parts: Sequence[str] | None) -> tuple[str, list[str]] | None:
    if _needs_parser(body):
        return None
    if parts is not None and all(p and "\n" not in p for p in parts):
        # Blocks of one line each (as Markdown paragraphs mostly are): with no space or tab
        # by a newline, the blank lines between them are the only ones, so ``body`` splits
        # into these very blocks (5.3 -> 0.7 µs an article: best of 9, 2,000 articles of
        # the synthetic corpus).
        blocks = list(parts)
    else:
        blocks = [b.strip("\n") for b in _BLANK_LINE.split(body) if b.strip()]
    # Lines hold no space at either end and no odd space, so a block's words are
    # separated by single spaces and newlines unless it holds a double space (looked for
    # in the whole body first: 5.3 -> 3.5 µs an article, measured as above).
    if _DOUBLE_SPACE.search(body):
        texts = [" ".join(b.split()) if "  " in b else b.replace("\n", " ") for b in blocks]
    else:
        texts = [b.replace("\n", " ") for b in blocks]
    # Already what the sanitiser would return: the text holds no '&', '<', '>' or odd
    # space to escape, and <p> is allowed (tests/test_sources.py checks both paths agree).
    # One join of the blocks (3.7 -> 2.7 µs an article, as above).
    html_text = "<p>" + "</p>\n<p>".join(blocks) + "</p>\n" if blocks else ""
    return html_text, texts


def parse_markdown(body: str, blocks: Sequence[str] | None = None) -> tuple[str, list[str]]:
    """Sanitised HTML of ``body`` and the plain text of its blocks, from one parse.

    ``blocks``: when ``body`` was joined from them with blank lines, those parts (it
    need not be split again).
    """
    plain = _plain_paragraphs(body, blocks)
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
        if token.type == "inline" and any(c.type == "html_inline" for c in token.children or []):
            inline = md.renderInline(token.content)
            plain = html.unescape(_TAG.sub(" ", sanitize_html(inline)))  # no <script> text
        elif token.type == "inline":
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
