"""The leaders' page in a real browser: headless Chromium (Debian's `chromium`, installed by .ci/run) loads it
with no console message, draws its charts at a real size, and prints it on a few A4 pages."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pdfplumber
import pytest

from support.cli import run_cli
from support.report_sample import AS_OF

CHROMIUM = next((found for name in ("chromium", "chromium-browser") if (found := shutil.which(name))), None)
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="headless Chromium not found (Debian: apt-get install "
                                                          "chromium; .ci/run installs it)")
A4 = (595.3, 841.9)
CONSOLE = re.compile(r":CONSOLE[:(]")
# Measures every chart once the page has loaded and writes the sizes into the DOM for --dump-dom to show:
# added to a copy for the test only, as the page itself carries no script.
MEASURE = ("<script>addEventListener('load',()=>{document.body.dataset.sizes=JSON.stringify("
           "[...document.querySelectorAll('svg.chart')].map(s=>{const r=s.getBoundingClientRect();"
           "return [s.dataset.chart,r.width,r.height]}))})</script>")


def chromium(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM is not None
    return subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
         f"--user-data-dir={folder / 'profile'}", "--enable-logging=stderr", "--v=0", *args],
        capture_output=True, text=True, timeout=120, check=False)


def console_messages(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if CONSOLE.search(line)]


@pytest.fixture
def page(recorded: Path, tmp_path: Path) -> Path:
    out = tmp_path / "bao-cao.html"
    result = run_cli("report", "--as-of", AS_OF, "--data", str(recorded), "-o", str(out))
    assert result.exit_code == 0, result.stderr
    return out


def test_the_console_check_hears_an_error(tmp_path: Path) -> None:
    broken = tmp_path / "hong.html"
    broken.write_text("<!DOCTYPE html><p>x</p><script>console.error('lỗi'); missing();</script>", encoding="utf-8")
    result = chromium(tmp_path, "--dump-dom", broken.as_uri())
    assert len(console_messages(result.stderr)) == 2


def test_loads_without_a_console_message_and_draws_its_charts(page: Path, tmp_path: Path) -> None:
    result = chromium(tmp_path, "--dump-dom", page.as_uri())
    assert result.returncode == 0, result.stderr[-2000:]
    assert console_messages(result.stderr) == []
    assert "Tỷ lệ hoàn thành theo nhóm đơn vị" in result.stdout
    measured = tmp_path / "do.html"
    measured.write_text(page.read_text(encoding="utf-8").replace("</body>", MEASURE + "</body>"), encoding="utf-8")
    dom = chromium(tmp_path, "--dump-dom", "--window-size=1200,900", measured.as_uri()).stdout
    found = re.search(r'data-sizes="([^"]*)"', dom)
    assert found, dom[:500]
    sizes = json.loads(found.group(1).replace("&quot;", '"'))
    assert [name for name, _, _ in sizes] == ["tinh-trang", "xu-huong", "theo-nhom"]
    assert all(width > 300 and height > 100 for _, width, height in sizes), sizes


def printed(page: Path, tmp_path: Path, name: str) -> list[str]:
    """The page printed to PDF by Chromium: each A4 page's text."""
    pdf = tmp_path / f"{name}.pdf"
    result = chromium(tmp_path, f"--print-to-pdf={pdf}", "--no-pdf-header-footer", page.as_uri())
    assert pdf.is_file(), result.stderr[-2000:]
    with pdfplumber.open(pdf) as document:
        assert all(abs(p.width - A4[0]) < 1 and abs(p.height - A4[1]) < 1 for p in document.pages)
        return [p.extract_text() or "" for p in document.pages]


def test_prints_on_a_few_a4_pages_summary_first(page: Path, tmp_path: Path) -> None:
    texts = printed(page, tmp_path, "bao-cao")
    assert 2 <= len(texts) <= 8, len(texts)
    first = texts[0]
    assert "BÁO CÁO TÌNH HÌNH THỰC HIỆN" in first and "Tỷ lệ hoàn thành" in first
    assert "Lượt báo cáo phải" in first and "Số lượt báo cáo theo tình trạng" in first
    assert any("lượt quá hạn lâu nhất" in t for t in texts[1:])  # the overdue list after the summary
    # the folded tables stay folded on paper
    assert not any("bấm để mở" in t for t in texts)


def test_a_long_table_repeats_its_header_on_every_printed_page(page: Path, tmp_path: Path) -> None:
    """A leader who opens the whole overdue list and prints it gets the column headings on each page."""
    opened = tmp_path / "mo.html"
    opened.write_text(page.read_text(encoding="utf-8").replace("<details>", "<details open>"), encoding="utf-8")
    texts = printed(opened, tmp_path, "mo")
    assert len(texts) > 20
    continued = texts[len(texts) // 2:]
    assert all(re.search(r"STT Đơn vị Nhiệm vụ Kỳ Hạn", t) for t in continued)


def test_a_screenshot_is_taken(page: Path, tmp_path: Path) -> None:
    """The picture a person looks at (kept under the test's folder; the report names it)."""
    shot = tmp_path / "trang.png"
    chromium(tmp_path, f"--screenshot={shot}", "--window-size=1200,1800", page.as_uri())
    assert shot.is_file() and shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 50_000
