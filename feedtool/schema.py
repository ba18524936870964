"""Load YAML into frozen dataclasses, collecting every problem with its line and column.

The schema is the dataclass itself: field names are the keys, type hints the
types, defaults the defaults, ``field(metadata={"help": ...})`` the documentation.
Supported types: ``bool``, ``int``, ``float``, ``str``, ``X | None``,
``str | SomeDataclass`` (a plain value or a mapping), ``tuple[X, ...]``, ``dict[str, X]``
and nested dataclasses. A field whose key is a Python keyword names its key in its
metadata (``field(metadata={"key": "import"})``).
Unknown keys are errors with a "did you mean" hint; nothing is repaired silently.
"""

from __future__ import annotations

import dataclasses
import datetime
import difflib
import functools
import re
import types
import typing
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TypeVar

import yaml

from feedtool.chars import FORBIDDEN, REMOVED, holds_forbidden
from feedtool.errors import Problem, problem

T = TypeVar("T")

Marks = dict[str, tuple[int, int]]

# libyaml's loader when PyYAML was built with it (same results, several times faster).
_YAML_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_STR_TAG = "tag:yaml.org,2002:str"
_NULL_TAG = "tag:yaml.org,2002:null"


def _type_name(tp: Any) -> str:
    origin = typing.get_origin(tp)
    if tp is type(None):
        return "null"
    if origin in (types.UnionType, typing.Union):
        return " or ".join(_type_name(a) for a in typing.get_args(tp))
    if origin is tuple:
        return f"a list of {_plural(typing.get_args(tp)[0])}"
    if origin is dict:
        return f"a mapping of names to {_plural(typing.get_args(tp)[1])}"
    if dataclasses.is_dataclass(tp):
        return "a mapping"
    return {bool: "true/false", int: "an integer", float: "a number", str: "a string"}.get(
        tp, getattr(tp, "__name__", str(tp))
    )


def _plural(tp: Any) -> str:
    if typing.get_origin(tp) in (types.UnionType, typing.Union):
        return " or ".join(_plural(a) for a in typing.get_args(tp))
    if dataclasses.is_dataclass(tp):
        return "mappings"
    return {bool: "true/false values", int: "integers", float: "numbers", str: "strings"}.get(
        tp, _type_name(tp)
    )


def _describe(node: yaml.Node) -> str:
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    return repr(node.value) if node.value != "" else "nothing"


