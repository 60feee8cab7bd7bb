"""Incremental builds: an output whose inputs did not change is left untouched; only changed formats rebuild."""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

import pytest

from generator import buildkey, record
from generator.build import build
from generator.load import load
from generator.render import FORMATS, Options
from tests.conftest import starter, write_content

ALL = list(FORMATS)
NAMES = {"pdf": "nmn-autophagy.pdf", "anki": "nmn-autophagy.apkg", "cards": "nmn-autophagy-cards.pdf",
         "html": "nmn-autophagy.html"}


def state(out: Path) -> dict[str, tuple[int, int, bytes]]:
    """Each file's inode and modification time (a rename or rewrite changes them) and bytes."""
    return {p.name: (p.stat().st_ino, p.stat().st_mtime_ns, p.read_bytes()) for p in sorted(out.iterdir())}


def rewritten(before: dict, after: dict) -> set[str]:
    assert before.keys() == after.keys()
    return {name for name in before if before[name][:2] != after[name][:2]}


def clean_build(content: Path, out: Path, options: Options = Options()) -> dict[str, bytes]:
    build([content], out, ALL, options, workers=1, force=True)
    return {p.name: p.read_bytes() for p in sorted(out.iterdir())}


def fmt_of(name: str) -> str:
    return next(f for f, n in NAMES.items() if n == name)


@pytest.fixture
def project(tmp_path: Path):
    content = write_content(tmp_path / "content", starter())
    out = tmp_path / "out"
    first = build([content], out, ALL, Options(), workers=1)
    assert not any(o.current for o in first)
    return content, out


def test_a_rebuild_with_nothing_changed_touches_no_file(project):
    content, out = project
    before = state(out)
    outputs = build([content], out, ALL, Options(), workers=2)
    assert all(o.current for o in outputs) and len(outputs) == len(FORMATS)
    assert rewritten(before, state(out)) == set()
    assert state(out) == before
    # A comment in the TOML changes nothing any format reads.
    content.write_text(content.read_text(encoding="utf-8") + "\n# a note to myself\n", encoding="utf-8")
    assert all(o.current for o in build([content], out, ALL, Options(), workers=1))
    assert state(out) == before


def _edit(content: Path, change) -> None:
    from tests.conftest import write_content as write

    data = starter()
    change(data)
    write(content.parent, data, content.name)


# The HTML edition shows every table (its card preview included), so every edit rebuilds it.
@pytest.mark.parametrize("change, expected", [
    (lambda d: d["cards"][0].update(back=d["cards"][0]["back"] + " (edited)"), {"anki", "cards", "html"}),
    (lambda d: d["takeaways"][0].update(text="An edited takeaway."), {"pdf", "html"}),
    # printed backs may name a card's section (its heading), so the card sheets read sections too
    (lambda d: d["sections"][0].update(body=d["sections"][0]["body"] + " One more sentence."),
     {"pdf", "anki", "cards", "html"}),
    (lambda d: d["pathway"][0].update(detail="An edited detail."), {"pdf", "anki", "html"}),
    (lambda d: d["glossary"][0].update(definition="An edited definition."), {"pdf", "anki", "cards", "html"}),
])
def test_only_the_formats_that_read_an_edit_are_rebuilt(project, tmp_path, change, expected):
    content, out = project
    before = state(out)
    _edit(content, change)
    outputs = build([content], out, ALL, Options(), workers=1)
    after = state(out)
    assert {fmt_of(n) for n in rewritten(before, after)} == expected
    assert {o.format.name for o in outputs if not o.current} == expected
    for name in set(NAMES.values()) - {NAMES[f] for f in expected}:
        assert after[name][2] == before[name][2]
    # The files left in place are exactly what a clean build of the edited content writes.
    assert {name: s[2] for name, s in after.items()} == clean_build(content, tmp_path / "clean")


def test_force_rebuilds_everything_with_the_same_bytes(project):
    content, out = project
    before = state(out)
    outputs = build([content], out, ALL, Options(), workers=1, force=True)
    assert not any(o.current for o in outputs)
    after = state(out)
    assert rewritten(before, after) == set(NAMES.values())
    assert {n: s[2] for n, s in after.items()} == {n: s[2] for n, s in before.items()}


