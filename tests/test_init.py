"""``feedtool init``: the scaffold, the no-overwrite rule, and a project that builds at once."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

import feedtool
from feedtool.cli import app
from feedtool.config import load_config
from feedtool.errors import FeedtoolError
from feedtool.init import init_project, scaffold_files

runner = CliRunner()

FILES = (
    ".github/workflows/site.yml",
    ".gitignore",
    "config.yaml",
    "seeds/welcome-to-feedtool.md",
    "templates/README.md",
)


def test_scaffold_files_are_the_documented_ones() -> None:
    assert tuple(path for path, _ in scaffold_files()) == FILES


def test_init_writes_the_project(tmp_path: Path) -> None:
    report = init_project(tmp_path / "news")
    assert report.files == FILES
    for name in FILES:
        assert (tmp_path / "news" / name).is_file()
    cfg = load_config(tmp_path / "news" / "config.yaml")
    assert cfg.paths.content == "seeds"
    assert cfg.content_dir == (tmp_path / "news" / "seeds").resolve()


def test_init_in_an_existing_empty_folder(tmp_path: Path) -> None:
    (tmp_path / "news").mkdir()
    (tmp_path / "news" / "notes.txt").write_text("mine\n")
    init_project(tmp_path / "news")
    assert (tmp_path / "news" / "notes.txt").read_text() == "mine\n"


def test_init_refuses_to_overwrite_and_writes_nothing(tmp_path: Path) -> None:
    root = tmp_path / "news"
    root.mkdir()
    (root / "config.yaml").write_text("site: {base_url: https://mine.example/}\n")
    (root / ".gitignore").write_text("mine\n")
    with pytest.raises(FeedtoolError) as info:
        init_project(root)
    shown = [p.location.path for p in info.value.problems]
    assert shown == ["news/.gitignore", "news/config.yaml"]
    assert all(p.message == "already exists; not overwritten" for p in info.value.problems)
    assert (root / "config.yaml").read_text() == "site: {base_url: https://mine.example/}\n"
    assert not (root / "seeds").exists()
    assert not (root / ".github").exists()


def test_init_refuses_a_file_where_a_folder_goes(tmp_path: Path) -> None:
    (tmp_path / "seeds").write_text("not a folder\n")
    with pytest.raises(FeedtoolError) as info:
        init_project(tmp_path)
    assert [p.location.path for p in info.value.problems] == ["seeds"]


def test_init_refuses_a_file_as_the_project(tmp_path: Path) -> None:
    (tmp_path / "news").write_text("x")
    with pytest.raises(FeedtoolError, match="exists and is not a folder"):
        init_project(tmp_path / "news")


def test_workflow_builds_strict_on_push_and_schedule_and_deploys(tmp_path: Path) -> None:
    init_project(tmp_path)
    text = (tmp_path / ".github/workflows/site.yml").read_text()
    flow = yaml.safe_load(text)
    triggers = flow[True]  # YAML 1.1 reads the key `on` as True
    assert set(triggers) == {"push", "schedule", "workflow_dispatch"}
    assert triggers["schedule"][0]["cron"]
    assert flow["env"]["FEEDTOOL"] == f"feedtool=={feedtool.__version__}"
    steps = flow["jobs"]["build"]["steps"]
    runs = [s.get("run", "") for s in steps]
    uses = [s.get("uses", "") for s in steps]
    assert any(u.startswith("actions/configure-pages@") for u in uses)
    assert any(u.startswith("actions/upload-pages-artifact@") for u in uses)
    build = next(r for r in runs if r.startswith("feedtool build"))
    assert "--strict" in build
    assert '--base-url "${{ steps.pages.outputs.base_url }}/"' in build
    assert flow["jobs"]["deploy"]["steps"][0]["uses"].startswith("actions/deploy-pages@")
    assert "@FEEDTOOL_VERSION@" not in text


def test_gitignore_covers_the_outputs_and_import_lock_not_its_record(tmp_path: Path) -> None:
    init_project(tmp_path)
    lines = (tmp_path / ".gitignore").read_text().splitlines()
    for pattern in ("/site/", "/_site/", ".site.*", ".feedtool-import.lock"):
        assert pattern in lines
    # The importer's record is committed with the articles: a fresh clone re-imports nothing.
    assert ".feedtool-import.json" not in lines


def test_example_article_is_marked_and_licensed(tmp_path: Path) -> None:
    init_project(tmp_path)
    text = (tmp_path / "seeds/welcome-to-feedtool.md").read_text()
    assert "**This is an example, not news.**" in text
    front = yaml.safe_load(text.split("---")[1])
    assert front["license"] == "CC0 1.0"
    assert front["source"] == "feedtool"
    assert str(front["date"]) == "2026-11-28"


def test_templates_note_is_not_a_template(tmp_path: Path) -> None:
    init_project(tmp_path)
    text = (tmp_path / "templates/README.md").read_text()
    assert "{%" not in text and "{{" not in text and "{#" not in text


def test_new_project_builds_at_once_strict(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    result = runner.invoke(app, ["init", "news"])
    assert result.exit_code == 0, result.stderr
    monkeypatch.chdir(tmp_path / "news")
    result = runner.invoke(app, ["build", "--strict"])
    assert result.exit_code == 0, result.stderr
    site = tmp_path / "news" / "site"
    page = (site / "articles/welcome-to-feedtool/index.html").read_text()
    assert "your feedtool project is ready" in page
    assert "https://creativecommons.org/publicdomain/zero/1.0/" in page
    assert (site / "atom.xml").is_file()
    result = runner.invoke(app, ["check", "--strict"])
    assert result.exit_code == 0, result.stderr
