"""Reading articles: the only stage that reads input files.

:func:`read_articles` walks the content folder in name order, reads each
article with the reader registered for its suffix (``READERS``), and returns
frozen :class:`~feedtool.model.Article` values. Problems are collected for all
files and raised together as one :class:`~feedtool.errors.SourceError`; warnings
are returned beside the articles.
"""

from __future__ import annotations

import functools
import hashlib
import html
import itertools
import os
import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, tzinfo
from pathlib import Path
from urllib.parse import quote
from zoneinfo import ZoneInfo

import nh3

from feedtool import history
from feedtool.article_files import ARTICLE_KINDS, sidecar_paths
from feedtool.chars import FORBIDDEN, REMOVED, holds_forbidden, utf8_holds_forbidden
from feedtool.config import Config, FolderDefaults, require_content_dir
from feedtool.errors import Problem, SourceError, display_path, problem
from feedtool.model import Article, duplicate_problems
from feedtool.sources.credits import (
    AgencyTable,
    agency_name,
    known_agencies,
    outlet_license,
    outlet_license_within,
)
from feedtool.sources.dates import (
    impossible_date_line,
    latest_year_named,
    parse_written_date,
    resolve_year,
)
from feedtool.sources.layout import Layout, first_story_paragraph, read_layout
from feedtool.sources.licenses import parse_license
from feedtool.sources.markdown import parse_markdown, split_front_matter
from feedtool.sources.meta import (
    Meta,
    MetaResult,
    date_problem,
    parse_date,
    parse_meta,
    unclosed_problem,
)
from feedtool.sources.text import (
    Dateline,
    derive_title,
    find_dateline,
    regroup,
    split_paragraphs,
)
from feedtool.tagging.slug import slugify

__all__ = ["READERS", "Parsed", "read_article", "read_articles"]

_DATE_PREFIX = re.compile(r"^(\d{4}-\d{2}-\d{2})[-_]")


@dataclass
class Parsed:
    """What a reader found in one file, before config is applied."""

    meta: MetaResult
    layout: Layout
    dateline: Dateline | None
    paragraphs: list[str]
    body_html: str
    changes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ReadOptions:
    """What readers need to know of the project: the time zone, the agency table and
    the folders' defaults (``articles.folders``, folder parts -> defaults)."""

    zone: tzinfo
    agencies: Mapping[str, str]
    folders: Mapping[tuple[str, ...], FolderDefaults] = field(default_factory=dict)

    def folder_defaults(self, rel_path: str) -> FolderDefaults | None:
        """The defaults of the deepest configured folder holding ``rel_path``."""
        parts = tuple(rel_path.split("/")[:-1])
        for depth in range(len(parts), 0, -1):
            found = self.folders.get(parts[:depth])
            if found is not None:
                return found
        return None


Reader = Callable[[str, str, MetaResult | None, ReadOptions], Parsed]


def _split_dateline(paragraphs: list[str]) -> Dateline | None:
    """Take the dateline off the story's first paragraph (shown as metadata, once);
    photo captions above the story are not its first paragraph."""
    if not paragraphs:
        return None
    first = first_story_paragraph(paragraphs)
    dateline, rest = find_dateline(paragraphs[first])
    if dateline is None:
        # Under a standfirst or bullet points: a dateline in capitals ("PALAWAN,
        # Philippines —") starting one of the next paragraphs.
        for i in range(first + 1, min(len(paragraphs), first + 6)):
            found, after = find_dateline(paragraphs[i])
            if found is not None and found.raw.split(",")[0].isupper():
                first, dateline, rest = i, found, after
                break
    if dateline is not None:
        if rest.strip():
            paragraphs[first] = rest
        else:
            paragraphs.pop(first)
    return dateline


# Markup pasted into a text file (an outlet's "republish this article" HTML).
_HTML_TAG = re.compile(r"</?(?:p|div|br|em|strong|a|h[1-6]|ul|ol|li|blockquote|span)\b[^>]*>", re.I)
_HTML_BREAK = re.compile(
    r"<(?:br\s*/?|/?(?:p|div|h[1-6]|li|ul|ol|blockquote|figure|table|tr))\b[^>]*>", re.I
)


