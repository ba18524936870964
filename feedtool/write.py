"""Writing the site: the only stage that writes to disk.

A first build is staged beside the output folder (``.site.new-PID``) and renamed
into place. Later builds stage only the files whose bytes changed, then commit a
journal and move them in one by one; files that did not change are not touched,
so they keep their inode and modification time (rsync and CDNs upload less). A
failed build leaves the previous site as it was; a build killed after its commit
is finished by the next one (the journal says what was left to do). Outputs may
be ``(path, None)``: "unchanged since the last build", kept without reading it.
A manifest (``.feedtool-manifest``) records what feedtool wrote; an output folder
holding anything else is refused, because feedtool never deletes what it did not
write. Listing a large output folder to find such files takes a while, so a write
can be given the :class:`OutputTree` the previous one reported: while every folder
keeps the modification time it had then, no entry was added, removed or renamed in
any of them, and the manifest says what the folder holds.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import os
import shutil
import signal
import struct
import subprocess
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from feedtool.errors import BuildError, display_path, problem
from feedtool.locks import exclusive

MANIFEST = ".feedtool-manifest"


@dataclass(frozen=True)
class OutputTree:
    """An output folder as a write left it: the modification time (ns) of each of its
    folders (``""`` for itself) and its manifest's size and modification time.

    Adding, removing or renaming an entry changes its folder's modification time, so
    while :meth:`holds` the folder still holds what its manifest lists and nothing
    else (short of a change within the same clock tick as the write; even then a file
    feedtool did not write is never deleted, as it is not in the manifest).
    """

    dirs: dict[str, int]
    manifest: tuple[int, int]

    def holds(self, out_dir: Path) -> bool:
        """Whether every folder and the manifest are as they were."""
        base = str(out_dir)
        try:
            st = os.stat(f"{base}/{MANIFEST}")  # noqa: PTH116 - str paths, many times
            if (st.st_size, st.st_mtime_ns) != self.manifest:
                return False
            for rel, mtime in self.dirs.items():
                if os.stat(f"{base}/{rel}" if rel else base).st_mtime_ns != mtime:  # noqa: PTH116
                    return False
        except OSError:
            return False
        return True

    def dumps(self) -> str:
        """JSON for :meth:`loads`."""
        return json.dumps({"dirs": self.dirs, "manifest": list(self.manifest)}, sort_keys=True)

    @classmethod
    def loads(cls, text: str | None) -> OutputTree | None:
        """The tree saved by :meth:`dumps`, or None when ``text`` is not one."""
        if text is None:
            return None
        try:
            data = json.loads(text)
            dirs = {str(k): int(v) for k, v in data["dirs"].items()}
            size, mtime = data["manifest"]
            return cls(dirs, (int(size), int(mtime)))
        except (ValueError, TypeError, KeyError, AttributeError):
            return None

    @classmethod
    def of(cls, out_dir: Path, dirs: Iterable[str]) -> OutputTree | None:
        """The tree of ``out_dir`` whose folders are ``dirs`` (None if one is gone)."""
        base = str(out_dir)
        try:
            found = {
                rel: os.stat(f"{base}/{rel}" if rel else base).st_mtime_ns  # noqa: PTH116
                for rel in sorted(dirs)
            }
            st = os.stat(f"{base}/{MANIFEST}")  # noqa: PTH116
        except OSError:
            return None
        return cls(found, (st.st_size, st.st_mtime_ns))


@dataclass
class WriteReport:
    """What a write (or a check) found: paths relative to the output folder."""

    written: int = 0
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0
    #: The output folder as this write left it (None after a check or when unknown).
    tree: OutputTree | None = None
    #: ``(size, mtime_ns)`` of files this write made, by path, where it knows them.
    stats: dict[str, tuple[int, int]] = field(default_factory=dict)

    @property
    def differences(self) -> list[str]:
        """Every path that is new, changed or gone, sorted."""
        return sorted([*self.added, *self.changed, *self.removed])


def checked_relative(path: str) -> str:
    """``path`` if it is a plain relative path inside the output folder; else ValueError.

    Plain means: ``/``-separated names, none empty, ``.`` or ``..``, no backslash or NUL.
    """
    if not path or "\\" in path or "\0" in path:
        raise ValueError(f"unsafe output path {path!r}")
    for part in path.split("/"):
        if part in ("", ".", ".."):
            raise ValueError(f"unsafe output path {path!r}")
    return path


def safe_relative(path: str) -> PurePosixPath:
    """``path`` if it is a plain relative path inside the output folder; else ValueError."""
    return PurePosixPath(checked_relative(path))


def _read_manifest(out_dir: Path) -> set[str] | None:
    try:
        data = json.loads((out_dir / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError):
        return None
    files = data.get("files") if isinstance(data, dict) else None
    return {str(f) for f in files} if isinstance(files, list) else None


def _existing_files(out_dir: Path, dirs: set[str] | None = None) -> set[str]:
    """Every file under ``out_dir``; its folders (``a/b``, no slash at the end) go to ``dirs``."""
    found: set[str] = set()
    todo = [(str(out_dir), "")]
    while todo:
        folder, prefix = todo.pop()
        if dirs is not None:
            dirs.add(prefix[:-1])
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    todo.append((entry.path, f"{prefix}{entry.name}/"))
                else:
                    found.add(prefix + entry.name)
    return found


def check_output_dir(
    out_dir: Path, tree: OutputTree | None = None, dirs: set[str] | None = None
) -> set[str]:
    """The files feedtool wrote there before; refuse a folder holding anything else.

    ``tree``: an :class:`OutputTree` that :meth:`~OutputTree.holds` (the caller checked):
    the manifest is trusted and the folder is not listed. Otherwise the folders found
    while listing it are added to ``dirs``.
    """
    if not out_dir.exists():
        return set()
    if tree is not None:
        trusted = _read_manifest(out_dir)
        if trusted is not None:
            return trusted - {MANIFEST}
    shown = display_path(out_dir)
    if not out_dir.is_dir() or out_dir.is_symlink():
        raise BuildError(
            [
                problem(
                    shown,
                    "paths.output",
                    "exists and is not a folder",
                    hint="choose another output folder",
                )
            ]
        )
    existing = _existing_files(out_dir, dirs)
    if not existing:
        return set()
    manifest = _read_manifest(out_dir)
    if manifest is None:
        raise BuildError(
            [
                problem(
                    shown,
                    "paths.output",
                    f"refusing to replace a folder feedtool did not write ({len(existing)} files, "
                    f"no {MANIFEST})",
                    hint="choose an empty or new output folder, or move the files away",
                )
            ]
        )
    foreign = sorted(existing - manifest - {MANIFEST})
    if foreign:
        listed = ", ".join(foreign[:5]) + (" …" if len(foreign) > 5 else "")
        raise BuildError(
            [
                problem(
                    shown,
                    "paths.output",
                    f"holds {len(foreign)} file(s) feedtool did not write: {listed}",
                    hint="move them out of the output folder (feedtool never deletes them)",
                )
            ]
        )
    return existing - {MANIFEST}


def build_lock(out_dir: Path) -> contextlib.AbstractContextManager[None]:
    """An exclusive lock beside the output folder; a second build fails at once."""
    return exclusive(
        out_dir.parent / f".{out_dir.name}.lock",
        lambda: BuildError(
            [
                problem(
                    display_path(out_dir),
                    "paths.output",
                    "another feedtool build is writing this folder",
                    hint="wait for it to finish, then build again",
                )
            ]
        ),
    )


def _manifest_bytes(paths: Iterable[str]) -> bytes:
    data = {"generator": "feedtool", "files": sorted(paths)}
    return (json.dumps(data, indent=1, sort_keys=True) + "\n").encode("utf-8")


def _same(path: Path, data: bytes) -> bool:
    try:
        if path.stat().st_size != len(data):
            return False
        return path.read_bytes() == data
    except OSError:
        return False


@dataclass(frozen=True, slots=True)
class Staged:
    """The value of an output that a renderer wrote into the stage folder itself
    (:func:`fresh_stage`, :func:`stage_file`): counted and listed, not written again."""

    #: ``(size, mtime_ns)`` of the file as written (what :func:`stage_file` returns).
    stat: tuple[int, int]


#: ``(path, bytes)``; ``(path, None)``: unchanged since the last build; ``(path, Staged)``:
#: written into the stage already (first writes only, see :func:`fresh_stage`).
Outputs = Iterable[tuple[str, bytes | Staged | None]]
JOURNAL = ".feedtool-journal"


def check_outputs(outputs: Outputs, out_dir: Path) -> WriteReport:
    """Compare ``outputs`` with ``out_dir`` without writing anything."""
    report = WriteReport()
    previous = check_output_dir(out_dir)
    seen: set[str] = set()
    for rel, data in _with_manifest(outputs, seen):
        target = out_dir / rel
        if isinstance(data, Staged):
            raise ValueError(f"output {rel!r} was staged, but a check stages nothing")
        if rel in previous or (rel == MANIFEST and target.exists()):
            if (data is None and target.is_file()) or (data is not None and _same(target, data)):
                report.unchanged += 1
            else:
                report.changed.append(rel)
        else:
            report.added.append(rel)
    report.removed = sorted(previous - seen)
    return report


def _with_manifest(outputs: Outputs, seen: set[str]) -> Iterator[tuple[str, bytes | Staged | None]]:
    for path, data in outputs:
        rel = checked_relative(path)
        if rel in seen or rel == MANIFEST:
            raise ValueError(f"output path {rel!r} produced twice")
        seen.add(rel)
        yield rel, data
    yield MANIFEST, _manifest_bytes(seen)


def _recover(out_dir: Path) -> None:
    """Finish what a killed build left: bring the old site back, finish a committed
    update, drop stale stages."""
    olds = sorted(out_dir.parent.glob(f".{out_dir.name}.old-*"))
    if olds and not out_dir.exists():
        olds.pop().rename(out_dir)
    for stage in sorted(out_dir.parent.glob(f".{out_dir.name}.new-*")):
        if (stage / JOURNAL).is_file() and out_dir.is_dir():
            _apply(stage, out_dir)
    for stale in [*olds, *out_dir.parent.glob(f".{out_dir.name}.new-*")]:
        shutil.rmtree(stale, ignore_errors=True)


def _apply(stage: Path, out_dir: Path) -> None:
    """Carry out a committed journal: remove, then move the staged files in (idempotent)."""
    journal = json.loads((stage / JOURNAL).read_text(encoding="utf-8"))
    for rel in journal["remove"]:
        target = out_dir / safe_relative(rel)
        with contextlib.suppress(FileNotFoundError):
            target.unlink()
        parent = target.parent
        while parent != out_dir:
            try:
                parent.rmdir()
            except OSError:
                break
            parent = parent.parent
    for rel in journal["replace"]:
        source = stage / safe_relative(rel)
        if source.exists():
            target = out_dir / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            source.replace(target)
    (stage / JOURNAL).unlink()
    shutil.rmtree(stage, ignore_errors=True)


def _stage_path(out_dir: Path) -> Path:
    """This process's stage folder beside ``out_dir`` (what :func:`_recover` looks for)."""
    return out_dir.parent / f".{out_dir.name}.new-{os.getpid()}"


