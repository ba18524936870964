"""Dates written the way the site's language writes them (Babel's CLDR data).

The machine's locale never matters: the language comes from ``site.language``,
so every build gives the same text. Unknown languages fall back to English.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache

from babel import Locale, UnknownLocaleError
from babel.dates import format_date


@lru_cache(maxsize=32)
def locale_for(language: str) -> Locale:
    """The Babel locale of a BCP 47 tag such as ``en``, ``fa`` or ``pt-BR``."""
    try:
        return Locale.parse(language.replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError):
        return Locale.parse("en")


@lru_cache(maxsize=8192)
def long_date(value: date, language: str) -> str:
    """``November 28, 2026`` in English, ``28 novembre 2026`` in French, and so on."""
    return str(format_date(value, format="long", locale=locale_for(language)))


def month_label(year: int, month: int, language: str) -> str:
    """A month of a year as a heading: ``November 2026``, ``novembre 2026``."""
    return str(format_date(date(year, month, 1), format="LLLL y", locale=locale_for(language)))
