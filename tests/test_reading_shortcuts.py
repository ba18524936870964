"""The reader's quick tests give the answers of the slow checks they stand in front of."""

from __future__ import annotations

from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from feedtool.sources.credits import (
    _BYLINE_STARTS,
    _SENTENCE_END,
    find_byline,
    known_agencies,
)
from feedtool.sources.layout import _CREDIT_KEYS, _CREDIT_WORDS, _has_credit_words
from feedtool.sources.licenses import may_state_license, parse_license

AGENCIES = known_agencies()

_WORDS = [
    "This",
    "article",
    "ARTICLE",
    "artıcle",
    "story",
    "ſtory",
    "stories",
    "Content",
    "text",
    "posts",
    "work",
    "WORK",
    "report",
    "piece",
    "material",
    "is",
    "was",
    "comes",
    "from",
    "by",
    "on",
    "of",
    "at",
    "originally",
    "published",
    "republished",
    "licensed",
    "lıcensed",
    "Creative",
    "Commons",
    "copyright",
    "©",
    "(c)",
    "(C)",
    "Source:",
    "source",
    "Courtesy",
    "via",
    "first",
    "appeared",
    "Wikinews",
    "said",
    "the",
    "minister",
    ",",
    ".",
    "İ",
    "K",
]


def _credit_words_without_shortcut(plain: str) -> bool:
    """_has_credit_words as it reads without its quick tests: the key words, the pattern."""
    low = plain.lower()
    return any(word in low for word in _CREDIT_KEYS) and bool(_CREDIT_WORDS.search(plain))


@pytest.mark.slow
@settings(max_examples=600, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(_WORDS), st.text(max_size=5)), max_size=14))
def test_credit_words_shortcut_never_changes_the_answer(words: list[str]) -> None:
    plain = " ".join(words)
    assert _has_credit_words(plain) == _credit_words_without_shortcut(plain)


@pytest.mark.parametrize(
    "plain",
    [
        "This article is from Wikinews.",
        "This ARTICLE was originally published by Mongabay",
        "This ſtory comes from GroundUp",  # a long s: the pattern reads it as an s
        "Content by Mehr News Agency is licensed under CC BY 4.0",
        "Source: Voice of America",
        "Officials said the plan would work, according to a report by the ministry.",
        "The minister said on Tuesday that talks would resume.",
    ],
)
def test_credit_words_shortcut_on_each_form(plain: str) -> None:
    assert _has_credit_words(plain) == _credit_words_without_shortcut(plain)


@pytest.mark.parametrize(
    ("line", "author", "outlet"),
    [
        (
            "Source: The Conversation – By Jane Doe, Griffith University",
            "Jane Doe",
            "The Conversation",
        ),
        ("From: Global Voices | by Jane Doe", "Jane Doe", None),
        ("SOURCE : Mehr News Agency - By John Roe", "John Roe", "Mehr News Agency"),
    ],
)
def test_source_then_byline(line: str, author: str, outlet: str | None) -> None:
    byline = find_byline(line, AGENCIES)
    assert byline is not None
    assert byline.author == author
    if outlet is not None:
        assert byline.outlet == outlet


def test_a_story_line_with_dashes_is_no_byline() -> None:
    line = "TEHRAN – Officials said on Monday the plan – drafted by the ministry – would pass"
    assert find_byline(line, AGENCIES) is None


_LINE_WORDS = [
    "The",
    "the",
    "THE",
    "This",
    "this",
    "Theodore",
    "There",
    "report",
    "article",
    "was",
    "written",
    "edited",
    "by",
    "By",
    "BY",
    "Jane",
    "Doe",
    "John",
    "Roe",
    "University",
    "College",
    "of",
    "Sydney",
    "and",
    "&",
    ",",
    ".",
    "Reuters",
    "said",
    "|",
    "*",
    "“We",
    "moſt",
    "Moſt",
    "of",
    "de",
    "van",
    "al",
    "St.",
    "source:",
    "From:",
    "–",
    "posted",
    "Written",
]


def _first_could_be_byline(line: str) -> bool:
    """find_byline's first quick test as it was before the ones compared here."""
    head = line.lstrip("*_ \t").lower()
    if head.startswith(_BYLINE_STARTS):
        return True
    return ("," in line or " and " in line) and not _SENTENCE_END.search(line)


def _byline_without_quick_test(line: str, bare: bool) -> object:
    """find_byline without the quick tests added to it for speed."""
    with mock.patch("feedtool.sources.credits._could_be_byline", _first_could_be_byline):
        return find_byline(line, AGENCIES, bare=bare)


@pytest.mark.slow
@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(_LINE_WORDS), min_size=1, max_size=12), st.booleans())
def test_byline_quick_test_never_changes_the_answer(words: list[str], bare: bool) -> None:
    line = " ".join(words)
    assert find_byline(line, AGENCIES, bare=bare) == _byline_without_quick_test(line, bare)


@pytest.mark.parametrize(
    ("line", "author"),
    [
        ("This report was written by Jane Doe and John Roe.", "Jane Doe and John Roe"),
        ("The story was edited by Jane Doe", "Jane Doe"),
        ("The Filipino embassy in Manila, the capital, said so", None),
        ("The University of Sydney & Jane Doe", None),
        ("Theodore Roe, University of Sydney", "Theodore Roe"),
    ],
)
def test_byline_quick_test_on_lines_opening_with_the(line: str, author: str | None) -> None:
    byline = find_byline(line, AGENCIES)
    assert (byline.author if byline else None) == author
    assert byline == _byline_without_quick_test(line, False)


_LICENSE_WORDS = [
    "CC",
    "cc",
    "BY",
    "by",
    "-",
    " ",
    "0",
    "Zero",
    "Creative",
    "Creatıve",
    "CREATİVE",
    "Commons",
    "public",
    "publıc",
    "domain",
    "DOMAİN",
    "creativecommons.org/licenses/by/4.0/",
    "publicdomain/zero/1.0",
    "CC-BY-SA",
    "4.0",
    "Attribution",
    "licensed",
    "ſ",
    "\t",
]


@pytest.mark.slow
@settings(max_examples=600, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(_LICENSE_WORDS), st.text(max_size=4)), max_size=10))
def test_license_quick_test_never_hides_a_license(words: list[str]) -> None:
    text = "".join(words)
    if not may_state_license(text):
        assert parse_license(text) is None


# Pieces of the footer words, so that text holds some of them, parts of them and near
# misses ("tag" without its colon, "read the").
_FOOTER_PIECES = st.sampled_from(
    [
        *("licen", "LICENSE", "cc", " ", "-", "end", "#", "##", "(c", ")", "©", "tag", "s:"),
        *(":", "read", " the ", "original", "has been", "updated", "content", "by", "from"),
        *("İ", "K"),
    ]
)


@settings(max_examples=600, deadline=None)
@given(st.lists(st.one_of(_FOOTER_PIECES, st.text(max_size=4)), max_size=20))
def test_footer_words_pattern_finds_what_looking_for_each_word_finds(pieces: list[str]) -> None:
    from feedtool.sources.layout import _FOOTER_WORDS, _maybe_footer

    text = "".join(pieces)
    assert _maybe_footer(text) == any(word in text.lower() for word in _FOOTER_WORDS)
    for word in _FOOTER_WORDS:
        assert _maybe_footer(f"x {word.upper()} y")
