"""Reading real copy: date lines, datelines, bylines, source footers, git dates."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from lxml import etree

from feedtool.render.feeds import render_feed
from feedtool.render.urls import site_feed
from feedtool.sources import read_articles
from feedtool.sources.credits import find_byline, find_source, known_agencies
from feedtool.sources.dates import find_date_line, latest_year_named, resolve_year

from .helpers import make_project

UTC = ZoneInfo("UTC")
AGENCIES = known_agencies()
A = "{http://www.w3.org/2005/Atom}"


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Monday, March 5, 2007", "2007-03-05T00:00:00+00:00"),
        ("5 March 2007", "2007-03-05T00:00:00+00:00"),
        ("March 5, 2007 10:42 GMT", "2007-03-05T10:42:00+00:00"),
        ("2007-03-05", "2007-03-05T00:00:00+00:00"),
        ("Published: March 5, 2024 10.42am GMT", "2024-03-05T10:42:00+00:00"),
        ("Friday 3 May 2024 09.12 BST", "2024-05-03T09:12:00+01:00"),
        ("Mar 23, 2023, 10:58 PM", "2023-03-23T22:58:00+00:00"),
    ],
)
def test_date_lines(line: str, expected: str) -> None:
    found = find_date_line(line, UTC)
    assert found is not None and found.year
    assert found.value.isoformat() == expected


@pytest.mark.parametrize(
    "line", ["March 5 was a Monday", "The 2007 war", "Tehran", "By Jane Doe", "2024", "May"]
)
def test_not_date_lines(line: str) -> None:
    assert find_date_line(line, UTC) is None


def test_updated_label_and_impossible_dates() -> None:
    found = find_date_line("Updated: 6 March 2024", UTC)
    assert found is not None and found.updated
    assert find_date_line("February 30, 2026", UTC) is None


def test_year_resolved_against_the_reference() -> None:
    found = find_date_line("Sep. 26", UTC)
    assert found is not None and not found.year
    assert resolve_year(found, date(2024, 10, 1)).date() == date(2024, 9, 26)
    # A date after the reference is last year's.
    assert resolve_year(found, date(2024, 9, 1)).date() == date(2023, 9, 26)


@pytest.mark.parametrize(
    ("line", "author", "outlet"),
    [
        ("By Jane Doe", "Jane Doe", None),
        ("By Jane Doe and John Roe, Reuters", "Jane Doe and John Roe", "Reuters"),
        ("Written by Ahmed al-Masri", "Ahmed al-Masri", None),
        ("By Jane Doe | VOA News", "Jane Doe", "Voice of America"),
        ("| Ann Roe and Bea Poe", "Ann Roe and Bea Poe", None),
        ("| By Ann Roe", "Ann Roe", None),
        ("Ann Roe, Example State University", "Ann Roe", None),
        (
            "Ann Roe, Harbour University and Bea Poe, Harbour University",
            "Ann Roe and Bea Poe",
            None,
        ),
        ("By Ann Roe, Professor of Law, University of Somewhere", "Ann Roe", None),
        (
            "Source: The Conversation (UK) – By Ann Roe, Lecturer, School of Arts, Some College",
            "Ann Roe",
            "The Conversation",
        ),
        ("by Ann Roe and Bea Poe, ProPublica", "Ann Roe and Bea Poe", "ProPublica"),
        ("By Ann Roe‚ Groundup", "Ann Roe", "GroundUp"),
        (
            "Most of this report was written and edited by Ann Roe and Bea Poe.",
            "Ann Roe and Bea Poe",
            None,
        ),
        # A desk or an outlet is credited as the source, with no person.
        ("By Ann Roe with additional reporting by Bea Poe", "Ann Roe", None),
        ("By GroundUp", "", "GroundUp"),
        ("By IFP Editorial Staff", "", "IFP News"),
    ],
)
def test_bylines(line: str, author: str, outlet: str | None) -> None:
    found = find_byline(line, AGENCIES)
    assert found is not None
    assert (found.author, found.outlet) == (author, outlet)


def test_not_bylines() -> None:
    assert find_byline("By the way, this is not a byline", AGENCIES) is None
    # Names with no "By", rule or institution are not a byline at the top.
    assert find_byline("Ann Roe, the minister", AGENCIES) is None
    assert find_byline("South Africa", AGENCIES) is None


def test_bylines_in_their_places(tmp_path: Path) -> None:
    stories = {
        # A byline run into the story's first sentence.
        "a.txt": "A Title Set In Title Case. And More.\nby Ann Roe It’s been a year since the "
        "council first met, and nothing has changed in the town.\n",
        # A name alone under the headline, above the story.
        "b.txt": "Rain Expected Across The Region\n\nAnn Roe\n\nForecasters said on Monday "
        "that heavy rain would fall across the region for most of the week ahead.\n",
        # The reporter's name under the agency's story number, at the end.
        "c.txt": "Talks resume in the capital\n\nTEHRAN, Mar. 23 (MNA) – Talks resumed on "
        "Thursday.\n\nMore was said.\n\nMNA\n\nNews Code 123456\nBea Poe\n",
        # Names and roles above the republication footer.
        "d.txt": "Why the river rose\n\nThe river rose for three reasons.\n\nMore.\n\n"
        "Ann Roe, Senior Editor, Example Review and Bea Poe, Lecturer, Some University\n\n"
        "This article was originally published on The Conversation. Read the original "
        "article.\n",
        # Where and when it first ran, and who wrote it.
        "e.txt": "Why we bought the ads\n\nThis story was originally published Nov. 27, "
        "2017, by ProPublica reporter Ann Roe.\n\nLast week, we bought ads.\n\nMore.\n",
        # A date line with the byline on the same line.
        "f.txt": "Queue at the office\n\n10 April 2017 - 21:44 By Ann Roe‚ Groundup\n\n"
        "Every day, dozens of people queue outside.\n\nMore.\n",
    }
    cfg = make_project(tmp_path / "p", stories)
    articles, _ = read_articles(cfg)
    got = {a.rel_path: (a.author, a.source) for a in articles}
    assert got == {
        "a.txt": ("Ann Roe", None),
        "b.txt": ("Ann Roe", None),
        "c.txt": ("Bea Poe", "Mehr News Agency"),
        "d.txt": ("Ann Roe and Bea Poe", "The Conversation"),
        "e.txt": ("Ann Roe", "ProPublica"),
        "f.txt": ("Ann Roe", "GroundUp"),
    }
    by_name = {a.rel_path: a for a in articles}
    assert by_name["a.txt"].title == "A Title Set In Title Case. And More."
    assert by_name["a.txt"].paragraphs[0].startswith("It’s been a year")
    assert by_name["e.txt"].published.date() == date(2017, 11, 27)
    assert by_name["f.txt"].published.date() == date(2017, 4, 10)
    for a in articles:  # furniture is shown once, as metadata
        assert not any("Ann Roe" in p or "Bea Poe" in p for p in a.paragraphs), a.rel_path


@pytest.mark.parametrize(
    ("footer", "source"),
    [
        (
            "This article is from Wikinews and is licensed under the Creative Commons "
            "Attribution 2.5 License.",
            "Wikinews",
        ),
        (
            "This text comes from Wikinews. Permission is granted to copy under the terms "
            "of the Creative Commons Attribution 2.5 licence.",
            "Wikinews",
        ),
        (
            "All Content by Mehr News Agency is licensed under a Creative Commons "
            "Attribution 4.0 International License.",
            "Mehr News Agency",
        ),
        ("Originally published by GroundUp under CC BY-ND 4.0.", "GroundUp"),
        (
            "This article is republished from The Conversation under a Creative Commons "
            "license. Read the original article.",
            "The Conversation",
        ),
        ("Source: IFP News", "IFP News"),
        ("© 2024 Meduza. CC BY 4.0", "Meduza"),
    ],
)
def test_source_footers(footer: str, source: str) -> None:
    assert find_source(footer, AGENCIES) == source


WIKINEWS = """\
Magnitude 5.3 earthquake strikes Taiwan

