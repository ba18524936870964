"""``feedtool import``: articles from RSS 2.0 and Atom feeds and OPML lists of feeds.

Each new feed item becomes one Markdown file with YAML front matter in the content
folder, named ``YYYY-MM-DD-<slug>.md``. An item is new when neither its entry id nor
its link is recorded, either in the ``id:``/``source_url:`` of a file already in the
folder or in the state file (``.feedtool-import.json``), so re-importing a feed adds
only new items and never touches an existing file, even one the editor changed or
deleted. Items without an open license that :func:`parse_license` recognises are
skipped unless ``allow_unlicensed``.

Every entry the feed parser finds is accounted for: written, already imported, or
skipped with a reason (:data:`SKIP_REASONS`) that names the entry and, when its id, link
or title can be found in the feed's text, its line.

Entry ids: the entry's own id when it is a URI (a ``urn:uuid:`` one only with a valid
UUID); else its http(s) link; else, for an id that is not a URI (an RSS
``guid isPermaLink="false"`` such as ``item-17``, or ``urn:uuid:`` and no UUID), the
name-based UUID (RFC 4122 version 5, URL namespace) of the feed's link (or title) and
that id, one line each; else (an item with only a description) the name-based UUID of
the feed's link (or title), the date (ISO 8601 in UTC, or empty), the title (or empty)
and the item's plain text, one line each. The same item therefore keeps its id on every
import. An item without a title gets one derived from the first sentence of its text.

Text from the feed is stripped of the characters :mod:`feedtool.chars` forbids (C0
and C1 controls but tab and newline, DEL, noncharacters), whether they came raw or as
character references such as ``&#x1A;``, and counted in a warning. The text of
``<script>``, ``<style>`` and other elements whose content is never shown is dropped
with the element, from the body and from every plain-text field.

A feed with a republished entry (an Atom or RSS ``<source>``, or a rights line such as
``© 2024 Other Outlet. CC BY 4.0`` naming another outlet) credits that outlet as the
article's ``source``, not the feed that republished it. Dates keep the offset the feed
wrote; ``1970-01-01T00:00:00Z`` is taken for what it is in practice, a missing date.
Categories in feedtool's own schemes (IPTC Media Topics, ISO 3166, a site's
``/regions/``) become ``topics`` and ``regions``, and a last paragraph that only credits
the source and states the license ("Source: X. License: …") is kept as metadata, not
as body text: a feedtool site's own feed imports with every credit it carries.

The network is used only for ``http(s)`` sources: with a timeout, a size cap, a
User-Agent naming feedtool, its version and the site, and conditional GET
(``ETag``/``Last-Modified`` remembered in the state file). Redirects are followed (to
http(s) only) and reported; when every hop is permanent (301, 308) the state file
remembers the new URL and the next import asks it directly. The response's headers go to
the feed parser with the body, so an encoding declared only in ``Content-Type`` is
honoured; a feed whose bytes match no declared encoding has its encoding detected
(charset-normalizer), and the import says which, or that it could not.

The state file is meant to be committed with the articles: its keys are sorted and every
item key is on a line of its own, so it diffs and merges well; it is written to a
temporary file and renamed, and an import holds a lock (``.feedtool-import.lock``) so two
runs in one project never interleave. Without it (a fresh clone of a project that
ignored it) the articles' own ``id:`` and ``source_url:`` still keep every imported item
from being written again; only items an editor deleted would come back.
"""

from __future__ import annotations

import contextlib
import email.utils
import html
import json
import logging
import os
import re
import urllib.error
import urllib.request
import uuid
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import SplitResult, urljoin, urlsplit

import charset_normalizer
import feedparser
import nh3
import yaml

import feedtool
from feedtool.chars import FORBIDDEN, REMOVED, strip
from feedtool.config import FollowConfig
from feedtool.errors import Problem, SourceError, display_path, problem
from feedtool.locks import exclusive
from feedtool.model import License
from feedtool.sources.licenses import find_footer, parse_license
from feedtool.sources.markdown import (
    ALLOWED_ATTRIBUTES,
    ALLOWED_TAGS,
    URL_SCHEMES,
    sanitize_html,
    split_front_matter,
)
from feedtool.sources.text import derive_title
from feedtool.tagging.slug import slugify

__all__ = [
    "SKIP_REASONS",
    "STATE_NAME",
    "USER_AGENT",
    "FeedResult",
    "ImportReport",
    "body_html_blocks",
    "import_sources",
    "plain_text",
    "strip_controls",
    "user_agent",
]

log = logging.getLogger("feedtool.import")

STATE_NAME = ".feedtool-import.json"
LOCK_NAME = ".feedtool-import.lock"
HOME = "https://github.com/feedtool/feedtool"
USER_AGENT = f"feedtool/{feedtool.__version__} (+{HOME})"
ACCEPT = (
    "application/atom+xml, application/rss+xml, text/x-opml;q=0.9, application/xml;q=0.8, "
    "text/xml;q=0.8, */*;q=0.1"
)
MAX_BYTES = 20 * 1024 * 1024
DEFAULT_TIMEOUT = 20.0
_MAX_DEPTH = 2  # an OPML list may name feeds, not further lists of lists
_SLUG_LENGTH = 60
_TITLE_LENGTH = 90

#: Why an entry was not written, in the order the summary line lists them.
SKIP_REASONS = (
    "no license",
    "license not open",
    "unsafe",
    "duplicate id",
    "no usable text",
)

