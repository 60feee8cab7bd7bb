"""Run a command in fresh processes and measure wall time, CPU time and peak memory.

Every figure comes from a real child process: wall time around Popen and
os.wait4, CPU time and peak RSS from the rusage that wait4 returns.  That
rusage covers the child and the descendants it waited for, but its peak RSS
is the largest single process, so for builds that fan out to worker
processes a sampler thread also sums the RSS of the whole process tree.
The sampler takes CPU time of its own (about 2% of a core), which a build
using every core would pay in wall time, so it watches one extra, untimed
run of the command rather than the timed ones.
"""

from __future__ import annotations

import math
import os
import statistics
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

PAGE = os.sysconf("SC_PAGE_SIZE")


class CommandFailed(RuntimeError):
    pass


@dataclass(frozen=True)
class Run:
    wall: float  # seconds
    cpu: float  # user + system seconds of the child and its waited-for descendants
    rss: int  # peak RSS of the largest single process, bytes
    tree_rss: int | None  # peak of the summed RSS of the process tree (sampled), bytes
    stdout: str


@dataclass
class Sample:
    """Several runs of one command; the table shows medians."""

    runs: list[Run] = field(default_factory=list)
    watched: Run | None = None  # the untimed run whose process tree was sampled

    @property
    def wall(self) -> float:
        return statistics.median(r.wall for r in self.runs)

    @property
    def cpu(self) -> float:
        return statistics.median(r.cpu for r in self.runs)

    @property
    def rss(self) -> int:
        return max(r.rss for r in self.runs + [self.watched] if r)

    @property
    def tree_rss(self) -> int | None:
        return self.watched.tree_rss if self.watched else None

    @property
    def spread(self) -> float:
        """Fastest to slowest run, relative to the median: how noisy the machine was."""
        walls = [r.wall for r in self.runs]
        return (max(walls) - min(walls)) / self.wall if self.wall else 0.0

    @property
    def stdout(self) -> str:
        return self.runs[-1].stdout


def _children(pid: int) -> list[int]:
    out: list[int] = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as handle:
                out += [int(c) for c in handle.read().split()]
    except OSError:
        pass
    return out


def _tree_rss(root: int) -> int:
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        try:
            with open(f"/proc/{pid}/statm") as handle:
                total += int(handle.read().split()[1]) * PAGE
        except (OSError, IndexError, ValueError):
            continue
        todo += _children(pid)
    return total


class TreeSampler(threading.Thread):
    """Polls the summed RSS of a process tree until stopped; keeps the peak."""

    def __init__(self, pid: int, interval: float = 0.02):
        super().__init__(daemon=True)
        self.pid, self.interval = pid, interval
        self.peak = 0
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            self.peak = max(self.peak, _tree_rss(self.pid))
            self.done.wait(self.interval)

    def stop(self) -> int:
        self.done.set()
        self.join()
        return self.peak


def run_once(argv: list[str], cwd: Path, env: dict[str, str], tree: bool = False) -> Run:
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(argv, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=out, stderr=err)
        sampler = TreeSampler(proc.pid) if tree else None
        if sampler:
            sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        tree_rss = sampler.stop() if sampler else None
        proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here; Popen must not wait again
        if proc.returncode != 0:
            err.seek(0)
            raise CommandFailed(f"{' '.join(argv)} exited {proc.returncode}:\n"
                                + err.read().decode(errors="replace")[-3000:])
        out.seek(0)
        # Linux reports ru_maxrss in KiB.
        return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss * 1024, tree_rss,
                   out.read().decode(errors="replace"))


def measure(argv: list[str], cwd: Path, env: dict[str, str], repeats: int, *, warmup: bool = True,
            budget: float = 60.0, least: int = 3, tree: bool = False) -> Sample:
    """``repeats`` timed runs after an untimed warm-up run (disk cache, byte-code).

    Long commands get fewer runs: as many as fit in ``budget`` seconds, but
    never fewer than ``least``.
    """
    if warmup:
        run_once(argv, cwd, env)
    sample = Sample([run_once(argv, cwd, env)])
    wanted = max(least, min(repeats, math.floor(budget / max(sample.runs[0].wall, 1e-3))))
    while len(sample.runs) < min(wanted, repeats):
        sample.runs.append(run_once(argv, cwd, env))
    if tree:
        sample.watched = run_once(argv, cwd, env, tree=True)
    return sample


def interleaved(commands: list[list[str]], cwd: Path, env: dict[str, str], repeats: int, *,
                warmup: bool = True, tree: bool | list[bool] = False) -> list[Sample]:
    """Round-robin runs of commands that are compared with each other.

    On a shared machine load comes and goes; taking turns spreads it over
    every command alike, so their ratios stay fair even when medians move.
    """
    if warmup:
        for argv in commands:
            run_once(argv, cwd, env)
    samples = [Sample() for _ in commands]
    for _ in range(repeats):
        for argv, sample in zip(commands, samples):
            sample.runs.append(run_once(argv, cwd, env))
    watch = tree if isinstance(tree, list) else [tree] * len(commands)
    for argv, sample, watched in zip(commands, samples, watch):
        if watched:
            sample.watched = run_once(argv, cwd, env, tree=True)
    return samples
