"""`kehoach plan import FILE`: a plan read from the document that announced it, written as
data/plans/NAME.yaml in plan.yaml's schema — one commit naming the document and its SHA-256 — with what
a person should look at again (names matched only approximately, names not found, time texts not read).

The YAML is read back by the plan reader before anything is written, so an imported plan is one every
command accepts; a document that cannot be read, or a name already taken, writes nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from pathlib import Path
from typing import Any, NamedTuple

from kehoach.commands.init import default_data_file
from kehoach.commands.record import Outcome, commit_files
from kehoach.documents.blocks import DocumentError
from kehoach.documents.opening import open_document
from kehoach.documents.plan_document import PlanDocument, TaskRow, read_plan_document
from kehoach.domain.model import Cadence, MonthDay, PeriodRule, Plan, ReportHeader
from kehoach.domain.periods import format_date
from kehoach.domain.registry import Registry
from kehoach.domain.responsibility_text import ReadPhrase, UnitNames, read_responsibility
from kehoach.domain.text import slug
from kehoach.domain.time_text import CADENCE_LABELS, MONTHLY, TimeReading, content_cadence, read_time
from kehoach.errors import DataFileError, InputError
from kehoach.git.run import Author
from kehoach.render.rows import Column, Table
from kehoach.store.layout import PLAN_NAME, display_path, plan_path
from kehoach.store.plan_writer import plan_entry, plan_text, task_entry, who_entry
from kehoach.store.tracker import PLAN_FILE, UNITS_FILE, Tracker

TRAILER_DOCUMENT = "Van-ban-goc"
TRAILER_SHA256 = "Van-ban-goc-SHA256"


class Review(NamedTuple):
    """One thing a person should look at again: where, what the document says, why."""

    task: str
    where: str
    text: str
    reason: str

    def as_json(self) -> dict[str, str]:
        return self._asdict()


class ImportedPlan(NamedTuple):
    name: str
    document: PlanDocument
    sha256: str
    text: str
    """The plan as YAML, as it is (or would be) written."""
    phrases: int
    resolved: int
    units: tuple[str, ...]
    """The units and groups the plan names, each once."""
    fuzzy: tuple[Review, ...]
    unresolved: tuple[Review, ...]
    times: tuple[Review, ...]
    others: tuple[Review, ...]

    def as_json(self) -> dict[str, Any]:
        doc = self.document
        return {
            "name": self.name, "document": doc.shown, "sha256": self.sha256, "title": doc.title,
            "number": doc.number, "issued_on": doc.issued_on.isoformat() if doc.issued_on else None,
            "issuer": doc.issuer, "agency": doc.agency, "parent_agency": doc.parent_agency, "place": doc.place,
            "tasks": len(doc.tasks), "phrases": self.phrases, "phrases_resolved": self.resolved,
            "units": list(self.units), "legal_bases": len(doc.legal_bases),
            "sections": [{"number": s.number, "title": s.title, "where": s.where} for s in doc.sections],
            "fuzzy_matches": [r.as_json() for r in self.fuzzy],
            "unresolved_phrases": [r.as_json() for r in self.unresolved],
            "time_texts": [r.as_json() for r in self.times],
            "other": [r.as_json() for r in self.others],
        }


class ImportResult(NamedTuple):
    plan: ImportedPlan
    path: Path
    outcome: Outcome | None
    """None on a dry run."""


def read_plan_file(path: Path, name: str | None, registry: Registry, report: ReportHeader | None,
                   cadences: dict[str, Cadence], today: dt.date) -> ImportedPlan:
    """The document at `path` as an imported plan (not written). `report` and `cadences` come from the
    tracker's plan: who reports and how its periods fall are the office's, not the document's."""
    shown = display_path(path)
    document = read_plan_document(open_document(path, shown))
    raw = path.read_bytes()
    sha256 = hashlib.sha256(raw).hexdigest()
    chosen = plan_name(name, document)
    fuzzy: list[Review] = []
    unresolved: list[Review] = []
    times: list[Review] = []
    others: list[Review] = []
    tasks = []
    used: dict[str, None] = {}
    phrase_count = resolved_count = 0
    refs: dict[str, None] = {}
    names = UnitNames(registry)
    for row in document.tasks:
        phrases = read_responsibility(row.responsibility, names) if row.responsibility else []
        reading = read_time(row.time)
        phrase_count += len(phrases)
        resolved_count += sum(1 for p in phrases if p.resolved)
        for phrase in phrases:
            refs.update(dict.fromkeys(phrase.refs))
            if not phrase.resolved:
                unresolved.append(Review(row.task_id, row.where, phrase.phrase,
                                         "không tìm thấy đơn vị hay nhóm này trong danh sách đơn vị"))
            for match in phrase.matches:
                if match.fuzzy:
                    fuzzy.append(Review(row.task_id, row.where, match.said,
                                        f"gần đúng với «{match.known_as}» ({match.ref})"))
        if not phrases:
            # plan.yaml needs someone responsible for every task; guessing one would be worse than asking.
            raise DocumentError(f"{shown}, {row.where}: nhiệm vụ {row.number or row.task_id} không ghi trách nhiệm "
                                "thực hiện (cột «Trách nhiệm thực hiện» hoặc «Cơ quan chủ trì» trống). Hãy điền "
                                "vào văn bản rồi nhập lại")
        if reading.needs_look:
            times.append(Review(row.task_id, row.where, row.time or "", reading.needs_look))
        said = content_cadence(row.content)
        if said is not None and said != reading.cadence:
            others.append(Review(row.task_id, row.where, row.time or "",
                                 f"nội dung ghi «{CADENCE_LABELS[said]}» nhưng thời gian đọc được là "
                                 f"«{CADENCE_LABELS[reading.cadence]}»"))
        used[reading.cadence] = None
        tasks.append(_task(row, phrases, reading, document.renumbered))
    if document.renumbered:
        others.append(Review("", "", "", "số thứ tự nhiệm vụ trong văn bản lặp lại nên mã nhiệm vụ được đánh lại "
                                         "1, 2, 3…; số in trong văn bản ghi ở ghi chú của từng nhiệm vụ"))
    if not document.issuer:
        others.append(Review("", "", "", "không xác định được cơ quan ban hành; điền trường issuer"))
    entry = plan_entry(
        plan_id=chosen, title=document.title or document.shown, issuer=document.issuer or "Chưa xác định",
        preamble=document.preamble, legal_bases=document.legal_bases, purposes=document.purposes,
        requirements=document.requirements, tracking_start=_tracking_start(document, today),
        number=document.number if document.number and _valid_number(document.number) else None,
        issued_on=document.issued_on if document.issued_on and document.issued_on <= today else None,
        subject=_subject(document.title), report=report,
        cadences=[_cadence(cid, cadences) for cid in CADENCE_LABELS if cid in used], tasks=tasks,
        note=_footnotes(document.footnotes))
    heading = (f"Nhập từ văn bản {Path(document.shown).name} (SHA-256 {sha256}) bằng kehoach plan import.\n"
               "Nội dung, trách nhiệm, thời gian chép nguyên văn; xem lại các mục kehoach báo «cần xem lại».")
    text = plan_text(entry, heading)
    _check_readable(text, chosen, registry)
    return ImportedPlan(chosen, document, sha256, text, phrase_count, resolved_count, tuple(refs),
                        tuple(fuzzy), tuple(unresolved), tuple(times), tuple(others))


