"""A -j N build that fails or is interrupted ends its worker processes at once and exits
cleanly: the right status, no traceback from the main process or any worker, nothing left
in the output directory.

Each race is made certain rather than likely: a real build runs in a subprocess, with the
moment that decides the race held open by a small patch of the standard library (or of a
render, which forked workers inherit)."""

from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT, starter, write_content

pytestmark = pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(),
                                reason="workers inherit the patches by fork")

ENV = {**os.environ, "PYTHONPATH": str(ROOT)}
LIMIT = 120  # seconds; only reached when the build hangs (the failure these tests catch)

BUILD = """
from generator.cli import main
main(["build", sys.argv[1], "-o", sys.argv[2], "-j", "2"], prog_name="studygen")
"""
# Two worker processes beside the main one, which renders the explainer itself.
BUILD3 = BUILD.replace('"2"]', '"3"]')


def lacking_a_glyph(folder: Path) -> Path:
    """Content whose explainer check fails (the font has no U+2713) in the main process, which
    renders the explainer while the workers render the rest."""
    data = starter()
    data["sections"][0]["body"] += " Checked \u2713."
    return write_content(folder, data)


def run(script: str, *args: str, marker: Path | None = None) -> subprocess.CompletedProcess:
    """Run ``script``; with ``marker``, send SIGTERM to its main process once the file exists.
    The build must end, and leave no process of its own behind (a worker it did not end)."""
    proc = subprocess.Popen([sys.executable, "-c", script, *args], env=ENV, cwd=ROOT, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    try:
        if marker is not None:
            deadline = time.monotonic() + LIMIT
            while not marker.exists() and proc.poll() is None and time.monotonic() < deadline:
                time.sleep(0.05)
            if not marker.exists():
                _kill_group(proc.pid)
                pytest.fail(f"no worker got there:\n{proc.communicate()[1]}")
            proc.send_signal(signal.SIGTERM)
        try:
            out, err = proc.communicate(timeout=LIMIT)
        except subprocess.TimeoutExpired:
            pytest.fail(f"the build did not end within {LIMIT} s")
        assert not _kill_group(proc.pid), "a worker outlived the build"
    finally:
        _kill_group(proc.pid)
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


def _kill_group(pgid: int) -> bool:
    """Kill what is left of a process group; whether anything was."""
    try:
        os.killpg(pgid, signal.SIGKILL)
    except ProcessLookupError:
        return False
    return True


def empty(folder: Path) -> bool:
    return not folder.exists() or not any(folder.iterdir())


def test_a_failed_parallel_build_leaves_no_pool_thread_to_race_the_exit(tmp_path):
    """The pool's manager thread closes its wake-up pipe while it shuts down; at exit the
    interpreter writes to that pipe to wake it.  A manager still running when the build
    returns made that write fail now and then ("Exception ignored ... OSError: [Errno 9] Bad
    file descriptor" after the error message).  Here the manager holds its close until the
    exit's write has found the pipe open, which turns "now and then" into every time
    unless the build waits for the manager before it returns."""
    script = """if True:
        import sys, threading
        import concurrent.futures.process as cfp
        from multiprocessing.connection import Connection

        may_close = threading.Event()
        manager = cfp._ExecutorManagerThread
        internals, join, send = manager.join_executor_internals, manager.join, Connection.send_bytes

        def held_internals(self):  # the manager's shutdown, which ends by closing its pipe
            may_close.wait(30)
            internals(self)

        def waited_join(self, *args, **kwargs):  # whoever waits for the manager lets it finish
            may_close.set()
            return join(self, *args, **kwargs)

        def exit_send(self, *args):
            if cfp._global_shutdown and threading.current_thread() is threading.main_thread():
                may_close.set()  # the exit found the pipe open: the manager closes it now
                for thread in list(cfp._threads_wakeups):
                    join(thread, 30)
            return send(self, *args)

        manager.join_executor_internals = held_internals
        manager.join = waited_join
        Connection.send_bytes = exit_send
    """ + BUILD
    assert_stopped_by_the_glyph_problem(tmp_path, script)


def test_sigterm_ends_a_render_still_running_in_a_worker(tmp_path):
    """A worker rendering when the build is stopped is ended, not waited for: here its render
    would never finish."""
    marker = tmp_path / "rendering"
    script = f"""if True:
        import multiprocessing, sys, threading
        from pathlib import Path
        import generator.build as build
        real = build._render_one

        def endless(job, options, checked=False):
            if multiprocessing.parent_process() is not None:  # a worker, not the main process
                Path({str(marker)!r}).touch()
                threading.Event().wait()
            return real(job, options, checked)

        build._render_one = endless  # the workers are forked: they have it too
    """ + BUILD
    assert_ended_by_sigterm(tmp_path, script, marker)


def assert_stopped_by_the_glyph_problem(tmp_path: Path, script: str) -> None:
    """The build of content with a character the font lacks ends as a content problem does:
    status 1, the problem named, no traceback, nothing written."""
    out = tmp_path / "out"
    result = run(script, str(lacking_a_glyph(tmp_path / "c")), str(out))
    assert result.returncode == 1, result.stderr
    assert "U+2713" in result.stderr and "Traceback" not in result.stderr, result.stderr
    assert result.stderr.strip().splitlines()[-1].startswith("studygen: 1 problem(s)"), result.stderr
    assert empty(out)

def assert_ended_by_sigterm(tmp_path: Path, script: str, marker: Path) -> None:
    """The build of the fixture content, sent SIGTERM once ``marker`` exists, ends as SIGTERM
    ends a build: status 143, one line, nothing written."""
    out = tmp_path / "out"
    result = run(script, str(write_content(tmp_path / "c", starter())), str(out), marker=marker)
    assert result.returncode == 143, result.stderr
    assert result.stderr.strip() == "studygen: interrupted", result.stderr
    assert empty(out)

def test_sigterm_while_a_worker_is_sending_its_output(tmp_path):
    """A worker ended halfway through sending a result leaves the pool's reader waiting for the
    rest; the build still ends at once.  (Outputs do not travel through the pipe, but a
    result larger than a pipe holds, the problems of thousands of cards, is sent in parts.)"""
    marker = tmp_path / "sending"
    script = f"""if True:
        import os, sys, threading
        from pathlib import Path
        import concurrent.futures.process as cfp
        from multiprocessing.reduction import ForkingPickler
        real = cfp._sendback_result

        def half_sent(result_queue, work_id, result=None, exception=None, exit_pid=None):
            data = ForkingPickler.dumps(cfp._ResultItem(work_id, exception, result, exit_pid))
            if result is None:
                return real(result_queue, work_id, result, exception, exit_pid)
            result_queue._wlock.acquire()  # as a real send holds it, and a worker ended in one keeps it
            message = len(data).to_bytes(4, "big") + bytes(data[:len(data) // 2])
            while message:
                message = message[os.write(result_queue._writer.fileno(), message):]
            Path({str(marker)!r}).touch()
            threading.Event().wait()

        cfp._sendback_result = half_sent
    """ + BUILD
    assert_ended_by_sigterm(tmp_path, script, marker)


def test_a_worker_stopped_before_it_has_set_its_signals_prints_nothing(tmp_path):
    """A forked worker runs the main process's signal handlers until its own are set; SIGTERM
    then raised ``Terminated`` inside it, and it printed a traceback.  Here the second worker
    is held just before that point until the build stops it (its SIGTERM has arrived: run,
    or pending)."""
    script = """if True:
        import signal, sys, time
        import multiprocessing, multiprocessing.util

        class Hold:
            pass

        def hold(_):
            if multiprocessing.current_process().name.endswith("-2"):
                deadline = time.monotonic() + 60
                while signal.SIGTERM not in signal.sigpending() and time.monotonic() < deadline:
                    time.sleep(0.01)
                if signal.SIGTERM not in signal.sigpending():
                    sys.stderr.write("the second worker was never stopped\\n")

        hold_on = Hold()
        multiprocessing.util.register_after_fork(hold_on, hold)
    """ + BUILD3
    assert_stopped_by_the_glyph_problem(tmp_path, script)


def test_sigterm_ends_a_batch_whose_first_outputs_wait_in_temporary_files(tmp_path):
    """A batch stopped while a worker renders its last file, after other files' outputs were
    written to temporary files: status 143, one line, no temporary file left."""
    marker, out = tmp_path / "rendering", tmp_path / "out"
    script = f"""if True:
        import sys, threading, time
        from pathlib import Path
        import generator.build as build
        real = build._render_one

        def endless(job, options, checked=False):
            if job[0].slug == "a2" and job[1].name == "pdf":
                deadline = time.monotonic() + 60
                while not list(Path({str(out)!r}).glob(".*.tmp")) and time.monotonic() < deadline:
                    time.sleep(0.02)
                Path({str(marker)!r}).touch()
                threading.Event().wait()
            return real(job, options, checked)

        build._render_one = endless  # the workers are forked: they have it too
        from generator.cli import main
        main(["build", *sys.argv[1:], "-o", {str(out)!r}, "-j", "2"], prog_name="studygen")
    """
    paths = []
    for n in range(3):
        data = starter()
        data["article"]["slug"], data["article"]["deck"] = f"a{n}", f"Copy {n}"
        paths.append(str(write_content(tmp_path / "c", data, name=f"a{n}.toml")))
    result = run(script, *paths, marker=marker)
    assert result.returncode == 143, result.stderr
    assert result.stderr.strip() == "studygen: interrupted", result.stderr
    assert empty(out)


def test_sigterm_ends_a_single_file_build_whose_worker_has_written_an_output_but_not_sent_its_name(tmp_path):
    """A worker of a single file's build stopped after writing an output's temporary file,
    before the main process has heard of it: status 143, one line, no temporary file left."""
    marker = tmp_path / "written"
    script = f"""if True:
        import sys, threading
        from pathlib import Path
        import generator.build as build
        real = build.write_apart

        def written(out_dir, target, data, tag):
            tmp = real(out_dir, target, data, tag)
            Path({str(marker)!r}).touch()
            threading.Event().wait()

        build.write_apart = written  # the workers are forked: they have it too
    """ + BUILD
    assert_ended_by_sigterm(tmp_path, script, marker)


def _left_in_group(pgid: int) -> list[int]:
    """The live processes of a process group (a zombie waiting to be reaped has ended)."""
    left = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as handle:
                    fields = handle.read().rpartition(")")[2].split()
            except OSError:  # ended meanwhile
                continue
            if int(fields[2]) == pgid and fields[0] != "Z":
                left.append(int(entry))
    return left


def assert_workers_end_with_a_killed_main_process(tmp_path: Path, args: list[str]) -> None:
    """SIGKILL the main process while a worker renders an output (held there for ever): the
    workers must end with it, not render on and then wait for ever to hand over."""
    marker = tmp_path / "rendering"
    script = f"""if True:
        import os, sys, threading
        from pathlib import Path
        import generator.build as build
        real, main_process = build._render_one, os.getpid()

        def endless(job, options, checked=False):
            if os.getpid() != main_process:
                Path({str(marker)!r}).touch()
                threading.Event().wait()
            return real(job, options, checked)

        build._render_one = endless  # the workers are forked: they have it too
        from generator.cli import main
        main(["build", *sys.argv[1:]], prog_name="studygen")
    """
    proc = subprocess.Popen([sys.executable, "-c", script, *args], env=ENV, cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + LIMIT
        while not marker.exists() and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert marker.exists(), "no worker got there"
        proc.kill()
        proc.wait()
        deadline = time.monotonic() + 10
        while _left_in_group(proc.pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not _left_in_group(proc.pid), "a worker outlived its killed main process"
    finally:
        _kill_group(proc.pid)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux's")
def test_the_workers_of_a_batch_end_when_the_main_process_is_killed(tmp_path):
    paths = []
    for n in range(3):
        data = starter()
        data["article"]["slug"], data["article"]["deck"] = f"a{n}", f"Copy {n}"
        paths.append(str(write_content(tmp_path / "c", data, name=f"a{n}.toml")))
    assert_workers_end_with_a_killed_main_process(tmp_path, [*paths, "-o", str(tmp_path / "out"), "-j", "2"])


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux's")
def test_the_workers_of_a_single_file_build_end_when_the_main_process_is_killed(tmp_path):
    path = write_content(tmp_path / "c", starter())
    assert_workers_end_with_a_killed_main_process(tmp_path, [str(path), "-o", str(tmp_path / "out"), "-j", "3"])
