"""GitHub workflows: the repository's own and the one `feedtool init` writes pass GitHub's
workflow schema (offline), and the scheduled import commits only when articles are new."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from feedtool.init import init_project

REPO = Path(__file__).resolve().parent.parent
OWN = sorted((REPO / ".github" / "workflows").glob("*.yml"))

pytest.importorskip("check_jsonschema", reason="the test extra installs check-jsonschema")


def check(*paths: Path) -> subprocess.CompletedProcess[str]:
    """check-jsonschema with its built-in copy of GitHub's workflow schema; every proxy
    points at a closed port, so the check passes only if it needs no network."""
    env = {**os.environ, "NO_COLOR": "1"}
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY"):
        env[name] = "http://127.0.0.1:9"
    env.pop("NO_PROXY", None)
    env.pop("no_proxy", None)
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "check_jsonschema",
            "--builtin-schema",
            "vendor.github-workflows",
            *map(str, paths),
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


def scaffold(tmp_path: Path) -> Path:
    init_project(tmp_path / "news")
    return tmp_path / "news" / ".github" / "workflows" / "site.yml"


@pytest.mark.slow
def test_the_workflows_pass_the_github_workflow_schema(tmp_path: Path) -> None:
    assert OWN, "the repository has workflows"
    result = check(*OWN, scaffold(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "ok -- validation done" in result.stdout


@pytest.mark.slow
def test_the_schema_check_catches_a_broken_workflow(tmp_path: Path) -> None:
    flow = yaml.safe_load(scaffold(tmp_path).read_text())
    del flow["jobs"]["build"]["runs-on"]
    flow["jobs"]["build"]["permissions"] = {"contents": "push"}
    broken = tmp_path / "broken.yml"
    broken.write_text(yaml.safe_dump(flow))
    result = check(broken)
    assert result.returncode == 1
    assert "Schema validation errors were encountered" in result.stdout + result.stderr


def steps_of(flow: dict[str, Any]) -> list[dict[str, Any]]:
    return list(flow["jobs"]["build"]["steps"])


def test_the_scheduled_run_imports_commits_then_builds_with_a_cache(tmp_path: Path) -> None:
    flow = yaml.safe_load(scaffold(tmp_path).read_text())
    triggers = flow[True]  # YAML 1.1 reads the key `on` as True
    assert {"schedule", "workflow_dispatch", "push"} <= set(triggers)
    assert flow["permissions"] == {"contents": "read"}
    assert flow["jobs"]["build"]["permissions"] == {"contents": "write"}
    assert flow["jobs"]["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    assert flow["concurrency"]["cancel-in-progress"] is False
    steps = steps_of(flow)
    names = [s.get("name") or s.get("uses") for s in steps]
    checkout = steps[0]
    assert checkout["uses"].startswith("actions/checkout@")
    assert checkout["with"]["fetch-depth"] == 0
    order = [
        "Import the followed feeds",
        "Commit new articles",
        "Restore the build cache",
        "Build",
    ]
    assert [n for n in names if n in order] == order
    imported = steps[names.index("Import the followed feeds")]
    assert imported["run"] == "feedtool import --format json"
    assert imported["if"] == "github.event_name != 'push'"
    cache = steps[names.index("Restore the build cache")]
    assert cache["uses"].startswith("actions/cache@")
    assert cache["with"]["path"] == ".feedtool-cache"
    assert cache["with"]["restore-keys"].startswith("feedtool-build-")
    assert "--strict" in steps[names.index("Build")]["run"]
    assert flow["env"]["CONTENT"] == "seeds"  # the scaffold's paths.content
    config = yaml.safe_load((tmp_path / "news" / "config.yaml").read_text())
    assert config["paths"]["content"] == flow["env"]["CONTENT"]


def git(cwd: Path, *args: str) -> str:
    env = {
        "HOME": str(cwd),
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "GIT_AUTHOR_NAME": "Editor",
        "GIT_AUTHOR_EMAIL": "editor@example.org",
        "GIT_COMMITTER_NAME": "Editor",
        "GIT_COMMITTER_EMAIL": "editor@example.org",
    }
    done = subprocess.run(
        ["git", *args], cwd=cwd, env=env, capture_output=True, text=True, check=True
    )
    return done.stdout


@pytest.mark.skipif(
    shutil.which("git") is None or shutil.which("bash") is None, reason="needs git and bash"
)
def test_the_commit_step_pushes_new_articles_only(tmp_path: Path) -> None:
    flow = yaml.safe_load(scaffold(tmp_path).read_text())
    steps = steps_of(flow)
    script = next(s["run"] for s in steps if s.get("name") == "Commit new articles")
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "-q", "--bare", "-b", "main", str(remote))
    work = tmp_path / "news"
    git(work, "init", "-q", "-b", "main")
    git(work, "add", "-A")
    git(work, "commit", "-qm", "Start")
    git(work, "remote", "add", "origin", str(remote))
    git(work, "push", "-q", "-u", "origin", "main")

    def step() -> str:
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(tmp_path),
            "CONTENT": flow["env"]["CONTENT"],
        }
        done = subprocess.run(
            ["bash", "-e", "-c", script], cwd=work, env=env, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    # Only the importer's record changed (new validators): nothing is committed or pushed.
    (work / ".feedtool-import.json").write_text('{"sources": {}, "version": 1}\n')
    assert step() == "No new articles: nothing to commit.\n"
    assert git(remote, "log", "--format=%s", "main") == "Start\n"
    # A new article: committed with the record, by the bot, and pushed.
    (work / "seeds" / "2024-05-01-new.md").write_text("---\ntitle: New\n---\nText.\n")
    step()
    assert git(remote, "log", "--format=%s|%an", "main").splitlines() == [
        "Import new articles from followed feeds|github-actions[bot]",
        "Start|Editor",
    ]
    changed = git(remote, "show", "--name-only", "--format=", "main").split()
    assert changed == [".feedtool-import.json", "seeds/2024-05-01-new.md"]
