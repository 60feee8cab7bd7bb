"""studygen benchmarks: start-up, one article, scale, batches, memory, and a peer.

    python bench/run.py            # the full run (under ten minutes on two cores)
    python bench/run.py --quick    # fewer runs, smaller sizes: a smoke test (under two minutes)
    python bench/run.py --only startup,article

Every figure is measured on the real ``studygen`` command (or a script using
the real libraries) in fresh processes, several runs each; the table shows
medians.  Most goals compare with a floor measured in the same run, and
commands compared with each other take turns, so the verdicts hold on slower
or faster (or busy) machines.  See docs/performance.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.metadata
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from measure import CommandFailed, Sample, interleaved, measure  # noqa: E402
from workloads import NMN, ROOT, generated, nmn_copies  # noqa: E402

PY = sys.executable
HEAVY = ("reportlab", "genanki", "pydantic")
SECTIONS = ("startup", "article", "scale", "batch", "peer")
LIBRARIES = ("reportlab", "rl_accel", "genanki", "pydantic", "pydantic_core", "click", "fonttools", "weasyprint")

# Which heavy libraries a command's code path imports, asked of a fresh interpreter.
IMPORT_PROBE = """
import contextlib, io, json, sys
from generator.cli import main
with contextlib.redirect_stdout(io.StringIO()):
    try:
        main(sys.argv[1:], prog_name="studygen", standalone_mode=False)
    except SystemExit:
        pass
