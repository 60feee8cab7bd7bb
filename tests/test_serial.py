"""A finished PDF is written with the bytes ReportLab's own serialisation gives
(``render/pdf/serial``): each helper against the one it stands in for, and whole
documents saved both ways."""

from __future__ import annotations

import io
from collections import OrderedDict

import pytest
from hypothesis import given, settings, strategies as st
from reportlab.pdfbase import pdfdoc
from reportlab.pdfgen.canvas import Canvas

from generator.render.pdf import fonts, serial
from generator.render.pdf.fonts import BOLD, REGULAR

fonts.register()

_text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=80)
_numbers = st.one_of(st.integers(-10**12, 10**12), st.floats(allow_nan=False, allow_infinity=False, width=32),
                     st.sampled_from([0.0, -0.0, 1e-9, -1e-9, 0.5, 1e20, True, False]))
_leaves = st.one_of(_text, _numbers, st.binary(max_size=20), st.just(None),
                    _text.map(pdfdoc.PDFString), _text.map(pdfdoc.PDFName))


def _values(depth: int = 2):
    if not depth:
        return _leaves
    inner = _values(depth - 1)
    return st.one_of(_leaves, st.lists(inner, max_size=12).map(pdfdoc.PDFArray),
                     st.dictionaries(_text.filter(bool), inner, max_size=14).map(pdfdoc.PDFDictionary),
                     st.dictionaries(_text.filter(bool), inner, max_size=8).map(
                         lambda d: pdfdoc.PDFDictionary(OrderedDict(d))))


def _serialise(m: pytest.MonkeyPatch, installed: bool) -> None:
    """studygen's serialisation, or (undone with ``m``) ReportLab's own."""
    if installed:
        serial.install()
    else:
        m.setattr(pdfdoc, "PDFName", serial._name)
        m.setattr(pdfdoc, "pdfdocEnc", serial._encode)


def _written(value, installed: bool) -> bytes:
    with pytest.MonkeyPatch.context() as m:
        _serialise(m, installed)
        document = pdfdoc.PDFDocument(invariant=1)
        try:
            return pdfdoc.format(value, document)
        except Exception as error:  # the same failure both ways
            return repr(type(error)).encode()


@settings(max_examples=150, deadline=None)
@given(_values())
def test_values_are_written_as_reportlab_writes_them(value):
    assert _written(value, True) == _written(value, False)


@pytest.mark.parametrize("value", [
    "", "Title", "Titel mit Ümlaut", "x" * 200, 0, -0.0, 1.5, 1e-7, 123456789012, True, None, b"\x00(raw)",
    pdfdoc.PDFDictionary({"Type": "/Page", "MediaBox": pdfdoc.PDFArray([0, 0, 595.28, 841.89]),
                          "A b#c": 1, "Kids": pdfdoc.PDFArray(list(range(25))), "Rect": [1, 2], "Z": "ü"}),
    pdfdoc.PDFDictionary(OrderedDict([("Z", 1), ("A", pdfdoc.PDFString("(x)")), ("M", 2)] * 1)),
])
def test_chosen_values_are_written_as_reportlab_writes_them(value):
    assert _written(value, True) == _written(value, False)


def _document(installed: bool) -> bytes:
    with pytest.MonkeyPatch.context() as m:
        _serialise(m, installed)
        buffer = io.BytesIO()
        canvas = Canvas(buffer, invariant=1, initialFontName=REGULAR, pageCompression=0)
        canvas.setTitle("Auto­phagy: ≥ 2 “quoted” (x)")
        canvas.setAuthor("O'Brien")
        for page in range(3):
            canvas.setFont(BOLD if page % 2 else REGULAR, 11)
            canvas.drawString(72, 700, f"NAD⁺ page {page} αβ")
            canvas.bookmarkPage(f"p{page}")
            canvas.addOutlineEntry(f"Section {page} ≥", f"p{page}", 0)
            canvas.linkURL("https://doi.org/10.1/a&b", (72, 690, 200, 710), relative=1)
            canvas.linkRect("", "p0", (72, 650, 200, 670), relative=1)
            canvas.showPage()
        canvas.save()
        return buffer.getvalue()


def test_a_document_is_saved_as_reportlab_saves_it():
    assert _document(True) == _document(False)


def _encoded(text: str, encode) -> bytes:
    try:
        return encode(text)
    except Exception as error:  # the same failure both ways
        return repr(type(error)).encode()


@pytest.mark.parametrize("text", [chr(c) for c in range(128)] + [
    "12 0 obj\n", "12 0 R", "".join(map(chr, range(128))), "x" * 200 + "\x7f", "x" * 200 + "\x1f", "ä" * 70, "ä\x18"])
def test_ascii_and_other_text_is_encoded_as_reportlab_encodes_it(text):
    assert _encoded(text, serial._pdfdoc_encode) == _encoded(text, serial._encode)
