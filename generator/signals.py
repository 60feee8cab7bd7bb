"""Interruption: SIGTERM ends a build the way Ctrl-C does, worker processes leave it to
the parent, and the final renames are never cut in half."""

from __future__ import annotations

import signal
import threading
from contextlib import contextmanager
from typing import Iterator


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised where the program is, so cleanup code runs as for Ctrl-C."""

    exit_code = 143  # 128 + SIGTERM, as a shell reports a process the signal ended


def _terminate(signum, frame):
    raise Terminated()


def on_sigterm() -> None:
    """Turn SIGTERM into ``Terminated`` in this process (signals reach only the main thread)."""
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _terminate)


def quiet_worker() -> None:
    """For worker processes: Ctrl-C reaches the whole process group, but only the parent
    reacts (it stops the workers), so no worker prints a traceback of its own."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


@contextmanager
def deferred() -> Iterator[None]:
    """Hold Ctrl-C and SIGTERM until the block is done; they arrive right after it."""
    if not hasattr(signal, "pthread_sigmask") or threading.current_thread() is not threading.main_thread():
        yield
        return
    old = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)
