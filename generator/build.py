"""Load everything, render everything, then write: nothing is written unless all of it worked."""

from __future__ import annotations

import functools
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Sequence

from generator import buildkey, signals
from generator.errors import ContentError, OutputError, Problem, StudygenError
from generator.load import load_all, locate
from generator.model import Document
from generator.pending import Warnings, settle
from generator.record import Record
from generator.render import FORMATS, Format, Options, check, mark_worker, source_date_epoch
from generator.render.settled import freeze_for_good, settled
from generator.staging import Staging, check_targets, write_apart
from generator.study import card_count

if TYPE_CHECKING:
    from concurrent.futures import Future, ProcessPoolExecutor

Job = tuple[Document, Format, Path]


class Output(Record):
    doc: Document
    format: Format
    path: Path
    body: bytes | None  # None once staged to a file (``Staging``), or up to date: ``data`` reads the file
    warning: str | None = None  # worth telling the user, but no reason to stop
    current: bool = False  # already up to date: the file stays untouched

    @property
    def data(self) -> bytes:
        return self.path.read_bytes() if self.body is None else self.body


def content_paths(paths: Sequence[Path], content_dir: Path = Path("content")) -> list[Path]:
    """The files named, or every ``*.toml`` in the content directory."""
    found = list(paths) if paths else sorted(content_dir.glob("*.toml"))
    if not found:
        raise StudygenError(f"no content files found (name them, or put *.toml files in {content_dir}/)")
    # A file named twice is one file, not two articles with the same slug.
    return list({path.resolve(): path for path in found}.values())


def plan(docs: Iterable[Document], formats: Sequence[str], out_dir: Path) -> list[Job]:
    """One job per document and format.  Slugs are [a-z0-9-]+ (checked at load), so every
    target stays inside out_dir; two jobs may still name one file (slug "x-cards" against
    the flashcards of "x"), which is refused rather than silently overwritten."""
    jobs: list[Job] = []
    owners: dict[Path, Document] = {}
    for doc in docs:
        for name in dict.fromkeys(formats):
            target = out_dir / FORMATS[name].filename(doc)
            if target in owners:
                raise OutputError(f"{doc.path} and {owners[target].path} would both write {target}; "
                                  "change one of the slugs")
            owners[target] = doc
            jobs.append((doc, FORMATS[name], target))
    return jobs


def up_to_date(jobs: Iterable[Job], options: Options) -> dict[Path, bytes]:
    """The targets whose file records the key this build would give it, with their bytes."""
    found: dict[Path, bytes] = {}
    for doc, fmt, path in jobs:
        try:
            data = path.read_bytes()
        except OSError:  # missing or unreadable: build it (the write phase reports real trouble)
            continue
        if buildkey.recorded(data) == buildkey.key(doc, fmt, options):
            found[path] = data
    return found


def check_all(pairs: Iterable[tuple[Document, Format]], options: Options) -> None:
    """Every format's own checks on each document, all problems reported together (exit 1)."""
    problems: dict[Path, list[Problem]] = {}
    with settled():  # the loaded content is not walked again by the cycle collector
        for doc, fmt in pairs:
            found = check(doc, fmt, options)
            if found:
                problems.setdefault(doc.path, []).extend(found)
    if problems:
        raise ContentError({path: locate(path, found) for path, found in problems.items()})


def _render_one(job: Job, options: Options, checked: bool = False) -> bytes:
    doc, fmt, _ = job
    module = fmt.renderer()
    # A format may offer render_checked, which trusts that its check passed (render would
    # otherwise run the format's checks again).
    return (module.render_checked if checked and hasattr(module, "render_checked") else module.render)(doc, options)


