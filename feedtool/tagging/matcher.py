"""One-pass multi-phrase matching on word boundaries, leftmost-longest.

Both taggers use :class:`PhraseMatcher`: phrases are added with a payload, the
automaton (pyahocorasick) is built once, and :meth:`PhraseMatcher.find` scans a
text in one pass. Matching is case-insensitive; callers that care about case
(the region tagger's case rules) check the matched surface through ``accept``.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Generic, TypeVar

import ahocorasick

T = TypeVar("T")

# Characters folded before matching; each maps one character to one, so offsets survive.
_FOLD = str.maketrans(
    {
        "\u2019": "'",  # right single quote / typographic apostrophe
        "\u2018": "'",
        "\u02bc": "'",
        "\u2010": "-",  # hyphen
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",  # en dash
        "\u2014": "-",  # em dash
        "\u00a0": " ",
    }
)


_FOLD_PAIRS = tuple((chr(k), v) for k, v in _FOLD.items())


def fold(text: str) -> str:
    """Lower-case ``text`` and fold quotes and dashes, keeping its length."""
    if text.isascii():
        return text.lower()
    for old, new in _FOLD_PAIRS:  # str.replace is far faster than translate() here
        if old in text:
            text = text.replace(old, new)
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    # Rare characters (e.g. "İ") lower-case to two code points: keep those as they are.
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


def ascii_fold(text: str) -> str:
    """Strip accents: ``"Tehrān"`` -> ``"Tehran"`` (letters without an ASCII form stay)."""
    decomposed = unicodedata.normalize("NFKD", text)
    return unicodedata.normalize(
        "NFC", "".join(c for c in decomposed if not unicodedata.combining(c))
    )


def _is_word_char(c: str) -> bool:
    return c.isalnum()


@dataclass(frozen=True, slots=True)
class Match(Generic[T]):
    """A phrase found at ``text[start:end]``; ``surface`` is the text as written."""

    start: int
    end: int
    surface: str
    payloads: tuple[T, ...]


class PhraseMatcher(Generic[T]):
    """Finds many phrases in one pass; phrases match whole words only."""

    def __init__(self, phrases: Iterable[tuple[str, T]] = ()) -> None:
        self._payloads: dict[str, list[T]] = {}
        self._automaton: ahocorasick.Automaton | None = None
        for phrase, payload in phrases:
            self.add(phrase, payload)

    def add(self, phrase: str, payload: T) -> None:
        """Add ``phrase`` (any case) with ``payload``; call before the first :meth:`find`."""
        if self._automaton is not None:
            raise RuntimeError("PhraseMatcher is frozen once find() has been called")
        key = fold(phrase.strip())
        if key:
            self._payloads.setdefault(key, []).append(payload)

    def __len__(self) -> int:
        return len(self._payloads)

    def _build(self) -> ahocorasick.Automaton:
        automaton = ahocorasick.Automaton()
        for key, payloads in self._payloads.items():
            automaton.add_word(key, (len(key), tuple(payloads)))
        if len(automaton):
            automaton.make_automaton()
        self._automaton = automaton
        return automaton

    def find(
        self,
        text: str,
        accept: Callable[[Match[T]], Match[T] | None] | None = None,
    ) -> list[Match[T]]:
        """Non-overlapping whole-word matches in ``text``, leftmost-longest.

        ``accept`` may reject a candidate (return None) or narrow its payloads;
        a rejected longer match lets a shorter one at the same place win.
        """
        automaton = self._automaton if self._automaton is not None else self._build()
        if not len(automaton) or not text:
            return []
        folded = fold(text)
        candidates: list[Match[T]] = []
        n = len(folded)
        for end_index, (length, payloads) in automaton.iter(folded):
            start = end_index - length + 1
            end = end_index + 1
            if start > 0 and _is_word_char(folded[start - 1]):
                continue
            if end < n and _is_word_char(folded[end]):
                continue
            candidates.append(Match(start, end, text[start:end], payloads))
        candidates.sort(key=lambda m: (m.start, -(m.end - m.start)))
        result: list[Match[T]] = []
        taken_until = 0
        for cand in candidates:
            if cand.start < taken_until:
                continue
            chosen = accept(cand) if accept is not None else cand
            if chosen is None:
                continue
            result.append(chosen)
            taken_until = chosen.end
        return result

    def iter_find(self, texts: Iterable[str]) -> Iterator[list[Match[T]]]:
        """:meth:`find` over several texts."""
        for text in texts:
            yield self.find(text)
