"""Bad, hostile and broken input: a clear error or a safe result, and nothing is lost."""

from __future__ import annotations

import json
import re
from pathlib import Path

import html5lib
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from typer.testing import CliRunner

from feedtool.build import build
from feedtool.chars import FORBIDDEN
from feedtool.cli import app
from feedtool.config import load_config
from feedtool.errors import FeedtoolError, SourceError
from feedtool.sources import read_articles

from .conftest import tree
from .helpers import CONFIG, make_project

runner = CliRunner()
DATED = "---\ndate: 2024-01-01T00:00:00Z\nlicense: CC BY 4.0\nsource: Desk\n---\n"


def cli(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "the article is empty"),
        ("   \n\t \n", "the article is empty"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "looks like a binary file, not text"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "looks like a binary file, not text"),
    ],
)
def test_empty_and_binary_files(tmp_path: Path, content: str | bytes, message: str) -> None:
    cfg = make_project(tmp_path / "p", {"a.txt": content})
    with pytest.raises(SourceError) as info:
        read_articles(cfg)
    assert [p.message for p in info.value.problems] == [message]


def test_utf8_bom_and_crlf(tmp_path: Path) -> None:
    data = "\ufeffHeadline here\r\n\r\nBody line one.\r\nBody line two.\r\n".encode()
    cfg = make_project(tmp_path / "p", {"a.txt": data})
    (a,), warnings = read_articles(cfg)
    assert a.title == "Headline here"
    assert a.paragraphs == ("Body line one.", "Body line two.")
    assert not any("Windows-1252" in w.message for w in warnings)


def test_markup_characters_survive_as_text(tmp_path: Path) -> None:
    title = "Tom & Jerry <script>alert(1)</script> ]]> done"
    cfg = make_project(
        tmp_path / "p",
        {
            "a.md": DATED.replace("---\n", f"---\ntitle: '{title}'\n", 1)
            + "Body with ]]> and <b>bold</b> & more.\n"
        },
    )
    build(cfg)
    site = cfg.output_dir
    feed = etree.parse(str(site / "atom.xml"))
    assert (
        feed.findtext("{http://www.w3.org/2005/Atom}entry/{http://www.w3.org/2005/Atom}title")
        == title
    )
    page = (site / "articles/a/index.html").read_text()
    assert "<script>alert(1)</script>" not in page
    assert "Tom &amp; Jerry &lt;script&gt;" in page


def test_json_ld_cannot_be_closed_by_a_title(tmp_path: Path) -> None:
    title = "</script><script>alert(1)</script>"
    cfg = make_project(
        tmp_path / "p", {"a.md": DATED.replace("---\n", f"---\ntitle: '{title}'\n", 1) + "Body.\n"}
    )
    build(cfg)
    page = (cfg.output_dir / "articles/a/index.html").read_text()
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert len(blocks) == 1
    assert json.loads(blocks[0])["headline"] == title
    scripts = re.findall(r"<script[^>]*>", page)
    assert all('type="application/ld+json"' in t or " src=" in t for t in scripts), scripts
    assert "<script>alert" not in page


def test_raw_html_is_sanitised(tmp_path: Path) -> None:
    body = (
        '<p onclick="steal()">Hi <a href="javascript:alert(1)">x</a> '
        '<img src="data:image/png;base64,AAAA" alt="d"> <iframe src="https://evil"></iframe>'
        '<style>body{}</style><a href="https://ok.example/">ok</a></p>\n'
    )
    cfg = make_project(tmp_path / "p", {"a.md": DATED + body})
    build(cfg)
    for path in ("articles/a/index.html", "atom.xml"):
        text = (cfg.output_dir / path).read_text()
        for bad in ("onclick", "javascript:", "data:image", "<iframe", "&lt;iframe", "<style"):
            assert bad not in text, (path, bad)
        assert "https://ok.example/" in text


def test_failed_build_keeps_previous_site(tmp_path: Path) -> None:
    cfg = make_project(tmp_path / "p", {"a.md": DATED + "Fine.\n"})
    build(cfg)
    before = tree(cfg.output_dir)
    (cfg.content_dir / "b.md").write_text("---\ndate: nonsense\n---\nBroken.\n")
    with pytest.raises(FeedtoolError):
        build(cfg, strict=True)  # without --strict the broken article is skipped
    assert tree(cfg.output_dir) == before


