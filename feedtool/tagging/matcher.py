"""One-pass multi-phrase matching on word boundaries, leftmost-longest.

Both taggers use :class:`PhraseMatcher`: phrases are added with a payload, the
automaton (pyahocorasick) is built once, and :meth:`PhraseMatcher.find` scans a
text in one pass. Matching is case-insensitive; callers that care about case check
the matched surface through ``accept`` (the topic tagger's acronyms), or run the
leftmost-longest selection over :meth:`PhraseMatcher.candidates` themselves (the region
tagger, which memoises its verdict per spelling).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from typing import Generic, NamedTuple, TypeVar

import ahocorasick

from feedtool.memory import paused_gc

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


class Match(NamedTuple, Generic[T]):
    """A phrase found at ``text[start:end]``; ``surface`` is the text as written.

    A named tuple: matches are made by the thousand per article, and tuples are cheap.
    """

    start: int
    end: int
    surface: str
    payloads: tuple[T, ...]


_NONWORD = re.compile(r"[\W_]")
# The same mapping for ASCII text, as a bytes.translate table (much faster than re.sub).
_ASCII_WORDS = bytes(c if chr(c).isalnum() else 0x20 for c in range(256))


# Bytes of UTF-8: ASCII ones mapped as above, the others (parts of non-ASCII characters) kept.
_UTF8_WORDS = bytes(c if c >= 0x80 else _ASCII_WORDS[c] for c in range(256))
_ASCII_BYTES = bytes(range(0x80))


def non_ascii(text: str) -> set[str]:
    """The distinct non-ASCII characters of ``text`` (found without a per-character loop)."""
    return set(
        text.encode("utf-8", "surrogatepass")
        .translate(None, _ASCII_BYTES)
        .decode("utf-8", "surrogatepass")
    )


def _words(folded: str) -> str:
    """``folded`` with every character that is not a letter or digit made a space.

    The same as ``re.sub(r"[\\W_]", " ", folded)``, about ten times faster on long texts:
    ASCII bytes are mapped by one ``bytes.translate``, then each distinct non-ASCII
    character that is not a letter or digit is replaced.
    """
    if folded.isascii():
        return folded.encode("ascii").translate(_ASCII_WORDS).decode("ascii")
    out = (
        folded.encode("utf-8", "surrogatepass")
        .translate(_UTF8_WORDS)
        .decode("utf-8", "surrogatepass")
    )
    for char in non_ascii(folded):
        if not char.isalnum():
            out = out.replace(char, " ")
    return out


def _keys(phrases: list[str]) -> tuple[list[str], list[str]]:
    """Each phrase folded, and its automaton key (non-word characters as spaces, padded).

    ASCII phrases (nearly all) are done in one batch: joined by newlines, lower-cased and
    mapped with one ``bytes.translate``; a newline maps to a space, so the key of a phrase
    is its slice of the batch with one character either side.
    """
    folded: list[str] = []
    keys: list[str] = []
    joined = "\n" + "\n".join([p for p in phrases if p.isascii()]).lower() + "\n"
    words = joined.encode("ascii").translate(_ASCII_WORDS).decode("ascii")
    pos = 1
    for phrase in phrases:
        if phrase.isascii():
            end = pos + len(phrase)
            folded.append(joined[pos:end])
            keys.append(words[pos - 1 : end + 1])
            pos = end + 1
        else:
            key = fold(phrase)
            folded.append(key)
            keys.append(f" {_words(key)} ")
    return folded, keys


class PhraseMatcher(Generic[T]):
    """Finds many phrases in one pass; phrases match whole words only."""

    def __init__(self, phrases: Iterable[tuple[str, T]] = ()) -> None:
        self._phrases: list[tuple[str, T]] = list(phrases)
        self._automaton: ahocorasick.Automaton | None = None
        self._size = 0  # distinct phrases, once built

    def add(self, phrase: str, payload: T) -> None:
        """Add ``phrase`` (any case) with ``payload``; call before the first :meth:`find`."""
        if self._automaton is not None:
            raise RuntimeError("PhraseMatcher is frozen once built (build() or first find())")
        self._phrases.append((phrase, payload))

    def __len__(self) -> int:
        """The number of distinct phrases (ignoring case)."""
        if self._automaton is not None:
            return self._size
        return len(set(_keys([p.strip() for p, _ in self._phrases])[0]) - {""})

    def build(self) -> None:
        """Build the automaton now rather than on the first :meth:`find`.

        Then processes forked afterwards share it instead of each building its own.
        """
        if self._automaton is None:
            self._build()

    def _build(self) -> ahocorasick.Automaton:
        with paused_gc():
            return self._build_automaton()

    def _build_automaton(self) -> ahocorasick.Automaton:
        # Keys and text have every non-alphanumeric character mapped to a space (one for
        # one, so offsets survive) and are padded with a space: the automaton then only
        # reports whole-word matches, and nothing has to be checked afterwards.
        # Payloads are grouped by folded phrase first, then by key, in order of addition
        # (several phrases can share a key: "St. Petersburg", "St Petersburg").
        folded, keys = _keys([phrase.strip() for phrase, _ in self._phrases])
        payloads = [payload for _, payload in self._phrases]
        distinct = set(folded)
        distinct.discard("")
        if len(distinct) != len(folded):
            # A phrase given more than once (in any case): gather its payloads where
            # it first appears, and drop empty phrases.
            first = dict(zip(reversed(folded), range(len(folded) - 1, -1, -1), strict=True))
            rank = [first[phrase] for phrase in folded]
            order = [i for i in sorted(range(len(folded)), key=rank.__getitem__) if folded[i]]
            keys = [keys[i] for i in order]
            payloads = [payloads[i] for i in order]
        merged: dict[str, tuple[T, ...]] = {}
        for key, payload in zip(keys, payloads, strict=True):
            if key in merged:
                merged[key] = (*merged[key], payload)
            else:
                merged[key] = (payload,)
        automaton = ahocorasick.Automaton()
        add_word = automaton.add_word
        for key, values in merged.items():
            unique = values if len(values) == 1 else tuple(dict.fromkeys(values))
            add_word(key, (len(key), unique))
        if len(automaton):
            automaton.make_automaton()
        self._automaton = automaton
        self._size = len(distinct)
        self._phrases = []  # the automaton holds the payloads now
        return automaton

    def candidates(self, text: str) -> list[tuple[int, int, tuple[T, ...]]]:
        """Every whole-word match as ``(start, -end, payloads)``, leftmost-longest first.

        Overlapping matches are all there; :meth:`find` picks among them. For callers
        that run the selection loop themselves, to save a call per match.
        """
        automaton = self._automaton if self._automaton is not None else self._build()
        if not len(automaton) or not text:
            return []
        padded = f" {_words(fold(text))} "
        # A key's match ends on its trailing pad space (end_index) and starts on its
        # leading one; in ``text`` (one shorter at the front) that is [start, end).
        # No two matches share (start, end): each key is reported once where it ends.
        candidates = [
            (end_index - length + 1, 1 - end_index, payloads)
            for end_index, (length, payloads) in automaton.iter(padded)
        ]
        candidates.sort()
        return candidates

    def find(
        self,
        text: str,
        accept: Callable[[Match[T]], Match[T] | None] | None = None,
    ) -> list[Match[T]]:
        """Non-overlapping whole-word matches in ``text``, leftmost-longest.

        ``accept`` may reject a candidate (return None) or narrow its payloads;
        a rejected longer match lets a shorter one at the same place win.
        """
        result: list[Match[T]] = []
        taken_until = 0
        for start, neg_end, payloads in self.candidates(text):
            if start < taken_until:
                continue
            cand = Match(start, -neg_end, text[start:-neg_end], payloads)
            chosen = accept(cand) if accept is not None else cand
            if chosen is None:
                continue
            result.append(chosen)
            taken_until = chosen.end
        return result
