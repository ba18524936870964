"""Recognise the ways a Creative Commons license (or public domain) is stated.

Understands names ("Creative Commons Attribution-ShareAlike 4.0 International"),
codes ("CC BY-SA 3.0", "CC-BY 4.0", "by-nc-nd/2.5"), deed URLs
(``https://creativecommons.org/licenses/by/4.0/``), CC0 and public-domain notes,
for versions 1.0 to 4.0, and returns the canonical deed URL.
"""

from __future__ import annotations

import functools
import re

from feedtool.model import License

_ELEMENTS = {
    "by": "Attribution",
    "by-sa": "Attribution-ShareAlike",
    "by-nd": "Attribution-NoDerivatives",
    "by-nc": "Attribution-NonCommercial",
    "by-nc-sa": "Attribution-NonCommercial-ShareAlike",
    "by-nc-nd": "Attribution-NonCommercial-NoDerivatives",
}
_VERSIONS = ("1.0", "2.0", "2.5", "3.0", "4.0")
_SUFFIX = {
    "4.0": "International",
    "3.0": "Unported",
    "2.5": "Generic",
    "2.0": "Generic",
    "1.0": "Generic",
}

CC0 = License(
    "CC0 1.0",
    "CC0 1.0 Universal Public Domain Dedication",
    "https://creativecommons.org/publicdomain/zero/1.0/",
)
PUBLIC_DOMAIN = License(
    "Public domain", "Public Domain Mark 1.0", "https://creativecommons.org/publicdomain/mark/1.0/"
)


def cc_license(elements: str, version: str) -> License:
    """The license for ``elements`` (``"by-sa"``) and ``version`` (``"4.0"``)."""
    name = _ELEMENTS[elements]
    if version != "4.0":  # before 4.0 the deeds said "NoDerivs"
        name = name.replace("NoDerivatives", "NoDerivs")
    full = f"Creative Commons {name} {version} {_SUFFIX[version]}"
    code = f"CC {elements.upper()} {version}"
    return License(code, full, f"https://creativecommons.org/licenses/{elements}/{version}/")


_URL = re.compile(
    r"creativecommons\.org/(?:licenses/(?P<el>by(?:-nc)?(?:-sa|-nd)?)/(?P<ver>\d\.\d)"
    r"|publicdomain/(?P<pd>zero|mark)/1\.0)",
    re.IGNORECASE,
)
_CODE = re.compile(
    r"\bCC[\s-]?(?P<el>BY(?:[\s-]NC)?(?:[\s-](?:SA|ND))?)(?:[\s-]+(?P<ver>\d\.\d))?\b",
    re.IGNORECASE,
)
_WORD_ELEMENTS = re.compile(
    r"Creative\s+Commons\s+(?:License\s*,?\s*)?(?P<words>Attribution(?:[\s-]+(?:Non-?Commercial|"
    r"Share-?Alike|No-?Deriv(?:atives|s|ative Works)?))*)(?:\s+License)?(?:\s+(?:v(?:ersion)?\s*)?"
    r"(?P<ver>\d\.\d))?",
    re.IGNORECASE,
)
_CC0 = re.compile(r"\bCC[\s-]?0\b|CC\s*Zero|public\s+domain\s+dedication", re.IGNORECASE)
_PD = re.compile(r"\bpublic[\s-]+domain\b", re.IGNORECASE)


def _elements_from_words(words: str) -> str:
    w = words.lower()
    parts = ["by"]
    if "commercial" in w:
        parts.append("nc")
    if "share" in w:
        parts.append("sa")
    elif "deriv" in w:
        parts.append("nd")
    return "-".join(parts)


def _normalise_elements(raw: str) -> str:
    return re.sub(r"[\s-]+", "-", raw.strip().lower())


