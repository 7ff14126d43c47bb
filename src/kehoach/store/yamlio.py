"""The only module that touches YAML.

Reading composes the node tree with the C parser where available and builds plain Python values
ourselves, so that every mapping and list knows its file and line, duplicate keys are caught
instead of silently overwritten, and aliases or custom tags are refused. Writing uses one stable
style (sorted keys, block style, no line folding) so that git diffs stay one record wide.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from kehoach.domain.text import lazy_regex
from kehoach.errors import DataFileError, Problem
from kehoach.store.yaml_fast import CONFLICT_MARKER, decode_text

try:
    _Loader: type = yaml.CSafeLoader
    _BaseDumper: type = yaml.CSafeDumper
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _Loader = yaml.SafeLoader
    _BaseDumper = yaml.SafeDumper


class _Dumper(_BaseDumper):
    """Never anchors and aliases (&id001 / *id001): records written together share one date object."""

    def ignore_aliases(self, data: Any) -> bool:
        return True

_TAG = "tag:yaml.org,2002:"
_TIMESTAMP_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class YMap(dict):
    """A mapping read from YAML, with the position of itself and of each key (1-based)."""

    __slots__ = ("path", "line", "col", "key_pos")

    def __init__(self, path: str, line: int, col: int) -> None:
        super().__init__()
        self.path = path
        self.line = line
        self.col = col
        self.key_pos: dict[Any, tuple[int, int]] = {}

    def pos(self, key: str) -> tuple[int, int]:
        return self.key_pos.get(key, (self.line, self.col))

    def where(self, key: str | None = None) -> tuple[str, int, int]:
        line, col = self.pos(key) if key is not None else (self.line, self.col)
        return self.path, line, col


class YList(list):
    __slots__ = ("path", "line", "col", "item_pos")

    def __init__(self, path: str, line: int, col: int) -> None:
        super().__init__()
        self.path = path
        self.line = line
        self.col = col
        self.item_pos: list[tuple[int, int]] = []


def _mark(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


_ALIAS_MESSAGE = "không dùng bí danh YAML (alias/anchor); hãy viết đầy đủ giá trị"


class _Builder:
    def __init__(self, path: str) -> None:
        self.path = path
        self.problems: list[Problem] = []
        self._seen: set[int] = set()
        self._aliases = 0

    def finished_problems(self) -> list[Problem]:
        if self._aliases <= 1:
            return self.problems
        more = f"{_ALIAS_MESSAGE} (dòng này và {self._aliases - 1} chỗ khác trong tệp)"
        return [p._replace(message=more) if p.message == _ALIAS_MESSAGE else p for p in self.problems]

    def problem(self, node: yaml.Node, message: str, field: str = "") -> None:
        line, col = _mark(node)
        self.problems.append(Problem(self.path, line, col, message, field))

    def build(self, node: yaml.Node, used_at: yaml.Node | None = None) -> Any:
        # compose() hands back the very same node object for an alias and its anchor, so the
        # second visit is the alias; it is reported where it is used (the key before it).
        if id(node) in self._seen:
            # One problem a file, at the first alias: a file of aliases would otherwise bury every other
            # problem under the same line repeated.
            self._aliases += 1
            if self._aliases == 1:
                self.problem(used_at or node, _ALIAS_MESSAGE)
            return None
        self._seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node)
        if isinstance(node, yaml.SequenceNode):
            if node.tag != _TAG + "seq":
                self.problem(node, f"không chấp nhận thẻ YAML tùy chỉnh {node.tag!r}")
            line, col = _mark(node)
            seq = YList(self.path, line, col)
            for item in node.value:
                seq.append(self.build(item))
                seq.item_pos.append(_mark(item))
            return seq
        return self._scalar(node)

    def _mapping(self, node: yaml.MappingNode) -> YMap:
        if node.tag != _TAG + "map":
            self.problem(node, f"không chấp nhận thẻ YAML tùy chỉnh {node.tag!r}")
        line, col = _mark(node)
        result = YMap(self.path, line, col)
        for key_node, value_node in node.value:
            if key_node.tag == _TAG + "merge":
                self.problem(key_node, "không dùng khóa gộp YAML '<<'; hãy viết đầy đủ giá trị")
                continue
            key = self._scalar(key_node) if isinstance(key_node, yaml.ScalarNode) else None
            if key is None or isinstance(key, (list, dict)):
                self.problem(key_node, "khóa phải là một giá trị đơn")
                continue
            key = str(key)
            if key in result:
                first = result.key_pos[key][0]
                self.problem(key_node, f"khóa '{key}' lặp lại (đã có ở dòng {first})", key)
                continue
            result.key_pos[key] = _mark(key_node)
            result[key] = self.build(value_node, key_node)
        return result

    def _scalar(self, node: yaml.Node) -> Any:
        tag = node.tag
        value = node.value
        if not tag.startswith(_TAG):
            self.problem(node, f"không chấp nhận thẻ YAML tùy chỉnh {tag!r}")
            return value
        kind = tag[len(_TAG):]
        if kind == "str":
            return value
        if kind == "null":
            return None
        if kind == "bool":
            return value.lower() in ("true", "yes", "on")
        if kind == "int":
            try:
                return int(value.replace("_", ""), 0)
            except ValueError:
                return value
        if kind == "float":
            try:
                return float(value.replace("_", ""))
            except ValueError:
                return value
        if kind == "timestamp":
            if _TIMESTAMP_DATE.match(value):
                try:
                    return dt.date.fromisoformat(value)
                except ValueError:
                    self.problem(node, f"ngày không hợp lệ: {value}")
                    return value
            return value
        self.problem(node, f"không chấp nhận thẻ YAML {tag!r}")
        return value


def parse_text(text: str, path: str) -> tuple[Any, list[Problem]]:
    """Parse YAML text into YMap/YList/scalars; problems instead of exceptions."""
    problems = [
        Problem(path, text.count("\n", 0, m.start()) + 1, 1,
                "còn dấu xung đột git (<<<<<<< / ======= / >>>>>>>); hãy giải quyết xung đột")
        for m in CONFLICT_MARKER.finditer(text)
    ]
    if problems:
        return None, problems
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        return None, [Problem(path, line, col, f"lỗi cú pháp YAML: {syntax_reason(exc.problem or exc.context)}")]
    except yaml.reader.ReaderError as exc:
        return None, [_reader_problem(text, path, exc)]
    except yaml.YAMLError:
        return None, [Problem(path, 1, 1, f"lỗi cú pháp YAML: {syntax_reason(None)}")]
    if node is None:
        return None, []
    builder = _Builder(path)
    value = builder.build(node)
    return value, builder.finished_problems()


# PyYAML's reasons, in the words a clerk editing the file by hand can act on. Whatever is not listed
# gets the general advice: a clerk never reads the parser's English.
_SYNTAX_REASONS = [
    (lazy_regex(r"found character.* that cannot start any token"),
     "một ký tự không được đứng đầu giá trị (tab, @, `, %): thụt lề bằng dấu cách, đặt giá trị trong dấu nháy"),
    (lazy_regex(r"mapping values are not allowed"),
     "dấu ':' không đúng chỗ: giá trị có dấu ':' phải đặt trong dấu nháy, hoặc dòng này thụt lề sai"),
    (lazy_regex(r"could not find expected ':'"), "thiếu dấu ':' sau tên trường"),
    (lazy_regex(r"did not find expected key"), "thụt lề không đúng: dòng này lệch hàng với các trường cùng cấp"),
    (lazy_regex(r"did not find expected '-' indicator"),
     "thụt lề không đúng: thiếu dấu '-' đầu một mục, hoặc dòng này lệch hàng"),
    (lazy_regex(r"did not find expected node content"), "thiếu giá trị ở chỗ này"),
    (lazy_regex(r"did not find expected ',' or"), "thiếu dấu ',' hoặc dấu ngoặc đóng"),
    (lazy_regex(r"found unexpected end of stream"), "tệp kết thúc giữa chừng: thiếu dấu nháy đóng"),
    (lazy_regex(r"found unknown escape character"), "trong dấu nháy kép có ký tự '\\' lạ; hãy dùng dấu nháy đơn"),
    (lazy_regex(r"found undefined alias"), "bí danh YAML (*) không có neo; hãy viết đầy đủ giá trị"),
    (lazy_regex(r"expected a single document"), "tệp chỉ được có một phần (bỏ dòng '---' thứ hai)"),
    (lazy_regex(r"expected <block end>, but found"), "thụt lề không đúng: dòng này lệch hàng với các dòng trước"),
]
_GENERAL_ADVICE = "cấu trúc tệp không đúng ở chỗ này; kiểm tra thụt lề, dấu ':', dấu '-' và dấu nháy"


def syntax_reason(english: str | None) -> str:
    """PyYAML's reason for a syntax error, in Vietnamese."""
    for pattern, said in _SYNTAX_REASONS:
        if pattern.search(english or ""):
            return said
    return _GENERAL_ADVICE


