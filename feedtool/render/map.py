"""The coverage map on ``regions/index.html``: an inline SVG world map."""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup

from feedtool.model import Term


def coverage_map(terms: Sequence[Term], root: str) -> Markup:
    """An inline SVG of the world, countries shaded by article count, linked to their pages."""
    return Markup("")
