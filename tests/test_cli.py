"""The command line, through click's runner and as a real subprocess."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from generator import __version__
from generator.cli import main
from tests.conftest import ROOT, starter, write_content


def run(*args: str, cwd: Path | None = None):
    runner = CliRunner()
    if cwd is None:
        return runner.invoke(main, list(args))
    old = os.getcwd()
    os.chdir(cwd)
    try:
        return runner.invoke(main, list(args))
    finally:
        os.chdir(old)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())} if folder.exists() else {}


def test_version_and_help():
    result = run("--version")
    assert result.exit_code == 0 and result.output.strip() == f"studygen {__version__}"
    result = run("--help")
    assert result.exit_code == 0 and "build" in result.output and "check" in result.output


def test_build_default_content_and_output(tmp_path):
    project = tmp_path / "project"
    write_content(project / "content", starter())
    result = run("build", cwd=project)
    assert result.exit_code == 0, result.output
    from generator.render import FORMATS
    expected = sorted("nmn-autophagy" + f.suffix for f in FORMATS.values())
    assert sorted(p.name for p in (project / "output").iterdir()) == expected


def test_build_one_format_and_page_size(content_copy, tmp_path):
    out = tmp_path / "out"
    result = run("build", str(content_copy), "-o", str(out), "--format", "pdf", "--page-size", "letter")
    assert result.exit_code == 0, result.output
    assert [p.name for p in out.iterdir()] == ["nmn-autophagy.pdf"]
    from pypdf import PdfReader
    box = PdfReader(out / "nmn-autophagy.pdf").pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)


def test_check(content_copy):
    result = run("check", str(content_copy))
    assert result.exit_code == 0, result.output
    assert "ok:" in result.output


def test_broken_content_exits_1_and_leaves_output_alone(content_copy, tmp_path):
    out = tmp_path / "out"
    assert run("build", str(content_copy), "-o", str(out)).exit_code == 0
    before = snapshot(out)
    data = starter()
    data["cards"][0]["type"] = "flashcard"
    broken = write_content(content_copy.parent, data, name="broken.toml")
    result = run("build", str(content_copy), str(broken), "-o", str(out))
    assert result.exit_code == 1
    line = next(i for i, text in enumerate(broken.read_text().splitlines(), 1) if text == 'type = "flashcard"')
    assert f"{broken}:{line}: cards[0](id=nmn-precursor).type: unknown card type 'flashcard'" in result.output
    assert "Traceback" not in result.output
    assert snapshot(out) == before


def test_usage_errors_exit_2(content_copy):
    assert run("build", "--format", "docx", str(content_copy)).exit_code == 2
    assert run("build", "--no-such-option").exit_code == 2
    assert run("frobnicate").exit_code == 2


def test_output_path_is_a_file(content_copy, tmp_path):
    target = tmp_path / "file"
    target.write_text("keep me")
    result = run("build", str(content_copy), "-o", str(target))
    assert result.exit_code == 1
    assert "not a directory" in result.output
    assert target.read_text() == "keep me"


def test_console_script_and_module_as_subprocesses(content_copy, tmp_path):
    exe = shutil.which("studygen")
    commands = [[sys.executable, "-m", "generator"]] + ([[exe]] if exe else [])
    assert exe, "the studygen console script is not installed (pip install '.[test]')"
    for command in commands:
        out = tmp_path / Path(command[-1]).name
        proc = subprocess.run(command + ["build", str(content_copy), "-o", str(out)],
                              capture_output=True, text=True, cwd=ROOT)
        assert proc.returncode == 0, proc.stderr
        assert (out / "nmn-autophagy.pdf").exists() and (out / "nmn-autophagy.apkg").exists()
        bad = subprocess.run(command + ["check", str(tmp_path / "missing.toml")],
                             capture_output=True, text=True, cwd=ROOT)
        assert bad.returncode == 1 and "no such file" in bad.stderr and "Traceback" not in bad.stderr


def test_the_program_sets_the_cycle_collector_before_its_imports():
    """The console script and ``python -m generator`` both start at ``generator.__main__.run``,
    which sets the collector's threshold before the command's modules are imported."""
    probe = """if True:
        import gc, sys
        seen = []

        class Watch:  # notes the threshold when the command's module is about to be imported
            def find_spec(self, name, path=None, target=None):
                if name == "generator.cli":
                    seen.append(gc.get_threshold()[0])
                return None

        sys.meta_path.insert(0, Watch())
        sys.argv = ["studygen", "--version"]
        import os
        real_exit = os._exit
        os._exit = lambda status: (print(seen, gc.get_threshold()[0], flush=True), real_exit(status))
        default = gc.get_threshold()[0]
        from generator.__main__ import run
        print(default, flush=True)
        run()
    """
    proc = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    default, (seen, final) = int(lines[0]), lines[-1].rsplit(" ", 1)
    assert int(final) != default  # the program sets its own threshold
    assert seen == f"[{final}]"  # and had set it when it imported the command line
    with open(ROOT / "setup.cfg", encoding="utf-8") as handle:
        assert "studygen = generator.__main__:run" in handle.read()


def test_the_program_ends_with_its_output_whole_and_its_status(content_copy, tmp_path):
    """``python -m generator`` ends without tearing the interpreter down: what it printed to a
    file (block-buffered, unlike a terminal) is all there, and the status is the command's."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    env["PYTHONPATH"] = str(ROOT)
    listing = tmp_path / "cards.txt"
    with open(listing, "w") as handle:
        proc = subprocess.run([sys.executable, "-m", "generator", "cards", str(content_copy)],
                              stdout=handle, stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    in_process = run("cards", str(content_copy))
    assert in_process.stdout.count("\n") > 10 and listing.read_text() == in_process.stdout
    for args, status in ((["build", "--cards-per-page", "7", str(content_copy)], 2),
                         (["check", str(tmp_path / "missing.toml")], 1), (["--version"], 0)):
        proc = subprocess.run([sys.executable, "-m", "generator", *args], capture_output=True, text=True,
                              env=env, cwd=ROOT)
        assert proc.returncode == status, (args, proc.stderr)
        assert (proc.stdout + proc.stderr).strip() and "Traceback" not in proc.stderr
