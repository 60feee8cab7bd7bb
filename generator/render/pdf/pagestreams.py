"""Page content streams compressed as each page is finished, not when the file is saved.

ReportLab keeps a finished page's drawing code as text and compresses it only
when the document is saved, every page at once after the last one is drawn.
The card sheets of thousands of cards are drawn by two processes at once
(``halves``) but saved by one: the compression would run on one core while the
other waits, and the helper would hand over its pages as text, about five
times their compressed size.  ``show`` finishes a page as ``Canvas.showPage``
does and at once makes the bytes saving would write for its content stream
(``PDFStream.format`` with the filters ``PDFPage.check_format`` chooses), so
saving writes them as they are.  ``put`` gives a page of another document
(the helper's) the stream ``show`` made there.
"""

from __future__ import annotations

from reportlab import rl_config
from reportlab.pdfbase import pdfdoc
from reportlab.pdfgen.canvas import Canvas

_BEGIN = b"\nstream\n"
_END = b"endstream\n"


class Formatted(pdfdoc.PDFObject):
    """A page's content stream object as ``PDFStream.format`` writes it."""

    __RefOnly__ = 1  # an object of its own, referred to by the page, as the stream is
    __Comment__ = "page stream"

    def __init__(self, data: bytes, filters: tuple[str, ...]):
        self.data = data
        self.filters = filters

    def format(self, document) -> bytes:
        if type(document.encrypt) is pdfdoc.NoEncryption:
            return self.data
        # Encrypted since the page was finished: every object is encrypted under its own
        # number, known only now.  The filters are applied already; the "Filter" entry says so.
        content = self.data[self.data.index(_BEGIN) + len(_BEGIN):-len(_END)]
        stream = pdfdoc.PDFStream(pdfdoc.PDFDictionary({"Filter": pdfdoc.PDFArray(list(self.filters))}), content)
        return stream.format(document)


def _ahead(canvas: Canvas) -> bool:
    """Whether saving would compress the page (the text of an uncompressed one is written
    as it is: nothing to gain) and write it unencrypted, as formatting it now does."""
    return bool(canvas._pageCompression) and type(canvas._doc.encrypt) is pdfdoc.NoEncryption


def show(canvas: Canvas) -> Formatted | str:
    """``canvas.showPage()``; returns the page's content stream for ``put``."""
    canvas.showPage()
    page = canvas._doc.Pages.pages[-1]
    if not _ahead(canvas) or page.Override_default_compilation or page.Contents or not page.stream:
        return page.stream
    # What PDFPage.check_format would store as the page's contents, formatted now.
    filters = rl_config.useA85 and [pdfdoc.PDFBase85Encode, pdfdoc.PDFZCompress] or [pdfdoc.PDFZCompress]
    data = pdfdoc.PDFStream(content=page.stream, filters=filters).format(canvas._doc)
    page.Contents = Formatted(data, tuple(pdfdoc.PDFName(f.pdfname) for f in filters))
    page.stream = None  # the text, five times the size, is no longer needed
    return page.Contents


def put(canvas: Canvas, stream: Formatted | str) -> None:
    """Finish a page of ``canvas`` whose content stream is ``stream`` (from ``show``), a page
    that, but for its content stream, is the canvas' next page as it stands (nothing drawn)."""
    del canvas._code[:]
    canvas.showPage()
    page = canvas._doc.Pages.pages[-1]
    if isinstance(stream, Formatted):
        # A copy: saving names the object in its document, and the stream may be another's.
        page.Contents = Formatted(stream.data, stream.filters)
        page.stream = None
    else:
        page.stream = stream
