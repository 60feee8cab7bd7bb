"""Link annotations written from their parts (``render/pdf/annots``) are the bytes ReportLab's
own writer gives: whole documents saved both ways, over links of every kind a canvas makes."""

from __future__ import annotations

import io

import pytest
from hypothesis import given, settings, strategies as st
from reportlab.lib import colors
from reportlab.lib.pdfencrypt import StandardEncryption
from reportlab.pdfbase import pdfdoc
from reportlab.pdfgen.canvas import Canvas

from generator.render.pdf import annots, fonts, serial
from generator.render.pdf.fonts import REGULAR

fonts.register()
serial.install()  # as the explainer saves: the two are used together

_number = st.one_of(st.integers(-10**6, 10**6), st.floats(-1e7, 1e7, allow_nan=False, width=32),
                    st.sampled_from([0, 0.0, -0.0, 1e-9, 0.5, 1e20, True]))
_fits = st.sampled_from(["XYZ", "Fit", "FitH", "FitV", "FitR", "FitB"])
_link = st.tuples(
    st.tuples(_number, _number, _number, _number),  # the rectangle
    st.integers(0, 5),  # the bookmark it points at
    st.sampled_from(["rect", "absolute", "thick", "coloured", "dashed", "contents", "border", "url", "list"]),
)


def _saved(installed: bool, links, fits=("XYZ",) * 6, encrypt=None, transform=False) -> bytes:
    with pytest.MonkeyPatch.context() as m:
        m.setattr(pdfdoc.LinkAnnotation, "format", annots._link_format if installed else annots._format)
        buffer = io.BytesIO()
        canvas = Canvas(buffer, invariant=1, initialFontName=REGULAR, encrypt=encrypt)
        if transform:
            canvas.translate(30, -12.5)
            canvas.scale(1.5, 0.75)
        pages = 4
        for page in range(pages):
            canvas.drawString(72, 700, f"page {page}")
            for n, fit in enumerate(fits):
                if n % pages == page:  # bookmarks on every page, some after the links to them
                    canvas.bookmarkPage(f"b{n}", fit=fit, left=10 * n, top=700 - n, bottom=20, right=500, zoom=0)
            for i, (rect, target, kind) in enumerate(links):
                if i % pages != page:
                    continue
                name = f"b{target}"
                if kind == "rect":
                    canvas.linkRect("", name, rect, relative=1)
                elif kind == "absolute":
                    canvas.linkAbsolute("", name, rect)
                elif kind == "thick":
                    canvas.linkRect("", name, rect, thickness=1.5)
                elif kind == "coloured":
                    canvas.linkRect("", name, rect, color=colors.red)
                elif kind == "dashed":
                    canvas.linkRect("", name, rect, dashArray=[2, 1])
                elif kind == "contents":
                    canvas.linkRect("a (note)", name, rect)
                elif kind == "border":
                    canvas.linkRect("", name, rect, Border="[0 0 1]")
                elif kind == "url":
                    canvas.linkURL("https://doi.org/10.1/x", rect, relative=1)
                else:
                    canvas.linkRect("", name, list(rect))
            canvas.showPage()
        try:
            canvas.save()
        except ValueError as error:  # a number too large for a PDF: the same failure both ways
            return repr(error).encode()
        return buffer.getvalue()


def _difference(a: bytes, b: bytes) -> str | None:
    """Where two files first differ (pytest's own report of two long byte strings takes minutes)."""
    if a == b:
        return None
    at = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
    return f"at byte {at}: {a[at - 60:at + 60]!r} against {b[at - 60:at + 60]!r}"


@settings(max_examples=60, deadline=None)
@given(st.lists(_link, max_size=24), st.tuples(*[_fits] * 6), st.booleans())
def test_links_are_written_as_reportlab_writes_them(links, fits, transform):
    assert _difference(_saved(True, links, fits, transform=transform), _saved(False, links, fits, transform=transform)) is None


class _Prefixed(StandardEncryption):
    """Encryption that makes even an empty string longer, as AES does with its initial vector
    (RC4 leaves it empty)."""

    def encode(self, t):
        return b"\x01" * 16 + super().encode(t)


@pytest.mark.parametrize("encrypt", [lambda: "secret", lambda: _Prefixed("secret")], ids=["rc4", "prefixed"])
def test_links_of_an_encrypted_document_are_written_as_reportlab_writes_them(encrypt):
    links = [((10.5, 20, 30.25, 40), n % 6, "rect") for n in range(12)]
    assert _difference(_saved(True, links, encrypt=encrypt()), _saved(False, links, encrypt=encrypt())) is None


def test_plain_links_are_written_from_their_parts(monkeypatch):
    # The parts are used, not only ReportLab's writer: a document of plain links needs it for none.
    written = []
    original = annots._format
    monkeypatch.setattr(annots, "_format", lambda self, doc: (written.append(self), original(self, doc))[1])
    links = [((10.5, 20, 30.25, 40 + n), n % 6, "rect") for n in range(12)]
    data = _saved(True, links)
    assert written == []
    assert data.count(b"/Subtype /Link") == 12
