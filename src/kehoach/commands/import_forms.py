"""`kehoach import`: check every row of the forms units send back with the rules of `record`, show
what would change, then write each file all or nothing, one commit per file.

A form made for another plan, or whose plan changed shape since, is refused as a whole
(`excel.form_reader` reads the file; formulas are refused cell by cell).

Identification: an .xlsx form carries a hidden sheet (see `excel.form_writer`). A .csv export cannot,
so a CSV is identified by its own columns: every row names its unit ("Mã đơn vị") and period ("Kỳ"),
all rows must name the same unit, and each row is checked against the current plan.

Plan changes: if the plan's task ids or cadences changed since the form was made (plan hash
differs), the form is refused: its rows may mean something else now. If only the rows the unit
should report changed (e.g. units.yaml was edited), the form is accepted with a warning and every
row is re-checked against the current plan and units, so a row that no longer belongs is an error.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from kehoach.commands.record import FileRecords, Outcome, Update, file_records, prepare, write_and_commit
from kehoach.domain.model import Period, Unit
from kehoach.domain.periods import format_date, parse_period, window_start
from kehoach.domain.rules import Hints, Violation, worded
from kehoach.domain.slots import period_contains
from kehoach.domain.text import forbidden_character, visible
from kehoach.errors import EXIT_OK, EXIT_PROBLEMS, EXIT_REJECTED, InputError, KehoachError
from kehoach.excel.form_reader import (
    FILL_KEYS,
    READ_KEYS,
    FormFile,
    SheetRow,
    UnreadableFileError,
    cell_date,
    cell_text,
    formula_text,
    read_form,
)
from kehoach.excel.form_writer import (
    COLUMNS,
    FORM_FORMAT,
    FORM_VERSION,
    META_SHEET,
    form_items,
    plan_hash,
    rows_fingerprint,
    slot_keys,
)
from kehoach.git.run import Author
from kehoach.render.rows import Column, Table
from kehoach.store.tracker import Tracker

HEADERS = {c.key: c.header for c in COLUMNS}
MULTILINE_KEYS = frozenset({"evidence", "note"})
"""Columns whose text may run over several lines (Alt+Enter in a cell); the others are one line."""

_SHEET_HINTS: Hints = {
    ("done_on", "give"): ": điền cột «Ngày hoàn thành»",
    ("done_on", "drop"): ": xóa ngày ở cột «Ngày hoàn thành»",
    ("note", "give"): " ở cột «Ghi chú»",
}


def sheet_hint(violation: Violation) -> str:
    """In a form a value is filled in its column."""
    return worded(violation, _SHEET_HINTS)


@dataclass
class FileCheck:
    form: FormFile
    unit: Unit | None = None
    period: Period | None = None
    updates: list[Update] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    blank_rows: int = 0
    read: FileRecords = field(default_factory=dict)
    """The status files this form's rows were checked against, each read once."""

    @property
    def ok(self) -> bool:
        return not self.problems

    def counts(self) -> dict[str, int]:
        counts = {"moi": 0, "thay-doi": 0, "khong-doi": 0}
        for update in self.updates:
            counts[change_kind(update)] += 1
        return counts


def change_kind(update: Update) -> str:
    if update.previous is None:
        return "moi"
    return "thay-doi" if update.changed else "khong-doi"


CHANGE_LABELS = {"moi": "Mới", "thay-doi": "Thay đổi", "khong-doi": "Không đổi"}


def check_form(tracker: Tracker, form: FormFile, as_of: dt.date, by: str | None) -> FileCheck:
    """Every problem of the file, or the updates it asks for; nothing is written here."""
    result = FileCheck(form)
    if form.missing:
        where = form.where(form.header_ref) if form.header_ref else form.where()
        missing = ", ".join(f"«{m}»" for m in form.missing)
        result.problems.append(f"{where}: không tìm thấy cột {missing} của biểu mẫu; "
                               "hãy dùng biểu mẫu lập bằng: kehoach form ĐƠN_VỊ")
        return result
    if form.kind == "xlsx":
        _check_meta(tracker, form, as_of, result)
        if result.problems:
            return result
    seen: dict[tuple[str, str], int] = {}
    for row in form.rows:
        _check_row(tracker, form, row, as_of, by, result, seen)
    if form.kind == "csv" and result.unit is None and not result.problems:
        result.problems.append(f"{form.where()}: tệp CSV không có dòng nào có mã đơn vị; "
                               "không biết của đơn vị nào")
    return result


