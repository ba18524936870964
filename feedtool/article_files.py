"""Which files are articles, and which files beside them hold their metadata.

The one place for both rules: listing the content folder, hashing and signing files for
the cache, and reading them all ask here. (It imports nothing, so a build that finds
nothing changed lists and signs files without loading the readers.)
"""

from __future__ import annotations

#: Article file suffixes (lowercase) and the kind of reader each gets.
ARTICLE_KINDS: dict[str, str] = {".txt": "text", ".md": "markdown", ".markdown": "markdown"}
ARTICLE_SUFFIXES = frozenset(ARTICLE_KINDS)
#: Suffixes of a metadata sidecar (``story.yaml`` beside ``story.txt``), in the order
#: they are looked for: the first that exists is the sidecar.
SIDECAR_SUFFIXES = (".yaml", ".yml")
#: Kinds of article that take a sidecar (Markdown has front matter instead).
SIDECAR_KINDS = frozenset({"text"})


def article_kind(name: str) -> str | None:
    """The reader kind of a file ``name`` (or path), None when it is no article."""
    _stem, dot, suffix = name.rpartition(".")
    if not dot or "/" in suffix:
        return None
    return ARTICLE_KINDS.get("." + suffix.lower())


def sidecar_paths(path: str) -> list[str]:
    """Where the sidecar of article ``path`` may be, in the order looked for (none for an
    article that takes no sidecar)."""
    if article_kind(path) not in SIDECAR_KINDS:
        return []
    stem = path.rpartition(".")[0]
    return [stem + suffix for suffix in SIDECAR_SUFFIXES]
