"""Reads plan.yaml and units.yaml into the model, collecting every problem with its file and line.

Loading never stops at the first problem: fields that are wrong are reported and skipped, so one
`validate` run lists everything. Commands other than `validate` refuse data with problems.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from kehoach.domain.model import (
    Cadence,
    Condition,
    Group,
    LegalBasis,
    MonthDay,
    PeriodRule,
    Plan,
    ReportHeader,
    Source,
    Task,
    Unit,
    WhoPhrase,
)
from kehoach.domain.periods import FIRST_YEAR, LAST_YEAR
from kehoach.domain.text import forbidden_character, is_nfc
from kehoach.errors import Problem
from kehoach.store.yamlio import YMap, iter_strings, shown_value

ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# "1", "III.2"; a plan read from its document keeps its sub-numbering: "1.1", "II.1.2", "1.a" (from "a)").
TASK_ID_PATTERN = re.compile(r"^(?:[IVX]+\.)?[0-9]+(?:\.[0-9]+)*(?:\.[a-z])?$")
MONTH_DAY = re.compile(r"^(\d{2})-(\d{2})$")
PERIOD_KIND = re.compile(r"^(Y|H[12]|Q[1-4]|M(0[1-9]|1[0-2]))$")
LEVELS = ("tinh", "huyen", "xa", "khac")
ROLES = ("chu-tri", "phoi-hop", "thuc-hien")

TYPE_NAMES = {str: "chuỗi", int: "số nguyên", bool: "đúng/sai", list: "danh sách", dict: "bảng khóa-giá trị",
              dt.date: "ngày (YYYY-MM-DD)"}


@dataclass
class Reader:
    """Field access on a YMap that records a problem instead of raising."""

    problems: list[Problem] = field(default_factory=list)

    def add(self, where: tuple[str, int, int], message: str, field_name: str = "") -> None:
        path, line, col = where
        self.problems.append(Problem(path, line, col, message, field_name))

    def get(self, mapping: YMap, key: str, kind: type | tuple[type, ...], required: bool = True) -> Any:
        if key not in mapping or mapping[key] is None:
            if required:
                self.add(mapping.where(), f"thiếu trường bắt buộc '{key}'", key)
            return None
        value = mapping[key]
        kinds = kind if isinstance(kind, tuple) else (kind,)
        if isinstance(value, bool) and bool not in kinds:
            ok = False
        elif isinstance(value, dt.datetime):
            ok = False
        else:
            ok = isinstance(value, kinds)
        if not ok:
            wanted = " hoặc ".join(TYPE_NAMES.get(k, k.__name__) for k in kinds)
            self.add(mapping.where(key), f"trường '{key}' phải là {wanted}, đang là {shown_value(value)}", key)
            return None
        if isinstance(value, dt.date) and not FIRST_YEAR <= value.year <= LAST_YEAR:
            self.add(mapping.where(key), f"ngày '{key}' nằm ngoài các năm theo dõi được ({FIRST_YEAR}–{LAST_YEAR})",
                     key)
            return None
        return value

    def text(self, mapping: YMap, key: str, required: bool = True) -> str | None:
        value = self.get(mapping, key, str, required)
        if required and value is not None and not value.strip():
            self.add(mapping.where(key), f"trường bắt buộc '{key}' đang để trống", key)
            return None
        return value

    def strings(self, mapping: YMap, key: str, required: bool = False) -> tuple[str, ...]:
        value = self.get(mapping, key, list, required)
        if value is None:
            return ()
        out = []
        for index, item in enumerate(value):
            if not isinstance(item, str):
                line, col = value.item_pos[index]
                self.add((mapping.path, line, col), f"mục của '{key}' phải là chuỗi, đang là {shown_value(item)}",
                         key)
            else:
                out.append(item)
        return tuple(out)

    def maps(self, mapping: YMap, key: str) -> list[YMap]:
        value = self.get(mapping, key, list)
        if value is None:
            return []
        out = []
        for index, item in enumerate(value):
            if isinstance(item, YMap):
                out.append(item)
            else:
                line, col = value.item_pos[index]
                self.add((mapping.path, line, col), f"mục của '{key}' phải là bảng khóa-giá trị", key)
        return out

    def unknown_keys(self, mapping: YMap, allowed: tuple[str, ...]) -> None:
        for key in mapping:
            if key not in allowed:
                self.add(mapping.where(key), f"trường không được biết đến '{key}'", key)

    def month_day(self, mapping: YMap, key: str, required: bool = True) -> MonthDay | None:
        value = self.get(mapping, key, str, required)
        if value is None:
            return None
        return self.parse_month_day(value, mapping.where(key), key)

    def parse_month_day(self, value: str, where: tuple[str, int, int], key: str) -> MonthDay | None:
        match = MONTH_DAY.match(value)
        if match:
            month, day = int(match.group(1)), int(match.group(2))
            try:
                dt.date(2024, month, day)  # a leap year, so 02-29 counts as a real day
                return MonthDay(month, day)
            except ValueError:
                pass
        self.add(where, f"'{key}' phải có dạng 'MM-DD' (tháng-ngày), đang là {shown_value(value)}", key)
        return None

    def nfc(self, root: Any) -> None:
        """Every text NFC, and free of what no one types (a hand edit's "\\e[31m" is ESC to YAML)."""
        for key, value, container in iter_strings(root):
            if isinstance(container, YMap):
                where = container.where(key)
            else:
                where = (container.path, container.line, container.col)
            if not is_nfc(value):
                self.add(where, "văn bản không ở dạng chuẩn NFC (dấu tiếng Việt tổ hợp)", key)
            forbidden = forbidden_character(value)
            if forbidden is not None:
                self.add(where, f"văn bản chứa {forbidden}, không được phép", key)


def _source(mapping: YMap) -> Source:
    return Source(mapping.path, mapping.line, mapping.col)


def read_units(root: Any, path: str) -> tuple[dict[str, Unit], dict[str, Group], list[Problem]]:
    reader = Reader()
    units: dict[str, Unit] = {}
    groups: dict[str, Group] = {}
    if not isinstance(root, YMap):
        reader.add((path, 1, 1), "tệp đơn vị phải là bảng khóa-giá trị có 'groups' và 'units'")
        return units, groups, reader.problems
    reader.nfc(root)
    reader.unknown_keys(root, ("note", "groups", "units"))
    for item in reader.maps(root, "groups"):
        reader.unknown_keys(item, ("id", "name", "note"))
        gid = _checked_id(reader, item)
        name = reader.text(item, "name")
        if gid is None or name is None:
            continue
        if gid in groups:
            reader.add(item.where("id"), f"mã nhóm '{gid}' trùng (đã có ở dòng {groups[gid].source.line})", "id")
            continue
        groups[gid] = Group(gid, name, reader.text(item, "note", required=False), _source(item))
    for item in reader.maps(root, "units"):
        reader.unknown_keys(item, ("id", "name", "short", "level", "groups", "parent", "from", "until",
                                   "successors", "code", "source", "note"))
        uid = _checked_id(reader, item)
        name = reader.text(item, "name")
        level = reader.text(item, "level")
        if level is not None and level not in LEVELS:
            reader.add(item.where("level"), f"cấp '{level}' không hợp lệ; dùng một trong: {', '.join(LEVELS)}",
                       "level")
        start = reader.get(item, "from", dt.date, required=False)
        until = reader.get(item, "until", dt.date, required=False)
        if start and until and until < start:
            reader.add(item.where("until"), f"'until' ({until}) trước 'from' ({start})", "until")
        code = reader.get(item, "code", (str, int), required=False)
        unit = Unit(
            id=uid or "",
            name=name or "",
            short=reader.strings(item, "short"),
            level=level or "khac",
            groups=reader.strings(item, "groups"),
            parent=reader.text(item, "parent", required=False),
            start=start,
            until=until,
            successors=reader.strings(item, "successors"),
            code=None if code is None else str(code),
            note=reader.text(item, "note", required=False),
            source=_source(item),
        )
        if uid is None or name is None:
            continue
        if uid in units:
            reader.add(item.where("id"), f"mã đơn vị '{uid}' trùng (đã có ở dòng {units[uid].source.line})", "id")
            continue
        if uid in groups:
            reader.add(item.where("id"), f"mã đơn vị '{uid}' trùng với mã một nhóm", "id")
        units[uid] = unit
    _check_unit_refs(reader, root, units, groups)
    return units, groups, reader.problems


def _checked_id(reader: Reader, item: YMap) -> str | None:
    value = reader.get(item, "id", str)
    if value is not None and not ID_PATTERN.match(value):
        reader.add(item.where("id"), f"mã '{value}' phải là chữ thường không dấu, số và gạch nối", "id")
        return None
    return value


def _check_unit_refs(reader: Reader, root: YMap, units: dict[str, Unit], groups: dict[str, Group]) -> None:
    listed = root.get("units")
    items = {m["id"]: m for m in (listed if isinstance(listed, list) else [])
             if isinstance(m, YMap) and isinstance(m.get("id"), str)}
    for unit in units.values():
        item = items.get(unit.id)
        if item is None:
            continue
        for gid in unit.groups:
            if gid not in groups:
                reader.add(item.where("groups"), f"nhóm không tồn tại '{gid}'", "groups")
        if unit.parent is not None and unit.parent not in units:
            reader.add(item.where("parent"), f"đơn vị cấp trên không tồn tại '{unit.parent}'", "parent")
        for succ in unit.successors:
            if succ not in units:
                reader.add(item.where("successors"), f"đơn vị kế thừa không tồn tại '{succ}'", "successors")
            elif units[succ] is unit:
                reader.add(item.where("successors"), "đơn vị không thể tự kế thừa chính nó", "successors")
        if unit.successors and unit.until is None:
            reader.add(item.where("successors"), "có đơn vị kế thừa nhưng thiếu ngày kết thúc 'until'",
                       "successors")


def read_plan(root: Any, path: str, unit_ids: set[str] | None,
              group_ids: set[str]) -> tuple[Plan | None, list[Problem]]:
    """`unit_ids` None means the units file could not be read: references are then not checked."""
    reader = Reader()
    if not isinstance(root, YMap):
        reader.add((path, 1, 1), "tệp kế hoạch phải là bảng khóa-giá trị")
        return None, reader.problems
    reader.nfc(root)
    reader.unknown_keys(root, ("id", "title", "number", "issued_on", "subject", "issuer", "preamble",
                               "legal_bases", "purposes", "requirements", "tracking_start", "report", "cadences",
                               "tasks", "note"))
    plan_id = _checked_id(reader, root)
    title = reader.text(root, "title")
    issuer = reader.text(root, "issuer")
    preamble = reader.text(root, "preamble", required=False) or ""
    tracking_start = reader.get(root, "tracking_start", dt.date)
    number, issued_on, subject = _read_citation(reader, root, tracking_start)
    legal = []
    for item in reader.maps(root, "legal_bases"):
        reader.unknown_keys(item, ("kind", "number", "date", "title"))
        legal.append(LegalBasis(reader.text(item, "kind") or "", reader.text(item, "number") or "",
                                reader.get(item, "date", dt.date, required=False),
                                reader.text(item, "title", required=False)))
    report = _read_report(reader, root)
    cadences = _read_cadences(reader, root)
    tasks = _read_tasks(reader, root, cadences, None if unit_ids is None else unit_ids | group_ids)
    if reader.problems or None in (plan_id, title, issuer, tracking_start, report):
        return None, reader.problems
    assert plan_id and title and issuer and tracking_start and report
    plan = Plan(
        id=plan_id, title=title, issuer=issuer, preamble=preamble, legal_bases=tuple(legal),
        purposes=reader.strings(root, "purposes"), requirements=reader.strings(root, "requirements"),
        tracking_start=tracking_start, report=report, cadences=cadences, tasks=tuple(tasks),
        source=_source(root), number=number, issued_on=issued_on, subject=subject,
    )
    return plan, reader.problems


DOCUMENT_NUMBER = re.compile(r"\d+(/\d{4})?/[0-9A-Za-zĐđ]+(-[0-9A-Za-zĐđ]+)*")
"""A document's number and symbol as Nghị định 30/2020 writes it, without spaces: 24/KH-UBND."""


def _read_citation(reader: Reader, root: YMap, tracking_start: dt.date | None,
                   ) -> tuple[str | None, dt.date | None, str | None]:
    """The plan's number, issue date and subject: each optional (a plan copied without its header has
    none), each checked when given, since every report heading cites them."""
    number = reader.text(root, "number", required=False)
    if number is not None and not DOCUMENT_NUMBER.fullmatch(number):
        reader.add(root.where("number"), f"số hiệu kế hoạch '{number}' phải viết liền như 24/KH-UBND (số/loại "
                                         "văn bản-cơ quan ban hành)", "number")
        number = None
    issued_on = reader.get(root, "issued_on", dt.date, required=False)
    if issued_on is not None and tracking_start is not None and issued_on > tracking_start:
        reader.add(root.where("issued_on"), f"ngày ban hành {issued_on:%d/%m/%Y} ở sau ngày bắt đầu theo dõi "
                                            f"{tracking_start:%d/%m/%Y}", "issued_on")
    subject = reader.text(root, "subject", required=False)
    if subject is not None:
        flat = " ".join(subject.split())
        if not flat:
            reader.add(root.where("subject"), "trường 'subject' không được để trống", "subject")
        elif flat.casefold().startswith("về "):
            reader.add(root.where("subject"), "trường 'subject' bắt đầu sau chữ «về» (lời trích dẫn tự thêm «về»)",
                       "subject")
        elif flat.upper() == flat:
            reader.add(root.where("subject"), "trường 'subject' viết như trong câu văn (chữ thường, viết hoa tên "
                                              "riêng và số hiệu), không viết hoa toàn bộ", "subject")
        subject = flat or None
    return number, issued_on, subject


def _read_report(reader: Reader, root: YMap) -> ReportHeader | None:
    item = reader.get(root, "report", dict)
    if item is None:
        return None
    reader.unknown_keys(item, ("parent_agency", "agency", "agency_short", "place"))
    values = [reader.text(item, key) for key in ("parent_agency", "agency", "agency_short", "place")]
    if None in values:
        return None
    return ReportHeader(*values)  # type: ignore[arg-type]


def _read_cadences(reader: Reader, root: YMap) -> dict[str, Cadence]:
    cadences: dict[str, Cadence] = {}
    for item in reader.maps(root, "cadences"):
        reader.unknown_keys(item, ("id", "label", "periods"))
        cid = _checked_id(reader, item)
        label = reader.text(item, "label")
        rules = []
        kinds_seen: set[str] = set()
        for rule_map in reader.maps(item, "periods"):
            reader.unknown_keys(rule_map, ("kind", "starts", "starts_previous_year", "due"))
            kind = reader.text(rule_map, "kind")
            if kind is not None and not PERIOD_KIND.match(kind):
                reader.add(rule_map.where("kind"), f"loại kỳ '{kind}' không hợp lệ; dùng Y, H1-H2, Q1-Q4, M01-M12",
                           "kind")
                kind = None
            if kind in kinds_seen:
                reader.add(rule_map.where("kind"), f"loại kỳ '{kind}' lặp lại trong cùng chu kỳ", "kind")
                kind = None
            starts = reader.month_day(rule_map, "starts")
            due = reader.month_day(rule_map, "due")
            previous = reader.get(rule_map, "starts_previous_year", bool, required=False) or False
            if kind and starts and due:
                kinds_seen.add(kind)
                rules.append(PeriodRule(kind, starts, previous, due))
        if cid is None or label is None:
            continue
        if cid in cadences:
            reader.add(item.where("id"), f"mã chu kỳ '{cid}' trùng", "id")
            continue
        if not rules:
            reader.add(item.where("periods"), "chu kỳ phải có ít nhất một kỳ", "periods")
            continue
        cadences[cid] = Cadence(cid, label, tuple(rules))
    return cadences


def _read_tasks(reader: Reader, root: YMap, cadences: dict[str, Cadence], known_refs: set[str] | None) -> list[Task]:
    tasks: list[Task] = []
    seen: dict[str, int] = {}
    for order, item in enumerate(reader.maps(root, "tasks")):
        reader.unknown_keys(item, ("id", "section", "content", "responsibility", "time", "cadence", "due",
                                   "condition", "who", "note"))
        raw_id = reader.get(item, "id", str)
        task_id = None
        if raw_id is not None:
            if not TASK_ID_PATTERN.match(raw_id):
                reader.add(item.where("id"), f"mã nhiệm vụ '{raw_id}' không hợp lệ (ví dụ: '1', 'III.2')", "id")
            elif raw_id in seen:
                reader.add(item.where("id"), f"mã nhiệm vụ '{raw_id}' trùng (đã có ở dòng {seen[raw_id]})", "id")
            else:
                task_id = raw_id
                seen[raw_id] = item.pos("id")[0]
        responsibility = reader.text(item, "responsibility")
        cadence_id = reader.text(item, "cadence")
        cadence = None
        if cadence_id is not None:
            cadence = cadences.get(cadence_id)
            if cadence is None:
                reader.add(item.where("cadence"), f"chu kỳ không tồn tại '{cadence_id}'", "cadence")
        overrides = _read_due_overrides(reader, item, cadence)
        who = _read_who(reader, item, responsibility, known_refs)
        condition = _read_condition(reader, item)
        section = reader.text(item, "section")
        content = reader.text(item, "content")
        time = reader.text(item, "time", required=False)
        if None in (task_id, section, content, responsibility, cadence):
            continue
        assert task_id and section and content and responsibility and cadence
        tasks.append(Task(task_id, section, content, responsibility, time, cadence, who, overrides, condition,
                          reader.text(item, "note", required=False), order, _source(item)))
    return tasks


def _read_due_overrides(reader: Reader, item: YMap, cadence: Cadence | None) -> dict[str, MonthDay]:
    due = reader.get(item, "due", dict, required=False)
    overrides: dict[str, MonthDay] = {}
    if due is None:
        return overrides
    for kind, value in due.items():
        if cadence is not None and cadence.rule(kind) is None:
            reader.add(due.where(kind), f"kỳ '{kind}' không thuộc chu kỳ '{cadence.id}'", "due")
            continue
        if not isinstance(value, str):
            reader.add(due.where(kind), f"hạn của kỳ '{kind}' phải có dạng 'MM-DD'", "due")
            continue
        parsed = reader.parse_month_day(value, due.where(kind), "due")
        if parsed:
            overrides[kind] = parsed
    return overrides


def _read_who(reader: Reader, item: YMap, responsibility: str | None,
              known_refs: set[str] | None) -> tuple[WhoPhrase, ...]:
    phrases = []
    for entry in reader.maps(item, "who"):
        reader.unknown_keys(entry, ("phrase", "role", "refs"))
        phrase = reader.text(entry, "phrase")
        role = reader.text(entry, "role")
        refs = reader.strings(entry, "refs", required=True)
        if role is not None and role not in ROLES:
            reader.add(entry.where("role"), f"vai trò '{role}' không hợp lệ; dùng một trong: {', '.join(ROLES)}",
                       "role")
        if phrase is not None and responsibility is not None and phrase not in responsibility:
            reader.add(entry.where("phrase"), f"cụm từ '{phrase}' không có trong trách nhiệm thực hiện", "phrase")
        for ref in refs:
            if known_refs is not None and ref not in known_refs:
                reader.add(entry.where("refs"), f"cụm từ '{phrase}' trỏ tới đơn vị hoặc nhóm không tồn tại '{ref}'",
                           "refs")
        if phrase and role:
            phrases.append(WhoPhrase(phrase, role, refs, _source(entry)))
    if not phrases and "who" in item:
        reader.add(item.where("who"), "nhiệm vụ phải có ít nhất một đơn vị chịu trách nhiệm", "who")
    return tuple(phrases)


def _read_condition(reader: Reader, item: YMap) -> Condition | None:
    entry = reader.get(item, "condition", dict, required=False)
    if entry is None:
        return None
    reader.unknown_keys(entry, ("text", "applies_to", "met_on"))
    text = reader.text(entry, "text")
    applies = reader.text(entry, "applies_to", required=False) or ""
    met_on = reader.get(entry, "met_on", dt.date, required=False)
    return Condition(text, applies, met_on) if text else None

