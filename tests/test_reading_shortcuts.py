"""The reader's quick tests give the answers of the slow checks they stand in front of."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from feedtool.sources.credits import find_byline, known_agencies
from feedtool.sources.layout import _CREDIT_KEYS, _CREDIT_WORDS, _has_credit_words

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