def render(jobs: list[Job], options: Options, workers: int = 1,
           progress: Callable[[int], None] | None = None, checked: bool = False,
           keep: Callable[[Output], Output] | None = None, release: bool = False,
           staging: Staging | None = None) -> list[Output]:
    """Render every job; results keep job order.  ``checked``: ``check_all`` passed on these jobs.
    ``release``: each format lets go of its caches after its last job (a one-off build;
    ``watch`` keeps them for the next rebuild).
    With ``workers`` > 1 the jobs are checked and rendered in worker processes (see ``Workers``).
    ``keep`` takes each output as soon as it is made (``Staging.add`` writes it out).
    ``staging``: the one ``keep`` writes to, to which workers write their outputs themselves."""
    keep = keep or (lambda output: output)
    if workers > 1 and len(jobs) > 1:
        # The main process renders the longest task itself (``Workers.run``): one fork fewer.
        with Workers(min(workers, len(_tasks(jobs))) - 1) as pool:
            return pool.run(jobs, options, progress, keep, own=True, staging=staging)
    docs = {id(doc): n for n, (doc, _, _) in reversed(list(enumerate(jobs)))}
    turns = sorted(range(len(jobs)), key=lambda i: (docs[id(jobs[i][0])], _TURN.get(jobs[i][1].name, 1)))
    last = {jobs[i][1].name: turn for turn, i in enumerate(turns)}
    outputs: dict[int, Output] = {}
    for turn, i in enumerate(turns):
        job = jobs[i]
        outputs[i] = keep(Output(*job, _render_one(job, options, checked), _warning(job[0], job[1], job[2])))
        if release and last[job[1].name] == turn:
            _release(job[1])
        if progress:
            progress(1)
    settle({id(job[0]): job[0] for job in jobs}.values())
    return [outputs[i] for i in range(len(jobs))]


# Each document's deck and HTML edition are made before its PDFs in one process: their
# passing peaks (the HTML's is 2 MiB) then come before the explainer's lasting growth
# instead of on top of it (2.3 MiB less at the peak of the article's build).
_TURN = {"anki": 0, "html": 0}


def _release(fmt: Format) -> None:
    """After a format's last job, what it keeps for a next job goes: its room serves the
    formats after it.  (A garbage collection here too measured 0.15 MiB for 16 ms.)"""
    module = fmt.renderer()
    if hasattr(module, "release"):
        module.release()


# Rough seconds of check and render (measured on the article, 300 generated cards and a long
# explainer), only to start the longest work first: a long job started last keeps one worker
# busy while the others wait.
def _cost(job: Job) -> float:
    doc, fmt, _ = job
    c = doc.content
    notes = len(c.cards) + len(c.glossary)
    chars = sum(len(s.body) for s in c.sections)
    items = len(c.claims) + len(c.glossary) + len(c.references) + len(c.pathway)
    return {"pdf": 14e-6 * chars + 3e-3 * items, "cards": 2.5e-3 * notes,
            "anki": 0.1 + 0.5e-3 * notes, "html": 0.02 + 0.2e-3 * notes + 1e-6 * chars}.get(fmt.name, 0.5)


# The HTML edition shows the deck's cards with their diagram media: made in the process that
# made the deck, they are reused instead of made again (the media's font subsets are most of it).
_TOGETHER = {"html": "anki"}


def _tasks(jobs: list[Job]) -> list[list[int]]:
    """Job indexes grouped into the units a worker takes, longest first."""
    groups: dict[tuple[int, str], list[int]] = {}
    for i, (doc, fmt, _) in enumerate(jobs):
        groups.setdefault((id(doc), _TOGETHER.get(fmt.name, fmt.name)), []).append(i)
    return sorted(groups.values(), key=lambda task: -sum(_cost(jobs[i]) for i in task))


_failed = None  # in a worker: an Event set once some job of this build failed
_claim = None  # in a worker: a Lock taken by whichever process finds the build's warnings
_inherited: list[Job] | None = None  # the jobs of ``Workers.run``, which workers forked after it inherit


def _start_worker(failed, claim, helpers: bool, parent: int) -> None:
    global _failed, _claim
    signals.quiet_worker()
    signals.end_with_parent(parent)
    if helpers:
        mark_worker()
    _failed, _claim = failed, claim
    # What a forked worker inherits (the modules and documents loaded so far) lives as long as
    # the worker: left out of its garbage collections, it is not scanned again at each one, nor
    # are its pages copied from the parent's for the marks those scans would write.
    freeze_for_good()


# An output's bytes, or (``_check_and_render_at``) the temporary file they are in or why they are not.
Result = tuple[list[Problem], bytes | Path | OutputError | None, str | None, Exception | None]


