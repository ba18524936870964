"""Stopping a build: ``kill`` (SIGTERM) ends it like Ctrl-C, without leaving workers behind."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.helpers import make_project

SEED = Path(__file__).resolve().parents[1] / "seeds" / "iran-russia-security-council-talks.txt"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not Path("/proc/self/task").is_dir(), reason="needs Linux /proc to find worker processes"
    ),
]


def _children(pid: int) -> set[int]:
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found.update(int(p) for p in (task / "children").read_text().split())
        except OSError:
            continue
    return found


def _running(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return "\nState:\tZ" not in status  # a zombie has finished


def test_sigterm_stops_the_build_and_its_workers(tmp_path: Path) -> None:
    text = SEED.read_text(encoding="utf-8")
    body = "\n\n".join([text.split("All Content by")[0]] * 4)
    files = {
        f"2024-01-{1 + i % 28:02d}-story-{i:04d}.md": (
            f"---\ntitle: Story {i}\ndate: 2024-01-{1 + i % 28:02d}\n---\n\n{body}\n"
        )
        for i in range(1500)
    }
    make_project(tmp_path, files)
    proc = subprocess.Popen(
        [sys.executable, "-m", "feedtool", "-q", "build", "--jobs", "2"],
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        workers: set[int] = set()
        deadline = time.monotonic() + 60
        while not workers and proc.poll() is None and time.monotonic() < deadline:
            workers = _children(proc.pid)
            time.sleep(0.01)
        assert workers, "the build finished before its workers could be seen"
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode != 0
    deadline = time.monotonic() + 30
    while any(_running(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not [pid for pid in workers if _running(pid)], "workers outlived the build"
    # Nothing half-written: no site, no staging folder.
    assert not (tmp_path / "site").exists()
    assert not list(tmp_path.glob(".site.new*"))
