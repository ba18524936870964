"""The site's URL layout, in one place. URLs are a public interface: keep them stable."""

from __future__ import annotations

import contextlib
import re
import string
import unicodedata
from dataclasses import dataclass, field
from typing import TypeVar
from urllib.parse import quote, urlsplit

from feedtool.config import Config
from feedtool.model import SiteModel, Term

_A = TypeVar("_A")


@dataclass(frozen=True, slots=True)
class FeedFormat:
    """A feed format: its name in ``feeds.formats``, its media type and where its files go.

    Its renderer is ``feeds.RENDERERS[name]`` (kept there: this module loads no XML library).
    """

    name: str
    label: str
    media_type: str
    stem: str
    suffix: str

    def path(self, page: str, archive: int | None = None) -> str:
        """The file of the feed of the page at ``page`` (``""`` or ``"topics/x/"``):
        ``atom.xml``, or archive page ``n`` of it, ``atom-n.xml``."""
        number = "" if archive is None else f"-{archive}"
        return f"{page}{self.stem}{number}{self.suffix}"


ATOM = FeedFormat("atom", "Atom", "application/atom+xml", "atom", ".xml")
RSS = FeedFormat("rss", "RSS 2.0", "application/rss+xml", "rss", ".xml")
JSON_FEED = FeedFormat("json", "JSON Feed", "application/feed+json", "feed", ".json")

#: Every format a site can build, by its name in ``feeds.formats``. Atom is the canonical
#: one: the others repeat its entry ids, and a feed's own URL is its Atom file's.
FORMATS: dict[str, FeedFormat] = {f.name: f for f in (ATOM, RSS, JSON_FEED)}


def opml_path(format: FeedFormat) -> str:
    """The OPML list of every feed in ``format``: ``feeds.opml`` for Atom."""
    return "feeds.opml" if format.name == "atom" else f"feeds-{format.name}.opml"


def formats_of(cfg: Config) -> tuple[FeedFormat, ...]:
    """The formats ``cfg`` builds, Atom first."""
    names = cfg.feeds.formats
    return (ATOM, *(FORMATS[n] for n in names if n != "atom" and n in FORMATS))