def _check_and_render(jobs: list[Job], options: Options, failed=None,
                      checked_apart: frozenset[int] = frozenset()) -> list[Result]:
    """In a worker (or the main process, with the build's ``failed`` Event): each job's checks,
    then, unless they or another job failed, its render and what its format says about the
    file it replaces.  A check and the render it allows run in one process, so a format can
    reuse what its check measured; the jobs at the positions ``checked_apart`` are checked
    by another process meanwhile (``Format.check_apart``)."""
    _failed = failed or globals()["_failed"]
    results: list[Result] = []
    for n, job in enumerate(jobs):
        doc, fmt, path = job
        try:
            lighter = fmt.check_in_render and n not in checked_apart
            problems = [] if n in checked_apart else check(doc, fmt, options, drawing_follows=lighter)
            if lighter and (problems or _failed.is_set()):  # no render to do the rest: the whole check
                problems = check(doc, fmt, options)
            if problems or _failed.is_set():
                if problems:
                    _failed.set()
                results.append((problems, None, None, None))
                continue
            try:
                data = _render_one(job, options, checked=True)
            except Exception:
                # The render did the rest of the check: the whole check says what is wrong, if it finds it.
                if not lighter or not (problems := check(doc, fmt, options)):
                    raise
                _failed.set()
                results.append((problems, None, None, None))
                continue
            results.append(([], data, _warning(doc, fmt, path), None))
        except Exception as error:  # the other jobs are still checked: their problems come first
            _failed.set()
            results.append(([], None, None, error))
    return results


def _jobs_at(work: list, inherited: bool) -> list[Job]:
    return [_inherited[i] for i in work] if inherited else work


def _check_and_render_at(work: list, options: Options, inherited: bool,
                         apart: tuple[Path, str] | None = None) -> list[Result]:
    """``_check_and_render`` in a worker, of jobs sent as indexes into the inherited ones
    (a document is not pickled on the way: 0.1 s for 5,000 cards) or sent whole.  With
    ``apart`` (the output directory and a tag), each output is written to a temporary file
    (``write_apart``) and its name sent instead of its bytes, or the OutputError that stopped it."""
    jobs = _jobs_at(work, inherited)
    results = _check_and_render(jobs, options)
    if apart is None:
        return results
    # Sent back instead, an output (22 MB for 5,000 cards) would hold this worker until the
    # main process had read it all, and take the main process's time to receive and write it.
    sent: list[Result] = []
    unwritten = None
    for (_, _, target), (problems, data, warning, error) in zip(jobs, results):
        if data is not None:  # not written once the build has failed: it commits nothing
            try:
                data = None if unwritten or _failed.is_set() else write_apart(apart[0], target, data, apart[1])
            except OutputError as stop:  # the main process raises it as its own write would
                data = unwritten = stop
        sent.append((problems, data, warning, error))
    return sent


def _check_at(work: list, options: Options, inherited: bool) -> list[tuple[list[Problem], Exception | None]]:
    """In a worker: the checks of jobs another process renders meanwhile."""
    found: list[tuple[list[Problem], Exception | None]] = []
    for doc, fmt, _ in _jobs_at(work, inherited):
        try:
            found.append((check(doc, fmt, options), None))
        except Exception as error:  # reported after every job's problems, as a render's would be
            found.append(([], error))
        if found[-1] != ([], None):
            _failed.set()
    return found


def _warnings_at(work: list, inherited: bool) -> list[tuple] | None:
    """In a worker done with its renders: the warnings of the documents of ``work``'s jobs,
    unless the main process (done first) took them on, or the build failed."""
    if _failed.is_set() or not _claim.acquire(block=False):
        return None
    return [tuple(doc.warnings) for doc in _documents(_jobs_at(work, inherited))]


def _documents(jobs: Iterable[Job]) -> list[Document]:
    return list({id(job[0]): job[0] for job in jobs}.values())


