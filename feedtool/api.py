"""Library entry points besides :func:`feedtool.build.build`."""

from __future__ import annotations

from pathlib import Path

from feedtool import history
from feedtool.config import Config, parse_config
from feedtool.errors import Problem, SourceError
from feedtool.model import Article
from feedtool.parallel import read_one
from feedtool.sources import find_article_files
from feedtool.tagging.pipeline import load_taggers

DEFAULT_CONFIG = "site: {base_url: 'https://example.org/'}\n"


def tag_paths(paths: list[Path], cfg: Config | None = None) -> tuple[list[Article], list[Problem]]:
    """Read and tag articles at ``paths`` (files in the given order, folders by name).

    The read and tag steps of the build (:func:`feedtool.parallel.read_one`), in this
    process and without the cache, each article whole (with its tags' evidence).
    Without ``cfg`` the default settings apply. Errors raise together.
    """
    if cfg is None:
        cfg = parse_config(DEFAULT_CONFIG, Path.cwd() / "config.yaml")
    warnings: list[Problem] = []
    files: list[tuple[Path, Path]] = []
    for path in paths:
        if path.is_dir():
            history.load(path)
            files.extend((f, path) for f in find_article_files(path, warnings, cfg.root))
        else:
            history.load(path.parent)
            files.append((path, path.parent))
    taggers = load_taggers(cfg)
    errors: list[Problem] = []
    articles: list[Article] = []
    for file, base in files:
        result = read_one(file, cfg, taggers, full=True, base=base)
        warnings.extend(result.warnings)
        if result.blob is None:
            errors.extend(result.errors)
        else:
            articles.append(result.article())
    if errors:
        raise SourceError(errors)
    return articles, warnings
