"""The shipped plan and units: complete, verbatim, resolved."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from kehoach.commands.validate import validate
from kehoach.domain.text import slug
from kehoach.store.tracker import open_tracker
from support.paths import REPO, SEED, SHIPPED_DATA


@pytest.fixture(scope="module")
def shipped():
    return open_tracker(SHIPPED_DATA)


def seed_rows() -> dict[str, tuple[str, str, str]]:
    """Section II's table from the seed text: id -> (content, responsibility, time)."""
    text = SEED.read_text(encoding="utf-8")
    table = text.split("Thời gian thực hiện\n", 1)[1].split("III. TỔ CHỨC THỰC HIỆN", 1)[0]
    rows = {}
    for block in re.split(r"\n\s*\n", table.strip("\n")):
        cells = [line.removeprefix("\t") for line in block.split("\n") if line.strip()]
        if len(cells) == 4:
            rows[cells[0]] = (cells[1], cells[2], cells[3])
    return rows


def seed_section_three() -> dict[str, str]:
    text = SEED.read_text(encoding="utf-8").split("III. TỔ CHỨC THỰC HIỆN\n", 1)[1]
    return {f"III.{m.group(1)}": m.group(2).strip() for m in re.finditer(r"^(\d)\. (.+)$", text, re.MULTILINE)}


def test_shipped_data_validates_clean():
    assert validate(SHIPPED_DATA) == []


def test_all_seventeen_tasks_are_verbatim(shipped):
    rows = seed_rows()
    assert sorted(rows, key=int) == [str(i) for i in range(1, 18)]
    section_two = [t for t in shipped.plan.tasks if t.section == "II"]
    assert [t.id for t in section_two] == [str(i) for i in range(1, 18)]
    for task in section_two:
        assert (task.content, task.responsibility, task.time) == rows[task.id], task.id


def test_section_three_duties_are_verbatim(shipped):
    duties = seed_section_three()
    section_three = [t for t in shipped.plan.tasks if t.section == "III"]
    assert [t.id for t in section_three] == ["III.1", "III.2", "III.3", "III.4"]
    for task in section_three:
        assert duties[task.id].startswith(task.content), task.id
        assert task.responsibility in task.content


def test_plan_metadata_is_verbatim(shipped):
    plan = shipped.plan
    seed = SEED.read_text(encoding="utf-8")
    assert plan.title == " ".join(line.strip() for line in seed.splitlines()[:2])
    assert plan.preamble in seed
    assert plan.issuer == "Chủ tịch UBND tỉnh Thanh Hóa"
    for line in (*plan.purposes, *plan.requirements):
        assert f"- {line}" in seed
    numbers = [b.number for b in plan.legal_bases]
    assert numbers == ["13/CT-TTg", "2579/BTP-KSTT", "63/2010/NĐ-CP", "48/2008/NĐ-CP", "09/2015/QĐ-TTg",
                       "05/2014/TT-BTP"]
    dates = {b.number: b.date for b in plan.legal_bases}
    assert dates["13/CT-TTg"] == dt.date(2015, 6, 10)
    assert dates["2579/BTP-KSTT"] == dt.date(2015, 7, 17)
    assert dates["05/2014/TT-BTP"] == dt.date(2014, 2, 7)
    for basis in plan.legal_bases:
        if basis.title:
            assert basis.title in seed
    assert plan.tracking_start == dt.date(2026, 1, 1)


def test_every_text_is_nfc():
    for name in ("plan.yaml", "units.yaml"):
        text = (SHIPPED_DATA / name).read_text(encoding="utf-8")
        assert unicodedata.is_normalized("NFC", text), name


def test_cadences_follow_the_text(shipped):
    cadence = {t.id: t.cadence.id for t in shipped.plan.tasks}
    half_yearly = {tid for tid, c in cadence.items() if c == "6-thang"}
    assert {"9", "17"} <= half_yearly
    assert all(cadence[str(i)] == "hang-nam" for i in range(1, 18) if i not in (9, 17))
    task6 = shipped.plan.task("6")
    assert task6.condition is not None
    assert task6.condition.text == "ngay sau khi Bộ Tư pháp có văn bản hướng dẫn thực hiện"
    assert task6.condition.met_on is None


def test_deadlines_come_from_the_plan_rules(shipped):
    from kehoach.domain.model import Period
    from kehoach.domain.periods import deadline, window_start

    task17 = shipped.plan.task("17")
    assert deadline(task17, Period(2026, "H1")) == dt.date(2026, 6, 14)
    assert deadline(task17, Period(2026, "H2")) == dt.date(2026, 12, 14)
    assert window_start(task17.cadence, Period(2026, "H1")) == dt.date(2025, 12, 15)
    task1 = shipped.plan.task("1")
    assert deadline(task1, Period(2026, "Y")) == dt.date(2026, 12, 14)


