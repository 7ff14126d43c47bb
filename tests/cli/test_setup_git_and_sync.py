"""`kehoach setup-git` and `kehoach sync` through the real CLI: a bare remote and three clerks' clones."""

from __future__ import annotations

import shutil
from pathlib import Path

from support.cli import run_cli
from support.clones import Office
from support.files import file_snapshot, write
from support.git import git

AN, BINH, CUONG = "Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường"
STP_FILE = "status/2026/so-tu-phap.yaml"


def test_init_installs_the_driver_in_the_first_commit(tracker: Path) -> None:
    assert (tracker / ".gitattributes").read_text(encoding="utf-8") == "data/status/**/*.yaml merge=kehoach\n"
    own = ["data/status/.lock", "data/.kehoach-cache/log.marshal", "data/status/2026/.stp.yaml.ab12.tmp"]
    assert git(tracker, "check-ignore", "--no-index", *own).split() == own
    assert git(tracker, "show", "--name-only", "--format=", "HEAD").split() == [
        ".gitattributes", ".gitignore", "data/office.yaml", "data/plan.yaml", "data/status/.gitkeep",
        "data/units.yaml", "reports/.gitkeep"]
    driver = git(tracker, "config", "--get", "merge.kehoach.driver").strip()
    assert driver.endswith(" -m kehoach merge-driver %O %A %B %P")
    assert git(tracker, "check-attr", "merge", "data/status/2026/so-tu-phap.yaml").strip().endswith("kehoach")


def test_setup_git_in_a_clone_is_idempotent(tmp_path: Path, tracker: Path) -> None:
    clone = tmp_path / "ban-sao"
    git(tmp_path, "clone", "--quiet", str(tracker), str(clone))
    first = run_cli("setup-git", "--data", str(clone))
    assert first.exit_code == 0
    assert first.stderr.startswith("Đã cấu hình git trong")
    before = file_snapshot(clone)
    head = git(clone, "rev-parse", "HEAD")
    again = run_cli("setup-git", "--data", str(clone))
    assert again.exit_code == 0
    assert "đã được cài sẵn" in again.stderr and "không thay đổi gì" in again.stderr
    assert file_snapshot(clone) == before and git(clone, "rev-parse", "HEAD") == head


def test_setup_git_adds_and_commits_attributes_in_an_old_tracker(tmp_path: Path, tracker: Path) -> None:
    git(tracker, "rm", "--quiet", ".gitattributes")
    git(tracker, "commit", "--quiet", "-m", "cũ: chưa có bộ gộp")
    result = run_cli("setup-git", "--data", str(tracker))
    assert result.exit_code == 0
    assert "Đã thêm dòng «data/status/**/*.yaml merge=kehoach» vào" in result.stderr
    assert git(tracker, "log", "-1", "--format=%s").startswith("Cài bộ gộp tệp trạng thái")
    assert git(tracker, "status", "--porcelain") == ""


def test_setup_git_outside_git_is_refused(plain_tracker: Path) -> None:
    result = run_cli("setup-git", "--data", str(plain_tracker))
    assert result.exit_code == 2
    assert "không nằm trong kho git" in result.stderr


def test_three_clerks_sync_without_losing_anything(office: Office) -> None:
    # Different units, and the same unit's different tasks (one file) on two machines at once.
    office.record(AN, "1", "STP", "2026")
    office.record(AN, "2", "so-noi-vu", "2026")
    office.record(BINH, "3", "STP", "2026")
    office.record(BINH, "17", "STP", "2026-H1", "--status", "hoàn thành", "--done-on", "2026-06-10",
                  "--evidence", "Báo cáo 125/BC-STP")
    office.record(CUONG, "9", "STP", "2026-H1")
    office.record(CUONG, "4", "so-tai-chinh", "2026")
    for clerk in (AN, BINH, CUONG, AN, BINH):
        result = office.sync(clerk)
        assert result.exit_code == 0, result.stderr
    assert office.data_files(AN) == office.data_files(BINH) == office.data_files(CUONG)
    assert office.head(AN) == office.head(BINH) == office.head(CUONG)
    records = office.records(CUONG)
    assert sorted((r["task"], r["unit"], r["recorded_by"]) for r in records) == sorted([
        ("1", "so-tu-phap", AN), ("2", "so-noi-vu", AN), ("3", "so-tu-phap", BINH),
        ("17", "so-tu-phap", BINH),
        ("9", "so-tu-phap", CUONG), ("4", "so-tai-chinh", CUONG)])
    for clerk in (AN, BINH, CUONG):
        assert sorted((c["task"], c["unit"], c["author"]) for c in office.log(clerk)) == sorted(
            (r["task"], r["unit"], r["recorded_by"]) for r in records)
    assert run_cli("validate", "--data", str(office.clones[AN])).exit_code == 0


