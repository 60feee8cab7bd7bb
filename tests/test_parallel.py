"""Building in worker processes: each job is checked in the worker that renders it, and the
build still reports every problem of every job together and writes nothing unless all passed."""

from __future__ import annotations

import multiprocessing
import pickle
import re
import time
from pathlib import Path

import pytest

from generator.build import build
from generator.errors import ContentError, OutputError, Problem, RenderError
from generator.render import FORMATS, Options
from tests.conftest import CONTENT, ROOT, invoke, starter, write_content

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


def logged_renders(monkeypatch, log: Path) -> None:
    """Each render writes "<pid> <format>" to ``log`` (forked workers inherit the patch)."""
    import os

    import generator.build as building

    real = building._render_one

    def render(job, options, checked=False):
        with open(log, "a") as handle:
            handle.write(f"{os.getpid()} {job[1].name}\n")
        return real(job, options, checked)

    monkeypatch.setattr(building, "_render_one", render)


@pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="workers inherit the patch by fork")
def test_the_main_process_renders_the_longest_output_while_one_worker_renders_the_rest(tmp_path, monkeypatch):
    """-j 2 on the article: the explainer (the longest job by far) is rendered by the main
    process, which starts at once, and one worker renders the others; the bytes are those of -j 1."""
    import os

    path = ROOT / "content" / "nmn-autophagy.toml"
    serial = {o.path.name: o.data for o in build([path], tmp_path / "one", ALL, Options(), workers=1)}
    log = tmp_path / "renders"
    logged_renders(monkeypatch, log)
    outputs = build([path], tmp_path / "two", ALL, Options(), workers=2)
    assert {o.path.name: o.data for o in outputs} == serial
    renders = dict(reversed(line.split()) for line in log.read_text().splitlines())
    assert sorted(renders) == sorted(ALL)
    assert renders.pop("pdf") == str(os.getpid())
    assert len(set(renders.values())) == 1 and str(os.getpid()) not in renders.values()


def article_with(folder: Path, change) -> Path:
    """The shipped article, changed by ``change(data)``: its explainer is the longest job."""
    import tomllib

    data = tomllib.loads(CONTENT.read_text(encoding="utf-8"))
    change(data)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "nmn-autophagy.source.txt").write_bytes(CONTENT.with_suffix(".source.txt").read_bytes())
    return write_content(folder, data)


@pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="workers inherit the patch by fork")
def test_a_worker_checks_the_explainer_while_the_main_process_renders_it(tmp_path, monkeypatch):
    """The explainer's check shares no work with its render: in a -j 2 build a worker runs it
    first, while the main process renders."""
    import os

    import generator.build as building

    log = tmp_path / "checks"
    real = building.check

    def check(doc, fmt, options, **how):
        with open(log, "a") as handle:
            handle.write(f"{os.getpid()} {fmt.name}\n")
        return real(doc, fmt, options, **how)

    monkeypatch.setattr(building, "check", check)
    renders = tmp_path / "renders"
    logged_renders(monkeypatch, renders)
    build([CONTENT], tmp_path / "out", ALL, Options(), workers=2)
    checked = dict(reversed(line.split()) for line in log.read_text().splitlines())
    rendered = dict(reversed(line.split()) for line in renders.read_text().splitlines())
    assert rendered["pdf"] == str(os.getpid()) and checked["pdf"] != str(os.getpid())
    assert checked["pdf"] == checked["cards"] == rendered["cards"]  # the one worker


def test_a_problem_the_explainers_check_finds_in_a_worker_stops_the_build(tmp_path):
    """The main process renders the explainer unchecked; the worker's check still decides:
    the problems are those of -j 1, and nothing is written."""
    def change(data):
        data["sections"][0]["body"] += " Checked \u2713."  # no face of the PDF font has it
        data["cards"][0]["back"] = "word " * 300  # too long for a printed card

    path = article_with(tmp_path / "content", change)
    serial = problems_of(path, tmp_path / "one", 1)
    assert len(serial) == 2 and "U+2713" in serial[0] and "cards[0]" in serial[1]
    assert problems_of(path, tmp_path / "two", 2) == serial
    assert not (tmp_path / "two").exists()


@pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="workers inherit the patch by fork")
def test_an_explainer_check_that_fails_in_a_worker_writes_nothing(tmp_path, monkeypatch):
    from generator.render.pdf import explainer

    def broken(doc, options):
        raise RuntimeError("the check broke")

    monkeypatch.setattr(explainer, "check", broken)
    with pytest.raises(RuntimeError, match="the check broke"):
        build([CONTENT], tmp_path / "out", ALL, Options(), workers=2)
    assert not (tmp_path / "out").exists()


@pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="workers inherit the jobs by fork")
def test_workers_inherit_the_loaded_documents_instead_of_receiving_them(tmp_path, monkeypatch):
    """A document is not pickled for the workers (0.1 s of each worker's time at 5,000 cards):
    forked after loading, they take their jobs by index."""
    from generator.model import Document

    def refused(self, protocol):
        raise AssertionError("a document was pickled")

    path = write_content(tmp_path / "content", starter())
    serial = {o.path.name: o.data for o in build([path], tmp_path / "one", ALL, Options(), workers=1)}
    monkeypatch.setattr(Document, "__reduce_ex__", refused, raising=False)
    outputs = build([path], tmp_path / "two", ALL, Options(), workers=3, force=True)
    assert {o.path.name: o.data for o in outputs} == serial


def test_workers_started_before_a_run_are_sent_its_jobs_whole(tmp_path):
    """Workers already running did not inherit the jobs of a later ``run``: those are sent."""
    from generator.build import Workers, plan
    from generator.load import load_all

    path = write_content(tmp_path / "content", starter())
    serial = {o.path.name: o.data for o in build([path], tmp_path / "one", ALL, Options(), workers=1)}
    jobs = plan(load_all([path]), ALL, tmp_path / "two")
    with Workers(2) as pool:
        assert pool.start(abs, -2).result() == 2  # the workers are running now
        outputs = pool.run(jobs, Options(), own=True)
    assert {o.path.name: o.data for o in outputs} == serial


@pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="workers inherit the patch by fork")
@pytest.mark.parametrize("first", ["main", "worker"])
def test_warnings_are_found_once_by_whichever_process_is_free_first(tmp_path, monkeypatch, first):
    """The main process, done with its own output, finds the warnings unless a worker, done
    with its outputs sooner, already has; either way once, and the same as -j 1."""
    import os
    import time

    import generator.build as building
    from generator import load as loading

    monkeypatch.syspath_prepend(str(ROOT / "bench"))
    import workloads

    path = workloads.generated(tmp_path / "in", "gen", cards=40, terms=4)
    expected = list(loading.load(path).warnings)
    assert expected
    log = tmp_path / "found"
    real_find, real_render = loading._warnings, building._render_one

    def find(*args):
        with open(log, "a") as handle:
            handle.write(f"{os.getpid()}\n")
        return real_find(*args)

    def render(job, options, checked=False):
        in_main = os.getpid() == main
        if (first == "worker") == in_main:  # the other side waits until the warnings are found
            deadline = time.monotonic() + 60
            while not log.exists() and time.monotonic() < deadline:
                time.sleep(0.01)
        return real_render(job, options, checked)

    main = os.getpid()
    monkeypatch.setattr(loading, "_warnings", find)
    monkeypatch.setattr(building, "_render_one", render)
    outputs = build([path], tmp_path / "out", ALL, Options(), workers=2)
    assert list(outputs[0].doc.warnings) == expected
    finders = log.read_text().split()
    assert len(finders) == 1 and (finders[0] == str(main)) == (first == "main")


def batch(folder: Path, count: int, change=None) -> list[Path]:
    """``count`` copies of the fixture content (slugs a0, a1...); ``change(n, data)`` edits copy n.
    The first is the largest, so the workers take it first and finish it last."""
    paths = []
    for n in range(count):
        data = starter()
        data["article"]["slug"], data["article"]["deck"] = f"a{n}", f"Copy {n}"
        if n == 0:
            for section in data["sections"]:
                section["body"] = "\n\n".join([section["body"]] * 4)
        if change:
            change(n, data)
        paths.append(write_content(folder, data, name=f"a{n}.toml"))
    return paths


