"""``studygen watch`` for real: a process that rebuilds on edits, keeps good outputs on errors, stops on Ctrl-C."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from tests.conftest import ROOT, starter, write_content

DECK, EXPLAINER, CARDS = "nmn-autophagy.apkg", "nmn-autophagy.pdf", "nmn-autophagy-cards.pdf"
PAGE = "nmn-autophagy.html"
PATIENCE = 180  # seconds; generous, the machine may be busy (tests are not timed)


class Watcher:
    def __init__(self, content: Path, out: Path, *args: str):
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        self.proc = subprocess.Popen([sys.executable, "-m", "generator", "watch", str(content), "-o", str(out), *args],
                                     cwd=content.parent, env=env, stdin=subprocess.DEVNULL,
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.proc.stdout:
            self.lines.put(line.rstrip("\n"))

    def wait_for(self, text: str) -> str:
        deadline = time.monotonic() + PATIENCE
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=1)
            except queue.Empty:
                assert self.proc.poll() is None, f"watch exited {self.proc.returncode}: {self.seen}"
                continue
            self.seen.append(line)
            if text in line:
                return line
        raise AssertionError(f"no line with {text!r} within {PATIENCE} s: {self.seen}")

    def stop(self) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
        try:
            return self.proc.wait(timeout=PATIENCE)
        finally:
            if self.proc.poll() is None:
                self.proc.kill()


def identity(path: Path) -> tuple[int, int]:
    st = path.stat()
    return st.st_ino, st.st_mtime_ns


def wait_until(condition, what: str) -> None:
    deadline = time.monotonic() + PATIENCE
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError(f"{what} did not happen within {PATIENCE} s")


def save(content: Path, data: dict) -> None:
    write_content(content.parent, data, content.name)


def test_watch_rebuilds_edits_keeps_good_outputs_on_errors_and_stops_on_ctrl_c(tmp_path):
    content = write_content(tmp_path / "content", starter())
    out = tmp_path / "out"
    watcher = Watcher(content, out)
    try:
        watcher.wait_for("watching")
        assert sorted(p.name for p in out.iterdir()) == sorted([DECK, EXPLAINER, CARDS, PAGE])
        deck, explainer = (out / DECK).read_bytes(), identity(out / EXPLAINER)

        # Edit one card's back: the deck, the card sheets and the HTML edition (its card preview)
        # are rebuilt, the explainer is untouched.
        data = starter()
        data["cards"][0]["back"] += " (edited while watching)"
        save(content, data)
        wait_until(lambda: (out / DECK).read_bytes() != deck, "a rebuilt deck")
        watcher.wait_for("built 3 file(s) (1 up to date)")
        assert identity(out / EXPLAINER) == explainer
        good = {p.name: p.read_bytes() for p in out.iterdir()}

        # A content error: the same messages as check, and the last good outputs stay.
        broken = starter()
        broken["cards"][0]["back"] += " (edited while watching)"
        broken["cards"][1]["type"] = "basik"
        save(content, broken)
        line = watcher.wait_for("error: ")
        assert "cards[1]" in line and "type" in line and "basik" in line
        check = subprocess.run([sys.executable, "-m", "generator", "check", str(content)], cwd=content.parent,
                               env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True, text=True)
        assert check.returncode == 1 and line in check.stderr.splitlines()
        watcher.wait_for("previous outputs are kept")
        assert {p.name: p.read_bytes() for p in out.iterdir()} == good

        # The watcher is still there: fixing the error builds again (nothing changed since the last good build).
        save(content, data)
        watcher.wait_for("(4 up to date)")
        # A change to the source article is watched too (it is checked, though no format prints it).
        source = content.parent / data["article"]["source"]
        source.write_text(source.read_text(encoding="utf-8") + "\n", encoding="utf-8")
        watcher.wait_for("changed: " + source.name)
        watcher.wait_for("(4 up to date)")
        assert {p.name: p.read_bytes() for p in out.iterdir()} == good
    finally:
        code = watcher.stop()
    assert code == 0, watcher.seen
    assert sorted(p.name for p in out.iterdir()) == sorted([DECK, EXPLAINER, CARDS, PAGE])  # no temporary files


def test_ctrl_c_during_a_rebuild_exits_0_and_leaves_no_temporary_files(tmp_path):
    content = write_content(tmp_path / "content", starter())
    out = tmp_path / "out"
    watcher = Watcher(content, out)
    try:
        watcher.wait_for("watching")
        before = {p.name: p.read_bytes() for p in out.iterdir()}
        data = starter()
        data["takeaways"][0]["text"] = "A takeaway edited just before stopping."
        save(content, data)
        watcher.wait_for("changed: ")
        time.sleep(0.2)  # somewhere inside the rebuild of the explainer
    finally:
        code = watcher.stop()
    assert code == 0, watcher.seen
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted(before), names
    assert (out / DECK).read_bytes() == before[DECK]
