"""``build()``: the whole pipeline, config → read → tag → model → render → write.

This is the library API the CLI wraps; everything a test needs is reachable here.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import jinja2

from feedtool.config import Config, output_problem
from feedtool.errors import BuildError, Problem, TemplateError, display_path, problem
from feedtool.model import Article, SiteModel
from feedtool.render import make_env, render_feeds, render_pages
from feedtool.render.env import template_problem
from feedtool.render.pages import static_files
from feedtool.search import with_search_index
from feedtool.site_model import build_site_model
from feedtool.sources import read_articles
from feedtool.tagging.pipeline import Taggers, load_taggers, tag_articles
from feedtool.write import WriteReport, check_outputs, write_outputs

log = logging.getLogger("feedtool.build")


@dataclass
class BuildReport:
    """What a build did, for the summary line and for tests."""

    articles: int = 0
    pages: int = 0
    feeds: int = 0
    warnings: list[Problem] = field(default_factory=list)
    write: WriteReport = field(default_factory=WriteReport)
    untagged: tuple[str, ...] = ()
    seconds: float = 0.0
    out_dir: Path | None = None

    def summary(self) -> str:
        """``Built 1 article, 12 pages, 5 feeds in 0.21 s; 3 files changed.``"""
        changed = len(self.write.added) + len(self.write.changed) + len(self.write.removed)
        s = "" if self.articles == 1 else "s"
        return (
            f"Built {self.articles} article{s}, {self.pages} pages, {self.feeds} feeds "
            f"in {self.seconds:.2f} s; {changed} file(s) changed"
        )


def prepare(cfg: Config) -> tuple[list[Article], list[Problem], Taggers]:
    """Read and tag every article: the model's input, and the warnings met."""
    articles, warnings = read_articles(cfg)
    taggers = load_taggers(cfg)
    return tag_articles(articles, taggers), warnings, taggers


def build_time() -> datetime:
    """Now, or ``SOURCE_DATE_EPOCH`` when set. Only used for warnings, never for output."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), tz=UTC)
    return datetime.now(tz=UTC)


def future_warnings(articles: list[Article], now: datetime) -> list[Problem]:
    """Articles dated after ``now`` are published as given, with a warning."""
    return [
        problem(
            a.path,
            "date",
            f"date {a.published.isoformat()} is in the future; published as given",
            hint="check the date, or leave the file out until then",
            severity="warning",
        )
        for a in articles
        if a.published > now
    ]


def model_for(cfg: Config, now: datetime | None = None) -> tuple[SiteModel, list[Problem]]:
    """The site model of ``cfg``'s project, and the warnings met building it."""
    articles, warnings, taggers = prepare(cfg)
    warnings.extend(future_warnings(articles, now or build_time()))
    return build_site_model(articles, cfg, taggers), warnings


def render_all(model: SiteModel, cfg: Config, report: BuildReport) -> Iterator[tuple[str, bytes]]:
    """Every output file of the site, streamed."""
    env = make_env(cfg.templates_dir)
    for path, data in render_pages(model, cfg, env):
        if path.endswith(".html"):
            report.pages += 1
        yield path, data
    for path, data in render_feeds(model, cfg):
        report.feeds += 1
        yield path, data
    yield from static_files(cfg.templates_dir)


def build(
    cfg: Config,
    *,
    out_dir: Path | None = None,
    check: bool = False,
    strict: bool = False,
) -> BuildReport:
    """Build the site of ``cfg`` into ``out_dir`` (default ``paths.output``).

    With ``check``, nothing is written: the report lists the files that would
    change. With ``strict``, any warning fails the build before anything is written.
    Raises :class:`~feedtool.errors.FeedtoolError` on problems in the input.
    """
    started = time.perf_counter()
    if out_dir is not None:
        why = output_problem(out_dir, cfg.root, cfg.content_dir)
        if why:
            raise BuildError(
                [
                    problem(
                        display_path(out_dir),
                        "--out",
                        why,
                        hint="choose a folder of its own, such as `site`",
                    )
                ]
            )
    report = BuildReport(out_dir=out_dir or cfg.output_dir)
    model, warnings = model_for(cfg)
    if model.untagged:
        n = len(model.untagged)
        warnings.append(
            problem(
                cfg.paths.content,
                "topics",
                f"{n} article(s) matched no topic: "
                + ", ".join(model.untagged[:3])
                + (" …" if n > 3 else ""),
                hint="add `topics:` by hand, or extend the topic rules in config.yaml",
                severity="warning",
            )
        )
    report.warnings = warnings
    report.untagged = model.untagged
    report.articles = len(model.articles)
    for w in warnings:
        log.warning(w.format())
    if strict and warnings:
        raise BuildError([Problem(w.location, w.key, w.message, w.hint, "error") for w in warnings])
    target = out_dir if out_dir is not None else cfg.output_dir
    compile_templates(make_env(cfg.templates_dir), cfg)
    outputs = with_search_index(
        render_all(model, cfg, report), enabled=cfg.pages.search, language=cfg.site.language
    )
    report.write = check_outputs(outputs, target) if check else write_outputs(outputs, target)
    report.seconds = time.perf_counter() - started
    return report


def check_project(cfg: Config) -> BuildReport:
    """Validate config, every article and every template, writing nothing.

    Renders the whole site in memory and discards it, so template errors that
    only show with real data are found too.
    """
    started = time.perf_counter()
    report = BuildReport(out_dir=None)
    model, warnings = model_for(cfg)
    report.warnings = warnings
    report.articles = len(model.articles)
    report.untagged = model.untagged
    env = make_env(cfg.templates_dir)
    compile_templates(env, cfg)
    for _ in render_all(model, cfg, report):
        pass
    report.seconds = time.perf_counter() - started
    return report


def compile_templates(env: jinja2.Environment, cfg: Config) -> None:
    """Compile every template (built-in and project), reporting all syntax errors together."""
    problems: list[Problem] = []
    for name in sorted(set(env.list_templates())):
        if name.startswith("default/"):
            continue
        try:
            env.get_template(name)
        except jinja2.TemplateSyntaxError as exc:
            problems.extend(template_problem(exc, cfg.templates_dir).problems)
    if problems:
        raise TemplateError(problems)
