"""The command line through CliRunner: every command, its errors, exit codes, streams."""

from __future__ import annotations

import json
import re
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


def test_the_quick_ending_still_runs_exit_functions(tmp_path: Path) -> None:
    """cli.run ends a successful command with CPython's private ``atexit._run_exitfuncs``
    and ``os._exit``: if the former goes or stops running what was registered, this fails."""
    mark = tmp_path / "ran"
    code = (
        "import atexit, sys\n"
        f"atexit.register(lambda: open({str(mark)!r}, 'w').write('ran'))\n"
        "sys.argv = ['feedtool', '--version']\n"
        "from feedtool.cli import run\n"
        "run()\n"
        "raise SystemExit('run() returned')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=False,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("feedtool, version ")
    assert mark.read_text() == "ran"


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
    (project / "seeds" / "2024-05-01-port.md").write_text(
        "---\ntitle: Georgian port workers end their strike\nlicense: CC BY 4.0\n---\n"
        "BATUMI, Georgia – Dock workers in Batumi ended a week-long strike over wages on "
        "Wednesday after the port operator agreed to a pay rise, the union said.\n"
    )
    result = runner.invoke(app, ["tag", "--format", "json", "--explain", "seeds"])
    assert result.exit_code == 0, result.stderr
    port, welcome = json.loads(result.stdout)
    assert welcome["path"] == "seeds/welcome-to-feedtool.md"
    assert welcome["license"]["url"] == "https://creativecommons.org/publicdomain/zero/1.0/"
    assert port["path"] == "seeds/2024-05-01-port.md"
    georgia = next(t for t in port["regions"] if t["id"] == "GE")
    assert georgia["primary"] and georgia["evidence"], georgia
    assert any(e["text"] == "Batumi" for e in georgia["evidence"]), georgia["evidence"]
    assert port["topics"], "the port story has no topic"
    leaves = [t for t in port["topics"] + welcome["topics"] if t["leaf"]]
    countries = [t for t in port["regions"] if t["type"] == "country"]
    for tag in leaves + countries:
        assert tag["evidence"], tag  # says what it was found from (broader topics roll up)


def test_check_strict_fails_on_a_warning(project: Path) -> None:
    (project / "seeds" / "undated.md").write_text(
        "---\ntitle: Undated\nlicense: CC BY 4.0\n---\nNo date here.\n"
    )
    assert runner.invoke(app, ["check"]).exit_code == 0
    result = runner.invoke(app, ["check", "--strict"])
    assert result.exit_code == 1
    # As `build --strict` says it: the warning is an error, printed once.
    assert "error: seeds/undated.md: date: no date in the metadata, text or file name" in (
        result.stderr
    )
    assert result.stderr.count("seeds/undated.md: date: no date") == 1


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
        "missing.xml: failed: no such file\n"
        "error: missing.xml: no such file\n"
        "  hint: give the path or http(s) URL of an RSS 2.0 or Atom feed, or of an OPML list "
        "of feeds\n"
    )
    result = runner.invoke(app, ["import"])  # no SOURCE: the followed feeds, here none
    assert result.exit_code == 0
    assert result.stderr.startswith("nothing to import: import.follow in config.yaml")


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


HAND_TAGGED = """---
title: A choir sings in the old town
date: 2024-02-02
license: CC BY 4.0
source: Desk
regions: [Armenia, south-caucasus]
---
A choir sang in the old town square on Sunday, and the crowd stayed until dark.
"""


def test_hand_written_regions_are_kept_listed_and_published(project: Path) -> None:
    # The text names no place: both regions come only from the front matter.
    (project / "seeds" / "2024-02-02-choir.md").write_text(HAND_TAGGED)
    result = runner.invoke(app, ["tag", "--format", "json", "--explain", "seeds"])
    assert result.exit_code == 0, result.stderr
    choir = json.loads(result.stdout)[0]
    assert choir["path"] == "seeds/2024-02-02-choir.md"
    regions = {t["id"]: t for t in choir["regions"]}
    assert sorted(regions) == ["AM", "south-caucasus"]
    assert regions["AM"]["type"] == "country" and regions["AM"]["name"] == "Armenia"
    assert regions["south-caucasus"]["type"] == "region"
    for tag in regions.values():
        assert tag["primary"] and tag["listed"], tag
        assert [e["rule"] for e in tag["evidence"]] == ["manual (front matter)"]
    assert runner.invoke(app, ["build", "--strict"]).exit_code == 0
    site = project / "site"
    for slug in ("armenia", "south-caucasus"):
        assert (
            "A choir sings in the old town" in (site / "regions" / slug / "index.html").read_text()
        )
        # `init` names the id authority after the project folder ("news,2026").
        assert (
            "tag:news,2026:2024-02-02-choir" in (site / "regions" / slug / "atom.xml").read_text()
        )


def test_tag_table_format(project: Path) -> None:
    (project / "seeds" / "2024-02-02-choir.md").write_text(HAND_TAGGED)
    result = runner.invoke(app, ["tag", "--format", "table", "seeds"], env={"COLUMNS": "160"})
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    header = next(line for line in lines if "article" in line)
    assert re.search(r"article\W+regions\W+topics", header), header
    rows = "\n".join(lines)
    # One row per article, in name order; a primary region is starred, then its score.
    choir_at = rows.index("seeds/2024-02-02-choir.md")
    welcome_at = rows.index("seeds/welcome-to-feedtool.md")
    assert choir_at < welcome_at
    assert "AM Armenia * 0.0" in rows and "south-caucasus South Caucasus * 0.0" in rows
    assert "mass media 10.0" in rows  # the welcome article's topic and score
    assert result.stdout.count("A choir sings in the old town") == 1
    assert runner.invoke(app, ["tag", "--format", "yaml", "seeds"]).exit_code == 0