def test_sync_reports_what_came_in_in_vietnamese(office: Office) -> None:
    office.record(AN, "17", "STP", "2026-H1", "--status", "hoàn thành", "--done-on", "2026-06-10")
    assert office.sync(AN).exit_code == 0
    office.record(BINH, "2", "so-noi-vu", "2026")
    result = office.sync(BINH)
    assert result.exit_code == 0
    assert result.stderr.splitlines() == [
        "Đã đồng bộ với kho chung origin (nhánh main).",
        "Nhận về 1 thay đổi bản ghi (1 bản ghi mới, 0 sửa hoặc xóa):",
        f"  - nhiệm vụ 17, Sở Tư pháp, kỳ 2026-H1: thêm «Hoàn thành» ngày 10/06/2026 — {AN}",
        "Đã đẩy 2 lần ghi lên kho chung origin (nhánh main).",
    ]
    again = office.sync(BINH)
    assert again.stderr.splitlines() == [
        "Đã đồng bộ với kho chung origin (nhánh main).",
        "Không có thay đổi bản ghi mới từ kho chung.",
        "Không có gì mới để đẩy lên.",
    ]


def test_true_conflict_stops_then_resolution_syncs_and_log_keeps_both(office: Office) -> None:
    office.record(AN, "17", "STP", "2026-H1", "--status", "hoàn thành", "--done-on", "2026-06-10",
                  "--evidence", "Báo cáo 125/BC-STP")
    office.record(BINH, "17", "STP", "2026-H1", "--status", "đang thực hiện", "--evidence", "Công văn 88/STP")
    assert office.sync(AN).exit_code == 0
    binh = office.clones[BINH]
    head = office.head(BINH)
    stopped = office.sync(BINH)
    assert stopped.exit_code == 1
    assert stopped.stderr.splitlines()[:4] == [
        "Lỗi: đồng bộ dừng lại vì có bản ghi bị sửa khác nhau ở máy này và ở kho chung:",
        "Xung đột ở data/status/2026/so-tu-phap.yaml: nhiệm vụ 17, đơn vị so-tu-phap, kỳ 2026-H1 bị sửa khác "
        "nhau ở hai nơi.",
        f"  - bản ở máy này: trạng thái «Đang thực hiện»; căn cứ: Công văn 88/STP; người ghi nhận: {BINH} "
        "ngày 27/11/2026",
        "  - bản được gộp vào: trạng thái «Hoàn thành»; ngày hoàn thành 10/06/2026; "
        f"căn cứ: Báo cáo 125/BC-STP; người ghi nhận: {AN} ngày 27/11/2026",
    ]
    # The advice is one kehoach command a record, never markers in a file or raw git.
    assert stopped.stderr.splitlines()[4:] == [
        "Cách giải quyết: với mỗi bản ghi, chạy một trong hai lệnh: giữ bản của máy này (mine) hoặc bản trên kho "
        "chung (theirs):",
        "  kehoach resolve 17 so-tu-phap --period 2026-H1 --keep mine",
        "  kehoach resolve 17 so-tu-phap --period 2026-H1 --keep theirs",
        "Sau đó chạy lại: kehoach sync",
    ]
    # The repository is left merging, nothing pushed, both values in the file.
    assert git(binh, "rev-parse", "HEAD").strip() == head
    assert (binh / ".git" / "MERGE_HEAD").exists()
    content = (binh / "data" / STP_FILE).read_text(encoding="utf-8")
    assert "Công văn 88/STP" in content and "Báo cáo 125/BC-STP" in content
    # Syncing again before resolving is refused with the same instructions.
    again = office.sync(BINH)
    assert again.exit_code == 1
    assert "còn xung đột chưa giải quyết trong: data/status/2026/so-tu-phap.yaml" in again.stderr
    # The clerk resolves as the README says: keep the finished report (the remote's value).
    start, middle, end = content.index("<<<<<<<"), content.index("=======\n"), content.index(">>>>>>>")
    after = content.index("\n", end) + 1
    write(binh / "data" / STP_FILE, content[:start] + content[middle + 8:end] + content[after:])
    assert run_cli("validate", "--data", str(binh)).exit_code == 0
    git(binh, "add", "data")
    git(binh, "commit", "--quiet", "--no-edit")
    done = office.sync(BINH)
    assert done.exit_code == 0, done.stderr
    assert office.sync(AN).exit_code == 0
    assert office.data_files(AN) == office.data_files(BINH)
    for clerk in (AN, BINH):
        rows = [(c["author"], c["old_status"], c["new_status"], c["evidence"], c["source"])
                for c in office.log(clerk) if c["task"] == "17"]
        # Newest first: the resolution, then both clerks' values, each with its author.
        assert rows[0] == (BINH, "dang-thuc-hien", "hoan-thanh", "Báo cáo 125/BC-STP", "giai-quyet-xung-dot")
        assert sorted(rows[1:]) == [
            (AN, None, "hoan-thanh", "Báo cáo 125/BC-STP", "kehoach"),
            (BINH, None, "dang-thuc-hien", "Công văn 88/STP", "kehoach"),
        ]


