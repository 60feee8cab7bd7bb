"""Building in worker processes: each job is checked in the worker that renders it, and the
build still reports every problem of every job together and writes nothing unless all passed."""

from __future__ import annotations

import multiprocessing
import pickle
import time
from pathlib import Path

import pytest

from generator.build import build
from generator.errors import ContentError, Problem, RenderError
from generator.render import FORMATS, Options
from tests.conftest import copies, invoke, starter, write_content

ALL = list(FORMATS)


def two_problems(folder: Path) -> Path:
    """Content with one problem only the explainer's check finds and one only the card sheets' check finds."""
    data = starter()
    data["sections"][1]["body"] += " \U0001F600"  # no face of the PDF font has it; only the explainer prints sections
    data["cards"][0]["back"] = "word " * 300  # too long for a printed card
    return write_content(folder, data)


def problems_of(path: Path, out: Path, workers: int) -> list[str]:
    with pytest.raises(ContentError) as error:
        build([path], out, ALL, Options(), workers=workers)
    return error.value.lines()


def test_workers_report_every_problem_as_a_serial_build_does(tmp_path):
    path = two_problems(tmp_path / "content")
    serial = problems_of(path, tmp_path / "one", 1)
    assert len(serial) == 2 and "sections[1]" in serial[0] and "cards[0]" in serial[1]
    assert problems_of(path, tmp_path / "two", 2) == serial
    assert not (tmp_path / "two").exists()
    result = invoke("build", str(path), "-o", str(tmp_path / "cli"), "-j", "2")
    assert result.exit_code == 1 and not (tmp_path / "cli").exists()
    assert [line for line in result.output.splitlines() if line.startswith("error: ")] == [f"error: {p}" for p in serial]


@pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="workers inherit the patch by fork")
def test_a_failed_render_in_a_worker_writes_nothing_and_check_problems_come_first(tmp_path, monkeypatch):
    import generator.render.html as html

    def broken(doc, options):
        raise RenderError(f"{doc.path}: cannot lay this out")

    monkeypatch.setattr(html, "render", broken)  # forked workers inherit it
    good = write_content(tmp_path / "good", starter())
    with pytest.raises(RenderError, match="cannot lay this out"):
        build([good], tmp_path / "out", ALL, Options(), workers=2)
    assert not (tmp_path / "out").exists()
    # The same failure beside a check problem in another job: the problem is what is reported.
    bad = two_problems(tmp_path / "bad")
    with pytest.raises(ContentError) as error:
        build([bad], tmp_path / "out", ALL, Options(), workers=2)
    assert len(error.value.lines()) == 2
    assert not (tmp_path / "out").exists()


def test_content_errors_cross_process_boundaries():
    """A worker's ContentError reaches the parent with its problems (pickled on the way)."""
    error = ContentError({Path("a.toml"): [Problem("cards[0].back", "too long", line=3)]})
    again = pickle.loads(pickle.dumps(error))
    assert again.lines() == error.lines() and str(again) == str(error)


@pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="workers inherit the patch by fork")
def test_a_batch_renders_the_files_loaded_while_the_others_load(tmp_path, monkeypatch):
    """With several content files, a file's outputs start rendering once it is loaded, not
    after every file is; the outputs are those of a build in one process."""
    import generator.load as load_module
    import generator.render.html as html

    paths = copies(tmp_path / "content", 3)
    serial = {o.path.name: o.data for o in build(paths, tmp_path / "one", ALL, Options(), workers=1)}
    marker = tmp_path / "rendering-a0"
    real_render, real_load = html.render, load_module.load

    def render(doc, options):  # in a worker
        if doc.slug == "a0":
            marker.touch()
        return real_render(doc, options)

    seen = []

    def load(path):  # in this process
        if path == paths[-1]:
            deadline = time.monotonic() + 60
            while not marker.exists() and time.monotonic() < deadline:
                time.sleep(0.05)
            seen.append(marker.exists())
        return real_load(path)

    monkeypatch.setattr(html, "render", render)
    monkeypatch.setattr(load_module, "load", load)
    outputs = build(paths, tmp_path / "two", ALL, Options(), workers=2)
    assert seen == [True]  # the first file's outputs were rendering before the last file loaded
    assert {o.path.name: o.data for o in outputs} == serial
    again = build(paths, tmp_path / "two", ALL, Options(), workers=2)  # nothing changed
    assert all(o.current for o in again) and {o.path.name: o.data for o in again} == serial


@pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="workers inherit the patch by fork")
def test_a_batch_ends_on_short_jobs_not_on_an_explainer(tmp_path, monkeypatch):
    """While every worker is busy, a loaded file's shorter jobs wait behind the next file's
    explainer, so the last explainer does not start after the short jobs it could run beside."""
    import generator.build as build_module

    paths = []
    for n in range(4):
        data = starter()
        data["article"]["slug"] = f"a{n}"
        data["article"]["deck"] = f"Copy {n}"
        for section in data["sections"]:  # the explainer is each file's longest job
            section["body"] = "\n\n".join([section["body"]] * 8)
        paths.append(write_content(tmp_path / "content", data, name=f"a{n}.toml"))
    serial = {o.path.name: o.data for o in build(paths, tmp_path / "one", ALL, Options(), workers=1)}
    gate, log = tmp_path / "all-loaded", tmp_path / "started"
    real = build_module._render_one

    def render_one(job, options, checked=False):  # in a worker
        doc, fmt, _ = job
        with open(log, "a") as handle:
            handle.write(f"{doc.slug} {fmt.name}\n")
        if doc.slug == "a0" and fmt.name in ("pdf", "cards"):  # both workers stay busy until all are loaded
            deadline = time.monotonic() + 60
            while not gate.exists() and time.monotonic() < deadline:
                time.sleep(0.02)
        return real(job, options, checked)

    monkeypatch.setattr(build_module, "_render_one", render_one)
    outputs = build(paths, tmp_path / "two", ALL, Options(), workers=2, on_loaded=lambda count: gate.touch())
    assert {o.path.name: o.data for o in outputs} == serial
    started = log.read_text().split("\n")[:-1]
    assert sorted(started) == sorted(f"a{n} {name}" for n in range(4) for name in ALL)
    # In the order submitted, the last explainer is followed by a2's and a3's short jobs (six);
    # taken in document order it would be followed by a3's three only.
    assert len(started) - started.index("a3 pdf") - 1 >= 5


def test_workers_inherit_the_fonts_and_the_code_hash_instead_of_making_them_again(tmp_path, monkeypatch):
    """Both PDFs' workers need the registered fonts and every worker the build keys' code hash:
    made once, before the workers fork, they are read by the main process alone."""
    import os

    from generator import buildkey
    from generator.render.pdf import fontdata, fonts

    log = tmp_path / "made"

    def logged(function):
        def call(*args):
            with open(log, "a") as handle:
                handle.write(f"{function.__name__} {os.getpid()}\n")
            return function(*args)
        return call

    monkeypatch.setattr(fontdata, "load", logged(fontdata.load))
    monkeypatch.setattr(buildkey, "_package_files", logged(buildkey._package_files))
    for cached in (fonts.register, fonts._covered, fonts._covered_by_all, buildkey.code):
        cached.cache_clear()
    try:
        path = write_content(tmp_path / "content", starter())
        outputs = build([path], tmp_path / "out", ALL, Options(), workers=2, force=True)
        assert len(outputs) == len(ALL)
        made = log.read_text().split("\n")[:-1]
        assert sorted(made) == sorted([f"load {os.getpid()}"] * len(fonts.FACES) + [f"_package_files {os.getpid()}"])
    finally:
        for cached in (fonts.register, fonts._covered, fonts._covered_by_all, buildkey.code):
            cached.cache_clear()