def html_to_text(text: str) -> str:
    """HTML markup as the plain text a reader sees: block ends become blank lines, every
    tag goes (script and style with their content), entities are decoded."""
    marked = _HTML_BREAK.sub("\n\n", text)
    stripped = nh3.clean(marked, tags=set(), attributes={})
    lines = [" ".join(line.split()) for line in html.unescape(stripped).split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip() + "\n"


def read_text(text: str, shown: str, sidecar: MetaResult | None, opts: ReadOptions) -> Parsed:
    """Wire copy: headline, date lines, byline, dateline, paragraphs and footer recovered
    from plain text."""
    meta = sidecar or MetaResult(Meta(), {}, [], shown)
    changes_before: list[str] = []
    if len(_HTML_TAG.findall(text)) >= 3:
        text = html_to_text(text)
        changes_before.append("read the HTML pasted into the text as text")
    raw = split_paragraphs(text)
    layout = read_layout(raw, opts.zone, opts.agencies, headline=meta.meta.title is None)
    paragraphs = layout.paragraphs
    changes: list[str] = changes_before + list(layout.changes)
    dateline = _split_dateline(paragraphs)
    regrouped = [piece for p in paragraphs for piece in regroup(p)]
    if len(regrouped) != len(paragraphs) or "\n" not in text.strip():
        changes.append("restored paragraph breaks")
    body_html = "\n".join(f"<p>{html.escape(p)}</p>" for p in regrouped)
    return Parsed(meta, layout, dateline, regrouped, body_html, changes)


def read_markdown(text: str, shown: str, sidecar: MetaResult | None, opts: ReadOptions) -> Parsed:
    """Markdown with optional YAML front matter."""
    doc = split_front_matter(text)
    if doc.unclosed:
        meta = MetaResult(Meta(), {}, [unclosed_problem(shown)], shown)
    elif doc.front_matter is not None:
        meta = parse_meta(doc.front_matter, shown, line_offset=doc.front_matter_line)
    else:
        meta = sidecar or MetaResult(Meta(), {}, [], shown)
    blocks = [b.strip() for b in re.split(r"\n[ \t]*\n", doc.body.strip()) if b.strip()]
    # Furniture is recognised in blocks of a few lines; a block of one line in a
    # Markdown body is where outlets put their date lines and bylines.
    layout = read_layout(blocks, opts.zone, opts.agencies, headline=False)
    body = "\n\n".join(layout.paragraphs)
    body_html, paragraphs = parse_markdown(body, layout.paragraphs)
    # The text was cleaned in _normalise: a forbidden character can only come back
    # written as a character reference ("&#x7f;") in raw HTML, so only with an "&".
    if "&" in body and _has_illegal(body_html):
        body_html, removed = FORBIDDEN.subn("", body_html)
        paragraphs = [FORBIDDEN.sub("", p) for p in paragraphs]
        meta.warnings.append(problem(shown, "", REMOVED.format(removed), severity="warning"))
    dateline = None
    if paragraphs:
        dateline, rest = find_dateline(paragraphs[0])
        if dateline is not None:
            paragraphs[0] = rest
            body_html = body_html.replace(html.escape(dateline.raw, quote=False) + " ", "", 1)
    return Parsed(meta, layout, dateline, paragraphs, body_html, list(layout.changes))


_READERS_BY_KIND: dict[str, Reader] = {"text": read_text, "markdown": read_markdown}
#: The reader of each article suffix (see :mod:`feedtool.article_files`).
READERS: dict[str, Reader] = {
    suffix: _READERS_BY_KIND[kind] for suffix, kind in ARTICLE_KINDS.items()
}


_MAGIC = (
    b"\x89PNG",
    b"%PDF",
    b"\xff\xd8\xff",
    b"GIF8",
    b"PK\x03\x04",
    b"\x7fELF",
    b"RIFF",
    b"\x1f\x8b",
    b"BM",
    b"II*\x00",
    b"MM\x00*",
    b"\xd0\xcf\x11\xe0",
)


_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
# Checked as UTF-8 bytes, with ``bytes.translate`` rather than a regex over the text (a
# few times faster; this runs twice for every article read): deleting every byte but
# the control characters leaves those (and beyond_ascii() the non-ASCII rest).
_NOT_CONTROL = bytes(b for b in range(256) if _CONTROLS.match(chr(b)) is None)


def _has_controls(text: str) -> bool:
    """Whether ``text`` holds a character :data:`_CONTROLS` finds."""
    return bool(text.encode("utf-8", "surrogatepass").translate(None, _NOT_CONTROL))


def _has_illegal(text: str) -> bool:
    """Whether ``text`` holds a character :data:`~feedtool.chars.FORBIDDEN` finds."""
    return holds_forbidden(text)


def _looks_binary(text: str) -> bool:
    sample = text[:8192]
    if not sample or not _has_controls(sample):  # the usual case: none at all
        return False
    return len(_CONTROLS.findall(sample)) / len(sample) > 0.1


def _decode(data: bytes, shown: str, warnings: list[Problem]) -> str | None:
    """Text of ``data``: BOM-marked UTF-8/16, UTF-8, else Windows-1252; None if binary."""
    if data.startswith(_MAGIC):
        return None
    text = _decode_text(data, shown, warnings)
    if text is None or _looks_binary(text):
        return None
    return text


def _guess_encoding(data: bytes) -> tuple[str, str]:
    """Decode non-UTF-8 bytes: charset-normalizer's best guess, else Windows-1252."""
    # Imported here: 4 ms (python -X importtime) in every process that reads, which
    # UTF-8 files (nearly all) never need.
    from charset_normalizer import from_bytes

    best = from_bytes(data[:200_000]).best()
    if best is not None and best.encoding not in ("utf_8", "ascii"):
        try:
            return _ENCODING_NAMES.get(best.encoding, best.encoding), data.decode(best.encoding)
        except (UnicodeDecodeError, LookupError):
            pass
    return "Windows-1252 (Latin-1)", data.decode("cp1252", errors="replace")


_ENCODING_NAMES = {
    "cp1252": "Windows-1252 (Latin-1)",
    "latin_1": "ISO-8859-1 (Latin-1)",
    "iso8859_15": "ISO-8859-15 (Latin-9)",
    "cp1250": "Windows-1250 (Central European)",
    "cp1251": "Windows-1251 (Cyrillic)",
    "cp1256": "Windows-1256 (Arabic)",
}


def _decode_text(data: bytes, shown: str, warnings: list[Problem]) -> str | None:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    encoding, text = _guess_encoding(data)
    warnings.append(
        problem(
            shown,
            "",
            f"not UTF-8; read as {encoding}",
            hint="save the file as UTF-8",
            severity="warning",
        )
    )
    return text


def _read_text(data: bytes, shown: str, warnings: list[Problem]) -> str | None:
    """A file's text: ``data`` decoded (:func:`_decode`) and normalised
    (:func:`_normalise`); None if binary."""
    if not data.startswith(_MAGIC) and not data.startswith(b"\xef\xbb\xbf"):
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            if not utf8_holds_forbidden(data):
                # Nearly every file: UTF-8 with no character to remove, so with no control
                # character either (not binary). Its bytes are looked at as read, where
                # _decode and _normalise encode the text again, twice: 18 -> 12 µs an
                # article (best of 9, 2,000 articles of the synthetic corpus).
                return _normalise(text, shown, warnings, checked=True)
    decoded = _decode(data, shown, warnings)
    return None if decoded is None else _normalise(decoded, shown, warnings)


def _normalise(text: str, shown: str, warnings: list[Problem], *, checked: bool = False) -> str:
    """``text`` with ``\\n`` line ends, without characters :data:`FORBIDDEN` finds (a
    warning says how many went), in Unicode NFC. ``checked``: it holds none of them."""
    if "\r" in text:  # one quick search; the replacements each copy the text
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not checked and _has_illegal(text):
        text, removed = FORBIDDEN.subn("", text)
        warnings.append(
            problem(
                shown,
                "",
                REMOVED.format(removed),
                severity="warning",
            )
        )
    return unicodedata.normalize("NFC", text)


def _summary(paragraphs: list[str], limit: int) -> str:
    text = " ".join(paragraphs[:2]) if paragraphs else ""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0]
    return cut.rstrip(",;:–—- ") + "…"


