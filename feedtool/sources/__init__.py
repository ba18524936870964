"""Reading articles: the only stage that reads input files.

:func:`read_articles` walks the content folder in name order, reads each
article with the reader registered for its suffix (``READERS``), and returns
frozen :class:`~feedtool.model.Article` values. Problems are collected for all
files and raised together as one :class:`~feedtool.errors.SourceError`; warnings
are returned beside the articles.
"""

from __future__ import annotations

import hashlib
import html
import os
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, time
from pathlib import Path
from urllib.parse import quote

from feedtool.config import Config, require_content_dir
from feedtool.errors import Problem, SourceError, display_path, problem
from feedtool.model import Article, License, duplicate_problems
from feedtool.sources.licenses import find_footer, parse_license
from feedtool.sources.markdown import beyond_ascii, parse_markdown, split_front_matter
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
    looks_like_headline,
    regroup,
    split_paragraphs,
)
from feedtool.tagging.slug import slugify

__all__ = ["READERS", "Parsed", "read_article", "read_articles"]

# XML 1.0 forbids these; they are removed with a warning.
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_DATE_PREFIX = re.compile(r"^(\d{4}-\d{2}-\d{2})[-_]")


@dataclass
class Parsed:
    """What a reader found in one file, before config is applied."""

    meta: MetaResult
    headline: str | None
    dateline: Dateline | None
    paragraphs: list[str]
    body_html: str
    footer: tuple[License, str | None] | None
    changes: list[str] = field(default_factory=list)


Reader = Callable[[str, str, MetaResult | None], Parsed]


def _strip_footer(paragraphs: list[str]) -> tuple[list[str], tuple[License, str | None] | None]:
    if paragraphs:
        found = find_footer(paragraphs[-1])
        if found:
            return paragraphs[:-1], found
    return paragraphs, None


def read_text(text: str, shown: str, sidecar: MetaResult | None) -> Parsed:
    """Wire copy: headline, dateline, paragraphs and license footer recovered from plain text."""
    meta = sidecar or MetaResult(Meta(), {}, [], shown)
    raw = split_paragraphs(text)
    changes: list[str] = []
    paragraphs, footer = _strip_footer(raw)
    if footer:
        changes.append("moved the license notice into the attribution")
    headline = None
    if paragraphs and looks_like_headline(paragraphs[0], len(paragraphs) - 1):
        headline = paragraphs.pop(0)
    dateline = None
    if paragraphs:
        dateline, rest = find_dateline(paragraphs[0])
        paragraphs[0] = rest
    regrouped = [piece for p in paragraphs for piece in regroup(p)]
    if len(regrouped) != len(paragraphs) or "\n" not in text.strip():
        changes.append("restored paragraph breaks")
    parts = []
    for i, p in enumerate(regrouped):
        if i == 0 and dateline:
            parts.append(
                f'<p><span class="dateline">{html.escape(dateline.raw)}</span> {html.escape(p)}</p>'
            )
        else:
            parts.append(f"<p>{html.escape(p)}</p>")
    return Parsed(meta, headline, dateline, regrouped, "\n".join(parts), footer, changes)


def read_markdown(text: str, shown: str, sidecar: MetaResult | None) -> Parsed:
    """Markdown with optional YAML front matter."""
    doc = split_front_matter(text)
    if doc.unclosed:
        meta = MetaResult(Meta(), {}, [unclosed_problem(shown)], shown)
    elif doc.front_matter is not None:
        meta = parse_meta(doc.front_matter, shown, line_offset=doc.front_matter_line)
    else:
        meta = sidecar or MetaResult(Meta(), {}, [], shown)
    blocks = [b for b in re.split(r"\n[ \t]*\n", doc.body.strip()) if b.strip()]
    footer = find_footer(" ".join(blocks[-1].split())) if blocks else None
    changes: list[str] = []
    if footer:
        blocks = blocks[:-1]
        changes.append("moved the license notice into the attribution")
    body = "\n\n".join(blocks)
    body_html, paragraphs = parse_markdown(body)
    dateline = None
    if paragraphs:
        dateline, rest = find_dateline(paragraphs[0])
        paragraphs[0] = rest
    return Parsed(meta, None, dateline, paragraphs, body_html, footer, changes)


READERS: dict[str, Reader] = {".txt": read_text, ".md": read_markdown, ".markdown": read_markdown}
SIDECAR_SUFFIXES = (".yaml", ".yml")


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
    """Whether ``text`` holds a character :data:`_ILLEGAL` finds."""
    data = text.encode("utf-8", "surrogatepass")
    if data.translate(None, _NOT_CONTROL):
        return True
    if text.isascii():
        return False
    # The other illegal characters are not ASCII: look among those only.
    return _ILLEGAL.search(beyond_ascii(data)) is not None


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