Thursday, August 9, 2007

Taipei, Taiwan — Preliminary reports say that a magnitude 5.3 earthquake has struck Taiwan.

No damage was reported.

This article is from Wikinews and is licensed under the Creative Commons Attribution 2.5 License.
"""

MEHR = """\
TEHRAN, Sep. 26 (MNA) – Iran's foreign minister met his Iraqi counterpart in Baghdad.

The two sides discussed trade.
"""

BYLINE = """\
Water protests disrupt Khayelitsha

City says it met residents the night before

By Jan Bornman

12 May 2025

Residents barricaded roads on Thursday.

They demand free water.

© 2025 GroundUp. CC BY-ND 4.0
"""


def test_wikinews_copy_reads_as_a_reader_sees_it(tmp_path: Path) -> None:
    cfg = make_project(tmp_path / "p", {"quake.txt": WIKINEWS})
    (a,), _warnings = read_articles(cfg)
    assert a.title == "Magnitude 5.3 earthquake strikes Taiwan"
    assert a.published.date() == date(2007, 8, 9)
    assert a.has_own_date
    assert a.source == "Wikinews"
    assert a.license is not None and a.license.code == "CC BY 2.5"
    assert a.dateline == "Taipei, Taiwan"
    # Furniture appears once, as metadata: not in the body or the summary.
    assert a.paragraphs[0].startswith("Preliminary reports")
    assert "2007" not in a.summary and "Wikinews" not in a.body_html
    assert "Taipei" not in a.body_html


def test_dateline_date_and_agency(tmp_path: Path) -> None:
    cfg = make_project(tmp_path / "p", {"2024-10-01-visit.txt": MEHR})
    (a,), _warnings = read_articles(cfg)
    assert a.source == "Mehr News Agency"
    assert a.dateline == "Tehran"
    # The dateline's day, in the year the file name's date gives.
    assert a.published.date() == date(2024, 9, 26)


def test_dateline_year_from_the_reference(tmp_path: Path) -> None:
    cfg = make_project(tmp_path / "p", {"visit.txt": MEHR, "visit.yaml": "updated: 2024-10-03\n"})
    (a,), _warnings = read_articles(cfg)
    assert a.published.date() == date(2024, 9, 26)


def test_byline_under_a_standfirst(tmp_path: Path) -> None:
    cfg = make_project(tmp_path / "p", {"water.txt": BYLINE})
    (a,), _warnings = read_articles(cfg)
    assert a.author == "Jan Bornman"
    assert a.published.date() == date(2025, 5, 12)
    assert a.source == "GroundUp"
    assert not any("Bornman" in p for p in a.paragraphs)


STANDFIRST = (
    "A year after the city promised new buses, riders still wait an hour. We rode every "
    "line for a week to see what changed.\n"
    "{headline}\n"
    "{under}\n\n"
    "The first bus of the morning left the depot at 6:10, twenty minutes late.\n\n"
    "By noon, three of the eleven lines had not run at all.\n"
)


@pytest.mark.parametrize(
    ("headline", "under", "title"),
    [
        (
            "The City (Still) Runs Too Few Buses",
            "October 15, 2019",
            "The City (Still) Runs Too Few Buses",
        ),
        ("The City Still Runs Too Few Buses", "By Jane Doe", "The City Still Runs Too Few Buses"),
        # Not a headline in title case, or nothing a headline has under it: none is read.
        ("The city still runs too few buses", "October 15, 2019", None),
        ("The City Still Runs Too Few Buses", "Riders waited.", None),
    ],
)
def test_headline_under_a_standfirst(
    tmp_path: Path, headline: str, under: str, title: str | None
) -> None:
    text = STANDFIRST.format(headline=headline, under=under)
    cfg = make_project(tmp_path / "p", {"buses.txt": text})
    (a,), _warnings = read_articles(cfg)
    if title is None:
        assert a.title_derived
        assert a.title.startswith("A year after the city promised new buses")
    else:
        assert (a.title, a.title_derived) == (title, False)
        assert a.paragraphs[0].startswith("A year after the city promised new buses")
        assert headline not in a.paragraphs


def test_agency_table_extended_in_config(tmp_path: Path) -> None:
    config = (
        "site: {base_url: 'https://news.example.org/'}\n"
        "feeds: {id_authority: 'news.example.org,2026'}\n"
        "articles: {agencies: {XNA: Example News Agency}}\n"
    )
    text = "ROME, May 4 (XNA) - Something happened.\n\nMore text.\n"
    cfg = make_project(tmp_path / "p", {"2024-05-05-x.txt": text}, config=config)
    (a,), _warnings = read_articles(cfg)
    assert a.source == "Example News Agency"


def test_project_default_source(tmp_path: Path) -> None:
    config = (
        "site: {base_url: 'https://news.example.org/'}\n"
        "feeds: {id_authority: 'news.example.org,2026'}\n"
        "articles: {source: Our Desk}\n"
    )
    cfg = make_project(tmp_path / "p", {"2024-05-05-x.txt": "A story.\n\nMore.\n"}, config)
    (a,), warnings = read_articles(cfg)
    assert a.source == "Our Desk"
    assert not [w for w in warnings if w.key == "source"]


FOLDERS_CONFIG = (
    "site: {base_url: 'https://news.example.org/'}\n"
    "feeds: {id_authority: 'news.example.org,2026'}\n"
    "articles:\n"
    "  folders:\n"
    "    wire: {source: Example Wire, license: CC BY-SA 4.0}\n"
    "    wire/partner: {source: Partner Daily}\n"
    "    wikinews: {source: Wikinews}\n"
)


def test_folder_defaults_credit_copy_that_names_no_outlet(tmp_path: Path) -> None:
    files = {
        "wire/2024-05-05-a.txt": "A story from the wire.\n\nMore.\n",
        "wire/partner/2024-05-05-b.txt": "A partner's story.\n\nMore.\n",
        # The text's own footer comes before the folder's defaults.
        "wire/2024-05-05-c.txt": (
            "A story.\n\nMore.\n\nThis article is from Global Voices and is licensed "
            "under CC BY 3.0.\n"
        ),
        "2024-05-05-d.txt": "Outside every configured folder.\n\nMore.\n",
    }
    cfg = make_project(tmp_path / "p", files, FOLDERS_CONFIG)
    articles, warnings = read_articles(cfg)
    got = {a.rel_path: (a.source, a.license.code if a.license else None) for a in articles}
    assert got == {
        "wire/2024-05-05-a.txt": ("Example Wire", "CC BY-SA 4.0"),
        # The deepest folder wins; its outlet is unknown, the parent's license is not
        # inherited (defaults are per folder, not merged).
        "wire/partner/2024-05-05-b.txt": ("Partner Daily", None),
        "wire/2024-05-05-c.txt": ("Global Voices", "CC BY 3.0"),
        "2024-05-05-d.txt": (None, None),
    }
    unlicensed = sorted(str(w.location).rsplit("/", 1)[-1] for w in warnings if w.key == "license")
    assert unlicensed == ["2024-05-05-b.txt", "2024-05-05-d.txt"]


def test_outlet_license_by_date(tmp_path: Path) -> None:
    files = {
        "wikinews/2004-11-02-old.txt": "Before the license change.\n\nMore.\n",
        "wikinews/2007-03-05-new.txt": "After the license change.\n\nMore.\n",
        # Wire copy an open outlet republishes keeps the wire's credit, and no license.
        "wikinews/2007-03-06-wire.txt": "ROME, March 6 (Reuters) - Wire copy.\n\nMore.\n",
        "wikinews/2025-01-10-newer.txt": "After the second change.\n\nMore.\n",
        # No date of its own (nor a commit): which of the outlet's licenses is unknown.
        "wikinews/undated.txt": "Some time ago.\n\nMore.\n",
    }
    cfg = make_project(tmp_path / "p", files, FOLDERS_CONFIG)
    articles, warnings = read_articles(cfg)
    got = {a.rel_path.split("/")[1]: (a.source, a.license and a.license.code) for a in articles}
    about_undated = [
        w.message for w in warnings if w.key == "license" and "undated" in str(w.location)
    ]
    assert about_undated == [
        "Wikinews changed its license over the years, and the article states no date: its "
        "license is unknown"
    ]
    assert got == {
        "2004-11-02-old.txt": ("Wikinews", "Public domain"),
        "2007-03-05-new.txt": ("Wikinews", "CC BY 2.5"),
        "2007-03-06-wire.txt": ("Reuters", None),
        "2025-01-10-newer.txt": ("Wikinews", "CC BY 4.0"),
        "undated.txt": ("Wikinews", None),
    }


@pytest.mark.parametrize(
    ("text", "license_"),
    [
        # The latest year named well inside one license's time: that license.
        ("Skiers met at the 2013 championships in Spain.\n\nMore in 2012 and 2011.\n", "CC BY 2.5"),
        ("The 2010s ended with a vote.\n\nMore.\n", "CC BY 2.5"),  # a decade: its last year
        # What the rule cannot tell: a later article recalling only earlier years.
        ("Ten years on, the 2013 floods are remembered.\n\nMore.\n", "CC BY 2.5"),
        # Too near the change of 16 December 2024: the article may be from after it.
        ("The 2022 election was close.\n\nMore.\n", None),
        ("Recalling 2013, the minister spoke in 2024.\n\nMore.\n", None),
        # Near the first change (25 September 2005): either license.
        ("The 2007 season opened.\n\nMore.\n", None),
        # Before the first change: the table does not say when Wikinews began.
        ("The 2001 census was cited.\n\nMore.\n", None),
        # No year at all, or numbers that are not years.
        ("Some time ago.\n\nMore.\n", None),
        ("It cost £2,013 and 3,000 people came; 1500 nurses left.\n\nMore.\n", None),
    ],
)
def test_undated_copy_dated_by_the_years_it_names(
    tmp_path: Path, text: str, license_: str | None
) -> None:
    cfg = make_project(tmp_path / "p", {"wikinews/undated.txt": text}, FOLDERS_CONFIG)
    (a,), warnings = read_articles(cfg)
    assert (a.license and a.license.code) == license_
    unknown = [w for w in warnings if w.key == "license" and "changed its license" in w.message]
    assert len(unknown) == (license_ is None)
    taken = [c for c in a.changes if c.startswith("took the license Wikinews published under")]
    assert len(taken) == (license_ is not None)


def test_years_named() -> None:
    assert latest_year_named("In 2013 and 2009, and again in the 1990s.") == 2013
    assert latest_year_named("the 2012-13 season; 2014/15") == 2014
    assert latest_year_named("£2,013; 3.2013; 12:2013; A2013; 2013%; 20134") is None
    assert latest_year_named("No year here.") is None


def test_pasted_mehr_copy_gets_the_outlets_license(tmp_path: Path) -> None:
    text = "TEHRAN, Sep. 26 (MNA) – Iran said something.\n\nMore.\n"
    cfg = make_project(tmp_path / "p", {"2024-09-26-x.txt": text})
    (a,), warnings = read_articles(cfg)
    assert (a.source, a.license and a.license.code) == ("Mehr News Agency", "CC BY 4.0")
    assert not [w for w in warnings if w.key == "license"]


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ("'/abs': {source: X}", "must be a folder inside the content folder"),
        ("'../up': {source: X}", "must be a folder inside the content folder"),
        ("wire: {license: Some Rights}", "license not recognised: 'Some Rights'"),
    ],
)
def test_folder_defaults_checked_at_their_line(tmp_path: Path, entry: str, message: str) -> None:
    from feedtool.config import load_config
    from feedtool.errors import ConfigError

    (tmp_path / "config.yaml").write_text(
        f"site: {{base_url: 'https://news.example.org/'}}\narticles:\n  folders:\n    {entry}\n",
        encoding="utf-8",
    )
    with pytest.raises(ConfigError) as info:
        load_config(tmp_path / "config.yaml")
    text = str(info.value)
    assert message in text
    assert "config.yaml:4:" in text


def test_headline_not_repeated_as_first_paragraph(tmp_path: Path) -> None:
    text = "---\ntitle: Rain in Lagos\ndate: 2024-05-04\n---\nRain in Lagos\n\nIt rained.\n"
    cfg = make_project(tmp_path / "p", {"rain.md": text})
    (a,), _warnings = read_articles(cfg)
    assert a.paragraphs == ("It rained.",)


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_undated_article_dated_by_its_commits(tmp_path: Path) -> None:
    cfg = make_project(tmp_path / "p", {"story.txt": "A story with no date.\n\nMore.\n"})

    def git(*args: str, when: str) -> None:
        env = {
            "GIT_AUTHOR_NAME": "t",
            "GIT_AUTHOR_EMAIL": "t@example.org",
            "GIT_COMMITTER_NAME": "t",
            "GIT_COMMITTER_EMAIL": "t@example.org",
            "GIT_AUTHOR_DATE": when,
            "GIT_COMMITTER_DATE": when,
            "PATH": "/usr/bin:/bin:/usr/local/bin",
        }
        subprocess.run(["git", *args], cwd=cfg.root, check=True, env=env, capture_output=True)

    git("init", "-q", when="2024-01-01T00:00:00+00:00")
    git("add", "-A", when="2024-01-01T00:00:00+00:00")
    git("commit", "-qm", "add", when="2024-03-05T10:00:00+03:30")
    story = cfg.content_dir / "story.txt"
    story.write_text("A story with no date, edited.\n\nMore.\n", encoding="utf-8")
    git("commit", "-qam", "edit", when="2024-04-01T09:00:00+00:00")
    (a,), warnings = read_articles(cfg)
    assert a.date_from == "git" and not a.date_derived and not a.has_own_date
    assert a.published == datetime.fromisoformat("2024-03-05T10:00:00+03:30")
    assert a.updated == datetime.fromisoformat("2024-04-01T09:00:00+00:00")
    assert not [w for w in warnings if w.key == "date"]
    feed = etree.fromstring(render_feed(site_feed(cfg), (a,), cfg))  # type: ignore[arg-type]
    entry = feed.find(f"{A}entry")
    assert entry is not None
    assert entry.find(f"{A}published") is None  # Atom's published is optional
    assert entry.findtext(f"{A}updated") == "2024-04-01T09:00:00+00:00"


def test_no_1970_without_a_date(tmp_path: Path) -> None:
    cfg = make_project(tmp_path / "p", {"story.txt": "A story with no date.\n\nMore.\n"})
    (a,), warnings = read_articles(cfg)
    assert a.date_derived
    assert a.published.year != 1970
    assert any(w.key == "date" and "articles.undated" in w.message for w in warnings)


def test_shipped_outlet_table_reads() -> None:
    from importlib import resources

    import yaml

    from feedtool.sources.credits import outlet_license

    text = resources.files("feedtool.sources").joinpath("data/outlets.yaml").read_text("utf-8")
    names = list(yaml.safe_load(text))
    assert len(names) >= 9
    for name in names:
        assert outlet_license(name) is not None, name
    # Editions of a listed outlet are the outlet's; other outlets are not guessed.
    assert outlet_license("Global Voices en Español") == outlet_license("Global Voices")
    assert outlet_license("Associated Press") is None
    assert outlet_license("Voices") is None


def test_date_line_and_dateline_under_photo_captions(tmp_path: Path) -> None:
    captions = "".join(f"The mayor at event {n}.\nImage: Ann Roe.\n\n" for n in range(12))
    text = (
        f"Mayor opens the games\n\n{captions}The mayor, speaking.\nAudio recording by: Bea Poe.\n\n"
        "Wednesday, February 20, 2013\n\n"
        "Wagga Wagga, New South Wales — On Sunday, the mayor opened the games.\n\nMore.\n"
    )
    cfg = make_project(tmp_path / "p", {"games.txt": text})
    (a,), _ = read_articles(cfg)
    assert a.published.date() == date(2013, 2, 20)
    assert a.dateline == "Wagga Wagga, New South Wales"
    assert not any("February 20, 2013" in p or "New South Wales —" in p for p in a.paragraphs)


def test_more_bylines_and_datelines_in_their_places(tmp_path: Path) -> None:
    stories = {
        # A name and an affiliation under the headline.
        "a.txt": "Does coffee help?\n\nAnn Roe, Cancer Council Australia\n\nCoffee is "
        "drunk by most adults, and researchers keep asking what it does to health.\n",
        # The reporter's name alone on the last line.
        "b.txt": "Forum opens\n\nThe forum opened on Monday with delegates from forty "
        "countries.\n\nMore delegates arrived on Tuesday and the talks went on late.\n\n"
        "Bea Poe\n",
        # A dateline in capitals under bullet points.
        "c.txt": "Logging goes on\n\n• Logging persists in the sanctuary.\n\n• Patrols "
        "record it.\n\nRangers were closing in.\n\nPREAH VIHEAR, Cambodia — Sometime "
        "after 10 a.m., the patrol set out.\n\nMore.\n",
        # A three-part place.
        "d.txt": "Games open\n\nCathedral Square, Sydney, Australia — The games opened.\n\nMore.\n",
    }
    cfg = make_project(tmp_path / "p", stories)
    articles, _ = read_articles(cfg)
    got = {a.rel_path: (a.author, a.dateline) for a in articles}
    assert got == {
        "a.txt": ("Ann Roe", None),
        "b.txt": ("Bea Poe", None),
        "c.txt": (None, "Preah Vihear, Cambodia"),
        "d.txt": (None, "Cathedral Square, Sydney, Australia"),
    }


@pytest.mark.parametrize(
    ("text", "where", "reason"),
    [
        ("Talks resume\n\n2026-02-30\n\nTalks resumed.\n\nMore.\n", "a.txt:3: date", "day is"),
        (
            "Talks resume\n\nPublished: March 5, 2026 25:00\n\nTalks resumed.\n\nMore.\n",
            "a.txt:3: date",
            "hour must be in 0..23",
        ),
        ("Talks resume\n\n2026-13-45\n\nTalks resumed.\n\nMore.\n", "a.txt:3: date", "month"),
        (
            "Talks resume\n\nTEHRAN, Feb. 30 (MNA) – Talks resumed.\n\nMore.\n",
            "a.txt:3: dateline",
            "day is out of range",
        ),
    ],
)
def test_impossible_dates_in_the_text_name_file_and_line(
    tmp_path: Path, text: str, where: str, reason: str
) -> None:
    from feedtool.errors import SourceError

    cfg = make_project(tmp_path / "p", {"a.txt": text})
    with pytest.raises(SourceError) as info:
        read_articles(cfg)
    message = str(info.value)
    assert where in message and reason in message


def test_impossible_file_name_date_is_named_not_used(tmp_path: Path) -> None:
    cfg = make_project(tmp_path / "p", {"2026-02-30-talks.txt": "Talks\n\nMore text.\n"})
    (a,), warnings = read_articles(cfg)
    assert a.published.year != 2026
    assert any("2026-02-30 is no such date" in w.message for w in warnings)


def test_press_release_furniture_and_hard_wrapped_text(tmp_path: Path) -> None:
    wrapped = (
        "Ann Roe\nHeadquarters, Springfield\n555-555-0100\n\n"
        "Bea Poe\nResearch Centre, Shelbyville, Md.\n(Phone 555/555-0199)\n\n"
        "March 3, 2011\n\nRELEASE: 11-042\n\nAGENCY PICKS NEW ROCKET SUPPLIER\n\n"
        "SPRINGFIELD -- The agency on Thursday picked a new supplier for the\n"
        "rockets that carry its science missions, ending a two-year search that\n"
        "drew bids from five companies across the country and abroad.\n\n"
        "The contract runs for five years and can be extended twice, the agency\n"
        "said in a statement issued at its headquarters on Thursday morning.\n\n-end-\n"
    )
    cfg = make_project(tmp_path / "p", {"release.txt": wrapped})
    (a,), _ = read_articles(cfg)
    assert a.title == "AGENCY PICKS NEW ROCKET SUPPLIER"
    assert a.published.date() == date(2011, 3, 3)
    assert a.dateline == "Springfield"
    assert a.author is None  # press contacts are not the byline
    assert len(a.paragraphs) == 2
    assert a.paragraphs[0].startswith(
        "The agency on Thursday picked a new supplier for the rockets"
    )
    assert not any("555" in p or "RELEASE" in p or "-end-" in p for p in a.paragraphs)


def test_unwrap_leaves_short_and_unwrapped_lines_alone() -> None:
    from feedtool.sources.text import split_paragraphs

    poem = "Title\n\nOne line.\nAnother line.\nA third line.\n\nMore.\n"
    assert split_paragraphs(poem) == [
        "Title",
        "One line.",
        "Another line.",
        "A third line.",
        "More.",
    ]


def test_item_line_credit_and_dates_in_opening_words(tmp_path: Path) -> None:
    stories = {
        "a.txt": "Fishers count the catch by Ann Roe, Bea Poe [10/29/2020]\n\n– One point.\n\n"
        "The story itself begins here and goes on for a while.\n",
        "b.txt": "Shorts: March 14, 2008\n\nA compilation of brief news reports for Friday, "
        "March 14, 2008.\n\nQuake hits the region\n\nA quake hit the region.\n",
        "c.txt": "Audio brief\n\nToday is Wednesday, May 26th, 2010. I'm Ann Roe and this is "
        "the brief.\n\nA bomb exploded in the city.\n",
        "d.txt": "Originally posted by Example News. Example News content appears under the "
        "Creative Commons Attribution 2.5 license except where specified.\n\nQuake hits "
        "the coast\n\nMarch 11, 2011\n\nA quake hit the coast.\n\nMore.\n",
    }
    cfg = make_project(tmp_path / "p", stories)
    articles, _ = read_articles(cfg)
    got = {a.rel_path: (a.title, a.author, a.published.date().isoformat()) for a in articles}
    assert got["a.txt"] == ("Fishers count the catch", "Ann Roe, Bea Poe", "2020-10-29")
    assert got["b.txt"][2] == "2008-03-14"
    assert got["c.txt"][2] == "2010-05-26"
    d = next(a for a in articles if a.rel_path == "d.txt")
    assert (d.title, d.source, d.license and d.license.code) == (
        "Quake hits the coast",
        "Example News",
        "CC BY 2.5",
    )


def test_pasted_html_feed_fields_and_a_byline_further_down(tmp_path: Path) -> None:
    stories = {
        # An outlet's "republish" HTML pasted into a text file.
        "a.txt": 'Why sleep matters\n\n<div class="body"><em><a href="https://x.example/p/1">'
        'Ann Roe</a>, <a href="https://x.example/i/2">The University of Somewhere</a> and '
        '<a href="https://x.example/p/3">Bea Poe</a>, <a href="https://x.example/i/2">The '
        "University of Somewhere</a></em></p> <p>Sleep matters &amp; more than we think."
        "</p> <script>alert(1)</script><p>Second paragraph.</p>\n",
        # A feed item's fields copied as text.
        "b.txt": "Fungi on the map\n20 Dec 2025 13:08:41 +0000\nhttps://news.example/fungi/\n"
        "author: Ann Roe\ndc:creator: Bea Poe\ncontent:encoded: Getting to the preserve is a "
        "slog, with rivers to cross.\n",
        # An explicit byline under a repeated headline and a long standfirst.
        "c.txt": "Travelling home\n\n"
        + "A long standfirst sentence about the journey. " * 7
        + "\n\nTravelling home\n\nAn unhappy journey\n\n| By Ann Roe\n\nThe story.\n\nMore.\n",
        "d.txt": "Release\n\nRELEASE: 12-428 TELESCOPE COUNTS EARLY GALAXIES\n\nWASHINGTON -- "
        "The telescope counted galaxies.\n\nMore.\n",
    }
    cfg = make_project(tmp_path / "p", stories)
    articles = {a.rel_path: a for a in read_articles(cfg)[0]}
    a = articles["a.txt"]
    assert a.author == "Ann Roe and Bea Poe"
    assert a.paragraphs == ("Sleep matters & more than we think.", "Second paragraph.")
    b = articles["b.txt"]
    assert (b.author, b.published.date()) == ("Bea Poe", date(2025, 12, 20))
    assert b.paragraphs[0].startswith("Getting to the preserve")
    assert articles["c.txt"].author == "Ann Roe"
    assert not any("Ann Roe" in p for p in articles["c.txt"].paragraphs)
    assert articles["d.txt"].dateline == "Washington"


def test_license_notice_inside_flattened_copy(tmp_path: Path) -> None:
    text = (
        "Originally posted by Example News. Example News content appears under the Creative "
        "Commons Attribution 2.5 license except where specified. Quake hits the coast. "
        + "A strong quake hit the coast on Friday, and officials said more was expected. "
        * 8
    )
    cfg = make_project(tmp_path / "p", {"2011-03-11-quake.txt": text})
    (a,), _ = read_articles(cfg)
    assert a.license is not None and a.license.code == "CC BY 2.5"
