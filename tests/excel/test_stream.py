"""The streamed sheet writer's cells: the one safe-text rule every workbook's text passes through."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from enum import IntEnum

from openpyxl import Workbook, load_workbook

from kehoach.excel.form_writer import write_text
from kehoach.excel.stream import Formula, cell_xml, safe_text


def test_controls_and_non_characters_shown_as_codes_never_written_raw() -> None:
    assert safe_text("a\x1b[31mb\ufffec\uffffd\x07") == "a\\x1b[31mb\\ufffec\\uffffd\\x07"
    assert safe_text("dòng 1\ndòng 2") == "dòng 1\ndòng 2"
    assert cell_xml("A1", "x\ufffey", 3) == '<c r="A1" s="3" t="inlineStr"><is><t>x\\ufffey</t></is></c>'


def test_formula_looking_text_stays_an_inline_string() -> None:
    assert cell_xml("B2", '=HYPERLINK("http://x")', 0) == (
        '<c r="B2" s="0" t="inlineStr"><is><t>=HYPERLINK("http://x")</t></is></c>')
    assert cell_xml("B3", Formula("=SUM(B1:B2)"), 0) == '<c r="B3" s="0"><f>SUM(B1:B2)</f><v/></c>'


def test_form_cells_take_the_same_rule_and_open_again() -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    write_text(sheet["A1"], "căn cứ\ufffe\x1b]8;;http://x\x07")
    write_text(sheet["A2"], "-1+1")
    buffer = io.BytesIO()
    workbook.save(buffer)
    with zipfile.ZipFile(buffer) as archive:
        assert "\ufffe" not in archive.read("xl/worksheets/sheet1.xml").decode("utf-8")
    again = load_workbook(io.BytesIO(buffer.getvalue())).active
    assert again is not None
    assert again["A1"].value == "căn cứ\\ufffe\\x1b]8;;http://x\\x07"
    assert (again["A2"].value, again["A2"].data_type, again["A2"].quotePrefix) == ("-1+1", "s", True)


def test_each_kind_of_value_written_as_its_kind_subclasses_as_their_base() -> None:
    class Level(IntEnum):
        HIGH = 3

    assert cell_xml("C1", 7, 2) == '<c r="C1" s="2" t="n"><v>7</v></c>'
    assert cell_xml("C2", Level.HIGH, 2) == '<c r="C2" s="2" t="n"><v>3</v></c>'
    assert cell_xml("C3", True, 2) == '<c r="C3" s="2" t="b"><v>1</v></c>'
    assert cell_xml("C4", 0.5, 2) == '<c r="C4" s="2" t="n"><v>0.5</v></c>'
    assert cell_xml("C5", dt.date(1900, 3, 1), 2) == '<c r="C5" s="2" t="n"><v>61</v></c>'
    assert cell_xml("C6", dt.datetime(1900, 3, 1, 12), 2) == '<c r="C6" s="2" t="n"><v>61.5</v></c>'
    assert cell_xml("C7", None, 2) == cell_xml("C7", "", 2) == '<c r="C7" s="2"/>'
    assert cell_xml("C8", 0, 2) == '<c r="C8" s="2" t="n"><v>0</v></c>'
