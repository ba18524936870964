"""The README's 5-minute tour, run as a newcomer would: every command it shows, in order.

The commands are read from the README itself (its ``sh`` blocks under "A 5-minute tour"),
so the tour cannot drift from what feedtool does: init a project, add the article the
README shows, serve it and fetch the article from the server, build, and build for
publishing with a public URL. Each command runs as the installed ``feedtool`` program.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import signal
import subprocess
import sysconfig
import time
import urllib.request
from pathlib import Path

import pytest

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
SLUG = "2026-12-01-harbour-reopens"
TITLE = "Batumi harbour reopens after the storm"

pytestmark = pytest.mark.slow  # a dozen processes: several seconds


def tour() -> str:
    m = re.search(r"^## A 5-minute tour\n(.*?)(?=^## )", README, flags=re.S | re.M)
    assert m, "the README has no '## A 5-minute tour' section"
    return m.group(1)


def feedtool_command() -> str:
    script = Path(sysconfig.get_path("scripts")) / "feedtool"
    found = str(script) if script.is_file() else shutil.which("feedtool")
    assert found, "the feedtool command is not installed (pip install -e .)"
    return found


def serve_and_fetch(command: list[str], cwd: Path, env: dict[str, str]) -> None:
    """Run ``feedtool serve`` (on a free port), fetch the new article, stop it with Ctrl-C."""
    process = subprocess.Popen(
        [*command, "--port", "0"],
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stderr is not None
        url = None
        deadline = time.monotonic() + 60
        while url is None and time.monotonic() < deadline:
            line = process.stderr.readline()
            assert line, f"serve ended before serving (exit {process.poll()})"
            m = re.match(r"Serving (http://\S+) \(Ctrl-C to stop\)", line)
            url = m.group(1) if m else None
        assert url, "serve did not say where it serves"
        with urllib.request.urlopen(f"{url}articles/{SLUG}/", timeout=10) as response:
            assert response.status == 200
            page = response.read().decode()
        assert f"<h1>{TITLE}</h1>" in page
        assert "Creative Commons Attribution 4.0" in page  # the license, credited
        with urllib.request.urlopen(url, timeout=10) as response:
            assert f"articles/{SLUG}/" in response.read().decode()  # on the home page
    finally:
        process.send_signal(signal.SIGINT)  # Ctrl-C
        process.communicate(timeout=30)
    assert process.returncode == 0


def test_the_readme_tour_works(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    env = {**os.environ, "NO_COLOR": "1"}
    text = tour()
    blocks = re.findall(r"^```sh\n(.*?)^```$", text, flags=re.S | re.M)
    article = re.search(
        r"Save this as `(seeds/[^`]+)`.*?^```markdown\n(.*?)^```$", text, re.S | re.M
    )
    assert article, "the tour shows no article to save"
    assert article.group(1) == f"seeds/{SLUG}.md"
    steps = [line for block in blocks for line in block.splitlines() if line.strip()]
    assert [s.split()[:2] for s in steps] == [
        ["feedtool", "init"],
        ["feedtool", "serve"],
        ["feedtool", "build"],
        ["feedtool", "build"],
    ]
    feedtool = feedtool_command()
    started = time.monotonic()
    cwd = tmp_path
    for step in steps:
        for part in step.split("&&"):
            args = shlex.split(part)
            if args[0] == "cd":
                cwd = cwd / args[1]
                # Step 2: the reader saves the article shown, and looks at its tags.
                (cwd / article.group(1)).write_text(article.group(2), encoding="utf-8")
                tags = subprocess.run(
                    [feedtool, "tag", "seeds/"], cwd=cwd, env=env, capture_output=True, text=True
                )
                assert tags.returncode == 0, tags.stderr
                (harbour,) = [a for a in json.loads(tags.stdout) if a["slug"] == SLUG]
                regions = {t["id"]: t for t in harbour["regions"]}
                assert regions["GE"]["primary"] and not regions["TR"]["listed"], regions
                assert "weather" in [t["label"] for t in harbour["topics"]]
                continue
            command = [feedtool, *args[1:]]
            if args[1] == "serve":
                serve_and_fetch(command, cwd, env)
                continue
            result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
            assert result.returncode == 0, f"{part.strip()}:\n{result.stderr}"
    elapsed = time.monotonic() - started
    site = cwd / "site"
    assert TITLE in (site / "articles" / SLUG / "index.html").read_text(encoding="utf-8")
    assert f"tag:my-news,2026:{SLUG}" in (site / "regions/georgia/atom.xml").read_text()
    # The last build is the one for publishing: absolute URLs on the public host.
    atom = (site / "atom.xml").read_text(encoding="utf-8")
    assert f"https://news.example.org/articles/{SLUG}/" in atom
    # Publishing on GitHub Pages is the workflow that init wrote.
    workflow = (cwd / ".github/workflows/site.yml").read_text(encoding="utf-8")
    assert "feedtool build --strict --base-url" in workflow and "deploy-pages" in workflow
    assert elapsed < 120, f"the tour's commands took {elapsed:.0f} s"
