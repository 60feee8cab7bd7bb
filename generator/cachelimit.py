"""Keeps the disk cache (generator.diskcache) small without anyone looking after it.

Every change of studygen's code or of a library starts a new set of entries and the old
ones are never read again, so entries are removed once they have gone unused for
``MAX_AGE`` seconds, and the least recently used ones go first while the whole cache is
larger than ``$STUDYGEN_CACHE_MAX_MB`` (``DEFAULT_MB`` when unset).  An entry's
modification time is its last use: a hit sets it (access times are not kept on most
mounts).  Pruning runs at most once every ``EVERY`` seconds per cache, in the first build
after that time, as told by the modification time of a marker file, so a build normally
pays one small read for it.  The limits are written in the marker, so a changed
``$STUDYGEN_CACHE_MAX_MB`` applies at the next build.

Nothing here may fail a build: another build may prune at the same time or write while
this one prunes (a removed entry is only made again), and any error only means that less
is removed.  Only studygen's own files are removed: entries (named by a sha256 in hex) and
temporary files of writes that were killed, in those direct subdirectories of the cache
that carry the file ``OWNED``, which studygen writes into each folder it puts an entry in.
The cache may have been pointed at a directory other programs use too (``/tmp``,
``~/.cache``), whose folders may hold files named like studygen's: those are never touched,
nor is any file of the cache's own directory but the marker, which has a name of studygen's.
"""

from __future__ import annotations

import os
import stat
import tempfile
import time
from pathlib import Path

DAY = 24 * 60 * 60
MAX_AGE = 30 * DAY
EVERY = DAY
DEFAULT_MB = 20
MARKER = ".studygen-pruned"
# In each folder studygen writes entries into: pruning visits no other folder.
OWNED = ".studygen-cache"
_OWNED_TEXT = b"studygen keeps its disk cache entries in this folder and removes the unused ones.\n"
_HEX = frozenset("0123456789abcdef")

# When this process is next to look at each cache's marker: once per build, and every hour
# in a long-running one (``studygen watch``).
_next_look: dict[str, float] = {}


def used(path: str, fd: int) -> None:
    """Record a use of the entry at ``path``, open as ``fd``.  Skipped when it was recorded
    within the hour, which is precise enough for pruning and spares a write on most hits."""
    try:
        if abs(time.time() - os.fstat(fd).st_mtime) > 60 * 60:
            os.utime(path)
    except OSError:
        pass  # removed meanwhile, or not ours to touch: at worst it is pruned and made again


def claim(folder: str) -> None:
    """Mark ``folder`` as one studygen writes entries into, so that pruning may visit it.
    Called on every write of an entry, never on a hit: the marker is written only when it is
    missing, whole or not at all (renamed into place), and the same by every build."""
    marker = os.path.join(folder, OWNED)
    try:
        if os.path.lexists(marker):
            return
        fd, tmp = tempfile.mkstemp(prefix=".", suffix=".tmp", dir=folder)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(_OWNED_TEXT)
            os.replace(tmp, marker)
        except BaseException:
            os.unlink(tmp)
            raise
    except OSError:
        pass  # an unmarked folder is only left unpruned


def _owned(folder: str) -> bool:
    try:
        return stat.S_ISREG(os.lstat(os.path.join(folder, OWNED)).st_mode)
    except OSError:
        return False


def max_bytes() -> int:
    """The size the cache is kept under: ``$STUDYGEN_CACHE_MAX_MB`` megabytes (millions of bytes)."""
    text = os.environ.get("STUDYGEN_CACHE_MAX_MB", "").strip()
    try:
        mb = float(text)
    except ValueError:
        mb = DEFAULT_MB  # unset or not a number: a cache setting never fails a build
    if not 0 <= mb < float("inf"):  # nan too
        mb = DEFAULT_MB
    return int(mb * 1_000_000)


def maybe_prune(where: Path) -> None:
    """Prune ``where`` if it was not pruned in the last ``EVERY`` seconds with today's limits."""
    now, name = time.monotonic(), str(where)
    if now < _next_look.get(name, now - 1):
        return
    _next_look[name] = now + 60 * 60
    limits = f"{max_bytes()} {MAX_AGE}\n".encode("ascii")
    marker = where / MARKER
    try:
        with open(marker, "rb") as handle:
            since = time.time() - os.fstat(handle.fileno()).st_mtime
            if 0 <= since < EVERY and handle.read(64) == limits:
                return
    except OSError:
        pass  # no marker: a new cache, or one never pruned
    try:
        # Written before pruning, so that builds starting meanwhile leave the work to this one.
        # A marker that cannot be written means a cache that cannot be pruned either; not
        # trying spares every build a walk that would find nothing to remove.
        marker.write_bytes(limits)
    except OSError:
        return
    prune(where, max_bytes(), MAX_AGE)


def prune(where: Path, limit: int, max_age: float, now: float | None = None) -> None:
    """Remove from ``where`` the entries unused for ``max_age`` seconds, then the least
    recently used ones until the rest take at most ``limit`` bytes."""
    now = time.time() if now is None else now
    kept: list[tuple[float, int, str]] = []  # (last use, bytes on disk, path)
    try:
        kinds = [kind.path for kind in os.scandir(where) if kind.is_dir(follow_symlinks=False)]
    except OSError:
        return
    for kind in filter(_owned, kinds):
        try:
            with os.scandir(kind) as found:
                files = list(found)
        except OSError:
            continue
        for item in files:
            name = item.name
            entry = len(name) == 64 and _HEX.issuperset(name)
            # diskcache's mkstemp(prefix=".", suffix=".tmp")
            if not entry and not (name.startswith(".") and name.endswith(".tmp")):
                continue  # not ours
            try:
                if not item.is_file(follow_symlinks=False):
                    continue
                stat = item.stat(follow_symlinks=False)
            except OSError:
                continue  # removed meanwhile
            age = now - stat.st_mtime
            # A temporary file is an entry being written, unless its writer is long gone.
            # A time far in the future comes from a wrong clock and says nothing about use.
            stale = (age > max_age or age < -EVERY) if entry else age > EVERY
            if stale:
                _remove(item.path)
            elif entry:
                kept.append((stat.st_mtime, _on_disk(stat), item.path))
    total = sum(size for _, size, _ in kept)
    for _, size, path in sorted(kept):
        if total <= limit:
            break
        _remove(path)
        total -= size


def _on_disk(stat: os.stat_result) -> int:
    blocks = getattr(stat, "st_blocks", None)
    return max(stat.st_size, blocks * 512 if blocks is not None else 0)


def _remove(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass  # already removed by another build, or not ours to remove
