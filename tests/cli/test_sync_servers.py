"""`kehoach sync` through real git servers on 127.0.0.1: `git daemon` (git://, pushes allowed) and an
sshd the test starts on a free port with its own host key and an authorized key (skipped with the
reason when sshd or ssh-keygen is missing). And an ssh host that never answers: sync gives up within
the connect timeout with a Vietnamese message, changing nothing."""

from __future__ import annotations

import getpass
import json
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from kehoach.git import sync as git_sync
from support.cli import run_cli
from support.files import file_snapshot
from support.git import git

AS_OF = "2026-11-27"
SSHD = shutil.which("sshd") or next((p for p in ("/usr/sbin/sshd",) if Path(p).exists()), None)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for_port(port: int, process: subprocess.Popen[bytes], seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"server exited early: {process.stderr.read().decode() if process.stderr else ''}")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise AssertionError(f"nothing listens on port {port}")


def stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def shared_repository(tmp_path: Path, seed: Path) -> Path:
    bare = tmp_path / "kho" / "theo-doi.git"
    bare.parent.mkdir()
    git(tmp_path, "clone", "--quiet", "--bare", str(seed), str(bare))
    return bare


def clerk_clone(url: str, folder: Path, name: str) -> Path:
    git(folder.parent, "clone", "--quiet", url, str(folder))
    git(folder, "config", "user.name", name)
    git(folder, "config", "user.email", f"{folder.name}@tuphap.thanhhoa.gov.vn")
    assert run_cli("setup-git", "--data", str(folder)).exit_code == 0
    return folder


def record(clone: Path, task: str) -> None:
    result = run_cli("record", task, "STP", "--period", "2026", "--status", "dang-thuc-hien", "--as-of", AS_OF,
                     "--data", str(clone))
    assert result.exit_code == 0, result.stderr


def recorded(clone: Path) -> list[tuple[str, str]]:
    result = run_cli("status", "--period", "2026", "--unit", "STP", "--as-of", AS_OF, "--format", "json",
                     "--data", str(clone))
    return sorted((r["task"], r["recorded_by"]) for r in json.loads(result.stdout) if r["recorded"])


def two_clerks_exchange(url: str, tmp_path: Path) -> None:
    an = clerk_clone(url, tmp_path / "may-an", "Nguyễn Văn An")
    binh = clerk_clone(url, tmp_path / "may-binh", "Trần Thị Bình")
    record(an, "1")
    record(binh, "2")
    for clone in (an, binh, an):
        result = run_cli("sync", "--data", str(clone))
        assert result.exit_code == 0, result.stderr
    assert recorded(an) == recorded(binh) == [("1", "Nguyễn Văn An"), ("2", "Trần Thị Bình")]
    assert git(an, "rev-parse", "HEAD") == git(binh, "rev-parse", "HEAD")


@pytest.fixture
def no_test_identity(monkeypatch: pytest.MonkeyPatch) -> None:
    for key in ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL"):
        monkeypatch.delenv(key, raising=False)


@pytest.fixture
def git_daemon(tmp_path: Path, office_template: Path) -> Iterator[str]:
    bare = shared_repository(tmp_path, office_template)
    port = free_port()
    daemon = subprocess.Popen(
        ["git", "daemon", "--reuseaddr", "--export-all", "--enable=receive-pack", "--listen=127.0.0.1",
         f"--port={port}", f"--base-path={bare.parent}", str(bare.parent)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        wait_for_port(port, daemon)
        yield f"git://127.0.0.1:{port}/{bare.name}"
    finally:
        stop(daemon)


def test_sync_through_git_daemon(git_daemon: str, tmp_path: Path, no_test_identity: None) -> None:
    two_clerks_exchange(git_daemon, tmp_path)


@pytest.fixture
def sshd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[int, Path]]:
    """An sshd of our own on a free port: its host key, one authorized key for the current user."""
    if SSHD is None or shutil.which("ssh-keygen") is None or shutil.which("ssh") is None:
        pytest.skip("không có sshd/ssh-keygen/ssh (Debian: apt-get install openssh-server)")
    keys = tmp_path / "ssh"
    keys.mkdir(mode=0o700)
    for name in ("host", "clerk"):
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(keys / name)], check=True)
    (keys / "authorized_keys").write_text((keys / "clerk.pub").read_text(encoding="utf-8"), encoding="utf-8")
    Path("/run/sshd").mkdir(exist_ok=True)  # sshd's privilege-separation folder
    port = free_port()
    config = keys / "sshd_config"
    config.write_text("\n".join([
        f"Port {port}", "ListenAddress 127.0.0.1", f"HostKey {keys / 'host'}", f"PidFile {keys / 'sshd.pid'}",
        f"AuthorizedKeysFile {keys / 'authorized_keys'}", "PasswordAuthentication no",
        "KbdInteractiveAuthentication no", "UsePAM no", "StrictModes no", "PermitRootLogin prohibit-password",
        f"AllowUsers {getpass.getuser()}", ""]), encoding="utf-8")
    daemon = subprocess.Popen([SSHD, "-D", "-e", "-f", str(config)], stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE)
    try:
        wait_for_port(port, daemon)
        monkeypatch.setenv("GIT_SSH_COMMAND", (
            f"ssh -i {keys / 'clerk'} -o IdentitiesOnly=yes -o UserKnownHostsFile={keys / 'known_hosts'} "
            "-o StrictHostKeyChecking=accept-new -o BatchMode=yes"))
        yield port, keys
    finally:
        stop(daemon)