def _reader_problem(text: str, path: str, exc: yaml.reader.ReaderError) -> Problem:
    """A character YAML does not allow (a raw control), at its line and column. libyaml counts its
    position in bytes of a buffer, so the character is found again in the text."""
    found = _NOT_IN_YAML.search(text)
    position = found.start() if found else min(exc.position, len(text))
    line = text.count("\n", 0, position) + 1
    col = position - (text.rfind("\n", 0, position) + 1) + 1
    code = ord(found.group()) if found else exc.character if isinstance(exc.character, int) else 0
    return Problem(path, line, col, f"lỗi cú pháp YAML: ký tự U+{code:04X} không được phép trong tệp")


# What YAML 1.1 allows in a stream: PyYAML refuses any other character.
# Written as the characters refused, not as "[^what is allowed]": the negated class over most of Unicode
# takes ~7 ms to compile, on every command that imports this module.
_NOT_IN_YAML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")


def read_text(path: Path, shown: str | None = None) -> str:
    shown = shown or str(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise DataFileError(Problem(shown, 0, 0, "không tìm thấy tệp")) from None
    except OSError as exc:
        raise DataFileError(Problem(shown, 0, 0, f"không đọc được tệp: {exc.strerror}")) from None
    return decode_text(raw, shown)


def load_file(path: Path, shown: str | None = None) -> tuple[Any, list[Problem]]:
    shown = shown or str(path)
    return parse_text(read_text(path, shown), shown)


def dump_text(data: Any) -> str:
    """The one style every file we write uses: sorted keys, block style, unfolded lines."""
    return _dump(data, sort_keys=True)


def dump_in_order(data: Any) -> str:
    """`dump_text`'s style with keys in the order given: a file a person reads and edits (a plan) keeps
    the order of its schema, which is as stable as sorted keys."""
    return _dump(data, sort_keys=False)


def _dump(data: Any, sort_keys: bool) -> str:
    return yaml.dump(
        _plain(data),
        Dumper=_Dumper,
        sort_keys=sort_keys,
        allow_unicode=True,
        default_flow_style=False,
        width=1_000_000,
        indent=2,
    )


def _plain(data: Any) -> Any:
    """Strip our YMap/YList subclasses: the safe dumper only knows dict and list."""
    if isinstance(data, dict):
        return {k: _plain(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_plain(v) for v in data]
    return data


def shown_value(value: Any, limit: int = 60) -> str:
    """A value as it was written in the file, short, for a message: `[x]`, `{a: 1}`, `'17'`, `2026-01-01`
    (a Python repr such as `datetime.date(2026, 1, 1)` means nothing to a clerk)."""
    if isinstance(value, str):
        shown = f"'{value}'"
    elif isinstance(value, bool):
        shown = "true" if value else "false"
    elif value is None:
        shown = "null"
    elif isinstance(value, (dict, list, dt.date)):
        shown = yaml.dump(_plain(value), Dumper=_Dumper, default_flow_style=True, allow_unicode=True,
                          width=1_000_000).strip().removesuffix("...").strip()
    else:
        shown = str(value)
    return shown if len(shown) <= limit else shown[:limit - 1] + "…"


def iter_strings(value: Any, field: str = "") -> Iterator[tuple[str, str, Any]]:
    """Every string in a parsed tree with the field that holds it and its container (for positions)."""
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, str):
                yield key, item, value
            else:
                yield from iter_strings(item, key)
    elif isinstance(value, list):
        for item in value:
            if isinstance(item, str):
                yield field, item, value
            else:
                yield from iter_strings(item, field)