def evenly(paths: list[Path]) -> list[Path]:
    """``paths``, which -j 2 and -j 3 builds load in their workers."""
    from generator.batch import shared_evenly

    assert shared_evenly(paths, 2) and shared_evenly(paths, 3)
    return paths


def batch_problems(paths: list[Path], out: Path, workers: int) -> list[str]:
    with pytest.raises(ContentError) as error:
        build(paths, out, ALL, Options(), workers=workers)
    assert not out.exists()
    return error.value.lines()


def test_a_batch_reports_every_files_load_problems_in_file_order(tmp_path):
    """The third of six files does not load and the fifth takes the first one's slug: both
    are reported, in file order, as a build in one process reports them, and nothing is written."""
    def change(n, data):
        if n == 2:
            data["cards"][0]["type"] = "flip"
            del data["cards"][1]["front"]
        if n == 4:
            data["article"]["slug"] = "a0"

    paths = evenly(batch(tmp_path / "content", 6, change))
    serial = batch_problems(paths, tmp_path / "one", 1)
    assert len(serial) == 3
    assert all(str(paths[2]) in line for line in serial[:2]) and "unknown card type" in serial[0]
    assert str(paths[4]) in serial[2] and f"already used by {paths[0]}" in serial[2]
    assert re.match(rf"{re.escape(str(paths[4]))}:\d+: article.slug", serial[2])  # with its line
    for workers in (2, 3):
        assert batch_problems(paths, tmp_path / f"j{workers}", workers) == serial
    result = invoke("build", *map(str, paths), "-o", str(tmp_path / "cli"), "-j", "2")
    assert result.exit_code == 1 and not (tmp_path / "cli").exists()
    assert [line for line in result.output.splitlines() if line.startswith("error: ")] == \
        [f"error: {line}" for line in serial]


def test_a_batch_reports_every_outputs_check_problems_in_file_order(tmp_path):
    """Problems only the formats' checks find, in the second and fourth of five files, are all
    reported as one process reports them; with a file that does not load too, only its
    problems are, as in one process (whose format checks run after every file has loaded)."""
    def change(n, data):
        if n == 1:
            data["sections"][1]["body"] += " \U0001F600"  # no face of the PDF font has it
            data["cards"][0]["back"] = "word " * 300  # too long for a printed card
        if n == 3:
            data["cards"][2]["back"] = "word " * 300

    paths = evenly(batch(tmp_path / "content", 5, change))
    serial = batch_problems(paths, tmp_path / "one", 1)
    assert [str(paths[1])] * 2 + [str(paths[3])] == [line.split(":")[0] for line in serial]
    assert batch_problems(paths, tmp_path / "two", 2) == serial
    paths[4].write_text("", encoding="utf-8")
    serial = batch_problems(paths, tmp_path / "one", 1)
    assert serial == [f"{paths[4]}: the file is empty"]
    assert batch_problems(paths, tmp_path / "two", 2) == serial


def test_two_files_of_a_batch_naming_one_output_are_refused(tmp_path):
    def change(n, data):
        if n == 2:
            data["article"]["slug"] = "a1-cards"  # its explainer would be a1's card sheets

    paths = evenly(batch(tmp_path / "content", 4, change))
    messages = []
    for workers in (1, 2):
        with pytest.raises(OutputError) as error:
            build(paths, tmp_path / f"j{workers}", ALL, Options(), workers=workers)
        assert not (tmp_path / f"j{workers}").exists()
        messages.append(str(error.value).replace(f"j{workers}", "OUT"))
    assert messages[0] == messages[1] and "a1-cards.pdf" in messages[0]


def signature(folder: Path) -> dict[str, tuple[int, int, bytes]]:
    return {p.name: (p.stat().st_ino, p.stat().st_mtime_ns, p.read_bytes()) for p in sorted(folder.iterdir())}


