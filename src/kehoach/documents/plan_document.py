"""A plan read from its document's blocks: the header (agency, number, place and date), the title, the
legal bases, purposes and requirements, the sections, and every task row of its task table — verbatim.

The task table is found by its header row (STT / Nhiệm vụ or Nội dung / Trách nhiệm thực hiện, or Cơ quan
chủ trì and Cơ quan phối hợp / Thời gian … / Sản phẩm / Ghi chú). Below it: a header row repeated on each
page and the row of column numbers are skipped, empty rows too; a row spanning the table ("I. CÔNG TÁC
CHỈ ĐẠO") opens a section; a row with no number carries on the row above (a row split across pages); a
numbered row with no one responsible whose next rows are numbered under it ("1" before "1.1" or "a)")
is a heading, not a task. Numbered paragraphs of the section "TỔ CHỨC THỰC HIỆN" are tasks too: the
agency they open with is responsible.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, NamedTuple

from kehoach.documents.blocks import DocumentError, Paragraph, RawDocument, Row, Table
from kehoach.domain.model import LegalBasis
from kehoach.domain.text import fold


class TaskRow(NamedTuple):
    number: str
    """As the document prints it: "1", "1.1", "a)"."""
    task_id: str
    section: str
    content: str
    responsibility: str
    lead: str | None
    """The "Cơ quan chủ trì" column, where the table has one (then `responsibility` joins both columns)."""
    partners: str | None
    time: str | None
    product: str | None
    note: str | None
    where: str


class Section(NamedTuple):
    number: str
    title: str
    where: str


class PlanDocument(NamedTuple):
    shown: str
    parent_agency: str | None
    agency: str | None
    number: str | None
    place: str | None
    issued_on: dt.date | None
    title: str
    issuer: str | None
    preamble: str
    legal_bases: tuple[LegalBasis, ...]
    purposes: tuple[str, ...]
    requirements: tuple[str, ...]
    sections: tuple[Section, ...]
    tasks: tuple[TaskRow, ...]
    footnotes: tuple[str, ...]
    renumbered: bool = False
    """The document's numbers repeat (and no section tells them apart): tasks are numbered 1, 2, 3…"""


# Header cells, folded: the first pattern a cell matches names its column.
_COLUMNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("number", re.compile(r"^(?:stt|tt|so tt|so thu tu)$")),
    ("lead", re.compile(r"chu tri")),
    ("partners", re.compile(r"phoi hop")),
    ("time", re.compile(r"thoi gian|thoi han|tien do|han hoan thanh")),
    ("product", re.compile(r"san pham|ket qua")),
    ("note", re.compile(r"ghi chu")),
    ("responsibility", re.compile(r"trach nhiem|(?:co quan|don vi)(?: thuc hien| chiu trach nhiem)?$|phan cong")),
    ("content", re.compile(r"nhiem vu|noi dung|cong viec|hoat dong|giai phap")),
)
_SUB_HEADER = re.compile(r"(?:(?:co quan|don vi)\s+)?(chu tri|phoi hop)(?:\s+thuc hien)?")
_ROMAN = re.compile(r"^([IVXL]+)\s*[.:]?\s*(.*)$", re.S)
_ROMAN_ONLY = re.compile(r"^[IVXL]+$")
_NUMBERED = re.compile(r"^(\d+(?:\.\d+)*)\s*[.)]\s*(.+)$", re.S)
_LETTERED = re.compile(r"^([a-zđ])\)\s*(.+)$", re.S)
_BULLET = re.compile(r"^[-–+•*]\s*")
_DOC_NUMBER = re.compile(r"\bSố\s*[:.]\s*(\d+[^\s,;]*)")
_MOTTO = re.compile(r"CỘNG H(?:ÒA|OÀ) XÃ HỘI CHỦ NGHĨA(?: VIỆT NAM)?|Độc lập\s*[-–]\s*Tự do\s*[-–]\s*Hạnh phúc",
                    re.I)
