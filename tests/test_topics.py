"""Topic tagging: vocabulary, rules, traps, hierarchy and determinism."""

from __future__ import annotations

import json
from importlib import resources

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from feedtool.tagging.base import TagText
from feedtool.tagging.topics import (
    TopicRule,
    TopicSettings,
    TopicTagger,
    load_rules,
    load_vocabulary,
    plural,
)

TAGGER = TopicTagger()
TOP = {f"medtop:{n:02d}000000" for n in range(1, 18)}


def tops(title: str, lead: str = "", body: str = "") -> set[str]:
    return {t.id for t in TAGGER.tag(TagText(title, None, lead, body)) if t.id in TOP}


def test_vocabulary_has_every_top_level_topic_and_the_hierarchy() -> None:
    vocab = load_vocabulary()
    assert {k for k, c in vocab.items() if c.level == 1} == TOP
    sanction = vocab["medtop:20000642"]
    assert sanction.label == "economic sanction"
    assert sanction.uri == "http://cv.iptc.org/newscodes/mediatopic/20000642"
    assert TAGGER.ancestors("medtop:20000642") == ["medtop:20000638", "medtop:11000000"]
    assert all(c.parent is None or c.parent in vocab for c in vocab.values())


def test_vocabulary_file_credits_iptc() -> None:
    data = json.loads(
        resources.files("feedtool.tagging").joinpath("data/topics_vocabulary.json").read_text()
    )
    assert data["license"].startswith("CC BY 4.0")
    assert "IPTC" in data["copyright"]
    assert data["release"] == "2025-03-31"


def test_every_rule_names_an_active_topic() -> None:
    vocab = load_vocabulary()
    assert set(load_rules()) <= set(vocab)


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("ambassador", "ambassadors"),
        ("policy", "policies"),
        ("tax", "taxes"),
        ("peace talks", None),
        ("bilateral relations", None),
        ("OPEC", None),
        ("day", "days"),
    ],
)
def test_plural(phrase: str, expected: str | None) -> None:
    assert plural(phrase) == expected


SEED_LEAD = (
    "Iranian Ambassador to Russia Kazem Jalali has met with Alexander Venediktov, the deputy "
    "secretary of Russia’s national security council. In their meeting, they discussed ways to "
    "strengthen and boost bilateral relations, according to Al Alam."
)


def test_seed_like_story_is_diplomacy_and_politics() -> None:
    tags = TAGGER.tag(
        TagText(
            "Iranian envoy meets Russian security official",
            "Tehran",
            SEED_LEAD,
            "The two sides agreed to continue consultations.",
        )
    )
    ids = {t.id for t in tags}
    assert "medtop:20000639" in ids  # diplomacy
    assert "medtop:11000000" in ids
    assert not ids & {"medtop:15000000", "medtop:17000000", "medtop:01000000"}
    assert next(t for t in tags if t.id == "medtop:20000639").leaf


def test_hierarchy_closure_every_ancestor_present() -> None:
    tags = TAGGER.tag(
        TagText(
            "EU imposes new sanctions on Iran",
            None,
            "The European Union imposed sanctions and an asset freeze.",
            "",
        )
    )
    ids = {t.id for t in tags}
    for t in tags:
        if t.leaf:
            assert set(TAGGER.ancestors(t.id)) <= ids
    assert "medtop:20000642" in ids and "medtop:11000000" in ids


