"""Page dictionaries written from one pattern per kind of page (``render/pdf/pagedicts``) are
the bytes ReportLab's own writer gives: whole documents saved both ways."""

from __future__ import annotations

import io

import pytest
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.pdfbase import pdfdoc
from reportlab.pdfgen.canvas import Canvas

from generator.render.pdf import fonts, pagedicts, pagestreams
from generator.render.pdf.fonts import BOLD, REGULAR

fonts.register()


def _library_show(canvas: Canvas) -> None:
    canvas.showPage()


def _document(installed: bool, show=pagestreams.show, compression: int = 1) -> bytes:
    with pytest.MonkeyPatch.context() as m:
        m.setattr(pdfdoc.PDFPage, "format", pagedicts._page_format if installed else pagedicts._format)
        buffer = io.BytesIO()
        canvas = Canvas(buffer, pagesize=A4, invariant=1, initialFontName=REGULAR, pageCompression=compression)
        for number in range(14):
            canvas.setFont(BOLD if number % 3 else REGULAR, 11)
            canvas.drawString(72, 700, f"NAD⁺ page {number} ≥ αβ")
            if number == 3:  # a link: stored with the page, written ReportLab's way
                canvas.bookmarkPage("p3")
                canvas.addOutlineEntry("Three", "p3", 0)
                canvas.linkURL("https://doi.org/10.1/x", (72, 690, 200, 710), relative=1)
            if number == 5:  # another kind of page from here on: other paper
                canvas.setPageSize(LETTER)
            if number == 7:
                canvas.setPageRotation(90)
            if number == 8:
                canvas.setPageRotation(0)
                canvas.setPageDuration(3)
            if number == 9:
                canvas.setPageDuration(None)
                canvas.setPageTransition("Dissolve", 1)
            if number == 10:
                canvas.setPageTransition()
                canvas.setCropBox((10, 10, 500, 700))
            if number == 12:  # ReportLab's own showPage on a page between ours
                canvas.showPage()
                continue
            show(canvas)
        canvas.save()
        return buffer.getvalue()


@pytest.mark.parametrize("compression", [1, 0])
def test_a_document_is_saved_as_reportlab_saves_it(compression):
    assert _document(True, compression=compression) == _document(False, compression=compression)
    assert _document(False, _library_show, compression) == _document(False, compression=compression)


def test_pages_of_one_kind_are_written_from_their_pattern(monkeypatch):
    # The pattern is used, not only ReportLab's writer: a document of like pages takes it
    # from the first page.
    written = []
    original = pagedicts._format
    monkeypatch.setattr(pagedicts, "_format", lambda page, doc: (written.append(page), original(page, doc))[1])
    monkeypatch.setattr(pdfdoc.PDFPage, "format", pagedicts._page_format)
    canvas = Canvas(io.BytesIO(), invariant=1, initialFontName=REGULAR, pageCompression=1)
    for number in range(20):
        canvas.drawString(72, 700, f"page {number}")
        pagestreams.show(canvas)
    canvas.save()
    assert written == canvas._doc.Pages.pages[:1]


@pytest.mark.parametrize("width", [595.2756, 0.0, -0.0, 0])
def test_pages_that_differ_in_any_written_value_are_not_of_one_kind(width):
    def document(installed):
        with pytest.MonkeyPatch.context() as m:
            m.setattr(pdfdoc.PDFPage, "format", pagedicts._page_format if installed else pagedicts._format)
            buffer = io.BytesIO()
            canvas = Canvas(buffer, pagesize=(0.0, 100), invariant=1, initialFontName=REGULAR, pageCompression=1)
            for size in [(0.0, 100), (width, 100), (0.0, 100), (width, 100.0), (width, 100)]:
                canvas.setPageSize(size)
                canvas.drawString(10, 10, "x")
                pagestreams.show(canvas)
            canvas.save()
            return buffer.getvalue()

    assert document(True) == document(False)