def import_plan(tracker: Tracker, path: Path, name: str | None, today: dt.date, *, dry_run: bool,
                author: Author | None) -> ImportResult:
    plan = tracker.plan
    imported = read_plan_file(path, name, tracker.registry, plan.report, plan.cadences, today)
    target = plan_path(tracker.data_dir, imported.name)
    if target.exists():
        raise InputError(f"đã có kế hoạch tên «{imported.name}» ({display_path(target)}); chọn tên khác bằng "
                         "--name", "name")
    if dry_run:
        return ImportResult(imported, target, None)

    def texts() -> dict[Path, str | None]:
        if target.exists():  # another clerk took the name while the document was read
            raise InputError(f"đã có kế hoạch tên «{imported.name}» ({display_path(target)}); chọn tên khác "
                             "bằng --name", "name")
        return {target: imported.text}

    outcome = commit_files(tracker, texts, commit_message(imported), commit=True, author=author)
    return ImportResult(imported, target, outcome)


def commit_message(imported: ImportedPlan) -> str:
    document = imported.document
    return (f"Nhập kế hoạch {imported.name} từ văn bản {Path(document.shown).name}\n\n"
            f"{len(document.tasks)} nhiệm vụ; {imported.resolved}/{imported.phrases} cụm từ trách nhiệm tìm được "
            "đơn vị.\n\n"
            f"{TRAILER_DOCUMENT}: {Path(document.shown).name}\n{TRAILER_SHA256}: {imported.sha256}\n")