def _check_meta(tracker: Tracker, form: FormFile, as_of: dt.date, result: FileCheck) -> None:
    meta = form.meta
    if meta is None:
        result.problems.append(f"{form.where()}: không phải biểu mẫu của kehoach (không có trang ẩn "
                               f"'{META_SHEET}'); hãy dùng biểu mẫu lập bằng: kehoach form ĐƠN_VỊ")
        return

    def value(key: str) -> str:
        cell = meta.get(key)
        return "" if cell is None or cell.value is None else str(cell.value).strip()

    def problem(key: str, message: str) -> None:
        cell = meta.get(key)
        where = f"{form.shown}!{cell.ref}" if cell else f"{form.shown}!{META_SHEET}"
        result.problems.append(f"{where}: {message}")

    if value("format") != FORM_FORMAT:
        problem("format", f"trang '{META_SHEET}' không mang dấu biểu mẫu '{FORM_FORMAT}'; "
                          "không phải biểu mẫu của kehoach")
        return
    if value("version") != str(FORM_VERSION):
        problem("version", f"biểu mẫu phiên bản '{value('version')}' không được hỗ trợ (phiên bản hiện tại "
                           f"{FORM_VERSION}); hãy lập lại biểu mẫu")
        return
    if value("plan") != tracker.plan.id:
        problem("plan", f"biểu mẫu lập cho kế hoạch '{value('plan')}', không phải kế hoạch "
                        f"'{tracker.plan.id}' của bộ theo dõi này")
        return
    if value("plan_hash") != plan_hash(tracker.plan):
        problem("plan_hash", "danh mục nhiệm vụ hay chu kỳ của kế hoạch đã khác với khi lập biểu mẫu "
                             "(hoặc biểu mẫu của bộ theo dõi khác); hãy lập lại biểu mẫu bằng: "
                             f"kehoach form {value('unit')} --period {value('period')}{tracker.plan_option}")
        return
    unit = tracker.registry.units.get(value("unit"))
    if unit is None:
        problem("unit", f"đơn vị '{value('unit')}' của biểu mẫu không có trong danh mục đơn vị")
        return
    try:
        period = parse_period(value("period"))
    except InputError as exc:
        problem("period", str(exc))
        return
    result.unit, result.period = unit, period
    # The unit's own file is all the form's slots can hold: not the whole history, once per form.
    records = file_records(tracker, unit.id, period.year, result.read)
    expected = form_items(tracker.definitions, unit, period, records, as_of)
    if rows_fingerprint(slot_keys(expected)) != value("rows_sha256"):
        result.warnings.append(
            f"{form.where()}: Cảnh báo: danh sách nhiệm vụ của {unit.name} trong kỳ {period.name} "
            "đã thay đổi kể từ khi lập biểu mẫu; từng dòng đã được kiểm tra lại theo kế hoạch và "
            "danh mục đơn vị hiện tại")


