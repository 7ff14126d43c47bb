"""The urging letter (công văn đôn đốc, Nghị định 30/2020 Phụ lục I, Mẫu 1.5) to one unit: "Số:      /STP-VP",
"V/v đôn đốc thực hiện Kế hoạch …", "Kính gửi:" its head, the plan cited, its tasks overdue (or due
soon) in a table, the day to report back by, the signature and Nơi nhận. Several letters in one file
each start a page of their own, numbered from 1 again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

from kehoach.domain.periods import format_date, parse_period
from kehoach.domain.report import SlotRow
from kehoach.render.official import addressee
from kehoach.store.office import Office
from kehoach.word import page
from kehoach.word.phrases import count, period_phrase
from kehoach.word.report_text import plan_reference

LETTER_WIDTHS = (11.0, 62.0, 26.0, 22.0, 22.0, 22.0)


class Letter(NamedTuple):
    unit_name: str
    unit_level: str
    rows: Sequence[SlotRow]
    """The unit's tasks to urge: overdue, most days late first, then those due soon."""
    task_titles: dict[str, str]
    plan_citation: str
    day: dt.date
    reply_by: dt.date
    urged_before: int
    """Letters this unit was sent before this one, this year."""


def subject(letter: Letter) -> str:
    return f"đôn đốc thực hiện {plan_reference(letter.plan_citation)}"


def _letter(doc: page.Doc, letter: Letter, office: Office) -> None:
    page.header(doc, office, page.Heading(office.letter_symbol, letter.day, subject(letter)))
    to = addressee(letter.unit_name, letter.unit_level)
    page.line(doc, f"Kính gửi: {to}.", page.BODY_SIZE, after=12)
    overdue = [row for row in letter.rows if row.days_late > 0]
    soon = [row for row in letter.rows if row.days_late == 0]
    page.body(doc, f"Thực hiện {letter.plan_citation}; {office.agency_name} theo dõi, tổng hợp tình hình thực hiện "
                   "của các cơ quan, đơn vị.")
    found = []
    if overdue:
        found.append(f"{count(len(overdue))} nhiệm vụ đã quá hạn nhưng chưa hoàn thành")
    if soon:
        found.append(f"{count(len(soon))} nhiệm vụ sắp đến hạn")
    page.body(doc, f"Theo số liệu theo dõi đến ngày {format_date(letter.day)}, {letter.unit_name} còn "
                   f"{' và '.join(found)}, cụ thể như sau:")
    rows = [[str(i), f"{row.task}. {letter.task_titles.get(row.task, row.task)}",
             period_phrase(parse_period(row.period)), format_date(row.deadline), row.status_label,
             count(row.days_late) if row.days_late else "Sắp đến hạn"]
            for i, row in enumerate(letter.rows, start=1)]
    page.grid(doc, ("STT", "Nhiệm vụ", "Kỳ báo cáo", "Hạn báo cáo", "Tình trạng", "Số ngày quá hạn"), rows,
              LETTER_WIDTHS, size=11)
    page.spacer(doc)
    if letter.urged_before:
        page.body(doc, f"{office.agency_name} đã có {count(letter.urged_before)} văn bản đôn đốc trước đây về các "
                       "nội dung này.")
    page.body(doc, f"{office.agency_name} đề nghị {to} quan tâm chỉ đạo khẩn trương thực hiện các nhiệm vụ nêu "
                   f"trên, báo cáo kết quả về {office.agency_name} trước ngày {format_date(letter.reply_by)} để tổng "
                   f"hợp, báo cáo {office.report_to}.")
    page.body(doc, "Trân trọng./.")
    page.signature(doc, office, ["Như trên", *office.letter_recipients])


def letters_document(letters: Sequence[Letter], office: Office) -> page.Doc:
    """One letter, or several one after the other, each on new pages numbered from 1."""
    doc = page.new_document()
    for index, letter in enumerate(letters):
        if index:
            page.letter_section(doc)
        _letter(doc, letter, office)
    return doc


def write_letters(letters: Sequence[Letter], office: Office, path: Path) -> None:
    title = subject(letters[0]) if len(letters) == 1 else f"Công văn đôn đốc ({len(letters)} đơn vị)"
    page.save(letters_document(letters, office), path, letters[0].day, title, office.agency_name)