@contextlib.contextmanager
def fresh_stage(out_dir: Path) -> Iterator[Path | None]:
    """The stage folder of a first write to ``out_dir``, for renderers to fill directly.

    When ``out_dir`` does not exist (after finishing what a killed build left), the
    build's lock is taken and an empty stage made beside it; the block renders into it
    (:func:`stage_file`, from any process) and ends with :func:`write_outputs` given
    ``stage=``. Otherwise this yields None without holding the lock: write as usual.
    A block that fails leaves no stage behind.
    """
    out_dir = out_dir.absolute()
    with build_lock(out_dir):
        _recover(out_dir)
        if out_dir.exists():
            stage = None
        else:
            stage = _stage_path(out_dir)
            stage.mkdir()
            try:
                yield stage
            finally:
                shutil.rmtree(stage, ignore_errors=True)  # gone already when written
    if stage is None:
        yield None


def stage_file(stage: str, rel: str, data: bytes, made: set[str]) -> tuple[int, int]:
    """Write ``data`` at ``rel`` in a stage folder from :func:`fresh_stage`; the file's
    ``(size, mtime_ns)``.

    ``made``: the folders this process has made there so far (folders another process
    makes at the same time are no error).
    """
    return _put(stage, checked_relative(rel), data, made)


def write_outputs(
    outputs: Outputs,
    out_dir: Path,
    tree: OutputTree | None = None,
    stage: Path | None = None,
    jobs: int = 1,
) -> WriteReport:
    """Write ``outputs`` as the new content of ``out_dir``; see the module's notes.

    ``tree``: the :attr:`WriteReport.tree` of the previous write to ``out_dir``, if known.
    ``stage``: the folder :func:`fresh_stage` yields, inside its block; outputs whose
    value is a :class:`Staged` are already in it. ``jobs``: with more than one, a first
    write of many files hands them to a second process to make.
    """
    out_dir = out_dir.absolute()
    if stage is not None:
        # Under fresh_stage's lock. Nothing else may have appeared there, but if it did,
        # it is checked as any previous site is (a folder feedtool did not write is refused).
        return _swap(outputs, out_dir, check_output_dir(out_dir), stage, jobs)
    with build_lock(out_dir):
        _recover(out_dir)
        trusted = tree if tree is not None and tree.holds(out_dir) else None
        dirs: set[str] = set()
        previous = check_output_dir(out_dir, trusted, dirs)
        if previous:
            report = _update(outputs, out_dir, previous)
            report.tree = _tree_after(out_dir, trusted, dirs, report)
            return report
        return _swap(outputs, out_dir, previous, jobs=jobs)