print(json.dumps(sorted({name.split(".")[0] for name in sys.modules} & set(%r))))
""" % (HEAVY,)


@dataclass
class Row:
    section: str
    name: str
    sample: Sample | None = None
    unit: str = ""  # per card, per article, pages...
    vs: str = ""  # the ratio or difference against this row's reference
    goal: str = ""
    result: str = ""  # "ok", "over", or "" for figures without a goal
    note: str = ""  # replaces the figures (skipped rows, import checks)


class Bench:
    def __init__(self, quick: bool, repeats: int | None, work: Path):
        self.quick = quick
        self.repeats = repeats or (2 if quick else 5)
        self.work = work
        self.rows: list[Row] = []
        self.cores = len(os.sched_getaffinity(0))
        self.env = child_env()
        # The benchmark's own font cache, not the user's: it starts empty, the first (untimed)
        # build fills it, and Bench.article also measures a build that cannot use it.
        self.env["STUDYGEN_CACHE_DIR"] = str(work / "font-cache")
        self.studygen = console_script()

    # -- running -----------------------------------------------------------

    def run(self, name: str, argv: list[str], *, repeats: int | None = None, warmup: bool = True,
            budget: float = 40.0, least: int = 3, tree: bool = False, env: dict[str, str] | None = None) -> Sample:
        print(f"  {name} ...", end="", file=sys.stderr, flush=True)
        least = min(least, repeats or self.repeats)
        sample = measure(argv, self.work, {**self.env, **(env or {})}, repeats or self.repeats, warmup=warmup,
                         budget=budget, least=least, tree=tree)
        print(f" {_seconds(sample.wall)} (median of {len(sample.runs)})", file=sys.stderr, flush=True)
        return sample

    def compare(self, names: list[str], commands: list[list[str]], repeats: int | None = None,
                warmup: bool = True, tree: bool | list[bool] = False) -> list[Sample]:
        """Measure commands that are compared with each other, taking turns."""
        print(f"  {' / '.join(names)} ...", end="", file=sys.stderr, flush=True)
        samples = interleaved(commands, self.work, self.env, repeats or self.repeats, warmup=warmup, tree=tree)
        print(" " + " / ".join(_seconds(s.wall) for s in samples) + f" (median of {len(samples[0].runs)})",
              file=sys.stderr, flush=True)
        return samples

    def json_of(self, argv: list[str]):
        """Run a probe once (it counts or lists, it is not timed) and read the JSON it prints."""
        done = subprocess.run(argv, cwd=self.work, env=self.env, capture_output=True, text=True)
        if done.returncode != 0:
            raise CommandFailed(f"{' '.join(argv[:3])} ... exited {done.returncode}:\n{done.stderr[-3000:]}")
        return json.loads(done.stdout)

    def studygen_build(self, content: list[Path], out: str, *args: str, force: bool = True) -> list[str]:
        """A build command; ``force`` (the default) renders everything, as a first build does,
        even when an earlier run left up-to-date files in ``out``."""
        return [PY, "-m", "generator", "-q", "build", *map(str, content), "-o", str(self.work / out),
                *(["--force"] if force else []), *args]

    def add(self, row: Row) -> Row:
        self.rows.append(row)
        return row

    # -- 1. start-up -------------------------------------------------------

    def startup(self) -> None:
        n = self.repeats * 4  # cheap and noisy: more runs
        commands = [("python -c pass (floor)", [PY, "-c", "pass"]),
                    ("python -c 'import click'", [PY, "-c", "import click"]),
                    ("python -m generator --help", [PY, "-m", "generator", "--help"]),
                    ("python -m generator --version", [PY, "-m", "generator", "--version"])]
        if self.studygen:
            commands += [("studygen --help", [self.studygen, "--help"]),
                         ("studygen --version", [self.studygen, "--version"])]
        floor, click, *samples = self.compare([c[0] for c in commands], [c[1] for c in commands], repeats=n)
        self.add(Row("start-up", commands[0][0], floor))
        self.add(Row("start-up", commands[1][0], click, vs=_delta(click, floor)))
        for (name, _), sample in zip(commands[2:], samples):
            over = (sample.wall - floor.wall) * 1000
            fastest = min(r.wall for r in sample.runs) - min(r.wall for r in floor.runs)
            self.add(Row("start-up", name, sample, unit=f"fastest runs: {fastest * 1000:+.0f} ms",
                         vs=_delta(sample, floor), goal="<= +50 ms", result="ok" if over <= 50 else "over"))
        if not self.studygen:
            self.add(Row("start-up", "studygen console script", note="not found next to " + PY))
        probes = [(["--help"], ()), (["--version"], ()), (["build", "--help"], ()), (["check", "--help"], ()),
                  # check lays out what the PDFs print (glyphs, card faces); valid content is
                  # read without pydantic (generator.validate)
                  (["-q", "check", str(NMN)], ("reportlab",))]
        for args, allowed in probes:
            loaded = self.json_of([PY, "-c", IMPORT_PROBE, *args])
            shown = " ".join("CONTENT" if a == str(NMN) else a for a in args)
            self.add(Row("start-up", f"heavy imports after studygen {shown}",
                         note=", ".join(loaded) if loaded else "none of " + ", ".join(HEAVY),
                         goal=" ".join(allowed) + " only" if allowed else "none",
                         result="over" if set(loaded) - set(allowed) else "ok"))

    # -- 2. the NMN article ------------------------------------------------

    def article(self) -> None:
        (self.work / "floor").mkdir(exist_ok=True)
        names = ["floor", "build all formats, -j 1", f"build all formats, default -j ({self.cores} cores)"]
        floor, *builds = self.compare(names, [
            [PY, str(Path(__file__).parent / "floor.py"), str(self.work / "floor")],
            self.studygen_build([NMN], "nmn", "-j", "1"), self.studygen_build([NMN], "nmn")], tree=True)
        self.floor = floor
        self.add(Row("article", "floor: import ReportLab + genanki, 1-page PDF, 1-note deck", floor))
        for name, sample in zip(names[1:], builds):
            ratio = sample.wall / floor.wall
            # CPU time against the floor's says the same with less noise on a busy machine.
            self.add(Row("article", name, sample, unit=_pages(self.work / "nmn"),
                         vs=f"{ratio:.2f}x floor (cpu {sample.cpu / floor.cpu:.2f}x)",
                         goal="<= 2.0x", result="ok" if ratio <= 2.0 else "over"))
        memory = builds[0].rss / floor.rss
        self.add(Row("article", "  peak memory of the -j 1 build", note=f"{_mib(builds[0].rss)} MiB",
                     vs=f"{memory:.2f}x floor's {_mib(floor.rss)} MiB", goal="<= 1.8x",
                     result="ok" if memory <= 1.8 else "over"))
        # Every run above found the diagram's font subsets in the cache (README, "The font cache"),
        # as every build does after the first one with a given studygen and font; this is the first.
        cold = self.run("-j 1, no font cache", self.studygen_build([NMN], "nmn-nocache", "-j", "1"),
                        env={"STUDYGEN_CACHE_DIR": os.devnull + "/studygen"})
        self.add(Row("article", "  build all formats, -j 1, font subsets not cached", cold,
                     unit=_pages(self.work / "nmn-nocache"),
                     vs=f"{cold.wall / floor.wall:.2f}x floor (cpu {cold.cpu / floor.cpu:.2f}x)"))
        self.incremental()
        for fmt in ("pdf", "anki", "cards"):
            sample = self.run(f"--format {fmt}", self.studygen_build([NMN], f"nmn-{fmt}", "-j", "1", "-f", fmt))
            self.add(Row("article", f"  only --format {fmt}, -j 1", sample, unit=_pages(self.work / f"nmn-{fmt}"),
                         vs=f"{sample.wall / floor.wall:.2f}x floor"))
        phases = self.run("phases", [PY, str(Path(__file__).parent / "phases.py"), str(NMN)])
        per_phase = [json.loads(run.stdout) for run in phases.runs]
        for name in per_phase[0]:
            seconds = statistics.median(p[name] for p in per_phase)
            label = name if name.startswith("reference") else f"phase: {name}"
            self.add(Row("article", f"  {label}", note=_seconds(seconds),
                         vs=f"{seconds / floor.wall:.2f}x floor"))
        self.repeated_work()

    def incremental(self) -> None:
        """A rebuild with nothing changed against check, and how soon watch rewrites an edited deck."""
        out = "nmn-noop"
        subprocess.run(self.studygen_build([NMN], out), cwd=self.work, env=self.env, check=True)
        check, noop = self.compare(["check", "no-op rebuild"], [
            [PY, "-m", "generator", "-q", "check", str(NMN)], self.studygen_build([NMN], out, force=False)])
        ratio = noop.wall / check.wall
        self.add(Row("article", "  studygen check (load and validate only)", check,
                     vs=f"{check.wall / self.floor.wall:.2f}x floor"))
        self.add(Row("article", "  rebuild with nothing changed (every file up to date)", noop,
                     vs=f"{ratio:.2f}x check (cpu {noop.cpu / check.cpu:.2f}x)", goal="<= 1.3x",
                     result="ok" if ratio <= 1.3 else "over"))
        edits = 5 if self.quick else 11
        script = str(Path(__file__).parent / "watch_latency.py")
        print("  watch latency ...", end="", file=sys.stderr, flush=True)
        found = self.json_of([PY, script, str(NMN), str(self.work / "watch"), str(edits)])
        latency = statistics.median(found["latencies"])
        print(f" {_seconds(latency)} (median of {edits})", file=sys.stderr, flush=True)
        self.add(Row("article", "  watch: a card's back saved until the deck is rewritten",
                     note=f"{_seconds(latency)} (median of {edits}; "
                          f"{_seconds(min(found['latencies']))} to {_seconds(max(found['latencies']))})",
                     vs=f"first build {_seconds(found['startup'])}", goal="<= 0.3 s (moonshot 0.1 s)",
                     result="ok" if latency <= 0.3 else "over"))

    def repeated_work(self) -> None:
        """Counts of work that should happen once per process, file or text, for 1 and 3 articles."""
        paths = nmn_copies(self.work / "counts", 3)
        script = str(Path(__file__).parent / "counts.py")
        one, three = (self.json_of([PY, script, *map(str, files)]) for files in (paths[:1], paths))
        goals = {  # what each count should be for 3 articles, given its value for 1
            "ReportLab TrueType fonts loaded": ("once per process", lambda a, b: b == a),
            "TOML documents parsed": ("once per file", lambda a, b: b == 3),
            "explainer layout passes": ("<= 2 per explainer", lambda a, b: b <= 2 * 3),
            "inline markup parsed (distinct texts, after the cache)": ("once per distinct text",
                                                                       lambda a, b: b <= a * 1.1),
        }
        for name in sorted(set(one) | set(three)):
            a, b = one.get(name, 0), three.get(name, 0)
            goal, ok = goals.get(name, ("", None))
            self.add(Row("article", f"  count: {name}", note=f"{a:,} for 1 article, {b:,} for 3 in one process",
                         goal=goal, result="" if ok is None else ("ok" if ok(a, b) else "over")))

    # -- 3. scale ----------------------------------------------------------

    def scale(self) -> None:
        sizes = ((100, 10), (1000, 100)) if self.quick else ((500, 50), (5000, 500))
        folder = self.work / "scale"
        per_card: list[float] = []
        for cards, terms in sizes:
            path = generated(folder, f"gen-{cards}", cards=cards, terms=terms)
            name = f"{cards:,} cards + {terms} glossary terms, all formats"
            sample = self.run(name, self.studygen_build([path], f"scale-{cards}"), warmup=False, budget=60,
                              least=1 if cards >= 5000 else 3, tree=True)
            notes = cards + terms
            per_card.append(sample.wall / notes)
            row = self.add(Row("scale", name, sample, unit=f"{sample.wall / notes * 1000:.2f} ms/note, "
                                                           + _pages(self.work / f"scale-{cards}")))
            if len(per_card) == 2:
                growth = per_card[1] / per_card[0]
                floor = self.floor_sample()
                ratio = sample.wall / floor.wall
                row.vs = (f"{ratio:.1f}x floor (cpu {sample.cpu / floor.cpu:.1f}x); "
                          f"{growth:.2f}x per-note time of {sizes[0][0]:,}")
                if cards >= 5000:  # --quick builds fewer: no verdict
                    row.goal = "<= 15x floor"
                    row.result = "ok" if ratio <= 15 else "over"
            for fmt in ("pdf", "anki", "cards"):
                if self.quick or cards >= 5000:
                    continue  # the all-formats row says enough; each format alone would cost minutes
                part = self.run(f"{name}: {fmt}", self.studygen_build([path], f"scale-{cards}-{fmt}", "-j", "1",
                                                                      "-f", fmt), warmup=False)
                self.add(Row("scale", f"  only --format {fmt}, -j 1", part,
                             unit=f"{part.wall / notes * 1000:.2f} ms/note"))
        sections = 3 if self.quick else 20
        path = generated(folder, "long", cards=0, terms=50, sections=sections, paragraphs=10, words=200)
        self.long_explainer = path
        sample = self.run("long explainer", self.studygen_build([path], "long", "-j", "1", "-f", "pdf"),
                          warmup=False, budget=20)
        pages = _page_count(self.work / "long")
        self.add(Row("scale", f"long explainer PDF ({sections} sections of 2,000 words), -j 1", sample,
                     unit=f"{pages} pages, {sample.wall / max(pages, 1) * 1000:.0f} ms/page"))

    def floor_sample(self) -> Sample:
        """The floor of this run (measured now when the article section was left out)."""
        if getattr(self, "floor", None) is None:
            (self.work / "floor").mkdir(exist_ok=True)
            self.floor = self.run("floor", [PY, str(Path(__file__).parent / "floor.py"), str(self.work / "floor")])
        return self.floor

    # -- 4. batch ----------------------------------------------------------

    def ceiling(self) -> float:
        """How many times faster this machine runs pure CPU work in all cores at once than in
        one (bench/ceiling.py): a batch build cannot scale better."""
        return self.json_of([PY, str(Path(__file__).parent / "ceiling.py"), str(self.cores)])["speedup"]

    def batch(self) -> None:
        counts = (1, 4) if self.quick else (1, 10, 50)
        paths = nmn_copies(self.work / "batch", max(counts))
        # Measured before and after the builds: other load on the machine moves it, as it moves them.
        ceilings = [self.ceiling()] if self.cores > 1 else []
        per_article: dict[tuple[int, int], float] = {}
        speedups: list[tuple[int, float]] = []
        for count in counts:
            times = {}
            all_jobs = (1, self.cores) if self.cores > 1 else (1,)
            names = [f"{count} article{'s' * (count > 1)}, -j {jobs}" for jobs in all_jobs]
            # Taking turns, as the article's builds do: load that comes and goes on a shared
            # machine then weighs on both sides of the speed-up alike.
            samples = self.compare(names, [
                self.studygen_build(paths[:count], f"batch-{count}-{jobs}", "-j", str(jobs)) for jobs in all_jobs],
                warmup=False, tree=[jobs > 1 for jobs in all_jobs])
            for jobs, name, sample in zip(all_jobs, names, samples):
                times[jobs] = sample.wall
                per_article[count, jobs] = sample.wall / count
                row = self.add(Row("batch", name, sample, unit=f"{sample.wall / count:.2f} s/article"))
                if count > counts[0] and count == max(counts):
                    base = per_article[counts[-2], jobs]
                    growth = per_article[count, jobs] / base
                    row.vs = f"{growth:.2f}x s/article of {counts[-2]}"
                    row.goal = "linear (<= 1.1x)"
                    row.result = "ok" if growth <= 1.1 else "over"
            if self.cores > 1:
                speedup = times[1] / times[self.cores]
                want = round(0.85 * self.cores, 2)
                self.add(Row("batch", f"  speed-up of -j {self.cores} over -j 1, {count} article{'s' * (count > 1)}",
                             vs=f"{speedup:.2f}x", goal=f">= {want:g}x" if count > 1 else "",
                             result=("ok" if speedup >= want else "over") if count > 1 else ""))
                speedups.append((count, speedup))
        if ceilings:
            ceilings.append(self.ceiling())
            best = max(ceilings)
            self.add(Row("batch", f"machine: pure CPU work in {self.cores} processes at once",
                         note=" and ".join(f"{c:.2f}x" for c in ceilings) + " as fast as one after another "
                              "(before and after the builds)"))
            for count, speedup in speedups:
                self.add(Row("batch", f"  speed-up of -j {self.cores}, {count} article{'s' * (count > 1)}, "
                                      "against the machine's", vs=f"{speedup / best:.0%} of {best:.2f}x"))

    # -- 6. the peer -------------------------------------------------------

    def peer(self) -> None:
        try:
            import weasyprint  # noqa: F401
        except (ImportError, OSError) as error:  # OSError: WeasyPrint without its Pango libraries
            self.add(Row("peer", "WeasyPrint, same explainer from HTML",
                         note=f"skipped (pip install '.[bench]'): {type(error).__name__}"))
            return
        script = str(Path(__file__).parent / "peer.py")
        cases = [("NMN article", NMN, "peer-nmn")]
        if not self.quick and getattr(self, "long_explainer", None):
            cases.append(("long explainer", self.long_explainer, "peer-long"))
        for label, content, out in cases:
            studygen, theirs = self.compare(
                [f"studygen --format pdf {label}", f"WeasyPrint {label}"],
                [self.studygen_build([content], out, "-j", "1", "-f", "pdf"),
                 [PY, script, str(content), str(self.work / "weasyprint.pdf")]],
                repeats=self.repeats if label == "NMN article" else min(self.repeats, 3),
                warmup=label == "NMN article")  # the long one runs code the short one warmed up
            self.add(Row("peer", f"studygen --format pdf, {label}, -j 1", studygen, unit=_pages(self.work / out)))
            ratio = studygen.wall / theirs.wall
            self.add(Row("peer", f"WeasyPrint, {label} from equivalent HTML", theirs,
                         unit=f"{theirs.stdout.strip()} PDF pages",
                         vs=f"studygen {ratio:.2f}x, RSS {studygen.rss / theirs.rss:.2f}x",
                         goal="<= 1x", result="ok" if ratio <= 1 else "over"))


# -- helpers ----------------------------------------------------------------


def child_env() -> dict[str, str]:
    env = dict(os.environ)
    for key in ("SOURCE_DATE_EPOCH", "PYTHONPROFILEIMPORTTIME", "PYTHONDONTWRITEBYTECODE"):
        env.pop(key, None)
    # Measure this working tree's generator, whichever copy is installed.
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT)] + [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p])
    return env


def console_script() -> str | None:
    # The script beside this interpreter, not a version manager's shim (which adds its own start-up).
    beside = Path(PY).parent / "studygen"
    if beside.is_file():
        return str(beside)
    return shutil.which("studygen")


def _delta(sample: Sample, floor: Sample) -> str:
    return f"{(sample.wall - floor.wall) * 1000:+.0f} ms"


def _page_count(folder: Path) -> int:
    # ReportLab writes one "/Type /Page" dictionary per page.
    return sum(len(re.findall(rb"/Type\s*/Page\b(?!s)", p.read_bytes())) for p in folder.glob("*.pdf"))


def _pages(folder: Path) -> str:
    pages = _page_count(folder)
    return f"{pages} PDF pages" if pages else ""


def _mib(n: int | None) -> str:
    return f"{n / 2**20:.0f}" if n else ""


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _memory() -> str:
    try:
        kib = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
        return f"{kib / 2**20:.1f} GiB"
    except (OSError, AttributeError):
        return "unknown"


def _git(*args: str) -> str:
    try:
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return ""


def machine(bench: Bench) -> list[str]:
    versions = []
    for name in LIBRARIES:
        try:
            versions.append(f"{name} {importlib.metadata.version(name)}")
        except importlib.metadata.PackageNotFoundError:
            versions.append(f"{name} -")
    sys.path.insert(0, str(ROOT))
    from generator import __version__

    commit = _git("rev-parse", "--short", "HEAD") or "unknown"
    dirty = _git("status", "--porcelain", "--untracked-files=no")
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return [
        f"date:       {dt.datetime.now(dt.timezone.utc).strftime('%Y-%m-%d %H:%M UTC')}",
        f"machine:    {_cpu_model()}, {bench.cores} cores usable ({os.cpu_count()} online), {_memory()} RAM",
        f"system:     {platform.platform()}",
        f"python:     {platform.python_implementation()} {platform.python_version()} ({PY})",
        f"studygen:   {__version__}, commit {commit}{' with uncommitted changes' if dirty else ''} ({ROOT})",
        f"libraries:  {', '.join(versions)}",
        f"console:    {bench.studygen or 'no studygen script found'}",
        f"runs:       median of {bench.repeats} per figure ({bench.repeats * 4} for start-up), after one "
        f"untimed warm-up run for short commands; long ones get fewer runs (column n)",
        f"load avg:   {load} at the start",
    ]


def table(rows: list[Row]) -> list[str]:
    head = ("section", "measurement", "n", "median", "cpu", "peak RSS MiB", "per unit", "vs reference",
            "goal", "result")
    lines = [head]
    for r in rows:
        s = r.sample
        if s is None:
            lines.append((r.section, r.name, "", "", "", "", r.note, r.vs, r.goal, r.result))
            continue
        rss = _mib(s.rss) + (f" (tree {_mib(s.tree_rss)})" if s.tree_rss and s.tree_rss > s.rss * 1.2 else "")
        lines.append((r.section, r.name, str(len(s.runs)), _seconds(s.wall), _seconds(s.cpu), rss,
                      r.unit or r.note, r.vs, r.goal, r.result))
    widths = [max(len(line[i]) for line in lines) for i in range(len(head))]
    right = {2, 3, 4, 5}
    out = []
    for n, line in enumerate(lines):
        cells = [c.rjust(w) if i in right else c.ljust(w) for i, (c, w) in enumerate(zip(line, widths))]
        out.append("  ".join(cells).rstrip())
        if n == 0:
            out.append("  ".join("-" * w for w in widths))
    return out


def _seconds(value: float) -> str:
    return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.2f} s"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer runs and smaller sizes: a smoke test")
    parser.add_argument("--repeats", type=int, help="timed runs per figure (default 5, or 3 with --quick)")
    parser.add_argument("--only", help=f"comma-separated sections to run: {','.join(SECTIONS)}")
    args = parser.parse_args(argv)
    only = args.only.split(",") if args.only else list(SECTIONS)
    unknown = set(only) - set(SECTIONS)
    if unknown:
        parser.error(f"unknown section(s) {', '.join(sorted(unknown))}; choose from {', '.join(SECTIONS)}")

    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="studygen-bench-") as tmp:
        bench = Bench(args.quick, args.repeats, Path(tmp))
        header = machine(bench)
        print(f"measuring; the table follows at the end ({header[-1].split(':', 1)[1].strip()})", file=sys.stderr)
        failed = False
        try:
            for section in SECTIONS:
                if section not in only:
                    continue
                print(f"{section}:", file=sys.stderr, flush=True)
                try:
                    getattr(bench, section)()
                except CommandFailed as error:
                    # The other sections still say something; the table shows what failed.
                    print(f"\nbench: a measured command failed: {error}", file=sys.stderr)
                    bench.add(Row(section, "FAILED", note=str(error).splitlines()[-1][:120]))
                    failed = True
        except KeyboardInterrupt:
            print("bench: interrupted; partial table follows", file=sys.stderr)
            failed = True
        header.append(f"load avg:   {', '.join(f'{x:.2f}' for x in os.getloadavg())} at the end; "
                      f"the benchmark took {time.perf_counter() - started:.0f} s")
        print("\n".join(header))
        print()
        print("\n".join(table(bench.rows)))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
