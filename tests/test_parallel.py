"""Building in worker processes: each job is checked in the worker that renders it, and the
build still reports every problem of every job together and writes nothing unless all passed."""

from __future__ import annotations

import multiprocessing
import pickle
from pathlib import Path

import pytest

from generator.build import build
from generator.errors import ContentError, Problem, RenderError
from generator.render import FORMATS, Options
from tests.conftest import invoke, starter, write_content

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
