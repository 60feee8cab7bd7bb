"""Interruption: SIGTERM ends a build the way Ctrl-C does, worker processes leave it to
the parent, and the final renames are never cut in half."""

from __future__ import annotations

import os
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


_STOPS = {signal.SIGINT, signal.SIGTERM}


def quiet_worker() -> None:
    """For worker processes: Ctrl-C reaches the whole process group, but only the parent
    reacts (it stops the workers), so no worker prints a traceback of its own.  A worker
    started inside ``starting_workers`` holds both signals until here."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOPS)  # one that came meanwhile acts now


def end_with_parent(parent: int) -> None:
    """Have the kernel kill this process (a worker, a card-sheet helper) when ``parent``, the
    process that forked it, ends.  A parent that is killed (SIGKILL, the out-of-memory killer)
    cannot stop its workers, and a worker left behind would render on, then wait for ever to
    hand over what it made.  Linux only (PR_SET_PDEATHSIG): elsewhere nothing changes."""
    try:
        import ctypes

        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError, TypeError):  # no prctl (not Linux), or no C library to load
        return
    prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    if os.getppid() != parent:  # it ended before the request: no signal will come
        os._exit(1)


@contextmanager
def starting_workers() -> Iterator[None]:
    """Around starting worker processes: each starts with Ctrl-C and SIGTERM held, which a
    forked process inherits, so neither can run the handlers it inherits from this process
    (SIGTERM would raise ``Terminated`` in the worker, which prints its traceback) before
    ``quiet_worker`` has set its own."""
    with _held():
        yield


@contextmanager
def deferred() -> Iterator[None]:
    """Hold Ctrl-C and SIGTERM until the block is done; they arrive right after it."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    with _held():
        yield


@contextmanager
def _held() -> Iterator[None]:
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    old = signal.pthread_sigmask(signal.SIG_BLOCK, _STOPS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)