def _check_row(tracker: Tracker, form: FormFile, row: SheetRow, as_of: dt.date, by: str | None,
               result: FileCheck, seen: dict[tuple[str, str], int]) -> None:
    if row.blank:
        return
    cells = row.cells

    def problem(key: str, message: str) -> None:
        result.problems.append(f"{form.where(cells[key].ref)}: {message}")

    formulas = [k for k in READ_KEYS if cells[k].formula or (form.kind == "csv" and k in FILL_KEYS
                                                             and str(cells[k].value or "").startswith("="))]
    for key in formulas:
        problem(key, f"cột «{HEADERS[key]}» chứa công thức '{visible(formula_text(cells[key].value))}'; "
                     "hãy nhập giá trị, không dùng công thức")
    if formulas:
        return
    # The rule `record` applies to what is typed: no control characters (a terminal escape, a
    # separator that hides a line of the log, U+FFFE that breaks every workbook).
    refused = False
    for key in READ_KEYS:
        value = cells[key].value
        found = forbidden_character(value, one_line=key not in MULTILINE_KEYS) if isinstance(value, str) else None
        if found is not None:
            problem(key, f"cột «{HEADERS[key]}» chứa {found}; hãy xóa ký tự này")
            refused = True
    if refused:
        return
    task_text = cell_text(cells["task"].value)
    filled = [k for k in FILL_KEYS if not cells[k].blank]
    if task_text is None:
        if filled:
            problem("task", "dòng có nội dung điền nhưng thiếu mã nhiệm vụ")
        return
    if cells["status"].blank:
        if filled:
            names = ", ".join(f"«{c.header}»" for c in COLUMNS if c.key in filled)
            problem("status", f"thiếu trạng thái (đã điền {names}); chọn trạng thái hoặc xóa các ô đã điền")
        else:
            result.blank_rows += 1
        return
    unit = _row_unit(tracker, form, row, result, problem)
    period = _row_period(form, row, result, problem)
    if unit is None or period is None:
        return
    slot_key = (task_text, period.name)
    if slot_key in seen:
        problem("task", f"dòng trùng với dòng {seen[slot_key]} (cùng nhiệm vụ {task_text}, kỳ {period.name})")
        return
    seen[slot_key] = row.number
    try:
        done_on = cell_date(cells["done_on"])
    except InputError as exc:
        problem("done_on", str(exc))
        return
    try:
        update = prepare(tracker, task=task_text, unit=unit.id, status=str(cells["status"].value),
                         period=period.name, done_on=done_on, evidence=cell_text(cells["evidence"].value),
                         note=cell_text(cells["note"].value), by=by, as_of=as_of, hint=sheet_hint,
                         known=result.read)
    except InputError as exc:
        # A task the unit is not responsible for is a wrong row: point at its task id.
        column = exc.field if exc.field in cells and exc.field != "unit" else "task"
        problem(column, str(exc))
        return
    result.updates.append(update)
    early = early_done_warning(update)
    if early:
        result.warnings.append(f"{form.where(cells['done_on'].ref)}: Cảnh báo: {early}")


EARLY_DONE_DAYS = 92
"""A done date more than a quarter before the period's data window opens is most likely a slip of the
year (2025 typed for 2026): worth a look, yet a task may truly have been done early, so not an error."""


def early_done_warning(update: Update) -> str | None:
    done_on = update.record.done_on
    if done_on is None:
        return None
    opens = window_start(update.task.cadence, update.period)
    if (opens - done_on).days <= EARLY_DONE_DAYS:
        return None
    return (f"ngày hoàn thành {format_date(done_on)} sớm hơn nhiều so với kỳ {update.period.name} "
            f"(số liệu kỳ này tính từ {format_date(opens)}); hãy kiểm tra lại năm")


def _row_unit(tracker: Tracker, form: FormFile, row: SheetRow, result: FileCheck,
              problem: Callable[[str, str], None]) -> Unit | None:
    text = cell_text(row.cells["unit"].value)
    if text is None:
        if result.unit is None:
            problem("unit", "thiếu mã đơn vị")
        return result.unit
    try:
        unit = tracker.registry.find_unit(text)
    except InputError as exc:
        problem("unit", str(exc))
        return None
    if result.unit is None:
        result.unit = unit
    elif unit.id != result.unit.id:
        whose = "biểu mẫu này" if form.kind == "xlsx" else "tệp này (theo dòng đầu)"
        problem("unit", f"dòng ghi đơn vị '{text}', nhưng {whose} là của {result.unit.name} "
                        f"({result.unit.id}); mỗi đơn vị chỉ báo cáo phần của mình")
        return None
    return unit


def _row_period(form: FormFile, row: SheetRow, result: FileCheck,
                problem: Callable[[str, str], None]) -> Period | None:
    text = cell_text(row.cells["period"].value)
    if text is None:
        problem("period", "thiếu kỳ")
        return None
    try:
        period = parse_period(text)
    except InputError as exc:
        problem("period", str(exc))
        return None
    if result.period is not None and not period_contains(result.period, period):
        problem("period", f"kỳ {period.name} không thuộc kỳ {result.period.name} của biểu mẫu")
        return None
    return period


