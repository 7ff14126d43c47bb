"""`kehoach report`: one report, a report over several trackers, or one file per unit; where each goes
(the format an `-o` path asks for, the file name a folder gets) and the provenance a workbook records.

A target is decided before anything is read or written, so a wrong `-o` changes no file.
"""

from __future__ import annotations

import datetime as dt
import shlex
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import NamedTuple

from kehoach.commands.evaluate import tracked_somewhere
from kehoach.commands.many_trackers import SourcedTracker, several_plans
from kehoach.commands.report_many import SourceParts
from kehoach.commands.word_report import write_word_report
from kehoach.domain.definitions import Definitions
from kehoach.domain.model import Period, Record
from kehoach.domain.report import Report, ReportScope, SlotRow, build_report, collect, file_stem, unit_reports
from kehoach.domain.rules import UnitChoice
from kehoach.domain.slots import EvaluatedSlot
from kehoach.domain.trend import build_trend, previous_period, same_day_of
from kehoach.errors import InputError, Problem
from kehoach.excel import report_workbook
from kehoach.excel.report_workbook import Provenance, save
from kehoach.git.run import data_version
from kehoach.html.page import index_page, page
from kehoach.render.report_view import report_tables
from kehoach.render.text import render, to_json
from kehoach.store.files import atomic_write, replacing
from kehoach.store.layout import display_path, plan_files
from kehoach.store.office import letterhead
from kehoach.store.pool import usable_cores
from kehoach.store.records import current_records

FORMAT_BY_EXTENSION = {".xlsx": "xlsx", ".html": "html", ".docx": "docx", ".csv": "csv", ".md": "markdown",
                       ".json": "json", ".jsonl": "jsonl", ".txt": "plain"}
EXTENSION_BY_FORMAT = {"xlsx": ".xlsx", "html": ".html", "docx": ".docx", "csv": ".csv", "markdown": ".md",
                       "json": ".json", "jsonl": ".jsonl", "plain": ".txt"}
FILE_FORMATS = frozenset({"xlsx", "html", "docx"})
"""Formats that only go to a file (reports/ when no -o is given)."""
TREND_FORMATS = frozenset({"json", "xlsx", "html", "docx"})
"""The outputs that show the trend (the Word report: its comparison with the previous period); the others
skip reading the previous period."""
STREAMED_FORMATS = frozenset({"json", "jsonl"})
"""Over several trackers these are written as they are made: the slot rows of 34 provinces (245,000)
are never held at once."""
INDEX_PAGE = "index.html"
DEFAULT_FOLDER = "reports"


@dataclass(frozen=True)
class Target:
    """A format and where it goes: a file, a folder (the name is made from the report), or stdout (None)."""

    fmt: str
    file: Path | None = None
    folder: Path | None = None

    def path_for(self, stem: str) -> Path | None:
        if self.file is not None:
            return self.file
        if self.folder is not None:
            return self.folder / f"{stem}{EXTENSION_BY_FORMAT[self.fmt]}"
        return None


def resolve_target(
    output: str | None, fmt: str | None, default_folder: Path, each_unit: bool = False
) -> Target:
    """`-o FILE` picks the format from its extension; `-o DIR` (or --format xlsx, or --each-unit alone)
    writes into a folder; otherwise the text goes to stdout. Rejected before anything is written."""
    known = ", ".join(FORMAT_BY_EXTENSION)
    if output is None:
        if fmt in FILE_FORMATS or each_unit:
            return Target(_file_format(fmt, each_unit), folder=default_folder)
        return Target(fmt or "table")
    path = Path(output).expanduser()
    if path.is_dir() or output.endswith(("/", "\\")) or not path.suffix:
        if path.exists() and not path.is_dir():
            raise InputError(
                f"'{output}' là một tệp không có phần mở rộng; hãy dùng tên tệp có đuôi {known} "
                "hoặc một thư mục"
            )
        return Target(_file_format(fmt, each_unit), folder=path)
    extension = path.suffix.lower()
    if extension not in FORMAT_BY_EXTENSION:
        raise InputError(
            f"không xuất được báo cáo ra '{output}': phần mở rộng '{path.suffix}' không được hỗ trợ; "
            f"dùng {known}, hoặc một thư mục"
        )
    if each_unit:
        raise InputError(
            f"--each-unit ghi mỗi đơn vị một tệp: -o phải là một thư mục, không phải tệp '{output}'"
        )
    chosen = FORMAT_BY_EXTENSION[extension]
    if fmt is not None and fmt != chosen:
        raise InputError(f"--format {fmt} không khớp với phần mở rộng '{path.suffix}' của '{output}'")
    return Target(chosen, file=path)


