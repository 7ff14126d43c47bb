"""Fixtures shared by every test: an isolated environment, trackers on disk. Helpers are in support/.

The tests mirror src/kehoach/: tests/domain/, store/, git/, render/, excel/, commands/ test those
packages; tests/cli/ goes through the real CLI entry point end to end; the files at the top test the
project as a whole (import layers, docs and CI, the benchmark's arithmetic, the shipped data).
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis.configuration import set_hypothesis_home_dir

from support.cli import clear_caches
from support.clones import Office
from support.forms import make_form
from support.git import GIT_ENV
from support.paths import SHIPPED_DATA
from support.report_sample import record_sample
from support.trackers import copy_tracker, init_template, isolated_environment

# No example database, and hypothesis' own caches (constants, Unicode tables) in the temp folder rather
# than .hypothesis/ in the folder pytest started in: a run leaves nothing in the checkout.
# The function-scoped fixtures a property sees (the autouse environment, tracker copies) hold for every
# example: the properties make what each example needs inside the test.
set_hypothesis_home_dir(Path(tempfile.gettempdir()) / "kehoach-tests-hypothesis")
settings.register_profile("kehoach", database=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
settings.load_profile("kehoach")


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Fixed git identity, no colour, no stray KEHOACH_DATA, a wide fixed terminal."""
    for key, value in GIT_ENV.items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("KEHOACH_DATA", raising=False)
    monkeypatch.delenv("KEHOACH_DEBUG", raising=False)
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.chdir(tmp_path)
    clear_caches()


@pytest.fixture
def plain_tracker(tmp_path: Path) -> Path:
    """A copy of the shipped data outside git; returns the tracker folder."""
    root = tmp_path / "tracker"
    (root / "data" / "status").mkdir(parents=True)
    for name in ("plan.yaml", "units.yaml", "office.yaml"):
        shutil.copy(SHIPPED_DATA / name, root / "data" / name)
    return root


@pytest.fixture(scope="session")
def tracker_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One tracker made by `kehoach init` for the whole session: never used itself, only copied."""
    return init_template(tmp_path_factory.mktemp("mau") / "theo-doi")


@pytest.fixture(scope="session")
def office_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The office's first tracker, made by `kehoach init` without a git identity (kehoach names the
    committer), as a clerk's machine with no git user would: the seed of the shared remote."""
    return init_template(tmp_path_factory.mktemp("mau-van-phong") / "khoi-tao", identity=False)


@pytest.fixture(scope="session")
def sample_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tracker made by `kehoach init` holding the report tests' sample records (support.report_sample)."""
    return init_template(tmp_path_factory.mktemp("mau-ghi-nhan") / "theo-doi", then=record_sample)


@pytest.fixture
def tracker(tmp_path: Path, tracker_template: Path) -> Path:
    """A new tracker as `kehoach init` makes it, a real git repository with one commit (a copy of the
    session's template)."""
    return copy_tracker(tracker_template, tmp_path / "theo-doi")


@pytest.fixture
def recorded(tmp_path: Path, sample_template: Path) -> Path:
    """The tracker fixture with the report tests' sample records (support.report_sample.record_sample)."""
    return copy_tracker(sample_template, tmp_path / "theo-doi")


@pytest.fixture(scope="session")
def form_template(tmp_path_factory: pytest.TempPathFactory, tracker_template: Path) -> tuple[Path, Path]:
    """Sở Tư pháp's form of 2026 from a new tracker (support.forms.make_form), made once: the form,
    and where in the tracker `kehoach form` writes it."""
    folder = tmp_path_factory.mktemp("mau-bieu")
    with isolated_environment(folder):
        made = make_form(copy_tracker(tracker_template, folder / "theo-doi"))
    return made, made.relative_to(folder / "theo-doi")


@pytest.fixture
def form(tracker: Path, form_template: tuple[Path, Path]) -> Path:
    """make_form(tracker): the form, written into the tracker's reports (a copy of form_template)."""
    made, inside = form_template
    (tracker / inside).parent.mkdir(parents=True, exist_ok=True)
    return Path(shutil.copy2(made, tracker / inside))


@pytest.fixture
def office(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, office_template: Path) -> Office:
    """Three clerks; each clone's own git identity is used (the shared test identity is dropped)."""
    for key in ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL"):
        monkeypatch.delenv(key, raising=False)
    return Office(tmp_path, ["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường"], office_template)
