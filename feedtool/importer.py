"""``feedtool import``: articles from RSS 2.0 and Atom feeds and OPML lists of feeds.

Each new feed item becomes one Markdown file with YAML front matter in the content
folder, named ``YYYY-MM-DD-<slug>.md``. An item is new when neither its entry id nor
its link is recorded, either in the ``id:``/``source_url:`` of a file already in the
folder or in the state file (``.feedtool-import.json``), so re-importing a feed adds
only new items and never touches an existing file, even one the editor changed or
deleted. Items without an open license that :func:`parse_license` recognises are
skipped unless ``allow_unlicensed``.

The network is used only for ``http(s)`` sources: with a timeout, a User-Agent, and
conditional GET (``ETag``/``Last-Modified`` remembered in the state file).
"""

from __future__ import annotations

import html
import json
import logging
import os
import re
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import feedparser
import yaml

import feedtool
from feedtool.errors import Problem, display_path, problem
from feedtool.model import License
from feedtool.sources.licenses import parse_license
from feedtool.sources.markdown import sanitize_html, split_front_matter
from feedtool.tagging.slug import slugify

__all__ = [
    "STATE_NAME",
    "USER_AGENT",
    "FeedResult",
    "ImportReport",
    "body_html_blocks",
    "import_sources",
]

log = logging.getLogger("feedtool.import")

STATE_NAME = ".feedtool-import.json"
USER_AGENT = f"feedtool/{feedtool.__version__} (+https://github.com/feedtool/feedtool)"
ACCEPT = (
    "application/atom+xml, application/rss+xml, text/x-opml;q=0.9, application/xml;q=0.8, "
    "text/xml;q=0.8, */*;q=0.1"
)
MAX_BYTES = 20 * 1024 * 1024
DEFAULT_TIMEOUT = 20.0
_MAX_DEPTH = 2  # an OPML list may name feeds, not further lists of lists
_SLUG_LENGTH = 60
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
# A tag in nh3's serialisation: attribute values are always double-quoted, and a
# ``<`` in text is always escaped, so this finds every tag and nothing else.
_TAG_TOKEN = re.compile(r'<(/?)([a-zA-Z][a-zA-Z0-9]*)(?:\s+[^\s=/>"]+(?:\s*=\s*"[^"]*")?)*\s*(/?)>')
_BLANK_LINES = re.compile(r"\n[ \t]*\n\s*")
_TAG = re.compile(r"<[^>]*>")


@dataclass
class FeedResult:
    """What importing one feed did."""

    source: str
    title: str = ""
    written: list[Path] = field(default_factory=list)
    known: int = 0
    skipped: int = 0
    not_modified: bool = False

    def summary(self) -> str:
        """``Agency news (feed.xml): 2 new, 1 already imported, 1 skipped``."""
        name = f"{self.title} ({self.source})" if self.title else self.source
        if self.not_modified:
            return f"{name}: not modified since the last import"
        return (
            f"{name}: {len(self.written)} new, {self.known} already imported, "
            f"{self.skipped} skipped"
        )


@dataclass
class ImportReport:
    """Every feed's result; errors (a source that could not be read) and skipped items."""

    feeds: list[FeedResult] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    skipped: list[Problem] = field(default_factory=list)

    @property
    def written(self) -> list[Path]:
        """Every file written, in order."""
        return [p for f in self.feeds for p in f.written]


@dataclass(frozen=True)
class _Fetched:
    data: bytes | None  # None: not modified (HTTP 304)
    base: str  # the URL after redirects, or the file's path
    etag: str | None = None
    last_modified: str | None = None