@pytest.mark.parametrize("options, expected", [
    (Options(page_size="letter"), {"pdf", "cards"}),
    (Options(duplex="short"), {"cards"}),
    (Options(cards_per_page=6), {"cards"}),
])
def test_a_changed_option_rebuilds_the_formats_that_use_it(project, tmp_path, options, expected):
    content, out = project
    before = state(out)
    build([content], out, ALL, options, workers=1)
    after = state(out)
    assert {fmt_of(n) for n in rewritten(before, after)} == expected
    assert {n: s[2] for n, s in after.items()} == clean_build(content, tmp_path / "clean", options)


def test_source_date_epoch_rebuilds_everything(project, monkeypatch):
    content, out = project
    before = state(out)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(4_000_000_000))  # later than the content version
    build([content], out, ALL, Options(), workers=1)
    after = state(out)
    assert rewritten(before, after) == set(NAMES.values())
    assert all(after[n][2] != before[n][2] for n in NAMES.values())
    # ...and once built under it, the same epoch is a no-op again.
    assert all(o.current for o in build([content], out, ALL, Options(), workers=1))


@pytest.mark.parametrize("what", ["version", "code", "library"])
def test_another_studygen_or_library_rebuilds_everything(project, monkeypatch, what):
    content, out = project
    before = state(out)
    if what == "version":
        monkeypatch.setattr(buildkey, "__version__", "99.0")
    elif what == "code":
        monkeypatch.setattr(buildkey, "code", lambda: "another renderer")
    else:
        real = buildkey.environment()
        monkeypatch.setattr(buildkey, "environment", lambda: {**real, "reportlab": "9"})
    outputs = build([content], out, ALL, Options(), workers=1)
    assert not any(o.current for o in outputs)
    assert rewritten(before, state(out)) == set(NAMES.values())


def test_a_missing_or_foreign_output_is_rebuilt(project):
    content, out = project
    before = state(out)
    (out / NAMES["pdf"]).unlink()
    (out / NAMES["cards"]).write_bytes(b"%PDF-1.4 not the file we wrote")
    outputs = build([content], out, ALL, Options(), workers=1)
    assert {o.format.name for o in outputs if not o.current} == {"pdf", "cards"}
    after = state(out)
    assert {n: s[2] for n, s in after.items()} == {n: s[2] for n, s in before.items()}
    assert after[NAMES["anki"]] == before[NAMES["anki"]]


def test_the_key_is_readable_metadata_of_each_file(project):
    from pypdf import PdfReader
    import zipfile

    content, out = project
    doc = load(content)
    for name, fmt in FORMATS.items():
        expected = buildkey.key(doc, fmt, Options())
        path = out / NAMES[name]
        if path.suffix == ".pdf":
            assert PdfReader(path).metadata["/StudygenBuild"] == expected
        elif path.suffix == ".html":
            import html5lib

            meta = [el for el in html5lib.parse(path.read_bytes(), treebuilder="etree", namespaceHTMLElements=False)
                    .iter("meta") if el.get("name") == "generator"]
            assert meta[0].get("content").endswith(f"; build {expected}")
        else:
            assert zipfile.ZipFile(path).comment.decode().endswith(f"; build {expected}")


def test_the_cli_reports_up_to_date_files_and_force(project):
    from click.testing import CliRunner

    from generator.cli import main

    content, out = project
    before = state(out)
    result = CliRunner().invoke(main, ["build", str(content), "-o", str(out), "-v"])
    assert result.exit_code == 0, result.output
    assert re.search(rf"built 0 file\(s\) \({len(FORMATS)} up to date\) from 1 content file", result.output)
    assert result.output.count("up to date: ") == len(FORMATS) and "wrote " not in result.output
    assert state(out) == before
    result = CliRunner().invoke(main, ["build", str(content), "-o", str(out), "-v", "--force"])
    assert result.exit_code == 0 and result.output.count("wrote ") == len(FORMATS)
    assert rewritten(before, state(out)) == set(NAMES.values())


