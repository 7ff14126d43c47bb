"""data/office.yaml: the office that signs the Word report and the urging letters, read and checked.

The one rule for the letterhead (`letterhead`): office.yaml when the tracker has one; a tracker made
before office.yaml existed keeps the `report:` block of its plan.yaml, which then still heads its
workbooks and forms. The Word documents need the signer and recipients, so they ask for office.yaml.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from kehoach.domain.model import Plan, ReportHeader
from kehoach.errors import DataFileError, Problem
from kehoach.store.layout import OFFICE_FILE, PLAN_FILE, display_path

if TYPE_CHECKING:
    from kehoach.store.plan_reader import Reader
    from kehoach.store.yamlio import YMap

ABBREVIATION = re.compile(r"^[A-ZĐ0-9]+(?:-[A-ZĐ0-9]+)*$")
"""An abbreviation in a document symbol (STP, VP, KSTT): capitals and digits, no spaces."""
MISWRITTEN_AUTHORITY = re.compile(r"^(?:TM|KT|TL|TUQ|Q)(?:\s|\.(?! ))")
"""Nghị định 30/2020, Điều 13: signing for the head is written "KT. GIÁM ĐỐC" (TM., KT., TL., TUQ., Q. and a
space); "KT GIÁM ĐỐC" or "KT.GIÁM ĐỐC" is a slip."""

FIELDS = ("parent_agency", "agency", "agency_name", "agency_short", "drafting_unit", "place", "report_to",
          "signer", "report_recipients", "letter_recipients", "archive")
SIGNER_FIELDS = ("authority", "title", "name")
UPPER_CASE_FIELDS = ("parent_agency", "agency")


class Signer(NamedTuple):
    authority: str
    """What the signer signs as: "KT. GIÁM ĐỐC" (for the director), or "GIÁM ĐỐC" himself."""
    title: str
    """"PHÓ GIÁM ĐỐC"."""
    name: str


class Office(NamedTuple):
    parent_agency: str
    agency: str
    agency_name: str
    """The agency as a sentence names it: "Sở Tư pháp"."""
    agency_short: str
    drafting_unit: str
    place: str
    report_to: str
    """Whom the report is addressed to, as the closing sentence names them: "Chủ tịch UBND tỉnh"."""
    signer: Signer
    report_recipients: tuple[str, ...]
    letter_recipients: tuple[str, ...]
    """The urging letter's recipients after "Như trên" (the units urged)."""
    archive: str
    """The "Lưu:" line's holders: "VT, VP"."""

    @property
    def header(self) -> ReportHeader:
        return ReportHeader(self.parent_agency, self.agency, self.agency_short, self.place)

    @property
    def letter_symbol(self) -> str:
        """A công văn's symbol: the agency's abbreviation and the drafting unit's (STP-VP)."""
        return f"{self.agency_short}-{self.drafting_unit}"


def office_path(data_dir: Path) -> Path:
    return data_dir / OFFICE_FILE


def read_office(data_dir: Path) -> tuple[Office | None, list[Problem]]:
    """The profile with every problem found (file, line, field); (None, []) when there is no file."""
    from kehoach.store.yamlio import load_file

    path = office_path(data_dir)
    if not path.exists():
        return None, []
    shown = display_path(path)
    try:
        root, problems = load_file(path, shown)
    except DataFileError as exc:
        return None, list(exc.problems)
    if problems:
        return None, problems
    return parse_office(root, shown)