_PLACE_DATE = re.compile(
    r"^(?P<place>[^,]{2,60}),\s*ngày\s+(?P<d>\d{1,2})\s+tháng\s+(?P<m>\d{1,2})\s+năm\s+(?P<y>\d{4})")
_LEGAL_KINDS = ("Luật", "Bộ luật", "Nghị định", "Nghị quyết", "Quyết định", "Chỉ thị", "Thông tư liên tịch",
                "Thông tư", "Công văn", "Kế hoạch", "Thông báo", "Hướng dẫn", "Chương trình", "Đề án", "Kết luận")
_LEGAL = re.compile(
    r"(?P<kind>" + "|".join(sorted(_LEGAL_KINDS, key=len, reverse=True)) + r")\s+số\s+"
    r"(?P<number>\d+(?:/\d{4})?/[0-9A-Za-zĐđ]+(?:-[0-9A-Za-zĐđ]+)*)"
    r"(?:\s+ngày\s+(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>\d{4}))?"
    r"(?=(?P<rest>[^;]*))")
_LEGAL_TITLE = re.compile(
    r"^(?:\s+của\s+(?:(?!\s(?:về|hướng dẫn)\s).){1,80}?)?\s+((?:về|hướng dẫn)\s.+?)\s*(?:\.(?:\s|$)|$)")
_DOER_VERBS = ("có trách nhiệm", "chịu trách nhiệm", "hướng dẫn", "chỉ đạo", "tổ chức", "theo dõi", "kiểm tra",
               "thực hiện", "triển khai", "tham mưu", "bố trí", "xây dựng", "báo cáo", "đôn đốc")


def read_plan_document(document: RawDocument) -> PlanDocument:
    shown = document.shown
    blocks = list(document.blocks)
    tables = [b for b in blocks if isinstance(b, Table)]
    if not tables:
        raise DocumentError(f"{shown}: không tìm thấy bảng nhiệm vụ trong văn bản (cần một bảng có các cột STT, "
                            "Nhiệm vụ hoặc Nội dung, Trách nhiệm thực hiện, Thời gian). Nếu văn bản chép từ Word, "
                            "hãy chép cả bảng, hoặc nhập thẳng tệp .docx")
    paragraphs: list[Paragraph] = []
    task_rows: list[_Row] = []
    columns: dict[str, int] | None = None
    header_key: tuple[str, ...] | None = None
    found_header = False
    section = ""
    for block in blocks:
        if isinstance(block, Paragraph):
            paragraphs.append(block)
            roman = _ROMAN.match(block.text)
            if roman and _ROMAN_ONLY.match(roman.group(1)) and roman.group(2).strip():
                section = roman.group(1)
            continue
        start = 0
        if columns is None or not _continues_table(block, columns):
            found = _find_header(block)
            if found is None:
                if not found_header:
                    # The header block of an official letter (agency | motto) is laid out as a table.
                    paragraphs.extend(Paragraph(line.strip(), row.where) for row in block.rows for cell in row.cells
                                      for line in cell.split("\n") if line.strip())
                continue
            start, columns = found
            header_key = tuple(fold(c) for c in block.rows[start].cells)
            start += 1
            if start < len(block.rows) and _sub_header(block.rows[start], block.rows[start - 1], columns):
                start += 1
            found_header = True
        assert columns is not None
        for row in block.rows[start:]:
            if _skipped(row, header_key):
                continue
            task_rows.append(_Row(row, columns, section))
    if not found_header:
        raise DocumentError(f"{shown}: có bảng nhưng không nhận ra dòng tiêu đề của bảng nhiệm vụ ({tables[0].where}). "
                            "Dòng đầu bảng cần có các cột như: STT | Nhiệm vụ (hoặc Nội dung) | Trách nhiệm thực "
                            "hiện (hoặc Cơ quan chủ trì, Cơ quan phối hợp) | Thời gian thực hiện")
    tasks, table_sections, renumbered = _tasks(task_rows)
    header, after_title = _header(paragraphs)
    text_sections, purposes, requirements, paragraph_tasks = _body(paragraphs, after_title)
    tasks = _with_paragraph_tasks(tasks, paragraph_tasks)
    if not tasks:
        raise DocumentError(f"{shown}: bảng nhiệm vụ không có dòng nhiệm vụ nào ({tables[0].where})")
    sources = [header["preamble"], *(t.content for t in tasks), *(p.text for p in paragraphs[after_title:])]
    return PlanDocument(
        shown=shown, **header, legal_bases=legal_bases(sources), purposes=purposes, requirements=requirements,
        sections=(*text_sections, *table_sections), tasks=tuple(tasks), footnotes=document.footnotes,
        renumbered=renumbered)