def entry_id(authority: str, rel_path: str) -> str:
    """``tag:AUTHORITY:PATH`` (RFC 4151) from the file's path in the content folder."""
    stem = rel_path.rsplit(".", 1)[0] if "." in rel_path.rsplit("/", 1)[-1] else rel_path
    return f"tag:{authority}:{quote(stem, safe='/-._~')}"


def read_article(
    path: Path, cfg: Config, warnings: list[Problem], base: Path | None = None
) -> Article:
    """Read one article; raise :class:`SourceError` naming the file on any problem.

    ``base`` is the folder the article's identity (slug, id) is relative to:
    the content folder, or the article's own folder for a file outside it.
    """
    shown = display_path(path, cfg.root)
    # A file found under its folder (the usual case) is seen to be there in its path's
    # text, with what relative_to gives cut from it: 4.2 -> 0.4 µs an article (best of 9,
    # 2,000 articles of the synthetic corpus).
    under = base if base is not None else cfg.content_dir
    rel_path = _relative(path, under)
    if rel_path is not None:
        base = under
    else:
        if base is None:
            inside = path.is_relative_to(cfg.content_dir) or path.resolve().is_relative_to(
                cfg.content_dir
            )
            base = cfg.content_dir if inside else path.parent
        try:
            rel_path = path.relative_to(base).as_posix()  # lexical: files found under base
        except ValueError:
            rel_path = path.resolve().relative_to(base.resolve()).as_posix()
    errors: list[Problem] = []
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SourceError(
            [problem(shown, "", f"cannot read file: {exc.strerror or exc}")]
        ) from None
    sidecar_result = None
    sidecar_bytes = b""
    reader = READERS[path.suffix.lower()]
    for name in sidecar_paths(str(path)):
        sidecar = Path(name)
        if sidecar.is_file():
            sidecar_bytes = sidecar.read_bytes()
            side_shown = display_path(sidecar, cfg.root)
            side_text = _read_text(sidecar_bytes, side_shown, warnings)
            if side_text is None:
                raise SourceError([problem(side_shown, "", "binary file, expected YAML")])
            sidecar_result = parse_meta(side_text, side_shown)
            break
    text = _read_text(data, shown, warnings)
    if text is None:
        raise SourceError(
            [
                problem(
                    shown,
                    "",
                    "looks like a binary file, not text",
                    hint=f"only text articles ({', '.join(sorted(READERS))}) belong here",
                )
            ]
        )
    opts = read_options(cfg)
    parsed = reader(text, shown, sidecar_result, opts)
    meta, marks, meta_shown = parsed.meta.meta, parsed.meta.marks, parsed.meta.shown or shown
    errors.extend(parsed.meta.problems)
    warnings.extend(parsed.meta.warnings)
    if not parsed.paragraphs and not (meta.title or parsed.layout.headline):
        errors.append(
            problem(
                shown, "", "the article is empty", hint="remove the file or write the story in it"
            )
        )
        raise SourceError(errors)

    for line_text, reason in parsed.layout.impossible_dates:
        errors.append(
            problem(
                shown,
                "date",
                f"no such date: {line_text!r} ({reason})",
                line=_line_of(text, line_text),
                hint="correct the date line, or set `date:` in a sidecar or front matter",
            )
        )
    dates = _dates(path, shown, parsed, cfg, errors, warnings, text)
    folder = _folder_defaults(path, rel_path, base, cfg, opts)
    source = (
        meta.source
        or parsed.layout.source
        or _agency_source(parsed.dateline, opts.agencies)
        or (folder.source if folder else None)
        or cfg.articles.source
    )
    license_ = None
    unknown_change = False
    if meta.license is not None:
        license_ = parse_license(meta.license)
        if license_ is None:
            line, column = marks.get("license", (None, None))
            errors.append(
                problem(
                    meta_shown,
                    "license",
                    f"license not recognised: {meta.license!r}",
                    line=line,
                    column=column,
                    hint="write a Creative Commons code such as `CC BY 4.0`, "
                    "its deed URL, `CC0` or `public domain`",
                )
            )
    elif parsed.layout.license is not None:
        license_ = parsed.layout.license
    elif folder is not None and folder.license is not None:
        license_ = parse_license(folder.license)  # checked when the config was loaded
    elif source is not None and dates is not None:
        # The license the outlet publishes its own copy under (data/outlets.yaml). An
        # article with no date of its own (dated by its commit, or not at all) is only
        # known to be from before its commit: an outlet's license that changed since
        # cannot be chosen.
        own_date = dates[2] not in ("git", "fallback")
        latest = datetime.max.replace(tzinfo=UTC) if dates[2] == "fallback" else dates[0]
        license_ = outlet_license(source, latest, dated=own_date)
        named = None if license_ is not None else latest_year_named(text)
        if named is not None:
            # Undated, but the text names years: taken to be from the years around the
            # latest one named (see docs/articles.md, "Undated copy of an outlet whose
            # license changed").
            since = date(named - _YEARS_BEFORE, 1, 1)
            until = min(date(named + _YEARS_AFTER, 12, 31), latest.date())
            license_ = outlet_license_within(source, since, until)
            if license_ is not None:
                parsed.changes.append(
                    f"took the license {source} published under in {since.year}–{until.year}: "
                    f"the latest year the text names is {named}"
                )
        elif license_ is not None:
            parsed.changes.append(f"took the license {source} publishes under")
        if license_ is None and outlet_license(source) is not None:
            unknown_change = True
            warnings.append(
                problem(
                    shown,
                    "license",
                    f"{source} changed its license over the years, and the article states "
                    "no date: its license is unknown",
                    hint="add `license:` (or `date:`) to the front matter or a sidecar",
                    severity="warning",
                )
            )
    if license_ is None and meta.license is None and not unknown_change:
        warnings.append(
            problem(
                shown,
                "license",
                "no license found; the page cannot credit one",
                hint="add `license: CC BY 4.0` (or the license that applies), or set "
                "`articles.folders` in config.yaml",
                severity="warning",
            )
        )
    if errors or dates is None:
        raise SourceError(errors)
    published, updated, date_from = dates
    title = meta.title or parsed.layout.headline
    changes = list(parsed.changes)
    paragraphs = list(parsed.paragraphs)
    body_html = parsed.body_html
    title_derived = title is None
    if title is None:
        lead = paragraphs[0] if paragraphs else ""
        title = derive_title(lead) or path.stem
        changes.insert(0, "derived the title from the lead sentence")
    elif paragraphs and len(paragraphs) > 1 and _same_words(paragraphs[0], title):
        # The headline printed again as the story's first line: shown once.
        first = paragraphs.pop(0)
        body_html = body_html.replace(f"<p>{html.escape(first)}</p>\n", "", 1)
    slug_source = meta.slug or path.stem
    slug = (
        slugify(slug_source) or slugify(title) or hashlib.sha256(rel_path.encode()).hexdigest()[:12]
    )
    if source is None:
        warnings.append(
            problem(
                shown,
                "source",
                "no source found; the attribution can credit no outlet",
                hint="add `source:` to the front matter, or set `articles.source` or "
                "`articles.folders` in config.yaml",
                severity="warning",
            )
        )
    return Article(
        path=shown,
        rel_path=rel_path,
        slug=slug,
        title=" ".join(title.split()),
        title_derived=title_derived,
        dateline=meta.dateline or (parsed.dateline.place if parsed.dateline else None),
        published=published,
        updated=updated,
        date_derived=date_from == "fallback",
        date_from="git" if date_from == "git" else "",
        source=source,
        source_url=meta.source_url,
        author=meta.author or parsed.layout.author,
        license=license_,
        summary=meta.summary or _summary(paragraphs, cfg.feeds.summary_length),
        body_html=body_html,
        paragraphs=tuple(paragraphs),
        entry_id=meta.id or entry_id(cfg.id_authority, rel_path),
        manual_topics=meta.topics,
        manual_regions=meta.regions,
        content_hash=hashlib.sha256(
            data + b"\0" + sidecar_bytes + b"\0" + history.stamp(path)
        ).hexdigest(),
        changes=tuple(changes),
    )