# What a format declares it ignores it must really ignore: an edit there has to leave its
# bytes unchanged, or incremental builds would keep stale files.
KEEP = {"id", "quote", "claim", "section", "type", "source", "slug", "version", "doi", "url", "deck", "term"}
CHOICES = {"verdict": ["supported", "imprecise", "overstated", "unsupported"],
           "evidence": ["human-trial", "human-observational", "animal", "cell", "review", "none"],
           "shown_in": ["cell", "mouse", "human"]}


def _perturb(data: dict, table: str) -> None:
    """Change every value of every entry that can change while the content stays valid."""
    entries = data[table] if isinstance(data[table], list) else [data[table]]
    for entry in entries:
        for key, value in entry.items():
            if key in CHOICES:
                options = CHOICES[key]
                entry[key] = options[(options.index(value) + 1) % len(options)]
            elif isinstance(value, bool):
                entry[key] = not value
            elif isinstance(value, str) and key not in KEEP:
                entry[key] = value + " (changed)"
            elif isinstance(value, int):
                entry[key] = value - 1
            elif isinstance(value, list) and len(value) > 1:
                entry[key] = value[::-1]


ALTERNATES = {"page_size": "letter", "cards_per_page": 6, "duplex": "short"}


@pytest.mark.parametrize("name", ALL)
def test_each_format_ignores_only_what_it_declares(tmp_path, name):
    fmt = FORMATS[name]
    renderer = fmt.renderer()
    base_doc = load(write_content(tmp_path / "base", starter()))
    base = renderer.render(base_doc, Options())
    for table in fmt.ignores:
        changed = starter()
        assert changed.get(table), f"the fixture needs [[{table}]] entries for this test"
        _perturb(changed, table)
        doc = load(write_content(tmp_path / table, changed))
        assert renderer.render(doc, Options()) == base, f"{name} reads [[{table}]] but declares it ignored"
    for field in fmt.ignores_options:
        other = record.replace(Options(), **{field: ALTERNATES[field]})
        assert renderer.render(base_doc, other) == base, f"{name} reads Options.{field} but declares it ignored"
    # Everything else counts: a change to any other table or option gives another key.
    for table in set(starter()) - set(fmt.ignores):
        changed = starter()
        _perturb(changed, table)
        doc = load(write_content(tmp_path / f"read-{table}", changed))
        assert buildkey.key(doc, fmt, Options()) != buildkey.key(base_doc, fmt, Options()), table
    for field in set(record.fields(Options)) - set(fmt.ignores_options):
        other = record.replace(Options(), **{field: ALTERNATES[field]})
        assert buildkey.key(base_doc, fmt, other) != buildkey.key(base_doc, fmt, Options()), field


def test_library_versions_are_those_importlib_metadata_finds():
    from importlib.metadata import version

    found = buildkey.environment()
    for name in buildkey.LIBRARIES:
        assert found[name] == version(name)


def test_the_first_distribution_on_the_path_gives_the_version(tmp_path):
    first, second = tmp_path / "first", tmp_path / "second"
    for folder, names in ((first, ["Foo_Bar-1.2.dist-info", "other-3.dist-info", "notes.txt"]),
                          (second, ["foo.bar-9.0.dist-info", "baz-2.1.dist-info"])):
        for name in names:
            (folder / name).mkdir(parents=True)
    names = ["foo-bar", "baz", "studygen-no-such-distribution"]
    assert buildkey.installed_versions(names, [str(first), str(tmp_path / "missing"), str(second)]) == \
        {"foo-bar": "1.2", "baz": "2.1", "studygen-no-such-distribution": "-"}


