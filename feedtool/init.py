"""``feedtool init``: a new project that builds at once.

The project's files ship in the package under ``feedtool/scaffold/``. Names that
start with a dot are stored without it (``gitignore``, ``github/``) so that every
packaging tool includes them; :data:`RENAMES` maps them back. Nothing is ever
overwritten: if any target exists, nothing is written and every conflict is listed.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path, PurePosixPath

import feedtool
from feedtool.config import CONFIG_NAMES, load_config
from feedtool.errors import FeedtoolError, Problem, display_path, problem
from feedtool.tagging.slug import slugify

__all__ = ["RENAMES", "InitReport", "init_project", "scaffold_files"]

#: Scaffold names stored without their leading dot, and the names they are written as.
RENAMES = {"gitignore": ".gitignore", "github": ".github"}
_VERSION_TOKEN = "@FEEDTOOL_VERSION@"


@dataclass(frozen=True)
class InitReport:
    """What ``init`` wrote: the project folder and its new files, relative, in order."""

    root: Path
    files: tuple[str, ...]


def _walk(node: Traversable, prefix: PurePosixPath) -> list[tuple[str, bytes]]:
    out: list[tuple[str, bytes]] = []
    for child in sorted(node.iterdir(), key=lambda c: c.name):
        if child.name.startswith(("_", ".")) or child.name.endswith((".pyc", ".py")):
            continue
        name = RENAMES.get(child.name, child.name) if not prefix.parts else child.name
        target = prefix / name
        if child.is_dir():
            out.extend(_walk(child, target))
        else:
            out.append((target.as_posix(), child.read_bytes()))
    return out


def scaffold_files() -> list[tuple[str, bytes]]:
    """The new project's files as ``(relative path, bytes)``, in path order."""
    root = resources.files("feedtool").joinpath("scaffold")
    files = []
    for path, data in _walk(root, PurePosixPath()):
        if path.endswith((".yml", ".yaml")):
            data = data.replace(_VERSION_TOKEN.encode(), feedtool.__version__.encode())
        files.append((path, data))
    return sorted(files)


def _blocking(dest: Path, rels: list[str]) -> list[Path]:
    """Existing paths that stop ``rels`` from being written: the files, or a parent that is
    not a folder."""
    found: dict[Path, None] = {}
    for rel in rels:
        parts = PurePosixPath(rel).parts
        for i in range(1, len(parts)):
            parent = dest.joinpath(*parts[:i])
            if parent.exists() and not parent.is_dir():
                found[parent] = None
        target = dest / rel
        if target.exists() or target.is_symlink():
            found[target] = None
    return list(found)


_AUTHORITY_LINE = b'  id_authority: ""'
#: The year of the entry id authority ``init`` writes (RFC 4151 ``name,YYYY``): fixed, so
#: that the same command always writes the same project.
AUTHORITY_YEAR = 2026


def id_authority_for(dest: Path) -> str:
    """``NAME,2026`` from the project folder's name (a DNS-style label), for entry ids.

    Nothing here depends on a host or a URL, so the ids stay the same wherever the
    site is published; ``news`` when the name has no usable letters or digits.
    """
    name = dest.absolute().resolve().name
    label = slugify(name, max_length=63).strip("-")
    return f"{label or 'news'},{AUTHORITY_YEAR}"


def _inside_content(dest: Path) -> Problem | None:
    """The problem when ``dest`` is (or is inside) the content folder of a project above it."""
    target = dest.absolute().resolve()
    for folder in target.parents:
        for name in CONFIG_NAMES:
            config = folder / name
            if not config.is_file():
                continue
            try:
                content = load_config(config).content_dir
            except FeedtoolError:
                continue  # a broken project above: not ours to judge
            if target == content or target.is_relative_to(content):
                return problem(
                    display_path(dest),
                    "",
                    f"is inside the content folder of the project {display_path(config)}",
                    hint="articles go there; make the new project in a folder of its own",
                )
    return None


def init_project(dest: Path) -> InitReport:
    """Create a project in ``dest`` (made if missing); raise if any file would be overwritten.

    The new config's ``feeds.id_authority`` is set from the folder's name; a folder that
    is another project's content folder (or inside one) is refused.
    """
    files = [
        (rel, data.replace(_AUTHORITY_LINE, f"  id_authority: {id_authority_for(dest)}".encode()))
        if rel == "config.yaml"
        else (rel, data)
        for rel, data in scaffold_files()
    ]
    inside = _inside_content(dest)
    if inside is not None:
        raise FeedtoolError([inside])
    if dest.exists() and not dest.is_dir():
        raise FeedtoolError(
            [
                problem(
                    display_path(dest),
                    "",
                    "exists and is not a folder",
                    hint="give `feedtool init` a new or existing folder",
                )
            ]
        )
    conflicts = [
        problem(
            display_path(path),
            "",
            "already exists; not overwritten",
            hint="move it away, or run `feedtool init` in a new folder",
        )
        for path in _blocking(dest, [rel for rel, _ in files])
    ]
    if conflicts:
        raise FeedtoolError(conflicts)
    for rel, data in files:
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("xb") as handle:  # "x": never overwrite, even in a race
            handle.write(data)
    return InitReport(dest, tuple(rel for rel, _ in files))