def test_a_batch_leaves_up_to_date_outputs_untouched_and_says_what_one_process_says(tmp_path):
    """After one card of one file changes, a -j 2 build rewrites only what that card is in,
    prints what a -j 1 build prints (the deck's warning that its version was not raised
    included), and its files are those of a -j 1 build, byte for byte."""
    paths = evenly(batch(tmp_path / "content", 4, lambda n, data: data["article"].update(draft=True) if n == 3 else None))
    runs = {}
    for workers in (1, 2):
        out = tmp_path / f"j{workers}"
        first = invoke("-v", "build", *map(str, paths), "-o", str(out), "-j", str(workers))
        assert first.exit_code == 0, first.output
        runs[workers] = [first.output]
    assert signature(tmp_path / "j1").keys() == signature(tmp_path / "j2").keys()
    assert {k: v[2] for k, v in signature(tmp_path / "j1").items()} == \
        {k: v[2] for k, v in signature(tmp_path / "j2").items()}
    before = signature(tmp_path / "j2")
    text = paths[1].read_text(encoding="utf-8")
    paths[1].write_text(text.replace('back = "NAD^{+}"', 'back = "NAD^{+}, the coenzyme"', 1), encoding="utf-8")
    assert paths[1].read_text(encoding="utf-8") != text
    for workers in (1, 2):
        again = invoke("-v", "build", *map(str, paths), "-o", str(tmp_path / f"j{workers}"), "-j", str(workers))
        assert again.exit_code == 0, again.output
        runs[workers].append(again.output)
    after = signature(tmp_path / "j2")
    changed = {name for name in after if after[name] != before[name]}
    assert changed == {"a1.apkg", "a1-cards.pdf", "a1.html"}  # the explainer does not show the cards
    assert {k: v[2] for k, v in signature(tmp_path / "j1").items()} == {k: v[2] for k, v in after.items()}

    def said(output: str, workers: int) -> list[str]:
        return [re.sub(r" in [0-9.]+ s$", "", line.replace(f"j{workers}", "OUT")) for line in output.splitlines()]

    assert [said(output, 1) for output in runs[1]] == [said(output, 2) for output in runs[2]]
    assert any("a3.toml" in line and "draft" in line for line in said(runs[2][0], 2))
    assert any(line.startswith("warning: ") and "a1.apkg was built from different content" in line
               for line in said(runs[2][1], 2))
    assert any(line.startswith("up to date: ") for line in said(runs[2][1], 2))
    forced = build(paths, tmp_path / "j2", ALL, Options(), workers=2, force=True)
    assert not any(o.current for o in forced)
    assert {o.path.name: o.data for o in forced} == {k: v[2] for k, v in after.items()}


@pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="workers inherit the patch by fork")
def test_a_batch_is_loaded_in_the_workers_largest_file_first(tmp_path, monkeypatch):
    """The main process loads nothing: each file is loaded in the worker that renders it, and
    the largest files are handed out first, so the batch ends on small ones."""
    import os

    import generator.load as load_module

    paths = batch(tmp_path / "content", 5, lambda n, data: data["sections"].extend(
        [{**data["sections"][0], "id": f"more-{k}"} for k in range(3 * n)]))
    largest = sorted(paths, key=lambda path: -path.stat().st_size)
    assert largest[0] != paths[0] and largest[1] != paths[-1]  # neither in file order nor the reverse
    serial = {o.path.name: o.data for o in build(paths, tmp_path / "one", ALL, Options(), workers=1)}
    log, real = tmp_path / "loads", load_module.load

    def load(path):
        with open(log, "a") as handle:
            handle.write(f"{os.getpid()} {path.name}\n")
        deadline = time.monotonic() + 60  # the first two loads wait for each other: both workers have started
        while len(log.read_text().splitlines()) < 2 and time.monotonic() < deadline:
            time.sleep(0.02)
        return real(path)

    monkeypatch.setattr(load_module, "load", load)
    outputs = build(paths, tmp_path / "two", ALL, Options(), workers=2)
    assert {o.path.name: o.data for o in outputs} == serial
    loads = [line.split() for line in log.read_text().splitlines()]
    assert sorted(name for _, name in loads) == sorted(path.name for path in paths)
    assert str(os.getpid()) not in {pid for pid, _ in loads} and len({pid for pid, _ in loads}) == 2
    assert {name for _, name in loads[:2]} == {largest[0].name, largest[1].name}


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
    for cached in (fonts.register, fonts._covered, fonts._covered_by_all, buildkey.code, buildkey._package_digests):
        cached.cache_clear()
    try:
        path = write_content(tmp_path / "content", starter())
        outputs = build([path], tmp_path / "out", ALL, Options(), workers=2, force=True)
        assert len(outputs) == len(ALL)
        made = log.read_text().split("\n")[:-1]
        assert sorted(made) == sorted([f"load {os.getpid()}"] * len(fonts.FACES) + [f"_package_files {os.getpid()}"])
    finally:
        for cached in (fonts.register, fonts._covered, fonts._covered_by_all, buildkey.code, buildkey._package_digests):
            cached.cache_clear()


@pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="workers inherit the patch by fork")
def test_a_file_larger_than_a_workers_share_is_loaded_once_and_its_outputs_shared_out(tmp_path, monkeypatch):
    """A batch whose largest file is more than a worker's share is built as one file is: every
    file loaded in the main process, each output rendered in whichever worker is free."""
    import os

    import generator.load as load_module

    def longer(n, data):
        if n == 1:
            for section in data["sections"]:
                section["body"] = "\n\n".join([section["body"]] * 20)

    log, real = tmp_path / "loads", load_module.load

    def load(path):
        with open(log, "a") as handle:
            handle.write(f"{os.getpid()}\n")
        return real(path)

    monkeypatch.setattr(load_module, "load", load)
    for count, expect_main in ((2, True), (3, True), (6, False)):
        paths = batch(tmp_path / f"content-{count}", count, longer)
        serial = {o.path.name: o.data for o in build(paths, tmp_path / f"one-{count}", ALL, Options(), workers=1)}
        log.unlink()
        outputs = build(paths, tmp_path / f"two-{count}", ALL, Options(), workers=2)
        assert {o.path.name: o.data for o in outputs} == serial
        pids = log.read_text().split()
        assert len(pids) == count and (set(pids) == {str(os.getpid())}) == expect_main, count


@pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="workers inherit the patch by fork")
def test_a_batchs_workers_draw_no_output_in_two_processes(tmp_path, monkeypatch):
    """A worker may draw a long PDF in two processes when the other workers would wait for it
    (render.pdf.halves); a batch's workers each have files of their own, so they do not."""
    import generator.build as build_module
    from generator import render as render_module

    log, real = tmp_path / "log", build_module._render_one

    def render_one(job, options, checked=False):
        with open(log, "a") as handle:
            handle.write(f"{render_module.in_worker()}\n")
        return real(job, options, checked)

    monkeypatch.setattr(build_module, "_render_one", render_one)
    paths = evenly(batch(tmp_path / "content", 4))
    build(paths, tmp_path / "batch", ["pdf", "cards"], Options(), workers=2)
    assert log.read_text().split() == ["False"] * 8
    log.unlink()
    build(paths[:1], tmp_path / "one", ["pdf", "cards"], Options(), workers=2)
    assert log.read_text().split() == ["True"] * 2


@pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="workers inherit the patch by fork")
def test_a_batchs_warnings_are_found_in_its_workers(tmp_path, monkeypatch):
    """Each file's warnings (generator.pending) are found in the worker that loaded it,
    beside its other work, not left to the main process once the batch is done."""
    import os

    import generator.load as load_module

    log, real = tmp_path / "warnings", load_module._warnings

    def warnings(*args):
        with open(log, "a") as handle:
            handle.write(f"{os.getpid()}\n")
        return real(*args)

    monkeypatch.setattr(load_module, "_warnings", warnings)
    paths = evenly(batch(tmp_path / "content", 4, lambda n, data: data["article"].update(draft=True) if n == 2 else None))
    outputs = build(paths, tmp_path / "out", ALL, Options(), workers=2)
    said = {o.doc.path: [p.located(o.doc.path) for p in o.doc.warnings] for o in outputs}
    pids = log.read_text().split()
    assert len(pids) == 4 and str(os.getpid()) not in pids
    assert any("this is a draft" in line for line in said[paths[2]])
    assert said == {doc.path: [p.located(doc.path) for p in doc.warnings] for doc in map(real_load, paths)}