class Loader:
    """Converts YAML nodes of one file into dataclass values, collecting problems."""

    def __init__(self, path: Path | str, line_offset: int = 0) -> None:
        self.path = str(path)
        self.line_offset = line_offset
        self.problems: list[Problem] = []
        #: Values repaired on the way in (control characters removed), as warnings.
        self.warnings: list[Problem] = []
        self.marks: Marks = {}
        self._constructor = yaml.constructor.SafeConstructor()

    def error(
        self, node: yaml.Node | None, key: str, message: str, hint: str | None = None
    ) -> None:
        """Record a problem at ``node``'s position."""
        line = column = None
        if node is not None:
            line = node.start_mark.line + 1 + self.line_offset
            column = node.start_mark.column + 1
        self.problems.append(problem(self.path, key, message, line=line, column=column, hint=hint))

    def scalar(self, node: yaml.Node, key: str = "") -> Any:
        """The Python value of a scalar node as YAML's safe loader reads it.

        A value YAML cannot construct (an impossible date such as ``2026-02-30``) is a
        problem at the node; XML-illegal characters written as escapes are removed from
        text, with a warning.
        """
        if node.tag == _STR_TAG:
            # What SafeConstructor gives a string (the node's text), without the
            # bookkeeping of construct_object; with holds_forbidden below, 5 µs of the
            # 32 µs an article's front matter took (best of 5, 2,000 articles of the
            # synthetic corpus).
            value = node.value
        else:
            try:
                value = self._constructor.construct_object(node, deep=True)
            except Exception as exc:  # input: `!!timestamp x` raises AttributeError
                self._unconstructable(node, key, exc)
                return _INVALID
        # A YAML escape such as "\x07" can write them, and so can a raw C1 control.
        if isinstance(value, str) and holds_forbidden(value):
            value, removed = FORBIDDEN.subn("", value)
            line = node.start_mark.line + 1 + self.line_offset
            self.warnings.append(
                problem(
                    self.path,
                    key,
                    REMOVED.format(removed),
                    line=line,
                    column=node.start_mark.column + 1,
                    hint="remove the escape (such as \\x07) from the value",
                    severity="warning",
                )
            )
        return value

    def _unconstructable(self, node: yaml.Node, key: str, exc: Exception) -> None:
        if node.tag == "tag:yaml.org,2002:timestamp" and isinstance(exc, ValueError):
            name = key.rsplit(".", 1)[-1] or "date"
            example = "2024-05-01T09:30:00+03:30"
            self.error(
                node,
                key,
                f"no such date or time: {node.value!r} ({_date_reason(exc)})",
                hint=f"write a real date, e.g. `{name}: 2024-05-01` or `{name}: {example}`"
                if name in ("date", "updated")
                else f"write a real date and time, e.g. `{name}: {example}`",
            )
        elif isinstance(exc, yaml.YAMLError | ValueError | OverflowError):
            self.error(node, key, f"cannot read {node.value!r}: {exc}")
        else:
            self.error(node, key, f"cannot read {node.value!r} as {node.tag.rsplit(':', 1)[-1]}")

    def key_name(self, node: yaml.Node) -> Any:
        """The Python value of a mapping key (its text when it cannot be constructed)."""
        if not isinstance(node, yaml.ScalarNode):
            return None
        if node.tag == _STR_TAG:
            return node.value  # see scalar()
        try:
            return self._constructor.construct_object(node, deep=True)
        except Exception:  # see scalar()
            return node.value

    def convert(self, node: yaml.Node, tp: Any, key: str) -> Any:
        """Convert ``node`` to ``tp``; on a problem, record it and return a sentinel."""
        self.marks[key] = (node.start_mark.line + 1 + self.line_offset, node.start_mark.column + 1)
        optional = _optional_of(tp)
        if optional is not None:  # `X | None`, most keys: what the union's branch below does
            if isinstance(node, yaml.ScalarNode) and node.tag == _NULL_TAG:
                return None
            return self.convert(node, optional, key)
        origin = typing.get_origin(tp)
        if origin in (types.UnionType, typing.Union):
            args = typing.get_args(tp)
            if type(None) in args and isinstance(node, yaml.ScalarNode) and node.tag == _NULL_TAG:
                return None
            inner = [a for a in args if a is not type(None)]
            if len(inner) > 1:  # `str | SomeDataclass`: a mapping is the dataclass
                mapped = [a for a in inner if dataclasses.is_dataclass(a)]
                plain = [a for a in inner if not dataclasses.is_dataclass(a)]
                if isinstance(node, yaml.MappingNode) and mapped:
                    return self.convert(node, mapped[0], key)
                if isinstance(node, yaml.ScalarNode) and plain:
                    return self.convert(node, plain[0], key)
                self.error(node, key, f"expected {_type_name(tp)}, got {_describe(node)}")
                return _INVALID
            return self.convert(node, inner[0], key)
        if dataclasses.is_dataclass(tp):
            return self.mapping_to_dataclass(node, typing.cast(type, tp), key)
        if origin is tuple:
            item_tp = typing.get_args(tp)[0]
            if not isinstance(node, yaml.SequenceNode):
                if isinstance(node, yaml.ScalarNode) and item_tp is str and node.value:
                    self.error(
                        node,
                        key,
                        f"expected {_type_name(tp)}, got {_describe(node)}",
                        hint=f"write `{key.rsplit('.', 1)[-1]}: [{node.value}]`",
                    )
                else:
                    self.error(node, key, f"expected {_type_name(tp)}, got {_describe(node)}")
                return _INVALID
            items = [self.convert(n, item_tp, f"{key}[{i}]") for i, n in enumerate(node.value)]
            return tuple(items)
        if origin is dict:
            value_tp = typing.get_args(tp)[1]
            if not isinstance(node, yaml.MappingNode):
                self.error(node, key, f"expected {_type_name(tp)}, got {_describe(node)}")
                return _INVALID
            result: dict[str, Any] = {}
            for k_node, v_node in node.value:
                name = str(self.key_name(k_node)) if isinstance(k_node, yaml.ScalarNode) else "?"
                result[name] = self.convert(v_node, value_tp, f"{key}.{name}")
            return result
        if not isinstance(node, yaml.ScalarNode):
            self.error(node, key, f"expected {_type_name(tp)}, got {_describe(node)}")
            return _INVALID
        value = self.scalar(node, key)
        if value is _INVALID:
            return _INVALID
        if tp is bool:
            if isinstance(value, bool):
                return value
        elif tp is int:
            if isinstance(value, int) and not isinstance(value, bool):
                return value
        elif tp is float:
            if isinstance(value, int | float) and not isinstance(value, bool):
                return float(value)
        elif tp is str:
            if isinstance(value, str):
                return value
            if isinstance(value, int | float) and not isinstance(value, bool):
                return str(value)
            if isinstance(value, datetime.date):
                return str(node.value)  # a date written without quotes: its text
        elif tp is Any:
            return value
        self.error(node, key, f"expected {_type_name(tp)}, got {_describe(node)}")
        return _INVALID

    def mapping_to_dataclass(self, node: yaml.Node, cls: type[T], key: str) -> T | Any:
        """Build ``cls`` from a mapping node; unknown and missing keys are problems."""
        if isinstance(node, yaml.ScalarNode) and node.tag == _NULL_TAG:
            node = yaml.MappingNode("tag:yaml.org,2002:map", [], node.start_mark, node.end_mark)
        if not isinstance(node, yaml.MappingNode):
            self.error(node, key, f"expected a mapping, got {_describe(node)}")
            return _INVALID
        hints, fields = _schema_of(typing.cast(type, cls))
        values: dict[str, Any] = {}
        seen: dict[str, yaml.Node] = {}
        for k_node, v_node in node.value:
            name = self.key_name(k_node)
            sub = f"{key}.{name}" if key else str(name)
            if not isinstance(name, str) or name not in fields or not fields[name].init:
                close = difflib.get_close_matches(str(name), list(fields), n=1)
                self.error(
                    k_node,
                    sub,
                    "unknown key",
                    hint=f"did you mean `{close[0]}`?"
                    if close
                    else f"known keys: {', '.join(sorted(fields))}",
                )
                continue
            if name in seen:
                self.error(k_node, sub, "key given twice")
                continue
            seen[name] = k_node
            values[fields[name].name] = self.convert(v_node, hints[name], sub)
        invalid = any(_contains_invalid(v) for v in values.values())
        for name, f in fields.items():
            if not f.init or f.name in values:
                continue
            if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
                sub = f"{key}.{name}" if key else name
                self.error(node, sub, "required key is missing", hint=_help_hint(f))
                invalid = True
        if invalid:
            return _INVALID
        return cls(**values)


