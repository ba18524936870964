"""Slugs: short, readable, ASCII, stable, safe as a single path segment."""

from __future__ import annotations

import re

from anyascii import anyascii

MAX_LENGTH = 80
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
# Names Windows refuses as file names, with or without an extension.
_RESERVED = (
    {"con", "prn", "aux", "nul"} | {f"com{i}" for i in range(10)} | {f"lpt{i}" for i in range(10)}
)


def slugify(text: str, max_length: int = MAX_LENGTH) -> str:
    """``"Iran–Russia talks"`` -> ``"iran-russia-talks"``; ``"Тегеран"`` -> ``"tegeran"``.

    The result matches ``^[a-z0-9]+(-[a-z0-9]+)*$`` or is empty, never exceeds
    ``max_length``, is never a Windows-reserved name, and ``slugify(slugify(x)) ==
    slugify(x)``. Non-Latin scripts are transliterated (anyascii).
    """
    ascii_text = anyascii(text).lower().replace("'", "")
    slug = _NON_ALNUM.sub("-", ascii_text).strip("-")
    if len(slug) > max_length:
        cut = slug[:max_length]
        slug = cut.rsplit("-", 1)[0] if "-" in cut else cut
        slug = slug.strip("-")
    if slug in _RESERVED:
        slug = f"{slug}-1"
    return slug
