"""The write phase: a build that fails or is interrupted leaves the output directory
as it was (no temporary files, no mix of old and new outputs), and says so in one line."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import CONTENT, ROOT, starter, write_content

ENV = {**os.environ, "PYTHONPATH": str(ROOT)}


def tree(folder: Path) -> dict[str, bytes | None]:
    """Every entry under ``folder``: file bytes, or None for a directory."""
    return {str(p.relative_to(folder)): (p.read_bytes() if p.is_file() else None)
            for p in sorted(folder.rglob("*"))}


def changed(folder: Path) -> Path:
    """The fixture content, edited so that every output changes."""
    data = starter()
    data["article"]["title"] = "A changed title"
    return write_content(folder, data)


def build_in_subprocess(script: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", script, *args], capture_output=True, text=True, env=ENV,
                          cwd=ROOT, timeout=300)


def test_failed_rename_puts_back_what_was_replaced(tmp_path, monkeypatch):
    """A target turns into a directory after the up-front check (another program, a race):
    the explainer already renamed into place is put back and the new deck removed."""
    import generator.build as build_module
    from generator.errors import OutputError
    from generator.render import FORMATS, Options

    out = tmp_path / "out"
    path = write_content(tmp_path / "content", starter())
    build_module.build([path], out, ["pdf"], Options())
    before = tree(out)
    blocker = out / "nmn-autophagy-cards.pdf"  # renamed last
    blocker.mkdir()
    (blocker / "keep.txt").write_text("not ours")
    before = tree(out)
    changed(tmp_path / "content")
    monkeypatch.setattr(build_module, "check_targets", lambda out_dir, targets: None)
    with pytest.raises(OutputError) as error:
        build_module.build([path], out, list(FORMATS), Options())
    assert tree(out) == before  # old explainer back, no deck, no temporary or backup files
    assert "Is a directory" in str(error.value) and "existing outputs are unchanged" in str(error.value)


def built_then_changed(tmp_path: Path):
    """A first build into ``out``, then an edit of its content: (out, content file, outputs before)."""
    out = tmp_path / "out"
    path = write_content(tmp_path / "content", starter())
    first = subprocess.run([sys.executable, "-m", "generator", "-q", "build", str(path), "-o", str(out)],
                           env=ENV, cwd=ROOT, capture_output=True, text=True)
    assert first.returncode == 0, first.stderr
    before = tree(out)
    changed(tmp_path / "content")
    return out, path, before


def test_sigterm_in_the_write_phase_cleans_up(tmp_path):
    out, path, before = built_then_changed(tmp_path)
    # SIGTERM arrives while the second output is being written (a real signal, sent at a known moment).
    script = """if True:
        import os, signal, sys
        calls = []
        real = os.fsync
        def fsync(fd):
            real(fd)
            calls.append(fd)
            if len(calls) == 2:
                os.kill(os.getpid(), signal.SIGTERM)
        os.fsync = fsync
        from generator.cli import main
        main(["build", sys.argv[1], "-o", sys.argv[2], "-j", "1"], prog_name="studygen")
    """
    result = build_in_subprocess(script, str(path), str(out))
    assert result.returncode == 143, (result.returncode, result.stderr)
    assert result.stderr.strip().endswith("studygen: interrupted") and "Traceback" not in result.stderr
    assert tree(out) == before


def test_signal_during_the_renames_waits_until_all_are_done(tmp_path):
    """Old and new outputs never mix: a signal that arrives between two renames takes effect
    once every output is in place."""
    out, path, before = built_then_changed(tmp_path)
    script = """if True:
        import os, signal, sys
        real = os.replace
        def replace(a, b):
            real(a, b)
            if str(b).endswith(".pdf"):
                os.kill(os.getpid(), signal.SIGTERM)
        os.replace = replace
        from generator.cli import main
        main(["build", sys.argv[1], "-o", sys.argv[2], "-j", "1"], prog_name="studygen")
    """
    result = build_in_subprocess(script, str(path), str(out))
    assert result.returncode == 143, (result.returncode, result.stderr)
    after = tree(out)
    assert after.keys() == before.keys()  # no temporary or backup files
    assert all(after[name] != before[name] for name in before)  # every output is the new one


def _children(pid: int) -> list[int]:
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def _idle(pid: int) -> bool:
    """Whether a process is asleep (a worker waiting for its next job) rather than working."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "S"
    except OSError:
        return False


