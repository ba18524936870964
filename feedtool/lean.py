"""Articles as the build keeps them: lean pickles, packed bodies, loaded when read.

Part of the engine (see ``docs/architecture.md``): the model's :class:`~feedtool.model.Article`
is a plain value; this module is how a large build holds many of them in little memory
and takes them from the build cache without unpickling each one.

- :func:`dump_article` pickles an article without what no page or feed shows (tag
  evidence, the plain-text paragraphs) and with its body compressed (:class:`PackedText`);
- :func:`dump_head` keeps beside it what a build reads of every article
  (:data:`HEAD_FIELDS` and the article's term references);
- :func:`lazy_article` makes a :class:`LazyArticle` of the two: the head at once, the rest
  unpickled on first use.
"""

from __future__ import annotations

import dataclasses
import io
import pickle
import zlib
from collections import UserString
from collections.abc import Callable, Sequence
from dataclasses import fields
from datetime import UTC, datetime, timezone
from functools import lru_cache
from typing import Any

from feedtool.model import Article, License
from feedtool.tagging.base import RegionTag, TopicTag
from feedtool.taxonomy import READY_REFS, TagRefs, tag_refs


class PackedText(UserString):
    """Text kept zlib-compressed in memory that reads like a ``str`` (a ``UserString``).

    A site build keeps every article's body this way (about a seventh of the memory
    of a ``str`` holding curly quotes); templates and feeds read it as text.
    """

    def __init__(self, text: str) -> None:  # no UserString.__init__: ``data`` is derived
        self._packed = zlib.compress(text.encode("utf-8"), 1)

    @property
    def data(self) -> str:  # type: ignore[override]
        """The text."""
        return zlib.decompress(self._packed).decode("utf-8")

    def __reduce__(self) -> tuple[object, tuple[bytes]]:
        return _unpack, (self._packed,)


def _unpack(packed: bytes) -> PackedText:
    text = PackedText.__new__(PackedText)
    text._packed = packed
    return text


#: The fields a :class:`LazyArticle` holds from the start: all that a build reads of every
#: article (order, dates, links, duplicates, the sitemap), beside its :func:`tag_refs`.
HEAD_FIELDS = ("path", "rel_path", "slug", "published", "updated", "date_derived", "entry_id")
_FIELDS = tuple(f.name for f in fields(Article))
_REST = frozenset(_FIELDS) - frozenset(HEAD_FIELDS)
# Head fields first: two different articles differ there, without loading either.
_COMPARED = HEAD_FIELDS + tuple(f for f in _FIELDS if f in _REST)


class LazyArticle(Article):
    """An :class:`Article` kept pickled but for its head, loaded on first use.

    It holds :data:`HEAD_FIELDS` and its tags' :func:`tag_refs` from the start; the first
    read of any other field unpickles the article (the build cache's
    :func:`dump_article` bytes) and sets every field. A rebuild after
    one article changed reads the head of each cached article and loads only those on
    the pages and in the feeds it renders again. It equals, hashes and pickles as the
    :class:`Article` it stands for.
    """

    __slots__ = ("_pickled", "_refs")

    @classmethod
    def pending(cls, head: Sequence[Any], refs: TagRefs, pickled: bytes) -> LazyArticle:
        """A lazy article of ``head`` (values of :data:`HEAD_FIELDS`, in order)."""
        article = object.__new__(cls)
        for name, value in zip(HEAD_FIELDS, head, strict=True):
            object.__setattr__(article, name, value)
        object.__setattr__(article, "_refs", refs)
        object.__setattr__(article, "_pickled", pickled)
        return article

    def __getattr__(self, name: str) -> Any:
        # Called only for a slot that is not set: the rest of the article, not loaded yet.
        if name not in _REST:
            raise AttributeError(name)
        pickled: bytes = object.__getattribute__(self, "_pickled")
        full = pickle.loads(pickled)
        for rest in _REST:
            object.__setattr__(self, rest, getattr(full, rest))
        object.__delattr__(self, "_pickled")
        return object.__getattribute__(self, name)

    def __eq__(self, other: object) -> bool:
        if other is self:
            return True
        if not isinstance(other, Article):
            return NotImplemented
        return all(getattr(self, f) == getattr(other, f) for f in _COMPARED)

    __hash__ = Article.__hash__

    def __reduce__(self) -> tuple[type[Article], tuple[Any, ...]]:
        return Article, tuple(getattr(self, f) for f in _FIELDS)


