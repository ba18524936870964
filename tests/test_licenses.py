"""License recognition: names, codes, URLs, CC0 and public domain, versions 1.0-4.0."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from feedtool.sources.licenses import find_footer, parse_license

SEED_FOOTER = (
    "All Content by Mehr News Agency is licensed under a Creative Commons Attribution 4.0 "
    "International License."
)


@pytest.mark.parametrize(
    ("text", "code", "url"),
    [
        (SEED_FOOTER, "CC BY 4.0", "https://creativecommons.org/licenses/by/4.0/"),
        ("CC BY-SA 3.0", "CC BY-SA 3.0", "https://creativecommons.org/licenses/by-sa/3.0/"),
        ("cc-by 2.0", "CC BY 2.0", "https://creativecommons.org/licenses/by/2.0/"),
        (
            "CC BY-NC-ND 4.0",
            "CC BY-NC-ND 4.0",
            "https://creativecommons.org/licenses/by-nc-nd/4.0/",
        ),
        ("CC BY-NC 2.5", "CC BY-NC 2.5", "https://creativecommons.org/licenses/by-nc/2.5/"),
        (
            "http://creativecommons.org/licenses/by-nd/3.0/deed.en",
            "CC BY-ND 3.0",
            "https://creativecommons.org/licenses/by-nd/3.0/",
        ),
        (
            "Creative Commons Attribution-ShareAlike 4.0 International",
            "CC BY-SA 4.0",
            "https://creativecommons.org/licenses/by-sa/4.0/",
        ),
        (
            "Creative Commons Attribution-NonCommercial-ShareAlike 3.0 Unported License",
            "CC BY-NC-SA 3.0",
            "https://creativecommons.org/licenses/by-nc-sa/3.0/",
        ),
        (
            "Creative Commons Attribution 2.5 Generic",
            "CC BY 2.5",
            "https://creativecommons.org/licenses/by/2.5/",
        ),
        ("CC0", "CC0 1.0", "https://creativecommons.org/publicdomain/zero/1.0/"),
        (
            "https://creativecommons.org/publicdomain/zero/1.0/",
            "CC0 1.0",
            "https://creativecommons.org/publicdomain/zero/1.0/",
        ),
        (
            "This work is in the public domain.",
            "Public domain",
            "https://creativecommons.org/publicdomain/mark/1.0/",
        ),
    ],
)
def test_parse_license(text: str, code: str, url: str) -> None:
    lic = parse_license(text)
    assert lic is not None
    assert (lic.code, lic.url) == (code, url)


def test_full_names() -> None:
    lic = parse_license("CC BY-ND 3.0")
    assert lic is not None
    assert lic.name == "Creative Commons Attribution-NoDerivs 3.0 Unported"
    lic = parse_license("CC BY-ND 4.0")
    assert lic is not None
    assert lic.name == "Creative Commons Attribution-NoDerivatives 4.0 International"


@pytest.mark.parametrize("text", ["All rights reserved.", "MIT License", "CC BY 9.0", ""])
def test_not_a_license(text: str) -> None:
    assert parse_license(text) is None


def test_seed_footer_names_source() -> None:
    found = find_footer(SEED_FOOTER)
    assert found is not None
    lic, source = found
    assert lic.code == "CC BY 4.0"
    assert source == "Mehr News Agency"


def test_ordinary_paragraph_is_not_a_footer() -> None:
    assert find_footer("The law was licensed under a new regime, officials said.") is None


_WORDS = [
    "All",
    "content",
    "Content",
    "by",
    "from",
    "Mehr",
    "News",
    "Agency",
    "is",
    "are",
    "licensed",
    "licenced",
    "under",
    "a",
    "the",
    "Creative",
    "CREATIVE",
    "Commons",
    "Attribution",
    "ShareAlike",
    "NonCommercial",
    "4.0",
    "3.0",
    "CC",
    "cc",
    "BY-SA",
    "by-nd",
    "CC0",
    "Zero",
    "public",
    "PUBLIC",
    "publıc",
    "domain",
    "dedication",
    "License:",
    "Licence",
    "This",
    "work",
    "creativecommons.org/licenses/by/4.0/",
    "publicdomain/zero/1.0",
    "said",
    ".",
    ",",
    "ſ",
    "İ",
    "under",
    "recent",
    "lıcensed",
]


def _footer_without_shortcut(paragraph: str) -> tuple[object, str | None] | None:
    """find_footer as it reads without its quick rejection (the regular expressions only)."""
    from feedtool.sources.licenses import _FOOTER

    if len(paragraph) > 400:
        return None
    m = _FOOTER.search(paragraph)
    lic = parse_license(paragraph) if m else None
    if m is None or lic is None:
        return None
    source = m.group("source")
    return lic, (source.strip() if source else None)


_FOOTERS = [
    SEED_FOOTER,
    "Content is licensed under CC BY-SA 3.0.",
    "This work is in the public domain.",
    "This work is in the PUBLIC domain.",
    "License: CC0",
    "Licence: creativecommons.org/licenses/by/4.0/",
    "Text is available under the Creative Commons Attribution-ShareAlike License",
    "Articles are released under a publıc domain dedication.",
    "Material from Wire Commons is published under the terms of cc by-nd 2.5",
    "Lıcence: CC0",
    "LICENSE: creativecommons.org/licenses/by/4.0/",
    "Thıs work ıs in the publıc domaın.",
    "Content is lıcensed under CC BY 4.0",
]


@pytest.mark.slow
@settings(max_examples=400, deadline=None)
@given(
    st.lists(st.one_of(st.sampled_from(_WORDS), st.text(max_size=6)), max_size=12),
    st.sampled_from([*_FOOTERS, ""]),
    st.sampled_from([str, str.upper, str.lower, str.title]),
    st.lists(st.sampled_from(_WORDS), max_size=8),
)
def test_quick_rejection_never_changes_the_answer(
    before: list[str], footer: str, case: object, after: list[str]
) -> None:
    assert callable(case)
    paragraph = " ".join([*before, case(footer), *after])
    assert find_footer(paragraph) == _footer_without_shortcut(paragraph)


@pytest.mark.parametrize("case", [str, str.upper, str.lower, str.title])
def test_quick_rejection_keeps_each_footer_on_its_own(case: object) -> None:
    assert callable(case)
    found = 0
    for footer in _FOOTERS:
        paragraph = case(footer)
        assert find_footer(paragraph) == _footer_without_shortcut(paragraph), paragraph
        found += find_footer(paragraph) is not None
    assert found >= len(_FOOTERS) - 2