def plan_name(name: str | None, document: PlanDocument) -> str:
    """--name as given (folded to a file name), else from the document's number and year ("24/KH-UBND" of
    2015 → kh-24-ubnd-2015), else from its title."""
    if name is not None:
        chosen = slug(name)
        if not PLAN_NAME.match(chosen):
            raise InputError(f"tên kế hoạch «{name}» không dùng được; tên bắt đầu bằng chữ, gồm chữ, số và "
                             "gạch nối, ví dụ kh-24-ubnd-2015", "name")
        return chosen
    if document.number:
        number, _, kind = document.number.partition("/")
        pieces = kind.split("-", 1)
        year = f"-{document.issued_on.year}" if document.issued_on else ""
        candidate = slug(f"{pieces[0]}-{number.split('/')[0]}-{pieces[1] if len(pieces) > 1 else ''}{year}")
        if PLAN_NAME.match(candidate):
            return candidate
    words = slug(re.sub(r"^\s*KẾ HOẠCH\s*", "", document.title, flags=re.I)).split("-")
    titled = "-".join(words[:8])
    # A plan name starts with a letter (status/2026/ is the first plan's year folder).
    return titled if PLAN_NAME.match(titled) else f"ke-hoach-{titled}".rstrip("-")


def _task(row: TaskRow, phrases: list[ReadPhrase], reading: TimeReading, renumbered: bool) -> dict[str, Any]:
    notes = [f"STT trong văn bản: {row.number or '(trống)'}."] if renumbered else []
    if reading.deadlines or not reading.understood:
        notes.append(f"Thời gian trong văn bản: «{row.time or ''}» ({reading.needs_look}).")
    if row.product:
        notes.append(f"Sản phẩm: {row.product}")
    if row.note:
        notes.append(f"Ghi chú: {row.note}")
    due: dict[str, MonthDay] = dict(reading.due)
    if reading.deadlines and not due:
        first = reading.deadlines[0]
        due = {"Y": MonthDay(first.month, first.day)} if reading.cadence == "hang-nam" else {}
    who = [who_entry(p.phrase, p.role, p.refs) for p in phrases]
    return task_entry(row.task_id, row.section or "I", row.content, row.responsibility,
                      row.time, reading.cadence, due, who, " ".join(notes) or None)


def _cadence(cadence_id: str, known: dict[str, Cadence]) -> Cadence:
    if cadence_id in known:
        return known[cadence_id]
    if cadence_id == MONTHLY:
        # Like the shipped cadences: a period opens on the 15th before it and is due on the 14th of its end.
        rules = tuple(PeriodRule(f"M{m:02d}", MonthDay(12 if m == 1 else m - 1, 15), m == 1, MonthDay(m, 14))
                      for m in range(1, 13))
        return Cadence(MONTHLY, CADENCE_LABELS[MONTHLY], rules)
    return shipped_definitions()[1].cadences[cadence_id]


def _tracking_start(document: PlanDocument, today: dt.date) -> dt.date:
    if document.issued_on is not None and document.issued_on <= today:
        return document.issued_on
    return dt.date(today.year, 1, 1)


def _valid_number(number: str) -> bool:
    return bool(re.fullmatch(r"\d+(/\d{4})?/[0-9A-Za-zĐđ]+(-[0-9A-Za-zĐđ]+)*", number))