def _relative(path: Path, folder: Path) -> str | None:
    """What ``path.relative_to(folder).as_posix()`` gives when ``path``'s text starts with
    ``folder``'s (else None: perhaps inside all the same, compared part by part)."""
    text, prefix = str(path), str(folder)
    if not prefix.endswith(os.sep):
        prefix += os.sep
    if len(text) == len(prefix) or not text.startswith(prefix):
        return None
    return text[len(prefix) :].replace(os.sep, "/")


def read_options(cfg: Config) -> ReadOptions:
    """The readers' options for ``cfg``: its time zone, agency table and folders."""
    return _options(
        cfg.articles.timezone,
        tuple(cfg.articles.agencies.items()),
        tuple(cfg.articles.folders.items()),
    )


@functools.lru_cache(maxsize=8)
def _options(
    timezone: str,
    agencies: tuple[tuple[str, str], ...],
    folders: tuple[tuple[str, FolderDefaults], ...],
) -> ReadOptions:
    # Made once per configuration, not once per article: the table is a few dozen names.
    return ReadOptions(
        ZoneInfo(timezone),
        AgencyTable(known_agencies(dict(agencies))),
        {tuple(p for p in name.replace("\\", "/").split("/") if p): d for name, d in folders},
    )


def _line_of(text: str, wanted: str) -> int | None:
    """The 1-based number of the first line of ``text`` that reads ``wanted``."""
    target = " ".join(wanted.split())
    for number, line in enumerate(text.splitlines(), start=1):
        if target and target in " ".join(line.split()):
            return number
    return None


