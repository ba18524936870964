"""The Jinja2 environment: project templates override the built-in ones by name.

Autoescape is on for HTML and XML and undefined variables are errors. A project
template can extend a built-in one explicitly as ``{% extends "default/base.html" %}``.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from collections.abc import Callable, MutableMapping
from datetime import datetime
from operator import methodcaller
from pathlib import Path
from types import CodeType
from typing import Any

import jinja2
import markupsafe
from markupsafe import Markup, escape

from feedtool.errors import TemplateError, display_path, problem
from feedtool.l10n import long_date
from feedtool.render.home import place
from feedtool.render.urls import term_feed_path

#: ``json.dumps(ensure_ascii=False, sort_keys=True)``, made once (one a page otherwise).
_LD_ENCODER = json.JSONEncoder(ensure_ascii=False, sort_keys=True)


def json_ld(data: Any) -> Markup:
    """JSON for a ``<script type="application/ld+json">``: ``<``, ``>`` and ``&`` escaped."""
    text = _LD_ENCODER.encode(data)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text)


def csp_hash(text: str) -> Markup:
    """The Content-Security-Policy source of an inline ``<script>``'s exact ``text``
    (``'sha256-…'``, quotes included)."""
    digest = hashlib.sha256(str(text).encode("utf-8")).digest()
    return Markup(f"'sha256-{base64.b64encode(digest).decode('ascii')}'")  # base64: safe


def date_filter(language: str) -> Callable[[datetime], str]:
    """The ``human_date`` filter: a date as ``language`` writes it (November 28, 2026)."""

    def human_date(value: datetime) -> str:
        return long_date(value.date(), language)

    return human_date


#: markupsafe 3 escapes text in C but makes the ``Markup`` in Python (two Python calls per
#: ``{{ value }}``); markupsafe 2 has no such function and escapes wholly in C.
#: ``_escape_inner`` is private to markupsafe. It stays because it is measured: rendering
#: every page of a 2,000-article sample site took 0.416 s of CPU with it and 0.511 s
#: without (markupsafe 3.0.3, Jinja2 3.1.6; best of three). ``tests/test_pages.py``
#: fails if markupsafe 3 drops it, if it escapes differently from ``markupsafe.escape``,
#: or if Jinja's compiled templates stop looking ``escape`` up where it is replaced.
_escape_inner: Callable[[str], str] | None = getattr(markupsafe, "_escape_inner", None)
_new_str = str.__new__


def fast_escape(value: Any) -> Markup:
    """``markupsafe.escape`` with the same result, made faster for plain strings.

    A page escapes a few hundred values, so half the cost of each (the ``Markup``
    constructor, written in Python) was some 15 % of rendering a page.
    """
    if type(value) is str and _escape_inner is not None:
        return _new_str(Markup, _escape_inner(value))
    return markupsafe.escape(value)


class _Template(jinja2.Template):
    """A template whose ``{{ value }}`` outputs escape with :func:`fast_escape`."""

    @classmethod
    def from_code(
        cls,
        environment: jinja2.Environment,
        code: CodeType,
        globals: MutableMapping[str, Any],
        uptodate: Callable[[], bool] | None = None,
    ) -> jinja2.Template:
        template = super().from_code(environment, code, globals, uptodate)
        # The compiled module's functions look ``escape`` up in its namespace on each
        # call (it is imported from jinja2.runtime when the module runs).
        namespace = template.root_render_func.__globals__
        if _escape_inner is not None and namespace.get("escape") is markupsafe.escape:
            namespace["escape"] = fast_escape
        return template


class _SafeBytecodeCache(jinja2.FileSystemBytecodeCache):
    """Compiled templates on disk; a damaged file is compiled again, never trusted."""

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except Exception:  # a truncated or foreign file
            bucket.reset()


def make_env(
    project_templates: Path | None, language: str = "en", bytecode_dir: Path | None = None
) -> jinja2.Environment:
    """The template environment; ``project_templates`` (if it exists) wins over built-ins.

    ``language`` (``site.language``) decides how the ``human_date`` filter writes dates.
    With ``bytecode_dir``, compiled templates are kept there (keyed by their source), so a
    later build need not compile them again.
    """
    bytecode = None
    if bytecode_dir is not None:
        try:
            bytecode_dir.mkdir(parents=True, exist_ok=True)
            bytecode = _SafeBytecodeCache(str(bytecode_dir))
        except OSError:
            bytecode = None  # a read-only project: compile every time
    builtin = jinja2.PackageLoader("feedtool", "templates")
    loaders: list[jinja2.BaseLoader] = []
    if project_templates is not None and project_templates.is_dir():
        loaders.append(jinja2.FileSystemLoader(str(project_templates)))
    loaders.append(builtin)
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(
            [jinja2.PrefixLoader({"default": builtin}, delimiter="/"), *loaders]
        ),
        autoescape=jinja2.select_autoescape(["html", "xml", "opml"], default=True),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        bytecode_cache=bytecode,
        # One environment serves one build, during which the templates are read once:
        # without this every page would stat its template files again.
        auto_reload=False,
    )
    env.template_class = _Template
    env.filters["json_ld"] = json_ld
    env.globals["feed_path"] = term_feed_path
    env.filters["human_date"] = date_filter(language)
    env.filters["iso"] = methodcaller("isoformat")  # a lambda's frame costs more than the call
    env.filters["heading"] = heading
    env.filters["csp_hash"] = csp_hash
    env.filters["url_breaks"] = url_breaks
    env.globals["place"] = place
    env.globals["alternate_links"] = _alternate_links()
    return env


def _alternate_links() -> Callable[..., Markup]:
    """The ``alternate_links(feeds)`` of templates: ``_alternates.html`` rendered for each
    of ``feeds`` with the page's ``cfg``, once per feed and build (every page lists the
    site's feed, and an article page its terms' feeds, each in every format)."""
    made: dict[int, tuple[Any, str, Markup]] = {}  # by the feed's id: (feed, base URL, links)

    @jinja2.pass_context
    def alternate_links(context: jinja2.runtime.Context, feeds: Any) -> Markup:
        cfg = context["cfg"]
        parts = []
        for feed in feeds:
            known = made.get(id(feed))
            if known is None or known[0] is not feed or known[1] != cfg.base_url:
                template = context.environment.get_template("_alternates.html")
                links = Markup(template.render(feed=feed, cfg=cfg))
                known = made[id(feed)] = (feed, cfg.base_url, links)  # holds the feed
            parts.append(known[2])
        return Markup("".join(parts))  # each part is markup already

    return alternate_links


def heading(label: str) -> str:
    """A term's label as a heading: its first letter capitalised ("politics" -> "Politics");
    the rest kept as written ("eBay", "COVID-19")."""
    return label[:1].upper() + label[1:]


def url_breaks(url: str, whole: str = "") -> Markup:
    """``url`` escaped, each run between slashes kept whole: a long URL wraps after a "/"
    only (with ``.url span { white-space: nowrap }``). A prefix ``whole`` of it (the
    site's address) is one run, so a list of URLs stays small."""
    head = whole if whole and url.startswith(whole) else ""
    parts = url[len(head) :].split("/")
    # A run of letters, digits, "_" and "." offers no break of its own: no span needed.
    runs = Markup("/<wbr>").join(
        escape(p) if _UNBROKEN.fullmatch(p) else Markup("<span>%s</span>") % p for p in parts
    )
    return (Markup("<span>%s</span><wbr>") % head if head else Markup("")) + runs


_UNBROKEN = re.compile(r"[\w.]*")


def template_problem(exc: jinja2.TemplateError, templates_dir: Path | None) -> TemplateError:
    """A :class:`TemplateError` naming the template file and line."""
    name = getattr(exc, "filename", None) or getattr(exc, "name", None)
    line = getattr(exc, "lineno", None)
    if name is None:
        # Runtime errors (an undefined variable) carry no position; Jinja puts the
        # template's file and line into the traceback instead.
        tb = exc.__traceback__
        while tb is not None:
            filename = tb.tb_frame.f_code.co_filename
            if not filename.endswith(".py") and not filename.startswith("<"):
                name, line = filename, tb.tb_lineno
            tb = tb.tb_next
    name = name or "template"
    if Path(name).is_absolute():
        name = display_path(name, templates_dir)
    message = getattr(exc, "message", None) or str(exc)
    return TemplateError(
        [
            problem(
                name,
                "template",
                message,
                line=line,
                hint="fix the template, or delete it to use the built-in one",
            )
        ]
    )
