"""What a build keeps in memory: imports it can do without, caches it lets go of."""

from __future__ import annotations

import os
import subprocess
import sys
from array import array
from pathlib import Path

from tests.conftest import CONTENT, ROOT

_BUILD = """
import sys
{before}
from pathlib import Path
from generator.build import build
from generator.render import FORMATS, Options
outputs = build([Path({content!r})], Path({out!r}), list(FORMATS), Options(), force=True)
print(sorted(m for m in ("_hashlib", "asyncio", "yaml", "PIL.Image") if m in sys.modules))
"""


def _build(before: str, out: Path) -> tuple[str, dict[str, bytes]]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "SOURCE_DATE_EPOCH": "1700000000"}
    script = _BUILD.format(before=before, content=str(CONTENT), out=str(out))
    loaded = subprocess.run([sys.executable, "-c", script], env=env, cwd=ROOT, capture_output=True, text=True,
                            check=True).stdout.strip()
    return loaded, {path.name: path.read_bytes() for path in sorted(out.iterdir())}


def test_a_build_loads_no_openssl_asyncio_yaml_or_pillow_and_writes_what_it_writes_with_them(tmp_path):
    loaded, lean = _build("", tmp_path / "lean")
    assert loaded == "[]"
    # hashlib, genanki and ReportLab imported as they import themselves
    loaded, usual = _build("import hashlib, cached_property, yaml, PIL.Image", tmp_path / "usual")
    assert loaded == "['PIL.Image', '_hashlib', 'asyncio', 'yaml']"
    assert len(lean) == 4 and lean == usual


def test_genanki_reads_yaml_note_types_through_the_stand_in():
    from generator.render import anki  # noqa: F401  (imports genanki with the stand-ins)
    import genanki

    model = genanki.Model(1, "yaml", fields="- name: Front\n- name: Back\n",
                          templates="- name: Card 1\n  qfmt: '{{Front}}'\n  afmt: '{{Back}}'\n")
    assert [f["name"] for f in model.fields] == ["Front", "Back"]
    assert model.templates[0]["qfmt"] == "{{Front}}"


def test_reportlab_reads_a_bitmap_through_the_stand_in(tmp_path):
    from generator.render.pdf import explainer  # noqa: F401  (imports ReportLab with the stand-in)
    from reportlab.lib.utils import ImageReader

    image = tmp_path / "dot.png"
    image.write_bytes(bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108000000003a7e9b55"
                                    "0000000a49444154789c63f80f00000101000518d84e0000000049454e44ae426082"))
    assert ImageReader(str(image)).getSize() == (1, 1)


def test_compact_glyph_tables_give_reportlabs_subsets_widths_and_glyph_lists():
    from reportlab.pdfbase.ttfonts import TTFont

    from generator.render.pdf import fontdata, fonts

    for name in fonts.FACES:
        path = str(fonts.FONT_DIR / f"{name}.ttf")
        plain, compact = TTFont(name, path), fontdata.load(name, path)
        assert type(compact.face) is fontdata.Face and type(compact.face.hmetrics) is fontdata.Metrics
        assert type(compact.face.glyphPos) is array and "glyphToChar" not in vars(compact.face)
        assert [compact.face.hmetrics[g] for g in range(len(plain.face.hmetrics))] == plain.face.hmetrics
        assert list(compact.face.glyphPos) == plain.face.glyphPos
        assert compact.face.glyphToChar == plain.face.glyphToChar
        text = "Autophagy – NAD⁺ “ﬁ” ½ Ωµ 0123 ÆØÅ"
        chars = sorted({ord(c) for c in text})
        assert compact.face.makeSubset(chars) == plain.face.makeSubset(chars)
        assert compact.stringWidth(text, 11) == plain.stringWidth(text, 11)