@functools.lru_cache(maxsize=64)
def _optional_of(tp: Any) -> Any:
    """``X`` when ``tp`` is ``X | None`` (one type or None), else None; looked up once
    for each type (with it, 27.2 -> 25.5 µs an article's front matter: best of 9, 2,000
    articles of the synthetic corpus)."""
    if typing.get_origin(tp) not in (types.UnionType, typing.Union):
        return None
    inner = [a for a in typing.get_args(tp) if a is not type(None)]
    return inner[0] if len(inner) == 1 and len(typing.get_args(tp)) == 2 else None


@functools.lru_cache(maxsize=64)
def _schema_of(cls: type) -> tuple[dict[str, Any], dict[str, dataclasses.Field[Any]]]:
    """Type hints and fields of a dataclass by their YAML key, looked up once."""
    hints = typing.get_type_hints(cls)
    fields = {key_of(f): f for f in dataclasses.fields(cls)}
    return {key: hints[f.name] for key, f in fields.items()}, fields


def key_of(f: dataclasses.Field[Any]) -> str:
    """The YAML key of a dataclass field: its name, or the ``key`` its metadata gives."""
    return str(f.metadata.get("key", f.name))


def _help_hint(f: dataclasses.Field[Any]) -> str | None:
    text = f.metadata.get("help")
    return str(text) if text else None


