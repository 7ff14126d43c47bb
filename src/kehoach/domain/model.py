"""The domain's value objects: plan, tasks, units, groups, periods, records, categories.

Immutable value objects are NamedTuples: Python 3.11 spends ~0.5 ms generating the methods of each
frozen dataclass, and every command imports this module (14 classes: ~7 ms of a ~0.1 s start); a
NamedTuple is also built ~5x faster than a frozen dataclass, which counts for the 72,000 records of a
first read. Plan (a lazily built task index) stays a dataclass.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import NamedTuple


class Source(NamedTuple):
    """Where a value was read from, so every message can name file and line."""

    path: str
    line: int = 0
    col: int = 0


class Status(StrEnum):
    CHUA_THUC_HIEN = "chua-thuc-hien"
    DANG_THUC_HIEN = "dang-thuc-hien"
    HOAN_THANH = "hoan-thanh"
    KHONG_AP_DUNG = "khong-ap-dung"

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]


STATUS_LABELS = {
    Status.CHUA_THUC_HIEN: "Chưa thực hiện",
    Status.DANG_THUC_HIEN: "Đang thực hiện",
    Status.HOAN_THANH: "Hoàn thành",
    Status.KHONG_AP_DUNG: "Không áp dụng",
}


class Category(StrEnum):
    """A slot's standing on an as-of date; the order is the reports' column order."""

    HOAN_THANH_DUNG_HAN = "hoan-thanh-dung-han"
    HOAN_THANH_QUA_HAN = "hoan-thanh-qua-han"
    DANG_THUC_HIEN_TRONG_HAN = "dang-thuc-hien-trong-han"
    DANG_THUC_HIEN_QUA_HAN = "dang-thuc-hien-qua-han"
    CHUA_THUC_HIEN_TRONG_HAN = "chua-thuc-hien-trong-han"
    CHUA_THUC_HIEN_QUA_HAN = "chua-thuc-hien-qua-han"
    KHONG_AP_DUNG = "khong-ap-dung"

    @property
    def label(self) -> str:
        return CATEGORY_LABELS[self]

    @property
    def overdue(self) -> bool:
        return self in _OVERDUE_CATEGORIES

    @property
    def done(self) -> bool:
        return self in _DONE_CATEGORIES


# Built once: these properties run once per slot, and attribute access on an Enum class is slow.
_OVERDUE_CATEGORIES = frozenset({Category.DANG_THUC_HIEN_QUA_HAN, Category.CHUA_THUC_HIEN_QUA_HAN})
_DONE_CATEGORIES = frozenset({Category.HOAN_THANH_DUNG_HAN, Category.HOAN_THANH_QUA_HAN})


CATEGORY_LABELS = {
    Category.HOAN_THANH_DUNG_HAN: "Hoàn thành đúng hạn",
    Category.HOAN_THANH_QUA_HAN: "Hoàn thành quá hạn",
    Category.DANG_THUC_HIEN_TRONG_HAN: "Đang thực hiện trong hạn",
    Category.DANG_THUC_HIEN_QUA_HAN: "Đang thực hiện quá hạn",
    Category.CHUA_THUC_HIEN_TRONG_HAN: "Chưa thực hiện (trong hạn)",
    Category.CHUA_THUC_HIEN_QUA_HAN: "Chưa thực hiện (quá hạn)",
    Category.KHONG_AP_DUNG: "Không áp dụng",
}


class MonthDay(NamedTuple):
    """A day of the year without the year (a deadline rule: 06-14)."""

    month: int
    day: int

    def __str__(self) -> str:
        return f"{self.month:02d}-{self.day:02d}"


class PeriodRule(NamedTuple):
    """One period of a cadence within a year: its kind (Y, H1, Q3...), window and deadline."""

    kind: str
    starts: MonthDay
    starts_previous_year: bool
    due: MonthDay


class Cadence(NamedTuple):
    """How often a task falls due: its periods within a year (yearly, six-monthly, quarterly...)."""

    id: str
    label: str
    periods: tuple[PeriodRule, ...]

    def rule(self, kind: str) -> PeriodRule | None:
        for rule in self.periods:
            if rule.kind == kind:
                return rule
        return None


class Period(NamedTuple):
    """A concrete period: `2026`, `2026-H1`, `2026-Q3`."""

    year: int
    kind: str

    @property
    def name(self) -> str:
        return str(self.year) if self.kind == "Y" else f"{self.year}-{self.kind}"

    def __str__(self) -> str:
        return self.name


class WhoPhrase(NamedTuple):
    """A phrase of a task's responsibility text and the units or groups it names, with their role."""

    phrase: str
    role: str
    refs: tuple[str, ...]
    source: Source


ROLE_LABELS = {"chu-tri": "Chủ trì", "phoi-hop": "Phối hợp", "thuc-hien": "Thực hiện"}


class Condition(NamedTuple):
    """A condition a task depends on (applies only once something is met)."""

    text: str
    applies_to: str
    met_on: dt.date | None