class Workers:
    """Worker processes that check and render jobs in parallel (``run``), or run what they
    are given (``start``: a batch's files, see generator.batch).

    Each job is checked in the process that renders it, longest first, so the checks run in
    parallel too; once a job fails the others only check.  Nothing is returned unless every
    check and render passed, and all problems are reported together, as ``check_all`` does.
    """

    def __init__(self, count: int, helpers: bool = True):
        """``count`` processes (none: ``run`` renders everything in this one).  ``helpers``:
        a process may start a helper for one long output (see render.pdf.halves), which pays
        only while others wait for that output."""
        import multiprocessing  # here, not at the top: a -j 1 build or a check has no use for it

        # fork: a worker starts with what this process has imported (the content model) and
        # loaded (the jobs of ``run``) instead of importing or receiving it again.
        context = multiprocessing.get_context("fork") if "fork" in multiprocessing.get_all_start_methods() else None
        self.forks = context is not None
        self.helpers = helpers
        self.started = False
        self.failed = (context or multiprocessing).Event()
        self.claim = (context or multiprocessing).Lock()
        self.pool = None
        self.parts = None  # the pool's processes, thread and result queue, once ``last_started``
        if count:
            from concurrent.futures import ProcessPoolExecutor

            self.pool = ProcessPoolExecutor(max_workers=count, mp_context=context, initializer=_start_worker,
                                            initargs=(self.failed, self.claim, helpers, os.getpid()))

    def __enter__(self) -> "Workers":
        return self

    def __exit__(self, kind, error, trace) -> None:
        self.close() if error is None else self.stop()

    def close(self) -> None:
        if self.parts is not None:
            _, manager, results = self.parts
            manager.join()
            results.close()
        elif self.pool is not None:
            self.pool.shutdown()

    def stop(self) -> None:
        if self.pool is not None:
            _stop(self.pool, self.parts)

    def last_started(self) -> None:
        """Nothing more will be started: each worker exits as soon as the last result is in,
        while this process finishes the build (the renames), instead of once it is done."""
        pool = self.pool
        # The pool forgets these in shutdown(wait=False); close and stop still need them.
        self.parts = (list(pool._processes.values()), pool._executor_manager_thread, pool._result_queue)
        pool.shutdown(wait=False)

    def start(self, function: Callable, *args) -> Future:
        """Run ``function(*args)`` in a worker."""
        self.started = True
        with signals.starting_workers():  # the pool starts its workers in a submit
            return self.pool.submit(function, *args)

    def run(self, jobs: list[Job], options: Options, progress: Callable[[int], None] | None = None,
            keep: Callable[[Output], Output] = lambda output: output, own: bool = False,
            staging: Staging | None = None) -> list[Output]:
        """``own``: this process checks and renders the longest task itself meanwhile (it starts
        at once, where a worker would start only once forked), then finds the warnings unless
        a worker, done sooner, has found them.  ``staging``: the one ``keep`` writes to; the
        workers write their outputs to temporary files themselves, for it to adopt."""
        from concurrent.futures import as_completed

        global _inherited
        tasks = _tasks(jobs)
        _before_forking(jobs)
        mine, theirs = (tasks[0], tasks[1:]) if own or self.pool is None else ([], tasks)
        apart = [i for i in mine if jobs[i][1].check_apart] if theirs else []
        inherited = self.forks and not self.started  # the workers fork in the first ``start``
        _inherited = jobs if inherited else None

        def sent(work: list[int]) -> list:
            return work if inherited else [jobs[i] for i in work]

        early = _Early(jobs, keep, self.failed, staging)
        # Tagged before any worker writes: a stopped build then removes what they wrote.
        written = (staging.out_dir, staging.apart()) if staging is not None and theirs else None
        try:  # forgotten once the workers have forked: a process that builds again lets go of these jobs
            futures: dict[Future, tuple[str, list[int]]] = {}
            if apart:  # first: the main process renders these meanwhile
                futures[self.start(_check_at, sent(apart), options, inherited)] = ("checks", apart)
            for task in theirs:
                future = self.start(_check_and_render_at, sent(task), options, inherited, written)
                futures[future] = ("renders", task)
                if mine:
                    future.add_done_callback(functools.partial(early.take, task))
            if theirs:
                futures[self.start(_warnings_at, sent(list(range(len(jobs)))), inherited)] = ("warnings", [])
        finally:
            _inherited = None
        results: dict[int, Result] = {}
        checks: dict[int, tuple[list[Problem], Exception | None]] = {}  # for the main process's renders
        outputs: dict[int, Output] = {}

        def take(task: list[int], done: list[Result]) -> None:
            for i, (problems, data, warning, error) in zip(task, done):
                results[i] = (problems, None, None, error)
                if i in early.kept:
                    outputs[i] = early.kept[i]
                elif data is not None and not self.failed.is_set():
                    with early.lock:  # one thread at a time in the staging
                        outputs[i] = _keep(keep, staging, jobs[i], data, warning)
            if progress and task:
                progress(len(task))

        if mine:
            mark_worker(self.helpers and self.forks)
            try:
                with settled():
                    take(mine, _check_and_render([jobs[i] for i in mine], options, self.failed,
                                                 frozenset(mine.index(i) for i in apart)))
            finally:
                mark_worker(False)
                early.close()
            if early.error is not None:
                raise early.error
        docs = _documents(jobs)
        if not futures or self.claim.acquire(block=False):
            settle(docs)  # while the workers render, unless one has found them
        for future in as_completed(futures):
            kind, task = futures[future]
            if kind == "renders":
                take(task, future.result())
            elif kind == "checks":
                checks.update(zip(task, future.result()))
            elif (found := future.result()) is not None:
                for doc, warnings in zip(docs, found):
                    if isinstance(doc.warnings, Warnings):
                        doc.warnings.provide(warnings)
        for i, (found, error) in checks.items():  # the check came first: its failure is the one to tell
            results[i] = (found, None, None, error or results[i][3])
        problems: dict[Path, list[Problem]] = {}
        for i, (doc, _, _) in enumerate(jobs):
            if results[i][0]:
                problems.setdefault(doc.path, []).extend(results[i][0])
        if problems:
            raise ContentError({path: locate(path, found) for path, found in problems.items()})
        for i in range(len(jobs)):
            if results[i][3] is not None:
                raise results[i][3]
        settle(docs)  # no-op unless neither this process nor a worker has found them yet
        return [outputs[i] for i in range(len(jobs))]


