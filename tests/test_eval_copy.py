"""The raw-copy scorer (eval/score_copy.py): its comparisons, its tallies, the set's labels."""

from __future__ import annotations

import datetime as dt
import importlib.util
import sys
from pathlib import Path
from types import ModuleType, SimpleNamespace
from typing import Any

import pytest
import yaml

REPO = Path(__file__).resolve().parent.parent


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("score_copy", REPO / "eval" / "score_copy.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while decorating
    spec.loader.exec_module(module)
    return module


sc = _load()


def test_text_ignores_case_space_and_quote_styles() -> None:
    assert sc.same_text("Quake hits  Taiwan", "quake hits taiwan")
    assert sc.same_text("\u201cNo\u201d vote \u2014 it\u2019s over", '"No" vote - it\'s over')
    assert not sc.same_text("Quake hits Taiwan", "Quake hits Japan")
    assert not sc.same_text("Jane Doe", None)
    assert not sc.same_text("Jane Doe", "Jane Doe and John Roe")


def test_dates_compare_by_calendar_day() -> None:
    published = dt.datetime(2007, 3, 5, 23, 59, tzinfo=dt.UTC)
    assert sc.same_date(dt.date(2007, 3, 5), published)
    assert sc.same_date("2007-03-05", published)
    assert not sc.same_date(dt.date(2007, 3, 6), published)
    assert not sc.same_date(dt.date(2008, 3, 5), published)
    assert not sc.same_date(None, published)


def test_source_drops_leading_the_and_punctuation() -> None:
    assert sc.same_source("The Conversation", "Conversation")
    assert sc.same_source("Global Voices", "global voices.")
    assert sc.same_source("Mehr News Agency", "MEHR NEWS AGENCY")
    assert not sc.same_source("Global Voices", "Wikinews")
    assert not sc.same_source("Wikinews", None)
    assert not sc.same_source("Theatre Weekly", "atre Weekly")


def test_license_codes_and_none() -> None:
    assert sc.same_license("CC BY 2.5", "CC BY 2.5")
    assert sc.same_license("CC BY-ND 4.0", "cc by-nd 4.0")
    assert sc.same_license("none", None)
    assert sc.same_license("public domain", "Public Domain")
    assert not sc.same_license("CC BY 2.5", "CC BY 4.0")
    assert not sc.same_license("CC BY 3.0", None)
    assert not sc.same_license("CC BY-ND 4.0", "CC BY 4.0")


def test_dateline_is_case_insensitive() -> None:
    assert sc.same_dateline("TEHRAN", "Tehran")
    assert not sc.same_dateline("TEHRAN", "Tabriz")
    assert not sc.same_dateline("Taipei", None)


def _labels(**over: Any) -> dict[str, Any]:
    lab: dict[str, Any] = {
        "url": "https://example.org/a",
        "split": "dev",
        "title": "Quake hits Taiwan",
        "date": dt.date(2007, 3, 5),
        "date_kind": "full",
        "author": None,
        "source": "Wikinews",
        "dateline": "Taipei",
        "license": "CC BY 2.5",
        "license_in_text": True,
    }
    lab.update(over)
    return lab


def _article(**over: Any) -> SimpleNamespace:
    values: dict[str, Any] = {
        "title": "Quake hits Taiwan",
        "published": dt.datetime(2007, 3, 5, tzinfo=dt.UTC),
        "author": None,
        "source": "Wikinews",
        "dateline": "TAIPEI",
        "license": SimpleNamespace(code="CC BY 2.5"),
        "paragraphs": ("The first paragraph.",),
    }
    values.update(over)
    return SimpleNamespace(**values)


def test_tallies_count_applicable_fields_misses_and_unreadable(tmp_path: Path) -> None:
    entries = [
        sc.Entry("wn", tmp_path / "001-a.txt", _labels()),
        sc.Entry("wn", tmp_path / "002-b.txt", _labels(title=None, date_kind="partial")),
        sc.Entry("gv", tmp_path / "003-c.txt", _labels(author="Jane Doe", dateline=None)),
    ]
    got = {
        "001-a.txt": _article(published=dt.datetime(1970, 1, 1, tzinfo=dt.UTC), license=None),
        "002-b.txt": _article(title="Other", paragraphs=("Other",), author="Someone"),
    }

    def reader(path: Path) -> tuple[Any, str]:
        return got.get(path.name), "cannot read"

    tallies = sc.score(entries, verbose=False, reader=reader)
    wn, gv, every = tallies["wn"], tallies["gv"], tallies["all"]
    assert (wn.articles, wn.unreadable, gv.unreadable) == (2, 0, 1)
    assert (wn.scored["title"], wn.right["title"]) == (1, 1)  # 002 has no headline
    assert (wn.scored["date"], wn.right["date"]) == (1, 0)  # 1970 instead of 2007-03-05
    assert (wn.scored["license"], wn.right["license"]) == (2, 1)
    assert wn.dated_1970 == 1 and wn.title_repeated == 1
    assert wn.spurious["author"] == 1
    # The unreadable article misses every field its labels apply to.
    assert gv.scored == {f: 1 for f in sc.FIELDS if f != "dateline"} | {"dateline": 0}
    assert all(v == 0 for v in gv.right.values())
    assert every.articles == 3 and every.scored["source"] == 3


def test_label_problems_catch_missing_file_and_keys(tmp_path: Path) -> None:
    (tmp_path / "001-a.txt").write_text("Text\n", encoding="utf-8")
    assert sc.label_problems(sc.Entry("wn", tmp_path / "001-a.txt", _labels())) == []
    lab = _labels(split="train", date_kind="full", date=None)
    del lab["license_in_text"]
    problems = sc.label_problems(sc.Entry("wn", tmp_path / "002-b.txt", lab))
    assert any("no such file" in p for p in problems)
    assert any("license_in_text" in p for p in problems)
    assert any("split" in p for p in problems)
    assert any("needs a date" in p for p in problems)


def test_only_from_keeps_the_articles_numbered_from_there_on(tmp_path: Path) -> None:
    entries = [
        sc.Entry("wn", tmp_path / "001-a.txt", _labels()),
        sc.Entry("gv", tmp_path / "599-b.txt", _labels()),
        sc.Entry("nasa", tmp_path / "600-c.txt", _labels()),
        sc.Entry("nasa", tmp_path / "641-d.txt", _labels()),
    ]
    assert [e.path.name for e in sc.only_from(entries, 600)] == ["600-c.txt", "641-d.txt"]
    assert sc.only_from(entries, 1) == entries
    assert sc.only_from(entries, 700) == []


def test_main_scores_only_the_selected_part(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    outlet = tmp_path / "wn"
    outlet.mkdir()
    labels = {}
    for name in ("001-a.txt", "600-b.txt"):
        (outlet / name).write_text("Text\n", encoding="utf-8")
        labels[name] = {**_labels(), "date": "2007-03-05"}
    (outlet / "labels.yaml").write_text(yaml.safe_dump(labels), encoding="utf-8")
    assert sc.main(["--dir", str(tmp_path), "--split", "all", "--only-from", "700"]) == 1
    assert "from 700" in capsys.readouterr().out
    assert sc.main(["--dir", str(tmp_path), "--split", "all", "--only-from", "600"]) == 0
    table = capsys.readouterr().out
    rows = {line.split()[0]: line.split()[1:] for line in table.splitlines() if line.strip()}
    assert rows["articles"] == ["1", "1"]


ENTRIES = sc.load_entries()


@pytest.mark.parametrize("entry", ENTRIES, ids=[e.name for e in ENTRIES])
def test_every_label_names_a_file_with_all_keys(entry: Any) -> None:
    assert sc.label_problems(entry) == []


def test_numbers_are_unique_across_the_set() -> None:
    numbers = [e.path.name.split("-", 1)[0] for e in ENTRIES]
    assert all(n.isdigit() and len(n) == 3 for n in numbers)
    assert len(numbers) == len(set(numbers))
    files = {p.name for p in (REPO / "eval" / "copy").glob("*/*.txt")}
    assert files == {e.path.name for e in ENTRIES}, "every article file has labels"