def _file_format(fmt: str | None, each_unit: bool) -> str:
    if fmt is None:
        return "xlsx"
    if fmt == "table":
        what = "--each-unit" if each_unit else "ghi ra thư mục"
        raise InputError(f"{what} cần định dạng tệp (xlsx, docx, html, csv, markdown, json, jsonl, plain), không phải "
                         "table")
    return fmt


def default_folder(data_dir: Path) -> Path:
    """reports/ beside data/ in the tracker folder."""
    return data_dir.parent / DEFAULT_FOLDER


class ReportRequest(NamedTuple):
    period: Period
    as_of: dt.date
    choice: UnitChoice
    fmt: str | None
    """The format asked for; None lets `-o`'s extension decide (a workbook by default)."""
    output: str | None
    each_unit: bool
    day: dt.date | None = None
    """The date line of a Word report (--date); the as-of date when None."""
    pdf: bool = False
    """A Word report printed to PDF beside it too (--pdf)."""


class ReportDone(NamedTuple):
    """What a report run made: the files written, or the one report to show on the screen."""

    written: list[Path]
    folder: Path | None = None
    """With --each-unit: the folder the files went to."""
    screen: Report | None = None
    fmt: str = ""
    skipped: tuple[Problem, ...] = ()
    """The problems of the broken status files left out of the report (each named for the clerk)."""
    chunks: Iterable[str] | None = None
    """The screen's text piece by piece, when it is streamed (JSON over several trackers); `screen`
    then holds the report without its slot rows."""


def keep_slot_rows(fmt: str, unit_scope: bool, several: bool) -> int | None:
    """The slot rows an output shows, so no more are built: the workbook's Chi tiết (bounded over several
    trackers), JSON all of them, a unit's sheet its own; the other whole-plan formats show counts and the
    overdue list only."""
    if fmt == "xlsx":
        return report_workbook.SEVERAL_DETAIL_LIMIT if several else None
    return None if fmt in ("json", "jsonl", "docx") or unit_scope else 0


def make_report(trackers: Sequence[SourcedTracker], request: ReportRequest,
                each: Callable[[list[Report]], Iterable[Report]] = iter) -> ReportDone:
    """`each` walks the reports of --each-unit (the command line shows a progress bar with it)."""
    if request.each_unit and request.choice.unit:
        raise InputError("--each-unit đã ghi mỗi đơn vị một tệp; không dùng cùng --unit (dùng --group "
                         "để giới hạn các đơn vị)")
    if request.each_unit and several_plans(trackers):
        raise InputError("--each-unit chỉ dùng với một kế hoạch; thêm --plan TÊN (xem các kế hoạch bằng: kehoach "
                         "plan list)")
    if request.each_unit and len(trackers) > 1:
        raise InputError("--each-unit chỉ dùng với một bộ theo dõi (một --data)")
    tracker = trackers[0].tracker
    target = resolve_target(request.output, request.fmt, default_folder(tracker.data_dir), request.each_unit)
    if (request.pdf or request.day is not None) and target.fmt != "docx":
        raise InputError("--pdf và --date chỉ dùng cho báo cáo Word (-o TỆP.docx hoặc --format docx)")
    if target.fmt == "docx" and several_plans(trackers):
        raise InputError("báo cáo Word trình ký về một kế hoạch; thêm --plan TÊN (xem các kế hoạch bằng: kehoach "
                         "plan list)")
    if target.fmt == "docx" and len(trackers) > 1:
        raise InputError("báo cáo Word do một cơ quan ký: chỉ dùng với một bộ theo dõi (một --data)")
    period, as_of = request.period, request.as_of
    tracked_somewhere(trackers, period)  # zeros for a period nobody reports would read as a result
    if len(trackers) > 1:
        keep = keep_slot_rows(target.fmt, bool(request.choice.unit), several=True)
        skipped_many: list[Problem] = []
        parts = SourceParts(trackers, lambda d: ReportScope.chosen(d, request.choice), period, as_of, skipped_many)
        if target.fmt in STREAMED_FORMATS:
            return _streamed(parts, target, skipped_many)
        return _done(trackers, parts.merged(keep), target, skipped_many)
    definitions = tracker.definitions
    scope = ReportScope.chosen(definitions, request.choice)
    skipped: list[Problem] = []
    records = current_records(tracker.status_dir, years={period.year}, skipped=skipped)  # in the period's year
    trend = target.fmt in TREND_FORMATS
    if request.each_unit:
        reports = unit_reports(definitions, scope, period, as_of, records)
        if trend:
            reports = unit_trends(reports, collect(definitions, scope, period, as_of, records),
                                  previous_items(tracker.status_dir, definitions, scope, period, as_of, records,
                                                 skipped))
        written = [p for made in each(reports) for p in write_report(trackers, made, target, request)]
        folder = target.folder or default_folder(tracker.data_dir)
        if target.fmt == "html" and written:
            index = folder / INDEX_PAGE
            atomic_write(index, index_page(reports, written, letterhead(tracker.data_dir, tracker.plan)))
            written.append(index)
        return ReportDone(written, folder=folder, skipped=tuple(skipped))
    items = collect(definitions, scope, period, as_of, records)
    keep = keep_slot_rows(target.fmt, scope.kind == "unit", several=False)
    made = build_report(definitions, scope, period, as_of, items, keep_slots=keep)
    if trend:
        made = replace(made, trend=build_trend(period, as_of, items, previous_items(
            tracker.status_dir, definitions, scope, period, as_of, records, skipped)))
    return _done(trackers, made, target, skipped, request)