def test_uncommitted_data_is_refused_and_nothing_changes(office: Office) -> None:
    office.record(AN, "1", "STP", "2026", "--no-commit")
    clone = office.clones[AN]
    before, head = file_snapshot(clone), office.head(AN)
    result = office.sync(AN)
    assert result.exit_code == 2
    assert result.stderr == ("Lỗi: có thay đổi trong dữ liệu chưa được ghi vào lịch sử, chưa đồng bộ được:\n"
                             "  ?? data/status/2026/so-tu-phap.yaml\n"
                             "Hãy kiểm tra bằng kehoach validate, ghi vào lịch sử bằng kehoach commit, rồi chạy "
                             "lại kehoach sync.\n")
    assert file_snapshot(clone) == before and office.head(AN) == head


def test_unreachable_remote_changes_nothing_and_exits_2(office: Office, tmp_path: Path) -> None:
    office.record(AN, "1", "STP", "2026")
    clone = office.clones[AN]
    missing = tmp_path / "o-dia-mang-da-thao"
    git(clone, "remote", "set-url", "origin", str(missing))
    before, head = file_snapshot(clone), office.head(AN)
    refs = git(clone, "for-each-ref")
    result = office.sync(AN)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Lỗi: không lấy được dữ liệu từ kho chung 'origin' ({missing}): đường "
                                    "dẫn không phải kho git. Dữ liệu và lịch sử thay đổi trên máy này không bị "
                                    "đụng tới;")
    assert file_snapshot(clone) == before and office.head(AN) == head and git(clone, "for-each-ref") == refs


def test_unknown_remote_is_named(office: Office) -> None:
    result = run_cli("sync", "--remote", "tinh", "--data", str(office.clones[AN]))
    assert result.exit_code == 2
    assert "kho git chưa có kho chung tên 'tinh'; thêm bằng: git remote add tinh ĐỊA_CHỈ" in result.stderr


def test_first_push_of_a_new_tracker_sets_the_upstream(tmp_path: Path, tracker: Path) -> None:
    remote = tmp_path / "trong.git"
    git(tmp_path, "init", "--quiet", "--bare", str(remote))
    git(tracker, "remote", "add", "origin", str(remote))
    result = run_cli("sync", "--data", str(tracker))
    assert result.exit_code == 0, result.stderr
    assert "Đã đẩy 1 lần ghi lên kho chung origin (nhánh main)." in result.stderr
    assert git(tracker, "rev-parse", "--abbrev-ref", "main@{upstream}").strip() == "origin/main"
    assert git(remote, "rev-parse", "main") == git(tracker, "rev-parse", "HEAD")


def test_invalid_data_is_not_pushed(office: Office) -> None:
    clone = office.clones[AN]
    office.record(AN, "1", "STP", "2026")
    path = clone / "data" / STP_FILE
    write(path, path.read_text(encoding="utf-8").replace("status: dang-thuc-hien", "status: xong"))
    git(clone, "commit", "--quiet", "-am", "sửa tay sai")
    remote_head = git(office.remote, "rev-parse", "main")
    result = office.sync(AN)
    assert result.exit_code == 1
    assert "dữ liệu sau khi gộp có lỗi nên chưa đẩy lên kho chung" in result.stderr
    assert "data/status/2026/so-tu-phap.yaml:" in result.stderr
    assert "trạng thái 'xong' không hợp lệ" in result.stderr
    assert git(office.remote, "rev-parse", "main") == remote_head