def _folder_defaults(
    path: Path, rel_path: str, base: Path, cfg: Config, opts: ReadOptions
) -> FolderDefaults | None:
    """``articles.folders``' defaults for an article (folders of the content folder)."""
    if not opts.folders:
        return None
    if base != cfg.content_dir:  # a file named on the command line: is it in the content folder?
        try:
            rel_path = path.resolve().relative_to(cfg.content_dir).as_posix()
        except ValueError:
            return None
    return opts.folder_defaults(rel_path)


# An undated article whose text names years is taken to be from between this many years
# before the latest year it names and this many after (docs/articles.md: in the labelled
# copy, the article's own year lies within this window of the latest year named for 25
# of the 31 dated articles of the dev split that name a year).
_YEARS_BEFORE = 3
_YEARS_AFTER = 2
_WORD = re.compile(r"\w+")


def _same_words(a: str, b: str) -> bool:
    """Whether ``a`` and ``b`` are the same words (case and punctuation aside); stops at
    the first that differs, as a story's first paragraph and its title mostly do."""
    pairs = itertools.zip_longest(_WORD.finditer(a.casefold()), _WORD.finditer(b.casefold()))
    return all(x is not None and y is not None and x[0] == y[0] for x, y in pairs)


def _agency_source(dateline: Dateline | None, agencies: Mapping[str, str]) -> str | None:
    if dateline is None or not dateline.agency:
        return None
    return agency_name(dateline.agency, agencies)


