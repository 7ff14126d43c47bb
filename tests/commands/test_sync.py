"""sync as a whole, on real repositories: random interleavings lose nothing, a push refused because
the remote moved on is integrated and retried, and the audit range of what came in."""

from __future__ import annotations

import json
import stat
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kehoach.commands.sync import sync
from kehoach.commands.validate import validate
from kehoach.errors import EXIT_REJECTED
from kehoach.git.history import LogQuery, read_log
from kehoach.git.sync import SyncNetworkError, SyncStopped
from kehoach.git.sync import sync as exchange
from support.cli import run_cli
from support.clones import AS_OF, Office
from support.git import git

AN, BINH, CUONG = "Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường"


def _slot_pool(office: Office, units: tuple[str, ...]) -> list[tuple[str, str, str]]:
    result = run_cli("status", "--period", "2026", "--as-of", AS_OF, "--format", "json",
                     "--data", str(office.clones[AN]))
    return [(r["task"], r["unit"], r["period"]) for r in json.loads(result.stdout) if r["unit"] in units]


Slot = tuple[str, str, str]


@st.composite
def office_days(draw: st.DrawFn, pool: list[Slot]) -> tuple[dict[str, list[Slot]], list[tuple[list[str], str]]]:
    """Each clerk's six records, of four slots of their own out of the pool (a record may come again),
    and the turns: whose record comes next, and which clerks sync just before it."""
    clerks = [AN, BINH, CUONG]
    order = draw(st.permutations(pool))
    owned = {clerk: order[i * 4:(i + 1) * 4] for i, clerk in enumerate(clerks)}
    plans = {clerk: draw(st.lists(st.sampled_from(owned[clerk]), min_size=6, max_size=6)) for clerk in clerks}
    turns = draw(st.permutations([clerk for clerk in clerks for _ in range(6)]))
    syncs = draw(st.lists(st.lists(st.sampled_from(clerks), max_size=2), min_size=len(turns), max_size=len(turns)))
    return plans, list(zip(syncs, turns, strict=True))


@settings(max_examples=2, deadline=None)
@given(data=st.data())
def test_random_interleaving_of_three_clerks_loses_nothing(tmp_path: Path, office_template: Path,
                                                           monkeypatch: pytest.MonkeyPatch,
                                                           data: st.DataObject) -> None:
    # The office fixture's environment (each clone's own identity), and a new office for each example.
    for key in ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL"):
        monkeypatch.delenv(key, raising=False)
    clerks = [AN, BINH, CUONG]
    office = Office(Path(tempfile.mkdtemp(prefix="vi-du-", dir=tmp_path)), clerks, office_template)
    # Two files only (two units), so most records share a file with another clerk's.
    pool = _slot_pool(office, ("so-tu-phap", "so-noi-vu"))
    plans, turns = data.draw(office_days(pool), label="plans and turns")
    written: dict[tuple[str, str, str], tuple[str, str]] = {}
    step = 0
    for syncing, clerk in turns:
        for other in syncing:
            result = office.sync(other)
            assert result.exit_code == 0, result.stderr
        task, unit, period = plans[clerk].pop(0)
        step += 1
        evidence = f"Báo cáo {step}/BC"
        office.record(clerk, task, unit, period, "--evidence", evidence)
        written[(task, unit, period)] = ("dang-thuc-hien", evidence)
    for clerk in [*clerks, *clerks]:
        result = office.sync(clerk)
        assert result.exit_code == 0, result.stderr
    snapshots = [office.data_files(clerk) for clerk in clerks]
    assert snapshots[0] == snapshots[1] == snapshots[2]
    for clerk in clerks:
        got = {(r["task"], r["unit"], r["period"]): (r["status"], r["evidence"])
               for r in office.records(clerk)}
        assert got == written
    assert len(office.log(AN)) == step


