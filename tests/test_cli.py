"""The command line through CliRunner: every command, its errors, exit codes, streams."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

import feedtool
from feedtool.cli import app

runner = CliRunner()
FEEDS = Path(__file__).parent / "data" / "feeds"
COMMANDS = ("build", "check", "import", "init", "serve", "tag")


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    assert runner.invoke(app, ["init", "news"]).exit_code == 0
    monkeypatch.chdir(tmp_path / "news")
    return tmp_path / "news"


def test_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout.startswith(f"feedtool, version {feedtool.__version__} from ")
    assert "(Python 3." in result.stdout


def test_no_arguments_shows_help_and_usage_exit_code() -> None:
    result = runner.invoke(app, [])
    assert result.exit_code == 2
    assert "Usage: feedtool" in result.stdout + result.stderr


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_an_example(command: str) -> None:
    result = runner.invoke(app, [command, "--help"])
    assert result.exit_code == 0
    assert "Example: feedtool " in result.stdout
    assert "Exit codes: 0 ok" in result.stdout
    assert runner.invoke(app, [command, "-h"]).stdout == result.stdout


def test_unknown_option_is_a_usage_error() -> None:
    result = runner.invoke(app, ["build", "--no-such-flag"])
    assert result.exit_code == 2
    assert "No such option: --no-such-flag" in result.stderr


def test_completion_is_available() -> None:
    result = runner.invoke(app, ["--help"])
    assert "--install-completion" in result.stdout
    assert "--show-completion" in result.stdout


def test_python_dash_m(tmp_path: Path) -> None:
    repo = Path(__file__).resolve().parent.parent
    result = subprocess.run(
        [sys.executable, "-m", "feedtool", "--version"],
        capture_output=True,
        text=True,
        cwd=repo,
        check=False,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"feedtool, version {feedtool.__version__}")


@pytest.mark.parametrize(
    ("args", "code", "stderr"),
    [
        (["build", "--config", "missing.yaml"], 1, "config file not found"),
        (["--no-such-option"], 2, "No such option"),
    ],
)
def test_the_command_exits_with_the_apps_code(
    tmp_path: Path, args: list[str], code: int, stderr: str
) -> None:
    # ``python -m feedtool`` runs cli.run, which ends the process itself after the app.
    result = subprocess.run(
        [sys.executable, "-m", "feedtool", *args],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=False,
        timeout=60,
    )
    assert result.returncode == code
    assert stderr in result.stderr
    assert result.stdout == ""


def test_init_reports_files_on_stderr(tmp_path: Path) -> None:
    result = runner.invoke(app, ["init", "news"])
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "created news/.github/workflows/site.yml",
        "created news/.gitignore",
        "created news/config.yaml",
        "created news/seeds/welcome-to-feedtool.md",
        "created news/templates/README.md",
        "Next: cd news && feedtool serve",
    ]
    assert runner.invoke(app, ["-q", "init", "other"]).stderr == ""


def test_init_refuses_to_overwrite(project: Path) -> None:
    (project / "templates" / "README.md").unlink()
    result = runner.invoke(app, ["init"])
    assert result.exit_code == 1
    assert result.stderr == (
        "error: .github/workflows/site.yml: already exists; not overwritten\n"
        "  hint: move it away, or run `feedtool init` in a new folder\n"
        "error: .gitignore: already exists; not overwritten\n"
        "  hint: move it away, or run `feedtool init` in a new folder\n"
        "error: config.yaml: already exists; not overwritten\n"
        "  hint: move it away, or run `feedtool init` in a new folder\n"
        "error: seeds/welcome-to-feedtool.md: already exists; not overwritten\n"
        "  hint: move it away, or run `feedtool init` in a new folder\n"
        "4 problems found.\n"
    )
    assert not (project / "templates" / "README.md").exists()  # nothing written


def test_build_check_and_tag(project: Path) -> None:
    result = runner.invoke(app, ["build"])
    assert result.exit_code == 0, result.stderr
    assert result.stderr.startswith("Built 1 article, ")
    result = runner.invoke(app, ["build", "--check"])
    assert result.exit_code == 0
    assert result.stderr.startswith("Site is up to date (")
    (project / "seeds" / "welcome-to-feedtool.md").write_text(
        (project / "seeds" / "welcome-to-feedtool.md").read_text().replace("ready", "built")
    )
    result = runner.invoke(app, ["build", "--check"])
    assert result.exit_code == 1
    assert "would change: articles/welcome-to-feedtool/index.html" in result.stderr
    result = runner.invoke(app, ["check"])
    assert result.exit_code == 0
    assert result.stderr.startswith("Checked 1 article(s), ")
    assert result.stdout == ""
    result = runner.invoke(app, ["tag", "--format", "json", "--explain", "seeds"])
    assert result.exit_code == 0, result.stderr
    (record,) = json.loads(result.stdout)
    assert record["path"] == "seeds/welcome-to-feedtool.md"
    assert record["license"]["url"] == "https://creativecommons.org/publicdomain/zero/1.0/"
    assert all("evidence" in t for t in record["topics"] + record["regions"])


def test_check_strict_fails_on_a_warning(project: Path) -> None:
    (project / "seeds" / "undated.md").write_text(
        "---\ntitle: Undated\nlicense: CC BY 4.0\n---\nNo date here.\n"
    )
    assert runner.invoke(app, ["check"]).exit_code == 0
    result = runner.invoke(app, ["check", "--strict"])
    assert result.exit_code == 1
    assert "warning: seeds/undated.md: date: no date; using 1970-01-01T00:00:00+00:00" in (
        result.stderr
    )


def test_commands_without_a_project(tmp_path: Path) -> None:
    for args in (["build"], ["check"], ["serve"], ["import", "feed.xml"]):
        result = runner.invoke(app, args)
        assert result.exit_code == 1, args
        assert result.stderr == (
            f"error: {tmp_path.resolve()}: no config.yaml or config.yml in this folder or any "
            "folder above it\n"
            "  hint: run feedtool in a project folder, pass --config PATH, or create a project "
            "with `feedtool init`\n"
        ), args


def test_build_with_a_bad_base_url(project: Path) -> None:
    result = runner.invoke(app, ["build", "--base-url", "ftp://x"])
    assert result.exit_code == 1
    assert result.stderr.startswith(
        "error: --base-url: site.base_url: must be an absolute http(s) URL without query or "
        "fragment, got 'ftp://x'\n"
    )


def test_import_messages_and_exit_codes(project: Path) -> None:
    result = runner.invoke(app, ["import", str(FEEDS / "agency.atom")])
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        f"warning: {FEEDS / 'agency.atom'}:32: entry tag:agency.example.org,2024:1003: skipped "
        "(license not open): 'A story the agency does not license': not a Creative Commons "
        "or public-domain license: '© 2024 Example Agency. All rights reserved.'",
        "  hint: import it anyway with --allow-unlicensed if you may republish it",
        "imported seeds/2024-05-01-port-workers-in-georgia-end-strike.md",
        "imported seeds/2024-05-01-armenia-and-iran-sign-a-road-agreement.md",
        f"Example Agency ({FEEDS / 'agency.atom'}): 3 entries: 2 new, 0 already imported, "
        "1 skipped (1 license not open)",
    ]
    assert (project / ".feedtool-import.json").is_file()
    result = runner.invoke(app, ["import", "missing.xml"])
    assert result.exit_code == 1
    assert result.stderr == (
        "error: missing.xml: no such file\n"
        "  hint: give the path or http(s) URL of an RSS 2.0 or Atom feed, or of an OPML list "
        "of feeds\n"
    )
    result = runner.invoke(app, ["import"])
    assert result.exit_code == 2
    assert "Error: Missing argument 'SOURCE'." in result.stderr


def test_import_into_without_a_project(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["import", "--into", "out", "--allow-unlicensed", str(FEEDS / "unlicensed.rss")]
    )
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "out" / "2024-05-05-an-unlicensed-post.md").is_file()
    assert (tmp_path / "out" / ".feedtool-import.json").is_file()


def test_serve_rejects_a_bad_port_and_a_bad_config(project: Path) -> None:
    result = runner.invoke(app, ["serve", "--port", "70000"])
    assert result.exit_code == 2
    assert "Invalid value for '--port'" in result.stderr
    (project / "config.yaml").write_text("site: {base_url: nowhere}\n")
    result = runner.invoke(app, ["serve"])
    assert result.exit_code == 1
    assert "site.base_url: must be an absolute http(s) URL, got 'nowhere'" in result.stderr


def test_quiet_and_verbose(project: Path) -> None:
    assert runner.invoke(app, ["-q", "build"]).stderr == ""
    result = runner.invoke(app, ["-v", "build"])
    assert result.exit_code == 0