class _Row(NamedTuple):
    row: Row
    columns: dict[str, int]
    section: str

    def cell(self, key: str) -> str:
        index = self.columns.get(key)
        if index is None or index >= len(self.row.cells):
            return ""
        return self.row.cells[index].strip()

    @property
    def text(self) -> str:
        return " ".join(c.strip() for c in self.row.cells if c.strip())


def _find_header(table: Table) -> tuple[int, dict[str, int]] | None:
    for index, row in enumerate(table.rows[:4]):
        columns: dict[str, int] = {}
        for position, cell in enumerate(row.cells):
            folded = fold(cell).strip(" .:")
            if not folded:
                continue
            for key, pattern in _COLUMNS:
                if key not in columns and pattern.search(folded):
                    columns[key] = position
                    break
        if "content" in columns and ({"responsibility", "lead", "time", "number"} & set(columns)):
            return index, columns
    return None


def _sub_header(row: Row, header: Row, columns: dict[str, int]) -> bool:
    """A second header row under a merged "Cơ quan thực hiện": "Chủ trì" | "Phối hợp" (the cells merged
    down from the first row read again as themselves). Its columns join `columns`; the merged cell's
    column is then the lead's, not a responsibility column of its own."""
    found: dict[str, int] = {}
    for position, cell in enumerate(row.cells):
        folded = fold(cell).strip(" .:")
        above = header.cells[position] if position < len(header.cells) else ""
        if not folded or fold(above) == fold(cell):
            continue
        found_key = _SUB_HEADER.fullmatch(folded)
        key = None if found_key is None else "lead" if found_key.group(1) == "chu tri" else "partners"
        if key is None:
            return False
        found[key] = position
    if not found:
        return False
    if columns.get("responsibility") in found.values():
        del columns["responsibility"]
    columns.update(found)
    return True


def _continues_table(table: Table, columns: dict[str, int]) -> bool:
    """A table with no header of its own right after the task table, as wide: the same table, broken (by
    a page in a PDF, by a paragraph in Word)."""
    return _find_header(table) is None and bool(table.rows) and len(table.rows[0].cells) > max(columns.values())


def _skipped(row: Row, header_key: tuple[str, ...] | None) -> bool:
    cells = [c.strip() for c in row.cells]
    if not any(cells):
        return True
    if row.header or tuple(fold(c) for c in row.cells) == header_key:
        return True
    filled = [c for c in cells if c]
    # The row of column numbers under the header: (1) (2) (3) or 1 2 3.
    return len(filled) > 1 and all(re.fullmatch(rf"\(?{i}\)?", c) for i, c in enumerate(filled, start=1))


def _number(text: str) -> str:
    return text.strip().rstrip(".").strip()


