"""``studygen watch``: build, then rebuild whenever a content file or its source article changes.

One warm process: ReportLab, genanki, the fonts and the content model are
loaded once, and every rebuild runs in this process, so an edit costs only
loading the content again and rendering the formats it touches (build keys
leave the others untouched, see generator.buildkey).  A rebuild that fails
prints the problems and writes nothing, so the last good outputs stay.
"""

from __future__ import annotations

import time
import tomllib
from pathlib import Path
from typing import Callable, Sequence

from generator.build import Output, build, content_paths, plan, render, summary, up_to_date
from generator.staging import check_targets, write_all
from generator.errors import ContentError, StudygenError
from generator.load import load_all
from generator.pending import settle
from generator.render import Options, source_date_epoch

Say = Callable[[str], None]


def watched(paths: Sequence[Path]) -> set[Path]:
    """The content files a build would read and the source articles they name.

    The sources are read from the raw TOML, so a file that does not validate
    yet still has its source watched.
    """
    try:
        files = content_paths(paths)
    except StudygenError:
        return set()
    found = set()
    for path in files:
        found.add(path.resolve())
        try:
            source = tomllib.loads(path.read_text(encoding="utf-8-sig"))["article"]["source"]
            found.add((path.parent / source).resolve())
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, KeyError, TypeError, ValueError):
            pass
    return found


def folders(paths: Sequence[Path], files: set[Path]) -> set[Path]:
    """Directories to watch: those of the files (editors often save by replacing the file),
    and the content directory when no files are named (new content files appear there)."""
    out = {f.parent for f in files}
    if not paths:
        out.add(Path("content").resolve())
    return {d for d in out if d.is_dir()}


def rebuild(paths: Sequence[Path], out_dir: Path, formats: Sequence[str], options: Options, workers: int,
            say: Say, warn: Say) -> bool:
    """One build, reported as ``build`` and ``check`` report it; False when it failed."""
    started = time.perf_counter()
    try:
        if workers > 1:
            outputs = build(list(paths), out_dir, formats, options, workers=workers, release=False)
        else:
            outputs = build_in_turn(paths, out_dir, formats, options)
        settle(output.doc for output in outputs)
    except ContentError as error:
        for line in error.lines():
            warn(f"error: {line}")
        warn(f"studygen: {error}; the previous outputs are kept")
        return False
    except StudygenError as error:
        warn(f"studygen: {error}; the previous outputs are kept")
        return False
    except Exception as error:  # a bug: say so, and keep watching (the author may edit around it)
        warn(f"studygen: internal error ({type(error).__name__}: {error}); please report this bug; "
             "the previous outputs are kept")
        return False
    for doc in {id(o.doc): o.doc for o in outputs}.values():
        for problem in doc.warnings:
            warn(f"warning: {problem.located(doc.path)}")
    for output in outputs:
        if output.warning:
            warn(f"warning: {output.warning}")
    say(f"{summary(outputs)} into {out_dir} in {time.perf_counter() - started:.2f} s")
    return True


# The quickest first: the deck is usually the output an author checks after an edit.
ORDER = {"anki": 0, "cards": 1, "pdf": 2}


def build_in_turn(paths: Sequence[Path], out_dir: Path, formats: Sequence[str], options: Options) -> list[Output]:
    """``build`` in this process, writing each output as soon as it is rendered.

    Everything is loaded and checked first, so a content problem writes
    nothing; a layout problem in one format (a card too long to print) leaves
    that format's last good file, after the quicker formats were written.
    """
    docs = load_all(content_paths(list(paths)))
    source_date_epoch()
    jobs = plan(docs, formats, out_dir)
    check_targets(out_dir, [path for _, _, path in jobs])
    current = up_to_date(jobs, options)
    built: dict[Path, Output] = {}
    for job in sorted((job for job in jobs if job[2] not in current), key=lambda job: ORDER.get(job[1].name, 9)):
        output, = render([job], options)
        write_all([output], out_dir)
        built[output.path] = output
    return [built.get(path) or Output(doc, fmt, path, current[path], current=True) for doc, fmt, path in jobs]


def run(paths: Sequence[Path], out_dir: Path, formats: Sequence[str], options: Options, *, workers: int = 1,
        say: Say = print, warn: Say = print, step_ms: int = 30) -> None:
    """Build, then rebuild on every change until interrupted (KeyboardInterrupt propagates)."""
    import signal

    from watchfiles import watch

    # Ctrl-C is how watching ends, even when started from a shell that ignores SIGINT in
    # background jobs (Python then leaves it ignored).
    signal.signal(signal.SIGINT, signal.default_int_handler)
    out = out_dir.resolve()
    files = watched(paths)
    built_from = snapshot(files)
    rebuild(paths, out_dir, formats, options, workers, say, warn)
    while True:
        dirs = folders(paths, files)
        if not dirs:
            raise StudygenError("nothing to watch: no content files found")

        def relevant(_change, name: str) -> bool:
            path = Path(name)
            if out in path.parents or path == out:
                return False
            # Unnamed content: any new *.toml in the content directory counts too.
            return path in files or (not paths and path.suffix == ".toml")

        ready = False
        # The watcher yields an empty set once it is set up (and on each quiet timeout).
        for changes in watch(*dirs, watch_filter=relevant, step=step_ms, debounce=1000, recursive=False,
                             rust_timeout=250, yield_on_timeout=True):
            names = sorted({Path(name).name for _, name in changes})
            if not ready:
                ready = True
                say(f"watching {len(files)} file(s) for changes (Ctrl-C to stop)")
                # Saves made while building, or before the watcher was set up, have no event.
                now = snapshot(files)
                names = sorted({p.name for p in files if now.get(p) != built_from.get(p)} | set(names))
            if not names:
                continue
            say(f"changed: {', '.join(names)}")
            built_from = snapshot(files)
            rebuild(paths, out_dir, formats, options, workers, say, warn)
            if watched(paths) != files:
                files = watched(paths)
                break  # a source was renamed or a content file appeared: watch the new set


def snapshot(files: set[Path]) -> dict[Path, tuple[int, int, int] | None]:
    """What each file looks like now (a save changes its time, size or inode)."""
    found: dict[Path, tuple[int, int, int] | None] = {}
    for path in files:
        try:
            st = path.stat()
            found[path] = (st.st_mtime_ns, st.st_size, st.st_ino)
        except OSError:
            found[path] = None
    return found