def test_a_build_lets_go_of_the_hyphenation_dictionary_and_a_watch_rebuild_keeps_it(tmp_path):
    from generator import watch
    from generator.build import build
    from generator.render import Options
    from generator.render.pdf import para

    def dictionary_kept() -> bool:
        return para._dictionary.cache_info().currsize > 0

    build([CONTENT], tmp_path / "once", ["pdf", "cards"], Options(), force=True)
    assert not dictionary_kept()
    assert para.hyphenate("autophagy")  # read again when asked
    for workers in (1, 2):
        assert watch.rebuild([CONTENT], tmp_path / f"watch{workers}", ["pdf"], Options(), workers,
                             say=lambda line: None, warn=lambda line: None)
        assert dictionary_kept()


def test_a_one_process_build_returns_outputs_in_job_order_and_renders_each_document_in_one_stretch(tmp_path):
    from generator.build import plan, render
    from generator.load import load
    from generator.render import FORMATS, Options

    second = tmp_path / "second.toml"
    second.write_text(CONTENT.read_text(encoding="utf-8").replace('slug = "nmn-autophagy"', 'slug = "second"', 1)
                      .replace('source = "', f'source = "{CONTENT.parent}/', 1), encoding="utf-8")
    jobs = plan([load(CONTENT), load(second)], list(FORMATS), tmp_path)
    made = []
    outputs = render(jobs, Options(), keep=lambda output: made.append(output.path) or output)
    assert [o.path for o in outputs] == [path for _, _, path in jobs]
    assert sorted(made) == sorted(path for _, _, path in jobs)
    slugs = [path.name.split(".")[0].removesuffix("-cards") for path in made]
    assert slugs == sorted(slugs, key=slugs.index) and len(set(slugs)) == 2
    assert slugs[:4] == [slugs[0]] * 4


def test_hashlib_keeps_openssl_where_python_has_no_digests_of_its_own():
    # Some Python builds leave out the interpreter's own digests; there the build must still hash.
    code = ("import sys\n"
            "sys.modules['_sha256'] = None\n"
            "import generator.buildkey, hashlib\n"
            "print(hashlib.sha256(b'studygen').hexdigest(), hashlib.md5(b'x').hexdigest())\n")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 0, done.stderr
    import hashlib
    assert done.stdout.split() == [hashlib.sha256(b"studygen").hexdigest(), hashlib.md5(b"x").hexdigest()]


def test_a_build_hashes_without_openssl_wherever_python_has_digests_of_its_own():
    # The interpreter is asked itself (its own SHA-256 is _sha256 up to Python 3.11, _sha2 from 3.12).
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    own = subprocess.run([sys.executable, "-c", "import sys\nsys.modules['_hashlib'] = None\nimport hashlib\n"
                          "hashlib.md5(b''), hashlib.sha1(b''), hashlib.sha256(b'')"],
                         cwd=ROOT, env=env, capture_output=True, text=True).returncode == 0
    loaded = subprocess.run([sys.executable, "-c", "import sys, generator.buildkey\nprint('_hashlib' in sys.modules)"],
                            cwd=ROOT, env=env, capture_output=True, text=True, check=True).stdout.strip()
    assert loaded == str(not own)


def test_a_stand_in_asked_while_its_library_is_imported_gives_the_real_module():
    # A library that uses the module at import time after all (a newer version) gets it.
    code = ("from generator import standins\n"
            "with standins.standing_in(colorsys=standins.lazy('colorsys')):\n"
            "    import colorsys\n"
            "    print(colorsys.rgb_to_hsv(0.2, 0.4, 0.4))\n"
            "import sys\n"
            "print(sys.modules['colorsys'] is not colorsys, sys.modules['colorsys'].rgb_to_hsv(0.2, 0.4, 0.4))\n")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 0, done.stderr[-500:]
    import colorsys
    expected = str(colorsys.rgb_to_hsv(0.2, 0.4, 0.4))
    assert done.stdout.splitlines() == [expected, f"True {expected}"]
