"""The site's URL layout, in one place. URLs are a public interface: keep them stable."""

from __future__ import annotations

from dataclasses import dataclass

from feedtool.config import Config
from feedtool.model import SiteModel, Term


@dataclass(frozen=True, slots=True)
class FeedInfo:
    """One Atom feed: where it is, its title, and the page it belongs to."""

    path: str
    title: str
    page: str
    kind: str
    term: Term | None = None


#: The file name of every Atom feed, in the folder of the page it belongs to.
FEED_NAME = "atom.xml"


def feed_path(page: str) -> str:
    """The path of the feed of the page at ``page`` (``""`` or ``"topics/x/"``)."""
    return f"{page}{FEED_NAME}"


def site_feed(cfg: Config) -> FeedInfo:
    """The feed of all articles."""
    return FeedInfo(feed_path(""), cfg.site.title, "", "site")


def term_feed(cfg: Config, term: Term) -> FeedInfo:
    """A term's feed (a topic's, a region's, an outlet's…)."""
    return FeedInfo(
        feed_path(term.url_path),
        f"{cfg.site.title}: {term.label}",
        term.url_path,
        term.taxonomy,
        term,
    )


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
