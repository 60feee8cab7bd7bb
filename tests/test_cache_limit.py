"""The disk cache stays small by itself: entries unused for long and the least recently used
beyond a size are removed, at most once a day, without ever failing a build or changing an
output.  Each "build" here is a fresh process using the cache, as a real build is."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import time
from pathlib import Path

from generator import cachelimit
from tests.conftest import FIXTURE, ROOT

DAY = 24 * 60 * 60
YEAR = 365 * DAY


def entry_name(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def build(where: Path, *keys: str, size: int = 100, max_mb: str | None = None) -> list[bytes]:
    """A later build: a new process that asks the cache at ``where`` for ``keys``; what it got."""
    code = ("import sys; from generator import diskcache\n"
            "for key in sys.argv[2:]:\n"
            "    data = diskcache.cached('font-subsets', key.encode(), lambda: b'made:' + key.encode() * int(sys.argv[1]))\n"
            "    sys.stdout.buffer.write(data + b'\\n')\n")
    env = {**os.environ, "STUDYGEN_CACHE_DIR": str(where), "PYTHONPATH": str(ROOT)}
    env.pop("STUDYGEN_CACHE_MAX_MB", None)
    if max_mb is not None:
        env["STUDYGEN_CACHE_MAX_MB"] = max_mb
    out = subprocess.run([sys.executable, "-c", code, str(size), *keys], cwd=ROOT, env=env,
                         capture_output=True, check=True).stdout
    return out.splitlines()


def entries(where: Path) -> set[str]:
    return {path.name for path in (where / "font-subsets").iterdir()} - {cachelimit.OWNED}


def last_used(where: Path, key: str, seconds_ago: float) -> None:
    moment = time.time() - seconds_ago
    os.utime(where / "font-subsets" / entry_name(key), (moment, moment))


def a_day_later(where: Path) -> None:
    """As if the last pruning was two days ago."""
    moment = time.time() - 2 * DAY
    os.utime(where / cachelimit.MARKER, (moment, moment))


def test_entries_unused_for_long_are_removed_and_recent_ones_stay(tmp_path):
    build(tmp_path, "old", "recent", "today")
    last_used(tmp_path, "old", YEAR)
    last_used(tmp_path, "recent", 2 * DAY)
    a_day_later(tmp_path)
    build(tmp_path, "today")
    assert entries(tmp_path) == {entry_name("recent"), entry_name("today")}


def test_pruning_runs_at_most_once_a_day(tmp_path):
    build(tmp_path, "a", "b")  # the first build of a new cache prunes it (there is nothing to remove)
    last_used(tmp_path, "a", YEAR)
    build(tmp_path, "b")
    assert entry_name("a") in entries(tmp_path)  # pruned already today
    a_day_later(tmp_path)
    build(tmp_path, "b")
    assert entries(tmp_path) == {entry_name("b")}


def test_the_least_recently_used_go_first_while_the_cache_is_too_big(tmp_path):
    keys = [f"key{n}" for n in range(10)]
    size = 100_000
    build(tmp_path, *keys, size=size // 4)  # each entry a little over 100 kB
    for age, key in enumerate(reversed(keys)):  # key9 used last
        last_used(tmp_path, key, age * 60 * 60)
    on_disk = {key: os.stat(tmp_path / "font-subsets" / entry_name(key)) for key in keys}
    used = {key: max(found.st_size, found.st_blocks * 512) for key, found in on_disk.items()}
    limit = 0.35  # MB: room for three entries, not four
    a_day_later(tmp_path)
    build(tmp_path, "key9", size=size // 4, max_mb=str(limit))  # a build that uses the newest
    left = [key for key in keys if entry_name(key) in entries(tmp_path)]
    assert left == keys[-len(left):]  # every one kept was used after every one removed
    kept = sum(used[key] for key in left)
    assert kept <= limit * 1e6 < kept + used[keys[-len(left) - 1]]  # no more removed than needed
    assert build(tmp_path, *left, size=size // 4) == [b"made:" + key.encode() * (size // 4) for key in left]


def test_a_hit_is_a_use(tmp_path):
    build(tmp_path, "hit", "missed")
    last_used(tmp_path, "hit", YEAR)
    last_used(tmp_path, "missed", YEAR)
    (got,) = build(tmp_path, "hit")  # not pruned yet today: this is a hit
    assert got == b"made:" + b"hit" * 100
    assert time.time() - os.stat(tmp_path / "font-subsets" / entry_name("hit")).st_mtime < 60 * 60
    a_day_later(tmp_path)
    build(tmp_path, "other")
    assert entries(tmp_path) == {entry_name("hit"), entry_name("other")}


def test_a_hit_keeps_an_entry_under_the_size_limit(tmp_path):
    build(tmp_path, "aaa", "bbb", size=100_000)
    last_used(tmp_path, "aaa", 3 * 60 * 60)
    last_used(tmp_path, "bbb", 2 * 60 * 60)
    build(tmp_path, "aaa", size=100_000)  # now the most recently used
    a_day_later(tmp_path)
    build(tmp_path, "x", size=1, max_mb="0.5")  # room for one 300 kB entry, not two
    assert entries(tmp_path) == {entry_name("aaa"), entry_name("x")}


def test_a_changed_limit_applies_at_the_next_build(tmp_path):
    build(tmp_path, "one", "two", size=100_000)
    build(tmp_path, "x", size=1, max_mb="0.4")  # pruned today, but with another limit
    assert len(entries(tmp_path)) == 2  # x and one 300 kB entry
    build(tmp_path, "x", size=1, max_mb="0")
    assert entries(tmp_path) == set()


def test_a_limit_that_is_not_a_size_is_ignored(tmp_path):
    for max_mb in ("lots", "-1", "nan", "inf", ""):
        assert build(tmp_path, "kept", max_mb=max_mb) == [b"made:" + b"kept" * 100]
        assert entries(tmp_path) == {entry_name("kept")}


def test_only_studygen_files_are_removed_and_strange_ones_do_not_stop_pruning(tmp_path):
    build(tmp_path, "stale", "fresh")
    kind = tmp_path / "font-subsets"
    outside = tmp_path.parent / f"{tmp_path.name}-outside"
    outside.write_bytes(b"not the cache's")
    strange = {
        tmp_path / "notes.txt": b"a file of the user's",
        kind / "README": b"a file of the user's",
        kind / ("ab" * 32 + ".bak"): b"almost an entry's name",
        kind / ("AB" * 32): b"an entry's name in capitals",
        kind / entry_name("damaged"): b"too short",
    }
    for path, data in strange.items():
        path.write_bytes(data)
    (kind / entry_name("a directory")).mkdir()
    (kind / entry_name("a link")).symlink_to(outside)
    (tmp_path / "other-kind").mkdir()
    (tmp_path / "other-kind" / entry_name("older studygen")).write_bytes(b"an entry of another kind")
    (tmp_path / "other-kind" / cachelimit.OWNED).write_bytes(b"")  # a kind studygen wrote into
    (tmp_path / "linked-mark").mkdir()
    (tmp_path / "linked-mark" / entry_name("not ours")).write_bytes(b"a file of the user's")
    (tmp_path / "linked-mark" / cachelimit.OWNED).symlink_to(kind / cachelimit.OWNED)
    (kind / ".abc.tmp").write_bytes(b"left by a killed build")
    (kind / ".def.tmp").write_bytes(b"being written by a running build")
    for path in [*strange, kind / entry_name("stale"), kind / entry_name("a directory"), outside,
                 tmp_path / "other-kind" / entry_name("older studygen"), kind / ".abc.tmp",
                 tmp_path / "linked-mark" / entry_name("not ours")]:
        os.utime(path, (time.time() - YEAR,) * 2)
    os.utime(kind / entry_name("a link"), (time.time() - YEAR,) * 2, follow_symlinks=False)

    a_day_later(tmp_path)
    assert build(tmp_path, "damaged", "fresh") == [b"made:" + b"damaged" * 100, b"made:" + b"fresh" * 100]
    assert all(path.read_bytes() == data for path, data in strange.items() if path.name != entry_name("damaged"))
    assert (kind / entry_name("a directory")).is_dir()
    assert (kind / entry_name("a link")).is_symlink() and outside.read_bytes() == b"not the cache's"
    assert not (tmp_path / "other-kind" / entry_name("older studygen")).exists()
    assert (tmp_path / "linked-mark" / entry_name("not ours")).read_bytes() == b"a file of the user's"
    assert not (kind / entry_name("stale")).exists() and not (kind / ".abc.tmp").exists()
    assert (kind / ".def.tmp").exists()


def test_other_programs_files_in_a_shared_cache_directory_are_never_touched(tmp_path):
    """The cache pointed at a directory other programs keep files in too (``/tmp``,
    ``~/.cache``): files named like studygen's entries and temporary files, in folders
    studygen did not write into or beside its folders, outlive every pruning unchanged."""
    foreign = {
        tmp_path / "otherapp" / entry_name(f"theirs {n}"): f"another program's entry {n}".encode()
        for n in range(4)
    }
    foreign.update({
        tmp_path / "otherapp" / ".x.tmp": b"another program's temporary file",
        tmp_path / "otherapp" / "font-subsets" / entry_name("nested"): b"another program's",
        tmp_path / "other-tool" / ".abc123.tmp": b"another program's temporary file",
        tmp_path / entry_name("in the cache's own directory"): b"another program's",
        tmp_path / ".y.tmp": b"another program's temporary file",
        tmp_path / ".pruned": b"another program's bookkeeping",
    })
    for path, data in foreign.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    build(tmp_path, "stale", "fresh")
    last_used(tmp_path, "stale", YEAR)
    for path in foreign:
        os.utime(path, (time.time() - YEAR,) * 2)
    before = {path: path.stat().st_mtime for path in foreign}
    a_day_later(tmp_path)
    build(tmp_path, "fresh", max_mb="0")  # prunes for age, then everything of studygen's for size
    assert entries(tmp_path) == set()  # studygen's own entries are pruned
    assert {path: path.read_bytes() for path in foreign} == foreign
    assert {path: path.stat().st_mtime for path in foreign} == before
    assert not (tmp_path / "otherapp" / cachelimit.OWNED).exists()


def test_a_folder_is_marked_when_an_entry_is_written_into_it_not_when_one_is_read(tmp_path):
    build(tmp_path, "first")
    mark = tmp_path / "font-subsets" / cachelimit.OWNED
    assert mark.is_file() and not mark.is_symlink()
    # A folder of a cache written before folders were marked: left alone while only read ...
    mark.unlink()
    last_used(tmp_path, "first", YEAR)
    a_day_later(tmp_path)
    assert build(tmp_path, "first") == [b"made:" + b"first" * 100]
    assert not mark.exists()
    # ... and pruned again once studygen writes an entry into it.
    build(tmp_path, "second")
    assert mark.is_file()
    last_used(tmp_path, "first", YEAR)
    a_day_later(tmp_path)
    build(tmp_path, "second")
    assert entries(tmp_path) == {entry_name("second")}


def test_a_marker_that_cannot_be_written_only_means_no_pruning(tmp_path):
    build(tmp_path, "stale")
    last_used(tmp_path, "stale", YEAR)
    (tmp_path / cachelimit.MARKER).unlink()
    (tmp_path / cachelimit.MARKER).mkdir()
    assert build(tmp_path, "stale", "new") == [b"made:" + b"stale" * 100, b"made:" + b"new" * 100]


def test_a_marker_from_a_wrong_clock_does_not_stop_pruning(tmp_path):
    build(tmp_path, "stale", "kept")
    last_used(tmp_path, "stale", YEAR)
    future = time.time() + 10 * YEAR
    os.utime(tmp_path / cachelimit.MARKER, (future, future))
    build(tmp_path, "kept")
    assert entries(tmp_path) == {entry_name("kept")}


def test_a_missing_entry_is_made_again(tmp_path):
    build(tmp_path, "gone")
    (tmp_path / "font-subsets" / entry_name("gone")).unlink()
    assert build(tmp_path, "gone") == [b"made:" + b"gone" * 100]
    assert entries(tmp_path) == {entry_name("gone")}


_PRUNER = """
import sys, time
from pathlib import Path
from generator import cachelimit
stop, end = Path(sys.argv[2]), time.monotonic() + 60
while not stop.exists() and time.monotonic() < end:
    cachelimit.prune(Path(sys.argv[1]), 0, 0)
