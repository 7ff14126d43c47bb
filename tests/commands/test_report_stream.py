"""`report --format json` written in pieces (its slot rows streamed from the caches over several trackers)
is the JSON of the whole report, byte for byte, wherever a batch of rows ends; `--format jsonl` holds the
same document one row a line."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from kehoach.commands import report as report_command
from kehoach.commands.report import json_chunks
from kehoach.render.text import to_json
from support.cli import run_cli
from support.report_sample import AS_OF, build_sample_report
from support.trackers import copy_tracker


@pytest.mark.parametrize("batch", [1, 2, 3, 2000])
def test_json_in_pieces_is_the_json_of_the_whole_report(recorded: Path, monkeypatch: pytest.MonkeyPatch,
                                                        batch: int) -> None:
    made = build_sample_report(recorded)
    assert len(made.slots) > 3  # batches of 1, 2, 3 end inside the rows, and on the last one
    monkeypatch.setattr(report_command, "_BATCH", batch)
    assert "".join(json_chunks(made, iter(made.slots), "json")) == to_json(made.as_json())


@pytest.mark.parametrize("kept", [0, 1])
def test_json_in_pieces_with_no_slot_row_or_one(recorded: Path, kept: int) -> None:
    made = build_sample_report(recorded)
    few = dataclasses.replace(made, slots=made.slots[:kept])
    assert "".join(json_chunks(few, iter(few.slots), "json")) == to_json(few.as_json())


def _regrouped(lines: list[str]) -> dict[str, object]:
    """The JSON document the lines of `--format jsonl` stand for."""
    rows = [json.loads(line) for line in lines]
    assert rows[0]["table"] == "report" and all(row["table"] != "report" for row in rows[1:])
    doc: dict[str, object] = {key: value for key, value in rows[0].items() if key != "table"}
    for row in rows[1:]:
        doc.setdefault(row.pop("table"), []).append(row)  # type: ignore[union-attr]
    return doc


def test_json_lines_hold_the_document_one_row_a_line(recorded: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    made = build_sample_report(recorded)
    monkeypatch.setattr(report_command, "_BATCH", 2)
    text = "".join(json_chunks(made, iter(made.slots), "jsonl"))
    lines = text.split("\n")
    assert lines.pop() == ""
    whole = json.loads(to_json(made.as_json()))
    assert len(lines) == 1 + sum(len(v) for v in whole.values() if isinstance(v, list) and v)
    assert _regrouped(lines) == {key: value for key, value in whole.items() if value != []}
    assert [json.loads(line)["table"] for line in lines].count("slots") == len(made.slots)


def test_over_several_trackers_json_and_json_lines_say_the_same(recorded: Path, tmp_path: Path) -> None:
    other = copy_tracker(recorded, tmp_path / "tinh-khac")
    assert run_cli("record", "5", "STP", "-s", "done", "--done-on", "1/12/2026", "--period", "2026",
                   "--as-of", AS_OF, "--data", str(other)).exit_code == 0
    both = ["--data", str(recorded), "--data", str(other), "--as-of", AS_OF]
    as_json = run_cli("report", *both, "--format", "json")
    as_lines = run_cli("report", *both, "--format", "jsonl")
    assert as_json.exit_code == as_lines.exit_code == 0, as_json.stderr + as_lines.stderr
    whole = json.loads(as_json.stdout)
    assert len(whole["slots"]) == whole["totals"]["slots"] > 0
    assert {row["source"] for row in whole["slots"]} == {"theo-doi", "tinh-khac"}
    assert _regrouped(as_lines.stdout.splitlines()) == {key: value for key, value in whole.items() if value != []}
    again = run_cli("report", *both, "--format", "json")  # from the caches this time: the same bytes
    assert again.stdout == as_json.stdout