_BLOCK_TAGS = {
    "p",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "ul",
    "ol",
    "dl",
    "blockquote",
    "pre",
    "table",
    "figure",
    "hr",
}
_VOID_TAGS = {"br", "hr", "img", "wbr"}
# Elements whose content is never shown as text: dropped with everything inside them.
_HIDDEN_TAGS = {
    "script",
    "style",
    "noscript",
    "template",
    "iframe",
    "object",
    "embed",
    "applet",
    "noembed",
    "noframes",
    "xmp",
    "textarea",
    "select",
    "svg",
    "math",
    "title",
    "head",
}
# Elements that separate words when the markup is turned into plain text.
_TEXT_BREAKS = _BLOCK_TAGS | {"br", "li", "dd", "dt", "td", "th", "tr", "div", "h1", "section"}
# A tag in nh3's serialisation: attribute values are always double-quoted, and a
# ``<`` in text is always escaped, so this finds every tag and nothing else.
_TAG_TOKEN = re.compile(r'<(/?)([a-zA-Z][a-zA-Z0-9]*)(?:\s+[^\s=/>"]+(?:\s*=\s*"[^"]*")?)*\s*(/?)>')
_BLANK_LINES = re.compile(r"\n[ \t]*\n\s*")
_TAG = re.compile(r"<[^>]*>")
_UUID = re.compile(r"[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}")
_UNSAFE_SCHEMES = ("javascript", "vbscript", "data", "livescript", "mocha")
# "© 2024 Other Outlet. All rights reserved." / "Copyright (c) Other Outlet, CC BY 4.0"
_COPYRIGHT = re.compile(
    r"(?:©|\(c\)|&copy;|\bcopyright\b)\s*(?:\(c\)|©)?\s*"
    r"(?:\d{4}(?:\s*[-–]\s*\d{2,4})?\s*,?\s*)?"
    r"(?P<name>[^\W\d][^.;:|\n]{1,79}?)\s*(?:[.;:|,]|\s[-–—]\s|$)",
    re.IGNORECASE,
)
_NOT_A_NAME = re.compile(
    r"^(?:all\s+rights|some\s+rights|the\s+authors?\b|creative\s+commons|cc[\s-]|licen[sc]ed?)",
    re.IGNORECASE,
)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
# A credit line a publisher appends to the body ("Source: X. License: CC BY 4.0 …"), as
# feedtool's own feeds do: the importer keeps the credit and license as metadata.
_CREDIT_LINE = re.compile(r"^(?:Source|Credit|License|Licence)s?\s*:", re.IGNORECASE)
_IPTC_SCHEME = "cv.iptc.org/newscodes/mediatopic"
_ISO_SCHEME = "iso:code:3166"
# feedparser reports these when the bytes match no declared encoding and it fell back
# to a guess of its own (it would ask chardet first, which feedtool does not install).
_FALLBACK_ENCODINGS = {"windows-1252", "iso-8859-2"}


def user_agent(site: str = "") -> str:
    """``feedtool/VERSION (+SITE; HOME)``: who is asking, and where to find what it makes."""
    if not site:
        return USER_AGENT
    return f"feedtool/{feedtool.__version__} (+{site}; {HOME})"


def strip_controls(text: str) -> tuple[str, int]:
    """``text`` without the characters :data:`~feedtool.chars.FORBIDDEN` finds, and how many."""
    return strip(text)