def _normalise(text: str, shown: str, warnings: list[Problem]) -> str:
    if "\r" in text:  # one quick search; the replacements each copy the text
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    found = _ILLEGAL.findall(text) if _has_illegal(text) else []
    if found:
        text = _ILLEGAL.sub("", text)
        warnings.append(
            problem(
                shown,
                "",
                f"removed {len(found)} control character(s) not allowed in XML",
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
    if reader is read_text:
        for suffix in SIDECAR_SUFFIXES:
            sidecar = path.with_suffix(suffix)
            if sidecar.is_file():
                sidecar_bytes = sidecar.read_bytes()
                side_shown = display_path(sidecar, cfg.root)
                side_text = _decode(sidecar_bytes, side_shown, warnings)
                if side_text is None:
                    raise SourceError([problem(side_shown, "", "binary file, expected YAML")])
                sidecar_result = parse_meta(_normalise(side_text, side_shown, warnings), side_shown)
                break
    text = _decode(data, shown, warnings)
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
    text = _normalise(text, shown, warnings)
    parsed = reader(text, shown, sidecar_result)
    meta, marks, meta_shown = parsed.meta.meta, parsed.meta.marks, parsed.meta.shown or shown
    errors.extend(parsed.meta.problems)
    warnings.extend(parsed.meta.warnings)
    if not parsed.paragraphs and not (meta.title or parsed.headline):
        errors.append(
            problem(
                shown, "", "the article is empty", hint="remove the file or write the story in it"
            )
        )
        raise SourceError(errors)

    # Dates: metadata, else a YYYY-MM-DD- file name prefix, else the configured fallback.
    published = parse_date(meta.date, cfg.tz)
    if meta.date is not None and published is None:
        errors.append(date_problem(meta_shown, "date", meta.date, marks.get("date")))
    updated = parse_date(meta.updated, cfg.tz)
    if meta.updated is not None and updated is None:
        errors.append(date_problem(meta_shown, "updated", meta.updated, marks.get("updated")))
    date_derived = False
    if published is None and meta.date is None:
        m = _DATE_PREFIX.match(path.name)
        if m:
            try:
                published = datetime.combine(
                    datetime.fromisoformat(m.group(1)).date(), time(0, 0), tzinfo=cfg.tz
                )
            except ValueError:
                published = None
        if published is None:
            published = cfg.undated
            date_derived = True
            warnings.append(
                problem(
                    shown,
                    "date",
                    f"no date; using {cfg.articles.undated} (articles.undated)",
                    hint="add `date:` to the front matter or a sidecar "
                    f"{path.with_suffix('.yaml').name}",
                    severity="warning",
                )
            )
    license_ = None
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
    elif parsed.footer:
        license_ = parsed.footer[0]
    if license_ is None and meta.license is None:
        warnings.append(
            problem(
                shown,
                "license",
                "no license found; the page cannot credit one",
                hint="add `license: CC BY 4.0` (or the license that applies)",
                severity="warning",
            )
        )
    if errors:
        raise SourceError(errors)
    assert published is not None
    lead = parsed.paragraphs[0] if parsed.paragraphs else ""
    title = meta.title or parsed.headline
    changes = list(parsed.changes)
    title_derived = title is None
    if title is None:
        title = derive_title(lead) or path.stem
        changes.insert(0, "derived the title from the lead sentence")
    slug_source = meta.slug or path.stem
    slug = (
        slugify(slug_source) or slugify(title) or hashlib.sha256(rel_path.encode()).hexdigest()[:12]
    )
    source = meta.source or (parsed.footer[1] if parsed.footer else None)
    return Article(
        path=shown,
        rel_path=rel_path,
        slug=slug,
        title=" ".join(title.split()),
        title_derived=title_derived,
        dateline=meta.dateline or (parsed.dateline.place if parsed.dateline else None),
        published=published,
        updated=max(updated, published) if updated else published,
        date_derived=date_derived,
        source=source,
        source_url=meta.source_url,
        author=meta.author,
        license=license_,
        summary=meta.summary or _summary(parsed.paragraphs, cfg.feeds.summary_length),
        body_html=parsed.body_html,
        paragraphs=tuple(parsed.paragraphs),
        entry_id=meta.id or entry_id(cfg.id_authority, rel_path),
        manual_topics=meta.topics,
        manual_regions=meta.regions,
        content_hash=hashlib.sha256(data + b"\0" + sidecar_bytes).hexdigest(),
        changes=tuple(changes),
    )


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
