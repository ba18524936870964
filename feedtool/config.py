"""The project configuration (``config.yaml``): a typed, frozen schema and its loader.

:func:`load_config` validates everything before anything is built and reports
every problem at once as ``config.yaml:LINE:COL: key: message`` with a hint.
Relative paths resolve against the config file's folder.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import os
import re
import typing
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from feedtool.errors import ConfigError, Problem, SourceError, display_path, problem
from feedtool.schema import Loader, compose, impossible_date
from feedtool.tagging.regions import RegionSettings
from feedtool.tagging.topics import TopicSettings, bad_topic_ids, load_vocabulary
from feedtool.taxonomy import FIELD_SOURCES, TAGGER_SOURCES

CONFIG_NAMES = ("config.yaml", "config.yml")


@dataclass(frozen=True)
class SiteConfig:
    """Who publishes the site and where it lives."""

    base_url: str = field(
        metadata={"help": "Absolute URL the site is published at, e.g. https://news.example.org/"}
    )
    title: str = field(default="feedtool", metadata={"help": "Site title, in pages and feeds."})
    description: str = field(default="", metadata={"help": "One-line description of the site."})
    language: str = field(
        default="en",
        metadata={"help": "BCP 47 language tag of the site; dates are written its way."},
    )
    publisher: str = field(
        default="", metadata={"help": "Who runs this site (shown in the footer and feeds)."}
    )


@dataclass(frozen=True)
class PathsConfig:
    """Folders, relative to the config file."""

    content: str = field(default="seeds", metadata={"help": "Folder of articles to read."})
    output: str = field(default="site", metadata={"help": "Folder the site is written to."})
    templates: str = field(
        default="templates", metadata={"help": "Folder of templates overriding the built-in ones."}
    )


#: The names ``feeds.formats`` accepts (each a ``render.urls.FORMATS`` entry).
FEED_FORMATS = ("atom", "rss", "json")


@dataclass(frozen=True)
class FeedsConfig:
    """Feed options."""

    limit: int = field(
        default=50,
        metadata={
            "help": "Newest entries per feed (at least 1); also the size of each archive page."
        },
    )
    formats: tuple[str, ...] = field(
        default=("atom",),
        metadata={
            "help": "Formats each feed is written in: `atom` (`atom.xml`, always on: entry "
            "ids and the archive chain are Atom's), `rss` (RSS 2.0, `rss.xml`), `json` "
            "(JSON Feed 1.1, `feed.json`). Atom alone by default: every feed reader reads "
            "it, and each extra format adds as many files again."
        },
    )
    archives: bool = field(
        default=False,
        metadata={
            "help": "Write RFC 5005 archives: every article of each feed in pages of "
            "`limit` entries, oldest first, linked from the feed (`prev-archive`), so a "
            "reader can fetch a feed's whole history. A full page never changes. Off by "
            "default: every article is then written once more per feed that lists it (at "
            "10,000 articles the site grows from 345 MB to 890 MB)."
        },
    )
    topics: bool = field(default=True, metadata={"help": "Write a feed per topic."})
    regions: bool = field(default=True, metadata={"help": "Write a feed per region."})
    id_authority: str = field(
        default="",
        metadata={
            "help": "Tagging authority for entry ids, `host,YYYY` (RFC 4151), e.g. "
            "`news.example.org,2026`. Empty: the base_url host with year 2026. Set it once "
            "and keep it: changing it changes every entry id."
        },
    )
    summary_length: int = field(
        default=280, metadata={"help": "Characters of a derived summary (no summary given)."}
    )


@dataclass(frozen=True)
class FolderDefaults:
    """What the articles of one folder share, when they do not say it themselves."""

    source: str | None = field(
        default=None,
        metadata={"help": "Outlet credited for the folder's articles that name none."},
    )
    license: str | None = field(
        default=None,
        metadata={
            "help": "License of the folder's articles that state none, e.g. `CC BY 4.0`, "
            "a deed URL, `CC0` or `public domain`."
        },
    )


@dataclass(frozen=True)
class ArticlesConfig:
    """How articles are read."""

    timezone: str = field(
        default="UTC",
        metadata={"help": "IANA zone for dates written without an offset, e.g. Asia/Tehran."},
    )
    undated: str = field(
        default="2000-01-01T00:00:00+00:00",
        metadata={
            "help": "Date given (with a warning) to an article that has none anywhere: not in "
            "its metadata, its text or its file name, and not committed to git (a committed "
            "file is dated by its commits). Never the clock or the file's mtime, so every "
            "build agrees."
        },
    )
    source: str | None = field(
        default=None,
        metadata={
            "help": "Outlet credited for articles that name none (no `source:`, footer, byline "
            "outlet or agency code), e.g. the newsroom's own name."
        },
    )
    agencies: dict[str, str] = field(
        default_factory=dict,
        metadata={
            "help": "Agency codes of datelines and the outlets they stand for, added to the "
            "shipped table (`MNA: Mehr News Agency`, `AP: Associated Press`, …)."
        },
    )
    folders: dict[str, FolderDefaults] = field(
        default_factory=dict,
        metadata={
            "help": "Defaults per folder of the content folder, for copy that names no "
            "outlet or license: `wikinews: {source: Wikinews, license: CC BY 2.5}`. A "
            "folder's defaults apply to its subfolders too (the deepest one wins); what an "
            "article says itself (front matter, footer, dateline) comes first."
        },
    )


@dataclass(frozen=True)
class PagesConfig:
    """The HTML pages."""

    per_page: int = field(
        default=20,
        metadata={"help": "Articles per page of the index, topic, region and archive lists."},
    )
    search: bool = field(
        default=False,
        metadata={
            "help": "Run Pagefind after the build to add full-text search (needs the "
            "`search` extra: `pip install 'feedtool[search]'`). The site works without it."
        },
    )


# --- taxonomies ------------------------------------------------------------------------


@dataclass(frozen=True)
class TaxonomyConfig:
    """One taxonomy: where its terms come from, and its pages and feeds (``<name>/<slug>/``)."""

    tagger: str | None = dataclasses.field(
        default=None,
        metadata={
            "help": "Tagger whose tags are the terms: "
            + ", ".join(f"`{s}`" for s in TAGGER_SOURCES)
            + ". Give this or `field`."
        },
    )
    field: str | None = dataclasses.field(
        default=None,
        metadata={
            "help": "Article metadata field whose values are the terms: "
            + ", ".join(f"`{s}`" for s in FIELD_SOURCES)
            + " (a byline of several names gives a term per name). Give this or `tagger`."
        },
    )
    label: str = dataclasses.field(
        default="", metadata={"help": "Heading of its pages (default: the name, capitalised)."}
    )
    singular: str = dataclasses.field(
        default="",
        metadata={
            "help": "One term's kind in running text and search filters, e.g. `topic` "
            "(default: the name without a final s)."
        },
    )
    enabled: bool = dataclasses.field(
        default=True, metadata={"help": "false: no pages, feeds or links for this taxonomy."}
    )
    feeds: bool = dataclasses.field(default=True, metadata={"help": "Write an Atom feed per term."})
    about: str = dataclasses.field(
        default="News about {label}",
        metadata={
            "help": "How a term's page and feed describe it when it has no definition; "
            "`{label}` is the term's name."
        },
    )
    related: int = dataclasses.field(
        default=0,
        metadata={
            "help": "Weight of a shared main term when related articles and terms are chosen "
            "(0: the taxonomy is not used for them)."
        },
    )

    @property
    def source(self) -> str:
        """The term source (a tagger or a field name)."""
        return self.tagger or self.field or ""


#: The taxonomies of a project that configures none; a project's ``taxonomies:`` entries
#: change these (by name) or add new ones.
DEFAULT_TAXONOMIES: dict[str, TaxonomyConfig] = {
    "topics": TaxonomyConfig(tagger="topics", label="Topics", related=1),
    "regions": TaxonomyConfig(tagger="regions", label="Regions", related=2),
    "sources": TaxonomyConfig(field="source", label="Sources", about="News from {label}"),
    "authors": TaxonomyConfig(field="author", label="Authors", about="Articles by {label}"),
}

_NAME_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
#: Top-level paths of the site a taxonomy's name must not take.
_RESERVED_NAMES = frozenset({"articles", "archive", "feeds", "search", "page", "static"})


def _merged_taxonomies(
    given: dict[str, TaxonomyConfig],
    feeds: FeedsConfig,
    marks: dict[str, tuple[int, int]],
    bad: Callable[..., None],
) -> dict[str, TaxonomyConfig]:
    """The defaults with a project's ``taxonomies:`` entries applied, each checked.

    An entry naming a default taxonomy changes only the keys it gives (``authors:
    {enabled: false}``); ``feeds.topics`` and ``feeds.regions`` set the default of
    those taxonomies' ``feeds``.
    """
    defaults = dict(DEFAULT_TAXONOMIES)
    defaults["topics"] = dataclasses.replace(defaults["topics"], feeds=feeds.topics)
    defaults["regions"] = dataclasses.replace(defaults["regions"], feeds=feeds.regions)
    out = dict(defaults)
    for name, spec in given.items():
        key = f"taxonomies.{name}"
        base = defaults.get(name)
        if base is not None:
            changes = {
                f.name: getattr(spec, f.name)
                for f in dataclasses.fields(TaxonomyConfig)
                if f"{key}.{f.name}" in marks
            }
            if "tagger" in changes or "field" in changes:
                base = dataclasses.replace(base, tagger=None, field=None)
            spec = dataclasses.replace(base, **changes)
        elif not _NAME_RE.match(name) or name in _RESERVED_NAMES:
            bad(
                key,
                f"{name!r} cannot name a taxonomy (it is the first part of its pages' URLs)",
                hint="use lowercase letters, digits and hyphens, not "
                + ", ".join(sorted(_RESERVED_NAMES)),
            )
            continue
        if (spec.tagger is None) == (spec.field is None):
            bad(
                key,
                "give exactly one of `tagger` and `field`",
                hint=f"write `{name}: {{field: author}}` or `{name}: {{tagger: topics}}`",
            )
            continue
        if spec.tagger is not None and spec.tagger not in TAGGER_SOURCES:
            bad(
                f"{key}.tagger",
                f"unknown tagger {spec.tagger!r}",
                hint="known taggers: " + ", ".join(TAGGER_SOURCES),
            )
            continue
        if spec.field is not None and spec.field not in FIELD_SOURCES:
            bad(
                f"{key}.field",
                f"{spec.field!r} is no field that terms can come from",
                hint="known fields: " + ", ".join(FIELD_SOURCES),
            )
            continue
        if spec.related < 0:
            bad(f"{key}.related", f"must be 0 or more, got {spec.related}")
        try:
            spec.about.format(label="")
        except (KeyError, IndexError, ValueError):
            bad(
                f"{key}.about",
                f"only `{{label}}` can be filled in, got {spec.about!r}",
                hint="write e.g. `about: News about {label}`",
            )
        out[name] = spec
    seen: dict[str, str] = {}
    for name, spec in out.items():
        if not spec.enabled:
            continue
        if spec.source in seen:
            bad(
                f"taxonomies.{name}",
                f"takes its terms from {spec.source!r}, as {seen[spec.source]!r} does",
                hint="switch one off with `enabled: false`",
            )
        seen[spec.source] = name
    return {
        name: dataclasses.replace(
            spec,
            label=spec.label or name.capitalize(),
            singular=spec.singular or name.removesuffix("s"),
        )
        for name, spec in out.items()
    }


@dataclass(frozen=True)
class FollowConfig:
    """A followed feed written as a mapping: its URL and what to change in its items."""

    url: str = field(
        metadata={"help": "The feed or OPML list: an http(s) URL, or a path from the config file."}
    )
    source: str = field(
        default="",
        metadata={"help": "Outlet credited for its items (default: the feed's title)."},
    )
    license: str = field(
        default="",
        metadata={
            "help": "License the outlet's site states (`CC BY 4.0` or the deed's URL), for "
            "items whose feed states none, or states the same license without a version "
            "(`Creative Commons Attribution`). Any other license the feed states wins."
        },
    )
    folder: str = field(
        default="",
        metadata={"help": "Folder under `paths.content` its items are written to."},
    )
    topics: tuple[str, ...] = field(
        default=(), metadata={"help": "Topics added to each of its items (ids or labels)."}
    )
    regions: tuple[str, ...] = field(
        default=(),
        metadata={"help": "Regions added to each of its items (ISO codes, slugs or names)."},
    )


@dataclass(frozen=True)
class ImportConfig:
    """Feeds `feedtool import` follows (run with no arguments)."""

    follow: tuple[str | FollowConfig, ...] = field(
        default=(),
        metadata={
            "help": "Feeds imported by `feedtool import` with no arguments: each an http(s) "
            "URL or a path of an RSS/Atom feed or an OPML list, or a mapping with `url` and "
            "overrides (see `import.follow[]` below)."
        },
    )
    timeout: float = field(
        default=20.0, metadata={"help": "Seconds to wait for each feed URL (at least 1)."}
    )
    max_size: int = field(
        default=20, metadata={"help": "Largest feed read, in megabytes (at least 1)."}
    )

    @property
    def feeds(self) -> tuple[FollowConfig, ...]:
        """Every followed feed as a :class:`FollowConfig`."""
        return tuple(FollowConfig(f) if isinstance(f, str) else f for f in self.follow)


@dataclass(frozen=True)
class Config:
    """The whole configuration, as written in ``config.yaml``."""

    site: SiteConfig
    paths: PathsConfig = field(default_factory=PathsConfig)
    feeds: FeedsConfig = field(default_factory=FeedsConfig)
    articles: ArticlesConfig = field(default_factory=ArticlesConfig)
    pages: PagesConfig = field(
        default_factory=PagesConfig, metadata={"help": "HTML pages: pagination and search."}
    )
    topics: TopicSettings = field(
        default_factory=TopicSettings, metadata={"help": "Topic tagging (IPTC Media Topics)."}
    )
    regions: RegionSettings = field(
        default_factory=RegionSettings, metadata={"help": "Region tagging (places)."}
    )
    import_: ImportConfig = field(
        default_factory=ImportConfig, metadata={"key": "import", "help": "Followed feeds."}
    )
    taxonomies: dict[str, TaxonomyConfig] = field(
        default_factory=lambda: dict(DEFAULT_TAXONOMIES),
        metadata={
            "help": "Taxonomies, each with a page and a feed per term under `<name>/<slug>/`: "
            "`topics`, `regions`, `sources` (per outlet) and `authors` (per byline) unless "
            "changed here."
        },
    )
    #: The config file; paths resolve against its folder. Not a YAML key.
    path: Path = field(default=Path("config.yaml"), init=False, compare=False)
    #: sha256 of the validated configuration, for caches.
    fingerprint: str = field(default="", init=False, compare=False)
    #: Values repaired while loading (control characters removed), as warnings.
    warnings: tuple[Problem, ...] = field(default=(), init=False, compare=False, repr=False)

    @property
    def root(self) -> Path:
        """The project folder (the config file's folder)."""
        return self.path.parent

    @functools.cached_property
    def content_dir(self) -> Path:
        """Absolute folder of articles."""
        return (self.root / self.paths.content).resolve()

    @functools.cached_property
    def output_dir(self) -> Path:
        """Absolute folder the site is written to."""
        return (self.root / self.paths.output).resolve()

    @functools.cached_property
    def templates_dir(self) -> Path:
        """Absolute folder of template overrides (it may not exist)."""
        return (self.root / self.paths.templates).resolve()

    @property
    def base_url(self) -> str:
        """``site.base_url``, always ending in ``/``."""
        url = self.site.base_url
        return url if url.endswith("/") else url + "/"

    @property
    def tz(self) -> ZoneInfo:
        """The zone for dates without an offset."""
        return ZoneInfo(self.articles.timezone)

    @property
    def undated(self) -> datetime:
        """The date given to undated articles."""
        return datetime.fromisoformat(self.articles.undated)

    @property
    def enabled_taxonomies(self) -> dict[str, TaxonomyConfig]:
        """The taxonomies switched on, in order."""
        return {name: spec for name, spec in self.taxonomies.items() if spec.enabled}

    @functools.cached_property
    def id_authority(self) -> str:
        """The ``tag:`` URI authority for entry ids (looked up once per article)."""
        return self.feeds.id_authority or f"{urlsplit(self.base_url).hostname},2026"

    def replace(self, **changes: Any) -> Config:
        """A copy with ``changes`` applied to top-level fields (path and warnings kept)."""
        new = dataclasses.replace(self, **changes)
        object.__setattr__(new, "warnings", self.warnings)
        _place(new, self.path)
        return new

    def with_base_url(self, base_url: str) -> Config:
        """A copy published at ``base_url`` whose entry ids stay those of the file's config.

        An empty ``feeds.id_authority`` is derived from the configured ``base_url``; it is
        fixed here first, so that ``--base-url`` (a deploy URL) or ``serve`` (a local
        address) never changes an entry id.
        """
        feeds = self.feeds
        if not feeds.id_authority:
            feeds = dataclasses.replace(feeds, id_authority=self.id_authority)
        return self.replace(site=dataclasses.replace(self.site, base_url=base_url), feeds=feeds)


def find_config(explicit: Path | None = None, start: Path | None = None) -> Path:
    """The config file: ``explicit``, else $FEEDTOOL_CONFIG, else config.yaml here or above."""
    if explicit is None and os.environ.get("FEEDTOOL_CONFIG"):
        explicit = Path(os.environ["FEEDTOOL_CONFIG"])
    if explicit is not None:
        if explicit.is_dir():
            for name in CONFIG_NAMES:
                if (explicit / name).is_file():
                    return explicit / name
        elif explicit.is_file():
            return explicit
        raise ConfigError(
            [
                problem(
                    explicit,
                    "",
                    "config file not found",
                    hint="pass --config PATH to an existing config.yaml, or run `feedtool init`",
                )
            ]
        )
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        for name in CONFIG_NAMES:
            candidate = folder / name
            if candidate.is_file():
                return candidate
    raise ConfigError(
        [
            problem(
                here,
                "",
                f"no {' or '.join(CONFIG_NAMES)} in this folder or any folder above it",
                hint="run feedtool in a project folder, pass --config PATH, "
                "or create a project with `feedtool init`",
            )
        ]
    )


def load_config(path: Path | str) -> Config:
    """Read and validate ``path``; raise :class:`ConfigError` listing every problem."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ConfigError([problem(path, "", "config file not found")]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError([problem(path, "", f"cannot read config file: {exc}")]) from None
    return parse_config(text, path)


def parse_config(text: str, path: Path | str) -> Config:
    """Validate config ``text`` read from ``path``."""
    path = Path(path)
    shown = path.name if not path.is_absolute() else _shown(path)
    node, problems = compose(text, shown)
    if problems:
        raise ConfigError(problems)
    if node is None:
        raise ConfigError(
            [
                problem(
                    shown,
                    "site",
                    "the config file is empty",
                    hint="start with `site: {title: My news, base_url: https://example.org/}`",
                )
            ]
        )
    loader = Loader(shown)
    cfg = loader.mapping_to_dataclass(node, Config, "")
    problems = list(loader.problems)
    if not problems:
        problems.extend(_check_values(cfg, shown, loader.marks, path.resolve().parent))
    if problems:
        raise ConfigError(problems)
    object.__setattr__(cfg, "warnings", tuple(loader.warnings))
    _place(cfg, path.resolve())
    return typing.cast(Config, cfg)


def _place(cfg: Config, path: Path) -> None:
    """Set the config file's path (and so its folders) and the fingerprint."""
    object.__setattr__(cfg, "path", path)
    for name in ("content_dir", "output_dir", "templates_dir", "id_authority"):
        cfg.__dict__.pop(name, None)  # cached properties: computed again from the new path
    object.__setattr__(cfg, "fingerprint", _fingerprint(cfg))


def _shown(path: Path) -> str:
    try:
        return path.relative_to(Path.cwd()).as_posix()
    except ValueError:
        return path.as_posix()


def _fingerprint(cfg: Config) -> str:
    data = dataclasses.asdict(cfg)
    data.pop("warnings", None)
    data.pop("import_", None)  # what `feedtool import` reads; a build never does
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()


def _check_values(
    cfg: Config, shown: str, marks: dict[str, tuple[int, int]], root: Path
) -> list[Problem]:
    """Checks that need more than a type: URLs, zones, dates, folders."""
    out: list[Problem] = []

    def bad(key: str, message: str, hint: str | None = None) -> None:
        line, column = marks.get(key, (None, None))
        out.append(problem(shown, key, message, line=line, column=column, hint=hint))

    url = urlsplit(cfg.site.base_url)
    if url.scheme not in ("http", "https") or not url.netloc:
        bad(
            "site.base_url",
            f"must be an absolute http(s) URL, got {cfg.site.base_url!r}",
            hint="write `base_url: https://news.example.org/` (a path such as /news/ is fine)",
        )
    elif url.query or url.fragment:
        bad("site.base_url", "must not have a query or fragment", hint="remove `?…` or `#…`")
    if cfg.feeds.limit < 1:
        bad("feeds.limit", f"must be at least 1, got {cfg.feeds.limit}")
    if cfg.pages.per_page < 1:
        bad("pages.per_page", f"must be at least 1, got {cfg.pages.per_page}")
    for name in cfg.feeds.formats:
        if name not in FEED_FORMATS:
            bad(
                "feeds.formats",
                f"unknown feed format {name!r}",
                hint="choose among `atom`, `rss` and `json`, e.g. `formats: [atom, rss, json]`",
            )
    if "atom" not in cfg.feeds.formats:
        bad(
            "feeds.formats",
            "must include `atom`: it is the canonical format, whose ids the others repeat",
            hint="write `formats: [atom]`, or add `rss` and `json`: `[atom, rss, json]`",
        )
    if len(set(cfg.feeds.formats)) != len(cfg.feeds.formats):
        bad("feeds.formats", "lists a format twice", hint="name each format once")
    if cfg.feeds.summary_length < 20:
        bad("feeds.summary_length", f"must be at least 20, got {cfg.feeds.summary_length}")
    if cfg.feeds.id_authority and not _valid_authority(cfg.feeds.id_authority):
        bad(
            "feeds.id_authority",
            f"must be `host,YYYY` or `host,YYYY-MM-DD`, got {cfg.feeds.id_authority!r}",
            hint="write `id_authority: news.example.org,2026`",
        )
    try:
        ZoneInfo(cfg.articles.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        bad(
            "articles.timezone",
            f"unknown time zone {cfg.articles.timezone!r}",
            hint="use an IANA name such as UTC, Europe/London or Asia/Tehran",
        )
    try:
        if datetime.fromisoformat(cfg.articles.undated).tzinfo is None:
            bad("articles.undated", "needs a UTC offset", hint="write 2000-01-01T00:00:00+00:00")
    except ValueError:
        reason = impossible_date(cfg.articles.undated)
        bad(
            "articles.undated",
            f"no such date or time: {cfg.articles.undated!r} ({reason})"
            if reason
            else f"not an ISO 8601 date: {cfg.articles.undated!r}",
            hint="write `undated: 2000-01-01T00:00:00+00:00`",
        )
    _check_folders(cfg, bad)
    _check_topic_ids(cfg, bad)
    _check_follow(cfg, bad, root)
    object.__setattr__(cfg, "taxonomies", _merged_taxonomies(cfg.taxonomies, cfg.feeds, marks, bad))
    content = (root / cfg.paths.content).resolve()
    output = (root / cfg.paths.output).resolve()
    templates = (root / cfg.paths.templates).resolve()
    message = output_problem(output, root, content, templates)
    if message:
        bad("paths.output", message, hint="use a folder of its own, such as `site`")
    return out


def _check_folders(cfg: Config, bad: Callable[..., None]) -> None:
    """``articles.folders``: relative folder names and licenses feedtool knows."""
    if not cfg.articles.folders:
        return
    # Imported here: the readers import this module, and take 38 ms to import
    # (python -X importtime) that a config without folders never needs.
    from feedtool.sources.licenses import parse_license

    for name, defaults in cfg.articles.folders.items():
        key = f"articles.folders.{name}"
        parts = PurePosixPath(name.replace("\\", "/")).parts
        if not parts or PurePosixPath(name).is_absolute() or ".." in parts:
            bad(
                key,
                f"must be a folder inside the content folder, got {name!r}",
                hint="write the folder's path relative to `paths.content`, e.g. `wikinews`",
            )
        if defaults.license is not None and parse_license(defaults.license) is None:
            bad(
                f"{key}.license",
                f"license not recognised: {defaults.license!r}",
                hint="write a Creative Commons code such as `CC BY 4.0`, its deed URL, "
                "`CC0` or `public domain`",
            )


def _check_topic_ids(cfg: Config, bad: Callable[..., None]) -> None:
    """Topic ids in ``topics.rules``, ``feed_topics`` and ``companions``, each at its line."""
    topics = cfg.topics
    default = TopicSettings()
    if (
        not topics.rules
        and topics.feed_topics == default.feed_topics
        and topics.companions == default.companions
    ):
        return  # nothing to look up: the vocabulary is not even loaded
    vocabulary = load_vocabulary()
    hint = "use an IPTC Media Topic id such as medtop:20000642 (https://cv.iptc.org/newscodes/mediatopic/)"
    for key, topic, known in bad_topic_ids(topics, vocabulary):
        if not known:
            bad(key, f"unknown topic id {topic!r}", hint)
        else:
            bad(
                key,
                f"{topic} ({vocabulary[topic].label}) is not a top-level topic",
                "companions pair top-level topics (medtop:NN000000)",
            )


def _check_follow(cfg: Config, bad: Callable[..., None], root: Path) -> None:
    """``import``: followed feeds are URLs or existing files, named once; overrides valid."""
    settings = cfg.import_
    if settings.timeout < 1:
        bad("import.timeout", f"must be at least 1 second, got {settings.timeout:g}")
    if settings.max_size < 1:
        bad("import.max_size", f"must be at least 1 (megabytes), got {settings.max_size}")
    seen: dict[str, int] = {}
    for i, (written, feed) in enumerate(zip(settings.follow, settings.feeds, strict=True)):
        key = f"import.follow[{i}]" if isinstance(written, str) else f"import.follow[{i}].url"
        url = feed.url.strip()
        parts = urlsplit(url)
        if parts.scheme.lower() in ("http", "https"):
            if not parts.netloc or any(c.isspace() for c in url):
                bad(key, f"not a valid http(s) URL: {url!r}", "write the feed's full address")
        elif "://" in url or not url:
            bad(
                key,
                f"not an http(s) URL or a file: {url!r}",
                "write the feed's http(s) address, or the path of a feed or OPML file",
            )
        elif not (root / url).is_file():
            bad(
                key,
                f"no such file: {url!r}",
                "a path is read from the config file's folder; or write the feed's http(s) URL",
            )
        if url in seen:
            bad(key, f"followed twice (also import.follow[{seen[url]}])", "remove one of them")
        seen.setdefault(url, i)
        at = f"import.follow[{i}]"
        if feed.license:
            # Imported here: as in _check_folders.
            from feedtool.sources.licenses import parse_license

            if parse_license(feed.license) is None:
                bad(
                    f"{at}.license",
                    f"not a Creative Commons or public-domain license: {feed.license!r}",
                    "write a code such as `CC BY 4.0` or the license deed's URL",
                )
        folder = Path(feed.folder)
        if feed.folder and (folder.is_absolute() or ".." in folder.parts):
            bad(
                f"{at}.folder",
                f"must be a folder inside paths.content, got {feed.folder!r}",
                "write a relative path such as `global-voices`",
            )
        if feed.topics or feed.regions:
            _check_added_tags(cfg, feed, at, bad)


def _check_added_tags(cfg: Config, feed: FollowConfig, at: str, bad: Callable[..., None]) -> None:
    """Topics and regions a followed feed adds name known ones (as front matter may)."""
    # Imported here: the tagging pipeline imports this module.
    from feedtool.tagging.pipeline import make_taggers

    try:
        taggers = make_taggers(cfg.topics, cfg.regions)
    except ValueError:
        return  # the settings themselves are wrong: reported when a build loads them
    for name, values, tagger, hint in (
        (
            "topics",
            feed.topics,
            taggers["topics"],
            "a topic id such as medtop:11000000, or its label",
        ),
        ("regions", feed.regions, taggers["regions"], "an ISO 3166 code such as AM, or a name"),
    ):
        for j, value in enumerate(values):
            if tagger.resolve(value) is None:
                bad(f"{at}.{name}[{j}]", f"unknown {name[:-1]} {value!r}", f"write {hint}")


def require_content_dir(cfg: Config) -> None:
    """Raise :class:`SourceError` when the content folder does not exist."""
    if not cfg.content_dir.is_dir():
        raise SourceError(
            [
                problem(
                    display_path(cfg.content_dir, cfg.root),
                    "paths.content",
                    "content folder not found",
                    hint=f"create it or set `paths.content` in {cfg.path.name}",
                )
            ]
        )


def output_problem(
    output: Path, root: Path, content: Path, templates: Path | None = None
) -> str | None:
    """Why ``output`` cannot be the output folder, or None when it can.

    It may not be (or hold, or be inside) the project, content or templates folder:
    the build replaces the folder's files, and built pages in the templates folder
    would override the built-in templates.
    """
    output, root, content = output.resolve(), root.resolve(), content.resolve()
    if output == Path(output.anchor):
        return "refusing to use the file-system root as the output folder"
    if output == root or root.is_relative_to(output):
        return "the output folder cannot be the project folder or contain it"
    if output == content or content.is_relative_to(output):
        return "the output folder cannot be or contain the content folder"
    if output.is_relative_to(content):
        return "the output folder cannot be inside the content folder"
    if templates is not None:
        templates = templates.resolve()
        if output == templates or templates.is_relative_to(output):
            return "the output folder cannot be or contain the templates folder"
        if output.is_relative_to(templates):
            return "the output folder cannot be inside the templates folder"
    if any((output / name).is_file() for name in CONFIG_NAMES):
        return "the output folder holds a config file; it would be deleted"
    return None


def with_overrides(cfg: Config, *, base_url: str | None = None) -> Config:
    """``cfg`` with command-line overrides applied and checked like the file's values."""
    if base_url is None:
        return cfg
    url = urlsplit(base_url)
    if url.scheme not in ("http", "https") or not url.netloc or url.query or url.fragment:
        raise ConfigError(
            [
                problem(
                    "--base-url",
                    "site.base_url",
                    f"must be an absolute http(s) URL without query or fragment, got {base_url!r}",
                    hint="pass e.g. --base-url https://user.github.io/project/",
                )
            ]
        )
    return cfg.with_base_url(base_url)


def _valid_authority(value: str) -> bool:
    host, _, date = value.partition(",")
    if not host or "/" in host or " " in host or not date:
        return False
    for fmt in ("%Y", "%Y-%m", "%Y-%m-%d"):
        try:
            datetime.strptime(date, fmt)  # noqa: DTZ007 - a calendar date, no time
            return True
        except ValueError:
            continue
    return False
