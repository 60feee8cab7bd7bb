"""The bad-input catalogue: each case exits 1 with file and key path, no traceback, nothing written."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main
from tests.conftest import starter, write_content


def invoke(*args: str):
    return CliRunner().invoke(main, list(args))


def tree(folder: Path) -> dict[str, bytes]:
    """Every file below ``folder`` with its bytes."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def changed(change):
    def make(folder: Path) -> Path:
        data = starter()
        change(data)
        return write_content(folder, data)
    return make


def raw(text: bytes | str):
    def make(folder: Path) -> Path:
        write_content(folder, starter())
        path = folder / "nmn-autophagy.toml"
        path.write_bytes(text if isinstance(text, bytes) else text.encode())
        return path
    return make


def with_source(data: bytes | None):
    def make(folder: Path) -> Path:
        path = write_content(folder, starter())
        source = folder / "nmn-autophagy.source.txt"
        if data is None:
            source.unlink()
        else:
            source.write_bytes(data)
        return path
    return make


def as_directory(folder: Path) -> Path:
    path = folder / "content-dir.toml"
    path.mkdir(parents=True)
    return path


def _set(table, index, key, value):
    return lambda d: d[table][index].__setitem__(key, value)


CASES = {
    "toml syntax": (raw('[article]\nslug = "x"\ntitle = = 1\n'), "", "TOML syntax error", "line 3, column"),
    "missing key": (changed(lambda d: d["article"].pop("summary")), "article.summary", "required key is missing", ""),
    "wrong type": (changed(_set("references", 0, "year", "two thousand")), "references[0](id=lee2008).year",
                   "valid integer", ""),
    "unknown key": (changed(_set("claims", 0, "verdikt", "x")), "claims[0](id=nmn-atp).verdikt", "unknown key", ""),
    "duplicate id": (changed(lambda d: d["claims"][1].update(id=d["claims"][0]["id"])), "claims[1].id",
                     "duplicate id", ""),
    "dangling reference": (changed(_set("cards", 0, "refs", ["nobody"])), "cards[0](id=nmn-precursor).refs[0]",
                           "no reference with id 'nobody'", ""),
    "quote not in source": (changed(_set("claims", 0, "quote", "NMN reverses ageing")),
                            "claims[0](id=nmn-atp).quote", "not found verbatim", ""),
    "unknown verdict": (changed(_set("claims", 0, "verdict", "false")), "claims[0](id=nmn-atp).verdict",
                        "'false' is not allowed", ""),
    "unknown evidence": (changed(_set("claims", 0, "evidence", "anecdote")), "claims[0](id=nmn-atp).evidence",
                         "'anecdote' is not allowed", ""),
    "unknown card type": (changed(_set("cards", 0, "type", "essay")), "cards[0](id=nmn-precursor).type",
                          "unknown card type 'essay'", ""),
    "cloze without deletion": (changed(lambda d: next(c for c in d["cards"] if c["type"] == "cloze")
                                       .update(text="No gap at all.")), ".text", "needs at least one", ""),
    "pathway card without pathway": (changed(lambda d: d.update(pathway=[]) or d["cards"][2].update(pathway=True)),
                                     "cards[2](id=sirt1-targets).pathway", "no [[pathway]] steps", ""),
    "reserved tag": (changed(_set("cards", 1, "tags", ["evidence::strong"])), "cards[1](id=nmn-atp).tags[0]",
                     "is reserved", ""),
    "slug that leaves the output directory": (changed(lambda d: d["article"].update(slug="../../escape")),
                                              "article.slug", "has the wrong form", ""),
    "nested cloze": (changed(lambda d: d["cards"][8].update(text="{{c1::outer {{c2::inner}}}}")),
                     "cards[8](id=autophagy-site).text", "a deletion inside another deletion", ""),
    "unclosed cloze": (changed(lambda d: d["cards"][8].update(text="{{c1::fine}} and {{c2::open")),
                       "cards[8](id=autophagy-site).text", "an unclosed {{cN::...}} deletion", ""),
    "blank text": (changed(_set("cards", 0, "front", "   ")), "cards[0](id=nmn-precursor).front",
                   "needs a visible character", ""),
    "control character": (changed(_set("cards", 0, "back", "NAD\u0000")), "cards[0](id=nmn-precursor).back",
                          "U+0000, a control character", ""),
    "version out of range": (changed(lambda d: d["article"].update(version="2200-01-01")), "article.version",
                             "less than or equal to 2107-12-31", ""),
    "missing source": (with_source(None), "article.source", "does not exist", ""),
    "non-UTF-8 source": (with_source(b"NMN \xff\xfe"), "article.source", "is not UTF-8", ""),
    "empty content file": (raw(""), "", "the file is empty", ""),
    "content path is a directory": (as_directory, "", "is a directory", ""),
}