def test_the_code_hash_follows_every_package_file_but_caches(tmp_path, monkeypatch):
    package = tmp_path / "generator"
    (package / "fonts").mkdir(parents=True)
    (package / "__pycache__").mkdir()
    (package / "model.py").write_text("x = 1\n")
    (package / "fonts" / "Face.ttf").write_bytes(b"\0\1\2")
    monkeypatch.setattr(buildkey, "PACKAGE", package)

    def hashed() -> str:
        buildkey.code.cache_clear()
        buildkey._package_digests.cache_clear()
        return buildkey.code()

    try:
        seen = [hashed()]
        (package / "__pycache__" / "model.cpython-311.pyc").write_bytes(b"cached")
        assert hashed() == seen[-1]
        for change in (lambda: (package / "fonts" / "Face.ttf").write_bytes(b"\0\1\3"),
                       lambda: (package / "model.py").rename(package / "load.py"),
                       lambda: (package / "fonts" / "LICENSE").write_text(""),
                       lambda: (package / "fonts" / "LICENSE").rename(package / "LICENSE")):
            change()
            seen.append(hashed())
        assert len(set(seen)) == len(seen)
        # What is not a regular file (an editor's lock link to nowhere, a named pipe) is not
        # read: it would fail, or wait forever.
        os.symlink("user@host.1234:1700000000", package / ".#model.py")
        os.mkfifo(package / "pipe")
        assert hashed() == seen[-1]
    finally:
        buildkey.code.cache_clear()
        buildkey._package_digests.cache_clear()


def _small_package(tmp_path, monkeypatch) -> Path:
    package = tmp_path / "generator"
    (package / "fonts").mkdir(parents=True)
    (package / "model.py").write_text("x = 1\n")
    (package / "fonts" / "Face.ttf").write_bytes(b"\0\1\2")
    monkeypatch.setattr(buildkey, "PACKAGE", package)
    monkeypatch.setenv("STUDYGEN_CACHE_DIR", str(tmp_path / "cache"))
    return package


def _hashed() -> str:
    buildkey.code.cache_clear()
    buildkey._package_digests.cache_clear()
    return buildkey.code()


def _unreadable(path: str) -> bytes:
    raise AssertionError(f"{path} was read")


def test_package_digests_are_kept_by_each_files_identity_and_made_again_when_one_changes(tmp_path, monkeypatch):
    package = _small_package(tmp_path, monkeypatch)
    monkeypatch.setattr(buildkey, "_SETTLED_NS", 0)  # every file counts as settled
    face = package / "fonts" / "Face.ttf"
    try:
        first = _hashed()
        with monkeypatch.context() as reading:
            reading.setattr(buildkey, "_file_digest", _unreadable)
            assert _hashed() == first  # from the disk cache: no file was read
        # The same size and modification time, new bytes: only the change time tells.
        before = face.stat()
        while face.stat().st_ctime_ns == before.st_ctime_ns:
            face.write_bytes(b"\0\1\3")
            os.utime(face, ns=(before.st_atime_ns, before.st_mtime_ns))
        changed = _hashed()
        assert changed != first
        buildkey.code.cache_clear()
        monkeypatch.setenv("STUDYGEN_CACHE_DIR", str(tmp_path / "no cache"))
        assert _hashed() == changed  # what hashing every file gives
    finally:
        buildkey.code.cache_clear()
        buildkey._package_digests.cache_clear()


def test_a_package_file_changed_in_the_last_seconds_is_hashed_every_time(tmp_path, monkeypatch):
    """A change within one tick of the file system's clock leaves every time as it was:
    the digests of a package that has just changed are not kept."""
    _small_package(tmp_path, monkeypatch)
    try:
        first = _hashed()
        with monkeypatch.context() as reading:
            reading.setattr(buildkey, "_file_digest", _unreadable)
            with pytest.raises(AssertionError, match="was read"):
                _hashed()
        assert not (tmp_path / "cache").exists()
        assert _hashed() == first
    finally:
        buildkey.code.cache_clear()
        buildkey._package_digests.cache_clear()


def test_a_file_digest_is_the_digest_of_its_bytes_inside_the_package_or_out(tmp_path, monkeypatch):
    package = tmp_path / "generator"
    (package / "fonts").mkdir(parents=True)
    face = package / "fonts" / "Face.ttf"
    face.write_bytes(b"\0\1\2")
    outside = tmp_path / "Other.ttf"
    outside.write_bytes(b"\0\1\3")
    monkeypatch.setattr(buildkey, "PACKAGE", package)
    buildkey._package_digests.cache_clear()
    try:
        for path in (face, outside, package / "fonts" / ".." / "fonts" / "Face.ttf"):
            assert buildkey.package_file_digest(path) == hashlib.blake2b(path.read_bytes(), digest_size=32).digest()
        assert buildkey.package_file_digest(face) != buildkey.package_file_digest(outside)
    finally:
        buildkey._package_digests.cache_clear()