class _Invalid:
    """Marks a value that failed validation (its problem is already recorded)."""

    def __repr__(self) -> str:
        return "<invalid>"


_INVALID: Any = _Invalid()


def _contains_invalid(value: Any) -> bool:
    if value is _INVALID:
        return True
    if isinstance(value, tuple):
        return any(_contains_invalid(v) for v in value)
    if isinstance(value, dict):
        return any(_contains_invalid(v) for v in value.values())
    return False


def compose(
    text: str, path: Path | str, line_offset: int = 0
) -> tuple[yaml.Node | None, list[Problem]]:
    """Parse YAML text into a node tree; a syntax error becomes a located problem."""
    try:
        return yaml.compose(text, Loader=_YAML_LOADER), []
    except yaml.MarkedYAMLError as exc:
        message, hint, mark = _explain(exc, text, line_offset)
        line = mark.line + 1 + line_offset if mark else None
        column = mark.column + 1 if mark else None
        return None, [problem(path, "", message, line=line, column=column, hint=hint)]
    except yaml.YAMLError as exc:
        return None, [problem(path, "", f"invalid YAML: {exc}")]


def _explain(exc: yaml.MarkedYAMLError, text: str, line_offset: int) -> tuple[str, str | None, Any]:
    """A YAML syntax error in words a newcomer knows: message, hint and where it went wrong.

    PyYAML's own wording (it differs between libyaml and the pure-Python parser) is
    given as it is for the cases not recognised here.
    """
    said = str(exc.problem or "")
    context = str(exc.context or "")
    mark = exc.problem_mark or exc.context_mark
    lines = text.split("\n")
    here = lines[mark.line] if mark is not None and mark.line < len(lines) else ""
    at = here[mark.column] if mark is not None and mark.column < len(here) else ""
    opened = exc.context_mark
    if "quoted scalar" in context and "end of stream" in said and opened is not None:
        quote = _text_at(lines, opened.line, opened.column) or '"'
        return (
            f"invalid YAML: the quote {quote} opened here is never closed",
            f"end the value with a matching {quote}, or remove the quote",
            opened,
        )
    if "\t" in said or "tab character" in said or (at == "\t" and "cannot start" in said):
        return (
            "invalid YAML: tabs are not allowed for indentation; use spaces",
            "replace the tab at the start of the line with spaces",
            mark,
        )
    if "mapping values are not allowed" in said:
        key_line = _KEY_VALUE.match(here)
        if key_line and mark is not None and mark.column == key_line.end(2):
            return (
                "invalid YAML: this `key:` line is indented more than the keys above it",
                "line it up with the keys above (or put a value that goes on in quotes)",
                mark,
            )
        return (
            "invalid YAML: a colon in a value: put the value in quotes",
            _quote_hint(here),
            mark,
        )
    if "cannot start any token" in said and at:
        return (
            f"invalid YAML: a value cannot start with {at!r}",
            "put the value in quotes",
            mark,
        )
    for kind, closer in (("flow sequence", "]"), ("flow mapping", "}")):
        if kind in context and opened is not None:
            what = "list" if closer == "]" else "mapping"
            return (
                f"invalid YAML: expected ',' or '{closer}': the {what} opened at line "
                f"{opened.line + 1 + line_offset} is not closed",
                f"close it with {closer}, or put the value in quotes if the "
                f"{'[' if closer == ']' else '{'} belongs to the text",
                mark,
            )
    if "block" in context and ("expected" in said):
        return (
            "invalid YAML: the indentation does not line up",
            "give keys of the same mapping (and items of the same list) the same "
            "number of spaces in front",
            mark,
        )
    if "simple key" in context and "':'" in said and opened is not None:
        return (
            "invalid YAML: a line with no `key: value` colon",
            "write `key: value` (a colon and a space), or indent a value that goes on",
            opened,
        )
    if "unknown escape" in said or "escape" in context:
        return (
            f"invalid YAML: {said}",
            "in double quotes a backslash starts an escape; write \\\\ for a "
            "backslash, or use single quotes",
            mark,
        )
    return f"invalid YAML: {said or context}", None, mark


