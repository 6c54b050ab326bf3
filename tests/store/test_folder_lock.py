"""The data-folder lock: shared inside one process, exclusive between processes, and
gone with its holder (real processes, the OS lock)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest

from console.store.folder_lock import FolderInUse, hold_data_folder, read_holder

HOLD = textwrap.dedent("""
    import sys, time
    from console.store.folder_lock import hold_data_folder
    hold = hold_data_folder(sys.argv[1], "posko sync")
    print("held", flush=True)
    sys.stdin.readline()  # until the test closes our stdin
    hold.release()
    print("released", flush=True)
""")


def _holder(folder) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-c", HOLD, str(folder)], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True,
                            env=dict(os.environ, PYTHONPATH=os.getcwd()))
    assert proc.stdout.readline().strip() == "held"
    return proc


def test_holds_in_one_process_are_shared_and_released_by_the_last(tmp_path):
    first = hold_data_folder(tmp_path, "posko demo")
    second = hold_data_folder(tmp_path, "posko")  # demo seeding, then its console
    assert second.holder == first.holder and second.holder.pid == os.getpid()
    first.release()
    assert read_holder(tmp_path).pid == os.getpid()  # still held by `second`
    second.release()
    assert read_holder(tmp_path) is None  # an empty lock file names nobody
    with hold_data_folder(tmp_path) as again:
        assert again.holder.pid == os.getpid()


def test_another_process_is_named_and_its_release_frees_the_folder(tmp_path):
    proc = _holder(tmp_path)
    try:
        with pytest.raises(FolderInUse) as err:
            hold_data_folder(tmp_path)
        assert err.value.holder.pid == proc.pid
        assert err.value.holder.command == "posko sync"
        assert f"PID {proc.pid}" in str(err.value) and str(tmp_path) in str(err.value)
    finally:
        proc.stdin.close()
        assert proc.stdout.readline().strip() == "released"
        proc.wait(timeout=30)
    with hold_data_folder(tmp_path) as mine:
        assert mine.holder.pid == os.getpid()


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_a_killed_holder_leaves_its_details_but_not_its_lock(tmp_path):
    proc = _holder(tmp_path)
    proc.kill()
    proc.wait(timeout=30)
    assert read_holder(tmp_path).pid == proc.pid  # the file still names it...
    with hold_data_folder(tmp_path) as hold:  # ...but its lock died with it
        assert hold.holder.pid == os.getpid()
        assert read_holder(tmp_path).pid == os.getpid()