def test_clone_without_setup_git_is_told_to_run_it(office: Office, tmp_path: Path) -> None:
    """Without the driver git would merge status files line by line: sync stops before it fetches."""
    fresh = tmp_path / "may-moi"
    git(tmp_path, "clone", "--quiet", str(office.remote), str(fresh))
    git(fresh, "config", "user.name", "Phạm Thị Dung")
    git(fresh, "config", "user.email", "dung@tuphap.thanhhoa.gov.vn")
    office.clones["Dung"] = fresh
    office.record(AN, "1", "STP", "2026")
    assert office.sync(AN).exit_code == 0
    office.record("Dung", "2", "STP", "2026")
    before, head = file_snapshot(fresh), office.head("Dung")
    refused = office.sync("Dung")
    assert (refused.exit_code, refused.stderr) == (2, (
        "Lỗi: bản sao này chưa cài bộ gộp tệp trạng thái theo từng bản ghi (git clone không mang theo cấu "
        "hình này); chạy một lần: kehoach setup-git, rồi chạy lại kehoach sync. Chưa có gì bị thay đổi.\n"))
    assert file_snapshot(fresh) == before and office.head("Dung") == head
    assert run_cli("setup-git", "--data", str(fresh)).exit_code == 0
    result = office.sync("Dung")
    assert result.exit_code == 0, result.stderr
    assert git(fresh, "config", "--get", "merge.kehoach.driver").strip().endswith("merge-driver %O %A %B %P")
    assert sorted(r["task"] for r in office.records("Dung")) == ["1", "2"]
    shutil.rmtree(fresh)


def test_kehoach_own_files_never_stop_sync_nor_get_committed(tmp_path: Path, tracker: Path) -> None:
    """A tracker made by hand (git init, data/ copied, committed), with the caches, the lock and a
    temporary file a killed write left: sync neither refuses nor shares any of them."""
    made = tmp_path / "lam-tay"
    (made / "data").mkdir(parents=True)
    for name in ("plan.yaml", "units.yaml"):
        shutil.copy(tracker / "data" / name, made / "data" / name)
    git(made, "init", "--quiet", "-b", "main")
    git(made, "add", "data")
    git(made, "commit", "--quiet", "-m", "dữ liệu kế hoạch")
    remote = tmp_path / "kho.git"
    git(tmp_path, "init", "--quiet", "--bare", "-b", "main", str(remote))
    git(made, "remote", "add", "origin", str(remote))
    assert run_cli("setup-git", "--data", str(made)).exit_code == 0
    assert run_cli("record", "1", "STP", "--period", "2026", "--status", "dang-thuc-hien", "--as-of",
                   "2026-11-27", "--data", str(made)).exit_code == 0
    assert run_cli("status", "--as-of", "2026-11-27", "--data", str(made)).exit_code == 0
    assert run_cli("log", "--data", str(made)).exit_code == 0
    write(made / "data" / "status" / "2026" / ".so-tu-phap.yaml.k3j2.tmp", "records:\n")
    write(made / "data" / "status" / ".lock", "")  # where kehoach kept its lock before it moved into the cache
    assert (made / "data" / ".kehoach-cache" / "write.lock").exists()
    result = run_cli("sync", "--data", str(made))
    assert result.exit_code == 0, result.stderr
    assert git(made, "status", "--porcelain", "--untracked-files=all") == ""
    shared = git(remote, "ls-tree", "-r", "--name-only", "main").split()
    assert shared == [".gitattributes", ".gitignore", "data/plan.yaml", "data/status/2026/so-tu-phap.yaml",
                      "data/units.yaml"]
    assert (made / ".gitignore").read_text(encoding="utf-8") == (
        "/data/status/.lock\n/data/.kehoach-cache/\n.*.tmp\n")


