"""A plan written as plan.yaml writes it: the same keys in the same order, so the plan reader reads an
imported plan exactly as the shipped one, and a person editing it finds every field where it always is."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from kehoach.domain.model import Cadence, LegalBasis, MonthDay, ReportHeader


def who_entry(phrase: str, role: str, refs: Sequence[str]) -> dict[str, Any]:
    return {"phrase": phrase, "role": role, "refs": list(refs)}


def task_entry(task_id: str, section: str, content: str, responsibility: str, time: str | None, cadence: str,
               due: dict[str, MonthDay], who: list[dict[str, Any]], note: str | None) -> dict[str, Any]:
    entry: dict[str, Any] = {"id": task_id, "section": section, "content": content,
                             "responsibility": responsibility, "time": time, "cadence": cadence}
    if due:
        entry["due"] = {kind: str(day) for kind, day in sorted(due.items())}
    entry["who"] = who
    if note:
        entry["note"] = note
    return entry


def cadence_entry(cadence: Cadence) -> dict[str, Any]:
    periods = []
    for rule in cadence.periods:
        period: dict[str, Any] = {"kind": rule.kind, "starts": str(rule.starts)}
        if rule.starts_previous_year:
            period["starts_previous_year"] = True
        period["due"] = str(rule.due)
        periods.append(period)
    return {"id": cadence.id, "label": cadence.label, "periods": periods}


def plan_entry(*, plan_id: str, title: str, issuer: str, preamble: str, legal_bases: Sequence[LegalBasis],
               purposes: Sequence[str], requirements: Sequence[str], tracking_start: dt.date,
               number: str | None, issued_on: dt.date | None, subject: str | None, report: ReportHeader,
               cadences: Sequence[Cadence], tasks: list[dict[str, Any]], note: str | None) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "id": plan_id, "title": title, "issuer": issuer, "preamble": preamble,
        "legal_bases": [{"kind": b.kind, "number": b.number, "date": b.date, "title": b.title} for b in legal_bases],
        "purposes": list(purposes), "requirements": list(requirements), "tracking_start": tracking_start,
        "number": number, "issued_on": issued_on, "subject": subject,
        "report": {"parent_agency": report.parent_agency, "agency": report.agency,
                   "agency_short": report.agency_short, "place": report.place},
        "cadences": [cadence_entry(c) for c in cadences],
        "tasks": tasks,
    }
    if note:
        entry["note"] = note
    return entry


def plan_text(entry: dict[str, Any], heading: str) -> str:
    from kehoach.store.yamlio import dump_in_order

    comment = "".join(f"# {line}\n" for line in heading.splitlines())
    return comment + dump_in_order(entry)