def _dates(
    path: Path,
    shown: str,
    parsed: Parsed,
    cfg: Config,
    errors: list[Problem],
    warnings: list[Problem],
    text: str = "",
) -> tuple[datetime, datetime, str] | None:
    """``(published, updated, where from)``: from the metadata, else the text (a date
    line, or the dateline's date with its year resolved), else a ``YYYY-MM-DD-`` file
    name prefix (all ``""``), else the file's commits (``"git"``), else
    ``articles.undated`` (``"fallback"``, with a warning). None when the metadata's
    dates are wrong (``errors``)."""
    meta, marks = parsed.meta.meta, parsed.meta.marks
    meta_shown = parsed.meta.shown or shown
    published = parse_date(meta.date, cfg.tz)
    if meta.date is not None and published is None:
        errors.append(date_problem(meta_shown, "date", meta.date, marks.get("date")))
    updated = parse_date(meta.updated, cfg.tz)
    if meta.updated is not None and updated is None:
        errors.append(date_problem(meta_shown, "updated", meta.updated, marks.get("updated")))
    if errors:
        return None
    layout = parsed.layout
    commits = history.committed(path)
    from_name = None
    m = _DATE_PREFIX.match(path.name)
    if m:
        try:
            from_name = datetime.combine(
                datetime.fromisoformat(m.group(1)).date(), time(0, 0), tzinfo=cfg.tz
            )
        except ValueError as exc:
            from_name = None
            warnings.append(
                problem(
                    shown,
                    "date",
                    f"the file name's date {m.group(1)} is no such date ({exc}); not used",
                    hint="rename the file with a real date, e.g. 2026-02-28-story.txt",
                    severity="warning",
                )
            )
    if published is None and layout.published is not None and layout.published.year:
        published = layout.published.value
    if updated is None and layout.updated is not None and layout.updated.year:
        updated = layout.updated.value
    dateline_date = parsed.dateline.date if parsed.dateline else None
    if published is None and dateline_date:
        found = parse_written_date(dateline_date, cfg.tz)
        reason = impossible_date_line(dateline_date) if found is None else None
        if reason is not None:
            errors.append(
                problem(
                    shown,
                    "dateline",
                    f"no such date in the dateline: {dateline_date!r} ({reason})",
                    line=_line_of(text, parsed.dateline.raw) if parsed.dateline else None,
                    hint="correct the dateline's date, or set `date:` in a sidecar or front matter",
                )
            )
        if found is not None and found.year:
            published = found.value
        elif found is not None:
            reference = updated or from_name or (commits[0] if commits else None)
            if reference is not None:
                published = resolve_year(found, reference.date())
            else:
                warnings.append(
                    problem(
                        shown,
                        "date",
                        f"the dateline's date {dateline_date!r} has no year, and nothing "
                        "else dates the article",
                        hint="add `date:` to the front matter or a sidecar, or commit the "
                        "file to git (its commit date resolves the year)",
                        severity="warning",
                    )
                )
    if published is None and from_name is not None:
        published = from_name
    derived = ""
    if published is None and commits is not None:
        published, last = commits
        updated = updated or last
        derived = "git"
    if published is None:
        published = cfg.undated
        derived = "fallback"
        why = (
            "the content folder is a shallow git clone, so commit dates are not read"
            if history.is_shallow(cfg.content_dir)
            else "not committed to git"
        )
        warnings.append(
            problem(
                shown,
                "date",
                f"no date in the metadata, text or file name, and {why}; "
                f"using {cfg.articles.undated} (articles.undated)",
                hint="add `date:` to the front matter or a sidecar "
                f"{path.with_suffix('.yaml').name}, or commit the file",
                severity="warning",
            )
        )
    if updated is None or updated < published:
        updated = published
    return published, updated, derived