def real_load(path: Path):
    from generator.load import load

    return load(path)


def _logged_writes(monkeypatch, log: Path, then=None) -> None:
    """Each temporary file a batch's worker writes is logged (pid, output name); ``then(target)``
    runs after the write."""
    import os

    import generator.batch as batch_module

    real = batch_module.write_apart

    def write_apart(out_dir, target, data, tag):
        tmp = real(out_dir, target, data, tag)
        with open(log, "a") as handle:
            handle.write(f"{os.getpid()} {target.name}\n")
        if then:
            then(target)
        return tmp

    monkeypatch.setattr(batch_module, "write_apart", write_apart)


@pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="workers inherit the patch by fork")
def test_a_batchs_workers_write_out_what_they_render_and_the_main_process_renames_it(tmp_path, monkeypatch):
    """Each output is written to its temporary file by the worker that rendered it, not sent to
    the main process to write; the files are still renamed into place together."""
    import os

    from generator import staging

    paths = evenly(batch(tmp_path / "content", 4))
    serial = {o.path.name: o.data for o in build(paths, tmp_path / "one", ALL, Options(), workers=1)}
    log, added = tmp_path / "writes", []
    _logged_writes(monkeypatch, log)
    monkeypatch.setattr(staging.Staging, "add", lambda self, output: added.append(output))
    outputs = build(paths, tmp_path / "two", ALL, Options(), workers=2)
    assert {o.path.name: o.data for o in outputs} == serial
    assert sorted(p.name for p in (tmp_path / "two").iterdir()) == sorted(serial)  # no temporary file left
    writes = [line.split() for line in log.read_text().splitlines()]
    assert sorted(name for _, name in writes) == sorted(serial) and not added
    assert str(os.getpid()) not in {pid for pid, _ in writes}


@pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="workers inherit the patch by fork")
def test_temporary_files_a_worker_wrote_go_when_the_batch_stops_before_they_reach_the_main_process(
        tmp_path, monkeypatch):
    """A worker that fails right after writing one output's temporary file never sends its
    name; the build stops with the error and leaves nothing in the output directory."""
    def fail(target):
        if target.name == "a3.apkg":
            raise RuntimeError("the worker breaks down")

    paths = evenly(batch(tmp_path / "content", 4))
    log = tmp_path / "writes"
    _logged_writes(monkeypatch, log, then=fail)
    with pytest.raises(RuntimeError, match="breaks down"):
        build(paths, tmp_path / "out", ALL, Options(), workers=2)
    assert "a3.apkg" in log.read_text().split()  # written, then the worker failed
    assert not (tmp_path / "out").exists()


def test_a_batch_that_cannot_make_its_output_directory_says_what_one_process_says(tmp_path):
    paths = evenly(batch(tmp_path / "content", 4))
    (tmp_path / "file").write_text("not a directory")
    said = {}
    for workers in ("1", "2"):
        result = invoke("build", *map(str, paths), "-o", str(tmp_path / "file" / "out"), "-j", workers)
        assert result.exit_code == 1
        said[workers] = result.output
    assert "cannot create the output directory" in said["1"] and said["2"] == said["1"]
    assert (tmp_path / "file").read_text() == "not a directory"


@pytest.mark.skipif(not Path("/proc/self").exists() or "fork" not in multiprocessing.get_all_start_methods(),
                    reason="worker processes looked for in /proc; workers inherit the patch by fork")
