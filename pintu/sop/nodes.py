"""Reading a YAML node tree so that every problem names its file, line and field.

Pure: no ORM. ``NodeReader`` reads the nodes that ``yaml.compose`` gives (they keep their
line numbers) one field at a time and raises a ``DefinitionError`` for the first
problem; ``pintu.sop.schema`` reads an SOP definition file with it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NoReturn, TypeVar

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

_T = TypeVar("_T")


class DefinitionError(Exception):
    """One problem in one definition file, at one line and field."""

    def __init__(self, file: str, line: int, field: str, message: str) -> None:
        super().__init__(file, line, field, message)
        self.file = file
        self.line = line
        self.field = field
        self.message = message

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}"
        return (
            f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"
        )


STR = "tag:yaml.org,2002:str"
NULL = "tag:yaml.org,2002:null"
BOOL = "tag:yaml.org,2002:bool"
TIMESTAMP = "tag:yaml.org,2002:timestamp"
_SCALAR_KINDS = {
    NULL: "null",
    BOOL: "a yes/no value",
    "tag:yaml.org,2002:int": "a number",
    "tag:yaml.org,2002:float": "a number",
    TIMESTAMP: "a date",
}


def join_path(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def kind_of(node: Node) -> str:
    if isinstance(node, MappingNode):
        return "a mapping"
    if isinstance(node, SequenceNode):
        return "a list"
    return _SCALAR_KINDS.get(node.tag, "text")


def line_of(node: Node) -> int:
    return int(node.start_mark.line) + 1


class NodeReader:
    """Reads the fields of one file's nodes; remembers the line of every field read,
    for the checks that run after the whole file is read."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.lines: dict[str, int] = {}

    def fail(self, where: Node | int, path: str, message: str) -> NoReturn:
        line = where if isinstance(where, int) else line_of(where)
        raise DefinitionError(self.file, line, path, message)

    def mapping(
        self,
        node: Node,
        path: str,
        required: tuple[str, ...],
        optional: tuple[str, ...] = (),
    ) -> dict[str, Node]:
        if not isinstance(node, MappingNode):
            self.fail(node, path, f"expected a mapping, found {kind_of(node)}")
        self.lines[path] = line_of(node)
        allowed = required + optional
        first_seen: dict[str, int] = {}
        values: dict[str, Node] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode) or key_node.tag != STR:
                self.fail(
                    key_node, path, f"field names must be plain words, found {kind_of(key_node)}"
                )
            key = str(key_node.value)
            field = join_path(path, key)
            if key in first_seen:
                self.fail(key_node, field, f"duplicate key (first at line {first_seen[key]})")
            first_seen[key] = line_of(key_node)
            if key not in allowed:
                self.fail(
                    key_node,
                    field,
                    f"unknown field '{key}' (allowed: {', '.join(allowed) or 'none'})",
                )
            values[key] = value_node
        for key in required:
            if key not in values:
                self.fail(node, join_path(path, key), "required field is missing")
        return values

    def sequence(self, node: Node, path: str, *, non_empty: bool = False) -> list[Node]:
        if not isinstance(node, SequenceNode):
            hint = " (write [] for none)" if node.tag == NULL else ""
            self.fail(node, path, f"expected a list, found {kind_of(node)}{hint}")
        self.lines[path] = line_of(node)
        if non_empty and not node.value:
            self.fail(node, path, "must list at least one entry")
        return list(node.value)

    def items(
        self, node: Node, path: str, read: Callable[[Node, str], _T], *, non_empty: bool = False
    ) -> tuple[_T, ...]:
        """Read each entry of a list with ``read``, naming it by its position."""
        entries = self.sequence(node, path, non_empty=non_empty)
        return tuple(read(entry, f"{path}[{i}]") for i, entry in enumerate(entries))

    def text(
        self, node: Node | None, path: str, *, required: bool = True, max_length: int = 0
    ) -> str:
        if node is None or (node.tag == NULL and not required):
            return ""
        if not isinstance(node, ScalarNode):
            self.fail(node, path, f"expected text, found {kind_of(node)}")
        self.lines[path] = line_of(node)
        if node.tag != STR:
            if node.tag == NULL:
                self.fail(node, path, "must not be empty")
            self.fail(
                node, path, f"expected text, found {kind_of(node)} ({node.value}); put it in quotes"
            )
        value = str(node.value).strip()
        if required and not value:
            self.fail(node, path, "must not be empty")
        if max_length and len(value) > max_length:
            self.fail(node, path, f"is {len(value)} characters long (at most {max_length})")
        return value

    def texts(self, node: Node | None, path: str, *, non_empty: bool = False) -> tuple[str, ...]:
        return () if node is None else self.items(node, path, self.text, non_empty=non_empty)

    def flag(self, node: Node | None, path: str, default: bool) -> bool:
        if node is None:
            return default
        if not isinstance(node, ScalarNode) or node.tag != BOOL:
            self.fail(node, path, f"expected true or false, found {kind_of(node)}")
        return bool(yaml.constructor.SafeConstructor.bool_values[str(node.value).lower()])

    def token(self, node: Node, path: str, what: str) -> str:
        """A short code such as 15m or 5y, read as written whatever type YAML gives it."""
        if not isinstance(node, ScalarNode) or node.tag == NULL:
            self.fail(node, path, f"expected {what}, found {kind_of(node)}")
        self.lines[path] = line_of(node)
        return str(node.value).strip()

    def choice(self, node: Node | None, path: str, allowed: tuple[str, ...], default: str) -> str:
        if node is None:
            return default
        value = self.text(node, path)
        if value not in allowed:
            self.fail(node, path, f"'{value}' is not one of: {', '.join(allowed)}")
        return value