@pytest.mark.parametrize("name", list(CASES))
def test_bad_content(tmp_path, name):
    make, key, what, extra = CASES[name]
    content = make(tmp_path / "content")
    out = tmp_path / "output"
    out.mkdir()
    (out / "keep.pdf").write_bytes(b"previous build")
    before = tree(tmp_path)
    result = invoke("build", str(content), "-o", str(out))
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    line = next((l for l in result.output.splitlines() if str(content) in l and what in l), None)
    assert line is not None, result.output
    assert key in line and extra in line
    assert tree(tmp_path) == before  # nothing written, nothing left behind


def test_output_path_is_a_file(content_copy, tmp_path):
    target = tmp_path / "output"
    target.write_bytes(b"not a directory")
    result = invoke("build", str(content_copy), "-o", str(target))
    assert result.exit_code == 1 and "not a directory" in result.output and str(target) in result.output
    assert target.read_bytes() == b"not a directory"


def test_output_target_is_a_directory(content_copy, tmp_path):
    out = tmp_path / "output"
    (out / "nmn-autophagy.apkg").mkdir(parents=True)
    result = invoke("build", str(content_copy), "-o", str(out))
    assert result.exit_code == 1 and "would replace this directory" in result.output
    assert tree(out) == {}


def test_unwritable_output_directory(content_copy, tmp_path):
    # Root ignores permission bits, so use a directory no one may create files in.
    if os.geteuid() == 0:
        out = Path("/proc")
    else:
        out = tmp_path / "locked"
        out.mkdir()
        out.chmod(0o500)
    result = invoke("build", str(content_copy), "-o", str(out))
    assert result.exit_code == 1, result.output
    assert "cannot write" in result.output and str(out) in result.output and "Traceback" not in result.output
    assert not any(p.name.endswith(".tmp") for p in out.iterdir())


@pytest.mark.parametrize("args", [
    ["build", "--frobnicate"],
    ["build", "--format", "docx"],
    ["build", "--page-size", "a5"],
    ["build", "-j", "0"],
    ["check", "--nope"],
    ["new"],
    ["new", "Bad Slug", "--source", "x.txt"],
    ["no-such-command"],
])
def test_usage_errors_exit_2(args):
    result = invoke(*args)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output


def test_internal_error_is_one_line_unless_verbose(content_copy, tmp_path, monkeypatch):
    from generator.render import anki

    def broken(doc, options):
        raise RuntimeError("renderer exploded")

    monkeypatch.setattr(anki, "render", broken)
    result = invoke("build", str(content_copy), "-o", str(tmp_path / "o"), "-j", "1")
    assert result.exit_code == 70
    lines = [l for l in result.output.splitlines() if l.strip()]
    assert len(lines) == 1 and "please report this bug" in lines[0] and "Traceback" not in result.output
    assert not (tmp_path / "o").exists()
    verbose = invoke("-v", "build", str(content_copy), "-o", str(tmp_path / "o"), "-j", "1")
    assert verbose.exit_code == 70 and "Traceback" in verbose.output and "renderer exploded" in verbose.output


def test_bad_source_date_epoch(content_copy, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    result = invoke("build", str(content_copy), "-o", str(tmp_path / "out"))
    assert result.exit_code == 1 and "SOURCE_DATE_EPOCH must be a whole number" in result.output
    assert "Traceback" not in result.output and not (tmp_path / "out").exists()


def test_interrupted_write_leaves_previous_outputs_and_no_temporary_files(content_copy, tmp_path, monkeypatch):
    out = tmp_path / "output"
    assert invoke("build", str(content_copy), "-o", str(out), "-j", "1").exit_code == 0
    before = tree(out)
    data = starter()
    data["cards"][0]["back"] = "A changed answer."
    write_content(content_copy.parent, data)
    calls = []
    real_fsync = os.fsync

    def interrupt_second(fd):
        calls.append(fd)
        if len(calls) == 2:
            raise KeyboardInterrupt  # Ctrl-C while the second output is being written
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", interrupt_second)
    result = invoke("build", str(content_copy), "-o", str(out), "-j", "1")
    assert result.exit_code == 130 and "interrupted" in result.output
    assert tree(out) == before


def test_two_documents_writing_one_file(tmp_path):
    first = write_content(tmp_path / "a", starter())
    data = starter()
    data["article"]["slug"] = "nmn-autophagy-cards"  # its explainer would be the first one's card sheet
    second = write_content(tmp_path / "b", data)
    out = tmp_path / "out"
    result = invoke("build", str(first), str(second), "-o", str(out))
    assert result.exit_code == 1 and "would both write" in result.output and "nmn-autophagy-cards.pdf" in result.output
    assert not out.exists()


def test_no_content_files(tmp_path):
    old = os.getcwd()
    os.chdir(tmp_path)
    try:
        for command in ("build", "check", "cards"):
            result = invoke(command)
            assert result.exit_code == 1 and "no content files found" in result.output, command
        assert not (tmp_path / "output").exists()
    finally:
        os.chdir(old)


def test_byte_order_mark_and_a_file_named_twice(content_copy):
    content_copy.write_bytes(b"\xef\xbb\xbf" + content_copy.read_bytes())
    result = invoke("check", str(content_copy), str(content_copy))
    assert result.exit_code == 0, result.output
    assert result.output.count("ok:") == 1