@pytest.mark.parametrize(
    ("title", "lead", "present", "absent"),
    [
        (
            "Club sanctioned by the league after brawl",
            "The club was sanctioned by the league and fined after the match; the coach and "
            "players apologised to fans at the stadium.",
            {"medtop:15000000"},
            {"medtop:11000000"},
        ),
        (
            "Minister faces a storm of criticism",
            "The minister faced a storm of criticism in parliament over the budget bill.",
            {"medtop:11000000"},
            {"medtop:17000000"},
        ),
        (
            "Farmers' market returns to the square",
            "The weekly farmers' market is back, with stalls of local cheese, bread, recipes from "
            "chefs and street food for visitors.",
            set(),
            {"medtop:04000000"},
        ),
        (
            "Striker scores twice as City win the league",
            "The striker scored twice and the goalkeeper saved a penalty as the club won the "
            "league title in front of their fans.",
            {"medtop:15000000"},
            {"medtop:09000000"},
        ),
        (
            "Teachers strike over pay",
            "Thousands of teachers went on strike on Monday, and the union said the walkout would "
            "continue until wages rise.",
            {"medtop:09000000"},
            {"medtop:15000000"},
        ),
        (
            "Earthquake kills dozens",
            "A magnitude 6.1 earthquake struck the province, and rescue teams searched the rubble "
            "for survivors.",
            {"medtop:03000000"},
            {"medtop:15000000"},
        ),
        (
            "Heatwave to break records",
            "Forecasters said temperatures will reach 44 degrees Celsius as the heatwave spreads; "
            "the met office issued a weather warning.",
            {"medtop:17000000"},
            set(),
        ),
        (
            "OPEC agrees to cut output",
            "OPEC agreed to cut crude oil output as oil prices fell on weak demand.",
            {"medtop:04000000"},
            set(),
        ),
        (
            "Pope leads Easter mass",
            "The pope led Easter mass for thousands of worshippers at the Vatican and prayed for "
            "peace.",
            {"medtop:12000000"},
            set(),
        ),
        (
            "Measles outbreak spreads",
            "Health officials confirmed new cases of measles as the outbreak spread and urged "
            "vaccination.",
            {"medtop:07000000"},
            set(),
        ),
        (
            "Film wins top prize at Cannes",
            "The director's new film won the top prize at the Cannes film festival.",
            {"medtop:01000000"},
            {"medtop:15000000"},
        ),
        (
            "Students return to schools",
            "Pupils and teachers returned to schools as the education ministry changed the "
            "curriculum and exams.",
            {"medtop:05000000"},
            set(),
        ),
    ],
)
def test_topic_families_and_traps(
    title: str, lead: str, present: set[str], absent: set[str]
) -> None:
    found = tops(title, lead)
    assert present <= found, found
    assert not (absent & found), found


def test_nothing_matched_gives_no_topic() -> None:
    assert TAGGER.tag(TagText("Lorem ipsum", None, "Dolor sit amet consectetur.", "")) == ()


def test_config_rule_extends_and_threshold() -> None:
    extra = TopicSettings(rules={"medtop:20000642": TopicRule(strong=("zorbified",))})
    tagger = TopicTagger(extra)
    tags = tagger.tag(TagText("Zorbified again", None, "They were zorbified, and zorbified.", ""))
    assert "medtop:20000642" in {t.id for t in tags}
    assert "medtop:20000642" not in {
        t.id
        for t in TAGGER.tag(
            TagText("Zorbified again", None, "They were zorbified, and zorbified.", "")
        )
    }


def test_unknown_rule_id_is_rejected() -> None:
    with pytest.raises(ValueError, match="unknown topic id"):
        TopicTagger(TopicSettings(rules={"medtop:99999999": TopicRule()}))


def test_resolve() -> None:
    assert TAGGER.resolve("medtop:20000642") == "medtop:20000642"
    assert TAGGER.resolve("20000642") == "medtop:20000642"
    assert TAGGER.resolve("Economic Sanction") == "medtop:20000642"
    assert TAGGER.resolve("no such topic") is None


def test_repeats_saturate() -> None:
    once = TAGGER.tag(TagText("x", None, "The embassy.", ""))
    many = TAGGER.tag(TagText("x", None, "The embassy. " * 20, ""))
    score = {t.id: t.score for t in many}.get("medtop:20000639", 0)
    assert score < 3 * 1.5 * 2  # at most a geometric sum, not 20 times the weight
    assert once == () or score >= {t.id: t.score for t in once}.get("medtop:20000639", 0)


@settings(max_examples=30, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "The ambassador met the foreign minister.",
                "Rescue teams searched the rubble.",
                "The striker scored a goal.",
                "Oil prices rose.",
                "Teachers went on strike.",
                "It rained heavily.",
                "The court sentenced him.",
                "Scientists published a study.",
            ]
        ),
        min_size=1,
        max_size=6,
    )
)
def test_tagging_is_deterministic(sentences: list[str]) -> None:
    text = TagText("Title", None, sentences[0], " ".join(sentences[1:]))
    assert TAGGER.tag(text) == TopicTagger().tag(text)