def previous_items(status_dir: Path, definitions: Definitions, scope: ReportScope, period: Period,
                   as_of: dt.date, records: dict[tuple[str, str, str], Record],
                   skipped: list[Problem]) -> list[EvaluatedSlot]:
    """The previous period's slots in the same scope, as they stood as far into it as `as_of` is into
    `period` (the trend's second curve); its year's records are read when they are not those at hand."""
    before = previous_period(period)
    if before.year != period.year:
        records = current_records(status_dir, years={before.year}, skipped=skipped)
    return collect(definitions, scope, before, same_day_of(before, period, as_of), records)


def unit_trends(reports: list[Report], items: list[EvaluatedSlot], before: list[EvaluatedSlot]) -> list[Report]:
    """Each unit's report with its own trend, from the slots of every unit split by unit."""
    now_by_unit, before_by_unit = _by_unit(items), _by_unit(before)
    return [replace(r, trend=build_trend(r.period, r.as_of, now_by_unit.get(r.scope.id, []),
                                         before_by_unit.get(r.scope.id, []))) for r in reports]


def _by_unit(items: list[EvaluatedSlot]) -> dict[str, list[EvaluatedSlot]]:
    grouped: dict[str, list[EvaluatedSlot]] = {}
    for item in items:
        grouped.setdefault(item.slot.unit.id, []).append(item)
    return grouped


def _done(trackers: Sequence[SourcedTracker], made: Report, target: Target,
          skipped: Sequence[Problem] = (), request: ReportRequest | None = None) -> ReportDone:
    written = write_report(trackers, made, target, request)
    if written:
        return ReportDone(written, skipped=tuple(skipped))
    return ReportDone([], screen=made, fmt=target.fmt, skipped=tuple(skipped))


def write_report(trackers: Sequence[SourcedTracker], made: Report, target: Target,
                 request: ReportRequest | None = None) -> list[Path]:
    """One report into its file (a Word report: its PDF too, with --pdf); nothing when it goes to the screen."""
    path = target.path_for(file_stem(made))
    if path is None:
        return []
    if target.fmt == "docx":
        return write_word_report(trackers[0].tracker, made, path, request.day if request else None,
                                 bool(request and request.pdf))
    if target.fmt == "xlsx":
        # Three git questions a tracker, mostly waiting: asked a few at once, while the sheets are built.
        with ThreadPoolExecutor(2 * usable_cores()) as threads:
            versions = [threads.submit(data_version, t.tracker.data_dir) for t in trackers]

            def provenance() -> Provenance:
                if len(trackers) == 1:
                    version = versions[0].result()
                else:
                    version = "; ".join(f"{t.source}: {v.result()}" for t, v in zip(trackers, versions, strict=True))
                return Provenance(version, report_command(made, trackers))

            save(made, letterhead(trackers[0].tracker.data_dir, trackers[0].tracker.plan), provenance, path)
    elif target.fmt == "html":
        atomic_write(path, page(made, letterhead(trackers[0].tracker.data_dir, trackers[0].tracker.plan)))
    else:
        atomic_write(path, screen_text(made, target.fmt))
    return [path]


