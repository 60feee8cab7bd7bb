"""Results kept on disk between runs, for work whose inputs rarely change (the diagram's
font subsets: fontTools costs more to import than the rest of the deck takes to build).

An entry is named by a hash of everything that decides its bytes, which the caller
passes in full; an entry is written to a temporary file and renamed into place, so
concurrent builds see a whole entry or none, and it ends with a hash of its own bytes,
so a damaged one is ignored.  The cache is ``$STUDYGEN_CACHE_DIR``, else
``$XDG_CACHE_HOME/studygen``, else ``~/.cache/studygen``; it may be deleted at any time.
Trouble with it (a read-only home, a full disk) only means the work is done again.
Entries unused for a month, and the least recently used beyond a size, are removed
(generator.cachelimit) from the folders this module has written entries into.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path
from typing import Callable

from generator import cachelimit

_CHECK = 32  # bytes of sha256 at the end of an entry


def directory() -> Path | None:
    """Where entries are kept; None when there is no home to keep them in."""
    chosen = os.environ.get("STUDYGEN_CACHE_DIR")
    if chosen:
        return Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "studygen" if os.path.isabs(base) else None


def cached(kind: str, key: bytes, make: Callable[[], bytes]) -> bytes:
    """``make()``, or the bytes it returned before for the same ``kind`` and ``key``."""
    where = directory()
    if where is None:
        return make()
    # Joined as strings: pathlib would cost more than reading the entry.
    path = os.path.join(where, kind, hashlib.sha256(key).hexdigest())
    data = _read(path)
    if data is None:
        data = make()
        _write(path, data)
    cachelimit.maybe_prune(where)
    return data


def _read(path: str) -> bytes | None:
    try:
        with open(path, "rb") as handle:
            stored = handle.read()
            data, check = stored[:-_CHECK], stored[-_CHECK:]
            if len(stored) > _CHECK and hashlib.sha256(data).digest() == check:
                cachelimit.used(path, handle.fileno())
                return data
    except OSError:
        pass
    return None


def _write(path: str, data: bytes) -> None:
    try:
        folder = os.path.dirname(path)
        os.makedirs(folder, exist_ok=True)
        cachelimit.claim(folder)
        fd, tmp = tempfile.mkstemp(prefix=".", suffix=".tmp", dir=folder)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data + hashlib.sha256(data).digest())
            os.replace(tmp, path)
        except BaseException:
            os.unlink(tmp)
            raise
    except OSError:
        pass
