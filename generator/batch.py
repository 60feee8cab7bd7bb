"""A build of several content files in worker processes: each worker loads the files it is
given, checks and renders their outputs, writes them to temporary files in the output
directory, and sends back each document with the names of its files.

The main process only hands out the files (largest first, so the batch ends on short ones),
syncs each output's temporary file as its name arrives, and once every file is back does
what needs all of them: slugs used twice, two outputs naming one file, and reporting every
problem of every file together, exactly as a build in one process reports them.  Loading
and checking then run in parallel too, instead of one file after another in the main
process while the workers render.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Callable, NamedTuple, Sequence

from generator import build as building, load as loading
from generator.build import Output, Workers, plan, up_to_date
from generator.errors import ContentError, OutputError, Problem, StudygenError
from generator.model import Document
from generator.pending import settle
from generator.render import FORMATS, Options, source_date_epoch
from generator.staging import Staging, check_targets, write_apart


class Made(NamedTuple):
    """What a worker did about one output of a file."""

    problems: list[Problem]  # its format's checks found these (with their lines)
    staged: Path | None  # rendered, and written to this temporary file (``write_apart``)
    warning: str | None  # about the file it replaces
    error: Exception | None  # its check or render failed: a bug, or a RenderError
    current: bool = False  # the file is up to date and stays untouched


def build_batch(files: Sequence[Path], out_dir: Path, formats: Sequence[str], options: Options, workers: int,
                progress: Callable[[int], None] | None = None, on_loaded: Callable[[int], None] | None = None,
                force: bool = False) -> list[Output]:
    """``generator.build.build`` of several files in ``workers`` processes.  ``on_loaded`` is
    called once the files are handed out, with the number of outputs; ``progress`` with
    each file's number of outputs once they are made or found up to date."""
    names = list(dict.fromkeys(formats))
    try:
        source_date_epoch()  # ReportLab reads it too, and would fail mid-render on a bad value
        check_targets(out_dir, [])
    except StudygenError:  # nothing to render: what is reported is what one process reports first
        docs = loading.load_all(files)
        source_date_epoch()
        check_targets(out_dir, [path for _, _, path in plan(docs, names, out_dir)])
        raise
    loaded: dict[int, Document | ContentError] = {}
    made: dict[int, list[Made]] = {}
    staged: dict[tuple[int, str], Output] = {}
    # Every worker has files of its own to render until the batch ends: no core would wait
    # for one long output, so none is drawn in two processes.  The workers are stopped before
    # the staging ends: a failed build then finds every temporary file they wrote.
    with Staging(out_dir) as staging, Workers(min(workers, len(files)), helpers=False) as pool:
        tag = staging.apart()
        building.before_forking(names)
        futures = {pool.start(_build_file, files[i], names, out_dir, options, force, tag): i
                   for i in sorted(range(len(files)), key=lambda i: -_size(files[i]))}
        pool.last_started()
        if on_loaded:
            on_loaded(len(files) * len(names))
        from concurrent.futures import as_completed

        for future in as_completed(futures):
            i = futures.pop(future)
            loaded[i], made[i], unwritten = future.result()
            failed = pool.failed.is_set()  # then nothing is committed: there is no need to sync
            if unwritten is not None and not failed:
                raise unwritten
            for name, result in zip(names, made[i]):
                if result.staged is not None:
                    output = Output(loaded[i], FORMATS[name], out_dir / FORMATS[name].filename(loaded[i]),
                                    None, result.warning)
                    staged[i, name] = staging.adopt(output, result.staged, sync=not failed)
            del future
            if progress:
                progress(len(names))
        docs = loading.gathered(loaded[i] for i in range(len(files)))
        jobs = plan(docs, names, out_dir)
        check_targets(out_dir, [path for _, _, path in jobs])
        problems = {doc.path: found for i, doc in enumerate(docs)
                    if (found := [problem for result in made[i] for problem in result.problems])}
        if problems:
            raise ContentError(problems)
        for i in range(len(files)):
            for result in made[i]:
                if result.error is not None:
                    raise result.error
        staging.commit()
    return [staged.get((n // len(names), fmt.name)) or Output(doc, fmt, path, None, current=True)
            for n, (doc, fmt, path) in enumerate(jobs)]


def shared_evenly(files: Sequence[Path], workers: int) -> bool:
    """Whether whole files can be shared out evenly enough: none is more work than a worker's
    share of the batch (a file's size stands for its work).  A larger file is better loaded
    once and its outputs rendered in several workers at once, as for a single file."""
    sizes = [_size(path) for path in files]
    return max(sizes) * workers <= sum(sizes)


def _size(path: Path) -> int:
    try:
        return os.stat(path).st_size
    except OSError:  # the worker that loads it says what is wrong
        return 0


def _build_file(path: Path, names: list[str], out_dir: Path, options: Options, force: bool,
                tag: str) -> tuple[Document | ContentError, list[Made], OutputError | None]:
    """In a worker: load ``path``, find which of its outputs are up to date, check and render
    the others as a single file's worker does (``build._check_and_render``), and unless the
    build has failed, write them to temporary files named with ``tag`` (or say why not)."""
    doc = loading.loaded(path)
    if isinstance(doc, ContentError):
        building._failed.set()
        return doc, [], None
    jobs = [(doc, FORMATS[name], out_dir / FORMATS[name].filename(doc)) for name in names]
    current = {} if force else up_to_date(jobs, options)
    results: dict[str, Made] = {job[1].name: Made([], None, None, None, True) for job in jobs if job[2] in current}
    # Up-to-date outputs passed their checks.  Each document's deck and HTML edition before
    # its PDFs, as in one process (see build._TURN).
    pending = sorted((job for job in jobs if job[2] not in current), key=lambda job: building._TURN.get(job[1].name, 1))
    rendered: list[tuple[str, Path, bytes]] = []
    for job, (found, data, warning, error) in zip(pending, building._check_and_render(pending, options)):
        results[job[1].name] = Made(loading.locate(path, found) if found else [], None, warning, error)
        if data is not None:
            rendered.append((job[1].name, job[2], data))
    unwritten = None
    if not building._failed.is_set():
        # Found here, beside the work of this file, rather than in the main process: every
        # core already has a worker to keep busy.
        settle([doc])
        # Written here too: sent to the main process instead (a megabyte for an article),
        # the outputs would hold this worker until the main process had read them all, and
        # take the main process's time from the workers' cores to receive and write them.
        try:
            for name, target, data in rendered:
                results[name] = results[name]._replace(staged=write_apart(out_dir, target, data, tag))
        except OutputError as error:
            unwritten = error
    return doc, [results[name] for name in names], unwritten
