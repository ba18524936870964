"""Library entry points besides :func:`feedtool.build.build`."""

from __future__ import annotations

from pathlib import Path

from feedtool import history
from feedtool.config import Config, parse_config
from feedtool.errors import Problem, SourceError
from feedtool.model import Article
from feedtool.sources import find_article_files, read_article
from feedtool.tagging.pipeline import load_taggers, tag_articles

DEFAULT_CONFIG = "site: {base_url: 'https://example.org/'}\n"


def tag_paths(paths: list[Path], cfg: Config | None = None) -> tuple[list[Article], list[Problem]]:
    """Read and tag articles at ``paths`` (files in the given order, folders by name).

    Without ``cfg`` the default settings apply.
    """
    if cfg is None:
        cfg = parse_config(DEFAULT_CONFIG, Path.cwd() / "config.yaml")
    warnings: list[Problem] = []
    errors: list[Problem] = []
    articles: list[Article] = []
    for path in paths:
        if path.is_dir():
            history.load(path)
            files = [(f, path) for f in find_article_files(path, warnings, cfg.root)]
        else:
            history.load(path.parent)
            files = [(path, path.parent)]
        for file, base in files:
            try:
                articles.append(read_article(file, cfg, warnings, base=base))
            except SourceError as exc:
                errors.extend(exc.problems)
    if errors:
        raise SourceError(errors)
    taggers = load_taggers(cfg)
    return tag_articles(articles, taggers), warnings
