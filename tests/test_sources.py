"""Reading articles: wire copy, sidecars, Markdown front matter, and their errors."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from feedtool.errors import Problem, SourceError
from feedtool.sources import read_articles

from .helpers import make_project

SEED = Path(__file__).resolve().parent.parent / "seeds" / "iran-russia-security-council-talks.txt"

MD = """\
---
title: Floods hit the Niger Delta
date: 2024-05-04T08:30:00+01:00
source: Example Wire
source_url: https://wire.example.com/floods
license: CC BY-SA 4.0
topics: [medtop:17000000]
---
LAGOS (Example) – Heavy rain flooded towns.

Officials said <script>alert(1)</script> more rain is due. [Map](javascript:alert(1))
"""


def read(tmp_path: Path, files: dict[str, str | bytes]) -> tuple[list, list[Problem]]:
    cfg = make_project(tmp_path / "p", files)
    return read_articles(cfg)


def test_seed_wire_copy(tmp_path: Path) -> None:
    articles, warnings = read(tmp_path, {"seed.txt": SEED.read_text(encoding="utf-8")})
    (a,) = articles
    assert a.title == "Iranian Ambassador to Russia Kazem Jalali has met with Alexander Venediktov"
    assert a.title_derived
    assert a.dateline == "Tehran"
    assert a.source == "Mehr News Agency"
    assert a.license is not None
    assert a.license.url == "https://creativecommons.org/licenses/by/4.0/"
    assert a.lead.startswith("Iranian Ambassador to Russia")
    assert "Creative Commons" not in a.body_html
    assert all("Creative Commons" not in p for p in a.paragraphs)
    assert a.paragraphs[-1].startswith("“The Islamic Republic will not tolerate")
    assert len(a.paragraphs) >= 6
    assert a.date_derived
    assert a.published == datetime.fromisoformat("2000-01-01T00:00:00+00:00")
    assert a.entry_id == "tag:news.example.org,2026:seed"
    assert [w.message for w in warnings] == [
        "no date in the metadata, text or file name, and not committed to git; "
        "using 2000-01-01T00:00:00+00:00 (articles.undated)"
    ]


def test_sidecar_supplies_metadata(tmp_path: Path) -> None:
    articles, warnings = read(
        tmp_path,
        {
            "story.txt": "Parliament met on Monday.\n\nIt passed a budget.",
            "story.yaml": "title: Budget passed\ndate: 2024-03-01\nsource: Desk\nlicense: CC0\n",
        },
    )
    (a,) = articles
    assert (a.title, a.title_derived, a.source) == ("Budget passed", False, "Desk")
    assert a.published.isoformat() == "2024-03-01T00:00:00+00:00"
    assert a.license is not None and a.license.code == "CC0 1.0"
    assert warnings == []


def test_headline_line_becomes_title(tmp_path: Path) -> None:
    articles, _ = read(
        tmp_path,
        {
            "2024-01-02-x.txt": "Quake shakes Tehran\n\nTEHRAN – A quake hit.\n\nCC BY 4.0",
        },
    )
    (a,) = articles
    assert (a.title, a.title_derived, a.dateline) == ("Quake shakes Tehran", False, "Tehran")
    assert a.published.isoformat() == "2024-01-02T00:00:00+00:00"


def test_markdown_front_matter_and_sanitising(tmp_path: Path) -> None:
    articles, warnings = read(tmp_path, {"floods.md": MD})
    (a,) = articles
    assert a.title == "Floods hit the Niger Delta"
    assert a.published.isoformat() == "2024-05-04T08:30:00+01:00"
    assert a.license is not None and a.license.code == "CC BY-SA 4.0"
    assert a.source_url == "https://wire.example.com/floods"
    assert a.manual_topics == ("medtop:17000000",)
    assert a.dateline == "Lagos"
    assert "<script" not in a.body_html
    assert 'href="javascript:' not in a.body_html
    assert warnings == []


def test_front_matter_errors_point_at_lines(tmp_path: Path) -> None:
    bad = "---\ntitle: x\ndate: yesterday\ntopics: 5\nlicence: CC BY\n---\nBody.\n"
    with pytest.raises(SourceError) as info:
        read(tmp_path, {"bad.md": bad})
    assert [p.format() for p in info.value.problems] == [
        "p/seeds/bad.md:4:9: topics: expected a list of strings, got '5'\n"
        "  hint: write `topics: [5]`",
        "p/seeds/bad.md:5:1: licence: unknown key\n  hint: did you mean `license`?",
    ]


def test_bad_date_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(SourceError) as info:
        read(tmp_path, {"bad.md": "---\ndate: yesterday\n---\nBody.\n"})
    assert [p.format() for p in info.value.problems] == [
        "p/seeds/bad.md:2:7: date: not an ISO 8601 date: 'yesterday'\n"
        "  hint: write `date: 2024-05-01` or `date: 2024-05-01T09:30:00+03:30`"
    ]


def test_front_matter_not_a_mapping(tmp_path: Path) -> None:
    with pytest.raises(SourceError) as info:
        read(tmp_path, {"bad.md": "---\n- a\n- b\n---\nBody.\n"})
    assert (
        info.value.problems[0]
        .format()
        .startswith("p/seeds/bad.md:2:1: front matter: must be a mapping of keys to values")
    )


def test_problems_of_all_files_reported_together(tmp_path: Path) -> None:
    with pytest.raises(SourceError) as info:
        read(tmp_path, {"a.md": "---\ndate: nope\n---\nA.\n", "b.txt": "", "c.md": "ok text\n"})
    assert [p.location.path for p in info.value.problems] == ["p/seeds/a.md", "p/seeds/b.txt"]


def test_naive_date_takes_configured_zone(tmp_path: Path) -> None:
    config = "site: {base_url: 'https://x.org/'}\narticles: {timezone: Asia/Tehran}\n"
    cfg = make_project(tmp_path / "p", {"a.md": "---\ndate: 2024-05-01 09:00\n---\nA.\n"}, config)
    (a,), _ = read_articles(cfg)
    assert a.published.isoformat() == "2024-05-01T09:00:00+03:30"


def test_control_characters_removed_with_warning(tmp_path: Path) -> None:
    articles, warnings = read(tmp_path, {"a.md": "---\ndate: 2024-01-01\n---\nA\x00b\x0bc\x1f.\n"})
    assert articles[0].paragraphs == ("Abc.",)
    assert any("removed 3 control character(s)" in w.message for w in warnings)


def test_duplicate_slugs_are_errors(tmp_path: Path) -> None:
    files = {
        "a/story.md": "---\ndate: 2024-01-01\n---\nA.\n",
        "b/story.md": "---\ndate: 2024-01-01\n---\nB.\n",
    }
    with pytest.raises(SourceError) as info:
        read(tmp_path, files)
    assert [p.format() for p in info.value.problems] == [
        "p/seeds/b/story.md: slug: same slug 'story' as p/seeds/a/story.md\n"
        "  hint: set a different `slug:` in one of them"
    ]


def test_binary_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(SourceError) as info:
        read(tmp_path, {"photo.txt": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"})
    assert info.value.problems[0].message == "looks like a binary file, not text"


def test_utf16_and_legacy_encodings(tmp_path: Path) -> None:
    files: dict[str, str | bytes] = {
        "a.txt": "Caf\u00e9 in Tehran.\n".encode("utf-16"),
        "b.txt": "Caf\u00e9 \u201cquoted\u201d.\n".encode("cp1252"),
        "c.txt": (
            "Le caf\u00e9 \u00e0 Paris co\u00fbte cher. Les \u00e9l\u00e8ves sont partis.\n"
        ).encode("cp1252"),
        "d.txt": "\u041f\u0440\u0435\u0437\u0438\u0434\u0435\u043d\u0442 \u0432\u0441\u0442"
        "\u0440\u0435\u0442\u0438\u043b\u0441\u044f \u0441 \u043f\u043e\u0441\u043b\u043e"
        "\u043c \u0432 \u041c\u043e\u0441\u043a\u0432\u0435.\n".encode("cp1251"),
    }
    articles, warnings = read(tmp_path, files)
    assert articles[0].paragraphs == ("Caf\u00e9 in Tehran.",)
    assert articles[1].paragraphs == ("Caf\u00e9 \u201cquoted\u201d.",)
    assert articles[2].paragraphs[0].startswith("Le caf\u00e9 \u00e0 Paris")
    assert articles[3].paragraphs[0].startswith("\u041f\u0440\u0435\u0437\u0438\u0434")
    named = {w.location.path: w.message for w in warnings if w.message.startswith("not UTF-8")}
    assert named["p/seeds/c.txt"] == "not UTF-8; read as Windows-1252 (Latin-1)"
    assert named["p/seeds/d.txt"] == "not UTF-8; read as Windows-1251 (Cyrillic)"
    assert named["p/seeds/b.txt"].startswith("not UTF-8; read as Windows-125")
    assert "p/seeds/a.txt" not in named


def test_symlink_out_of_content_not_followed(tmp_path: Path) -> None:
    outside = tmp_path / "secret.txt"
    outside.write_text("secret")
    cfg = make_project(tmp_path / "p", {"a.md": "---\ndate: 2024-01-01\n---\nA.\n"})
    (cfg.content_dir / "link.txt").symlink_to(outside)
    articles, warnings = read_articles(cfg)
    assert [a.slug for a in articles] == ["a"]
    assert any("symbolic link out of the content folder" in w.message for w in warnings)


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from feedtool.sources.markdown import parse_markdown, parse_markdown_full  # noqa: E402

_LINES = st.lists(
    st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=0, max_size=40),
    min_size=1,
    max_size=6,
).map("\n".join)


@settings(max_examples=300, deadline=None)
@given(_LINES)
def test_plain_text_fast_path_matches_the_parser(body: str) -> None:
    assert parse_markdown(body) == parse_markdown_full(body)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(_LINES, st.sampled_from(["", "\n", "a\n", "\nb", "c  d"]))))
def test_blocks_given_with_their_body_read_the_same(blocks: list[str]) -> None:
    body = "\n\n".join(blocks)
    assert parse_markdown(body, blocks) == parse_markdown(body) == parse_markdown_full(body)


def test_odd_spaces_are_every_whitespace_but_space_and_newline() -> None:
    from feedtool.sources.markdown import ODD_SPACES

    every = {chr(c) for c in range(0x110000) if chr(c).isspace()}
    assert set(ODD_SPACES) == every - {" ", "\n"}


@pytest.mark.parametrize(
    "body",
    [
        "One line.  \nA hard break above.",
        "Para.\n\n    indented code\n",
        "Ends with a hard break  ",
        "Para.\n\n1. a list\n",
        "Para.\n\n - item\n",
        "A\u00a0no-break space.",
        "Tab\tinside.",
    ],
)
def test_markup_bodies_take_the_parser(body: str) -> None:
    assert parse_markdown(body) == parse_markdown_full(body)


# Text mixing the characters the quick checks look for with any others (surrogates too).
_MIXED = st.lists(
    st.one_of(
        st.sampled_from(
            [
                " ",
                "\n",
                "\r",
                "\t",
                "\x01",
                "\x1f",
                "*",
                "#",
                ":",
                "1.",
                "- ",
                "\u00a0",
                "\u2003",
                "\u3000",
                "\ufffe",
                "\uffff",
                "\ud800",
                "\x7f",
                "\x85",
                "\x9f",
                "\ufdd0",
                "\U0010ffff",
                "–",
                "é",
                "word",
            ]
        ),
        st.text(alphabet=st.characters(exclude_categories=()), max_size=4),
    ),
    max_size=30,
).map("".join)


@pytest.mark.slow
@settings(max_examples=500, deadline=None)
@given(_MIXED)
def test_quick_character_checks_agree_with_their_regexes(text: str) -> None:
    import feedtool.sources as sources
    from feedtool.chars import FORBIDDEN
    from feedtool.sources import markdown

    assert sources._has_controls(text) == (sources._CONTROLS.search(text) is not None)
    assert sources._has_illegal(text) == (FORBIDDEN.search(text) is not None)
    by_regex = bool(
        text[:1] == " "
        or text[-1:] == " "
        or "\n " in text
        or " \n" in text
        or markdown._MARKUP_CHARS.search(text)
        or markdown._LIST_START.match(text)
        or markdown._LIST_LINE.search(text)
    )
    assert markdown._needs_parser(text) == by_regex


def test_raw_html_comes_out_with_the_attributes_html5_allows() -> None:
    """What the sanitiser keeps is valid HTML5 (what the Nu Html Checker found in imported
    feeds): numbers are numbers, every image has ``alt``, an ``<a>`` without ``href``
    (HTML5's placeholder link) has no ``rel``, and no ``<b>`` holds a table."""
    from feedtool.sources.markdown import sanitize_html

    assert sanitize_html(
        '<p><a name="top" hreflang="en">top</a> <a href="https://e.example/">e</a></p>'
    ) == ('<p><a>top</a> <a href="https://e.example/" rel="noopener noreferrer">e</a></p>')
    assert sanitize_html(
        '<img src="a.png" width="0px" height="12"><img src="b.png" alt="A map" width="40">'
        '<img src="c.png" title="x > y">'
    ) == (
        '<img src="a.png" height="12" alt=""><img src="b.png" alt="A map" width="40">'
        '<img src="c.png" title="x &gt; y" alt="">'
    )
    assert sanitize_html(
        '<table><tr><td colspan="0" rowspan="2">a</td><th colspan="2" scope="row">b</th>'
        '</tr></table><ol start="-2"><li>c</li></ol><ol start="two"><li>d</li></ol>'
    ) == (
        '<table><tbody><tr><td rowspan="2">a</td><th colspan="2" scope="row">b</th></tr>'
        '</tbody></table><ol start="-2"><li>c</li></ol><ol><li>d</li></ol>'
    )
    assert sanitize_html("<p>&lt;img src=x&gt; stays text</p>") == (
        "<p>&lt;img src=x&gt; stays text</p>"
    )
    # A phrasing element holding a table or a paragraph (which the parser nests as
    # written) loses its tags, not its text; phrasing inside flow content stays.
    assert sanitize_html(
        "<b><b>Name</b>: X<table><tr><td><b>v</b></td></tr></table></b> <i>end</i>"
    ) == ("<b>Name</b>: X<table><tbody><tr><td><b>v</b></td></tr></tbody></table> <i>end</i>")
    assert sanitize_html("<em>a<p>b</p>c</em><p><strong>d</strong><br>e</p>") == (
        "a<p>b</p>c<p><strong>d</strong><br>e</p>"
    )


def test_yaml_strings_read_as_the_safe_constructor_reads_them() -> None:
    # Loader takes a string node's text as it is, without the constructor: the same value.
    import yaml

    from feedtool.schema import Loader

    text = (
        'a: plain words\nb: "quoted \\x41\\u00e9"\nc: &x anchored\nd: *x\ne: !!str 5\n'
        "f: |\n  block\n  text\ng: 'single ''q'''\nh: 5\ni: 2024-01-01\nj: null\n"
    )
    node = yaml.compose(text, Loader=yaml.SafeLoader)
    loader = Loader("x.yaml")
    for key_node, value_node in node.value:
        expected = yaml.constructor.SafeConstructor()
        assert loader.key_name(key_node) == expected.construct_object(key_node, deep=True)
        value = loader.scalar(value_node)
        assert value == expected.construct_object(value_node, deep=True)
        assert type(value) is type(expected.construct_object(value_node, deep=True))


@pytest.mark.parametrize(
    "data",
    [
        "Plain “UTF-8” text.\n".encode(),
        b"Windows\r\nline ends\r\n",
        b"\xef\xbb\xbfWith a BOM.\n",
        "A\x07bell and a C1 \x85 control.\n".encode(),
        "e\u0301 decomposed.\n".encode(),
        b"caf\xe9 in Windows-1252\n",
        b"BMW recalls cars (read as a bitmap's magic).\n",
        b"%PDF-1.4\n",
        b"\x00\x01\x02\x03 binary" * 3,
        b"",
    ],
)
def test_read_text_is_decode_then_normalise(data: bytes) -> None:
    from feedtool.sources import _decode, _normalise, _read_text

    warnings: list[Problem] = []
    expected: list[Problem] = []
    decoded = _decode(data, "a.txt", expected)
    want = None if decoded is None else _normalise(decoded, "a.txt", expected)
    assert _read_text(data, "a.txt", warnings) == want
    assert warnings == expected


@pytest.mark.parametrize(
    ("path", "folder"),
    [
        ("/p/content/a.md", "/p/content"),
        ("/p/content/x/y/a.md", "/p/content"),
        ("/p/content2/a.md", "/p/content"),
        ("/p/a.md", "/"),
        ("//p/a.md", "/p"),
        ("/p", "/p"),
        ("rel/a.md", "rel"),
        ("a.md", "."),
        ("/p/content/a.md", "/p/other"),
    ],
)
def test_relative_path_text_is_relative_to(path: str, folder: str) -> None:
    from feedtool.sources import _relative

    found = _relative(Path(path), Path(folder))
    try:
        expected: str | None = Path(path).relative_to(Path(folder)).as_posix()
    except ValueError:
        expected = None
    assert found is None or found == expected
    if path.startswith(folder.rstrip("/") + "/") and path != folder:
        assert found is not None  # the usual case takes the quick way
