"""Pages whose content streams are compressed as they are finished (``render/pdf/pagestreams``)
give the bytes ReportLab's own ``showPage`` and save give: whole documents saved both ways."""

from __future__ import annotations

import io
import zlib

import pytest
from reportlab import rl_config
from reportlab.pdfbase import pdfdoc
from reportlab.pdfgen.canvas import Canvas

import generator.render
from generator.load import load
from generator.render import Options
from generator.render.pdf import cards, fonts, halves, pagedicts, pagestreams
from generator.render.pdf.fonts import BOLD, BOLD_ITALIC, REGULAR
from tests.conftest import fresh_cards
from tests.test_card_halves import _generated

fonts.register()


def _library_show(canvas: Canvas):
    """ReportLab's own: the page's text, compressed when the document is saved."""
    canvas.showPage()
    return canvas._doc.Pages.pages[-1].stream


def _draw(canvas: Canvas, number: int, last: int) -> None:
    canvas.setFont(BOLD if number % 2 else REGULAR, 11)
    canvas.drawString(72, 700, f"NAD⁺ page {number} αβ ≥ “quoted” " + "cell " * 40)
    canvas.rect(50, 50, 100 + number, 80, stroke=1, fill=0)
    if number == 1:  # a page with links: stored with the page, not in its content stream
        canvas.bookmarkPage("p1")
        canvas.addOutlineEntry("Section ≥", "p1", 0)
        canvas.linkURL("https://doi.org/10.1/a&b", (72, 690, 200, 710), relative=1)
    if number == 2:
        canvas.setFont("Helvetica", 9)  # a standard font, not embedded
        canvas.drawString(72, 600, "plain")
    if number == last:  # a font first drawn on the last page: its subset is made when saved
        canvas.setFont(BOLD_ITALIC, 14)
        canvas.drawString(72, 500, "½ → µg")


def _document(show, compression: int = 1, pages: int = 5, encrypt: str | None = None) -> bytes:
    buffer = io.BytesIO()
    canvas = Canvas(buffer, invariant=1, initialFontName=REGULAR, pageCompression=compression)
    canvas.setTitle("Page streams")
    for number in range(pages):
        _draw(canvas, number, pages - 1)
        show(canvas)
    if encrypt:  # encrypted once the pages are finished: each object under its own number
        canvas.setEncrypt(encrypt)
    canvas.save()
    return buffer.getvalue()


@pytest.mark.parametrize("compression", [1, 0])
def test_a_document_is_saved_as_reportlab_saves_it(compression):
    assert _document(pagestreams.show, compression) == _document(_library_show, compression)


def test_streams_are_written_compressed_and_whole():
    # The pages do say something: every content stream inflates to the text drawn.
    data = _document(pagestreams.show)
    streams = [zlib.decompress(data[data.index(b"stream\n", at) + 7:]) for at in _starts(data, b"/Length")]
    assert sum(b"page 3" in s for s in streams) == 1


def _starts(data: bytes, needle: bytes) -> list[int]:
    found, at = [], data.find(needle)
    while at >= 0:
        found.append(at)
        at = data.find(needle, at + 1)
    return found


def test_an_ascii85_document_is_saved_as_reportlab_saves_it(monkeypatch):
    monkeypatch.setattr(rl_config, "useA85", 1)
    assert _document(pagestreams.show) == _document(_library_show)


def test_a_document_encrypted_after_its_pages_are_finished_is_saved_as_reportlab_saves_it():
    assert _document(pagestreams.show, encrypt="secret") == _document(_library_show, encrypt="secret")


@pytest.mark.parametrize("compression", [1, 0])
def test_a_page_put_from_another_document_is_the_page_drawn_there(compression):
    # What the card sheets' helper does: draws pages, hands over their streams, and the
    # document that draws the other pages takes them as its own.
    drawn = []

    def collect(canvas):
        drawn.append(pagestreams.show(canvas))

    elsewhere = _document(collect, compression)
    streams = iter(drawn)
    put = _document(lambda canvas: pagestreams.put(canvas, next(streams)), compression)
    assert put == elsewhere == _document(_library_show, compression)


def test_a_formatted_stream_is_the_stream_reportlab_formats_from_the_page():
    def page(show):
        canvas = Canvas(io.BytesIO(), invariant=1, initialFontName=REGULAR, pageCompression=1)
        _draw(canvas, 0, 1)
        return show(canvas), canvas._doc

    text, doc = page(_library_show)
    formatted, _ = page(pagestreams.show)
    assert isinstance(formatted, pagestreams.Formatted)
    assert formatted.data == pdfdoc.PDFStream(content=text, filters=[pdfdoc.PDFZCompress]).format(doc)


def _cards(path, library: bool, in_worker: bool) -> bytes:
    with pytest.MonkeyPatch.context() as m:
        fresh_cards()
        m.setattr(generator.render, "_in_worker", in_worker)
        m.setattr(halves, "MIN_PAGES", 2)
        m.setattr(halves, "MIN_REST", 10 ** 9)  # one helper, whichever process is done first
        if library:  # ReportLab's own showPage and page dictionaries
            m.setattr(halves.pagestreams, "show", _library_show)
            m.setattr(pagedicts, "install", lambda: None)
            m.setattr(pdfdoc.PDFPage, "format", pagedicts._format)
        return cards.render(load(path), Options())


def test_card_sheets_drawn_in_two_processes_are_the_bytes_reportlab_saves(tmp_path, monkeypatch):
    path = _generated(tmp_path, 150)
    taken = []
    adopt = halves._adopt
    monkeypatch.setattr(halves, "_adopt", lambda canvas, found: (taken.append(1), adopt(canvas, found)))
    own = _cards(path, True, False)
    split = _cards(path, False, True)
    assert split == own
    assert taken == [1]  # the helper's pages, formatted there, were used
