"""An office's own report template, `data/templates/bao-cao.docx`: a Word file with Jinja placeholders
(docxtpl), filled with the same texts kehoach's layout prints.

Placeholders: {{ co_quan_chu_quan }}, {{ co_quan }} (upper case, as in the header), {{ ten_co_quan }}
(as a sentence names it), {{ so }} ("Số:      /BC-STP"), {{ dia_danh_ngay }}, {{ trich_yeu }},
{{ doan }} (the body's paragraphs: each has .noi_dung and .loai: body, heading, subheading, draft,
basis, table:by_task…), {{ bang }} (the tables by_task, by_group, by_unit: .tieu_de, .dong),
{{ ket_luan }}, {{ nguoi_ky }} (.tham_quyen, .chuc_vu, .ho_ten), {{ noi_nhan }}, {{ luu }},
{{ phu_luc_tieu_de }}, {{ phu_luc_ghi_chu }}. A placeholder kehoach does not know is an error, never
an empty space in a signed document.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from kehoach.domain.text import visible
from kehoach.errors import DataFileError, Problem
from kehoach.render.official import place_and_date
from kehoach.store.layout import display_path
from kehoach.store.office import Office
from kehoach.word.report_text import ReportText

_UNDEFINED = re.compile(r"'([^']+)' is undefined")


def context(text: ReportText, office: Office) -> dict[str, Any]:
    return {
        "co_quan_chu_quan": office.parent_agency.upper(),
        "co_quan": office.agency.upper(),
        "ten_co_quan": office.agency_name,
        "so": f"Số:      /{text.symbol}",
        "dia_danh_ngay": place_and_date(office.place, text.day),
        "trich_yeu": text.subject,
        "doan": [{"loai": p.kind, "noi_dung": visible(p.text)} for p in text.paragraphs],
        "bang": {name: {"tieu_de": list(table.headings), "dong": [[visible(c) for c in row] for row in table.rows]}
                 for name, table in text.tables.items()},
        "ket_luan": text.closing,
        "nguoi_ky": {"tham_quyen": office.signer.authority, "chuc_vu": office.signer.title,
                     "ho_ten": office.signer.name},
        "noi_nhan": list(office.report_recipients),
        "luu": f"Lưu: {office.archive}.",
        "phu_luc_tieu_de": text.appendix_title,
        "phu_luc_ghi_chu": text.appendix_note,
    }


def render_template(path: Path, text: ReportText, office: Office) -> Any:
    """The template filled in (a docxtpl document, saved like any other); a broken template or an unknown
    placeholder is a located error."""
    import jinja2
    from docxtpl import DocxTemplate

    shown = display_path(path)
    try:
        document = DocxTemplate(str(path))
        document.render(context(text, office), jinja2.Environment(undefined=jinja2.StrictUndefined))
    except jinja2.UndefinedError as exc:
        found = _UNDEFINED.search(str(exc))
        name = found.group(1) if found else str(exc)
        known = ", ".join(context(text, office))
        raise DataFileError(Problem(shown, 0, 0, f"mẫu có chỗ điền «{name}» mà kehoach không biết; các chỗ điền "
                                                 f"dùng được: {known}")) from None
    except jinja2.TemplateSyntaxError as exc:
        raise DataFileError(Problem(shown, 0, 0, f"mẫu viết sai cú pháp chỗ điền {{{{ … }}}} hoặc {{% … %}} "
                                                 f"({exc.message})")) from None
    except Exception as exc:  # noqa: BLE001 - a file Word cannot open either: say so, never a traceback
        raise DataFileError(Problem(shown, 0, 0, f"không mở được mẫu Word ({type(exc).__name__})")) from None
    return document