class Task(NamedTuple):
    """One task of the plan: what, who, how often, from which line of plan.yaml."""

    id: str
    section: str
    content: str
    responsibility: str
    time: str | None
    cadence: Cadence
    who: tuple[WhoPhrase, ...]
    due_overrides: dict[str, MonthDay]
    condition: Condition | None
    note: str | None
    order: int
    source: Source

    @property
    def lead(self) -> tuple[str, ...]:
        return tuple(ref for w in self.who if w.role == "chu-tri" for ref in w.refs)

    @property
    def partners(self) -> tuple[str, ...]:
        return tuple(ref for w in self.who if w.role == "phoi-hop" for ref in w.refs)

    def due_rule(self, kind: str) -> MonthDay | None:
        if kind in self.due_overrides:
            return self.due_overrides[kind]
        rule = self.cadence.rule(kind)
        return rule.due if rule else None


class LegalBasis(NamedTuple):
    """A document the plan is based on (căn cứ)."""

    kind: str
    number: str
    date: dt.date | None
    title: str | None


class ReportHeader(NamedTuple):
    """The agency names and place printed at the top of a report."""

    parent_agency: str
    agency: str
    agency_short: str
    place: str


@dataclass(frozen=True)
class Plan:
    """The plan: its tasks, cadences and tracking start."""

    id: str
    title: str
    issuer: str
    preamble: str
    legal_bases: tuple[LegalBasis, ...]
    purposes: tuple[str, ...]
    requirements: tuple[str, ...]
    tracking_start: dt.date
    report: ReportHeader | None
    """An old tracker's letterhead; data/office.yaml holds it now (`store/office.letterhead`)."""
    cadences: dict[str, Cadence]
    tasks: tuple[Task, ...]
    source: Source
    number: str | None = None
    """The document's number and symbol ("24/KH-UBND"); None while the office has not filled it in."""
    issued_on: dt.date | None = None
    subject: str | None = None
    """What the plan is about, as a sentence writes it after "về": "triển khai thực hiện Chỉ thị số …"."""

    def citation(self) -> str:
        """The plan as officials cite it: "Kế hoạch số 24/KH-UBND ngày 05/02/2016 của Chủ tịch UBND tỉnh
        Thanh Hóa về triển khai thực hiện …"; the parts not known are left out, never guessed."""
        parts = ["Kế hoạch"]
        if self.number:
            parts.append(f"số {self.number}")
        if self.issued_on is not None:
            parts.append(f"ngày {self.issued_on.day:02d}/{self.issued_on.month:02d}/{self.issued_on.year}")
        parts.append(f"của {self.issuer}")
        if self.subject:
            parts.append(f"về {self.subject}")
        return " ".join(parts)

    def task(self, task_id: str) -> Task | None:
        return self._by_id.get(task_id)

    @property
    def _by_id(self) -> dict[str, Task]:
        cached = self.__dict__.get("_task_index")
        if cached is None:
            cached = {t.id: t for t in self.tasks}
            object.__setattr__(self, "_task_index", cached)
        return cached


class Group(NamedTuple):
    """A named group of units (the plan assigns tasks to groups)."""

    id: str
    name: str
    note: str | None
    source: Source


class Unit(NamedTuple):
    """A unit that reports: names a clerk may type, groups, and the dates it exists between."""

    id: str
    name: str
    short: tuple[str, ...]
    level: str
    groups: tuple[str, ...]
    parent: str | None
    start: dt.date | None
    until: dt.date | None
    successors: tuple[str, ...]
    code: str | None
    note: str | None
    source: Source

    def exists_on(self, day: dt.date) -> bool:
        return (self.start is None or self.start <= day) and (self.until is None or day <= self.until)


LEVEL_LABELS = {"tinh": "Tỉnh", "huyen": "Huyện", "xa": "Xã", "khac": "Khác"}


class Record(NamedTuple):
    """What a unit reported for one slot. `source` is where it sits in data/status/: it takes part in
    equality, so code comparing what was reported compares `without_source()` copies or `same_values`."""

    task: str
    unit: str
    period: str
    status: Status
    done_on: dt.date | None = None
    evidence: str | None = None
    note: str | None = None
    recorded_on: dt.date | None = None
    recorded_by: str | None = None
    source: Source | None = None

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.task, self.unit, self.period)

    def as_yaml(self) -> dict[str, object]:
        data: dict[str, object] = {
            "task": self.task,
            "unit": self.unit,
            "period": self.period,
            "status": self.status.value,
        }
        for name in ("done_on", "evidence", "note", "recorded_on", "recorded_by"):
            value = getattr(self, name)
            if value is not None:
                data[name] = value
        return data

    def without_source(self) -> Record:
        return self._replace(source=None)

    def same_values(self, other: Record) -> bool:
        """Equal in what the unit reported; who recorded it and when do not make it a change."""
        return (self.status, self.done_on, self.evidence, self.note) == (
            other.status, other.done_on, other.evidence, other.note)


class Slot(NamedTuple):
    """One (task, unit, period) the plan expects a report for, with its deadline and data window."""

    task: Task
    unit: Unit
    period: Period
    deadline: dt.date
    window_start: dt.date
