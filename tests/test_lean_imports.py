"""Modules ReportLab imports for features studygen never uses are imported only when used,
and then work as when imported at once."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.conftest import ROOT

_CODE = """
import sys
{before}
import generator.render.pdf.explainer
print("reportlab.lib.PyFontify" in sys.modules)
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.platypus import PythonPreformatted
from reportlab.platypus import xpreformatted
code = "def f(x):\\n    # a comment\\n    return 'text' + str(x)\\n"
print(repr(xpreformatted.PyFontify.fontify(code)))
para = PythonPreformatted(code, getSampleStyleSheet()["Code"])
print(para.wrap(400, 800), [line for line in para.blPara.lines])
"""


def _run(before: str) -> list[str]:
    done = subprocess.run([sys.executable, "-c", _CODE.format(before=before)], cwd=ROOT, capture_output=True,
                          text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 0, done.stderr[-800:]
    return done.stdout.splitlines()


def test_python_source_colouring_is_imported_when_used_and_colours_as_imported_at_once():
    lean = _run("")
    usual = _run("import reportlab.lib.PyFontify")
    assert lean[0] == "False" and usual[0] == "True"
    assert lean[1:] == usual[1:] and "comment" in lean[1]


_LOAD = """
import sys
from pathlib import Path
from generator.load import load
doc = load(Path({path!r}))
print("tomllib" in sys.modules, len(doc.content.cards), doc.content.article.title)
"""


def _load(path) -> list[str]:
    done = subprocess.run([sys.executable, "-c", _LOAD.format(path=str(path))], cwd=ROOT, capture_output=True,
                          text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 0, done.stderr[-800:]
    return done.stdout.split(" ", 1)


def test_the_toml_library_is_imported_only_for_a_file_the_quick_reader_leaves_to_it(tmp_path):
    from tests.conftest import CONTENT

    plain = _load(CONTENT)
    crlf = tmp_path / CONTENT.name
    crlf.write_bytes(CONTENT.read_bytes().replace(b"\n", b"\r\n"))  # the quick reader leaves CRLF files to tomllib
    source = CONTENT.parent / "nmn-autophagy.source.txt"
    (tmp_path / source.name).write_bytes(source.read_bytes())
    slow = _load(crlf)
    assert (plain[0], slow[0]) == ("False", "True")
    assert plain[1] == slow[1]