def find_article_files(content_dir: Path, warnings: list[Problem], root: Path) -> list[Path]:
    """Article files under ``content_dir`` in name order; hidden files and links out skipped."""
    found: list[Path] = []
    content_real = content_dir.resolve()
    for dirpath, dirnames, filenames in os.walk(content_dir, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if name.startswith("."):
                continue
            path = Path(dirpath) / name
            if path.suffix.lower() not in READERS:
                continue
            if path.is_symlink():
                try:
                    target = path.resolve(strict=True)
                except (OSError, RuntimeError):
                    warnings.append(
                        problem(
                            display_path(path, root),
                            "",
                            "broken symbolic link skipped",
                            severity="warning",
                        )
                    )
                    continue
                if not target.is_relative_to(content_real):
                    warnings.append(
                        problem(
                            display_path(path, root),
                            "",
                            "symbolic link out of the content folder not followed",
                            severity="warning",
                        )
                    )
                    continue
            found.append(path)
    return sorted(found, key=lambda p: p.relative_to(content_dir).as_posix())


def read_articles(cfg: Config) -> tuple[list[Article], list[Problem]]:
    """Every article in the content folder, and the warnings met; errors raise together."""
    warnings: list[Problem] = []
    require_content_dir(cfg)
    history.load(cfg.content_dir)
    errors: list[Problem] = []
    articles: list[Article] = []
    for path in find_article_files(cfg.content_dir, warnings, cfg.root):
        try:
            articles.append(read_article(path, cfg, warnings))
        except SourceError as exc:
            errors.extend(exc.problems)
    errors.extend(duplicate_problems(articles))
    if errors:
        raise SourceError(errors)
    return articles, warnings