class _SourceFailed(Exception):
    """A source could not be read; the message says why."""


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
        return {str(k) for s in self.sources.values() for k in s.get("seen", [])}

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
                if rec.get("seen") or rec.get("etag") or rec.get("last_modified")
            },
        }
        tmp = self.path.with_name(f"{self.path.name}.tmp-{os.getpid()}")
        tmp.write_text(json.dumps(out, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        tmp.replace(self.path)


def _is_url(source: str) -> bool:
    return urlsplit(source).scheme in ("http", "https")


def _fetch_url(url: str, record: dict[str, Any], timeout: float) -> _Fetched:
    headers = {"User-Agent": USER_AGENT, "Accept": ACCEPT}
    if record.get("etag"):
        headers["If-None-Match"] = str(record["etag"])
    if record.get("last_modified"):
        headers["If-Modified-Since"] = str(record["last_modified"])
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            data = response.read(MAX_BYTES + 1)
            if len(data) > MAX_BYTES:
                raise _SourceFailed(f"larger than {MAX_BYTES // (1024 * 1024)} MB")
            return _Fetched(
                data,
                response.geturl(),
                response.headers.get("ETag"),
                response.headers.get("Last-Modified"),
            )
    except urllib.error.HTTPError as exc:
        if exc.code == 304:
            return _Fetched(None, url, record.get("etag"), record.get("last_modified"))
        raise _SourceFailed(f"HTTP {exc.code} {exc.reason}") from None
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise _SourceFailed(f"cannot fetch: {reason}") from None


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
            url = urljoin(base, url)
        elif not _is_url(url) and not Path(url).is_absolute():
            url = str(Path(base).parent / url)
        if url not in feeds:
            feeds.append(url)
    return feeds


def _plain(text: str) -> str:
    return " ".join(html.unescape(_TAG.sub(" ", text)).split())


def _text_of(detail: Any, value: str) -> str:
    kind = detail.get("type", "") if isinstance(detail, dict) else ""
    return _plain(value) if "html" in kind else " ".join(value.split())


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
    clean = sanitize_html(raw_html).strip()
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
    rights = dict.get(node, "rights")
    if rights:
        out.append(str(rights))
    for link in dict.get(node, "links", []) or []:
        if link.get("rel") == "license" and link.get("href"):
            out.append(str(link["href"]))
    lic = dict.get(node, "license")
    if lic:
        out.append(str(lic))
    return out


def _license_candidates(entry: Any, feed: Any) -> list[str]:
    """The entry's own statements when it has any (they override the feed's), else the feed's."""
    return _rights(entry) or _rights(feed)


def _find_license(candidates: Iterable[str]) -> License | None:
    for text in candidates:
        found = parse_license(text)
        if found is not None:
            return found
    return None


def _date(entry: Any, key: str) -> datetime | None:
    parsed = dict.get(entry, key)
    if not parsed:
        return None
    try:
        year, month, day, hour, minute, second = (int(x) for x in parsed[:6])
        return datetime(year, month, day, hour, minute, min(second, 59), tzinfo=UTC)
    except (TypeError, ValueError):
        return None


def _is_uri(value: str) -> bool:
    scheme = urlsplit(value).scheme
    return bool(re.fullmatch(r"[a-zA-Z][a-zA-Z0-9+.-]*", scheme)) and not re.search(r"\s", value)


def _entry_body(entry: Any) -> tuple[str, bool]:
    """The entry's HTML body and whether it is the full content (not just the summary)."""
    for content in dict.get(entry, "content", []) or []:
        value = content.get("value") or ""
        if not value.strip():
            continue
        if "html" in (content.get("type") or ""):
            return body_html_blocks(value), True
        paragraphs = [p for p in re.split(r"\n\s*\n", value) if p.strip()]
        escaped = "".join(f"<p>{html.escape(' '.join(p.split()))}</p>" for p in paragraphs)
        return body_html_blocks(escaped), True
    summary = dict.get(entry, "summary") or ""
    if "html" in (dict.get(entry, "summary_detail") or {}).get("type", "text/html"):
        return body_html_blocks(summary), False
    return body_html_blocks(f"<p>{html.escape(summary)}</p>"), False


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
    slug = slugify(title, _SLUG_LENGTH) or slugify(urlsplit(key).path, _SLUG_LENGTH) or "item"
    stem = f"{published:%Y-%m-%d}-{slug}" if published else slug
    candidate, n = stem, 1
    while any(folder.glob(f"{glob_escape(candidate)}.*")) or (folder / candidate).exists():
        n += 1
        candidate = f"{stem}-{n}"
    return folder / f"{candidate}.md"


def glob_escape(text: str) -> str:
    """``text`` with glob metacharacters escaped (slugs have none; kept for safety)."""
    return re.sub(r"([*?\[])", r"[\1]", text)


def _front_matter(meta: dict[str, str]) -> str:
    dumped = yaml.safe_dump(
        meta, sort_keys=False, allow_unicode=True, default_flow_style=False, width=100
    )
    return f"---\n{dumped}---\n"


@dataclass
class _Run:
    into: Path
    state: ImportState
    allow_unlicensed: bool
    timeout: float
    known: set[str]
    report: ImportReport = field(default_factory=ImportReport)
    visited: set[str] = field(default_factory=set)

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
        try:
            fetched = (
                _fetch_url(source, record, self.timeout) if _is_url(source) else _read_file(source)
            )
            if fetched.data is None:
                self.report.feeds.append(FeedResult(source, not_modified=True))
                return
            feeds = _opml_feeds(fetched.data, fetched.base)
            if feeds is not None:
                if depth >= _MAX_DEPTH:
                    raise _SourceFailed("an OPML list inside an OPML list is not followed")
                for feed in feeds:
                    self.source(feed, depth + 1)
                return
            self.feed(source, fetched)
        except _SourceFailed as exc:
            self.report.errors.append(
                problem(
                    source,
                    "",
                    str(exc),
                    hint="give the path or http(s) URL of an RSS 2.0 or Atom feed, or of an "
                    "OPML list of feeds",
                )
            )
            return
        if _is_url(source):
            record["etag"] = fetched.etag
            record["last_modified"] = fetched.last_modified

    def feed(self, source: str, fetched: _Fetched) -> None:
        assert fetched.data is not None
        headers = {"content-location": fetched.base} if _is_url(fetched.base) else None
        parsed = feedparser.parse(fetched.data, response_headers=headers, sanitize_html=True)
        feed = parsed.get("feed", {})
        entries = parsed.get("entries", [])
        if not entries and (parsed.get("bozo") or not dict.get(feed, "title")):
            why = parsed.get("bozo_exception") or "no feed elements found"
            raise _SourceFailed(f"not an RSS or Atom feed: {why}")
        title = _text_of(dict.get(feed, "title_detail"), dict.get(feed, "title") or "")
        result = FeedResult(source, title)
        self.report.feeds.append(result)
        record = self.state.entry(self.key(source))
        seen: list[str] = list(record.get("seen", []))
        for entry in entries:
            written = self.entry(source, title, feed, entry, result)
            if written:
                seen.append(written)
        record["seen"] = seen

    def entry(self, source: str, feed_title: str, feed: Any, entry: Any, result: FeedResult) -> str:
        """Import one entry; return its key when a file was written, else ``""``."""
        raw_id = str(dict.get(entry, "id") or "").strip()
        link = str(dict.get(entry, "link") or "").strip()
        title = _text_of(dict.get(entry, "title_detail"), dict.get(entry, "title") or "")
        key = raw_id or link or title
        if not key:
            return ""
        if key in self.known or (link and link in self.known):
            result.known += 1
            return ""
        candidates = _license_candidates(entry, feed)
        license_ = _find_license(candidates)
        if license_ is None and not self.allow_unlicensed:
            why = (
                f"license not open or not recognised: {candidates[0]!r}"
                if candidates
                else "no license stated by the entry or the feed"
            )
            self.report.skipped.append(
                problem(
                    source,
                    "license",
                    f"skipped {title or link or raw_id!r}: {why}",
                    hint="import it anyway with --allow-unlicensed if you may republish it",
                    severity="warning",
                )
            )
            result.skipped += 1
            return ""
        published = _date(entry, "published_parsed") or _date(entry, "updated_parsed")
        updated = _date(entry, "updated_parsed")
        body, full = _entry_body(entry)
        meta: dict[str, str] = {}
        if title:
            meta["title"] = title
        if published:
            meta["date"] = published.isoformat()
        if updated and published and updated > published:
            meta["updated"] = updated.isoformat()
        if feed_title:
            meta["source"] = feed_title
        if link and _is_url(link):
            meta["source_url"] = link
        author = (dict.get(entry, "author_detail") or {}).get("name") or dict.get(entry, "author")
        if author:
            meta["author"] = " ".join(str(author).split())
        if license_ is not None:
            meta["license"] = license_.code
        summary = _plain(dict.get(entry, "summary") or "")
        if full and summary and summary != _plain(body):
            meta["summary"] = summary
        if _is_uri(raw_id):
            meta["id"] = raw_id
        elif link and _is_url(link):
            meta["id"] = link
        if not body and not title:
            return ""
        self.into.mkdir(parents=True, exist_ok=True)
        path = _file_name(self.into, published, title, link or raw_id)
        with path.open("x", encoding="utf-8", newline="\n") as handle:
            handle.write(_front_matter(meta) + "\n" + body + "\n")
        result.written.append(path)
        self.known.update(k for k in (raw_id, link, meta.get("id", "")) if k)
        return key


def import_sources(
    sources: Iterable[str],
    into: Path,
    state_path: Path,
    *,
    allow_unlicensed: bool = False,
    timeout: float = DEFAULT_TIMEOUT,
) -> ImportReport:
    """Import every feed of ``sources`` (paths or URLs of feeds or OPML lists) into ``into``.

    Problems with a source (unreadable, not a feed) are collected in the report's
    ``errors``; the other sources are still imported. The state file is saved at the end.
    """
    state = ImportState(state_path)
    run = _Run(
        into=into,
        state=state,
        allow_unlicensed=allow_unlicensed,
        timeout=timeout,
        known=_known_in_folder(into) | state.seen(),
    )
    for source in sources:
        run.source(source)
    state_path.parent.mkdir(parents=True, exist_ok=True)
    state.save()
    return run.report