def test_sync_through_ssh(sshd: tuple[int, Path], tmp_path: Path, office_template: Path,
                          no_test_identity: None) -> None:
    port, _ = sshd
    bare = shared_repository(tmp_path, office_template)
    two_clerks_exchange(f"ssh://{getpass.getuser()}@127.0.0.1:{port}{bare}", tmp_path)


@pytest.fixture
def silent_host() -> Iterator[int]:
    """A host that accepts the connection and never says a word, as a firewall or a hung server does."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    held: list[socket.socket] = []

    def accept() -> None:
        while True:
            try:
                held.append(listener.accept()[0])
            except OSError:
                return

    threading.Thread(target=accept, daemon=True).start()
    try:
        yield int(listener.getsockname()[1])
    finally:
        listener.close()
        for connection in held:
            connection.close()


def test_an_ssh_host_that_never_answers_gives_up_in_time(silent_host: int, tracker: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    if shutil.which("ssh") is None:
        pytest.skip("không có chương trình ssh")
    assert git_sync.SSH_CONNECT_TIMEOUT_S <= 15
    monkeypatch.setattr(git_sync, "SSH_CONNECT_TIMEOUT_S", 2)
    monkeypatch.delenv("GIT_SSH_COMMAND", raising=False)
    url = f"ssh://kehoach@127.0.0.1:{silent_host}/kho/theo-doi.git"
    git(tracker, "remote", "add", "origin", url)
    before, head = file_snapshot(tracker), git(tracker, "rev-parse", "HEAD")
    started = time.monotonic()
    result = run_cli("sync", "--data", str(tracker))
    took = time.monotonic() - started
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Lỗi: không lấy được dữ liệu từ kho chung 'origin' ({url}): máy chủ "
                                    "không trả lời (quá 2 giây). Dữ liệu và lịch sử thay đổi trên máy này không "
                                    "bị đụng tới;")
    assert "timed out" in result.stderr
    assert took < 10, f"sync waited {took:.1f} s"
    assert file_snapshot(tracker) == before and git(tracker, "rev-parse", "HEAD") == head


def test_the_clerks_own_ssh_command_is_kept(tracker: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GIT_SSH_COMMAND", raising=False)
    monkeypatch.delenv("GIT_SSH", raising=False)
    assert git_sync.network_env(tracker) == {
        "GIT_SSH_COMMAND": f"ssh -o ConnectTimeout={git_sync.SSH_CONNECT_TIMEOUT_S} -o BatchMode=yes"}
    git(tracker, "config", "core.sshCommand", "ssh -p 2222")
    assert git_sync.network_env(tracker) == {}
    git(tracker, "config", "--unset", "core.sshCommand")
    monkeypatch.setenv("GIT_SSH_COMMAND", "ssh -i ~/.ssh/stp")
    assert git_sync.network_env(tracker) == {}


def test_a_refused_connection_is_told_in_vietnamese(tracker: Path) -> None:
    url = f"ssh://kehoach@127.0.0.1:{free_port()}/kho/theo-doi.git"
    git(tracker, "remote", "add", "origin", url)
    result = run_cli("sync", "--data", str(tracker))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Lỗi: không lấy được dữ liệu từ kho chung 'origin' ({url}): máy chủ từ "
                                    "chối kết nối (sai cổng, hoặc dịch vụ git/ssh chưa chạy). Dữ liệu")
