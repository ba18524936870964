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


def test_find_with_returns_the_accepted_values_and_spans() -> None:
    seen: list[tuple[int, int, tuple[str, ...]]] = []

    def accept(start: int, end: int, payloads: tuple[str, ...]) -> str | None:
        seen.append((start, end, payloads))
        return None if payloads == ("ny",) else payloads[0].upper()

    text = "new york"
    assert _matcher().find_with(text, accept) == [(0, 3, "NEW"), (4, 8, "YORK")]
    assert seen[0] == (0, 8, ("ny",))  # the longest candidate is offered first


def test_find_with_agrees_with_find() -> None:
    text = "York; New York. NEW YORK and new yorkers in São Paulo, U.S."
    matcher = _matcher()
    expected = [(m.start, m.end, m.payloads) for m in matcher.find(text)]
    assert matcher.find_with(text, lambda s, e, p: p) == expected


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
