"""Commit dates for undated articles: one ``git log``, kept by commit between builds."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from feedtool import history

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def _git(root: Path, *args: str, when: str = "2024-01-01T00:00:00+00:00") -> None:
    env = {
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.org",
        "GIT_AUTHOR_DATE": when,
        "GIT_COMMITTER_DATE": when,
        "PATH": "/usr/bin:/bin:/usr/local/bin",
    }
    subprocess.run(["git", *args], cwd=root, check=True, env=env, capture_output=True)


def _commit(root: Path, files: dict[str, str], when: str) -> None:
    for name, text in files.items():
        (root / "seeds" / name).write_text(text, encoding="utf-8")
    _git(root, "add", "-A", when=when)
    _git(root, "commit", "-qm", "change", when=when)


def _dates(root: Path, cache: Path | None) -> dict[str, history.Committed | None]:
    history.load(root / "seeds", cache)
    return {p.name: history.committed(p) for p in sorted((root / "seeds").iterdir())}


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "p"
    (root / "seeds").mkdir(parents=True)
    _git(root, "init", "-q")
    _commit(root, {"a.txt": "A\n", "b.txt": "B\n"}, "2024-01-01T00:00:00+00:00")
    _commit(root, {"a.txt": "A edited\n"}, "2024-02-01T00:00:00+01:00")
    return root


def test_saved_dates_equal_a_full_read_as_commits_come(repo: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    assert _dates(repo, cache) == _dates(repo, None)
    _commit(repo, {"b.txt": "B edited\n", "c.txt": "C\n"}, "2024-03-01T00:00:00+03:30")
    incremental = _dates(repo, cache)  # reads only the new commit
    assert incremental == _dates(repo, None)
    b, c = incremental["b.txt"], incremental["c.txt"]
    assert b is not None and (b[0].month, b[1].month) == (1, 3)
    assert c is not None and c[0] == c[1] and str(c[0].utcoffset()) == "3:30:00"


def test_same_commit_reads_no_history(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    first = _dates(repo, cache)

    def no_log(*args: object) -> None:
        raise AssertionError("git log ran at the commit the dates were saved at")

    monkeypatch.setattr(history, "_log", no_log)
    assert _dates(repo, cache) == first


def test_rewritten_history_and_damaged_file_are_read_again(repo: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    _dates(repo, cache)
    # Amend the last commit with another date: the saved commit is no longer an ancestor.
    _git(repo, "commit", "-q", "--amend", "-m", "amended", when="2024-05-05T00:00:00+00:00")
    after = _dates(repo, cache)
    a = after["a.txt"]
    assert a is not None and a[1].month == 5
    assert after == _dates(repo, None)
    for saved in cache.iterdir():
        saved.write_text("{not json", encoding="utf-8")
    assert _dates(repo, cache) == after