def _tasks(rows: list[_Row]) -> tuple[list[TaskRow], list[Section], bool]:
    sections: list[Section] = []
    pending: list[dict[str, str]] = []
    current_section: str | None = None
    for item in rows:
        number = _number(item.cell("number")) if "number" in item.columns else ""
        content = item.cell("content")
        responsible = item.cell("responsibility") or item.cell("lead") or item.cell("partners")
        time = item.cell("time")
        group = item.row.spans_all or (
            (_ROMAN_ONLY.match(number) or re.fullmatch(r"[A-ZĐ]", number)) and not responsible and not time) or (
            not number and content and not responsible and not time and content.upper() == content)
        if group:
            text = item.text if item.row.spans_all or not number else f"{number}. {content}"
            roman = _ROMAN.match(text)
            if roman and _ROMAN_ONLY.match(roman.group(1)):
                current_section = roman.group(1)
                sections.append(Section(roman.group(1), roman.group(2).strip(" .:"), item.row.where))
            else:
                lettered = re.match(r"^([A-ZĐ])\s*[.:)]?\s+(.+)$", text, re.S)
                sections.append(Section(lettered.group(1), lettered.group(2).strip(" .:"), item.row.where)
                                if lettered else Section("", text, item.row.where))
            continue
        if not number and pending:
            last = pending[-1]
            for key in ("content", "responsibility", "lead", "partners", "time", "product", "note"):
                extra = item.cell(key)
                if extra:
                    last[key] = f"{last[key]} {extra}".strip()
            continue
        if not content:
            continue
        pending.append({"number": number, "content": content, "responsibility": item.cell("responsibility"),
                        "lead": item.cell("lead"), "partners": item.cell("partners"), "time": time,
                        "product": item.cell("product"), "note": item.cell("note"), "where": item.row.where,
                        "section": current_section or item.section, "lead_column": str("lead" in item.columns)})
    tasks: list[TaskRow] = []
    ids, renumbered = _ids(pending)
    for index, row in enumerate(pending):
        following = pending[index + 1]["number"] if index + 1 < len(pending) else ""
        has_one = row["responsibility"] or row["lead"] or row["partners"]
        if not has_one and not row["time"] and _is_parent(row["number"], following):
            sections.append(Section(row["number"], row["content"], row["where"]))
            continue
        lead, partners = row["lead"] or None, row["partners"] or None
        responsibility = row["responsibility"]
        if not responsibility and (lead or partners):
            parts = [f"Chủ trì: {lead}" if lead else "", f"Phối hợp: {partners}" if partners else ""]
            responsibility = "; ".join(p for p in parts if p)
        tasks.append(TaskRow(row["number"], ids[index], row["section"], row["content"], responsibility,
                             lead, partners, row["time"] or None, row["product"] or None, row["note"] or None,
                             row["where"]))
    return tasks, sections, renumbered


def _is_parent(number: str, following: str) -> bool:
    child = _number(following).rstrip(")")
    return bool(number) and (child.startswith(number + ".") or bool(re.fullmatch(r"[a-zđ]\)?", following.strip())))


def _ids(rows: list[dict[str, str]]) -> tuple[list[str], bool]:
    """Ids plan.yaml accepts: the document's own numbers ("1", "1.1"; "a)" under 1 is "1.a"), prefixed with
    the section ("II.1") where numbering starts again in each section."""
    plain: list[str] = []
    parent = ""
    for row in rows:
        number = row["number"].rstrip(")").strip()
        if re.fullmatch(r"\d+(?:\.\d+)*", number):
            parent = number
            plain.append(number)
        elif re.fullmatch(r"[a-zđ]", number) and parent:
            plain.append(f"{parent}.{'d' if number == 'đ' else number}")
        else:
            plain.append("")
    if len(set(plain)) != len(plain) or "" in plain:
        prefixed = [f"{row['section']}.{p}" if row["section"] and p else p for row, p in zip(rows, plain, strict=True)]
        if "" not in prefixed and len(set(prefixed)) == len(prefixed):
            return prefixed, False
        return [str(i) for i in range(1, len(rows) + 1)], True
    return plain, False


