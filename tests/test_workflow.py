"""Several articles: scaffolding, schema, parallel builds, reproducible output."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path


from tests.conftest import ROOT, copies, invoke, starter, write_content


def test_new_scaffold_passes_check_and_builds(tmp_path):
    article = tmp_path / "article.txt"
    article.write_text("Why We Sleep\nSleep has stages.\n\nDreams happen in REM sleep & <elsewhere>.\n",
                       encoding="utf-8")
    result = invoke("new", "sleep-basics", "--source", str(article), cwd=tmp_path)
    assert result.exit_code == 0, result.output
    toml = tmp_path / "content" / "sleep-basics.toml"
    assert (tmp_path / "content" / "sleep-basics.source.txt").read_bytes() == article.read_bytes()
    from generator.load import load
    doc = load(toml)
    assert doc.content.article.title == "Why We Sleep"
    assert [s.body for s in doc.content.sections] == [
        "Sleep has stages.", "Dreams happen in REM sleep & <elsewhere>."]
    text = toml.read_text(encoding="utf-8")
    for table in ("claims", "glossary", "references", "cards", "pathway", "takeaways"):
        assert f"# [[{table}]]" in text
    assert invoke("check", cwd=tmp_path).exit_code == 0
    assert invoke("build", "-j", "1", cwd=tmp_path).exit_code == 0
    assert (tmp_path / "output" / "sleep-basics.pdf").exists()


def test_new_refuses_to_overwrite(tmp_path):
    article = tmp_path / "a.txt"
    article.write_text("Title\nBody.\n", encoding="utf-8")
    assert invoke("new", "a", "--source", str(article), cwd=tmp_path).exit_code == 0
    toml = tmp_path / "content" / "a.toml"
    toml.write_text(toml.read_text() + "# edited\n")
    before = toml.read_bytes()
    result = invoke("new", "a", "--source", str(article), cwd=tmp_path)
    assert result.exit_code == 1 and "already exists" in result.output
    assert toml.read_bytes() == before


def test_schema_is_json_schema_of_the_model():
    result = invoke("schema")
    assert result.exit_code == 0
    schema = json.loads(result.output)
    assert set(schema["properties"]) == {"article", "takeaways", "sections", "claims", "pathway",
                                         "glossary", "references", "cards"}
    assert schema["additionalProperties"] is False
    import jsonschema
    validator = jsonschema.Draft202012Validator(schema)
    assert not list(validator.iter_errors(starter()))
    wrong = starter()
    wrong["cards"][0]["type"] = "essay"
    wrong["article"]["colour"] = "blue"
    assert len(list(validator.iter_errors(wrong))) >= 2


def test_many_articles_parallel_and_serial_are_identical(tmp_path):
    paths = copies(tmp_path / "content", 4, slug="article-{n}", deck="Test::Article {n}")
    serial, parallel = tmp_path / "serial", tmp_path / "parallel"
    one = invoke("build", *map(str, paths), "-o", str(serial), "-j", "1")
    two = invoke("build", *map(str, paths), "-o", str(parallel), "-j", "2")
    assert one.exit_code == 0 and two.exit_code == 0, one.output + two.output
    from generator.render import FORMATS
    files = 4 * len(FORMATS)
    assert f"built {files} file(s) from 4 content file(s)" in two.output
    names = sorted(p.name for p in serial.iterdir())
    assert names == sorted(p.name for p in parallel.iterdir()) and len(names) == files
    for name in names:
        assert (serial / name).read_bytes() == (parallel / name).read_bytes(), name


def test_duplicate_slugs_and_one_bad_file_write_nothing(tmp_path):
    good = write_content(tmp_path / "a", starter())
    twin = write_content(tmp_path / "b", starter())
    data = starter()
    data["article"]["slug"] = "other"
    data["claims"][0]["verdict"] = "maybe"
    bad = write_content(tmp_path / "c", data)
    result = invoke("build", str(good), str(twin), str(bad), "-o", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert "slug 'nmn-autophagy' is already used" in result.output
    assert re.search(rf"{re.escape(str(bad))}:\d+: claims\[0\]\(id=nmn-atp\)\.verdict", result.output)
    assert not (tmp_path / "out").exists()


def test_reproducible_across_directories_times_and_processes(tmp_path):
    content = write_content(tmp_path / "content", starter())
    outs = []
    for n in range(2):
        out = tmp_path / f"build-{n}"
        subprocess.run([sys.executable, "-m", "generator", "build", str(content), "-o", str(out)],
                       check=True, cwd=ROOT if n else tmp_path, capture_output=True)
        outs.append(out)
        time.sleep(1.1)  # a different second: nothing may depend on the clock
    names = sorted(p.name for p in outs[0].iterdir())
    assert names and names == sorted(p.name for p in outs[1].iterdir())
    for name in names:
        assert (outs[0] / name).read_bytes() == (outs[1] / name).read_bytes(), name


def test_source_date_epoch_changes_the_deck_timestamp(tmp_path):
    content = write_content(tmp_path / "content", starter())
    env = dict(os.environ)
    builds = []
    for epoch in (None, "1900000000"):
        if epoch:
            env["SOURCE_DATE_EPOCH"] = epoch
        out = tmp_path / f"out-{epoch}"
        subprocess.run([sys.executable, "-m", "generator", "build", str(content), "-o", str(out)],
                       check=True, env=env, capture_output=True)
        builds.append((out / "nmn-autophagy.apkg").read_bytes())
    assert builds[0] != builds[1]
    import zipfile, io
    info = zipfile.ZipFile(io.BytesIO(builds[1])).infolist()[0]
    assert info.date_time[:3] == (2030, 3, 17)


def run_in_terminal(args: list[str], cwd: Path) -> tuple[int, str]:
    """Run the CLI with stderr on a pseudo-terminal, as a user at a shell would."""
    import pty
    main_fd, child_fd = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "generator", *args], cwd=cwd, stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=child_fd, env={**os.environ, "COLUMNS": "100"})
    os.close(child_fd)
    chunks = []
    while True:
        try:
            data = os.read(main_fd, 4096)
        except OSError:  # the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    proc.wait()
    os.close(main_fd)
    return proc.returncode, b"".join(chunks).decode("utf-8", "replace")


def test_progress_bar_on_a_terminal_and_quiet_output(tmp_path):
    content = write_content(tmp_path / "content", starter())
    code, shown = run_in_terminal(["build", str(content), "-o", str(tmp_path / "tty"), "-j", "2"], tmp_path)
    assert code == 0, shown
    assert "building" in shown and "100%" in shown
    assert re.search(r"built \d+ file\(s\) from 1 content file\(s\): \d+ notes \(\d+ cards\), \d+ PDF page", shown)
    piped = subprocess.run([sys.executable, "-m", "generator", "build", str(content), "-o", str(tmp_path / "pipe")],
                           capture_output=True, text=True, cwd=tmp_path)
    assert piped.returncode == 0 and "building" not in piped.stderr and "built " in piped.stderr
    quiet = subprocess.run([sys.executable, "-m", "generator", "-q", "build", str(content), "-o",
                            str(tmp_path / "quiet")], capture_output=True, text=True, cwd=tmp_path)
    assert quiet.returncode == 0 and quiet.stderr == "" and quiet.stdout == ""
    verbose = invoke("build", str(content), "-o", str(tmp_path / "verbose"), "-v")
    assert verbose.exit_code == 0 and verbose.output.count("wrote ") == len(list((tmp_path / "verbose").iterdir()))


def test_summary_counts_what_was_built(tmp_path):
    from pypdf import PdfReader

    from tests.conftest import import_apkg

    content = write_content(tmp_path / "content", starter())
    out = tmp_path / "out"
    result = invoke("build", str(content), "-o", str(out))
    assert result.exit_code == 0, result.output
    m = re.search(r"built (\d+) file\(s\) from 1 content file\(s\): (\d+) notes \((\d+) cards\), (\d+) PDF", result.output)
    assert m, result.output
    files, notes, cards, pages = map(int, m.groups())
    assert files == len(list(out.iterdir()))
    assert pages == sum(len(PdfReader(p).pages) for p in out.glob("*.pdf"))
    col, _ = import_apkg(tmp_path / "c.anki2", out / "nmn-autophagy.apkg")
    try:
        assert (notes, cards) == (col.note_count(), col.card_count())
    finally:
        col.close()
