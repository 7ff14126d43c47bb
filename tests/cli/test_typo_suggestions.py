"""A mistyped unit or task at the command line: the closest one is suggested, in the error itself."""

from __future__ import annotations

from pathlib import Path

import pytest

from support.cli import run_cli


@pytest.mark.parametrize(("args", "message"), [
    (("status", "--unit", "so tu phapp"), "Lỗi: không tìm thấy đơn vị 'so tu phapp'. Có phải: Sở Tư pháp "
                                          "(so-tu-phap)? Xem danh sách đơn vị: kehoach units\n"),
    (("tasks", "--unit", "Sở Tư phap"), None),
])
def test_a_unit_typo_is_answered_with_the_unit_meant(tracker: Path, args: tuple[str, ...],
                                                     message: str | None) -> None:
    result = run_cli(*args, "--data", str(tracker), "--as-of", "1/6/2026")
    if message is None:
        assert result.exit_code == 0 and "Sở Tư pháp" in result.stdout
    else:
        assert (result.exit_code, result.stdout, result.stderr) == (2, "", message)


@pytest.mark.parametrize(("typed", "meant"), [("III3", "III.3"), ("1.7", "17"), ("III.33", "III.3")])
def test_a_task_typo_is_answered_with_the_task_meant(tracker: Path, typed: str, meant: str) -> None:
    result = run_cli("show", typed, "--data", str(tracker))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Lỗi: không có nhiệm vụ '{typed}' trong kế hoạch (có phải {meant}?); "
                                    "các nhiệm vụ: 1, 2, 3")


def test_a_name_shared_with_a_dissolved_unit_resolves_to_the_living_one_saying_so(tracker: Path) -> None:
    result = run_cli("tasks", "--unit", "nga son", "--as-of", "1/6/2026", "--data", str(tracker), "-f", "plain")
    assert result.exit_code == 0
    assert result.stdout.startswith("Nhiệm vụ của UBND xã Nga Sơn — tính đến 01/06/2026")
    assert result.stderr == ("'nga son' cũng là tên của UBND huyện Nga Sơn (ubnd-huyen-nga-son), không tồn tại vào "
                             "ngày 01/06/2026; dùng UBND xã Nga Sơn (ubnd-xa-nga-son).\n")


@pytest.mark.parametrize("command", ["status", "check", "report"])
def test_status_check_and_report_take_the_living_namesake_too(tracker: Path, command: str) -> None:
    result = run_cli(command, "--unit", "nga son", "--as-of", "1/7/2026", "--data", str(tracker), "-f", "json")
    assert result.exit_code in (0, 1)
    assert result.stderr == ("'nga son' cũng là tên của UBND huyện Nga Sơn (ubnd-huyen-nga-son), không tồn tại vào "
                             "ngày 01/07/2026; dùng UBND xã Nga Sơn (ubnd-xa-nga-son).\n")
    assert "ubnd-xa-nga-son" in result.stdout and "ubnd-huyen-nga-son" not in result.stdout


def test_a_search_finding_nothing_says_so_with_the_unit_meant(tracker: Path) -> None:
    result = run_cli("units", "--search", "so tu phapp", "--data", str(tracker), "-f", "plain")
    assert result.exit_code == 1
    assert result.stderr == "Không có đơn vị nào khớp «so tu phapp». Có phải: Sở Tư pháp (so-tu-phap)?\n"


def test_a_search_matching_only_dissolved_units_points_to_all(tracker: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    result = run_cli("units", "--search", "huyen nga son", "--as-of", "1/1/2026", "--data", str(tracker))
    assert result.exit_code == 1
    assert result.stderr == ("Không có đơn vị nào khớp «huyen nga son». Có đơn vị khớp nhưng không tồn tại vào ngày "
                             "tính; xem bằng: kehoach units --search 'huyen nga son' --all\n")
    monkeypatch.chdir(tracker)
    hinted = run_cli("units", "--search", "huyen nga son", "--all", "-f", "plain")  # the hint, as printed
    assert hinted.exit_code == 0 and "ubnd-huyen-nga-son" in hinted.stdout