def _folders(paths: Iterable[str]) -> set[str]:
    """The folders holding ``paths`` and all above them (``""``: the output folder)."""
    found = {""}
    for rel in paths:
        folder = rel.rpartition("/")[0]
        while folder and folder not in found:
            found.add(folder)
            folder = folder.rpartition("/")[0]
    return found


def _tree_after(
    out_dir: Path, before: OutputTree | None, dirs: set[str], report: WriteReport
) -> OutputTree | None:
    """The tree after an update: only the folders above a file written or removed changed."""
    touched = _folders([*report.added, *report.changed, *report.removed])
    if before is None:  # the folder was listed: every folder's time is needed
        return OutputTree.of(out_dir, {d for d in dirs | touched if (out_dir / d).is_dir()})
    found = dict(before.dirs)
    base = str(out_dir)
    try:
        for rel in sorted(touched):
            try:
                found[rel] = os.stat(f"{base}/{rel}" if rel else base).st_mtime_ns  # noqa: PTH116
            except FileNotFoundError:
                found.pop(rel, None)  # removed with its last file
        st = os.stat(f"{base}/{MANIFEST}")  # noqa: PTH116
    except OSError:
        return None
    return OutputTree(found, (st.st_size, st.st_mtime_ns))


def _kept(rel: str, known: bool) -> None:
    # ``known``: the file was found when the output folder was scanned, under the lock.
    if not known:
        raise ValueError(f"output {rel!r} marked unchanged but the old site has no such file")