def test_interrupted_render_keeps_previous_site(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cfg = make_project(tmp_path / "p", {"a.md": DATED + "Fine.\n"})
    build(cfg)
    before = tree(cfg.output_dir)
    (cfg.content_dir / "b.md").write_text(DATED + "Another.\n")

    def interrupt(*args: object, **kwargs: object) -> bytes:
        raise KeyboardInterrupt

    monkeypatch.setattr("feedtool.render.feeds.render_doc", interrupt)
    with pytest.raises(KeyboardInterrupt):
        build(cfg)
    assert tree(cfg.output_dir) == before
    assert sorted(p.name for p in cfg.root.iterdir() if p.name.startswith(".site")) == [
        ".site.lock"
    ]


def test_build_never_touches_content(tmp_path: Path) -> None:
    cfg = make_project(tmp_path / "p", {"a.md": DATED + "Fine.\n", "b.txt": "Text only.\n"})
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in cfg.content_dir.rglob("*")}
    build(cfg)
    after = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in cfg.content_dir.rglob("*")}
    assert after == before


def test_ids_stable_across_edits_and_other_articles(tmp_path: Path) -> None:
    cfg = make_project(tmp_path / "p", {"a.md": DATED + "One.\n", "b.md": DATED + "Two.\n"})
    build(cfg)
    ids = _ids(cfg.output_dir / "atom.xml")
    (cfg.content_dir / "a.md").write_text(
        DATED.replace("---\n", "---\ntitle: Edited\n", 1) + "1!\n"
    )
    (cfg.content_dir / "b.md").unlink()
    (cfg.content_dir / "c.md").write_text(DATED + "Three.\n")
    build(cfg)
    new_ids = _ids(cfg.output_dir / "atom.xml")
    assert ids["a"] == new_ids["a"]
    assert set(new_ids) == {"a", "c"}


def _ids(feed: Path) -> dict[str, str]:
    ns = "{http://www.w3.org/2005/Atom}"
    root = etree.parse(str(feed)).getroot()
    return {
        e.findtext(f"{ns}id").rsplit(":", 1)[-1]: e.findtext(f"{ns}id")  # type: ignore[union-attr]
        for e in root.findall(f"{ns}entry")
    }


def test_one_five_megabyte_line(tmp_path: Path) -> None:
    sentence = "Officials in Tehran and Moscow met again to discuss trade. "
    line = sentence * (5_000_000 // len(sentence))
    cfg = make_project(tmp_path / "p", {"big.txt": line})
    (a,), _ = read_articles(cfg)
    assert sum(len(p) for p in a.paragraphs) >= 4_900_000


def test_awkward_file_names_get_safe_slugs(tmp_path: Path) -> None:
    files: dict[str, str | bytes] = {
        "CON.md": DATED + "Reserved.\n",
        "a..b.md": DATED + "Dots.\n",
        ("x" * 240) + ".md": DATED + "Long.\n",
        "Тегеран новости.md": DATED + "Cyrillic.\n",
        ".hidden.md": DATED + "Hidden files are skipped.\n",
    }
    cfg = make_project(tmp_path / "p", files)
    articles, _ = read_articles(cfg)
    slugs = sorted(a.slug for a in articles)
    assert slugs == ["a-b", "con-1", "tegeran-novosti", "x" * 80]


def test_symlink_loop_does_not_hang(tmp_path: Path) -> None:
    cfg = make_project(tmp_path / "p", {"a.md": DATED + "A.\n"})
    (cfg.content_dir / "loop").symlink_to(cfg.content_dir, target_is_directory=True)
    articles, _ = read_articles(cfg)
    assert [a.slug for a in articles] == ["a"]


def test_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cfg = make_project(tmp_path / "p", {"a.md": DATED + "A.\n"})
    original = Path.read_bytes

    def deny(self: Path) -> bytes:
        if self.name == "a.md":
            raise PermissionError(13, "Permission denied")
        return original(self)

    monkeypatch.setattr(Path, "read_bytes", deny)
    with pytest.raises(SourceError) as info:
        read_articles(cfg)
    assert info.value.problems[0].format() == "p/seeds/a.md: cannot read file: Permission denied"


def test_cli_exit_codes_and_no_traceback(tmp_path: Path) -> None:
    make_project(tmp_path, {"a.md": "---\ndate: soon\n---\nA.\n", "b.md": "---\nfoo: 1\n---\nB.\n"})
    code, out, err = cli("build")
    assert code == 1
    assert out == ""
    assert "Traceback" not in err
    assert "seeds/a.md:2:7: date: not an ISO 8601 date: 'soon'" in err
    assert "seeds/b.md:2:1: foo: unknown key" in err
    assert "2 problems found." in err
    assert cli("build", "--no-such-flag")[0] == 2


def test_strict_turns_warnings_into_errors(tmp_path: Path) -> None:
    make_project(tmp_path, {"a.txt": "An undated story.\n"})
    code, _, err = cli("build", "--strict")
    assert code == 1
    assert "error: seeds/a.txt: date: no date in the metadata, text or file name" in err
    assert not (tmp_path / "site").exists()
    assert cli("build")[0] == 0


def test_missing_config_names_where_it_looked(tmp_path: Path) -> None:
    code, _, err = cli("build")
    assert code == 1
    assert f"{tmp_path}: no config.yaml or config.yml in this folder or any folder above it" in err


def test_template_syntax_error_names_file_and_line(tmp_path: Path) -> None:
    make_project(tmp_path, {"a.md": DATED + "A.\n"})
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "index.html").write_text(
        "{% extends 'default/index.html' %}\n{% if %}\n"
    )
    code, _, err = cli("build")
    assert code == 1
    assert "templates/index.html:2: template: Expected an expression" in err