# --- showing and writing ------------------------------------------------------------------------------

def preview_table(check: FileCheck) -> Table:
    rows = []
    for update in check.updates:
        before, after = update.previous, update.record
        rows.append({
            "task": after.task,
            "period": after.period,
            "kind": change_kind(update),
            "kind_label": CHANGE_LABELS[change_kind(update)],
            "old_status": before.status.label if before else "",
            "new_status": after.status.label,
            "done_on": after.done_on,
            "evidence": after.evidence,
            "note": after.note,
        })
    counts = check.counts()
    unit = check.unit.name if check.unit else "?"
    where = f", kỳ {check.period.name}" if check.period else ""
    title = (f"{check.form.shown} — {unit}{where}: {counts['moi']} mới, {counts['thay-doi']} thay đổi, "
             f"{counts['khong-doi']} không đổi, {check.blank_rows} dòng để trống")
    return Table(title, [
        Column("task", "NV"),
        Column("period", "Kỳ"),
        Column("kind_label", "Thay đổi"),
        Column("old_status", "Trạng thái cũ"),
        Column("new_status", "Trạng thái mới"),
        Column("done_on", "Ngày hoàn thành"),
        Column("evidence", "Căn cứ"),
        Column("note", "Ghi chú"),
    ], rows)


def import_message(check: FileCheck, changed: list[Update]) -> str:
    counts = check.counts()
    unit = check.unit
    assert unit is not None
    periods = sorted({u.record.period for u in changed})
    subject = (f"Nhập biểu mẫu {check.form.path.name}: {unit.name}, kỳ "
               f"{check.period.name if check.period else ', '.join(periods)} "
               f"({counts['moi']} mới, {counts['thay-doi']} thay đổi)")
    body = []
    for update in changed:
        record = update.record
        done = f" ngày {format_date(record.done_on)}" if record.done_on else ""
        body.append(f"- Nhiệm vụ {record.task}, kỳ {record.period}: {record.status.label}{done}")
    trailers = [f"Kehoach-Import: {check.form.path.name}", f"Kehoach-Unit: {unit.id}"]
    trailers += [f"Kehoach-Period: {p}" for p in periods]
    trailers += [f"Kehoach-Task: {t}" for t in dict.fromkeys(u.record.task for u in changed)]
    return "\n\n".join([subject, "\n".join(body), "\n".join(trailers)]) + "\n"


def apply_import(tracker: Tracker, check: FileCheck, commit: bool, author: Author | None) -> Outcome:
    """Write the file's changed records in one locked, atomic step and, inside git, one commit."""
    if not check.ok:
        raise KehoachError(f"{check.form.shown}: tệp có lỗi, không ghi")
    changed = [u for u in check.updates if u.changed]
    if not changed:
        return write_and_commit(tracker, [], "", commit, author)
    return write_and_commit(tracker, changed, import_message(check, changed), commit, author)


class FileImport(NamedTuple):
    """What became of one file: unreadable (`error`), checked and rejected, checked only (a dry run),
    or checked and written (`outcome`)."""

    shown: str
    error: str = ""
    check: FileCheck | None = None
    outcome: Outcome | None = None


def import_files(tracker: Tracker, names: Iterable[str], as_of: dt.date, by: str | None, *, dry_run: bool,
                 commit: bool, author: Author | None) -> Iterator[FileImport]:
    """Each file on its own, in the order given: a file with an error writes nothing, the others go on."""
    for name in names:
        try:
            form_file = read_form(Path(name))
        except UnreadableFileError as exc:
            yield FileImport(name, error=str(exc))
            continue
        result = check_form(tracker, form_file, as_of, by)
        if not result.ok or dry_run:
            yield FileImport(form_file.shown, check=result)
            continue
        yield FileImport(form_file.shown, check=result, outcome=apply_import(tracker, result, commit, author))


def import_exit_code(done: Iterable[FileImport]) -> int:
    """2 when a file could not be read at all, 1 when a file was rejected, 0 otherwise."""
    files = list(done)
    if any(f.error for f in files):
        return EXIT_REJECTED
    return EXIT_PROBLEMS if any(f.check is not None and not f.check.ok for f in files) else EXIT_OK
