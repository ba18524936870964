"""Wire copy structure: paragraphs, datelines, sentences, derived titles."""

from __future__ import annotations

import pytest

from feedtool.sources.text import (
    derive_title,
    find_dateline,
    looks_like_headline,
    regroup,
    split_paragraphs,
    split_sentences,
)


def test_flattened_breaks_are_paragraphs() -> None:
    text = "First para ends.\u00a0 Second para.  Third para. \u00a0 Footer."
    assert split_paragraphs(text) == ["First para ends.", "Second para.", "Third para.", "Footer."]


def test_single_space_nbsp_is_not_a_break() -> None:
    assert split_paragraphs("It is 10\u00a0km away.") == ["It is 10\u00a0km away."]


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
    assert title.endswith("…")


def test_headline_detection() -> None:
    assert looks_like_headline("Iran and Russia agree to deepen ties", 3)
    assert not looks_like_headline("Iran and Russia agree to deepen ties", 0)
    assert not looks_like_headline("TEHRAN – Iranian officials said.", 3)
    assert not looks_like_headline("A full sentence ending with a period.", 3)
