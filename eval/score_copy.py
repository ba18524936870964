"""Score how feedtool reads real copy (headline, date, byline, source, dateline, licence).

Usage (from the repository root)::

    python eval/score_copy.py                 # the dev split, per field and per outlet
    python eval/score_copy.py --split all     # every labelled article (dev and test)
    python eval/score_copy.py --split test -v # the held-out split, listing each miss
    python eval/score_copy.py --split all --only-from 600  # articles numbered 600 and up

The set is ``eval/copy/<outlet>/NNN-slug.txt`` with hand labels in
``eval/copy/<outlet>/labels.yaml`` (see ``eval/copy/README.md``). Each article goes
through feedtool's own reader (``feedtool.api.tag_paths([path])``, the default
settings), exactly as ``feedtool tag`` sees it; an article that cannot be read counts as
a miss on every field that applies to it.

A field is scored only on the articles where its label applies: ``title`` where the label
is not null, ``date`` where ``date_kind`` is ``full``, ``author`` and ``dateline`` where
the label is not null, ``source`` and ``license`` always. Besides accuracy it prints how
many articles were dated 1970 and how many repeat the title as the first body paragraph,
and (as "spurious") how often feedtool found an author or dateline the text does not have.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import logging
import string
import sys
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
COPY = HERE / "copy"

FIELDS = ("title", "date", "author", "source", "dateline", "license")
REQUIRED_KEYS = (
    "url",
    "split",
    "title",
    "date",
    "date_kind",
    "author",
    "source",
    "dateline",
    "license",
    "license_in_text",
)
SPLITS = ("dev", "test")
DATE_KINDS = ("full", "partial", "none")

# Curly quotes, primes and the dash family read as their plain ASCII forms.
_FOLD = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u00b4": "'",
        "`": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2015": "-",
        "\u2212": "-",
        "\u00a0": " ",
    }
)
_PUNCT = str.maketrans(dict.fromkeys(string.punctuation, " "))
_PUBLIC_DOMAIN = {"public domain", "pd", "pdm", "pdm 1.0", "public domain mark 1.0"}


def norm(text: str | None) -> str:
    """Casefolded, whitespace-normalised text; curly and straight quotes, all dashes equal."""
    if text is None:
        return ""
    text = unicodedata.normalize("NFKC", text).translate(_FOLD)
    return " ".join(text.casefold().split())


def same_text(expected: str | None, got: str | None) -> bool:
    """Title, author: equal after :func:`norm` (None only equals None)."""
    if expected is None or got is None:
        return expected is None and got is None
    return norm(expected) == norm(got)


def norm_source(text: str) -> str:
    """A source name without a leading "The" and without punctuation."""
    words = norm(text).translate(_PUNCT).split()
    if words and words[0] == "the":
        words = words[1:]
    return " ".join(words)


def same_source(expected: str, got: str | None) -> bool:
    """Source names match after :func:`norm_source` (a missing source never matches)."""
    return got is not None and norm_source(expected) == norm_source(got)


def as_date(value: Any) -> dt.date | None:
    """A label's date (YAML gives a ``date``; a quoted string is read as ISO)."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def same_date(expected: Any, published: dt.datetime | None) -> bool:
    """The label's date equals the calendar date of ``published`` as feedtool stores it."""
    want = as_date(expected)
    return want is not None and published is not None and published.date() == want


def norm_license(code: str | None) -> str:
    """A licence code for comparison: no licence is "none"; public-domain spellings agree."""
    text = norm(code) if code is not None else "none"
    text = text.replace("-", " ")
    text = " ".join(text.split())
    return "public domain" if text in _PUBLIC_DOMAIN else text


def same_license(expected: str, got: str | None) -> bool:
    """Licence codes match ("CC BY 4.0" == "cc-by 4.0"; None reads as "none")."""
    return norm_license(expected) == norm_license(got)


def same_dateline(expected: str | None, got: str | None) -> bool:
    """Datelines match case-insensitively (TEHRAN == Tehran)."""
    return same_text(expected, got)


@dataclass
class Entry:
    """One labelled article."""

    outlet: str
    path: Path
    labels: dict[str, Any]

    @property
    def name(self) -> str:
        return f"{self.outlet}/{self.path.name}"


