"""The write phase: outputs staged in temporary files beside their targets, then renamed
into place all together, or not at all."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Sequence

from generator import record, signals
from generator.errors import OutputError

if TYPE_CHECKING:
    from generator.build import Output


def check_targets(out_dir: Path, targets: Iterable[Path]) -> None:
    """Refuse early what the write phase could only half do."""
    if out_dir.exists() and not out_dir.is_dir():
        raise OutputError(f"{out_dir}: output path exists and is not a directory")
    for target in targets:
        if target.is_dir():
            raise OutputError(f"{target}: an output file would replace this directory")


def write_all(outputs: Sequence[Output], out_dir: Path) -> None:
    """Write every output to a temporary file beside its target, then rename them all.

    If anything fails or the build is interrupted, the temporary files are removed
    and every existing output is left as it was: renaming either replaces all
    targets or, if one rename fails, puts back the ones already replaced.
    """
    check_targets(out_dir, [o.path for o in outputs])
    with Staging(out_dir) as staging:
        for output in outputs:
            staging.add(output)
        staging.commit()


class Staging:
    """Outputs written to temporary files beside their targets as soon as they are made, so
    a build holds no finished output in memory; ``commit`` renames them all into place.

    Leaving without ``commit`` (a failure, Ctrl-C) removes the temporary files, and the
    output directory too when this made it and it is still empty.
    """

    def __init__(self, out_dir: Path):
        self.out_dir = out_dir
        self.staged: list[tuple[Path, Path]] = []
        self.made_dir = False
        self.tags: list[str] = []  # see ``apart``

    def __enter__(self) -> "Staging":
        return self

    def add(self, output: Output) -> Output:
        """Write ``output`` out; the Output returned reads its bytes from its target once committed."""
        self.made_dir = _made_dir(self.out_dir) or self.made_dir
        self.staged.append((_written(self.out_dir, output.path, output.data, ".tmp", sync=True), output.path))
        return record.replace(output, body=None)

    def adopt(self, output: Output, tmp: Path, sync: bool = True) -> Output:
        """``add`` of an output another process wrote to ``tmp`` (``write_apart``), made
        durable here unless ``sync`` is false (a build that has failed commits nothing)."""
        self.staged.append((tmp, output.path))
        if sync:
            try:
                fd = os.open(tmp, os.O_RDONLY)
                try:
                    os.fsync(fd)
                finally:
                    os.close(fd)
            except OSError as error:
                raise OutputError(_unwritten(self.out_dir, error)) from None
        return record.replace(output, body=None)

    def apart(self) -> str:
        """The tag with which other processes write temporary files (``write_apart``): any this
        staging has not adopted when it ends uncommitted go too (one such process may have been
        stopped halfway through writing), and the output directory with them if they made it."""
        tag = f"studygen-{os.getpid()}"
        self.tags.append(tag)
        self.made_dir = self.made_dir or not self.out_dir.is_dir()
        return tag

    def commit(self) -> None:
        try:
            with signals.deferred():  # Ctrl-C or SIGTERM now would leave some targets replaced
                _replace_all(self.staged)
        except OSError as error:
            raise OutputError(f"{self.out_dir}: cannot write the outputs: {error.strerror or error}; "
                              "existing outputs are unchanged") from None
        self.staged = []
        self.made_dir = False
        self.tags = []

    def __exit__(self, kind, error, trace) -> None:
        for tmp, _ in self.staged:
            tmp.unlink(missing_ok=True)
        for tag in self.tags:
            for tmp in self.out_dir.glob(f".*.{tag}.tmp"):
                tmp.unlink(missing_ok=True)
        if self.made_dir:
            try:
                self.out_dir.rmdir()  # only when empty
            except OSError:
                pass


def write_apart(out_dir: Path, target: Path, data: bytes, tag: str) -> Path:
    """``data`` written to a temporary file beside ``target``, for the process that runs the
    build's ``Staging`` to adopt (a worker writes what it renders itself instead of sending
    it over: the parent then neither receives nor writes it).  Not synced: the adopting
    process does that.  Raises OutputError with ``Staging.add``'s messages."""
    _made_dir(out_dir)
    return _written(out_dir, target, data, f".{tag}.tmp", sync=False)


def _made_dir(out_dir: Path) -> bool:
    """Whether ``out_dir`` had to be made (and was), for a build that writes into it."""
    if out_dir.is_dir():
        return False
    try:
        out_dir.mkdir(parents=True)
    except FileExistsError:
        return False
    except OSError as error:
        raise OutputError(f"{out_dir}: cannot create the output directory: {error.strerror}") from None
    return True


def _written(out_dir: Path, target: Path, data: bytes, suffix: str, sync: bool) -> Path:
    """``data`` in a new temporary file beside ``target`` (none is left if writing it fails)."""
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=suffix, dir=out_dir)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                if sync:
                    handle.flush()
                    os.fsync(handle.fileno())
            os.chmod(tmp, 0o644)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
    except OSError as error:
        raise OutputError(_unwritten(out_dir, error)) from None
    return Path(tmp)


def _unwritten(out_dir: Path, error: OSError) -> str:
    return f"{out_dir}: cannot write the outputs: {error.strerror or error}; existing outputs are unchanged"


def _replace_all(staged: list[tuple[Path, Path]]) -> None:
    """Rename each temporary file onto its target, all or none.

    Each existing target is first linked (or copied) to a backup beside it, so a
    rename that fails halfway (an immutable file, a directory put in the way) can
    put back the targets already replaced and remove the ones that are new.
    """
    backups: dict[Path, Path] = {}
    done: list[Path] = []
    stuck: list[Path] = []  # replaced, and could not be put back: their backups stay
    try:
        for tmp, target in staged:
            if target.exists():
                backup = tmp.with_suffix(".old")
                try:
                    os.link(target, backup)
                except OSError:  # no hard links here (or not to this file): a copy does
                    shutil.copy2(target, backup)
                backups[target] = backup
        for tmp, target in staged:
            os.replace(tmp, target)
            done.append(target)
    except OSError as error:
        for target in reversed(done):
            try:
                if target in backups:
                    os.replace(backups[target], target)
                else:
                    target.unlink()
            except OSError:
                stuck.append(target)
        if stuck:
            raise OutputError(f"cannot write the outputs: {error.strerror or error}; and could not put back "
                              + ", ".join(f"{t} (its previous content is in {backups[t]})" if t in backups
                                          else f"{t} (new)" for t in stuck)) from None
        raise
    finally:
        for target, backup in backups.items():
            if target not in stuck:
                backup.unlink(missing_ok=True)