TEXT = st.characters(exclude_categories=("Cs",))

FRONT_VALUES = st.one_of(
    st.text(TEXT, max_size=30),
    st.integers(),
    st.booleans(),
    st.none(),
    st.lists(st.text(TEXT, max_size=10), max_size=3),
)


@pytest.mark.slow
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    body=st.text(TEXT, max_size=300),
    front=st.dictionaries(
        st.sampled_from(["title", "date", "source", "license", "summary", "topics", "bogus"]),
        FRONT_VALUES,
        max_size=4,
    ),
    as_markdown=st.booleans(),
)
def test_anything_builds_or_fails_cleanly(
    tmp_path: Path, body: str, front: dict[str, object], as_markdown: bool
) -> None:
    import yaml

    root = tmp_path / "prop"
    name = "a.md" if as_markdown else "a.txt"
    text = ("---\n" + yaml.safe_dump(front) + "---\n" + body) if as_markdown and front else body
    cfg = make_project(root, {name: text}, CONFIG)
    try:
        build(cfg)
    except FeedtoolError:
        return
    finally:
        pass
    for path in cfg.output_dir.rglob("*"):
        if path.suffix in (".xml", ".opml"):
            etree.parse(str(path))
        elif path.suffix == ".html":
            html5lib.HTMLParser(strict=True).parse(path.read_bytes())  # raises on any error
    load_config(root / "config.yaml")


#: DEL, a C1 control, noncharacters: HTML5 forbids them in a document.
HTML_FORBIDDEN = ["\x7f", "\x85", "\x9c", "\ufdd0", "\U0010ffff"]


@pytest.mark.parametrize("char", HTML_FORBIDDEN)
def test_c1_controls_and_noncharacters_do_not_reach_the_html(tmp_path: Path, char: str) -> None:
    cfg = make_project(tmp_path / "p", {"a.md": DATED + f"Before{char}after.\n"})
    report = build(cfg)
    assert "p/seeds/a.md: removed 1 control character(s) not allowed in XML" in [
        w.format() for w in report.warnings
    ]
    page = (cfg.output_dir / "articles/a/index.html").read_bytes()
    html5lib.HTMLParser(strict=True).parse(page)
    assert "Beforeafter." in page.decode()


def test_c1_controls_in_front_matter_are_removed_with_a_warning(tmp_path: Path) -> None:
    front = (
        "---\ndate: 2024-01-01T00:00:00Z\nlicense: CC BY 4.0\n"
        'source: "Wire\\x85 Desk\\uFDD0"\ntitle: "Head\\x9Cline"\n---\nBody.\n'
    )
    cfg = make_project(tmp_path / "p", {"a.md": front})
    report = build(cfg)
    assert [w.format() for w in report.warnings if "control character" in w.message] == [
        "p/seeds/a.md:4:9: source: removed 2 control character(s) not allowed in XML\n"
        "  hint: remove the escape (such as \\x07) from the value",
        "p/seeds/a.md:5:8: title: removed 1 control character(s) not allowed in XML\n"
        "  hint: remove the escape (such as \\x07) from the value",
    ]
    for path in cfg.output_dir.rglob("*"):
        if path.suffix in (".html", ".xml"):
            text = path.read_text(encoding="utf-8")
            assert not FORBIDDEN.search(text), path
        if path.suffix == ".html":
            html5lib.HTMLParser(strict=True).parse(path.read_bytes())
    page = (cfg.output_dir / "articles/a/index.html").read_text(encoding="utf-8")
    assert "Headline" in page and "Wire Desk" in page


