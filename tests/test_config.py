"""Config validation: exact messages with file:line:col, every problem at once."""

from __future__ import annotations

from pathlib import Path

import pytest

from feedtool.config import find_config, load_config, parse_config
from feedtool.errors import ConfigError

GOOD = """\
site:
  title: Test
  base_url: https://news.example.org/
"""


def errors(text: str, tmp_path: Path) -> list[str]:
    path = tmp_path / "config.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_config(path)
    return [p.format() for p in info.value.problems]


def test_minimal_config(tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    path.write_text(GOOD, encoding="utf-8")
    cfg = load_config(path)
    assert cfg.site.title == "Test"
    assert cfg.base_url == "https://news.example.org/"
    assert cfg.content_dir == tmp_path / "seeds"
    assert cfg.output_dir == tmp_path / "site"
    assert cfg.feeds.limit == 50
    assert cfg.id_authority == "news.example.org,2026"
    assert len(cfg.fingerprint) == 64


def test_base_url_gets_trailing_slash(tmp_path: Path) -> None:
    cfg = parse_config("site: {base_url: 'https://u.github.io/proj'}", tmp_path / "config.yaml")
    assert cfg.base_url == "https://u.github.io/proj/"


def test_unknown_key_did_you_mean(tmp_path: Path) -> None:
    text = GOOD + "feeds:\n  limt: 10\n"
    assert errors(text, tmp_path) == [
        "config.yaml:5:3: feeds.limt: unknown key\n  hint: did you mean `limit`?"
    ]


def test_all_problems_reported_together(tmp_path: Path) -> None:
    text = """\
site:
  base_url: example.org
  titel: x
feeds:
  limit: many
articles:
  timezone: Mars/Olympus
"""
    found = errors(text, tmp_path)
    assert found == [
        "config.yaml:3:3: site.titel: unknown key\n  hint: did you mean `title`?",
        "config.yaml:5:10: feeds.limit: expected an integer, got 'many'",
    ]


def test_value_checks_reported_together(tmp_path: Path) -> None:
    text = """\
site:
  base_url: example.org
feeds:
  limit: 0
articles:
  timezone: Mars/Olympus
"""
    found = errors(text, tmp_path)
    assert found[0].startswith(
        "config.yaml:2:13: site.base_url: must be an absolute http(s) URL, got 'example.org'"
    )
    assert found[1] == "config.yaml:4:10: feeds.limit: must be at least 1, got 0"
    assert found[2].startswith("config.yaml:6:13: articles.timezone: unknown time zone")


def test_topic_ids_are_checked_where_they_are_written(tmp_path: Path) -> None:
    text = (
        GOOD
        + """\
topics:
  rules:
    medtop:99999999: {strong: [zorbified]}
  feed_topics: [medtop:04000000, medtop:12345678]
  companions:
    medtop:17000000: {medtop:20000148: 0.3}
"""
    )
    found = errors(text, tmp_path)
    assert found[0].startswith(
        "config.yaml:6:22: topics.rules.medtop:99999999: unknown topic id 'medtop:99999999'"
    )
    assert found[1].startswith(
        "config.yaml:7:34: topics.feed_topics[1]: unknown topic id 'medtop:12345678'"
    )
    assert found[2].startswith(
        "config.yaml:9:40: topics.companions.medtop:17000000.medtop:20000148: "
        "medtop:20000148 (disaster) is not a top-level topic"
    )
    assert len(found) == 3


def test_yaml_syntax_error_has_line_and_column(tmp_path: Path) -> None:
    found = errors("site:\n  base_url: [unclosed\n", tmp_path)
    assert len(found) == 1
    assert found[0].startswith("config.yaml:3:1: invalid YAML:")


def test_missing_base_url(tmp_path: Path) -> None:
    found = errors("site:\n  title: x\n", tmp_path)
    assert found[0].startswith("config.yaml:2:3: site.base_url: required key is missing")


def test_wrong_type_for_list_gets_hint(tmp_path: Path) -> None:
    found = errors(GOOD + "feeds: 5\n", tmp_path)
    assert found == ["config.yaml:4:8: feeds: expected a mapping, got '5'"]


def test_empty_config(tmp_path: Path) -> None:
    found = errors("", tmp_path)
    assert found[0].startswith("config.yaml: site: the config file is empty")


@pytest.mark.parametrize(
    ("output", "message"),
    [
        (".", "the output folder cannot be the project folder or contain it"),
        ("seeds", "the output folder cannot be or contain the content folder"),
        ("seeds/site", "the output folder cannot be inside the content folder"),
        ("/", "refusing to use the file-system root as the output folder"),
        ("..", "the output folder cannot be the project folder or contain it"),
    ],
)
def test_dangerous_output_folders(tmp_path: Path, output: str, message: str) -> None:
    found = errors(GOOD + f"paths:\n  output: '{output}'\n", tmp_path)
    assert found == [
        f"config.yaml:5:11: paths.output: {message}\n"
        "  hint: use a folder of its own, such as `site`"
    ]


def test_find_config_walks_up(tmp_path: Path) -> None:
    (tmp_path / "config.yaml").write_text(GOOD, encoding="utf-8")
    deep = tmp_path / "a" / "b"
    deep.mkdir(parents=True)
    assert find_config(None, start=deep) == tmp_path / "config.yaml"


def test_find_config_names_where_it_looked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FEEDTOOL_CONFIG", raising=False)
    with pytest.raises(ConfigError) as info:
        find_config(None, start=tmp_path)
    text = info.value.problems[0].format()
    assert str(tmp_path) in text
    assert "no config.yaml or config.yml in this folder or any folder above it" in text