def _drop_hidden(raw_html: str) -> str:
    """``raw_html`` sanitised, with the elements of :data:`_HIDDEN_TAGS` and their text gone."""
    return nh3.clean(
        raw_html,
        tags=ALLOWED_TAGS - _HIDDEN_TAGS,
        clean_content_tags=_HIDDEN_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


def plain_text(raw_html: str) -> str:
    """The text a reader sees in ``raw_html``: tags gone, hidden elements' text gone,
    entities decoded, whitespace collapsed."""
    if "<" not in raw_html and "&" not in raw_html:
        return " ".join(raw_html.split())
    clean = nh3.clean(
        raw_html,
        tags=_TEXT_BREAKS - _HIDDEN_TAGS,
        clean_content_tags=_HIDDEN_TAGS,
        attributes={},
        strip_comments=True,
        link_rel=None,
    )
    return " ".join(html.unescape(_TAG.sub(" ", clean)).split())


@dataclass
class FeedResult:
    """What importing one feed did: every entry is written, known or skipped."""

    source: str
    title: str = ""
    entries: int = 0
    written: list[Path] = field(default_factory=list)
    known: int = 0
    skipped_by: Counter[str] = field(default_factory=Counter)
    not_modified: bool = False
    notes: list[str] = field(default_factory=list)
    #: Why the source could not be read (then nothing else is set), or ``""``.
    failed: str = ""
    #: The URL a permanent redirect moved the feed to, or ``""``.
    moved_to: str = ""
    #: The URL last asked, when it is not ``source`` (a redirect remembered).
    fetched_from: str = ""

    @property
    def status(self) -> str:
        """``imported``, ``not modified`` or ``failed``."""
        if self.failed:
            return "failed"
        return "not modified" if self.not_modified else "imported"

    def to_json(self) -> dict[str, Any]:
        """The result as plain data, for ``--format json``."""
        return {
            "source": self.source,
            "fetched_from": self.fetched_from or self.source,
            "title": self.title,
            "status": self.status,
            "entries": self.entries,
            "new": [display_path(p) for p in self.written],
            "already": self.known,
            "skipped": {r: self.skipped_by[r] for r in SKIP_REASONS if self.skipped_by[r]},
            "moved_to": self.moved_to or None,
            "error": self.failed or None,
            "notes": list(self.notes),
        }

    @property
    def skipped(self) -> int:
        """How many entries were skipped, for any reason."""
        return sum(self.skipped_by.values())

    def summary(self) -> str:
        """``Agency news (feed.xml): 4 entries: 2 new, 1 already imported, 1 skipped
        (1 license not open)``."""
        name = f"{self.title} ({self.source})" if self.title else self.source
        if self.failed:
            return "; ".join([f"{name}: failed: {self.failed}", *self.notes])
        if self.not_modified:
            return f"{name}: not modified since the last import"
        text = (
            f"{name}: {self.entries} {'entry' if self.entries == 1 else 'entries'}: "
            f"{len(self.written)} new, {self.known} already imported, {self.skipped} skipped"
        )
        if self.skipped:
            why = ", ".join(f"{self.skipped_by[r]} {r}" for r in SKIP_REASONS if self.skipped_by[r])
            text += f" ({why})"
        for note in self.notes:
            text += f"; {note}"
        return text


@dataclass
class ImportReport:
    """Every feed's result; errors (a source that could not be read), skipped items and
    warnings (text cleaned, an encoding guessed, an XML error read past)."""

    feeds: list[FeedResult] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    skipped: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    @property
    def written(self) -> list[Path]:
        """Every file written, in order."""
        return [p for f in self.feeds for p in f.written]

    @property
    def all_failed(self) -> bool:
        """Whether there were sources and none could be read."""
        return bool(self.errors) and all(f.failed for f in self.feeds)

    def to_json(self) -> dict[str, Any]:
        """The report as plain data, for ``--format json``."""
        return {
            "feeds": [f.to_json() for f in self.feeds],
            "new": len(self.written),
            "failed": sum(1 for f in self.feeds if f.failed),
            "errors": [p.format() for p in self.errors],
            "skipped": [p.format() for p in self.skipped],
            "warnings": [p.format() for p in self.warnings],
        }


@dataclass(frozen=True)
class _Fetched:
    data: bytes | None  # None: not modified (HTTP 304)
    base: str  # the URL after redirects, or the file's path
    etag: str | None = None
    last_modified: str | None = None
    headers: Mapping[str, str] = field(default_factory=dict)
    redirects: tuple[tuple[int, str], ...] = ()  # (status, new URL) of each hop


class _SourceFailed(Exception):
    """A source could not be read; the message says why."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None):
        super().__init__(message)
        self.line = line
        self.column = column


class ImportState:
    """The state file: per source its ETag/Last-Modified and the item keys imported."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.sources: dict[str, dict[str, Any]] = {}
        if path.is_file():
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                log.warning("%s: unreadable, starting afresh: %s", display_path(path), exc)
                data = {}
            sources = data.get("sources") if isinstance(data, dict) else None
            if isinstance(sources, dict):
                self.sources = {str(k): v for k, v in sources.items() if isinstance(v, dict)}

    def entry(self, source: str) -> dict[str, Any]:
        """The mutable record of ``source``."""
        return self.sources.setdefault(source, {})

    def seen(self) -> set[str]:
        """Every item key imported from any source."""
        return {
            str(k)
            for s in self.sources.values()
            if isinstance(s.get("seen", []), list)
            for k in s.get("seen", [])
        }

    def save(self) -> None:
        """Write the state atomically, sorted, so it diffs well."""
        out = {
            "version": 1,
            "sources": {
                name: {
                    **{k: v for k, v in sorted(rec.items()) if k != "seen" and v},
                    "seen": sorted(set(rec.get("seen", []))),
                }
                for name, rec in sorted(self.sources.items())
                if rec.get("seen") or rec.get("etag") or rec.get("last_modified") or rec.get("url")
            },
        }
        tmp = self.path.with_name(f"{self.path.name}.tmp-{os.getpid()}")
        text = json.dumps(out, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
        with tmp.open("w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        tmp.replace(self.path)


def import_lock(state_path: Path) -> contextlib.AbstractContextManager[None]:
    """An exclusive lock beside the state file; a second import in the project fails at
    once. The operating system releases it when the process ends, however it ends."""
    return exclusive(
        state_path.with_name(LOCK_NAME),
        lambda: SourceError(
            [
                problem(
                    display_path(state_path),
                    "",
                    "another feedtool import is running in this project",
                    hint="wait for it to finish, then import again",
                )
            ]
        ),
    )


def _split(value: str) -> SplitResult | None:
    """``value`` split into URL parts, or None when it is no valid URL ("http://[::1")."""
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - raises ValueError for a port out of range
    except ValueError:
        return None
    return parts


def _is_url(source: str) -> bool:
    parts = _split(source)
    return (
        parts is not None
        and parts.scheme in ("http", "https")
        and bool(parts.netloc)
        and FORBIDDEN.search(source) is None
        and not re.search(r"\s", source)
    )


class _Redirects(urllib.request.HTTPRedirectHandler):
    """Follows redirects to http(s) URLs only, recording each hop."""

    def __init__(self) -> None:
        self.hops: list[tuple[int, str]] = []

    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: Any,
        code: int,
        msg: str,
        headers: Any,
        newurl: str,
    ) -> urllib.request.Request | None:
        if not _is_url(newurl):
            raise _SourceFailed(f"HTTP {code} redirects to {newurl[:200]!r}, not an http(s) URL")
        new = super().redirect_request(req, fp, code, msg, headers, newurl)
        if new is not None:
            self.hops.append((code, newurl))
        return new


def _fetch_url(
    url: str,
    record: dict[str, Any],
    timeout: float,
    max_bytes: int = MAX_BYTES,
    agent: str = USER_AGENT,
) -> _Fetched:
    headers = {"User-Agent": agent, "Accept": ACCEPT}
    if record.get("etag"):
        headers["If-None-Match"] = str(record["etag"])
    if record.get("last_modified"):
        headers["If-Modified-Since"] = str(record["last_modified"])
    request = urllib.request.Request(url, headers=headers)
    redirects = _Redirects()
    opener = urllib.request.build_opener(redirects)
    too_large = _SourceFailed(f"larger than {max_bytes / (1024 * 1024):g} MB")
    try:
        with opener.open(request, timeout=timeout) as response:
            length = response.headers.get("Content-Length", "")
            if length.isdigit() and int(length) > max_bytes:
                raise too_large
            data = response.read(max_bytes + 1)
            if len(data) > max_bytes:
                raise too_large
            return _Fetched(
                data,
                response.geturl(),
                response.headers.get("ETag"),
                response.headers.get("Last-Modified"),
                {k.lower(): v for k, v in response.headers.items()},
                tuple(redirects.hops),
            )
    except urllib.error.HTTPError as exc:
        if exc.code == 304:
            return _Fetched(
                None,
                exc.geturl() or url,
                record.get("etag"),
                record.get("last_modified"),
                redirects=tuple(redirects.hops),
            )
        raise _SourceFailed(f"HTTP {exc.code} {exc.reason}") from None
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise _SourceFailed(f"cannot fetch: {reason}") from None
    except ValueError as exc:  # http.client.InvalidURL and kin
        raise _SourceFailed(f"not a valid URL: {exc}") from None


def _read_file(source: str) -> _Fetched:
    path = Path(source)
    try:
        return _Fetched(path.read_bytes(), str(path))
    except FileNotFoundError:
        raise _SourceFailed("no such file") from None
    except IsADirectoryError:
        raise _SourceFailed("is a folder, expected a feed or OPML file") from None
    except OSError as exc:
        raise _SourceFailed(f"cannot read: {exc.strerror or exc}") from None
    except ValueError as exc:  # a NUL in the path
        raise _SourceFailed(f"cannot read: {exc}") from None


def _opml_feeds(data: bytes, base: str) -> list[str] | None:
    """The feeds an OPML document lists (relative ones resolved), or None if not OPML."""
    if b"<opml" not in data[:4096]:
        return None
    if b"<!ENTITY" in data[:4096]:
        raise _SourceFailed("OPML with entity declarations is not read")
    try:
        root = ET.fromstring(data)  # expat: no external entities, no network
    except ET.ParseError as exc:
        raise _SourceFailed(f"not valid OPML: {exc}") from None
    if root.tag != "opml":
        return None
    feeds: list[str] = []
    for outline in root.iter("outline"):
        url = (outline.get("xmlUrl") or outline.get("xmlurl") or "").strip()
        if not url:
            continue
        if _is_url(base):
            try:
                url = urljoin(base, url)
            except ValueError:
                continue  # not a URL: nothing to fetch
        elif not url.lower().startswith(("http:", "https:")) and not Path(url).is_absolute():
            url = str(Path(base).parent / url)
        if url not in feeds:
            feeds.append(url)
    return feeds


_MARKUP = re.compile(r"<[a-zA-Z/!?]|&#?\w+;")


def _text_of(detail: Any, value: str, typed: bool = True) -> str:
    """The plain text of a feed's text construct. ``typed``: the format says whether the
    text is HTML (Atom's ``type``); RSS does not, and feedparser calls text with tags it
    does not allow (``<script>``) plain text, so there text with markup is read as HTML."""
    kind = detail.get("type", "") if isinstance(detail, dict) else ""
    if typed:
        return plain_text(value) if "html" in kind else " ".join(value.split())
    # RSS: markup, or markup escaped once more (feedparser leaves some text escaped when
    # it reads a feed that is not well-formed XML), is read as HTML.
    for _ in range(2):
        if not _MARKUP.search(value):
            break
        value = plain_text(value)
    return " ".join(value.split())


def _top_level(clean: str) -> list[tuple[str, str | None]]:
    """Top-level pieces of sanitised HTML: ``(markup, tag)``, tag None for text."""
    pieces: list[tuple[str, str | None]] = []
    depth, start, pos = 0, 0, 0
    top: str | None = None
    for m in _TAG_TOKEN.finditer(clean):
        closing, name, self_closing = m.group(1), m.group(2).lower(), m.group(3)
        void = name in _VOID_TAGS or bool(self_closing)
        if depth == 0:
            if m.start() > pos:
                pieces.append((clean[pos : m.start()], None))
            pos = m.end()
            if closing:
                continue  # a stray end tag
            if void:
                pieces.append((m.group(0), name))
                continue
            depth, start, top = 1, m.start(), name
        elif not void:
            depth += -1 if closing else 1
            if depth == 0:
                pieces.append((clean[start : m.end()], top))
                pos = m.end()
    if depth:
        pieces.append((clean[start:], top))
    elif pos < len(clean):
        pieces.append((clean[pos:], None))
    return pieces


def body_html_blocks(raw_html: str) -> str:
    """Sanitised HTML as top-level blocks separated by blank lines, safe inside Markdown.

    Each block is one CommonMark HTML block (no blank line inside it), so the Markdown
    reader keeps it as is and sees the article's paragraphs one by one. Loose text and
    inline elements between blocks are wrapped in ``<p>``.
    """
    clean = sanitize_html(_drop_hidden(raw_html)).strip()
    if not clean:
        return ""
    blocks: list[str] = []
    inline: list[str] = []

    def flush() -> None:
        text = "".join(inline).strip()
        inline.clear()
        if text:
            blocks.append(f"<p>{text}</p>")

    for markup, tag in _top_level(clean):
        if tag in _BLOCK_TAGS:
            flush()
            blocks.append(markup)
        else:
            inline.append(markup)
    flush()
    out = []
    for block in blocks:
        block = sanitize_html(block).strip()
        if not block.startswith("<pre"):  # a <pre> HTML block ends at </pre> only
            block = _BLANK_LINES.sub("\n", block)
        if block:
            out.append(block)
    return "\n\n".join(out)


def _rights(node: Any) -> list[str]:
    """License statements of a feed or entry: rights / dc:rights, rel=license links,
    creativeCommons:license (which feedparser reports as a rel=license link)."""
    out: list[str] = []
    if not isinstance(node, dict):
        return out
    rights = dict.get(node, "rights")
    if rights:
        out.append(str(rights))
    for link in dict.get(node, "links", []) or []:
        if isinstance(link, dict) and link.get("rel") == "license" and link.get("href"):
            out.append(str(link["href"]))
    lic = dict.get(node, "license")
    if lic:
        out.append(str(lic))
    return out


def _license_candidates(entry: Any, feed: Any) -> list[str]:
    """The entry's own statements when it has any (they override the feed's), then those
    of the feed it was republished from (Atom ``<source>``), else the feed's."""
    return _rights(entry) or _rights(dict.get(entry, "source")) or _rights(feed)


def _find_license(candidates: Iterable[str]) -> License | None:
    for text in candidates:
        found = parse_license(text)
        if found is not None:
            return found
    return None


def _with_outlet_license(
    found: License | None, candidates: list[str], stated: str
) -> License | None:
    """The license of an entry of a followed feed whose outlet states ``stated`` on its
    site: ``stated`` when the feed states none, or states the same license without its
    version ("Creative Commons Attribution" where the site says CC BY 3.0); else what
    the feed states (``found``), which always wins."""
    outlet = parse_license(stated)
    if outlet is None:
        return found
    if found is None:
        return outlet if not candidates else None
    text = next((c for c in candidates if parse_license(c) is not None), "")
    same_kind = found.code.rsplit(" ", 1)[0] == outlet.code.rsplit(" ", 1)[0]
    if same_kind and not re.search(r"\d\.\d", text):
        return outlet
    return found


def _named_in_rights(candidates: Iterable[str]) -> str | None:
    """The outlet a rights line credits: "© 2024 X. CC BY 4.0", "All content by X is
    licensed under …"."""
    for text in candidates:
        if _is_uri(text):
            continue
        footer = find_footer(text)
        if footer is not None and footer[1]:
            return footer[1]
        m = _COPYRIGHT.search(text)
        if m:
            name = " ".join(m.group("name").split()).rstrip(" ,")
            if name and not _NOT_A_NAME.match(name) and parse_license(name) is None:
                return name
    return None


def _date(entry: Any, key: str) -> datetime | None:
    """The entry's ``key`` date ("published" or "updated") with the offset the feed gave
    it (UTC when the text carries none or feedparser read it differently)."""
    parsed = dict.get(entry, f"{key}_parsed")
    if not parsed:
        return None
    try:
        year, month, day, hour, minute, second = (int(x) for x in parsed[:6])
        utc = datetime(year, month, day, hour, minute, min(second, 59), tzinfo=UTC)
    except (TypeError, ValueError, OverflowError):
        return None
    if utc == _EPOCH:
        return None  # a feed's placeholder for "no date", never a real one
    raw = str(dict.get(entry, key) or "").strip()
    local: datetime | None = None
    try:
        local = datetime.fromisoformat(raw)
    except ValueError:
        try:
            local = email.utils.parsedate_to_datetime(raw)
        except (TypeError, ValueError, IndexError, OverflowError):
            local = None
    if local is not None and local.tzinfo is not None and local.utcoffset() is not None:
        try:
            if local.astimezone(UTC).replace(microsecond=0) == utc:
                return local.replace(microsecond=0)
        except (OverflowError, ValueError):
            pass
    return utc


def _is_uri(value: str) -> bool:
    parts = _split(value)
    scheme = parts.scheme if parts is not None else ""
    return bool(re.fullmatch(r"[a-zA-Z][a-zA-Z0-9+.-]*", scheme)) and not re.search(r"\s", value)


def _is_entry_id(value: str) -> bool:
    """Whether ``value`` can be an entry's id as it is: a URI, and a ``urn:uuid:`` one
    only with a UUID (RFC 4122) after it."""
    if not _is_uri(value) or _unsafe_scheme(value):
        return False
    return value[:9].lower() != "urn:uuid:" or _UUID.fullmatch(value[9:]) is not None


def _unsafe_scheme(value: str) -> str | None:
    """The script-capable scheme ``value`` uses ("javascript"), or None."""
    squeezed = re.sub(r"[\x00-\x20]", "", value).lower()
    for scheme in _UNSAFE_SCHEMES:
        if squeezed.startswith(f"{scheme}:"):
            return scheme
    return None


def _entry_body(entry: Any) -> tuple[str, bool]:
    """The entry's HTML body and whether it is the full content (not just the summary)."""
    for content in dict.get(entry, "content", []) or []:
        value = content.get("value") or ""
        if not value.strip():
            continue
        if "html" in (content.get("type") or ""):
            body = body_html_blocks(value)
        else:
            paragraphs = [p for p in re.split(r"\n\s*\n", value) if p.strip()]
            escaped = "".join(f"<p>{html.escape(' '.join(p.split()))}</p>" for p in paragraphs)
            body = body_html_blocks(escaped)
        if body:
            return _without_credit_line(body), True
    summary = dict.get(entry, "summary") or ""
    if "html" in (dict.get(entry, "summary_detail") or {}).get("type", "text/html"):
        return body_html_blocks(summary), False
    return body_html_blocks(f"<p>{html.escape(summary)}</p>"), False


def _without_credit_line(body: str) -> str:
    """``body`` without a last block that only credits the source and states the license."""
    head, sep, last = body.rpartition("\n\n")
    text = plain_text(last)
    if sep and len(text) < 500 and _CREDIT_LINE.match(text) and parse_license(text):
        return head
    return body


def _categories(entry: Any) -> tuple[list[str], list[str]]:
    """Topics (IPTC Media Topic ids) and regions (ISO 3166 codes, region slugs) among the
    entry's categories, as feedtool's own feeds write them; other categories are not
    feedtool's vocabulary and are left to the tagger."""
    topics: list[str] = []
    regions: list[str] = []
    for tag in dict.get(entry, "tags", []) or []:
        if not isinstance(tag, dict):
            continue
        term = " ".join(str(tag.get("term") or "").split())
        scheme = str(tag.get("scheme") or "")
        if not term:
            continue
        if _IPTC_SCHEME in scheme and re.fullmatch(r"\d{8}", term):
            topics.append(term)
        elif _ISO_SCHEME in scheme and re.fullmatch(r"[A-Za-z]{2}", term):
            regions.append(term.upper())
        elif scheme.rstrip("/").endswith("/regions") and re.fullmatch(r"[a-z0-9-]{2,60}", term):
            regions.append(term)
    return list(dict.fromkeys(topics)), list(dict.fromkeys(regions))


def _detect_encoding(data: bytes) -> str | None:
    """The encoding charset-normalizer finds for ``data``; windows-1252 (what feedparser
    falls back to) when that reads the bytes as well as the best guess."""
    results = charset_normalizer.from_bytes(data)
    best = results.best()
    if best is None:
        return None
    for match in results:
        if match.chaos <= best.chaos and "cp1252" in (
            match.encoding,
            *match.could_be_from_charset,
        ):
            return "cp1252"
    return str(best.encoding)


def _known_in_folder(folder: Path) -> set[str]:
    """``id`` and ``source_url`` of every Markdown article already in ``folder``."""
    known: set[str] = set()
    if not folder.is_dir():
        return known
    for path in sorted(folder.rglob("*")):
        if path.suffix.lower() not in (".md", ".markdown") or not path.is_file():
            continue
        try:
            doc = split_front_matter(path.read_text(encoding="utf-8-sig"))
            data = yaml.safe_load(doc.front_matter) if doc.front_matter else None
        except (OSError, UnicodeDecodeError, yaml.YAMLError):
            continue
        if isinstance(data, dict):
            for key in ("id", "source_url"):
                if isinstance(data.get(key), str):
                    known.add(data[key])
    return known


def _file_name(folder: Path, published: datetime | None, title: str, key: str) -> Path:
    parts = _split(key)
    path = parts.path if parts is not None else ""
    slug = slugify(title, _SLUG_LENGTH) or slugify(path, _SLUG_LENGTH) or "item"
    stem = f"{published:%Y-%m-%d}-{slug}" if published else slug
    candidate, n = stem, 1
    while any(folder.glob(f"{glob_escape(candidate)}.*")) or (folder / candidate).exists():
        n += 1
        candidate = f"{stem}-{n}"
    return folder / f"{candidate}.md"


def glob_escape(text: str) -> str:
    """``text`` with glob metacharacters escaped (slugs have none; kept for safety)."""
    return re.sub(r"([*?\[])", r"[\1]", text)


def _front_matter(meta: Mapping[str, Any]) -> str:
    dumped = yaml.safe_dump(
        dict(meta), sort_keys=False, allow_unicode=True, default_flow_style=False, width=100
    )
    return f"---\n{dumped}---\n"


def _reads_back(front: str, meta: Mapping[str, Any]) -> bool:
    """Whether the front matter ``front`` reads back as ``meta``, control-character free."""
    doc = split_front_matter(front + "\n")
    try:
        data = yaml.safe_load(doc.front_matter) if doc.front_matter else None
    except yaml.YAMLError:
        return False
    return data == dict(meta) and FORBIDDEN.search(front) is None


def _sax_position(exc: object) -> tuple[int | None, int | None]:
    """Line and 1-based column of an XML parse error, when it has them."""
    try:
        line = int(exc.getLineNumber())  # type: ignore[attr-defined]
        column = int(exc.getColumnNumber())  # type: ignore[attr-defined]
    except (AttributeError, TypeError, ValueError):
        return None, None
    return (line if line > 0 else None), (column + 1 if column >= 0 else None)


def _has_declaration(data: bytes | None, parsed: Any) -> bool:
    """Whether ``data`` opens with an XML declaration (feedparser adds one when not)."""
    encoding = str(parsed.get("encoding") or "utf-8")
    try:
        head = data[:200].decode(encoding, "ignore") if data else ""
    except LookupError:
        head = data[:200].decode("utf-8", "ignore") if data else ""
    return head.lstrip("\ufeff").startswith("<?xml")


def _sax_message(exc: object) -> str:
    try:
        return str(exc.getMessage())  # type: ignore[attr-defined]
    except AttributeError:
        return str(exc)


_FIRST_ENTRY = re.compile(r"<(?:[\w-]+:)?(?:item|entry)[\s>/]")


class _Locator:
    """Lines of a feed's entries in its text, for messages: each entry's id, link or title
    is looked for after the previous entry's (feedparser keeps document order)."""

    def __init__(self, data: bytes, encoding: str) -> None:
        try:
            self.text = data.decode(encoding or "utf-8", "replace")
        except LookupError:
            self.text = data.decode("utf-8", "replace")
        m = _FIRST_ENTRY.search(self.text)
        self.cursor = m.start() if m else 0
        self.counted, self.line = 0, 1

    def find(self, values: Iterable[str]) -> int | None:
        """The line where the first of ``values`` found after the cursor is, or None."""
        best: tuple[int, int] | None = None
        for value in values:
            if len(value) < 3:
                continue
            for form in dict.fromkeys((value, html.escape(value, quote=False))):
                pos = self.text.find(form, self.cursor)
                if pos >= 0 and (best is None or pos < best[0]):
                    best = (pos, len(form))
        if best is None:
            return None
        pos, length = best
        self.line += self.text.count("\n", self.counted, pos)
        self.counted = pos
        self.cursor = pos + length
        return self.line


class _Cleaner:
    """Strips control characters from text, counting them."""

    def __init__(self) -> None:
        self.removed = 0

    def __call__(self, text: str) -> str:
        cleaned, n = strip_controls(text)
        self.removed += n
        return cleaned


@dataclass
class _FeedInfo:
    source: str  # as the user gave it
    title: str
    basis: str  # the feed's link or title: what derived ids are made from
    feed: Any


@dataclass
class _Run:
    into: Path
    state: ImportState
    allow_unlicensed: bool
    timeout: float
    known: set[str]
    max_bytes: int = MAX_BYTES
    agent: str = USER_AGENT
    report: ImportReport = field(default_factory=ImportReport)
    #: The followed feed being imported (its overrides), or None for a plain source.
    follow: FollowConfig | None = None
    visited: set[str] = field(default_factory=set)
    met: set[str] = field(default_factory=set)  # ids and links of the feed's entries so far
    line: int | None = None  # the line of the entry being imported, when known
    typed: bool = True  # whether the feed's format says which text is HTML (Atom)

    def key(self, source: str) -> str:
        """How ``source`` is recorded: its URL, or its path relative to the state file."""
        if _is_url(source):
            return source
        path = Path(source).resolve()
        try:
            return path.relative_to(self.state.path.parent.resolve()).as_posix()
        except ValueError:
            return path.as_posix()

    def source(self, source: str, depth: int = 0) -> None:
        key = self.key(source)
        if key in self.visited:
            return
        self.visited.add(key)
        record = self.state.entry(key)
        # Where a permanent redirect moved the feed, the last time it was asked.
        moved = str(record.get("url") or "")
        ask = moved if moved and _is_url(source) and _is_url(moved) else source
        try:
            if not _is_url(source) and source.lower().startswith(("http:", "https:")):
                raise _SourceFailed("not a valid http(s) URL")
            fetched = (
                _fetch_url(ask, record, self.timeout, self.max_bytes, self.agent)
                if _is_url(source)
                else _read_file(source)
            )
            if fetched.data is None:
                result = FeedResult(source, not_modified=True)
                self.report.feeds.append(result)
            else:
                feeds = _opml_feeds(fetched.data, fetched.base)
                if feeds is not None:
                    if depth >= _MAX_DEPTH:
                        raise _SourceFailed("an OPML list inside an OPML list is not followed")
                    for feed in feeds:
                        self.source(feed, depth + 1)
                    result = None
                else:
                    result = self.feed(source, fetched)
        except _SourceFailed as exc:
            self.report.errors.append(
                problem(
                    source,
                    "",
                    str(exc) if ask == source else f"{exc} (asked at {ask}, where it moved)",
                    line=exc.line,
                    column=exc.column,
                    hint="give the path or http(s) URL of an RSS 2.0 or Atom feed, or of an "
                    "OPML list of feeds",
                )
            )
            failed = FeedResult(source, failed=str(exc), fetched_from=ask if ask != source else "")
            if ask != source:
                # Where it moved fails: the next import asks the address it was given.
                record.pop("url", None)
                failed.notes.append(f"the next import asks {source} again")
            self.report.feeds.append(failed)
            return
        if not _is_url(source):
            return
        record["etag"] = fetched.etag
        record["last_modified"] = fetched.last_modified
        self.redirected(source, ask, fetched, record, result)

    def redirected(
        self,
        source: str,
        asked: str,
        fetched: _Fetched,
        record: dict[str, Any],
        result: FeedResult | None,
    ) -> None:
        """Record and report the redirects the fetch of ``source`` followed."""
        if asked != source and result is not None:
            result.fetched_from = asked
        if not fetched.redirects:
            return
        final = fetched.redirects[-1][1]
        permanent = all(code in (301, 308) for code, _ in fetched.redirects)
        if permanent:
            record["url"] = final if final != source else None
        note = f"{'moved permanently' if permanent else 'redirected'} to {final}"
        if permanent:
            note += "; the next import asks there (update the URL where you follow it)"
        if result is not None:
            result.notes.append(note)
            if permanent:
                result.moved_to = final
        if permanent:
            self.warn(source, note)
        else:
            log.info("%s: %s", source, note)

    def warn(self, source: str, message: str, **kw: Any) -> None:
        self.report.warnings.append(problem(source, "", message, severity="warning", **kw))

    def parse(self, source: str, fetched: _Fetched) -> Any:
        """feedparser's reading of the feed: bytes plus the response's headers, the
        encoding detected when the bytes match none that was declared."""
        assert fetched.data is not None
        headers = dict(fetched.headers)
        if _is_url(fetched.base):
            headers["content-location"] = fetched.base
        parsed = feedparser.parse(fetched.data, response_headers=headers, sanitize_html=False)
        exc = parsed.get("bozo_exception")
        if not isinstance(exc, feedparser.CharacterEncodingOverride):
            return parsed
        used = str(parsed.get("encoding") or "").lower()
        if used not in _FALLBACK_ENCODINGS:
            return parsed
        guess = _detect_encoding(fetched.data)
        if guess is None:
            self._encoding_unknown(source, exc, used)
            return parsed
        if guess == "cp1252":
            if used != "windows-1252":
                headers["content-type"] = "application/xml; charset=windows-1252"
                parsed = feedparser.parse(
                    fetched.data, response_headers=headers, sanitize_html=False
                )
            self.warn(source, f"{exc}: the bytes fit windows-1252 (detected), read as such")
            return parsed
        headers["content-type"] = f"application/xml; charset={guess}"
        again = feedparser.parse(fetched.data, response_headers=headers, sanitize_html=False)
        if not isinstance(again.get("bozo_exception"), feedparser.CharacterEncodingOverride):
            self.warn(source, f"no usable encoding declared; detected {guess}")
            return again
        self._encoding_unknown(source, exc, used)
        return parsed

    def _encoding_unknown(self, source: str, exc: object, used: str) -> None:
        self.warn(
            source,
            f"could not determine the character encoding ({exc}); read as {used}, "
            "so some characters may be wrong",
            hint="ask the publisher to declare the encoding in the XML declaration",
        )

    def feed(self, source: str, fetched: _Fetched) -> FeedResult:
        parsed = self.parse(source, fetched)
        feed = parsed.get("feed", {})
        entries = parsed.get("entries", [])
        exc = parsed.get("bozo_exception")
        line, column = _sax_position(exc)
        if line is not None and not _has_declaration(fetched.data, parsed):
            line = max(1, line - 1)  # feedparser put a declaration line of its own first
        if not entries and not parsed.get("version"):
            if line is not None:
                raise _SourceFailed(
                    f"not an RSS or Atom feed: not well-formed XML: {_sax_message(exc)}",
                    line,
                    column,
                )
            raise _SourceFailed("not an RSS or Atom feed: no feed elements found")
        if line is not None:
            self.warn(
                source,
                f"not well-formed XML: {_sax_message(exc)}; read what could be read",
                line=line,
                column=column,
            )
        clean = _Cleaner()
        self.typed = str(parsed.get("version") or "").startswith("atom")
        title = clean(
            _text_of(dict.get(feed, "title_detail"), dict.get(feed, "title") or "", self.typed)
        )
        link = clean(str(dict.get(feed, "link") or "")).strip()
        info = _FeedInfo(source, title, link if _is_url(link) else title, feed)
        result = FeedResult(source, title, entries=len(entries))
        self.report.feeds.append(result)
        record = self.state.entry(self.key(source))
        seen: list[str] = [str(k) for k in record.get("seen", []) if isinstance(k, str)]
        cleaned = 0
        first: int | None = None  # the line of the first entry with control characters
        self.met = set()
        locator = _Locator(fetched.data or b"", str(parsed.get("encoding") or ""))
        for entry in entries:
            entry_clean = _Cleaner()
            line = locator.find(
                str(dict.get(entry, k) or "").strip() for k in ("id", "link", "title")
            )
            written = self.entry(info, entry, result, entry_clean, line)
            if entry_clean.removed and not cleaned:
                first = line
            cleaned += entry_clean.removed > 0
            clean.removed += entry_clean.removed
            if written:
                seen.append(written)
        record["seen"] = seen
        if clean.removed:
            where = f"{cleaned} of {len(entries)} entries" if cleaned else "the feed's own text"
            if cleaned and first is not None:
                where += "; the first is here"
            self.warn(
                source,
                f"{REMOVED.format(clean.removed)} ({where})",
                line=first,
            )
        if not entries:
            result.notes.append("the feed holds no entries")
        return result

    def skip(
        self,
        info: _FeedInfo,
        result: FeedResult,
        label: str,
        reason: str,
        why: str,
        hint: str,
    ) -> str:
        result.skipped_by[reason] += 1
        self.report.skipped.append(
            problem(
                info.source,
                label,
                f"skipped ({reason}): {why}",
                line=self.line,
                hint=hint,
                severity="warning",
            )
        )
        return ""

    def entry(
        self, info: _FeedInfo, entry: Any, result: FeedResult, clean: _Cleaner, line: int | None
    ) -> str:
        """Import one entry (``line``: where it is in the feed, if known); return its key
        when a file was written, else ``""``."""
        self.line = line
        raw_id = clean(str(dict.get(entry, "id") or "")).strip()
        link = clean(str(dict.get(entry, "link") or "")).strip()
        title = clean(
            _text_of(dict.get(entry, "title_detail"), dict.get(entry, "title") or "", self.typed)
        )
        body, full = _entry_body(entry)
        body = clean(body)
        text = plain_text(body)
        published = _date(entry, "published") or _date(entry, "updated")
        updated = _date(entry, "updated")
        # The entry's id (see the module's docstring for the rule).
        if _is_entry_id(raw_id):
            entry_id = raw_id
        elif _is_url(link):
            entry_id = link
        elif raw_id:
            basis = f"{info.basis}\n{raw_id}"
            entry_id = f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, basis)}"
        else:
            when = published.astimezone(UTC).isoformat() if published else ""
            basis = f"{info.basis}\n{when}\n{title}\n{text}"
            entry_id = f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, basis)}"
        label = f"entry {entry_id}"
        named = f"{title[:80]!r}" if title else "an entry without a title"
        for value in (raw_id, link):
            scheme = _unsafe_scheme(value)
            if scheme:
                return self.skip(
                    info,
                    result,
                    f"entry {raw_id or entry_id}",
                    "unsafe",
                    f"{named}: its {'id' if value == raw_id else 'link'} uses {scheme}:",
                    "a link that runs a script is never imported",
                )
        keys = [k for k in (raw_id, link, entry_id) if k]
        if any(k in self.met for k in keys):
            return self.skip(
                info,
                result,
                label,
                "duplicate id",
                f"{named}: an earlier entry of this feed has the same id or link",
                "the feed lists the entry twice; the first one is used",
            )
        self.met.update(keys)
        if not raw_id and not link and title:
            keys.append(title)  # how such items were recorded before they had ids
        if any(k in self.known for k in keys):
            result.known += 1
            return ""
        if not text and not title:
            return self.skip(
                info,
                result,
                label,
                "no usable text",
                "no title and no text once markup and scripts are removed",
                "nothing to publish: the entry is empty",
            )
        candidates = [clean(c) for c in _license_candidates(entry, info.feed)]
        license_ = _find_license(candidates)
        follow = self.follow
        if follow is not None and follow.license:
            license_ = _with_outlet_license(license_, candidates, follow.license)
        if license_ is None and not self.allow_unlicensed:
            hint = "import it anyway with --allow-unlicensed if you may republish it"
            if candidates:
                return self.skip(
                    info,
                    result,
                    label,
                    "license not open",
                    f"{named}: not a Creative Commons or public-domain license: "
                    f"{candidates[0][:120]!r}",
                    hint,
                )
            return self.skip(
                info,
                result,
                label,
                "no license",
                f"{named}: no license stated by the entry or the feed",
                hint,
            )
        title_derived = not title
        if title_derived:
            title = derive_title(text, _TITLE_LENGTH)
        meta: dict[str, Any] = {"title": title}
        if published:
            meta["date"] = published.isoformat()
        if updated and published and updated > published:
            meta["updated"] = updated.isoformat()
        source, source_url = self.credit(info, entry, link, candidates, clean)
        if source:
            meta["source"] = source
        if source_url:
            meta["source_url"] = source_url
        # Every <author> (a feedtool feed lists the byline, then the source): the first
        # that is neither the feed's own name nor the source credited is the byline.
        detail = dict.get(entry, "author_detail") or {}
        names = [str(a.get("name") or "") for a in dict.get(entry, "authors") or []]
        names += [str(detail.get("name") or dict.get(entry, "author") or "")]
        not_bylines = {info.title.casefold(), (source or "").casefold(), ""}
        for name in names:
            author = " ".join(clean(_text_of(None, name, self.typed)).split())
            if author.casefold() not in not_bylines:
                meta["author"] = author
                break
        if license_ is not None:
            meta["license"] = license_.code
        summary = clean(plain_text(dict.get(entry, "summary") or "")) if full else ""
        if summary and summary != text:
            meta["summary"] = summary
        topics, regions = _categories(entry)
        if follow is not None:
            topics = list(dict.fromkeys([*topics, *follow.topics]))
            regions = list(dict.fromkeys([*regions, *follow.regions]))
        if topics:
            meta["topics"] = topics
        if regions:
            meta["regions"] = regions
        meta["id"] = entry_id
        front = _front_matter(meta)
        if not _reads_back(front, meta):
            return self.skip(
                info,
                result,
                label,
                "unsafe",
                f"{named}: its text does not survive being written as front matter",
                "report this feed: feedtool should be able to write any text",
            )
        into = self.into / follow.folder if follow is not None and follow.folder else self.into
        into.mkdir(parents=True, exist_ok=True)
        path = _file_name(into, published, title, link or raw_id)
        with path.open("x", encoding="utf-8", newline="\n") as handle:
            handle.write(front + "\n" + body + "\n")
        result.written.append(path)
        self.known.update(keys)
        return raw_id or link or entry_id

    def credit(
        self, info: _FeedInfo, entry: Any, link: str, rights: list[str], clean: _Cleaner
    ) -> tuple[str, str]:
        """The outlet to credit and the original article's URL: the entry's ``<source>``,
        else an outlet its rights line names, else the feed itself."""
        url = link if _is_url(link) else ""
        origin = dict.get(entry, "source")
        if isinstance(origin, dict):
            title = str(origin.get("title") or "")
            name = clean(_text_of(origin.get("title_detail"), title, self.typed))
            if name:
                # Atom <source> links to the original (or, as RFC 4287 has it, to the
                # outlet's home page: then the entry's link stays the article's URL);
                # RSS <source url> names a feed.
                alternate = clean(str(origin.get("link") or "")).strip()
                parts = _split(alternate)
                if "links" in origin and _is_url(alternate) and parts and parts.path.strip("/"):
                    url = alternate
                return name, url
        named = _text_of(None, _named_in_rights(rights) or "", self.typed)
        if named:
            return named, url
        if self.follow is not None and self.follow.source:
            return self.follow.source, url
        return info.title, url


def import_sources(
    sources: Iterable[str | FollowConfig],
    into: Path,
    state_path: Path,
    *,
    allow_unlicensed: bool = False,
    timeout: float = DEFAULT_TIMEOUT,
    max_bytes: int = MAX_BYTES,
    agent: str = USER_AGENT,
) -> ImportReport:
    """Import every feed of ``sources`` (paths or URLs of feeds or OPML lists, or followed
    feeds with their overrides) into ``into``.

    Problems with a source (unreadable, not a feed) are collected in the report's
    ``errors`` and its result is marked failed; the other sources are still imported. The
    import holds :func:`import_lock` throughout and saves the state file at the end.
    """
    with import_lock(state_path):
        state = ImportState(state_path)
        run = _Run(
            into=into,
            state=state,
            allow_unlicensed=allow_unlicensed,
            timeout=timeout,
            known=_known_in_folder(into) | state.seen(),
            max_bytes=max_bytes,
            agent=agent,
        )
        for source in sources:
            if isinstance(source, FollowConfig):
                run.follow = source
                run.source(source.url)
            else:
                run.follow = None
                run.source(source)
        state_path.parent.mkdir(parents=True, exist_ok=True)
        state.save()
    return run.report