class _Early:
    """Outputs the workers make while the main process renders its own task, kept (written
    out to their temporary files, ``Staging.add``, or the files the workers wrote adopted) at
    once by the thread that receives them: the writes and their fsyncs (0.1 s for the 18 MB
    HTML edition of 5,000 cards) then wait for no one.  ``close`` stops it, waiting for a write
    under way, so a build that stops finds every temporary file in its staging; a write's
    error is kept in ``error``."""

    def __init__(self, jobs: list[Job], keep: Callable[[Output], Output], failed, staging: Staging | None = None):
        import threading

        self.jobs, self.keep, self.failed, self.staging = jobs, keep, failed, staging
        self.lock = threading.Lock()
        self.open = True
        self.kept: dict[int, Output] = {}
        self.error: BaseException | None = None

    def take(self, task: list[int], future: Future) -> None:
        if future.cancelled() or future.exception() is not None:
            return
        with self.lock:
            for i, (_, data, warning, _) in zip(task, future.result()):
                if not self.open or self.error is not None or self.failed.is_set():
                    return
                if data is not None:
                    try:
                        self.kept[i] = _keep(self.keep, self.staging, self.jobs[i], data, warning)
                    except BaseException as error:  # raised by the main process once its own task is done
                        self.error = error

    def close(self) -> None:
        with self.lock:
            self.open = False


def _keep(keep: Callable[[Output], Output], staging: Staging | None, job: Job, data, warning: str | None) -> Output:
    """``keep`` of an output a worker sent, or what stands for its write: ``staging``'s adoption
    of the temporary file the worker wrote it to, or the error that stopped the worker's write."""
    if isinstance(data, OutputError):
        raise data
    if isinstance(data, Path):
        return staging.adopt(Output(*job, None, warning), data)
    return keep(Output(*job, data, warning))


def _before_forking(jobs: list[Job]) -> None:
    """Work more than one worker would do, done once before they fork, so each inherits it:
    ``before_forking``'s, and the content's dump that every output's build key is made of.
    The worker that renders the explainer would do it all first anyway."""
    before_forking({fmt.name for _, fmt, _ in jobs})
    for content in {id(doc.content): doc.content for doc, _, _ in jobs}.values():
        buildkey.content_data(content)


def before_forking(formats: Iterable[str]) -> None:
    """What every worker making ``formats`` would make for itself, made once before they
    fork: the build keys' code hash and library versions and, when both PDFs are made,
    the registered fonts."""
    buildkey.code()
    buildkey.environment()
    if {"pdf", "cards"} <= set(formats):
        from generator.render.pdf.fonts import register

        register()


