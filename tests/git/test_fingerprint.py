"""The git-index fingerprint and the hashing fingerprint give the same answers, whatever is edited
(hypothesis over random edits, in a real git repository), including an edit that keeps a file's size
and mtime; and the git one reads no status file that git vouches for."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kehoach.git.fingerprint import index_content_ids
from kehoach.store import records
from kehoach.store.records import Snapshot, blob_id
from support.cli import run_cli
from support.git import git
from support.opens import yaml_opened
from support.trackers import copy_tracker, make_template

AS_OF = "2027-11-27"
OLD = 1_600_000_000 * 10**9
"""A file time long before the index was written: git trusts its stat data (no racy-git re-read)."""
FILES = ["2026/so-tu-phap.yaml", "2027/so-tu-phap.yaml", "2027/so-noi-vu.yaml", "2027/so-y-te.yaml"]


@pytest.fixture(scope="module")
def repo_template(tmp_path_factory: pytest.TempPathFactory, tracker_template: Path) -> Path:
    def build(root: Path) -> None:
        copy_tracker(tracker_template, root)
        for task, unit, period in (("1", "STP", "2026"), ("1", "STP", "2027"), ("2", "Sở Nội vụ", "2027"),
                                   ("3", "Sở Y tế", "2027")):
            result = run_cli("record", task, unit, "-s", "dang-thuc-hien", "-p", period, "--as-of", AS_OF,
                             "--data", str(root), "--by", "Người Thử")
            assert result.exit_code == 0, result.stderr

    return make_template(tmp_path_factory.mktemp("mau") / "theo-doi", build)


def fresh_repo(template: Path, dest: Path) -> Path:
    """A copy whose status files are old and whose index holds their stat data, as on a clerk's machine
    the day after: git answers from the stat data, without reading the files."""
    shutil.rmtree(dest, ignore_errors=True)
    root = copy_tracker(template, dest)
    for name in FILES:
        os.utime(root / "data/status" / name, ns=(OLD, OLD))
    git(root, "update-index", "--refresh")
    return root


def fingerprints(status_dir: Path) -> tuple[dict[str, bytes], dict[str, bytes]]:
    by_git = Snapshot(status_dir, content_ids=index_content_ids).year_fingerprints
    by_hash = Snapshot(status_dir).year_fingerprints
    return by_git, by_hash


EDIT = st.one_of(
    st.tuples(st.just("same-size"), st.sampled_from(FILES)),
    st.tuples(st.just("append"), st.sampled_from(FILES)),
    st.tuples(st.just("touch"), st.sampled_from(FILES)),
    st.tuples(st.just("delete"), st.sampled_from(FILES)),
    st.tuples(st.just("new"), st.sampled_from(["2027/so-tai-chinh.yaml", "2028/so-tu-phap.yaml"])),
    st.tuples(st.just("stage"), st.sampled_from(FILES)),
    st.tuples(st.just("commit"), st.just("")),
    st.tuples(st.just("assume-unchanged"), st.sampled_from(FILES)),
)


def apply(root: Path, edit: tuple[str, str]) -> None:
    kind, name = edit
    path = root / "data/status" / name
    if kind == "commit":
        git(root, "add", "-A", "data/status")
        git(root, "commit", "-q", "--allow-empty", "-m", "sửa tay")
        return
    if kind == "new":
        path.parent.mkdir(exist_ok=True)
        path.write_text("records: []\n", encoding="utf-8")
        return
    if not path.exists():
        return
    if kind == "same-size":
        # One status word for another of the same length, then the old mtime put back: size and
        # mtime as before, the content not (ctime moves: git looks at the content).
        info = path.stat()
        text = path.read_text(encoding="utf-8")
        swapped = text.replace("dang-thuc-hien", "DANG-THUC-HIEN", 1) if "dang-thuc-hien" in text \
            else text.replace("DANG-THUC-HIEN", "dang-thuc-hien", 1)
        path.write_text(swapped, encoding="utf-8")
        os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))
        assert path.stat().st_size == info.st_size
    elif kind == "append":
        with path.open("a", encoding="utf-8") as out:
            out.write("# ghi chú tay\n")
    elif kind == "touch":
        os.utime(path)
    elif kind == "delete":
        path.unlink()
    elif kind == "stage":
        git(root, "add", str(path.relative_to(root)))
    elif kind == "assume-unchanged" and git(root, "ls-files", str(path.relative_to(root))).strip():
        git(root, "update-index", "--assume-unchanged", str(path.relative_to(root)))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edits=st.lists(EDIT, max_size=5))
def test_git_and_hashing_fingerprints_agree(repo_template: Path, tmp_path: Path,
                                            edits: list[tuple[str, str]]) -> None:
    root = fresh_repo(repo_template, tmp_path / "theo-doi")
    status_dir = root / "data/status"
    before, _ = fingerprints(status_dir)
    contents_before = {n: (status_dir / n).read_bytes() if (status_dir / n).exists() else None for n in FILES}
    for edit in edits:
        apply(root, edit)
        by_git, by_hash = fingerprints(status_dir)
        assert by_git == by_hash, edit
    after = fingerprints(status_dir)[0]
    contents_after = {n: (status_dir / n).read_bytes() if (status_dir / n).exists() else None for n in FILES}
    untouched = contents_before == contents_after and not (status_dir / "2027/so-tai-chinh.yaml").exists() \
        and not (status_dir / "2028").exists()
    assert (after == before) == untouched


def test_an_edit_keeping_size_and_mtime_is_seen(repo_template: Path, tmp_path: Path) -> None:
    root = fresh_repo(repo_template, tmp_path / "theo-doi")
    status_dir = root / "data/status"
    before = fingerprints(status_dir)
    apply(root, ("same-size", "2027/so-noi-vu.yaml"))
    after = fingerprints(status_dir)
    assert after[0] == after[1]
    assert after[0]["2027"] != before[0]["2027"]
    assert after[0]["2026"] == before[0]["2026"]


def test_git_vouches_for_unchanged_files_only(repo_template: Path, tmp_path: Path) -> None:
    root = fresh_repo(repo_template, tmp_path / "theo-doi")
    status_dir = root / "data/status"
    apply(root, ("append", "2027/so-y-te.yaml"))
    apply(root, ("new", "2028/so-tu-phap.yaml"))
    known = index_content_ids(status_dir)
    assert known is not None
    assert sorted(known) == [".gitkeep", "2026/so-tu-phap.yaml", "2027/so-noi-vu.yaml", "2027/so-tu-phap.yaml"]
    assert known["2026/so-tu-phap.yaml"] == blob_id((status_dir / "2026/so-tu-phap.yaml").read_bytes())
    assert git(root, "rev-parse", "HEAD:data/status/2027/so-noi-vu.yaml").strip() == known["2027/so-noi-vu.yaml"].hex()


def test_outside_git_every_file_is_hashed(plain_tracker: Path) -> None:
    status_dir = plain_tracker / "data/status"
    (status_dir / "2026").mkdir()
    (status_dir / "2026/so-tu-phap.yaml").write_text("records: []\n", encoding="utf-8")
    assert index_content_ids(status_dir) is None
    assert index_content_ids(plain_tracker / "khong-co") is None
    by_git, by_hash = fingerprints(status_dir)
    assert by_git == by_hash and set(by_git) == {"2026"}


def test_git_fingerprint_reads_only_what_git_does_not_vouch_for(repo_template: Path, tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """As on a fresh clone: no file is known to the tracker's own cache (`known_ids`), so git is asked
    (here from the first unknown file: a fresh clone has hundreds)."""
    monkeypatch.setattr(records, "ASK_GIT_FROM", 0)
    root = fresh_repo(repo_template, tmp_path / "theo-doi")
    status_dir = root / "data/status"
    apply(root, ("append", "2027/so-y-te.yaml"))

    def opened(content_ids: object) -> list[str]:
        opened, fingerprints = yaml_opened(
            status_dir, lambda: Snapshot(status_dir, content_ids=content_ids).year_fingerprints)  # type: ignore[arg-type]
        assert fingerprints
        return opened

    assert opened(index_content_ids) == ["2027/so-y-te.yaml"]
    assert opened(None) == sorted(FILES)


def test_check_sees_an_edit_git_itself_misses(repo_template: Path, tmp_path: Path) -> None:
    """The slot index is keyed on the fingerprint: a hand edit that keeps size and mtime (which `git
    status` does not see when it falls in the second git last looked) still makes `check` count from
    the new bytes, as with no cache at all."""
    root = fresh_repo(repo_template, tmp_path / "theo-doi")
    args = ("check", "--data", str(root), "--as-of", AS_OF, "--format", "json")
    first = run_cli(*args)
    assert first.exit_code == 1 and first.stderr == ""  # 1: overdue slots
    path = root / "data/status/2027/so-noi-vu.yaml"
    info = path.stat()
    path.write_text(path.read_text(encoding="utf-8").replace("dang-thuc-hien", "chua-thuc-hien"), encoding="utf-8")
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))
    edited = run_cli(*args)
    assert edited.exit_code == 1 and edited.stderr == ""
    assert edited.stdout != first.stdout
    shutil.rmtree(root / "data/.kehoach-cache")
    assert run_cli(*args).stdout == edited.stdout


def test_hard_linked_copies_get_their_index_refreshed_once(repo_template: Path, tmp_path: Path) -> None:
    """A copy made with hard links (`cp -al`, as the benchmark makes 34 provinces) moves every file's ctime:
    git's stat data no longer match, so nothing is vouched for and git re-reads each file. The first
    question refreshes the index (content ids unchanged); the next one vouches for every file again."""
    root = fresh_repo(repo_template, tmp_path / "theo-doi")
    status_dir = root / "data/status"
    staged = git(root, "ls-files", "--stage")
    linked = tmp_path / "ban-sao"
    time.sleep(1.05)  # git sees a ctime to the second: a link made in the second it looked goes unseen by it
    for name in FILES:
        (linked / name).parent.mkdir(parents=True, exist_ok=True)
        os.link(status_dir / name, linked / name)  # moves the ctime of the tracker's own files
    first = index_content_ids(status_dir)
    assert first is not None and sorted(first) == [".gitkeep"]  # the linked files' stat data are stale
    known = index_content_ids(status_dir)
    assert known is not None and sorted(FILES) == sorted(k for k in known if k != ".gitkeep")
    assert git(root, "ls-files", "--stage") == staged  # the same blobs: only stat data were refreshed
    apply(root, ("same-size", "2027/so-y-te.yaml"))
    after = index_content_ids(status_dir)
    assert after is not None and "2027/so-y-te.yaml" not in after
