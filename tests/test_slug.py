"""Slugs are ASCII, safe, idempotent and readable for non-Latin titles."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from feedtool.tagging.slug import slugify

SLUG = re.compile(r"^(?:[a-z0-9]+(?:-[a-z0-9]+)*)?$")


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Iran–Russia talks", "iran-russia-talks"),
        ("Russia’s envoy", "russias-envoy"),
        ("Тегеран и Москва", "tegeran-i-moskva"),
        ("تهران", "thrn"),
        ("北京", "beijing"),
        ("../../etc/passwd", "etc-passwd"),
        ("CON", "con-1"),
        ("nul", "nul-1"),
        (".hidden", "hidden"),
        ("a\\b/c\0d", "a-b-c-d"),
    ],
)
def test_examples(text: str, slug: str) -> None:
    assert slugify(text) == slug


def test_long_names_are_cut_at_a_word() -> None:
    slug = slugify("word " * 100)
    assert len(slug) <= 80
    assert not slug.endswith("-")


@given(st.text())
def test_slug_properties(text: str) -> None:
    slug = slugify(text)
    assert SLUG.match(slug)
    assert ".." not in slug
    assert len(slug) <= 80
    assert slugify(slug) == slug
