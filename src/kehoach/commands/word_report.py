"""`kehoach report -o bao-cao.docx`: the report to the Chairman, with what only the tracker knows
beside the report's rows: the office that signs, the urging letters each unit was sent, and the
office's own template when it has one. (The previous period comes with the report, as its trend.)"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from kehoach.domain.report import Report
from kehoach.domain.trend import period_start
from kehoach.store.layout import TEMPLATES_DIR
from kehoach.store.office import load_office
from kehoach.store.tracker import Tracker
from kehoach.store.urgings import times_urged
from kehoach.word import pdf
from kehoach.word.report_document import write_report_document
from kehoach.word.report_text import report_text

REPORT_TEMPLATE = "bao-cao.docx"


def template_path(tracker: Tracker, name: str) -> Path | None:
    path = tracker.data_dir / TEMPLATES_DIR / name
    return path if path.is_file() else None


def write_word_report(tracker: Tracker, made: Report, path: Path, day: dt.date | None, with_pdf: bool) -> list[Path]:
    """The .docx (and its PDF with `with_pdf`); everything is checked before the first byte is written."""
    office = load_office(tracker.data_dir)
    soffice = pdf.require_soffice() if with_pdf else None
    urged = times_urged(tracker.data_dir, period_start(made.period), made.as_of)
    text = report_text(made, office, day or made.as_of, urged)
    write_report_document(text, office, path, template_path(tracker, REPORT_TEMPLATE))
    return [path] if soffice is None else [path, pdf.to_pdf(soffice, path)]
