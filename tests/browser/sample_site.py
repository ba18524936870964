"""A synthetic, deterministic site of any size, for page tests, browser tests and vnu.

The articles are made up (tagged by construction, not by the taggers), so the
site exercises every template — pagination, archive (with undated articles),
macro-regions with member countries, broader/narrower topics, related articles —
without depending on the tagger data.

Run ``python -m tests.browser.sample_site OUT_DIR [N]`` to write a site of N articles.
"""

from __future__ import annotations

import hashlib
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from feedtool.build import BuildReport, render_all
from feedtool.config import Config, parse_config
from feedtool.model import Article, License, SiteModel
from feedtool.search import with_search_index
from feedtool.site_model import build_site_model
from feedtool.tagging.base import RegionTag, TermInfo, TopicTag
from feedtool.write import write_outputs

COUNTRIES = (
    ("AM", "Armenia"),
    ("AZ", "Azerbaijan"),
    ("GE", "Georgia"),
    ("IR", "Iran"),
    ("RU", "Russia"),
    ("TR", "Türkiye"),
    ("FR", "France"),
    ("DE", "Germany"),
    ("BR", "Brazil"),
    ("US", "United States"),
    ("CN", "China"),
    ("IN", "India"),
    ("NG", "Nigeria"),
    ("AU", "Australia"),
    ("EG", "Egypt"),
    ("JP", "Japan"),
)
REGIONS = (
    ("south-caucasus", "South Caucasus", ("AM", "AZ", "GE")),
    ("middle-east", "Middle East", ("EG", "IR", "IQ", "TR")),
)
TOPICS = (
    (
        "medtop:11000000",
        "politics and government",
        (),
        "Local, regional, national and "
        "international exercise of power, including the structures of government.",
    ),
    (
        "medtop:20000621",
        "diplomacy",
        ("medtop:11000000",),
        "The use of negotiation and dialogue between states.",
    ),
    (
        "medtop:04000000",
        "economy, business and finance",
        (),
        "All matters concerning the planning, production and exchange of wealth.",
    ),
    (
        "medtop:20000344",
        "energy and resource",
        ("medtop:04000000",),
        "Businesses engaged in the production of energy and natural resources.",
    ),
    (
        "medtop:06000000",
        "environment",
        (),
        "All aspects of protection, damage, and "
        "condition of the ecosystem of the planet Earth and its surroundings.",
    ),
    (
        "medtop:15000000",
        "sport",
        (),
        "Competitive activity or skill that involves physical and/or mental effort.",
    ),
)
CONFIG = """\
site:
  title: Sample News
  description: Made-up articles that exercise every page of a feedtool site.
  base_url: {base_url}
  publisher: Sample Desk
feeds:
  id_authority: sample.example.org,2026
  limit: 20
pages:
  per_page: {per_page}
  search: {search}
"""
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
START = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)
CC_BY = License(
    "CC BY 4.0",
    "Creative Commons Attribution 4.0 International",
    "https://creativecommons.org/licenses/by/4.0/",
)


class _Tagger:
    def __init__(self, terms: dict[str, TermInfo]) -> None:
        self._terms = terms

    def terms(self) -> dict[str, TermInfo]:
        return self._terms


class _Taggers:
    def __init__(self) -> None:
        regions = {c: TermInfo(c, n, None, "country") for c, n in COUNTRIES}
        regions["IQ"] = TermInfo("IQ", "Iraq", None, "country")
        for slug, name, members in REGIONS:
            regions[slug] = TermInfo(slug, name, None, "region", members=members)
        topics = {
            i: TermInfo(
                i,
                label,
                f"http://cv.iptc.org/newscodes/mediatopic/{i[7:]}",
                "topic",
                parents=parents,
                definition=definition,
            )
            for i, label, parents, definition in TOPICS
        }
        self.regions = _Tagger(regions)
        self.topics = _Tagger(topics)

    def terms(self) -> dict[str, dict[str, TermInfo]]:
        return {"topics": self.topics.terms(), "regions": self.regions.terms()}