def parse_office(root: object, shown: str) -> tuple[Office | None, list[Problem]]:
    from kehoach.store.plan_reader import Reader
    from kehoach.store.yamlio import YMap

    reader = Reader()
    if not isinstance(root, YMap):
        reader.add((shown, 1, 1), "tệp thông tin cơ quan phải là bảng khóa-giá trị (tên trường: giá trị)")
        return None, reader.problems
    reader.nfc(root)
    reader.unknown_keys(root, FIELDS)
    texts = {key: reader.text(root, key) for key in FIELDS if key not in (
        "signer", "report_recipients", "letter_recipients")}
    for key in UPPER_CASE_FIELDS:
        value = texts[key]
        if value is not None and value != value.upper():
            reader.add(root.where(key), f"trường '{key}' phải viết hoa toàn bộ như trên văn bản: "
                                        f"'{value.upper()}'", key)
    for key in ("agency_short", "drafting_unit"):
        value = texts[key]
        if value is not None and not ABBREVIATION.fullmatch(value):
            reader.add(root.where(key), f"chữ viết tắt '{value}' ở trường '{key}' chỉ gồm chữ in hoa và số, "
                                        "không dấu cách (ví dụ: STP, VP)", key)
    signer = _signer(reader, root)
    recipients = {key: reader.strings(root, key, required=True) for key in ("report_recipients",
                                                                          "letter_recipients")}
    for key, listed in recipients.items():
        if key in root and isinstance(root[key], list) and not listed:
            reader.add(root.where(key), f"trường '{key}' cần ít nhất một nơi nhận", key)
    if reader.problems or signer is None or None in texts.values():
        return None, reader.problems
    office = Office(signer=signer, report_recipients=recipients["report_recipients"],
                    letter_recipients=recipients["letter_recipients"], **texts)  # type: ignore[arg-type]
    return office, []


def _signer(reader: Reader, root: YMap) -> Signer | None:
    item = reader.get(root, "signer", dict)
    if item is None:
        return None
    reader.unknown_keys(item, SIGNER_FIELDS)
    authority, title, name = (reader.text(item, key) for key in SIGNER_FIELDS)
    for key, value in (("authority", authority), ("title", title)):
        if value is not None and value != value.upper():
            reader.add(item.where(key), f"trường 'signer.{key}' phải viết hoa toàn bộ: '{value.upper()}'",
                       f"signer.{key}")
    if authority is not None and MISWRITTEN_AUTHORITY.match(authority):
        reader.add(item.where("authority"), "trường 'signer.authority' viết như «KT. GIÁM ĐỐC» (TM., KT., TL., "
                                            "TUQ., Q. rồi một dấu cách)", "signer.authority")
    if None in (authority, title, name):
        return None
    return Signer(authority, title, name)  # type: ignore[arg-type]


def load_office(data_dir: Path) -> Office:
    """The profile the Word documents are signed with; a missing or wrong file stops the command."""
    office, problems = read_office(data_dir)
    if problems:
        raise DataFileError(*problems)
    if office is None:
        shown = display_path(office_path(data_dir))
        raise DataFileError(Problem(shown, 0, 0, "chưa có tệp thông tin cơ quan (tên cơ quan, người ký, nơi "
                                                 "nhận) cho văn bản Word; chép tệp data/office.yaml của một bộ "
                                                 "theo dõi mới (kehoach init THƯ_MỤC) vào đây rồi sửa cho đúng"))
    return office


def letterhead(data_dir: Path, plan: Plan) -> ReportHeader:
    """The agency names atop every printed page: office.yaml's, else an old plan.yaml's `report:` block."""
    office, problems = read_office(data_dir)
    if problems:
        raise DataFileError(*problems)
    if office is not None:
        return office.header
    if plan.report is not None:
        return plan.report
    raise DataFileError(missing_letterhead(data_dir))


def missing_letterhead(data_dir: Path) -> Problem:
    return Problem(display_path(data_dir / PLAN_FILE), 1, 1,
                   f"chưa có tên cơ quan cho đầu trang báo cáo: thêm tệp {OFFICE_FILE} bên cạnh tệp kế hoạch",
                   "report")


def office_problems(data_dir: Path) -> list[Problem]:
    """What `validate` says of the profile. A tracker without one is valid data (sync shares it): only a
    printed page asks for a letterhead (`letterhead`, `load_office`)."""
    return read_office(data_dir)[1]
