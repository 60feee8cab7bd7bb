"""Shared fixtures: content variants, builds, and the real Anki and PDF readers."""

from __future__ import annotations

import os
import shutil
import tempfile
import tomllib
from pathlib import Path

import pytest
import tomli_w

# Outputs are dated from SOURCE_DATE_EPOCH when it is set; tests that compare bytes or
# dates must not inherit one from the shell (subprocesses inherit os.environ).
os.environ.pop("SOURCE_DATE_EPOCH", None)
# Tests keep their cache (generator.diskcache) to themselves, not in the user's home.
os.environ["STUDYGEN_CACHE_DIR"] = tempfile.mkdtemp(prefix="studygen-test-cache-")

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content" / "nmn-autophagy.toml"  # the shipped content
FIXTURE = ROOT / "tests" / "fixtures" / "nmn-autophagy.toml"  # small and fixed, for targeted changes
SOURCE = ROOT / "tests" / "fixtures" / "nmn-autophagy.source.txt"


def starter() -> dict:
    """The fixture content as a dict, for tests that change one thing."""
    return tomllib.loads(FIXTURE.read_text(encoding="utf-8"))


def fresh_cards():
    """The card sheets' module with every cache of an earlier render emptied: the next render
    measures and lays out every face anew."""
    from generator.render.pdf import cards

    cards._checked.clear()
    cards._fitted.cache_clear()
    cards._laid_out.cache_clear()
    cards._sizes.clear()
    cards._source_line.cache_clear()
    cards._faces.clear()
    return cards


def write_content(folder: Path, data: dict, name: str = "nmn-autophagy.toml") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    source = folder / data["article"]["source"]
    if not source.exists():
        shutil.copyfile(SOURCE, source)
    path = folder / name
    path.write_text(tomli_w.dumps(data), encoding="utf-8")
    return path


def copies(folder: Path, count: int, slug: str = "a{n}", deck: str = "Copy {n}") -> list[Path]:
    """``count`` content files in ``folder``, the fixture content each with its own slug and deck."""
    paths = []
    for n in range(count):
        data = starter()
        data["article"]["slug"] = slug.format(n=n)
        data["article"]["deck"] = deck.format(n=n)
        paths.append(write_content(folder, data, name=f"{slug.format(n=n)}.toml"))
    return paths


@pytest.fixture
def content_copy(tmp_path: Path) -> Path:
    """A private copy of the fixture content and its source."""
    return write_content(tmp_path / "content", starter())


def import_apkg(collection_path: Path, apkg: Path):
    """Import with the real Anki engine; returns (collection, import log)."""
    from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest

    col = Collection(str(collection_path))
    response = col.import_anki_package(ImportAnkiPackageRequest(
        package_path=str(apkg), options=ImportAnkiPackageOptions()))
    return col, response.log


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Path:
    """The shipped content built once into a temporary directory (all formats)."""
    from generator.build import build
    from generator.render import FORMATS, Options

    out = tmp_path_factory.mktemp("built")
    build([CONTENT], out, list(FORMATS), Options())
    return out


def invoke(*args: str, cwd: Path | None = None):
    """The command line through click's runner, from ``cwd`` when given."""
    from click.testing import CliRunner

    from generator.cli import main

    old = os.getcwd()
    if cwd:
        os.chdir(cwd)
    try:
        return CliRunner().invoke(main, list(args))
    finally:
        os.chdir(old)


def problems_of(path: Path) -> list[str]:
    """The problems ``load`` reports for one content file, as printed."""
    from generator.errors import ContentError
    from generator.load import load

    with pytest.raises(ContentError) as info:
        load(path)
    return [str(p) for p in info.value.problems[path]]