def test_a_batchs_workers_exit_while_the_main_process_renames_the_outputs(tmp_path, monkeypatch):
    """Once the last file is back, the workers exit at the same time as the main process
    finishes the build, instead of after it."""
    from generator import staging

    paths = evenly(batch(tmp_path / "content", 4))
    log, gone = tmp_path / "writes", []
    _logged_writes(monkeypatch, log)
    real = staging.Staging.commit

    def commit(self):
        workers = {line.split()[0] for line in log.read_text().splitlines()}
        deadline = time.monotonic() + 30
        while any(Path(f"/proc/{pid}").exists() for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.01)
        gone.append(not any(Path(f"/proc/{pid}").exists() for pid in workers))
        return real(self)

    monkeypatch.setattr(staging.Staging, "commit", commit)
    outputs = build(paths, tmp_path / "out", ALL, Options(), workers=2)
    assert gone == [True] and len(outputs) == 4 * len(ALL)


def test_watch_rebuilds_a_batch_in_workers_and_keeps_its_outputs_on_a_problem(tmp_path):
    from generator.watch import rebuild

    paths = evenly(batch(tmp_path / "content", 4))
    out, said, warned = tmp_path / "out", [], []
    assert rebuild(paths, out, ALL, Options(), 2, said.append, warned.append)
    assert said[-1].startswith(f"built {4 * len(ALL)} file(s) from 4 content file(s)") and not warned
    before = signature(out)
    paths[1].write_text(paths[1].read_text(encoding="utf-8").replace('type = "basic"', 'type = "flip"', 1),
                        encoding="utf-8")
    assert not rebuild(paths, out, ALL, Options(), 2, said.append, warned.append)
    assert warned[0].startswith(f"error: {paths[1]}:") and "unknown card type" in warned[0]
    assert warned[-1].endswith("the previous outputs are kept") and signature(out) == before


def _waiting_for_a_worker(monkeypatch, until, then=None) -> None:
    """The main process's render (the explainer's) waits until ``until()`` is true (a worker's
    output is being written out meanwhile), then does ``then()`` or renders."""
    import os

    import generator.build as building

    real = building._render_one
    me = os.getpid()

    def render(job, options, checked=False):
        if os.getpid() == me:
            for _ in range(600):
                if until():
                    break
                time.sleep(0.05)
            if then is not None:
                then()
        return real(job, options, checked)

    monkeypatch.setattr(building, "_render_one", render)


def _staged(out: Path, seen: list[str]):
    def found() -> bool:
        seen.extend(p.name for p in out.glob(".*.tmp") if p.is_file())
        return bool(seen)
    return found


@pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="workers inherit the patch by fork")
def test_a_workers_outputs_are_written_out_while_the_main_process_renders(tmp_path, monkeypatch):
    serial = {o.path.name: o.data for o in build([CONTENT], tmp_path / "one", ALL, Options(), workers=1)}
    seen: list[str] = []
    _waiting_for_a_worker(monkeypatch, _staged(tmp_path / "two", seen))
    outputs = build([CONTENT], tmp_path / "two", ALL, Options(), workers=2)
    assert seen  # a worker's output was staged before the main process's own render began
    assert {o.path.name: o.data for o in outputs} == serial
    assert sorted(p.name for p in (tmp_path / "two").iterdir()) == sorted(serial)


@pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="workers inherit the patch by fork")
def test_outputs_written_out_early_are_removed_when_the_main_processs_render_fails(tmp_path, monkeypatch):
    def fail():
        raise RenderError("the explainer breaks down")

    seen: list[str] = []
    _waiting_for_a_worker(monkeypatch, _staged(tmp_path / "out", seen), then=fail)
    with pytest.raises(RenderError, match="breaks down"):
        build([CONTENT], tmp_path / "out", ALL, Options(), workers=2)
    assert seen
    assert not (tmp_path / "out").exists()


def _logged_single_writes(monkeypatch, log: Path, write=None) -> None:
    """Each temporary file a single file's worker writes is logged (pid, output name) before it
    is written by ``write`` (the real ``write_apart`` when not given)."""
    import os

    import generator.build as building

    write = write or building.write_apart

    def write_apart(out_dir, target, data, tag):
        with open(log, "a") as handle:
            handle.write(f"{os.getpid()} {target.name}\n")
        return write(out_dir, target, data, tag)

    monkeypatch.setattr(building, "write_apart", write_apart)


@pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="workers inherit the patch by fork")
def test_a_single_files_workers_write_out_what_they_render_and_the_main_process_renames_it(tmp_path, monkeypatch):
    """-j 3 on one file: each output a worker renders is written to its temporary file by that
    worker (only its name is sent back); the main process writes only the explainer it renders
    itself, and the bytes are those of -j 1."""
    import os

    from generator import staging

    serial = {o.path.name: o.data for o in build([CONTENT], tmp_path / "one", ALL, Options(), workers=1)}
    log, added = tmp_path / "writes", []
    _logged_single_writes(monkeypatch, log)
    real = staging.Staging.add
    monkeypatch.setattr(staging.Staging, "add", lambda self, output: added.append(output.path.name) or real(self, output))
    outputs = build([CONTENT], tmp_path / "two", ALL, Options(), workers=3)
    assert {o.path.name: o.data for o in outputs} == serial
    assert sorted(p.name for p in (tmp_path / "two").iterdir()) == sorted(serial)  # no temporary file left
    writes = [line.split() for line in log.read_text().splitlines()]
    pdf = FORMATS["pdf"].filename(outputs[0].doc)
    assert added == [pdf] and sorted(name for _, name in writes) == sorted(set(serial) - {pdf})
    # Which worker takes which job depends on which starts first: only that none is the main process.
    assert writes and str(os.getpid()) not in {pid for pid, _ in writes}


@pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="workers inherit the patch by fork")
def test_temporary_files_a_single_files_worker_wrote_go_when_it_fails_before_sending_their_names(
        tmp_path, monkeypatch):
    """A worker that fails right after writing an output's temporary file never sends its
    name; the build stops with the error and leaves nothing in the output directory."""
    from generator.staging import write_apart

    def then_fail(out_dir, target, data, tag):
        write_apart(out_dir, target, data, tag)
        raise RuntimeError("the worker breaks down")

    log = tmp_path / "writes"
    _logged_single_writes(monkeypatch, log, then_fail)
    with pytest.raises(RuntimeError, match="breaks down"):
        build([CONTENT], tmp_path / "out", ALL, Options(), workers=2)
    assert log.read_text()  # written, then the worker failed
    assert not (tmp_path / "out").exists()


@pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="workers inherit the patch by fork")
def test_an_output_that_cannot_be_written_out_early_stops_the_build_once_the_main_process_is_done(
        tmp_path, monkeypatch):
    """A worker's write that fails (its error is sent back instead of a name) stops the build
    once the main process's own render is done; what was written meanwhile goes."""
    from generator.staging import write_apart

    def full(out_dir, target, data, tag):
        if target.suffix == ".html":
            raise OutputError("no room left on the device")
        return write_apart(out_dir, target, data, tag)

    log = tmp_path / "writes"
    _logged_single_writes(monkeypatch, log, full)
    _waiting_for_a_worker(monkeypatch, lambda: ".html" in (log.read_text() if log.exists() else ""))
    with pytest.raises(OutputError, match="no room left"):
        build([CONTENT], tmp_path / "out", ALL, Options(), workers=2)
    assert not (tmp_path / "out").exists()


@pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="workers inherit the patch by fork")
def test_a_single_file_whose_output_directory_cannot_be_made_says_what_one_process_says(tmp_path, monkeypatch):
    """A worker finds that the output directory cannot be made before the main process does:
    the same message and status as -j 1, nothing written."""
    (tmp_path / "file").write_text("not a directory")
    out = tmp_path / "file" / "out"
    said = {}
    log = tmp_path / "writes"
    for workers in ("1", "2"):
        if workers == "2":
            _logged_single_writes(monkeypatch, log)
            _waiting_for_a_worker(monkeypatch, log.exists)
        result = invoke("build", str(CONTENT), "-o", str(out), "-j", workers)
        assert result.exit_code == 1
        said[workers] = result.output
    assert log.exists()  # a worker tried first
    assert "cannot create the output directory" in said["1"] and said["2"] == said["1"]
    assert (tmp_path / "file").read_text() == "not a directory"