# Cached: an outlet prints the same footer under every article, and reading one costs
# more than a dozen regular-expression searches. Both functions are pure.
@functools.lru_cache(maxsize=1024)
def parse_license(text: str) -> License | None:
    """The license ``text`` states, or None. The version defaults to 4.0 when omitted."""
    m = _URL.search(text)
    if m:
        if m.group("pd"):
            return CC0 if m.group("pd").lower() == "zero" else PUBLIC_DOMAIN
        el, ver = m.group("el").lower(), m.group("ver")
        if el in _ELEMENTS and ver in _VERSIONS:
            return cc_license(el, ver)
    if _CC0.search(text):
        return CC0
    m = _CODE.search(text)
    if m:
        el = _normalise_elements(m.group("el"))
        ver = m.group("ver") or "4.0"
        if el in _ELEMENTS and ver in _VERSIONS:
            return cc_license(el, ver)
    m = _WORD_ELEMENTS.search(text)
    if m:
        ver = m.group("ver") or "4.0"
        if ver in _VERSIONS:
            return cc_license(_elements_from_words(m.group("words")), ver)
    if _PD.search(text):
        return PUBLIC_DOMAIN
    return None


# What each of parse_license's patterns needs: "creative" (a deed URL, a license's
# name), "domain" (public domain), or "cc" before "by", "0" or "zero" (a code).
_CODE_HINT = re.compile(r"cc(?:[\s-]?(?:0|by)|\s*zero)")
# The letters case-insensitive matching reads as "i", "s" and "k", written so.
_CASE_VARIANTS = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s", "\u212a": "k"})


def fold_case(text: str) -> str:
    """``text`` in lower case, with the letters a case-insensitive pattern reads as "i",
    "s" or "k" ("ı", "İ", "ſ", "K") written so: a word a pattern looks for in any case is
    in this text wherever the pattern would find it."""
    if text.isascii() or not any(c in text for c in "\u0130\u0131\u017f\u212a"):
        return text.lower()  # str.translate is slow: only when one of them is there
    return text.translate(_CASE_VARIANTS).lower()


def may_state_license(text: str) -> bool:
    """False when :func:`parse_license` finds nothing in ``text`` (a quick test: a word
    each of its patterns needs is looked for)."""
    lowered = fold_case(text)
    return (
        "creative" in lowered
        or "domain" in lowered
        or ("cc" in lowered and _CODE_HINT.search(lowered) is not None)
    )


# "All Content by Mehr News Agency is licensed under a Creative Commons ..." and kin.
_FOOTER = re.compile(
    r"(?:(?:All\s+)?(?:content|text|articles?|material|this\s+(?:article|work|story))"
    r"(?:\s+(?:by|from|of)\s+(?P<source>[^.]{2,80}?))?\s+(?:is|are)\s+"
    r"(?:licen[sc]ed|published|available|released)\s+under\b"
    r"|\b(?:licen[sc]ed|published|released|available|appears?)\s+under\s+(?:a|the)\s+"
    r"Creative\s+Commons"
    r"|\bThis\s+work\s+is\s+in\s+the\s+public\s+domain"
    r"|^\s*(?:License|Licence)\s*:)",
    re.IGNORECASE,
)


@functools.lru_cache(maxsize=1024)
def find_footer(paragraph: str) -> tuple[License, str | None] | None:
    """If ``paragraph`` is a license footer, its license and the source it names."""
    if len(paragraph) > 400:
        return None
    if not may_state_license(paragraph):
        return None
    lowered = paragraph.lower()
    if "under" not in lowered and "cen" not in lowered and "doma" not in lowered:
        # Each branch of _FOOTER needs one of these ("licen[sc]ed", "License:", "public
        # domain"). None holds an i, k or s, which case-insensitive matching also finds
        # as "ı", "K" or "ſ".
        return None
    m = _FOOTER.search(paragraph)
    if not m:
        return None
    lic = parse_license(paragraph)
    if lic is None:
        return None
    source = m.group("source")
    return lic, (source.strip() if source else None)
