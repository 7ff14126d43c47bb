"""`kehoach report -o bao-cao.docx`: the report to the Chairman, with what only the tracker knows
beside the report's rows: the office that signs, the previous period's result at the same point of
it, the urging letters each unit was sent, and the office's own template when it has one."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from kehoach.domain.report import Report, build_report, collect
from kehoach.store.layout import TEMPLATES_DIR
from kehoach.store.office import load_office
from kehoach.store.records import current_records
from kehoach.store.tracker import Tracker
from kehoach.store.urgings import times_urged
from kehoach.word import pdf
from kehoach.word.phrases import first_day, previous_period, same_point_before
from kehoach.word.report_document import write_report_document
from kehoach.word.report_text import report_text

REPORT_TEMPLATE = "bao-cao.docx"


def template_path(tracker: Tracker, name: str) -> Path | None:
    path = tracker.data_dir / TEMPLATES_DIR / name
    return path if path.is_file() else None


def previous_report(tracker: Tracker, made: Report) -> Report | None:
    """The same scope in the period before, as it stood as far into that period as this report is into
    its own; None when the plan did not track it yet."""
    period = previous_period(made.period)
    as_of = same_point_before(made.period, made.as_of)
    if as_of < tracker.plan.tracking_start:
        return None
    records = current_records(tracker.status_dir, years={period.year}, skipped=[])
    items = collect(tracker.definitions, made.scope, period, as_of, records)
    return build_report(tracker.definitions, made.scope, period, as_of, items, keep_slots=0) if items else None


def write_word_report(tracker: Tracker, made: Report, path: Path, day: dt.date | None, with_pdf: bool) -> list[Path]:
    """The .docx (and its PDF with `with_pdf`); everything is checked before the first byte is written."""
    office = load_office(tracker.data_dir)
    soffice = pdf.require_soffice() if with_pdf else None
    urged = times_urged(tracker.data_dir, first_day(made.period), made.as_of)
    text = report_text(made, office, day or made.as_of, previous_report(tracker, made), urged)
    write_report_document(text, office, path, template_path(tracker, REPORT_TEMPLATE))
    return [path] if soffice is None else [path, pdf.to_pdf(soffice, path)]