def test_every_phrase_resolves_to_known_ids(shipped):
    registry = shipped.registry
    for task in shipped.plan.tasks:
        assert task.who, task.id
        for who in task.who:
            assert who.phrase in task.responsibility
            for ref in who.refs:
                assert ref in registry.units or ref in registry.groups


def test_lead_and_partners(shipped):
    assert shipped.plan.task("13").lead == ("so-tu-phap",)
    assert shipped.plan.task("15").lead == ("so-noi-vu",)
    assert shipped.plan.task("III.3").lead == ("so-tu-phap",)
    assert set(shipped.plan.task("III.3").partners) == {"van-phong-ubnd-tinh", "so-noi-vu"}
    assert {"dai-phat-thanh-truyen-hinh", "bao-thanh-hoa"} <= set(shipped.plan.task("14").partners)


def test_unit_ids_are_slugs_of_their_names(shipped):
    for unit in shipped.registry.units.values():
        if unit.id != slug(unit.name):
            assert unit.note and "Mã" in unit.note, unit.id
    assert slug("Sở Tư pháp") == "so-tu-phap"
    assert slug("Văn phòng UBND tỉnh") == "van-phong-ubnd-tinh"
    assert slug("UBND huyện Nga Sơn") == "ubnd-huyen-nga-son"


def test_group_membership_depends_on_the_date(shipped):
    registry = shipped.registry
    day = dt.date(2026, 6, 1)
    assert len(registry.members("cac-so", day)) == 12
    assert {u.id for u in registry.members("cac-ban-nganh", day)} == {
        "van-phong-ubnd-tinh", "thanh-tra-tinh", "ban-quan-ly-khu-kinh-te-nghi-son-va-cac-khu-cong-nghiep"}
    assert registry.members("ubnd-cap-huyen", day) == []
    assert len(registry.members("ubnd-cap-xa", day)) == 166
    assert len(registry.members("ubnd-cap-huyen", dt.date(2020, 7, 1))) == 27
    assert len(registry.members("ubnd-cap-huyen", dt.date(2015, 7, 1))) == 27
    assert len(registry.members("cac-so", dt.date(2024, 6, 1))) == 16


def test_ended_units_pass_duties_to_successors(shipped):
    registry = shipped.registry
    task6 = shipped.plan.task("6")
    names_2026 = {u.id for u in registry.responsible(task6, dt.date(2026, 6, 1))}
    assert "so-thong-tin-va-truyen-thong" not in names_2026
    assert "so-khoa-hoc-va-cong-nghe" in names_2026
    names_2024 = {u.id for u in registry.responsible(task6, dt.date(2024, 6, 1))}
    assert "so-thong-tin-va-truyen-thong" in names_2024
    # "Chủ tịch UBND cấp huyện" resolves to no unit at all once the district level is gone.
    task7 = shipped.plan.task("7")
    assert [u for u in registry.responsible(task7, dt.date(2026, 6, 1)) if u.level == "huyen"] == []
    assert len([u for u in registry.responsible(task7, dt.date(2024, 6, 1)) if u.level == "huyen"]) == 27


def test_communes_are_the_166_of_vietnam_provinces(shipped):
    communes = [u for u in shipped.registry.units.values() if u.level == "xa"]
    assert len(communes) == 166
    assert all(u.code and u.start == dt.date(2025, 7, 1) for u in communes)
    hac_thanh = shipped.registry.units["ubnd-phuong-hac-thanh"]
    assert (hac_thanh.name, hac_thanh.code) == ("UBND phường Hạc Thành", "14797")


def test_commune_generator_reproduces_the_committed_file(tmp_path: Path):
    """The communes are the output of tools/gen_communes.py, not typed by hand."""
    pytest.importorskip("vietnam_provinces")
    copy = tmp_path / "units.yaml"
    shutil.copy(SHIPPED_DATA / "units.yaml", copy)
    subprocess.run([sys.executable, str(REPO / "tools" / "gen_communes.py"), str(copy)], check=True,
                   capture_output=True)
    assert copy.read_bytes() == (SHIPPED_DATA / "units.yaml").read_bytes()


def test_package_carries_the_same_default_data():
    from kehoach.commands.init import default_data_file

    for name in ("plan.yaml", "units.yaml"):
        assert default_data_file(name) == (SHIPPED_DATA / name).read_bytes()
