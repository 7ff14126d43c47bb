"""What the report to the Chairman says, from the report's rows: the subject, the sentences of each
section built from the numbers, the tables' cells. Laid out by `report_document` (the default) or by
an office's own template (`template`); both say exactly this.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import NamedTuple

from kehoach.domain.model import Category
from kehoach.domain.periods import format_date, parse_period
from kehoach.domain.report import CountRow, Report
from kehoach.store.office import Office
from kehoach.word.phrases import change_text, count, period_phrase, rate_text, share

COUNT_HEADINGS = ("Số lượt", "HT đúng hạn", "HT quá hạn", "Đang TH", "Chưa TH", "Quá hạn", "Không AD",
                  "Tỷ lệ HT")
"""The columns of every count table; "Quá hạn": not done after the deadline, started or not."""
LEGEND = ("HT: hoàn thành; TH: thực hiện; AD: áp dụng. Tỷ lệ HT = số lượt đã hoàn thành / (số lượt − số lượt "
          "không áp dụng).")
DRAFT_NOTE = "(Phần dự thảo: đề nghị cán bộ soạn thảo rà soát, bổ sung, chỉnh sửa trước khi trình ký.)"
LISTED_UNITS = 30
"""Units named in section III; the rest are in the appendix."""


class Paragraph(NamedTuple):
    text: str
    kind: str = "body"
    """'body', 'heading' (I. …, bold upper case), 'subheading' (1. …, bold), 'draft' (for the clerk),
    'basis' (a legal basis, italic), 'table:NAME' (the table of that name goes here)."""


class Table(NamedTuple):
    headings: tuple[str, ...]
    rows: list[list[str]]
    """The last row is the total when `total` is set."""
    total: bool


class ReportText(NamedTuple):
    symbol: str
    day: dt.date
    subject: str
    paragraphs: list[Paragraph]
    tables: dict[str, Table]
    closing: str
    appendix_title: str
    appendix_note: str


def count_cells(row: CountRow) -> list[str]:
    c = row.counts
    return [count(row.slots), count(c[Category.HOAN_THANH_DUNG_HAN]), count(c[Category.HOAN_THANH_QUA_HAN]),
            count(c[Category.DANG_THUC_HIEN_TRONG_HAN]), count(c[Category.CHUA_THUC_HIEN_TRONG_HAN]),
            count(row.overdue), count(c[Category.KHONG_AP_DUNG]), rate_text(row.completion_rate)]


def plan_reference(citation: str) -> str:
    """The plan as a subject names it: its number, date and issuer when known ("Kế hoạch số 24/KH-UBND ngày
    05/02/2016 của Chủ tịch UBND tỉnh"), else the whole citation."""
    if citation.startswith("Kế hoạch số ") and " về " in citation:
        return citation.split(" về ", 1)[0]
    return citation


def report_text(report: Report, office: Office, day: dt.date, urged: Mapping[str, int]) -> ReportText:
    period = period_phrase(report.period)
    plan = plan_reference(report.plan_citation or report.plan_title)
    totals = report.totals
    paragraphs = [
        Paragraph(f"Thực hiện {report.plan_citation or report.plan_title}.", "basis"),
        Paragraph(f"{office.agency_name} báo cáo tình hình, kết quả thực hiện {period} như sau:"),
        Paragraph("I. TÌNH HÌNH TRIỂN KHAI THỰC HIỆN", "heading"),
        Paragraph(_situation(report, period)),
        Paragraph("II. KẾT QUẢ THỰC HIỆN", "heading"),
        Paragraph("1. Kết quả chung", "subheading"),
        Paragraph(_results(totals, report.as_of)),
        Paragraph(_comparison(report)),
        Paragraph("2. Kết quả theo nhiệm vụ", "subheading"),
        Paragraph("", "table:by_task"),
        Paragraph("3. Kết quả theo nhóm cơ quan, đơn vị", "subheading"),
        Paragraph("", "table:by_group"),
        Paragraph(f"Kết quả của từng cơ quan, đơn vị tại Phụ lục kèm theo. {LEGEND}"),
        Paragraph("III. TỒN TẠI, HẠN CHẾ VÀ NGUYÊN NHÂN", "heading"),
        *_shortcomings(report, urged),
        Paragraph("Nguyên nhân: [nêu nguyên nhân chủ quan, khách quan của các tồn tại, hạn chế].", "draft"),
        Paragraph("IV. NHIỆM VỤ TRỌNG TÂM KỲ TỚI VÀ ĐỀ XUẤT, KIẾN NGHỊ", "heading"),
        Paragraph(DRAFT_NOTE, "draft"),
        Paragraph("1. Nhiệm vụ trọng tâm kỳ tới", "subheading"),
        Paragraph(f"- Tiếp tục theo dõi, đôn đốc các cơ quan, đơn vị hoàn thành {count(totals.overdue)} lượt "
                  "nhiệm vụ còn quá hạn và các nhiệm vụ của kỳ tới đúng thời hạn;", "draft"),
        Paragraph("- [Nhiệm vụ khác của kỳ tới].", "draft"),
        Paragraph("2. Đề xuất, kiến nghị", "subheading"),
        Paragraph(f"- Đề nghị {office.report_to} chỉ đạo các cơ quan, đơn vị còn nhiệm vụ quá hạn khẩn trương "
                  "hoàn thành, báo cáo kết quả;", "draft"),
        Paragraph("- [Đề xuất, kiến nghị khác].", "draft"),
    ]
    tables = {
        "by_task": Table(("STT", "Nhiệm vụ", *COUNT_HEADINGS), [
            [str(i), f"{row.key}. {report.task_titles.get(row.key, row.label)}", *count_cells(row)]
            for i, row in enumerate(report.by_task, start=1)] + [["", totals.label, *count_cells(totals)]], True),
        "by_group": Table(("STT", "Nhóm cơ quan, đơn vị", *COUNT_HEADINGS), [
            [str(i), row.label, *count_cells(row)] for i, row in enumerate(report.by_group, start=1)]
            + [["", totals.label, *count_cells(totals)]], True),
        "by_unit": Table(("STT", "Cơ quan, đơn vị", *COUNT_HEADINGS, "Đã đôn đốc"), [
            [str(i), row.label, *count_cells(row), _times(urged.get(row.key, 0))]
            for i, row in enumerate(report.by_unit, start=1)]
            + [["", totals.label, *count_cells(totals), _times(sum(urged.get(r.key, 0) for r in report.by_unit))]],
            True),
    }
    closing = (f"Trên đây là báo cáo tình hình, kết quả thực hiện {plan} {period} của {office.agency_name}, kính "
               f"báo cáo {office.report_to} xem xét, chỉ đạo./.")
    return ReportText(
        symbol=f"BC-{office.agency_short}", day=day,
        subject=f"Tình hình, kết quả thực hiện {plan} {period}{_of_scope(report)}", paragraphs=paragraphs,
        tables=tables,
        closing=closing, appendix_title="KẾT QUẢ THỰC HIỆN CỦA TỪNG CƠ QUAN, ĐƠN VỊ",
        appendix_note=(f"(Kèm theo Báo cáo số      /BC-{office.agency_short} ngày {format_date(day)} "
                       f"của {office.agency_name}; số liệu tính đến ngày {format_date(report.as_of)})"))


def _of_scope(report: Report) -> str:
    """A report of one group or unit says whose it is in its subject: " (Các sở)"."""
    return "" if report.scope.kind == "all" else f" ({report.scope.name})"


def _times(n: int) -> str:
    return f"{n} lần" if n else ""


def _situation(report: Report, period: str) -> str:
    units = len(report.by_unit)
    reporting = len({row.unit for row in report.slots if row.recorded})
    recorded = sum(1 for row in report.slots if row.recorded)
    return (f"Trong {period}, có {count(units)} cơ quan, đơn vị được giao thực hiện {count(len(report.by_task))} "
            f"nhiệm vụ của Kế hoạch, với tổng số {count(report.totals.slots)} lượt nhiệm vụ phải thực hiện và báo "
            f"cáo. Tính đến ngày {format_date(report.as_of)}, {count(reporting)}/{count(units)} cơ quan, đơn vị đã "
            f"báo cáo kết quả ({count(recorded)} lượt nhiệm vụ đã được cập nhật tình hình thực hiện).")


def _results(totals: CountRow, as_of: dt.date) -> str:
    c = totals.counts
    in_progress = c[Category.DANG_THUC_HIEN_TRONG_HAN] + c[Category.DANG_THUC_HIEN_QUA_HAN]
    not_started = c[Category.CHUA_THUC_HIEN_TRONG_HAN] + c[Category.CHUA_THUC_HIEN_QUA_HAN]
    text = (f"Tính đến ngày {format_date(as_of)}, các cơ quan, đơn vị đã hoàn thành {count(totals.done)}/"
            f"{count(totals.applicable)} lượt nhiệm vụ ({rate_text(totals.completion_rate)}), trong đó hoàn thành "
            f"đúng hạn {count(c[Category.HOAN_THANH_DUNG_HAN])} lượt "
            f"({share(c[Category.HOAN_THANH_DUNG_HAN], totals.applicable)}), hoàn thành quá hạn "
            f"{count(c[Category.HOAN_THANH_QUA_HAN])} lượt; đang thực hiện {count(in_progress)} lượt "
            f"({count(c[Category.DANG_THUC_HIEN_QUA_HAN])} lượt đã quá hạn); chưa thực hiện {count(not_started)} "
            f"lượt ({count(c[Category.CHUA_THUC_HIEN_QUA_HAN])} lượt đã quá hạn)")
    if c[Category.KHONG_AP_DUNG]:
        text += f"; {count(c[Category.KHONG_AP_DUNG])} lượt không áp dụng (không tính vào tỷ lệ)"
    return text + "."


def _comparison(report: Report) -> str:
    """The completion rate against the previous period's at the same point of its course (the report's
    trend, `domain/trend`), in percentage points."""
    trend = report.trend
    if trend is None or not trend.points or not trend.previous:
        return "Chưa có số liệu của kỳ trước để so sánh."
    now, then = trend.points[-1].rate, trend.previous[-1].rate
    if now is None or then is None:
        return "Chưa có số liệu của kỳ trước để so sánh."
    before = period_phrase(parse_period(trend.previous_period))
    return (f"So với {before} (tính đến ngày {format_date(trend.previous[-1].day)}, cùng thời điểm của kỳ), "
            f"tỷ lệ hoàn thành {change_text(now, then)} ({rate_text(then)} kỳ trước, {rate_text(now)} kỳ này).")


def _shortcomings(report: Report, urged: Mapping[str, int]) -> Sequence[Paragraph]:
    if not report.overdue:
        return [Paragraph(f"Đến ngày {format_date(report.as_of)}, không có nhiệm vụ nào quá hạn.")]
    by_unit: dict[str, list[tuple[str, int]]] = {}
    names: dict[str, str] = {}
    for row in report.overdue:  # most days late first: the units come in that order too
        by_unit.setdefault(row.unit, []).append((row.task, row.days_late))
        names[row.unit] = row.unit_name
    lines = [Paragraph(f"Còn {count(len(report.overdue))} lượt nhiệm vụ quá hạn của {count(len(by_unit))} cơ quan, "
                       "đơn vị (quá hạn lâu nhất trước):")]
    for unit, found in list(by_unit.items())[:LISTED_UNITS]:
        tasks = ", ".join(dict.fromkeys(task for task, _ in found))
        text = (f"- {names[unit]}: {count(len(found))} lượt quá hạn, lâu nhất {count(found[0][1])} ngày "
                f"(nhiệm vụ {tasks})")
        if urged.get(unit):
            text += f"; đã đôn đốc {urged[unit]} lần"
        lines.append(Paragraph(text + ";"))
    if len(by_unit) > LISTED_UNITS:
        lines.append(Paragraph(f"- Và {count(len(by_unit) - LISTED_UNITS)} cơ quan, đơn vị khác (chi tiết tại Phụ "
                               "lục)."))
    else:
        last = lines[-1]
        lines[-1] = last._replace(text=last.text[:-1] + ".")
    return lines
