"""PhraseMatcher: whole words, leftmost-longest, rejected matches let shorter ones win."""

from __future__ import annotations

import pytest

from feedtool.tagging.matcher import Match, PhraseMatcher


def _matcher() -> PhraseMatcher[str]:
    return PhraseMatcher(
        [("New York", "ny"), ("York", "york"), ("New", "new"), ("U.S.", "us"), ("São Paulo", "sp")]
    )


def test_find_is_leftmost_longest_on_whole_words() -> None:
    found = _matcher().find("In New York, not Yorkshire; the U.S. and São Paulo.")
    assert [(m.surface, m.payloads) for m in found] == [
        ("New York", ("ny",)),
        ("U.S.", ("us",)),
        ("São Paulo", ("sp",)),
    ]
    assert all(isinstance(m, Match) for m in found)


def test_a_rejected_longer_match_lets_a_shorter_one_win() -> None:
    found = _matcher().find("New York", lambda m: None if m.payloads == ("ny",) else m)
    assert [(m.start, m.end, m.payloads) for m in found] == [(0, 3, ("new",)), (4, 8, ("york",))]


def test_candidates_are_every_match_leftmost_longest_first() -> None:
    text = "New York, New"
    got = [(start, -neg_end, payloads) for start, neg_end, payloads in _matcher().candidates(text)]
    assert got == [(0, 8, ("ny",)), (0, 3, ("new",)), (4, 8, ("york",)), (10, 13, ("new",))]


def test_same_phrase_twice_merges_payloads_once() -> None:
    matcher = PhraseMatcher([("Georgia", "country"), ("georgia", "state"), ("Georgia", "country")])
    assert [m.payloads for m in matcher.find("Georgia")] == [("country", "state")]
    assert matcher.find("") == []
    assert PhraseMatcher[str]().find("anything") == []


def test_build_freezes_the_matcher() -> None:
    matcher = _matcher()
    assert len(matcher) == 5
    matcher.build()
    matcher.build()  # idempotent
    assert len(matcher) == 5
    assert [m.surface for m in matcher.find("York")] == ["York"]
    with pytest.raises(RuntimeError, match="frozen"):
        matcher.add("Paris", "paris")