def screen_text(made: Report, fmt: str) -> str:
    """The report in a text format (plain, markdown, csv, json, jsonl)."""
    if fmt in STREAMED_FORMATS:
        return "".join(json_chunks(made, made.slots, fmt))
    return render(report_tables(made, fmt), fmt)


def _streamed(parts: SourceParts, target: Target, skipped: list[Problem]) -> ReportDone:
    """The merged counts and overdue rows first (no slot row kept), then every slot row read back from
    the parts' caches as it is written: the bytes of `screen_text` over the whole report."""
    head = parts.merged(keep_slots=0)
    chunks = json_chunks(head, parts.slot_rows(), target.fmt)
    path = target.path_for(file_stem(head))
    if path is None:
        return ReportDone([], screen=head, fmt=target.fmt, skipped=tuple(skipped), chunks=chunks)
    with replacing(path) as tmp_name, open(tmp_name, "w", encoding="utf-8", newline="\n") as out:
        for chunk in chunks:
            out.write(chunk)
    return ReportDone([path], skipped=tuple(skipped))


_SLOTS_MARK = "\0slots\0"
_BATCH = 2000
"""Slot rows a chunk: few writes, little memory."""


def json_chunks(made: Report, slots: Iterable[SlotRow], fmt: str) -> Iterator[str]:
    """The report as JSON (the bytes of `to_json(made.as_json())`, its slot rows taken from `slots` one at a
    time), or as JSON Lines: one object a line, its "table" naming where it belongs ("report": the
    document's own fields and totals; then "by_group", "by_task", "by_unit", "overdue", "slots", ...)."""
    doc = made.as_json()
    if fmt == "jsonl":
        yield from _json_lines(doc, slots)
        return
    doc["slots"] = [_SLOTS_MARK]
    before, after = to_json(doc).split(to_json(_SLOTS_MARK).strip())
    batch: list[str] = []
    for row in slots:
        text = to_json(row.as_json()).rstrip("\n")
        batch.append("    " + text.replace("\n", "\n    "))
        if len(batch) == _BATCH:
            yield (before.rstrip(" ") if before else ",\n") + ",\n".join(batch)
            before, batch = "", []
    if batch:
        yield (before.rstrip(" ") if before else ",\n") + ",\n".join(batch)
        before = ""
    yield before.rstrip(" \n") + after.lstrip() if before else after


def _json_lines(doc: dict[str, object], slots: Iterable[SlotRow]) -> Iterator[str]:
    tables = {key: value for key, value in doc.items() if isinstance(value, list)}
    head = {key: value for key, value in doc.items() if key not in tables}
    yield _line({"table": "report", **head})
    for name, rows in tables.items():
        if name == "slots":
            batch: list[str] = []
            for row in slots:
                batch.append(_line({"table": "slots", **row.as_json()}))
                if len(batch) == _BATCH:
                    yield "".join(batch)
                    batch = []
            yield "".join(batch)
        else:
            yield "".join(_line({"table": name, **row}) for row in rows)


def _line(data: dict[str, object]) -> str:
    # to_json's escaping (no control character reaches a terminal), on one line: a newline in its output
    # is only ever layout (a newline inside a text is written \n).
    return "".join(part.lstrip(" ") for part in to_json(data).rstrip("\n").split("\n")) + "\n"


def report_command(made: Report, trackers: Sequence[SourcedTracker]) -> str:
    """A command that makes the same workbook again from the same data (the as-of date made explicit)."""
    args = ["kehoach", "report", "--period", made.period.name, "--as-of", made.as_of.isoformat()]
    if made.scope.kind == "unit":
        args += ["--unit", made.scope.id]
    elif made.scope.kind == "group":
        args += ["--group", made.scope.id]
    if len(trackers) > 1:
        for shown in dict.fromkeys(display_path(sourced.tracker.data_dir) for sourced in trackers):
            args += ["--data", shown]
    elif len(plan_files(trackers[0].tracker.data_dir)) > 1:  # one plan of several: the same one again
        args += ["--plan", trackers[0].tracker.plan_name]
    return shlex.join([*args, "--format", "xlsx"])
