"""output/ is replaced only by a finished build, atomically, whatever output/ is and whatever goes wrong on the way."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from conftest import copy_project, snapshot
from tools import output as swap


def site(folder: Path, marker: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "index.html").write_text(marker)
    (folder / "images").mkdir(exist_ok=True)
    (folder / "images" / f"{marker}.svg").write_text("<svg/>")
    return folder


def test_a_finished_build_replaces_output_in_one_exchange(tmp_path):
    deploy = site(tmp_path / "output", "old")
    staging = site(swap.new_staging(deploy), "new")
    swap.publish(staging, deploy)
    assert (deploy / "index.html").read_text() == "new"
    assert not (deploy / "images" / "old.svg").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["output"]


def test_when_output_is_a_symbolic_link_the_folder_it_names_is_replaced_and_the_link_kept(tmp_path):
    real = site(tmp_path / "srv" / "site", "old")
    deploy = tmp_path / "output"
    deploy.symlink_to(real)
    staging = site(swap.new_staging(deploy), "new")
    assert staging.parent == real.parent, "the new build is made beside the real folder"
    swap.publish(staging, deploy)
    assert deploy.is_symlink() and deploy.resolve() == real.resolve()
    assert (deploy / "index.html").read_text() == "new"


def test_when_output_is_a_mount_point_its_contents_are_replaced(tmp_path, monkeypatch):
    deploy = site(tmp_path / "output", "old")
    staging = site(swap.new_staging(deploy), "new")
    monkeypatch.setattr(swap.os.path, "ismount", lambda path: Path(path) == deploy)
    renamed = []
    monkeypatch.setattr(swap, "exchange", lambda *paths: renamed.append(paths) or True)
    swap.publish(staging, deploy)
    assert not renamed, "a mount point cannot be renamed (EBUSY)"
    assert snapshot(deploy) == {
        "index.html": snapshot(deploy)["index.html"],
        "images/new.svg": snapshot(deploy)["images/new.svg"],
    }
    assert (deploy / "index.html").read_text() == "new" and not staging.exists()


def test_a_crash_between_two_renames_is_repaired_by_the_next_build(tmp_path, monkeypatch):
    deploy = site(tmp_path / "output", "old")
    staging = site(swap.new_staging(deploy), "new")
    monkeypatch.setattr(swap, "exchange", lambda *paths: False)  # a system without renameat2
    real_rename = Path.rename

    def crash_on_second(self, target):
        if Path(self) == staging:
            raise KeyboardInterrupt  # killed between the two renames
        return real_rename(self, target)

    monkeypatch.setattr(Path, "rename", crash_on_second)
    with pytest.raises(KeyboardInterrupt):
        swap.publish(staging, deploy)
    assert not deploy.exists(), "the crash left no output/"
    monkeypatch.setattr(Path, "rename", real_rename)
    swap.recover(deploy)
    assert (deploy / "index.html").read_text() == "old", "the previous site is back"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["output"], "and the leftovers are gone"


def test_leftover_folders_of_killed_builds_are_removed(tmp_path):
    deploy = site(tmp_path / "output", "old")
    (tmp_path / ".output-new-abc").mkdir()
    (tmp_path / ".output-old-def").mkdir()
    swap.recover(deploy)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["output"]


def test_overlapping_builds_take_turns(tmp_path):
    deploy = tmp_path / "output"
    order = []

    def hold(name: str, seconds: float) -> None:
        with swap.locked(deploy):
            order.append(f"{name} in")
            time.sleep(seconds)
            order.append(f"{name} out")

    first = threading.Thread(target=hold, args=("first", 0.5))
    first.start()
    time.sleep(0.1)
    hold("second", 0)
    first.join()
    assert order == ["first in", "first out", "second in", "second out"]


@pytest.mark.slow
def test_two_make_builds_at_once_both_succeed_and_leave_one_complete_output(tmp_path):
    project = copy_project(tmp_path / "project")
    command = [sys.executable, "-m", "tools.build", "--no-cache"]
    runs = [
        subprocess.Popen(command, cwd=project, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    results = [run.communicate(timeout=300) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], results
    assert (project / "output" / "index.html").is_file()
    assert not list(project.glob(".output-*"))


@pytest.mark.slow
def test_ctrl_c_during_a_build_is_quiet_and_leaves_output_as_it_was(tmp_path):
    project = copy_project(tmp_path / "project")
    assert subprocess.run([sys.executable, "-m", "tools.build"], cwd=project, capture_output=True).returncode == 0
    before = snapshot(project / "output")
    for n in range(600):  # enough pages that the build is still writing when Ctrl-C comes
        (project / "content" / f"zq-test-{n}.md").write_text(
            f"Title: Zq {n}\nDate: 2026-01-02\nCategory: Zq Test Hub\n\n" + "Words. " * 400 + "\n"
        )
    run = subprocess.Popen(
        [sys.executable, "-m", "tools.build", "--no-cache"],
        cwd=project,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 120
    while not any(any(staging.glob("zq-test-*.html")) for staging in project.glob(".output-new-*")):
        assert run.poll() is None, "the build ended before it could be interrupted"
        assert time.monotonic() < deadline
        time.sleep(0.01)
    run.send_signal(2)  # Ctrl-C while pages are being written
    _, err = run.communicate(timeout=60)
    assert run.returncode == 130, err
    assert "Traceback" not in err and "nothing was published" in err
    assert snapshot(project / "output") == before
    assert not list(project.glob(".output-*"))


def test_the_exchange_is_really_atomic_on_this_system(tmp_path):
    """renameat2(RENAME_EXCHANGE) exists here; elsewhere the two-rename path is used (tested above)."""
    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir()
    second.mkdir()
    (first / "x").write_text("a")
    if not swap.exchange(first, second):
        pytest.fail(f"renameat2 is not available on {sys.platform} {os.uname().release}")
    assert (second / "x").read_text() == "a" and not (first / "x").exists()