def _install_race(office: Office, racer: str, victim: str) -> Path:
    """A pre-push hook in the victim's clone that, once, pushes the racer's work first: the remote
    moves on between the victim's fetch and its push."""
    marker = office.clones[victim].parent / "da-chen-ngang"
    hook = office.clones[victim] / ".git" / "hooks" / "pre-push"
    hook.write_text(
        "#!/bin/sh\n"
        "unset GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE\n"
        f"if [ ! -e '{marker}' ]; then\n"
        f"  touch '{marker}'\n"
        f"  git -C '{office.clones[racer]}' push --quiet origin main || exit 1\n"
        "fi\n"
        "exit 0\n", encoding="utf-8")
    hook.chmod(hook.stat().st_mode | stat.S_IEXEC)
    return marker


def test_push_refused_because_the_remote_moved_on_is_integrated_and_retried(office: Office) -> None:
    office.record(AN, "1", "STP", "2026")
    office.record(CUONG, "2", "STP", "2026")
    marker = _install_race(office, racer=CUONG, victim=AN)
    result = sync(office.clones[AN] / "data")
    assert marker.exists()
    assert result.tries == 2 and result.merged and result.pushed_commits == 2
    assert [(c.author, c.key) for c in result.incoming] == [(CUONG, ("2", "so-tu-phap", "2026"))]
    assert git(office.remote, "rev-parse", "main") == git(office.clones[AN], "rev-parse", "HEAD")
    assert office.sync(CUONG).exit_code == 0
    assert office.data_files(AN) == office.data_files(CUONG)


def test_retries_are_bounded(office: Office) -> None:
    """A remote that moves on before every push: sync gives up after max_tries, nothing lost locally."""
    office.record(AN, "1", "STP", "2026")
    hook = office.clones[AN] / ".git" / "hooks" / "pre-push"
    other = office.clones[CUONG]
    hook.write_text(
        "#!/bin/sh\nunset GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE\n"
        f"git -C '{other}' commit --quiet --allow-empty -m 'chen ngang'\n"
        f"git -C '{other}' push --quiet origin main\n"
        "exit 0\n", encoding="utf-8")
    hook.chmod(hook.stat().st_mode | stat.S_IEXEC)
    git(other, "pull", "--quiet", "--no-rebase", "origin", "main")
    with pytest.raises(SyncStopped) as stopped:
        exchange(office.clones[AN] / "data", validate, max_tries=3)
    assert "đã thử 3 lần mà chưa đẩy được" in str(stopped.value)
    assert [c["task"] for c in office.log(AN)] == ["1"]


def test_push_refused_for_another_reason_is_not_retried(office: Office) -> None:
    office.record(AN, "1", "STP", "2026")
    hook = office.clones[AN] / ".git" / "hooks" / "pre-push"
    hook.write_text("#!/bin/sh\necho 'khong cho day' >&2\nexit 1\n", encoding="utf-8")
    hook.chmod(hook.stat().st_mode | stat.S_IEXEC)
    head = git(office.clones[AN], "rev-parse", "HEAD")
    with pytest.raises(SyncNetworkError) as refused:
        sync(office.clones[AN] / "data")
    assert refused.value.exit_code == EXIT_REJECTED
    assert "không đẩy được dữ liệu lên kho chung 'origin'" in str(refused.value)
    assert "khong cho day" in str(refused.value)
    assert git(office.clones[AN], "rev-parse", "HEAD") == head


def test_read_log_over_a_range_shows_only_what_came_in(office: Office) -> None:
    office.record(AN, "1", "STP", "2026")
    office.record(AN, "2", "so-noi-vu", "2026")
    assert office.sync(AN).exit_code == 0
    office.record(BINH, "3", "STP", "2026")
    start = office.head(BINH)
    assert office.sync(BINH).exit_code == 0
    data = office.clones[BINH] / "data"
    came_in = read_log(data, LogQuery(), f"{start}..HEAD")
    assert sorted((c.author, c.key) for c in came_in) == [
        (AN, ("1", "so-tu-phap", "2026")), (AN, ("2", "so-noi-vu", "2026"))]
    assert len(read_log(data, LogQuery())) == 3