def _header(paragraphs: list[Paragraph]) -> tuple[dict[str, Any], int]:
    """The fields of PlanDocument the header, title and preamble give, and the index of the first
    paragraph after the preamble."""
    title_at = next((i for i, p in enumerate(paragraphs) if fold(p.text).startswith("ke hoach")
                     and p.text.upper() == p.text), None)
    number, place, issued_on, agency_lines = _letterhead([p.text for p in paragraphs[:title_at or 0]])
    parent_agency, agency = _agencies(agency_lines)
    title = ""
    index = 0 if title_at is None else title_at
    if title_at is not None:
        parts = [paragraphs[title_at].text]
        index = title_at + 1
        # "KẾ HOẠCH" alone is followed by what it is about, in capitals or written as a sentence.
        while index < len(paragraphs) and (paragraphs[index].text.upper() == paragraphs[index].text or (
                index == title_at + 1 and fold(parts[0]) == "ke hoach")) \
                and not _is_heading(paragraphs[index].text) and not (
                    paragraphs[index].text.upper() != paragraphs[index].text
                    and fold(paragraphs[index].text).startswith(("can cu", "thuc hien"))):
            parts.append(paragraphs[index].text)
            index += 1
        title = " ".join(" ".join(parts).split())
    preamble: list[str] = []
    while index < len(paragraphs) and not _is_heading(paragraphs[index].text):
        preamble.append(paragraphs[index].text)
        index += 1
    text = "\n".join(preamble)
    issuer_match = re.search(r"(?:^|[;:,.]\s*)([^;:,.]{3,80}?)\s+ban hành\s+(?:Kế hoạch|kế hoạch)", text)
    issuer = issuer_match.group(1).strip() if issuer_match else None
    if issuer is None and agency:
        issuer = agency
    fields = {"parent_agency": parent_agency, "agency": agency, "number": number, "place": place,
              "issued_on": issued_on, "title": title, "issuer": issuer, "preamble": text}
    return fields, index


def _letterhead(lines: list[str]) -> tuple[str | None, str | None, dt.date | None, list[str]]:
    """The number, place, date and agency lines of the block above the title. Its two columns (agency
    and number | motto and place-date) come one a paragraph from Word, but side by side on one line
    from a PDF, and a long date wraps: the motto and the number are taken out of each line first."""
    number: str | None = None
    place: str | None = None
    issued_on: dt.date | None = None
    cleaned: list[str] = []
    motto_open = False
    for text in lines:
        if motto_open and text.rstrip().upper().endswith("VIỆT NAM"):
            text = text.rstrip()[:-len("VIỆT NAM")]
        motto_open = any(m.group().upper().endswith("NGHĨA") for m in _MOTTO.finditer(text))
        text = _MOTTO.sub(" ", text)
        found = _DOC_NUMBER.search(text)
        if found:
            number = found.group(1)
            text = text[:found.start()] + " " + text[found.end():]
        cleaned.append(" ".join(text.split()))
    used: set[int] = set()
    for index, text in enumerate(cleaned):
        following = cleaned[index + 1] if index + 1 < len(cleaned) else ""
        found = _PLACE_DATE.match(f"{text} {following}".strip())
        if found and place is None:
            place = found.group("place").strip()
            try:
                issued_on = dt.date(int(found.group("y")), int(found.group("m")), int(found.group("d")))
            except ValueError:
                issued_on = None
            used.add(index)
            if found.end() > len(text):
                used.add(index + 1)
    agency_lines = [text for index, text in enumerate(cleaned) if index not in used and text.strip("-_* ")
                    and text.upper() == text and any(ch.isalpha() for ch in text)]
    return number, place, issued_on, agency_lines


def _agencies(lines: list[str]) -> tuple[str | None, str | None]:
    """ "UBND TỈNH THANH HÓA" / "SỞ TƯ PHÁP" is a parent and its agency; "ỦY BAN NHÂN DÂN" / "TỈNH THANH
    HÓA" is one agency written on two lines."""
    if not lines:
        return None, None
    if len(lines) >= 2 and fold(lines[-1]).startswith(("tinh ", "huyen ", "thanh pho ", "xa ", "phuong ", "thi xa ")):
        return (lines[-3] if len(lines) >= 3 else None), f"{lines[-2]} {lines[-1]}"
    return (lines[-2] if len(lines) >= 2 else None), lines[-1]