def load_entries(root: Path = COPY) -> list[Entry]:
    """Every labelled article under ``root`` (``*/labels.yaml``), by outlet and file name."""
    entries: list[Entry] = []
    for labels_file in sorted(root.glob("*/labels.yaml")):
        data = yaml.safe_load(labels_file.read_text(encoding="utf-8")) or {}
        for name in sorted(data):
            entries.append(Entry(labels_file.parent.name, labels_file.parent / name, data[name]))
    return entries


def number(entry: Entry) -> int:
    """The article's number, the digits before the first hyphen of its file name."""
    return int(entry.path.name.split("-", 1)[0])


def only_from(entries: Iterable[Entry], first: int) -> list[Entry]:
    """The entries numbered ``first`` or higher (one part of the set, scored on its own)."""
    return [e for e in entries if number(e) >= first]


def label_problems(entry: Entry) -> list[str]:
    """What is wrong with one entry's labels (missing file or key, bad value)."""
    out: list[str] = []
    lab = entry.labels
    if not isinstance(lab, dict):
        return [f"{entry.name}: labels are not a mapping"]
    if not entry.path.is_file():
        out.append(f"{entry.name}: no such file")
    out += [f"{entry.name}: missing key {key!r}" for key in REQUIRED_KEYS if key not in lab]
    if lab.get("split") not in SPLITS:
        out.append(f"{entry.name}: split must be one of {SPLITS}")
    if lab.get("date_kind") not in DATE_KINDS:
        out.append(f"{entry.name}: date_kind must be one of {DATE_KINDS}")
    try:
        date = as_date(lab.get("date"))
    except ValueError:
        out.append(f"{entry.name}: date is not YYYY-MM-DD")
    else:
        if lab.get("date_kind") == "full" and date is None:
            out.append(f"{entry.name}: date_kind full needs a date")
    if not lab.get("source"):
        out.append(f"{entry.name}: source is empty")
    if not lab.get("license"):
        out.append(f"{entry.name}: license is empty")
    return out


def applies(field_name: str, lab: dict[str, Any]) -> bool:
    """Whether ``field_name`` is scored on an article with labels ``lab``."""
    if field_name == "date":
        return bool(lab.get("date_kind") == "full")
    if field_name in ("source", "license"):
        return True
    return lab.get(field_name) is not None


def got_values(article: Any) -> dict[str, Any]:
    """What feedtool read, per field, in the form the comparisons take."""
    return {
        "title": article.title,
        "date": article.published,
        "author": article.author,
        "source": article.source,
        "dateline": article.dateline,
        "license": article.license.code if article.license is not None else None,
    }


COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "title": same_text,
    "date": same_date,
    "author": same_text,
    "source": same_source,
    "dateline": same_dateline,
    "license": same_license,
}


@dataclass
class Tally:
    """Counts for one outlet (or all)."""

    articles: int = 0
    unreadable: int = 0
    right: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FIELDS, 0))
    scored: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FIELDS, 0))
    spurious: dict[str, int] = field(default_factory=lambda: {"author": 0, "dateline": 0})
    dated_1970: int = 0
    title_repeated: int = 0


def read(path: Path, cfg: Any = None) -> tuple[Any | None, str]:
    """The article feedtool reads from ``path`` (with config ``cfg``, else the default
    settings), or None and the first problem."""
    from feedtool.api import tag_paths
    from feedtool.errors import SourceError

    try:
        articles, _ = tag_paths([path], cfg)
    except SourceError as exc:
        first = str(exc).splitlines()[0] if str(exc) else "unreadable"
        return None, first
    if len(articles) != 1:
        return None, f"read {len(articles)} articles"
    return articles[0], ""


def show(value: Any) -> str:
    """A value for a miss line: dates in ISO form, everything else as its repr."""
    if isinstance(value, dt.date):  # datetime is a date too
        return value.isoformat()
    return repr(value)