@dataclass(frozen=True, slots=True)
class FeedInfo:
    """One feed: where it is (its Atom file), its title, the page it belongs to, and the
    formats it is written in."""

    path: str
    title: str
    page: str
    kind: str
    term: Term | None = None
    formats: tuple[FeedFormat, ...] = (ATOM,)
    #: ``(format, path)`` of each file of the feed, Atom first (templates:
    #: ``<link rel=alternate>``); made with the feed, as every page lists its feeds'.
    alternates: tuple[tuple[FeedFormat, str], ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        files = tuple((f, f.path(self.page)) for f in self.formats)
        object.__setattr__(self, "alternates", files)


#: The file name of every Atom feed, in the folder of the page it belongs to.
FEED_NAME = ATOM.path("")


def feed_path(page: str) -> str:
    """The path of the feed of the page at ``page`` (``""`` or ``"topics/x/"``)."""
    return ATOM.path(page)


def site_feed(cfg: Config) -> FeedInfo:
    """The feed of all articles."""
    return FeedInfo(feed_path(""), cfg.site.title, "", "site", None, formats_of(cfg))


def term_feed(cfg: Config, term: Term) -> FeedInfo:
    """A term's feed (a topic's, a region's, an outlet's…)."""
    return FeedInfo(
        feed_path(term.url_path),
        f"{cfg.site.title}: {term.label}",
        term.url_path,
        term.taxonomy,
        term,
        formats_of(cfg),
    )


@dataclass(frozen=True, slots=True)
class FeedDoc:
    """One file of a feed: its format, and which document of the RFC 5005 chain it is.

    ``archive`` is ``None`` for the subscription document (the newest ``feeds.limit``
    entries), else the number of an archive page (1 is the oldest). ``archives`` is how
    many archive pages the feed has (0: none are written); the last of them is the only
    one that is not full. ``complete`` marks a subscription document that holds every
    entry of its feed (RFC 5005 ``fh:complete``).
    """

    info: FeedInfo
    format: FeedFormat
    archive: int | None = None
    archives: int = 0
    complete: bool = False

    @property
    def path(self) -> str:
        """This document's file."""
        return self.format.path(self.info.page, self.archive)

    def page_path(self, archive: int | None) -> str:
        """The file of another document of the same feed, in the same format."""
        return self.format.path(self.info.page, archive)

    @property
    def prev_archive(self) -> int | None:
        """The next older archive page: the newest one from the subscription document."""
        if self.archive is None:
            return self.archives or None
        return self.archive - 1 or None

    @property
    def next_archive(self) -> int | None:
        """The next newer archive page (none from the newest)."""
        if self.archive is None or self.archive >= self.archives:
            return None
        return self.archive + 1


def archive_pages(count: int, size: int) -> int:
    """How many archive pages hold ``count`` entries, ``size`` a page, oldest first.

    None while the subscription document holds every entry (it is then marked complete,
    RFC 5005 §2). Past that, every page but the last is full and the last is not (it may
    be empty): a page that fills has a newer one after it at once, so a full page never
    changes when articles are added.
    """
    return 0 if count <= size else count // size + 1


def archive_slice(articles: tuple[_A, ...], number: int, size: int) -> tuple[_A, ...]:
    """The entries of archive page ``number`` of ``articles`` (newest first, as the site
    lists them): its share of the oldest-first order, newest first again."""
    end = len(articles) - (number - 1) * size
    return articles[max(end - size, 0) : max(end, 0)]


def all_feeds(model: SiteModel, cfg: Config) -> list[FeedInfo]:
    """Every feed the site publishes: the site feed, then each taxonomy's, in order."""
    feeds = [site_feed(cfg)]
    for taxonomy in model.taxonomies:
        feeds.extend(term_feed(cfg, t) for t in taxonomy.terms if t.feed)
    return feeds


def term_feed_path(term: Term) -> str:
    """The path of ``term``'s feed (templates: ``{{ feed_path(term) }}``)."""
    return feed_path(term.url_path)


def absolute(cfg: Config, path: str) -> str:
    """``path`` (relative to the site root) as an absolute URL."""
    return cfg.base_url + path


def relative_root(path: str) -> str:
    """The prefix leading from the page at ``path`` back to the site root."""
    depth = path.count("/")
    return "../" * depth if depth else "./"


def page_path(base: str, number: int) -> str:
    """Page ``number`` of the paginated list at ``base``: ``base`` itself, then ``page/<n>/``."""
    return base if number <= 1 else f"{base}page/{number}/"


_UNRESERVED = frozenset(string.ascii_letters + string.digits + "-._~")
_SUB_DELIMS = "!$&'()*+,;="
_PCHAR = _SUB_DELIMS + ":@"
_DEFAULT_PORTS = {"http": "80", "https": "443"}
_OCTET = re.compile(r"%[0-9A-Fa-f]{2}|.", re.DOTALL)
#: A URL's host (an IP literal in brackets, or no colon) and its port, if any.
_HOST_PORT = re.compile(r"(\[[^\]]*\]|[^:]*)(?::(.*))?", re.DOTALL)


def _normal_part(text: str, safe: str) -> str:
    """``text`` (a path segment, query or fragment) with every character that may not stand
    there percent-encoded as UTF-8, escapes of unreserved characters decoded and the others'
    hex digits upper case (RFC 3986 §2, §6.2.2)."""
    out = []
    for match in _OCTET.finditer(text):
        token = match.group()
        if len(token) == 3:  # an escape
            char = chr(int(token[1:], 16))
            out.append(char if char in _UNRESERVED else token.upper())
        elif token in _UNRESERVED or token in safe:
            out.append(token)
        else:
            out.append(quote(token, safe=""))
    return "".join(out)


def normal_uri(url: str) -> str:
    """``url`` (an article's link to its original, as written) as a URI in RFC 3986's
    normal form: what feeds may carry in an ``href``, an ``id`` or a ``url``.

    An IRI's characters (``Andalucía``) and those no URI may hold (``[``, a space) are
    percent-encoded, the scheme and host are lower case (a non-ASCII host in IDNA form), a
    default port is dropped and an empty path is ``/``. A text that is not an absolute
    URL is only percent-encoded.
    """
    text = unicodedata.normalize("NFC", url.strip())
    try:
        parts = urlsplit(text)
    except ValueError:  # a "[" that opens no IP literal
        text = text.replace("[", "%5B").replace("]", "%5D")
        parts = urlsplit(text)
    if not parts.scheme or not parts.netloc:
        return _normal_part(text, _PCHAR + "/?#")
    user, at, host_port = parts.netloc.rpartition("@")
    match = _HOST_PORT.fullmatch(host_port)
    host, port = match.groups() if match else (host_port, None)
    scheme = parts.scheme.lower()
    host = host.lower()
    if host.startswith("[") and host.endswith("]"):  # an IP literal
        host = "[" + _normal_part(host[1:-1], _SUB_DELIMS + ":") + "]"
    else:
        if not host.isascii():
            # An invalid host name stays as it is, percent-encoded below.
            with contextlib.suppress(UnicodeError):
                host = host.encode("idna").decode("ascii")
        host = _normal_part(host, _SUB_DELIMS)
    netloc = _normal_part(user, _SUB_DELIMS + ":") + at + host
    port = _normal_part(port or "", "")
    if port and port != _DEFAULT_PORTS.get(scheme):
        netloc += ":" + port
    path = "/".join(_normal_part(segment, _PCHAR) for segment in parts.path.split("/"))
    result = f"{scheme}://{netloc}{path or '/'}"
    if "?" in text.partition("#")[0]:
        result += "?" + _normal_part(parts.query, _PCHAR + "/?")
    if "#" in text:
        result += "#" + _normal_part(parts.fragment, _PCHAR + "/?")
    return result
