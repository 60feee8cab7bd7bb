"""What a build keeps in memory: imports it can do without, caches it lets go of."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.conftest import CONTENT, ROOT

_DECK = """
import sys
{before}
from pathlib import Path
from generator.load import load
from generator.render import Options
from generator.render import anki
data = anki.render(load(Path({content!r})), Options())
sys.stdout.buffer.write(repr(sorted(m for m in ("asyncio", "yaml") if m in sys.modules)).encode() + b"\\n" + data)
"""


def _deck(before: str) -> tuple[str, bytes]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "SOURCE_DATE_EPOCH": "1700000000"}
    out = subprocess.run([sys.executable, "-c", _DECK.format(before=before, content=str(CONTENT))],
                         env=env, cwd=ROOT, capture_output=True, check=True).stdout
    loaded, _, data = out.partition(b"\n")
    return loaded.decode(), data


def test_the_deck_is_made_without_asyncio_and_yaml_and_is_the_same_as_with_them():
    loaded, lean = _deck("")
    assert loaded == "[]"
    loaded, usual = _deck("import cached_property, yaml")  # genanki imported as it imports itself
    assert loaded == "['asyncio', 'yaml']"
    assert lean == usual


def test_genanki_reads_yaml_note_types_through_the_stand_in():
    from generator.render import anki  # noqa: F401  (imports genanki with the stand-ins)
    import genanki

    model = genanki.Model(1, "yaml", fields="- name: Front\n- name: Back\n",
                          templates="- name: Card 1\n  qfmt: '{{Front}}'\n  afmt: '{{Back}}'\n")
    assert [f["name"] for f in model.fields] == ["Front", "Back"]
    assert model.templates[0]["qfmt"] == "{{Front}}"
