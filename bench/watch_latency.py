"""How soon ``studygen watch`` rewrites the deck after an edit to one card's back.

Run as ``python bench/watch_latency.py CONTENT.toml WORKDIR [EDITS]``.  Copies the
content and its source into WORKDIR, starts ``studygen watch`` there, waits for
its first build, then saves an edit to one card's back (alternating between two
texts) and times how long the deck file takes to be replaced, EDITS times.
Prints a JSON object: {"latencies": [seconds, ...], "startup": seconds}.
"""

from __future__ import annotations

import json
import queue
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

PATIENCE = 120.0


def main(content: Path, work: Path, edits: int) -> None:
    work.mkdir(parents=True, exist_ok=True)
    text = content.read_text(encoding="utf-8")
    source = re.search(r'^source = "(.+)"$', text, re.M).group(1)
    shutil.copyfile(content.parent / source, work / source)
    path = work / content.name
    path.write_text(text, encoding="utf-8")
    slug = re.search(r'^slug = "(.+)"$', text, re.M).group(1)
    out = work / "out"
    deck = out / f"{slug}.apkg"
    # The first card's back, edited in place: only the deck and the card sheets read it.
    cards = text.index("[[cards]]")
    match = re.compile(r'^back = "([^"\n\\]*)"$', re.M).search(text, cards)
    if match is None:
        raise SystemExit(f"{content}: no card with a one-line back to edit")
    before, after = text[:match.start(1)], text[match.end(1):]
    original = match.group(1)

    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "generator", "watch", str(path), "-o", str(out)],
                            cwd=work, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in proc.stderr], daemon=True).start()

    def wait_for(text: str) -> None:
        deadline = time.perf_counter() + PATIENCE
        while time.perf_counter() < deadline:
            try:
                if text in lines.get(timeout=1):
                    return
            except queue.Empty:
                if proc.poll() is not None:
                    raise SystemExit(f"watch exited {proc.returncode}")
        raise SystemExit(f"watch did not say {text!r}")

    try:
        wait_for("watching")
        startup = time.perf_counter() - started
        latencies = []
        for n in range(edits):
            if n:
                wait_for("built ")  # the rebuild of the previous edit is over (card sheets too)
            time.sleep(0.2)  # as between an author's saves
            old = deck.stat().st_ino
            back = original + (f" (edit {n})" if n % 2 == 0 else "")
            saved = time.perf_counter()
            path.write_text(before + back + after, encoding="utf-8")
            while True:
                try:
                    if deck.stat().st_ino != old:
                        break
                except FileNotFoundError:
                    pass
                if time.perf_counter() - saved > PATIENCE:
                    raise SystemExit("the deck was not rewritten")
                time.sleep(0.002)
            latencies.append(time.perf_counter() - saved)
        print(json.dumps({"latencies": latencies, "startup": startup}))
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3]) if len(sys.argv) > 3 else 7)