"""
_READER = """
import sys, time
from generator import diskcache
made = 0
asked = 0
end = time.monotonic() + 30
def make(key):
    global made
    made += 1
    return key * 5000
while time.monotonic() < end and not (made > 20 and asked - made > 20):
    key = b"key%d" % (asked % 4)
    asked += 1
    if diskcache.cached("font-subsets", key, lambda: make(key)) != key * 5000:
        sys.exit("wrong bytes")
print(made, asked - made)
"""


def test_builds_pruning_while_others_read_and_write(tmp_path):
    cache, stop = tmp_path / "cache", tmp_path / "stop"
    env = {**os.environ, "STUDYGEN_CACHE_DIR": str(cache), "PYTHONPATH": str(ROOT)}
    pruners = [subprocess.Popen([sys.executable, "-c", _PRUNER, str(cache), str(stop)], cwd=ROOT, env=env)
               for _ in range(2)]
    readers = [subprocess.Popen([sys.executable, "-c", _READER], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE) for _ in range(2)]
    for reader in readers:
        out, err = reader.communicate(timeout=60)
        assert reader.returncode == 0, err
        made, hits = map(int, out.split())
        assert made and hits  # both a removed entry and a kept one were met
    stop.touch()
    for pruner in pruners:
        assert pruner.wait(timeout=60) == 0


def test_pruning_does_not_change_the_outputs(tmp_path):
    """The deck (which carries the diagram's font subsets) has the same bytes whether its
    subsets were made, read from the cache, or made again after the cache was pruned."""
    cache = tmp_path / "cache"
    env = {**os.environ, "STUDYGEN_CACHE_DIR": str(cache), "PYTHONPATH": str(ROOT), "SOURCE_DATE_EPOCH": "1700000000"}

    def deck(name: str, **extra: str) -> bytes:
        out = tmp_path / name
        subprocess.run([sys.executable, "-m", "generator", "build", "-q", "-f", "anki", "-j", "1", "-o", str(out),
                        str(FIXTURE)], cwd=ROOT, env={**env, **extra}, check=True)
        (apkg,) = out.glob("*.apkg")
        return apkg.read_bytes()

    def stamps() -> dict[str, int]:  # a hit leaves an entry's time alone (within the hour)
        return {name: (cache / "font-subsets" / name).stat().st_mtime_ns for name in entries(cache)}

    made = deck("made")
    subsets = stamps()
    assert subsets
    assert deck("cached") == made
    assert stamps() == subsets
    # This build prunes the cache to nothing at its first use of it: the subsets are made again.
    assert deck("pruned", STUDYGEN_CACHE_MAX_MB="0") == made
    pruned = stamps()
    assert pruned.keys() <= subsets.keys() and all(pruned[name] != subsets[name] for name in pruned)
    assert deck("made again") == made
    assert entries(cache) == subsets.keys()