def _is_heading(text: str) -> bool:
    roman = _ROMAN.match(text)
    return bool(roman and _ROMAN_ONLY.match(roman.group(1)) and roman.group(2)[:1] in ". " or
                re.match(r"^[IVX]+\s*\.", text))


def _body(paragraphs: list[Paragraph], start: int,
          ) -> tuple[list[Section], tuple[str, ...], tuple[str, ...], list[TaskRow]]:
    sections: list[Section] = []
    purposes: list[str] = []
    requirements: list[str] = []
    tasks: list[TaskRow] = []
    roman = ""
    roman_title = ""
    sub = ""
    for paragraph in paragraphs[start:]:
        text = paragraph.text
        heading = re.match(r"^([IVX]+)\s*\.\s*(.+)$", text)
        if heading:
            roman, roman_title, sub = heading.group(1), heading.group(2).strip(), ""
            sections.append(Section(roman, roman_title, paragraph.where))
            continue
        numbered = _NUMBERED.match(text)
        folded_title = fold(roman_title)
        if numbered and "to chuc thuc hien" in folded_title:
            content = re.sub(r"\s*/\.\s*$", "", numbered.group(2).strip())
            responsibility = _doer(content)
            if responsibility:
                tasks.append(TaskRow(numbered.group(1), f"{roman}.{numbered.group(1)}", roman, content,
                                     responsibility, None, None, None, None, None, paragraph.where))
            continue
        if numbered and len(numbered.group(2)) <= 120 and not _BULLET.match(text):
            sub = fold(numbered.group(2))
            sections.append(Section(numbered.group(1), numbered.group(2).strip(), paragraph.where))
            continue
        lettered = _LETTERED.match(text)
        if lettered and len(lettered.group(2)) <= 120:
            sections.append(Section(f"{lettered.group(1)})", lettered.group(2).strip(), paragraph.where))
            continue
        item = _BULLET.sub("", text).strip()
        if "muc dich" in folded_title or "yeu cau" in folded_title:
            if sub.startswith("muc dich") or (not sub and "yeu cau" not in folded_title):
                purposes.append(item)
            elif sub.startswith("yeu cau") or "muc dich" not in folded_title:
                requirements.append(item)
    return sections, tuple(purposes), tuple(requirements), tasks


def _doer(content: str) -> str | None:
    """Who a paragraph of "Tổ chức thực hiện" gives the work to: the words before its first verb."""
    body = re.sub(r"^Giao\s+", "", content)
    folded = fold(body)
    cut = min((m.start() for verb in _DOER_VERBS for m in re.finditer(rf"\s{re.escape(fold(verb))}\b", folded)),
              default=None)
    if cut is None or cut == 0:
        return None
    return body[:cut].strip(" ,")


def _with_paragraph_tasks(tasks: list[TaskRow], paragraph_tasks: list[TaskRow]) -> list[TaskRow]:
    taken = {t.task_id for t in tasks}
    return tasks + [t for t in paragraph_tasks if t.task_id not in taken]


def legal_bases(texts: list[str]) -> tuple[LegalBasis, ...]:
    """Every document cited by kind and number ("Nghị định số 63/2010/NĐ-CP"), once, in the order first
    cited, with its date and title where the citation gives them."""
    found: dict[str, LegalBasis] = {}
    for text in texts:
        # A citation may run over a line break (a PDF's lines, a cell's paragraphs): one line each.
        for match in _LEGAL.finditer(" ".join(text.split())):
            number = match.group("number")
            if number in found:
                continue
            date = None
            if match.group("y"):
                try:
                    date = dt.date(int(match.group("y")), int(match.group("m")), int(match.group("d")))
                except ValueError:
                    date = None
            title_match = _LEGAL_TITLE.match(match.group("rest"))
            title = title_match.group(1).strip() if title_match else None
            found[number] = LegalBasis(match.group("kind"), number, date, title)
    return tuple(found.values())