def _subject(title: str) -> str | None:
    """What the plan is about, for citations — only when the title is written as a sentence is (an
    upper-case title has lost the capitals of names and numbers: a person writes it)."""
    rest = re.sub(r"^\s*KẾ HOẠCH\s*", "", title).strip()
    if not rest or rest.upper() == rest:
        return None
    return rest[0].lower() + rest[1:] if not rest.lower().startswith("về ") else None


def _footnotes(footnotes: tuple[str, ...]) -> str | None:
    if not footnotes:
        return None
    return "Chú thích cuối trang của văn bản: " + " ".join(f"({i}) {text}" for i, text in enumerate(footnotes, 1))


def read_for_init(path: Path, today: dt.date) -> tuple[str, str]:
    """The plan text and first commit message of `kehoach init DIR --plan FILE`: the document read
    against the shipped units, reported by the shipped plan's office."""
    registry, shipped = shipped_definitions()
    imported = read_plan_file(path, None, registry, shipped.report, shipped.cadences, today)
    return imported.text, "Khởi tạo bộ theo dõi kế hoạch\n\n" + commit_message(imported)


def shipped_definitions() -> tuple[Registry, Plan]:
    """The units and plan the package carries: what `kehoach init DIR --plan FILE` starts from."""
    from kehoach.store.plan_reader import read_plan, read_units
    from kehoach.store.yamlio import parse_text

    units_root, _ = parse_text(default_data_file(UNITS_FILE).decode("utf-8"), UNITS_FILE)
    units, groups, _ = read_units(units_root, UNITS_FILE)
    plan_root, _ = parse_text(default_data_file(PLAN_FILE).decode("utf-8"), PLAN_FILE)
    plan, _ = read_plan(plan_root, PLAN_FILE, set(units), set(groups))
    assert plan is not None
    return Registry(units, groups), plan


def _check_readable(text: str, name: str, registry: Registry) -> None:
    """Read back by the plan reader: what kehoach writes, every command must accept."""
    from kehoach.store.plan_reader import read_plan
    from kehoach.store.yamlio import parse_text

    shown = f"plans/{name}.yaml"
    root, problems = parse_text(text, shown)
    if not problems:
        _, problems = read_plan(root, shown, set(registry.units), set(registry.groups))
    if problems:
        raise DataFileError(*problems)


def summary_tables(imported: ImportedPlan) -> list[Table]:
    """What was read, and every row a person should look at again, with where it is in the document."""
    doc = imported.document
    facts = [
        ("Văn bản", doc.shown), ("Tên kế hoạch (--plan)", imported.name), ("Tiêu đề", doc.title),
        ("Số hiệu", doc.number or "(không có)"),
        ("Ngày ban hành", format_date(doc.issued_on) if doc.issued_on else "(không có)"),
        ("Cơ quan ban hành", doc.issuer or "(không xác định)"), ("Căn cứ", str(len(doc.legal_bases))),
        ("Nhiệm vụ đọc được", str(len(doc.tasks))),
        ("Cụm từ trách nhiệm tìm được đơn vị", f"{imported.resolved}/{imported.phrases}"),
        ("Đơn vị, nhóm được giao", str(len(imported.units))),
        ("Khớp gần đúng (cần xem lại)", str(len(imported.fuzzy))),
        ("Không tìm thấy đơn vị (cần xem lại)", str(len(imported.unresolved))),
        ("Thời gian cần xem lại", str(len(imported.times) + len(imported.others))),
    ]
    summary = Table("Kết quả đọc văn bản kế hoạch", [Column("what", "Mục"), Column("value", "Giá trị")],
                    [{"what": what, "value": value} for what, value in facts])
    rows = [{"task": r.task, "where": r.where, "text": r.text, "reason": r.reason}
            for r in (*imported.unresolved, *imported.fuzzy, *imported.times, *imported.others)]
    review = Table("Cần xem lại", [Column("task", "Nhiệm vụ"), Column("where", "Vị trí trong văn bản"),
                                   Column("text", "Văn bản ghi"), Column("reason", "Lý do")], rows)
    return [summary, review] if rows else [summary]
