"""The writer: atomic swap, unchanged files keep their inode, foreign files are refused."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from feedtool.errors import BuildError
from feedtool.write import MANIFEST, build_lock, check_outputs, safe_relative, write_outputs


def outputs(**files: str) -> list[tuple[str, bytes]]:
    return [(k.replace("__", "/"), v.encode()) for k, v in files.items()]


def test_write_then_rewrite_keeps_unchanged_files(tmp_path: Path) -> None:
    site = tmp_path / "site"
    report = write_outputs(outputs(index_html="a", feed__atom_xml="b"), site)
    assert sorted(report.added) == [MANIFEST, "feed/atom_xml", "index_html"]
    inode = (site / "index_html").stat().st_ino
    report = write_outputs(outputs(index_html="a", feed__atom_xml="changed"), site)
    assert report.changed == ["feed/atom_xml"]
    assert report.unchanged == 2  # index_html and the manifest
    assert (site / "index_html").stat().st_ino == inode
    assert (site / "feed/atom_xml").read_text() == "changed"


def test_removed_outputs_disappear(tmp_path: Path) -> None:
    site = tmp_path / "site"
    write_outputs(outputs(a="1", b="2"), site)
    report = write_outputs(outputs(a="1"), site)
    assert report.removed == ["b"]
    assert not (site / "b").exists()


def test_failed_build_leaves_previous_site(tmp_path: Path) -> None:
    site = tmp_path / "site"
    write_outputs(outputs(a="old"), site)

    def broken() -> Iterator[tuple[str, bytes]]:
        yield "a", b"new"
        raise RuntimeError("template exploded")

    with pytest.raises(RuntimeError):
        write_outputs(broken(), site)
    assert (site / "a").read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == [".site.lock", "site"]


def test_interrupted_swap_is_recovered(tmp_path: Path) -> None:
    site = tmp_path / "site"
    write_outputs(outputs(a="old"), site)
    # A build killed between its two renames leaves only the old copy.
    site.rename(tmp_path / ".site.old-12345")
    write_outputs(outputs(a="new", b="x"), site)
    assert (site / "a").read_text() == "new"
    assert not (tmp_path / ".site.old-12345").exists()


def test_refuses_folder_it_did_not_write(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "notes.txt").write_text("mine")
    with pytest.raises(BuildError) as info:
        write_outputs(outputs(a="1"), site)
    assert "refusing to replace a folder feedtool did not write (1 files" in str(info.value)
    assert (site / "notes.txt").read_text() == "mine"


def test_refuses_foreign_file_added_later(tmp_path: Path) -> None:
    site = tmp_path / "site"
    write_outputs(outputs(a="1"), site)
    (site / "CNAME").write_text("news.example.org")
    with pytest.raises(BuildError) as info:
        write_outputs(outputs(a="2"), site)
    assert "holds 1 file(s) feedtool did not write: CNAME" in str(info.value)
    assert (site / "CNAME").exists()
    assert (site / "a").read_text() == "1"


def test_check_writes_nothing(tmp_path: Path) -> None:
    site = tmp_path / "site"
    write_outputs(outputs(a="1", b="2"), site)
    before = {p: p.stat().st_mtime_ns for p in site.rglob("*")}
    report = check_outputs(outputs(a="1", c="3"), site)
    assert report.differences == [MANIFEST, "b", "c"]
    assert {p: p.stat().st_mtime_ns for p in site.rglob("*")} == before


def test_check_clean(tmp_path: Path) -> None:
    site = tmp_path / "site"
    write_outputs(outputs(a="1"), site)
    assert check_outputs(outputs(a="1"), site).differences == []


@pytest.mark.parametrize("bad", ["../x", "/etc/passwd", "a/../../b", "a\\b", "a\0b", ""])
def test_unsafe_paths_rejected(bad: str) -> None:
    with pytest.raises(ValueError):
        safe_relative(bad)


def test_second_build_is_locked_out(tmp_path: Path) -> None:
    site = tmp_path / "site"
    with build_lock(site), pytest.raises(BuildError) as info:
        write_outputs(outputs(a="1"), site)
    assert "another feedtool build is writing this folder" in str(info.value)
    assert not site.exists()


def test_no_stage_left_behind(tmp_path: Path) -> None:
    write_outputs(outputs(a="1"), tmp_path / "site")
    leftovers = [p for p in tmp_path.iterdir() if p.name.startswith(".site.new")]
    assert leftovers == []


def _all_folders(site: Path) -> set[str]:
    return {""} | {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_dir()}


def test_the_tree_of_a_write_follows_added_and_removed_folders(tmp_path: Path) -> None:
    site = tmp_path / "site"
    first = write_outputs(outputs(a__x="1", b__c__y="2", z="3"), site)
    assert first.tree is not None
    assert set(first.tree.dirs) == _all_folders(site) == {"", "a", "b", "b/c"}
    assert first.tree.holds(site)
    # Given the tree, the writer trusts the manifest; the new tree is what a listing gives.
    second = write_outputs(outputs(a__x="1", d__e__w="4", z="changed"), site, first.tree)
    assert second.removed == ["b/c/y"]
    assert second.tree is not None
    assert set(second.tree.dirs) == _all_folders(site) == {"", "a", "d", "d/e"}
    assert second.tree.holds(site)
    assert second.tree.dirs["a"] == first.tree.dirs["a"]  # untouched, not stat'ed again


def test_a_file_added_after_the_write_breaks_the_tree(tmp_path: Path) -> None:
    site = tmp_path / "site"
    tree = write_outputs(outputs(a__x="1", b="2"), site).tree
    assert tree is not None
    (site / "a" / "foreign.html").write_text("mine")
    assert not tree.holds(site)
    # So the folder is listed again and the foreign file refused, never deleted.
    with pytest.raises(BuildError, match="1 file"):
        write_outputs(outputs(b="2"), site, tree)
    assert (site / "a" / "foreign.html").read_text() == "mine"


def test_an_output_tree_survives_json_and_rejects_garbage(tmp_path: Path) -> None:
    from feedtool.write import OutputTree

    tree = write_outputs(outputs(a__x="1"), tmp_path / "site").tree
    assert tree is not None
    assert OutputTree.loads(tree.dumps()) == tree
    assert OutputTree.loads("") is None
    assert OutputTree.loads('{"dirs": 3}') is None
    assert OutputTree.loads(None) is None


@pytest.mark.parametrize("first", [False, True])
def test_a_file_that_cannot_be_staged_fails_the_write(tmp_path: Path, first: bool) -> None:
    site = tmp_path / "site"
    if not first:
        write_outputs(outputs(old="1"), site)
    # "a" is a file, so "a/b" cannot be made: nothing of the new site may be left.
    with pytest.raises(OSError):
        write_outputs(outputs(a="1", a__b="2", c="3"), site)
    left = sorted(p.name for p in tmp_path.iterdir())
    assert left == ([".site.lock"] if first else [".site.lock", "site"])
    if not first:
        assert sorted(p.name for p in site.iterdir()) == [MANIFEST, "old"]


def test_nested_and_sibling_folders_are_all_made(tmp_path: Path) -> None:
    site = tmp_path / "site"
    files = outputs(b__c__d__x="1", b__y="2", b__c__e__z="3", b__f__w="4", top="5")
    write_outputs(files, site)
    for rel, data in files:
        assert (site / rel).read_bytes() == data
    assert oct((site / "top").stat().st_mode & 0o777) == oct(0o666 & ~_umask())


def _umask() -> int:
    import os

    mask = os.umask(0)
    os.umask(mask)
    return mask


def _many(n: int) -> list[tuple[str, bytes]]:
    return [(f"d{i % 7}/p{i}/index.html", f"page {i} é".encode() * (i % 50)) for i in range(n)]


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_helper_process_makes_the_files_of_a_large_first_write(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, jobs: int
) -> None:
    import feedtool.write as write_mod

    started: list[object] = []
    start = write_mod._Helper.start.__func__  # type: ignore[attr-defined]

    def spy(cls: type, stage_dir: str) -> object:
        helper = start(cls, stage_dir)
        started.append(helper)
        return helper

    monkeypatch.setattr(write_mod, "HELPER_AFTER", 5)
    monkeypatch.setattr(write_mod._Helper, "start", classmethod(spy))
    files = _many(40)
    report = write_outputs(files, tmp_path / "site", jobs=jobs)
    assert len(started) == (1 if jobs > 1 else 0) and None not in started
    assert report.written == 41  # and the manifest
    for rel, data in files:
        assert (tmp_path / "site" / rel).read_bytes() == data
    assert MANIFEST in {p.name for p in (tmp_path / "site").iterdir()}
    assert sorted(p.name for p in tmp_path.iterdir()) == [".site.lock", "site"]


@pytest.mark.parametrize("after", ["small", "large"])
def test_an_error_in_the_helper_fails_the_write_and_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, after: str
) -> None:
    import errno

    import feedtool.write as write_mod

    monkeypatch.setattr(write_mod, "HELPER_AFTER", 5)
    # "a" is a file, so the helper cannot make "a/b". "small": what follows fits in the
    # pipe and the error comes when the write ends; "large": the 6 MB sent after it cannot
    # fit, so this process meets the closed pipe before it has sent everything.
    rest = _many(20)[10:] if after == "small" else [(f"big{i}", b"x" * 300_000) for i in range(20)]
    files = [*_many(10), ("a", b"1"), ("a/b", b"2"), *rest]
    with pytest.raises(OSError) as caught:
        write_outputs(files, tmp_path / "site", jobs=2)
    assert caught.value.errno == errno.ENOTDIR
    assert sorted(p.name for p in tmp_path.iterdir()) == [".site.lock"]


def test_a_failing_render_stops_the_helper_and_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import feedtool.write as write_mod

    monkeypatch.setattr(write_mod, "HELPER_AFTER", 5)

    def failing() -> Iterator[tuple[str, bytes]]:
        yield from _many(30)
        raise RuntimeError("template broke")

    with pytest.raises(RuntimeError):
        write_outputs(failing(), tmp_path / "site", jobs=2)
    assert sorted(p.name for p in tmp_path.iterdir()) == [".site.lock"]


def test_without_a_python_to_start_the_write_is_made_in_this_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    import feedtool.write as write_mod

    monkeypatch.setattr(write_mod, "HELPER_AFTER", 5)
    monkeypatch.setattr(sys, "executable", "")
    files = _many(20)
    write_outputs(files, tmp_path / "site", jobs=2)
    for rel, data in files:
        assert (tmp_path / "site" / rel).read_bytes() == data