@pytest.mark.parametrize("moment", ["all busy", "one idle"])
def test_ctrl_c_during_a_parallel_build_prints_one_line(tmp_path, moment):
    """Ctrl-C while every worker renders, and while one waits for work (one article: the deck
    is done long before the explainer): one line, no worker's traceback."""
    content = tmp_path / "content"
    content.mkdir()
    shutil.copyfile(CONTENT.with_suffix(".source.txt"), content / "nmn-autophagy.source.txt")
    text = CONTENT.read_text(encoding="utf-8")
    if moment == "one idle":  # an explainer long enough to interrupt after the deck is done
        def body(n: int) -> str:  # distinct paragraphs: a repeated one would be laid out once
            return "\\n\\n".join(" ".join(f"Cells break down worn part {n}.{k}.{i} and reuse it." for i in range(12))
                                for k in range(4))
        text += "".join(f'\n[[sections]]\nid = "extra-{n}"\nheading = "Extra part {n}"\nbody = "{body(n)}"\n'
                        for n in range(600))
    for n in range(4 if moment == "all busy" else 1):
        (content / f"a{n}.toml").write_text(text.replace('slug = "nmn-autophagy"', f'slug = "a{n}"'),
                                            encoding="utf-8")
    out = tmp_path / "out"
    proc = subprocess.Popen([sys.executable, "-m", "generator", "build", *map(str, sorted(content.glob("*.toml"))),
                             "-o", str(out), "-j", "4"], env=ENV, cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)
    deadline = time.monotonic() + 120
    idle_seen = 0
    while proc.poll() is None and time.monotonic() < deadline:
        workers = _children(proc.pid)
        if moment == "all busy" and len(workers) >= 2:
            time.sleep(0.3)
            break
        idle_seen = idle_seen + 1 if len(workers) >= 2 and any(_idle(w) for w in workers) else 0
        if idle_seen >= 3:
            break
        time.sleep(0.1)
    assert proc.poll() is None, "the build ended before it could be interrupted"
    os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C in a terminal does: the whole process group
    _, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 130, stderr
    assert "Traceback" not in stderr and "KeyboardInterrupt" not in stderr, stderr
    assert stderr.strip().splitlines()[-1] == "studygen: interrupted"
    assert not out.exists() or not any(out.iterdir())


def test_outputs_wait_in_temporary_files_until_all_are_made(tmp_path, monkeypatch):
    """A build does not hold its finished outputs in memory: each waits in a temporary file
    beside its target; when a later one fails, they are removed (with the output directory
    the build made) and earlier outputs stay as they were."""
    import generator.build as build_module
    from generator.errors import RenderError
    from generator.render import Options

    out = tmp_path / "out"
    path = write_content(tmp_path / "content", starter())
    seen: list[list[str]] = []
    rendered: list = []
    render_one = build_module._render_one

    def failing(job, options, checked=False):  # the last of a build's four outputs fails
        rendered.append(job)
        if len(rendered) < 4:
            return render_one(job, options, checked)
        seen.append(sorted(p.name for p in out.iterdir()))
        raise RenderError("cannot lay this out")

    monkeypatch.setattr(build_module, "_render_one", failing)
    formats = ["pdf", "anki", "cards", "html"]
    with pytest.raises(RenderError):
        build_module.build([path], out, formats, Options(), workers=1)
    assert len(seen[0]) == 3 and all(name.startswith(".") and name.endswith(".tmp") for name in seen[0])
    assert not out.exists()
    rendered.clear()
    build_module.build([path], out, ["pdf"], Options(), workers=1)
    before = tree(out)
    changed(tmp_path / "content")
    rendered.clear()
    with pytest.raises(RenderError):
        build_module.build([path], out, formats, Options(), workers=1)
    assert tree(out) == before


# A real signal sent while a command imports what it needs, before its guarded work starts
# (the first half second of a build), or once its outputs are written.
_SIGNAL_ON_IMPORT = """if True:
    import importlib.abc, os, signal, sys
    signal.signal(signal.SIGINT, signal.default_int_handler)  # as in a terminal
    class SignalOnImport(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path, target=None):
            if name == sys.argv[1]:
                sys.meta_path.remove(self)
                os.kill(os.getpid(), getattr(signal, sys.argv[2]))
            return None
    sys.meta_path.insert(0, SignalOnImport())
    from generator.cli import main
    main(sys.argv[3:], prog_name="studygen")
"""


@pytest.mark.parametrize("module, command", [
    ("generator.build", "build"),  # the build command's own imports
    ("generator.render.pdf.cards", "build"),  # --cards-per-page is checked against the paper
    ("generator.coverage", "check"),
])
@pytest.mark.parametrize("name, code", [("SIGINT", 130), ("SIGTERM", 143)])
def test_a_signal_before_the_work_starts_exits_as_the_readme_says(tmp_path, module, command, name, code):
    path = write_content(tmp_path / "content", starter())
    out = tmp_path / "out"
    args = [command, str(path)] + (["-o", str(out)] if command == "build" else [])
    result = build_in_subprocess(_SIGNAL_ON_IMPORT, module, name, *args)
    assert result.returncode == code, (result.returncode, result.stderr)
    assert result.stderr.strip().splitlines()[-1] == "studygen: interrupted", result.stderr
    assert "Traceback" not in result.stderr and "Aborted" not in result.stderr
    assert not out.exists()


def test_ctrl_c_while_watch_starts_stops_watching(tmp_path):
    path = write_content(tmp_path / "content", starter())
    out = tmp_path / "out"
    result = build_in_subprocess(_SIGNAL_ON_IMPORT, "generator.watch", "SIGINT", "watch", str(path), "-o", str(out))
    assert result.returncode == 0, (result.returncode, result.stderr)
    assert result.stderr.strip().splitlines()[-1] == "stopped watching", result.stderr
    assert "Traceback" not in result.stderr and "Aborted" not in result.stderr
    assert not out.exists()