def _text_at(lines: list[str], line: int, column: int) -> str:
    """The character at ``line``, ``column`` (0-based) of ``lines``, or ``""``."""
    if 0 <= line < len(lines) and 0 <= column < len(lines[line]):
        return lines[line][column]
    return ""


_KEY_VALUE = re.compile(r"^(\s*(?:-\s+)?)([^\s:#][^:]*?):\s+(.+?)\s*$")


def _quote_hint(line: str) -> str:
    """``write `title: "Breaking: news"``` from the line that holds the colon."""
    m = _KEY_VALUE.match(line)
    if not m:
        return "put the value in quotes"
    value = m.group(3).replace("\\", "\\\\").replace('"', '\\"')
    return f'write `{m.group(2)}: "{value}"`'


def _date_reason(exc: Exception) -> str:
    """Why a timestamp cannot be a date, in plain words."""
    text = str(exc)
    if "offset" in text:
        return "a UTC offset must be less than 24 hours"
    return text


def iter_fields(cls: type, prefix: str = "") -> Iterator[tuple[str, str, str, Any]]:
    """``(key, type, help, default)`` for every field of ``cls``, nested ones flattened."""
    hints = typing.get_type_hints(cls)
    for f in dataclasses.fields(cls):
        if not f.init:
            continue
        key = f"{prefix}{key_of(f)}"
        tp = hints[f.name]
        if dataclasses.is_dataclass(tp):
            yield from iter_fields(typing.cast(type, tp), key + ".")
            continue
        if f.default is not dataclasses.MISSING:
            default: Any = f.default
        elif f.default_factory is not dataclasses.MISSING:
            default = f.default_factory()
        else:
            default = dataclasses.MISSING
        yield key, _type_name(tp), str(f.metadata.get("help", "")), default


_ISO_LIKE = re.compile(r"\s*\d{4}-\d{1,2}-\d{1,2}(?:[T ]\d{1,2}:\d{2}|\s*$)")


def impossible_date(value: Any) -> str | None:
    """Why ``value``, written like an ISO 8601 date, names no real date or time (else None).

    ``2026-02-30``: "day is out of range for month"; ``25:00``: "hour must be in 0..23";
    an offset of ``+25:00``: "a UTC offset must be less than 24 hours".
    """
    if not isinstance(value, str) or not _ISO_LIKE.match(value):
        return None
    text = value.strip()
    try:
        datetime.datetime.fromisoformat(text[:-1] + "+00:00" if text.endswith("Z") else text)
    except ValueError as exc:
        reason = str(exc)
        if "offset" in reason or "tz" in reason.lower():
            return "a UTC offset must be less than 24 hours"
        if reason.startswith("Invalid isoformat string"):
            return None
        return reason
    return None