def test_caches_committed_by_following_old_advice_stop_being_shared(tmp_path: Path, tracker: Path) -> None:
    """`git add data && git commit` in a tracker made by hand put the binary caches into the shared
    repository: the first sync of each clone stops sharing them, and two clones then sync cleanly."""
    made = tmp_path / "lam-tay"
    (made / "data").mkdir(parents=True)
    for name in ("plan.yaml", "units.yaml"):
        shutil.copy(tracker / "data" / name, made / "data" / name)
    git(made, "init", "--quiet", "-b", "main")
    assert run_cli("status", "--as-of", "2026-11-27", "--data", str(made)).exit_code == 0
    # The cache now carries its own .gitignore; a tracker made with an older kehoach had none: -f is that.
    git(made, "add", "-f", "data")
    git(made, "commit", "--quiet", "-m", "dữ liệu kế hoạch, kèm bộ nhớ đệm")
    cached = [p for p in git(made, "ls-files").split() if ".kehoach-cache" in p]
    assert cached
    remote = tmp_path / "kho.git"
    git(tmp_path, "clone", "--quiet", "--bare", str(made), str(remote))
    clones = []
    for number in (1, 2):
        clone = tmp_path / f"may-{number}"
        git(tmp_path, "clone", "--quiet", str(remote), str(clone))
        assert run_cli("setup-git", "--data", str(clone)).exit_code == 0
        assert run_cli("record", str(number), "STP", "--period", "2026", "--status", "dang-thuc-hien",
                       "--as-of", "2026-11-27", "--data", str(clone)).exit_code == 0
        clones.append(clone)
    for clone in (*clones, clones[0]):
        result = run_cli("sync", "--data", str(clone))
        assert result.exit_code == 0, result.stderr
    shared = git(remote, "ls-tree", "-r", "--name-only", "main").split()
    assert not [p for p in shared if ".kehoach-cache" in p]
    assert "data/status/2026/so-tu-phap.yaml" in shared
    assert git(clones[0], "rev-parse", "HEAD") == git(clones[1], "rev-parse", "HEAD")
    assert (clones[0] / "data" / ".kehoach-cache").is_dir()


def test_a_conflict_outside_the_status_files_is_named_for_editing(office: Office) -> None:
    for clerk, title in ((AN, "KẾ HOẠCH A"), (BINH, "KẾ HOẠCH B")):
        clone = office.clones[clerk]
        plan = clone / "data" / "plan.yaml"
        text = plan.read_text(encoding="utf-8")
        first = text.index("title:")
        write(plan, text[:first] + f"title: {title}\n" + text[text.index("\n", first) + 1:])
        git(clone, "commit", "--quiet", "-am", "sửa tên kế hoạch")
    assert office.sync(AN).exit_code == 0
    stopped = office.sync(BINH)
    assert stopped.exit_code == 1
    assert stopped.stderr.splitlines()[1:] == [
        "Xung đột ở data/plan.yaml: tệp bị sửa khác nhau ở hai nơi.",
        "Cách giải quyết:",
        "Các tệp sau không gộp được theo từng bản ghi; mở từng tệp, giữ lại nội dung đúng giữa các dòng <<<<<<< "
        "và >>>>>>> (xóa các dòng đánh dấu), chạy kehoach validate, rồi ghi lần gộp vào lịch sử:",
        "  data/plan.yaml",
        "  git add data/plan.yaml && git commit --no-edit",
        "Sau đó chạy lại: kehoach sync",
    ]


def _help_examples(command: str) -> list[str]:
    text = run_cli(command, "--help").stdout
    return [line.strip() for line in text.split("\nVí dụ:\n", 1)[1].splitlines() if line.startswith("  kehoach ")]


def test_the_examples_of_setup_git_and_sync_run_as_printed(tmp_path: Path, tracker: Path) -> None:
    import os
    import subprocess
    import sys

    git(tmp_path, "clone", "--quiet", str(tracker), str(tmp_path / "ban-sao-khac"))
    for name in ("origin", "tinh"):
        bare = tmp_path / f"kho-{name}.git"
        git(tmp_path, "init", "--quiet", "--bare", "-b", "main", str(bare))
        git(tracker, "remote", "add", name, str(bare))
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    examples = _help_examples("setup-git") + _help_examples("sync")
    assert len(examples) == 4
    for example in examples:
        done = subprocess.run(example, shell=True, cwd=tracker, env=env, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0 and "Lỗi" not in done.stderr, (example, done.stderr)
    assert git(tmp_path / "kho-tinh.git", "rev-parse", "main") == git(tracker, "rev-parse", "HEAD")
