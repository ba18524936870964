"""Wire copy structure: paragraphs, datelines, sentences, derived titles."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from feedtool.sources.text import (
    derive_title,
    find_dateline,
    looks_like_headline,
    regroup,
    split_paragraphs,
    split_sentences,
    unwrap,
)


def test_flattened_breaks_are_paragraphs() -> None:
    text = "First para ends.\u00a0 Second para.  Third para. \u00a0 Footer."
    assert split_paragraphs(text) == ["First para ends.", "Second para.", "Third para.", "Footer."]


def test_single_space_nbsp_is_not_a_break() -> None:
    assert split_paragraphs("It is 10\u00a0km away.") == ["It is 10\u00a0km away."]


# What a paragraph break is, as one regular expression: a line break (with any blank
# lines), a run of two or more spaces, a tab. split_paragraphs tests lines first.
_BREAK = re.compile(r"\n\s*\n|\n|[ \t\u00a0\u2007\u202f]{2,}|\t+")


@given(st.text(alphabet="ab. \n\t\r\u00a0\u2007\u202f\u2028\u3000\x0b\x85", max_size=40))
def test_paragraphs_split_where_the_break_expression_splits(text: str) -> None:
    expected = [p.strip() for p in _BREAK.split(unwrap(text)) if p.strip()]
    assert split_paragraphs(text) == expected


@pytest.mark.parametrize(
    ("text", "place", "rest"),
    [
        ("TEHRAN – Iranian Ambassador met", "Tehran", "Iranian Ambassador met"),
        ("LONDON (Reuters) - Britain said", "London", "Britain said"),
        ("TBILISI, Georgia (Reuters) — The", "Tbilisi, Georgia", "The"),
        ("ST. PETERSBURG – Talks", "St. Petersburg", "Talks"),
        ("TEHRAN, Jan. 15 (MNA) – Iranian", "Tehran", "Iranian"),
        ("NEW YORK -- Stocks fell", "New York", "Stocks fell"),
    ],
)
def test_datelines(text: str, place: str, rest: str) -> None:
    dateline, remainder = find_dateline(text)
    assert dateline is not None
    assert dateline.place == place
    assert remainder == rest


@pytest.mark.parametrize(
    "text", ["Tehran – a city", "The US – it said", "NATO said on Monday - nothing", "UK – x"]
)
def test_not_datelines(text: str) -> None:
    assert find_dateline(text)[0] is None


def test_sentences_respect_quotes_and_abbreviations() -> None:
    text = (
        "Mr. Smith arrived. He said, “We will go. We will not stop.” Then he left. "
        'She said "No. Never." The U.S. Army replied.'
    )
    assert split_sentences(text) == [
        "Mr. Smith arrived.",
        "He said, “We will go. We will not stop.”",
        "Then he left.",
        'She said "No. Never."',
        "The U.S. Army replied.",
    ]


def test_regroup_long_paragraph_keeps_every_word() -> None:
    sentences = [f"Sentence number {i} says something fairly long about talks." for i in range(12)]
    para = " ".join(sentences)
    groups = regroup(para)
    assert len(groups) > 1
    assert " ".join(groups) == para
    assert all(len(split_sentences(g)) <= 3 for g in groups)


def test_short_paragraph_untouched() -> None:
    assert regroup("One. Two. Three. Four.") == ["One. Two. Three. Four."]


def test_derived_title_is_short_and_readable() -> None:
    lead = (
        "Iranian Ambassador to Russia Kazem Jalali has met with Alexander Venediktov, the "
        "deputy secretary of Russia’s national security council. In their meeting, they talked."
    )
    assert derive_title(lead) == (
        "Iranian Ambassador to Russia Kazem Jalali has met with Alexander Venediktov"
    )
    assert derive_title("Short lead sentence. More.") == "Short lead sentence"
    long = "word " * 40
    title = derive_title(long)
    assert len(title) <= 90
    assert not title.endswith("…")  # a title is a phrase, never cut with an ellipsis


def test_derived_title_ends_at_a_phrase_boundary() -> None:
    lead = (
        "The amount of cocaine seized by police in the northern region increased from 12 kg "
        "in 2019 to more than 130 kg in 2021 according to figures released on Tuesday."
    )
    title = derive_title(lead)
    assert len(title) <= 90
    # Cut before a linking word ("in", "to", ...), not inside "130 kg in 2021".
    assert title.split()[-1] not in {"in", "to", "kg", "more", "than"}
    assert lead.startswith(title)


def test_derived_title_never_leaves_a_quotation_open() -> None:
    lead = (
        "“We will not tolerate policies or plans that lead to the closing of the Iran-Armenia "
        "border and other such things,” the Leader said on Wednesday in Tehran."
    )
    title = derive_title(lead)
    assert len(title) <= 90
    assert title.count("“") == title.count("”")
    assert len(title.split()) >= 5


def test_headline_detection() -> None:
    assert looks_like_headline("Iran and Russia agree to deepen ties", 3)
    assert not looks_like_headline("Iran and Russia agree to deepen ties", 0)
    assert not looks_like_headline("TEHRAN – Iranian officials said.", 3)
    assert not looks_like_headline("A full sentence ending with a period.", 3)
