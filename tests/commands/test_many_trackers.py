"""Several trackers at once: `status` and `check` with --data given twice, or a folder of trackers."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from kehoach.commands.evaluate import evaluate
from kehoach.commands.many_trackers import find_data_dirs, open_trackers
from kehoach.domain.slots import Scope
from kehoach.errors import DataNotFoundError
from support.cli import run_cli
from support.trackers import copy_tracker, make_template

AS_OF = "2026-11-27"


@pytest.fixture(scope="module")
def provinces_template(tmp_path_factory: pytest.TempPathFactory, tracker_template: Path) -> Path:
    """A folder holding two trackers (two provinces), each with one different record."""
    def build(folder: Path) -> None:
        for name, task, evidence in (("thanh-hoa", "1", "BC TH"), ("nghe-an", "2", "BC NA")):
            copy_tracker(tracker_template, folder / name)
            assert run_cli("record", task, "STP", "-s", "dang-thuc-hien", "--period", "2026", "--as-of", AS_OF,
                           "--evidence", evidence, "--data", str(folder / name)).exit_code == 0

    return make_template(tmp_path_factory.mktemp("mau") / "cac-tinh", build)


@pytest.fixture
def provinces(tmp_path: Path, provinces_template: Path) -> Path:
    """A copy of provinces_template in tmp_path/cac-tinh."""
    return copy_tracker(provinces_template, tmp_path / "cac-tinh")


def _status(*data: str) -> list[dict[str, object]]:
    args = [x for d in data for x in ("--data", d)]
    result = run_cli("status", "--unit", "STP", "--period", "2026", "--as-of", AS_OF, "--format", "json",
                     *args)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_status_across_two_trackers_keeps_each_rows_source(provinces: Path) -> None:
    one = _status(str(provinces / "thanh-hoa"))
    both = _status(str(provinces / "thanh-hoa"), str(provinces / "nghe-an"))
    assert "source" not in one[0]
    assert len(both) == 2 * len(one)
    assert [r["source"] for r in both] == ["thanh-hoa"] * len(one) + ["nghe-an"] * len(one)
    recorded = [(r["source"], r["task"], r["evidence"]) for r in both if r["recorded"]]
    assert recorded == [("thanh-hoa", "1", "BC TH"), ("nghe-an", "2", "BC NA")]
    # The rows of one tracker are exactly its own status rows, source aside.
    assert [{k: v for k, v in r.items() if k != "source"} for r in both[:len(one)]] == one


def test_a_folder_of_trackers_stands_for_all_of_them(provinces: Path) -> None:
    both = _status(str(provinces))
    assert sorted({str(r["source"]) for r in both}) == ["nghe-an", "thanh-hoa"]
    # Sorted by folder name: nghe-an first.
    assert both[0]["source"] == "nghe-an"


def test_text_table_gets_a_source_column(provinces: Path) -> None:
    result = run_cli("status", "--unit", "STP", "--period", "2026", "--as-of", AS_OF, "--format", "csv",
                     "--data", str(provinces / "thanh-hoa"), "--data", str(provinces / "nghe-an"))
    lines = result.stdout.splitlines()
    assert lines[0] == "\ufeffBộ theo dõi,NV,Đơn vị,Kỳ,Hạn,Tình trạng,Ngày hoàn thành,Căn cứ,Ghi chú"
    assert lines[1].startswith("thanh-hoa,1,Sở Tư pháp,2026,14/12/2026,Đang thực hiện")
    single = run_cli("status", "--unit", "STP", "--period", "2026", "--as-of", AS_OF, "--format", "csv",
                     "--data", str(provinces / "thanh-hoa"))
    assert "Bộ theo dõi" not in single.stdout


def test_check_across_trackers(provinces: Path) -> None:
    result = run_cli("check", "--unit", "STP", "--as-of", AS_OF, "--format", "json",
                     "--data", str(provinces / "thanh-hoa"), "--data", str(provinces / "nghe-an"))
    rows = json.loads(result.stdout)
    single = json.loads(run_cli("check", "--unit", "STP", "--as-of", AS_OF, "--format", "json",
                                "--data", str(provinces / "thanh-hoa")).stdout)
    assert result.exit_code == 1
    assert {r["source"] for r in rows} == {"thanh-hoa", "nghe-an"}
    assert len(rows) == 2 * len(single)
    assert sorted((r["task"], r["period"]) for r in rows if r["source"] == "thanh-hoa") == sorted(
        (r["task"], r["period"]) for r in single)


def test_core_gives_sourced_slots_for_report(provinces: Path) -> None:
    trackers = open_trackers([str(provinces)])
    scope = Scope(units=frozenset({"so-tu-phap"}), last=dt.date(2026, 12, 31))
    items = evaluate(trackers, lambda tracker: scope, dt.date(2026, 11, 27))
    assert {i.source for i in items} == {"nghe-an", "thanh-hoa"}
    one = evaluate(trackers[:1], lambda tracker: scope, dt.date(2026, 11, 27))
    assert one and {i.source for i in one} == {""}


def test_a_folder_without_trackers_is_refused(tmp_path: Path) -> None:
    (tmp_path / "rong" / "con").mkdir(parents=True)
    with pytest.raises(DataNotFoundError):
        find_data_dirs([str(tmp_path / "rong")])
    result = run_cli("status", "--data", str(tmp_path / "rong"))
    assert result.exit_code == 2
    assert "không tìm thấy plan.yaml hay plans/*.yaml trong" in result.stderr
    assert "hay các thư mục con của nó" in result.stderr