def score(
    entries: Iterable[Entry],
    verbose: bool,
    reader: Callable[[Path], tuple[Any | None, str]] = read,
) -> dict[str, Tally]:
    """Tally every entry per outlet and overall ("all"); print misses when ``verbose``."""
    tallies: dict[str, Tally] = {}
    for entry in entries:
        lab = entry.labels
        article, error = reader(entry.path)
        for key in (entry.outlet, "all"):
            tally = tallies.setdefault(key, Tally())
            tally.articles += 1
            if article is None:
                tally.unreadable += 1
        if article is None and verbose:
            print(f"{entry.name}: unreadable: {error}")
        got = got_values(article) if article is not None else {}
        for name in FIELDS:
            if not applies(name, lab):
                if article is not None and name in ("author", "dateline") and got[name]:
                    for key in (entry.outlet, "all"):
                        tallies[key].spurious[name] += 1
                    if verbose:
                        print(f"{entry.name}: {name}: expected None, got {show(got[name])}")
                continue
            ok = article is not None and COMPARE[name](lab.get(name), got[name])
            for key in (entry.outlet, "all"):
                tallies[key].scored[name] += 1
                tallies[key].right[name] += ok
            if not ok and verbose and article is not None:
                print(
                    f"{entry.name}: {name}: expected {show(lab.get(name))}, got {show(got[name])}"
                )
        if article is None:
            continue
        repeated = bool(article.paragraphs) and norm(article.paragraphs[0]) == norm(article.title)
        for key in (entry.outlet, "all"):
            tallies[key].dated_1970 += article.published.year == 1970
            tallies[key].title_repeated += repeated
    return tallies


def report(tallies: dict[str, Tally]) -> None:
    """Print the per-field, per-outlet table."""
    columns = [*sorted(k for k in tallies if k != "all"), "all"]
    width = max(12, *(len(c) + 1 for c in columns))
    print("field      " + "".join(f"{c:>{width}}" for c in columns))

    def row(label: str, cells: list[str]) -> None:
        print(f"{label:<11}" + "".join(f"{c:>{width}}" for c in cells))

    row("articles", [str(tallies[c].articles) for c in columns])
    row("unreadable", [str(tallies[c].unreadable) for c in columns])
    for name in FIELDS:
        cells = []
        for c in columns:
            n, k = tallies[c].scored[name], tallies[c].right[name]
            cells.append(f"{k}/{n} {k / n:4.0%}" if n else "-")
        row(name, cells)
    row("dated 1970", [str(tallies[c].dated_1970) for c in columns])
    row("title twice", [str(tallies[c].title_repeated) for c in columns])
    for name in ("author", "dateline"):
        row(f"+{name}", [str(tallies[c].spurious[name]) for c in columns])
    print(
        "(k/n: right of those where the label applies; title twice: first body paragraph"
        " equals the title; +author/+dateline: found where the text has none)"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--split", choices=("dev", "test", "all"), default="dev")
    parser.add_argument("--dir", type=Path, default=COPY, help="the set's root (eval/copy)")
    parser.add_argument(
        "--only-from",
        type=int,
        metavar="NNN",
        help="score only the articles numbered NNN or higher",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="list each miss")
    parser.add_argument(
        "--text-only",
        action="store_true",
        help="read with the default settings, ignoring the set's config.yaml (folder defaults)",
    )
    args = parser.parse_args(argv)
    logging.disable(logging.WARNING)
    entries = load_entries(args.dir)
    bad = [p for e in entries for p in label_problems(e)]
    if bad:
        print("\n".join(bad), file=sys.stderr)
        return 2
    if args.split != "all":
        entries = [e for e in entries if e.labels["split"] == args.split]
    if args.only_from is not None:
        entries = only_from(entries, args.only_from)
    if not entries:
        where = f"split {args.split}" + (
            f", from {args.only_from:03d}" if args.only_from is not None else ""
        )
        print(f"no labelled articles in {args.dir} ({where})")
        return 1
    reader = read
    config_path = args.dir / "config.yaml"
    if not args.text_only and config_path.is_file():
        from feedtool.config import load_config

        cfg = load_config(config_path)
        print(f"settings: {config_path} (--text-only for none)")
        reader = functools.partial(read, cfg=cfg)
    else:
        print("settings: feedtool's defaults")
    report(score(entries, args.verbose, reader))
    return 0


if __name__ == "__main__":
    sys.exit(main())