def _stop(pool: ProcessPoolExecutor, parts: tuple | None = None) -> None:
    """Cancel what has not started and end the workers now: a failed or interrupted build
    has no use for the renders still running.  Returns once the pool's thread is done too:
    left running, it may close its wake-up pipe just as the interpreter's exit writes to it
    (Python 3.11 does both without a common lock), which prints a traceback."""
    # shutdown() forgets these, so they are taken first (``parts``: by ``Workers.last_started``).
    processes, manager, results = parts or (list((getattr(pool, "_processes", None) or {}).values()),
                                            getattr(pool, "_executor_manager_thread", None),
                                            getattr(pool, "_result_queue", None))
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        process.terminate()
    for process in processes:
        process.join(5)
        if process.exitcode is None:  # still starting, with SIGTERM held (see Workers.submit)
            process.kill()
            process.join()
    if results is not None:
        # A worker ended halfway through sending an output leaves the pool's thread reading
        # the rest of it; with every other writer gone, closing ours ends that read.
        results._writer.close()
    if manager is not None:
        manager.join()


def compare_with_previous(docs: Iterable[Document], formats: Sequence[str], out_dir: Path) -> list[str]:
    """What ``build`` would say about the files it replaces: the warnings, and (raised) what
    would stop it, such as a deck card whose type changed."""
    return [w for doc, fmt, path in plan(docs, formats, out_dir) if (w := _warning(doc, fmt, path))]


def _warning(doc: Document, fmt: Format, path: Path) -> str | None:
    """Ask the format about the file this build replaces (the deck checks its release stamp)."""
    if not (fmt.checks_previous and path.is_file()):
        return None
    return fmt.renderer().stale(doc, path)


def build(paths: Sequence[Path], out_dir: Path, formats: Sequence[str], options: Options,
          workers: int = 1, progress: Callable[[int], None] | None = None,
          on_loaded: Callable[[int], None] | None = None, force: bool = False,
          release: bool = True) -> list[Output]:
    """Load, render and write; outputs whose file is up to date are left untouched unless ``force``.
    ``release``: see ``render`` (a process that builds again passes False)."""
    files = content_paths(paths)
    if workers > 1 and len(files) >= workers:
        from generator import batch

        if batch.shared_evenly(files, workers):  # each worker loads the files it renders
            return batch.build_batch(files, out_dir, formats, options, workers, progress, on_loaded, force)
    docs = load_all(files)
    source_date_epoch()  # ReportLab reads it too, and would fail mid-render on a bad value
    jobs = plan(docs, formats, out_dir)
    check_targets(out_dir, [path for _, _, path in jobs])
    current = {} if force else up_to_date(jobs, options)
    pending = [job for job in jobs if job[2] not in current]  # up-to-date outputs passed their checks
    with Staging(out_dir) as staging:  # each output is written out as soon as it is made
        if workers > 1 and len(pending) > 1:  # the workers check, in parallel, before they render
            if on_loaded:
                on_loaded(len(pending))
            outputs = render(pending, options, workers, progress, keep=staging.add, staging=staging)
        else:
            check_all([(doc, fmt) for doc, fmt, _ in pending], options)
            if on_loaded:
                on_loaded(len(pending))
            outputs = render(pending, options, 1, progress, checked=True, keep=staging.add, release=release)
        staging.commit()
    built = {o.path: o for o in outputs}
    return [built.get(path) or Output(doc, fmt, path, current[path], current=True) for doc, fmt, path in jobs]


def summary(outputs: Sequence[Output]) -> str:
    """One line for the user: files, content files, notes and cards, PDF pages."""
    docs = {id(o.doc): o.doc for o in outputs}.values()
    notes = sum(len(d.content.cards) + len(d.content.glossary) for d in docs)
    cards = sum(card_count(d.content) for d in docs)
    pages = sum(pdf_pages(o.data) for o in outputs if o.path.suffix == ".pdf")
    current = sum(o.current for o in outputs)
    files = f"built {len(outputs) - current} file(s)" + (f" ({current} up to date)" if current else "")
    return (f"{files} from {len(docs)} content file(s): "
            f"{notes} notes ({cards} cards), {pages} PDF page(s)")


def pdf_pages(data: bytes) -> int:
    # Our PDFs come from ReportLab, which writes one "/Type /Page" dictionary per page.
    return len(re.findall(rb"/Type\s*/Page\b", data))
