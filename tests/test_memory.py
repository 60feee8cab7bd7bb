"""What a build keeps in memory: imports it can do without, caches it lets go of."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.conftest import CONTENT, ROOT

_OUTPUTS = """
import sys
{before}
from pathlib import Path
from generator.load import load
from generator.render import Options
from generator.render import anki
from generator.render.pdf import cards, explainer
doc = load(Path({content!r}))
data = b"".join(m.render(doc, Options()) for m in (anki, explainer, cards))
sys.stdout.buffer.write(repr(sorted(m for m in ("asyncio", "yaml", "PIL.Image") if m in sys.modules)).encode()
                        + b"\\n" + data)
"""


def _deck(before: str) -> tuple[str, bytes]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "SOURCE_DATE_EPOCH": "1700000000"}
    out = subprocess.run([sys.executable, "-c", _OUTPUTS.format(before=before, content=str(CONTENT))],
                         env=env, cwd=ROOT, capture_output=True, check=True).stdout
    loaded, _, data = out.partition(b"\n")
    return loaded.decode(), data


def test_deck_and_pdfs_are_made_without_asyncio_yaml_and_pillow_and_are_the_same_as_with_them():
    loaded, lean = _deck("")
    assert loaded == "[]"
    # genanki and ReportLab imported as they import themselves
    loaded, usual = _deck("import cached_property, yaml, PIL.Image")
    assert loaded == "['PIL.Image', 'asyncio', 'yaml']"
    assert lean == usual


def test_reportlab_draws_a_bitmap_through_the_stand_in(tmp_path):
    from generator.render.pdf import explainer  # noqa: F401  (imports ReportLab with the stand-in)
    from reportlab.lib.utils import ImageReader

    image = tmp_path / "dot.png"
    image.write_bytes(bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108000000003a7e9b55"
                                    "0000000a49444154789c63f80f00000101000518d84e0000000049454e44ae426082"))
    assert ImageReader(str(image)).getSize() == (1, 1)


def test_genanki_reads_yaml_note_types_through_the_stand_in():
    from generator.render import anki  # noqa: F401  (imports genanki with the stand-ins)
    import genanki

    model = genanki.Model(1, "yaml", fields="- name: Front\n- name: Back\n",
                          templates="- name: Card 1\n  qfmt: '{{Front}}'\n  afmt: '{{Back}}'\n")
    assert [f["name"] for f in model.fields] == ["Front", "Back"]
    assert model.templates[0]["qfmt"] == "{{Front}}"
