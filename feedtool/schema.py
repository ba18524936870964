"""Load YAML into frozen dataclasses, collecting every problem with its line and column.

The schema is the dataclass itself: field names are the keys, type hints the
types, defaults the defaults, ``field(metadata={"help": ...})`` the documentation.
Supported types: ``bool``, ``int``, ``float``, ``str``, ``X | None``,
``tuple[X, ...]``, ``dict[str, X]`` and nested dataclasses.
Unknown keys are errors with a "did you mean" hint; nothing is repaired silently.
"""

from __future__ import annotations

import dataclasses
import difflib
import functools
import types
import typing
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TypeVar

import yaml

from feedtool.errors import Problem, problem

T = TypeVar("T")

Marks = dict[str, tuple[int, int]]

# libyaml's loader when PyYAML was built with it (same results, several times faster).
_YAML_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


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

    def scalar(self, node: yaml.Node) -> Any:
        """The Python value of a scalar node as YAML's safe loader reads it."""
        return self._constructor.construct_object(node, deep=True)

    def convert(self, node: yaml.Node, tp: Any, key: str) -> Any:
        """Convert ``node`` to ``tp``; on a problem, record it and return a sentinel."""
        self.marks[key] = (node.start_mark.line + 1 + self.line_offset, node.start_mark.column + 1)
        origin = typing.get_origin(tp)
        if origin in (types.UnionType, typing.Union):
            args = typing.get_args(tp)
            if (
                type(None) in args
                and isinstance(node, yaml.ScalarNode)
                and node.tag == "tag:yaml.org,2002:null"
            ):
                return None
            inner = [a for a in args if a is not type(None)]
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
                name = str(self.scalar(k_node)) if isinstance(k_node, yaml.ScalarNode) else "?"
                result[name] = self.convert(v_node, value_tp, f"{key}.{name}")
            return result
        if not isinstance(node, yaml.ScalarNode):
            self.error(node, key, f"expected {_type_name(tp)}, got {_describe(node)}")
            return _INVALID
        value = self.scalar(node)
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
        elif tp is Any:
            return value
        self.error(node, key, f"expected {_type_name(tp)}, got {_describe(node)}")
        return _INVALID

    def mapping_to_dataclass(self, node: yaml.Node, cls: type[T], key: str) -> T | Any:
        """Build ``cls`` from a mapping node; unknown and missing keys are problems."""
        if isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:null":
            node = yaml.MappingNode("tag:yaml.org,2002:map", [], node.start_mark, node.end_mark)
        if not isinstance(node, yaml.MappingNode):
            self.error(node, key, f"expected a mapping, got {_describe(node)}")
            return _INVALID
        hints, fields = _schema_of(typing.cast(type, cls))
        values: dict[str, Any] = {}
        seen: dict[str, yaml.Node] = {}
        for k_node, v_node in node.value:
            name = self.scalar(k_node) if isinstance(k_node, yaml.ScalarNode) else None
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
            values[name] = self.convert(v_node, hints[name], sub)
        invalid = any(_contains_invalid(v) for v in values.values())
        for name, f in fields.items():
            if not f.init or name in values:
                continue
            if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
                sub = f"{key}.{name}" if key else name
                self.error(node, sub, "required key is missing", hint=_help_hint(f))
                invalid = True
        if invalid:
            return _INVALID
        return cls(**values)


@functools.lru_cache(maxsize=64)
def _schema_of(cls: type) -> tuple[dict[str, Any], dict[str, dataclasses.Field[Any]]]:
    """Type hints and fields of a dataclass, looked up once."""
    return typing.get_type_hints(cls), {f.name: f for f in dataclasses.fields(cls)}


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
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 + line_offset if mark else None
        column = mark.column + 1 if mark else None
        message = f"invalid YAML: {exc.problem or exc.context}"
        return None, [problem(path, "", message, line=line, column=column)]
    except yaml.YAMLError as exc:
        return None, [problem(path, "", f"invalid YAML: {exc}")]


def iter_fields(cls: type, prefix: str = "") -> Iterator[tuple[str, str, str, Any]]:
    """``(key, type, help, default)`` for every field of ``cls``, nested ones flattened."""
    hints = typing.get_type_hints(cls)
    for f in dataclasses.fields(cls):
        if not f.init:
            continue
        key = f"{prefix}{f.name}"
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
