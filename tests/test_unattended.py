"""Nothing an editor can type stops an unattended build: bad articles are skipped and
named, YAML mistakes are explained, ids never follow the deploy URL, and the output
folder cannot swallow the project."""

from __future__ import annotations

import contextlib
import dataclasses
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree
from typer.testing import CliRunner

from feedtool import sources
from feedtool.build import build, check_project
from feedtool.cli import app
from feedtool.config import load_config, parse_config, with_overrides
from feedtool.errors import BuildError, ConfigError, FeedtoolError, SourceError
from feedtool.init import init_project
from feedtool.schema import compose
from feedtool.serve import LiveSite
from feedtool.sources.markdown import split_front_matter
from feedtool.sources.meta import parse_meta

from .conftest import tree
from .helpers import CONFIG, make_project

runner = CliRunner()
ATOM = "{http://www.w3.org/2005/Atom}"
GOOD = (
    "---\ntitle: Trade talks\ndate: 2024-01-01T00:00:00Z\nlicense: CC BY 4.0\n"
    "source: Example Wire\ntopics: [medtop:04000000]\n---\n"
    "Officials in Tehran met to discuss trade.\n"
)


def cli(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stderr


def front(lines: str, body: str = "A story from Tehran about trade.\n") -> str:
    return f"---\n{lines}license: CC BY 4.0\ntopics: [medtop:04000000]\n---\n{body}"


def messages(exc: FeedtoolError) -> list[str]:
    return [p.format() for p in exc.problems]


# Control characters written as YAML escapes ------------------------------------------


@pytest.mark.parametrize("escape", ["\\x07", "\\x1A", "\\u0000", "\\uFFFE"])
def test_control_character_escape_in_front_matter_is_removed_with_a_warning(
    tmp_path: Path, escape: str
) -> None:
    text = front(f'title: "Bell {escape} in title"\ndate: 2024-01-01\n')
    cfg = make_project(tmp_path, {"a.md": text})
    report = build(cfg)
    assert report.skipped == []
    warned = [w.format() for w in report.warnings if "control character" in w.message]
    assert warned == [
        "seeds/a.md:2:8: title: removed 1 control character(s) not allowed in XML\n"
        "  hint: remove the escape (such as \\x07) from the value"
    ]
    feed = etree.parse(str(cfg.output_dir / "atom.xml"))
    assert feed.findtext(f"{ATOM}entry/{ATOM}title") == "Bell in title"


def test_control_character_escape_in_a_sidecar_and_in_the_config(tmp_path: Path) -> None:
    config = CONFIG.replace("publisher: Test Desk", 'publisher: "Test\\x1ADesk"')
    cfg = make_project(
        tmp_path,
        {
            "a.txt": "Officials in Tehran met to discuss trade.\n",
            "a.yaml": 'date: 2024-01-01\nlicense: CC BY 4.0\nauthor: "Ann\\x07 Lee"\n'
            "source: Example Wire\ntopics: [medtop:04000000]\n",
        },
        config,
    )
    assert cfg.site.publisher == "TestDesk"
    report = build(cfg)
    assert [w.format().split("\n")[0] for w in report.warnings] == [
        "config.yaml:4:14: site.publisher: removed 1 control character(s) not allowed in XML",
        "seeds/a.yaml:3:9: author: removed 1 control character(s) not allowed in XML",
    ]
    etree.parse(str(cfg.output_dir / "atom.xml"))


def test_text_that_xml_forbids_never_reaches_the_feeds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The last line of defence: were a reader to let a control character through, the
    article is skipped with its file named, rather than the feed writer failing."""
    cfg = make_project(
        tmp_path, {"a.md": GOOD, "b.md": GOOD.replace("Officials", "Bell \x07 officials")}
    )
    monkeypatch.setattr(sources, "_has_illegal", lambda text: False)  # the readers' check
    report = build(cfg, jobs=1)
    assert [p.format() for p in report.skipped] == [
        "seeds/b.md: body: holds a character not allowed in XML (U+0007); the article is "
        "left out\n  hint: remove the character from the file"
    ]
    assert report.articles == 1
    etree.parse(str(cfg.output_dir / "atom.xml"))


# Impossible dates ------------------------------------------------------------------------

DATE_CASES = [
    ("2026-02-30", "'2026-02-30' (day is out of range for month)"),
    ("2026-13-45", "'2026-13-45' (month must be in 1..12)"),
    ("2026-01-01T25:00:00", "'2026-01-01T25:00:00' (hour must be in 0..23)"),
    ("2026-01-01 25:00", "'2026-01-01 25:00' (hour must be in 0..23)"),
    (
        "2026-01-01T10:00:00+25:00",
        "'2026-01-01T10:00:00+25:00' (a UTC offset must be less than 24 hours)",
    ),
    ('"2026-02-30"', "'2026-02-30' (day is out of range for month)"),
]


@pytest.mark.parametrize(("value", "said"), DATE_CASES)
def test_impossible_date_in_front_matter_names_file_line_and_key(
    tmp_path: Path, value: str, said: str
) -> None:
    cfg = make_project(tmp_path, {"a.md": front(f"date: {value}\n"), "b.md": GOOD})
    report = build(cfg)
    (skipped,) = report.skipped
    assert skipped.format().split("\n")[0] == f"seeds/a.md:2:7: date: no such date or time: {said}"
    assert report.articles == 1


@pytest.mark.parametrize(("value", "said"), DATE_CASES[:2])
def test_impossible_date_in_a_sidecar(tmp_path: Path, value: str, said: str) -> None:
    cfg = make_project(
        tmp_path,
        {"a.txt": "A story.\n", "a.yaml": f"license: CC0\nupdated: {value}\n", "b.md": GOOD},
    )
    report = build(cfg)
    assert [p.format().split("\n")[0] for p in report.skipped] == [
        f"seeds/a.yaml:2:10: updated: no such date or time: {said}"
    ]


@pytest.mark.parametrize(("value", "said"), DATE_CASES)
def test_impossible_undated_in_the_config(tmp_path: Path, value: str, said: str) -> None:
    with pytest.raises(ConfigError) as info:
        parse_config(CONFIG + f"articles:\n  undated: {value}\n", tmp_path / "config.yaml")
    (only,) = info.value.problems
    assert only.format().split("\n")[0] == (
        f"config.yaml:8:12: articles.undated: no such date or time: {said}"
    )


def test_impossible_dates_in_build_check_and_tag_name_every_file(tmp_path: Path) -> None:
    make_project(
        tmp_path,
        {
            "a.md": front("date: 2026-02-30\n"),
            "b.md": front("date: 2026-01-01T10:00:00+25:00\n"),
            "c.md": GOOD,
        },
    )
    expected = [
        "error: seeds/a.md:2:7: date: no such date or time: '2026-02-30' "
        "(day is out of range for month)",
        "error: seeds/b.md:2:7: date: no such date or time: '2026-01-01T10:00:00+25:00' "
        "(a UTC offset must be less than 24 hours)",
    ]
    for args in (["build"], ["check"], ["tag", "seeds"]):
        code, err = cli(*args)
        assert "internal error" not in err, args
        for line in expected:
            assert line in err, (args, err)
        assert code == (1 if args[0] == "tag" else 0), (args, err)


# Skipping a bad article, and --strict --------------------------------------------------


def test_a_bad_article_is_skipped_named_and_counted(tmp_path: Path) -> None:
    cfg = make_project(tmp_path, {"a.md": GOOD, "b.md": "---\ndate: soon\n---\nB.\n"})
    report = build(cfg)
    assert report.articles == 1
    assert report.skipped_files == 1
    assert report.summary().endswith("; 1 article skipped (errors above)")
    assert (cfg.output_dir / "articles/a/index.html").is_file()
    assert not (cfg.output_dir / "articles/b").exists()
    code, err = cli("build")
    assert code == 0
    assert "error: seeds/b.md:2:7: date: not an ISO 8601 date: 'soon'" in err
    assert "1 article skipped (errors above)" in err


def test_strict_fails_on_a_skipped_article_and_keeps_the_site(tmp_path: Path) -> None:
    cfg = make_project(tmp_path, {"a.md": GOOD})
    build(cfg)
    before = tree(cfg.output_dir)
    (cfg.content_dir / "b.md").write_text("---\ndate: 2026-02-30\n---\nB.\n")
    with pytest.raises(BuildError) as info:
        build(cfg, strict=True)
    assert messages(info.value)[0].startswith("seeds/b.md:2:7: date: no such date or time")
    assert tree(cfg.output_dir) == before
    code, err = cli("build", "--strict")
    assert code == 1
    assert err.count("seeds/b.md:2:7: date:") == 1
    assert tree(cfg.output_dir) == before


def test_every_article_bad_is_a_failure_and_keeps_the_site(tmp_path: Path) -> None:
    cfg = make_project(tmp_path, {"a.md": GOOD})
    build(cfg)
    before = tree(cfg.output_dir)
    (cfg.content_dir / "a.md").write_text("---\ndate: soon\n---\nA.\n")
    with pytest.raises(SourceError):
        build(cfg)
    assert tree(cfg.output_dir) == before


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_skipped_article_is_not_cached_and_comes_back_when_fixed(
    tmp_path: Path, jobs: int
) -> None:
    cfg = make_project(tmp_path, {"a.md": GOOD, "b.md": GOOD.replace("Trade", "Other")})
    assert build(cfg, jobs=jobs).articles == 2
    (cfg.content_dir / "b.md").write_text(front("date: 2026-13-45\n"))
    first = build(cfg, jobs=jobs)
    assert (first.articles, first.skipped_files) == (1, 1)
    again = build(cfg, jobs=jobs)  # nothing changed: the skip is reported again
    assert again.noop
    assert (again.articles, again.skipped_files) == (1, 1)
    assert [p.format() for p in again.skipped] == [p.format() for p in first.skipped]
    with pytest.raises(BuildError):
        build(cfg, jobs=jobs, strict=True)
    (cfg.content_dir / "b.md").write_text(GOOD.replace("Trade", "Fixed"))
    fixed = build(cfg, jobs=jobs)
    assert (fixed.articles, fixed.skipped) == (2, [])
    assert "Fixed" in (cfg.output_dir / "articles/b/index.html").read_text()
    assert build(cfg, jobs=jobs, cache=False).skipped == []


def test_a_duplicate_id_skips_the_later_article(tmp_path: Path) -> None:
    same = "id: tag:news.example.org,2026:same\ndate: 2024-01-01\n"
    cfg = make_project(tmp_path, {"a.md": front(same), "b.md": front(same)})
    report = build(cfg)
    assert report.articles == 1
    assert [p.format().split("\n")[0] for p in report.skipped] == [
        "seeds/b.md: id: same id 'tag:news.example.org,2026:same' as seeds/a.md"
    ]


# check and build share one path --------------------------------------------------------


def test_check_strict_fails_exactly_when_build_strict_does(tmp_path: Path) -> None:
    # Dated and licensed, but about nothing the topic rules know: only "matched no topic".
    untagged = "---\ndate: 2024-01-01\nlicense: CC BY 4.0\n---\nZzz qqq.\n"
    make_project(tmp_path, {"a.md": untagged})
    code, err = cli("check", "--strict")
    assert code == 1
    assert "error: seeds: topics: 1 article(s) matched no topic: seeds/a.md" in err
    code, err = cli("build", "--strict")
    assert code == 1
    assert err.count("matched no topic") == 1  # once, as an error
    assert "warning:" not in err
    assert cli("check")[0] == 0
    assert cli("build")[0] == 0
    (tmp_path / "seeds" / "a.md").write_text(GOOD)
    assert cli("check", "--strict")[0] == 0
    assert cli("build", "--strict")[0] == 0


def test_check_reports_what_build_reports(tmp_path: Path) -> None:
    cfg = make_project(tmp_path, {"a.md": GOOD, "b.txt": "Undated, unlicensed.\n"})
    checked = check_project(cfg)
    built = build(cfg)
    assert [w.format() for w in checked.warnings] == [w.format() for w in built.warnings]
    assert (checked.articles, checked.pages, checked.feeds) == (
        built.articles,
        built.pages,
        built.feeds,
    )
    assert not (tmp_path / ".feedtool-cache" / "last").exists()


# Entry ids never follow the deploy URL -------------------------------------------------


def _entry_ids(feed: Path) -> list[str]:
    root = etree.parse(str(feed)).getroot()
    return [str(e.findtext(f"{ATOM}id")) for e in root.findall(f"{ATOM}entry")]


def test_init_sets_the_id_authority_from_the_folder_name(tmp_path: Path) -> None:
    init_project(tmp_path / "My News")
    cfg = load_config(tmp_path / "My News" / "config.yaml")
    assert cfg.feeds.id_authority == "my-news,2026"


def test_ids_do_not_change_with_base_url_or_serve(tmp_path: Path) -> None:
    init_project(tmp_path / "news")
    cfg = load_config(tmp_path / "news" / "config.yaml")
    build(cfg)
    ids = _entry_ids(cfg.output_dir / "atom.xml")
    assert ids == ["tag:news,2026:welcome-to-feedtool"]
    deployed = with_overrides(cfg, base_url="https://someone.github.io/news/")
    build(deployed, out_dir=tmp_path / "deployed")
    assert _entry_ids(tmp_path / "deployed" / "atom.xml") == ids
    site = LiveSite(cfg.path, "http://127.0.0.1:8000/", tmp_path / "served")
    assert site.rebuild(), site.error
    assert _entry_ids(site.site_dir / "atom.xml") == ids


def test_an_empty_id_authority_stays_that_of_the_configured_base_url(tmp_path: Path) -> None:
    cfg = make_project(tmp_path, {"a.md": GOOD}, CONFIG.replace("news.example.org,2026", '""'))
    assert cfg.id_authority == "news.example.org,2026"
    moved = with_overrides(cfg, base_url="https://someone.github.io/x/")
    assert moved.base_url == "https://someone.github.io/x/"
    assert moved.id_authority == "news.example.org,2026"
    served = cfg.with_base_url("http://127.0.0.1:8000/")
    assert served.id_authority == "news.example.org,2026"
    assert dataclasses.replace(cfg.feeds) == cfg.feeds  # the file's config is unchanged


# The output folder ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("output", "message"),
    [
        ("templates", "the output folder cannot be or contain the templates folder"),
        ("templates/site", "the output folder cannot be inside the templates folder"),
        (".", "the output folder cannot be the project folder or contain it"),
        ("seeds", "the output folder cannot be or contain the content folder"),
    ],
)
def test_output_folder_cannot_be_the_templates_or_hold_the_project(
    tmp_path: Path, output: str, message: str
) -> None:
    with pytest.raises(ConfigError) as info:
        make_project(tmp_path, {"a.md": GOOD}, CONFIG + f"paths:\n  output: {output}\n")
    assert messages(info.value) == [
        f"config.yaml:8:11: paths.output: {message}\n"
        "  hint: use a folder of its own, such as `site`"
    ]


def test_out_option_is_checked_the_same_way(tmp_path: Path) -> None:
    make_project(tmp_path, {"a.md": GOOD})
    (tmp_path / "templates").mkdir()
    code, err = cli("build", "--out", "templates")
    assert code == 1
    assert err == (
        "error: templates: --out: the output folder cannot be or contain the templates folder\n"
        "  hint: choose a folder of its own, such as `site`\n"
    )
    other = tmp_path / "other"
    make_project(other, {})
    code, err = cli("build", "--out", "other")
    assert code == 1
    assert "error: other: --out: the output folder holds a config file; it would be deleted" in err
    assert (other / "config.yaml").is_file()


def test_init_refuses_a_content_folder(tmp_path: Path) -> None:
    init_project(tmp_path / "proj")
    for target in ("proj/seeds", "proj/seeds/deeper"):
        code, err = cli("init", target)
        assert code == 1
        assert err == (
            f"error: {target}: is inside the content folder of the project proj/config.yaml\n"
            "  hint: articles go there; make the new project in a folder of its own\n"
        )
    assert sorted(p.name for p in (tmp_path / "proj" / "seeds").iterdir()) == [
        "welcome-to-feedtool.md"
    ]
    assert cli("init", "proj2")[0] == 0


# Front matter and YAML mistakes ------------------------------------------------------


def test_front_matter_never_closed_is_an_error(tmp_path: Path) -> None:
    text = "---\ntitle: Missing closer\ndate: 2026-12-01\nlicense: CC BY 4.0\n\nThe story.\n"
    cfg = make_project(tmp_path, {"a.md": text, "b.md": GOOD})
    report = build(cfg)
    assert [p.format() for p in report.skipped] == [
        "seeds/a.md:1: front matter opened at line 1 is never closed\n"
        "  hint: end the front matter with a line holding only `---`, before the story"
    ]
    assert report.warnings == []  # no "no date" or "no license" beside the error


def test_a_leading_thematic_break_is_not_front_matter() -> None:
    doc = split_front_matter("---\n\nA story after a rule.\n")
    assert not doc.unclosed
    assert doc.body == "---\n\nA story after a rule.\n"


@pytest.mark.parametrize(
    ("yaml_text", "expected"),
    [
        (
            "title: Breaking: news\n",
            "a.md:2:16: invalid YAML: a colon in a value: put the value in quotes\n"
            '  hint: write `title: "Breaking: news"`',
        ),
        (
            'title: "Unclosed\ndate: 2024-01-01\nsource: Desk\n',
            'a.md:2:8: invalid YAML: the quote " opened here is never closed\n'
            '  hint: end the value with a matching ", or remove the quote',
        ),
        (
            "topics:\n\t- medtop:04000000\n",
            "a.md:3:1: invalid YAML: tabs are not allowed for indentation; use spaces\n"
            "  hint: replace the tab at the start of the line with spaces",
        ),
        (
            "title: A\n  date: 2024-01-01\n",
            "a.md:3:7: invalid YAML: this `key:` line is indented more than the keys above it\n"
            "  hint: line it up with the keys above (or put a value that goes on in quotes)",
        ),
        (
            "title: [unclosed\ndate: 2024-01-01\n",
            "a.md:3:5: invalid YAML: expected ',' or ']': the list opened at line 2 is not "
            "closed\n  hint: close it with ], or put the value in quotes if the [ belongs to "
            "the text",
        ),
        (
            "source: @desk\n",
            "a.md:2:9: invalid YAML: a value cannot start with '@'\n"
            "  hint: put the value in quotes",
        ),
    ],
)
def test_yaml_syntax_errors_in_newcomer_words(yaml_text: str, expected: str) -> None:
    result = parse_meta(yaml_text, "a.md", line_offset=1)
    assert [p.format() for p in result.problems] == [expected]


def test_yaml_errors_in_config_and_sidecar_are_explained_too(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as info:
        parse_config(
            "site:\n  title: News: daily\n  base_url: https://x.org/\n", tmp_path / "c.yaml"
        )
    assert messages(info.value) == [
        "c.yaml:2:14: invalid YAML: a colon in a value: put the value in quotes\n"
        '  hint: write `title: "News: daily"`'
    ]
    cfg = make_project(
        tmp_path / "p",
        {"a.txt": "A story.\n", "a.yaml": "license: 'CC BY\ndate: 2024-01-01\n", "b.md": GOOD},
    )
    report = build(cfg)
    assert [p.format().split("\n")[0] for p in report.skipped] == [
        "p/seeds/a.yaml:1:10: invalid YAML: the quote ' opened here is never closed"
    ]


def test_compose_keeps_libyaml_and_python_parsers_in_agreement() -> None:
    """Both PyYAML parsers word errors differently; the explanation is the same."""
    import yaml

    from feedtool import schema

    texts = ["a: b: c\n", "a: 'x\n", "a:\n\tb: 1\n", "a: [1\n"]
    with_default = [compose(t, "f")[1][0].format() for t in texts]
    saved = schema._YAML_LOADER
    try:
        schema._YAML_LOADER = yaml.SafeLoader
        with_python = [compose(t, "f")[1][0].format() for t in texts]
    finally:
        schema._YAML_LOADER = saved
    assert with_python == with_default


YAML_PIECES = st.sampled_from(
    [
        "title: ",
        "date: ",
        "updated: ",
        "topics: ",
        "\n",
        "\t",
        "  ",
        ": ",
        '"',
        "'",
        "\\x07",
        "\\u0000",
        "\\",
        "[",
        "]",
        "{",
        "- ",
        "#",
        "@",
        "&a ",
        "*a",
        "!!str ",
        "!!timestamp ",
        "2026-02-30",
        "2026-13-45",
        "T25:00:00",
        "+25:00",
        "2024-01-01",
        "---",
        "x",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(YAML_PIECES, max_size=16).map("".join))
def test_any_front_matter_text_gives_problems_never_an_exception(text: str) -> None:
    result = parse_meta(text, "a.md", line_offset=1)
    for p in result.problems + result.warnings:
        assert p.location.path == "a.md"
        assert p.message
    with contextlib.suppress(ConfigError):
        parse_config("site: {base_url: 'https://x.org/'}\narticles:\n  undated: " + text, "c.yaml")