def _pick(n: int, salt: str, size: int) -> int:
    return int(hashlib.sha256(f"{salt}{n}".encode()).hexdigest()[:8], 16) % size


def make_article(n: int) -> Article:
    """Article number ``n``: every 17th is undated; dates go back 9 hours per article."""
    country = COUNTRIES[_pick(n, "c", len(COUNTRIES))]
    other = COUNTRIES[_pick(n, "o", len(COUNTRIES))]
    topic = TOPICS[_pick(n, "t", len(TOPICS))]
    undated = n % 17 == 5
    published = EPOCH if undated else START - timedelta(hours=9 * n)
    title = f"Report {n}: {topic[1].capitalize()} in {country[1]}"
    paragraphs = (
        f"{country[1]} and {other[1]} discussed {topic[1]} on day {n}, officials said.",
        "“We will continue the talks,” a spokesperson said & added that <nothing> was agreed.",
        "Analysts expect further meetings in the coming weeks.",
    )
    regions = [RegionTag(country[0], country[1], "country", True, 3.0, True)]
    if other != country:
        regions.append(RegionTag(other[0], other[1], "country", False, 1.0, True))
    for slug, name, members in REGIONS:
        if country[0] in members:
            regions.append(RegionTag(slug, name, "region", False, 1.0, True))
    topics = [TopicTag(topic[0], topic[1], 2.0, True)]
    for parent in topic[2]:
        label = next(t[1] for t in TOPICS if t[0] == parent)
        topics.append(TopicTag(parent, label, 2.0, False))
    return Article(
        path=f"seeds/report-{n:05d}.txt",
        rel_path=f"report-{n:05d}.txt",
        slug=f"report-{n:05d}",
        title=title,
        title_derived=False,
        dateline=country[1].upper() if n % 3 else None,
        published=published,
        updated=published,
        date_derived=undated,
        source="Sample Wire" if n % 4 else None,
        source_url=f"https://wire.example/{n}" if n % 2 else None,
        author=None,
        license=CC_BY if n % 5 else None,
        summary=paragraphs[0],
        body_html="".join(
            f"<p>{p.replace('&', '&amp;').replace('<', '&lt;').replace('>', '&gt;')}</p>"
            for p in paragraphs
        ),
        paragraphs=paragraphs,
        entry_id=f"tag:sample.example.org,2026:report-{n:05d}",
        tags=(tuple(topics), tuple(regions)),
        changes=("added tags",),
    )


def sample_config(
    root: Path,
    *,
    base_url: str = "https://sample.example.org/",
    per_page: int = 20,
    search: bool = False,
) -> Config:
    """A config for the sample project at ``root`` (the file is written there)."""
    root.mkdir(parents=True, exist_ok=True)
    text = CONFIG.format(base_url=base_url, per_page=per_page, search=str(search).lower())
    (root / "config.yaml").write_text(text, encoding="utf-8")
    (root / "seeds").mkdir(exist_ok=True)
    return parse_config(text, root / "config.yaml")


def sample_model(cfg: Config, count: int) -> SiteModel:
    """The site model of ``count`` made-up articles."""
    articles = [make_article(n) for n in range(count)]
    return build_site_model(articles, cfg, _Taggers())  # type: ignore[arg-type]


def sample_outputs(cfg: Config, count: int) -> dict[str, bytes]:
    """Every file of the sample site, in memory."""
    outputs = render_all(sample_model(cfg, count), cfg, BuildReport())
    return dict(with_search_index(outputs, enabled=cfg.pages.search, language=cfg.site.language))


def write_sample_site(out: Path, count: int, **options: Any) -> Config:
    """Write the sample project (config) to ``out/project`` and its site to ``out/site``."""
    cfg = sample_config(out / "project", **options)
    write_outputs(sample_outputs(cfg, count).items(), out / "site")
    return cfg


if __name__ == "__main__":  # pragma: no cover
    target = Path(sys.argv[1])
    write_sample_site(target, int(sys.argv[2]) if len(sys.argv) > 2 else 60)