def _ready_refs(article: LazyArticle) -> TagRefs | None:
    """A lazy article's :func:`~feedtool.taxonomy.tag_refs`, without loading it."""
    refs: TagRefs | None = getattr(article, "_refs", None)
    return refs


READY_REFS[LazyArticle] = _ready_refs


def _fields_reducer(cls: type, slim: dict[str, Callable[[Any], Any]]) -> Any:
    """Pickle ``cls`` as a call with its fields; ``slim`` replaces some fields' values."""
    names = tuple(f.name for f in dataclasses.fields(cls) if f.init)
    subs = tuple((i, slim[n]) for i, n in enumerate(names) if n in slim)

    def reduce(obj: Any) -> tuple[type, tuple[Any, ...]]:
        values = [getattr(obj, n) for n in names]
        for i, fn in subs:
            values[i] = fn(values[i])
        return cls, tuple(values)

    return reduce


@lru_cache(maxsize=64)
def shared_license(code: str, name: str, url: str) -> License:
    """The one :class:`License` object of these values (articles share a handful)."""
    return License(code, name, url)


def _license_reducer(obj: License) -> tuple[Any, tuple[str, str, str]]:
    return shared_license, (obj.code, obj.name, obj.url)


def _packed(body: Any) -> PackedText:
    return body if isinstance(body, PackedText) else PackedText(str(body))


def _nothing(_value: Any) -> tuple[()]:
    return ()


# Frozen slotted dataclasses unpickle slowly by default (``__setstate__`` looks up the
# fields of every object); pickled as "call the class with these arguments" they load
# several times faster. What the build does not keep is left out as they are pickled
# (no copy of the article is made first).
_ARTICLE = _fields_reducer(Article, {"body_html": _packed, "paragraphs": _nothing})
_DISPATCH: dict[type, Any] = {
    Article: _ARTICLE,
    LazyArticle: _ARTICLE,  # pickled as the Article it stands for
    RegionTag: _fields_reducer(RegionTag, {"evidence": _nothing}),
    TopicTag: _fields_reducer(TopicTag, {"evidence": _nothing}),
    License: _license_reducer,
}


def dump_article(article: Article) -> bytes:
    """Pickle ``article`` for the build, without what only tagging and ``feedtool tag`` read.

    Tag evidence and the plain-text paragraphs are dropped: no page or feed shows them
    (a test renders the full articles and these and compares), and the body is kept
    compressed (:class:`PackedText`); without them a 100,000-article
    site takes a fraction of the memory.
    """
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = _DISPATCH
    pickler.dump(article)
    return buffer.getvalue()


def _plain_datetime(value: datetime) -> str | datetime:
    """``value`` as ISO text when :meth:`datetime.fromisoformat` gives it back exactly (a
    fixed offset without a name), which loads several times faster than a pickled one."""
    tz = value.tzinfo
    if value.fold:
        return value
    if tz is UTC or (type(tz) is timezone and repr(tz) == repr(timezone(tz.utcoffset(None)))):
        return value.isoformat()
    return value


def dump_head(article: Article, pickled: bytes) -> bytes:
    """What a :class:`LazyArticle` holds from the start: the article's
    :data:`HEAD_FIELDS` and :func:`~feedtool.taxonomy.tag_refs` as plain
    values (a fifth of the time of loading it all), and a checksum of ``pickled``, its
    :func:`dump_article` bytes."""
    head = tuple(
        _plain_datetime(value) if type(value) is datetime else value
        for value in (getattr(article, name) for name in HEAD_FIELDS)
    )
    return pickle.dumps((head, tag_refs(article), zlib.crc32(pickled)), pickle.HIGHEST_PROTOCOL)


_DATES = tuple(i for i, name in enumerate(HEAD_FIELDS) if name in ("published", "updated"))


def lazy_article(head: bytes, pickled: bytes) -> LazyArticle:
    """The article of a cache row: :func:`dump_head` bytes and :func:`dump_article` bytes.

    Raises ValueError when ``pickled`` is not what the head was made with (a damaged row).
    """
    values, refs, checksum = pickle.loads(head)
    if zlib.crc32(pickled) != checksum:
        raise ValueError("damaged article bytes")
    fields = list(values)
    dates: dict[str, datetime] = {}  # one object for equal dates, as an article has them
    for i in _DATES:
        text = fields[i]
        if type(text) is str:
            fields[i] = dates.get(text) or dates.setdefault(text, datetime.fromisoformat(text))
    return LazyArticle.pending(fields, refs, pickled)