def test_character_references_in_raw_html_are_removed_with_a_warning(tmp_path: Path) -> None:
    """The HTML parser turns ``&#127;`` into the character itself: it goes too."""
    body = "<p>Before &#127;&#xFDD0;&#x10FFFF; after.</p>\n"
    cfg = make_project(tmp_path / "p", {"a.md": DATED + body})
    report = build(cfg)
    assert "p/seeds/a.md: removed 3 control character(s) not allowed in XML" in [
        w.format() for w in report.warnings
    ]
    page = (cfg.output_dir / "articles/a/index.html").read_bytes()
    html5lib.HTMLParser(strict=True).parse(page)
    assert "Before  after." in page.decode()


def test_future_date_warns_and_publishes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # 2023-11-14
    cfg = make_project(tmp_path / "p", {"a.md": DATED.replace("2024-01-01", "2031-01-01") + "A.\n"})
    report = build(cfg)
    assert [w.message for w in report.warnings if w.key == "date"] == [
        "date 2031-01-01T00:00:00+00:00 is in the future; published as given"
    ]
    assert (cfg.output_dir / "articles/a/index.html").exists()


def test_front_matter_that_is_not_yaml(tmp_path: Path) -> None:
    cfg = make_project(
        tmp_path / "p", {"a.md": "---\ntitle: [unclosed\ndate: 2024-01-01\n---\nA.\n"}
    )
    with pytest.raises(SourceError) as info:
        read_articles(cfg)
    (problem,) = info.value.problems
    assert problem.location.path == "p/seeds/a.md"
    assert problem.location.line == 3
    assert problem.message.startswith("invalid YAML:")


def test_two_articles_with_the_same_id(tmp_path: Path) -> None:
    front = "---\nid: tag:news.example.org,2026:same\ndate: 2024-01-01\n---\n"
    cfg = make_project(tmp_path / "p", {"a.md": front + "A.\n", "b.md": front + "B.\n"})
    with pytest.raises(SourceError) as info:
        read_articles(cfg)
    assert [p.format() for p in info.value.problems] == [
        "p/seeds/b.md: id: same id 'tag:news.example.org,2026:same' as p/seeds/a.md\n"
        "  hint: set a different `id:` in one of them"
    ]


def test_same_title_is_fine(tmp_path: Path) -> None:
    front = "---\ntitle: Same headline\ndate: 2024-01-01\n---\n"
    cfg = make_project(tmp_path / "p", {"a.md": front + "A.\n", "b.md": front + "B.\n"})
    articles, _ = read_articles(cfg)
    assert [a.slug for a in articles] == ["a", "b"]
    assert len({a.entry_id for a in articles}) == 2


def test_lone_surrogates_never_reach_the_output(tmp_path: Path) -> None:
    # Invalid UTF-8 (an encoded lone surrogate) in an otherwise UTF-8 file.
    data = b"Before " + b"\xed\xa0\x80" + b" after.\n"
    cfg = make_project(tmp_path / "p", {"a.txt": data})
    build(cfg)
    for path in cfg.output_dir.rglob("*.xml"):
        etree.parse(str(path))
    text = (cfg.output_dir / "articles/a/index.html").read_text(encoding="utf-8")
    assert "Before" in text and "after." in text


@pytest.mark.slow
def test_a_twenty_megabyte_article(tmp_path: Path) -> None:
    para = "Officials in Tehran and Moscow met again to discuss trade and energy. " * 40
    text = "\n\n".join([para] * (20_000_000 // (len(para) + 2)))
    cfg = make_project(tmp_path / "p", {"big.txt": text})
    (a,), _ = read_articles(cfg)
    assert sum(len(p) for p in a.paragraphs) > 19_000_000


@pytest.mark.slow
def test_ten_thousand_tiny_articles_in_one_folder(tmp_path: Path) -> None:
    files: dict[str, str | bytes] = {
        f"2024-01-01-n{i:05d}.md": f"---\nlicense: CC0\n---\nStory number {i}.\n"
        for i in range(10_000)
    }
    cfg = make_project(tmp_path / "p", files)
    articles, _ = read_articles(cfg)
    assert len(articles) == 10_000
    assert len({a.slug for a in articles}) == 10_000


def test_only_the_article_license_is_rel_license(tmp_path: Path) -> None:
    """Credits for the vocabularies must not read as the page's own license."""
    cfg = make_project(
        tmp_path / "p", {"a.md": DATED.replace("CC BY 4.0", "CC BY-SA 3.0") + "A.\n"}
    )
    build(cfg)
    page = (cfg.output_dir / "articles/a/index.html").read_text()
    assert re.findall(r'rel="license" href="([^"]+)"', page) == [
        "https://creativecommons.org/licenses/by-sa/3.0/"
    ]
