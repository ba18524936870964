"""Characters that never reach a feed or a page, defined once for every way text comes in.

XML 1.0 forbids the C0 controls but tab, newline and carriage return, lone surrogates
and U+FFFE/U+FFFF; HTML5 also forbids DEL, the C1 controls (U+0080–U+009F, never text:
a sign of a wrong decoding) and every Unicode noncharacter (U+FDD0–U+FDEF and the last
two code points of each plane). The readers (text, Markdown, front matter, sidecar YAML,
config.yaml) and the importer all remove them with :func:`strip` and say how many in a
warning (:data:`REMOVED`).
"""

from __future__ import annotations

import re

_NONCHARACTERS = "\ufdd0-\ufdef" + "".join(
    f"{chr(plane + 0xFFFE)}{chr(plane + 0xFFFF)}" for plane in range(0, 0x110000, 0x10000)
)

#: One character that no feedtool output may hold.
FORBIDDEN = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff{_NONCHARACTERS}]")

#: The warning for text from which :func:`strip` removed characters.
REMOVED = "removed {} control character(s) not allowed in XML"


_NOT_FORBIDDEN_ASCII = bytes(b for b in range(256) if b >= 0x80 or not FORBIDDEN.match(chr(b)))
_ASCII_BYTES = bytes(range(0x80))


def holds_forbidden(text: str) -> bool:
    """Whether ``text`` holds a character :data:`FORBIDDEN` finds (fast: the text's
    bytes are filtered in C, and the pattern only looks at its non-ASCII characters)."""
    return utf8_holds_forbidden(text.encode("utf-8", "surrogatepass"))


def utf8_holds_forbidden(data: bytes) -> bool:
    """:func:`holds_forbidden` of the text whose UTF-8 is ``data`` (a file's bytes, with
    no need to encode its text again)."""
    if data.translate(None, _NOT_FORBIDDEN_ASCII):
        return True
    if data.isascii():
        return False
    beyond = data.translate(None, _ASCII_BYTES).decode("utf-8", "surrogatepass")
    return FORBIDDEN.search(beyond) is not None


def strip(text: str) -> tuple[str, int]:
    """``text`` without the characters :data:`FORBIDDEN` finds, and how many there were."""
    return FORBIDDEN.subn("", text)