_CREATE = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_CLOEXEC", 0)


def _put(stage_dir: str, rel: str, data: bytes, made: set[str]) -> tuple[int, int]:
    """Write ``data`` at ``rel`` under the stage folder (``made``: folders made so far);
    the file's ``(size, mtime_ns)``.

    As few system calls as it takes (a site has tens of thousands of files): one
    ``mkdir`` for a folder whose parent is known to exist, and a raw file descriptor.
    """
    folder, _sep, _name = rel.rpartition("/")
    if folder and folder not in made:
        parent = folder.rpartition("/")[0]
        if not parent or parent in made:
            with contextlib.suppress(FileExistsError):
                os.mkdir(f"{stage_dir}/{folder}")  # noqa: PTH102 - str paths
        else:
            os.makedirs(f"{stage_dir}/{folder}", exist_ok=True)  # noqa: PTH103 - str paths
            while parent:
                made.add(parent)
                parent = parent.rpartition("/")[0]
        made.add(folder)
    fd = os.open(f"{stage_dir}/{rel}", _CREATE, 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        # What the build cache records of the file: a stat of the open file is cheaper
        # than one of its path later, and renaming the stage folder changes neither.
        st = os.fstat(fd)
    finally:
        os.close(fd)
    return st.st_size, st.st_mtime_ns


def _update(outputs: Outputs, out_dir: Path, previous: set[str]) -> WriteReport:
    """Stage changed files only, commit a journal, then move them into ``out_dir``."""
    report = WriteReport()
    stage = _stage_path(out_dir)
    stage.mkdir()
    stage_dir = str(stage)
    made: set[str] = set()
    try:
        seen: set[str] = set()
        replace: list[str] = []
        for rel, data in _with_manifest(outputs, seen):
            if data is None:
                _kept(rel, rel in previous)
                report.unchanged += 1
                continue
            if isinstance(data, Staged):
                raise ValueError(f"output {rel!r} was staged, but this write has no stage")
            old = out_dir / rel
            known = rel in previous or (rel == MANIFEST and old.exists())
            if known and _same(old, data):
                report.unchanged += 1
                continue
            # Moved into the site as it is (renamed): the stat holds there too.
            report.stats[rel] = _put(stage_dir, rel, data, made)
            replace.append(rel)
            report.written += 1
            (report.changed if known else report.added).append(rel)
        report.removed = sorted(previous - seen)
        journal = {"replace": replace, "remove": report.removed}
        tmp = stage / (JOURNAL + ".tmp")
        tmp.write_text(json.dumps(journal), encoding="utf-8")
        tmp.rename(stage / JOURNAL)  # the commit point
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        raise
    _apply(stage, out_dir)
    return report


#: Files a first write makes itself before a helper process makes the rest (see _Helper).
HELPER_AFTER = 2_000
_FRAME = struct.Struct("!II")  # lengths of a file's path (UTF-8) and of its bytes


class _Helper:
    """A process that makes the files of a large first write while this one renders.

    Creating a file costs tens of microseconds of system time, and a site of 100,000
    articles rendered in one process has some 150,000 of them: handed over a pipe,
    that time is spent on another core. The files are made in the order given, by
    :func:`_put`, in the same stage folder; :meth:`finish` waits for the last one and
    raises the error the helper met, if any.
    """

    def __init__(self, stage_dir: str) -> None:
        # This very copy of feedtool, wherever it was imported from.
        home = str(Path(__file__).resolve().parent.parent)
        code = f"import sys; sys.path.insert(0, {home!r}); import feedtool.write as w; w.helper()"
        self.proc = subprocess.Popen(
            [sys.executable, "-c", code, stage_dir],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        assert self.proc.stdin is not None
        self.fd = self.proc.stdin.fileno()
        with contextlib.suppress(OSError, AttributeError):  # a larger pipe: fewer waits
            fcntl.fcntl(self.fd, fcntl.F_SETPIPE_SZ, 1 << 20)
        self.error: OSError | None = None

    @classmethod
    def start(cls, stage_dir: str) -> _Helper | None:
        """A helper writing into ``stage_dir``, or None when no process can be started."""
        if not sys.executable or getattr(sys, "frozen", False):  # no Python to run `-c` with
            return None
        try:
            return cls(stage_dir)
        except OSError:
            return None

    def put(self, rel: str, data: bytes) -> None:
        """Hand ``data`` over, to be written at ``rel``."""
        name = rel.encode("utf-8")
        parts = [_FRAME.pack(len(name), len(data)), name, data]
        try:
            sent = os.writev(self.fd, parts)
            rest = b"".join(parts)[sent:] if sent < sum(map(len, parts)) else b""
            while rest:
                rest = rest[os.write(self.fd, rest) :]
        except BrokenPipeError:
            self.finish()  # raises the helper's error
            raise

    def finish(self) -> None:
        """Wait until every file handed over is written; raise what the helper met
        (again on each later call)."""
        proc = self.proc
        if self.error is None and proc.stderr is not None and not proc.stderr.closed:
            if proc.stdin is not None and not proc.stdin.closed:
                with contextlib.suppress(BrokenPipeError):
                    proc.stdin.close()
            message = proc.stderr.read().decode("utf-8", "replace")
            proc.stderr.close()
            if proc.wait() != 0:
                try:
                    number, text, filename = json.loads(message)
                except ValueError:
                    number, text, filename = errno.EIO, message.strip() or "helper failed", None
                self.error = OSError(number, text, filename)
        if self.error is not None:
            raise self.error


def helper() -> None:
    """The helper process: make each file sent on standard input (see :class:`_Helper`)."""
    # An interrupt stops the build, which then closes the pipe: finish what was sent.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    stage_dir = sys.argv[1]
    read = sys.stdin.buffer.read
    made: set[str] = set()
    try:
        while len(header := read(_FRAME.size)) == _FRAME.size:
            size, length = _FRAME.unpack(header)
            rel = read(size).decode("utf-8")
            data = read(length)
            if len(data) < length:
                break  # the build stopped mid-file
            _put(stage_dir, rel, data, made)
    except OSError as exc:
        sys.stderr.write(json.dumps([exc.errno, exc.strerror, exc.filename]))
        sys.exit(1)


def _swap(
    outputs: Outputs,
    out_dir: Path,
    previous: set[str],
    stage: Path | None = None,
    jobs: int = 1,
) -> WriteReport:
    """Write the whole site beside ``out_dir`` (in ``stage`` if given) and rename it into
    place (with ``jobs`` > 1, a large site's files are made by a helper process)."""
    report = WriteReport()
    given = stage is not None
    if stage is None:
        stage = _stage_path(out_dir)
        stage.mkdir()
    stage_dir = str(stage)
    made: set[str] = set()
    swapped = False
    helper: _Helper | None = None
    here = 0  # files written by this process
    try:
        seen: set[str] = set()
        for rel, data in _with_manifest(outputs, seen):
            if data is None:
                _kept(rel, False)
                continue
            if isinstance(data, Staged):
                if not given:
                    raise ValueError(f"output {rel!r} was staged, but this write has no stage")
                report.stats[rel] = data.stat
            elif helper is not None:
                helper.put(rel, data)
            else:
                report.stats[rel] = _put(stage_dir, rel, data, made)
                here += 1
                if here == HELPER_AFTER and jobs > 1:
                    helper = _Helper.start(stage_dir)
            report.written += 1
            report.added.append(rel)
        if helper is not None:
            finishing, helper = helper, None
            finishing.finish()
        report.removed = sorted(previous - seen)
        old_dir = out_dir.parent / f".{out_dir.name}.old-{os.getpid()}"
        moved = out_dir.exists()
        if moved:
            out_dir.rename(old_dir)
        try:
            stage.rename(out_dir)
        except OSError:
            if moved:
                old_dir.rename(out_dir)
            raise
        swapped = True
        shutil.rmtree(old_dir, ignore_errors=True)
    finally:
        if helper is not None:  # this process failed: let the helper stop first
            with contextlib.suppress(OSError):
                helper.finish()
        if not swapped:
            shutil.rmtree(stage, ignore_errors=True)
    report.tree = OutputTree.of(out_dir, _folders(seen))
    return report
