"""Page dictionaries of a saved PDF written from one pattern per kind of page.

Saving writes each page's dictionary through ReportLab's general object
writer: its media box, resources, parent and contents, each value formatted in
turn, some 60 microseconds a page.  The card sheets' thousands of pages differ
only in their content stream: the rest of a page's dictionary is a function of
the page's other attributes and of the document.  So the first page of a kind
is written ReportLab's way, and the next pages of that kind in the same
document as its bytes with their own content stream's reference put in.

A page is of a kind when each of its attributes but its content stream is a
number, a string, ``None`` or empty (nothing stored with the page: no link,
image, colour space...), and its content stream is one ``pagestreams`` made
(a new object of the document, referred to by the page alone).  Anything else
is written ReportLab's way.  The bytes do not change (``tests/test_page_dicts.py``).
"""

from __future__ import annotations

from reportlab.pdfbase import pdfdoc

from generator.render.pdf.pagestreams import Formatted

_format = getattr(pdfdoc.PDFPage.format, "original", pdfdoc.PDFPage.format)
_SCALARS = frozenset((int, float, str, bool))
# Not written in the page's dictionary (its name in the document) or what differs (contents).
_APART = frozenset(("Contents", "stream", "__InternalName__"))


def _kind(page) -> tuple | None:
    """The page's attributes but its contents, as a key; None when some are not plain."""
    attributes = page.__dict__
    key = [tuple(attributes)]  # the names; most values are None, left out below
    for name, value in attributes.items():
        if value is None or name in _APART:
            continue
        cls = value.__class__
        if cls in _SCALARS:
            key.append((name, cls, value))  # the class too: 1, 1.0 and True are equal, but written apart
        elif (cls is pdfdoc.PDFDictionary and not value.dict) or ((cls is list or cls is dict) and not value):
            key.append((name, cls))
        else:
            return None
    return tuple(key)


def _page_format(page, document) -> bytes:
    if page.__class__ is not pdfdoc.PDFPage or page.Contents.__class__ is not Formatted \
            or "__InternalName__" in page.Contents.__dict__:
        return _format(page, document)
    kind = _kind(page)
    if kind is None:
        return _format(page, document)
    patterns = document.__dict__.setdefault("_studygen_pages", {})
    pattern = patterns.get(kind)
    if pattern is None:
        contents = page.Contents
        data = _format(page, document)
        parts = data.split(b"/Contents %d %d R" % document.idToObjectNumberAndVersion[contents.__InternalName__])
        patterns[kind] = (parts[0], parts[1]) if len(parts) == 2 else False
        return data
    if pattern is False:
        return _format(page, document)
    # What writing it would do to the document: its parent is known already, its contents are new.
    document.Reference(document.Pages)
    name = document.Reference(page.Contents).name
    return pattern[0] + b"/Contents %d %d R" % document.idToObjectNumberAndVersion[name] + pattern[1]


_page_format.original = _format


def install() -> None:
    """Write page dictionaries this way in every document of this process (idempotent)."""
    pdfdoc.PDFPage.format = _page_format
