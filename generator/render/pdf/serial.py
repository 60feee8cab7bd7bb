"""Faster writing of a finished PDF: its names and short strings encoded once each.

When ReportLab writes a document, it encodes every dictionary key as a PDF
name (a loop in Python over its characters) and every number and short string
through its own text codec, again for every object: about a third of saving
an explainer, for a few hundred distinct values.  Both are functions of their
argument alone, so each distinct value is encoded once per process here.

Text in ASCII is its own bytes in ReportLab's codec, but for the eight control
characters it leaves undefined, so it is encoded as ASCII without the cache:
the object headers and references of a long document ("12 0 obj", "12 0 R")
are each written once, and would only push useful entries out of it.
"""

from __future__ import annotations

import re
from functools import lru_cache

from reportlab.pdfbase import pdfdoc

_name = getattr(pdfdoc.PDFName, "original", pdfdoc.PDFName)
_encode = getattr(pdfdoc.pdfdocEnc, "original", pdfdoc.pdfdocEnc)
_LONGEST = 64  # longer strings are seldom written twice
_UNDEFINED = re.compile("[\x18-\x1f]").search  # ASCII the codec refuses


@lru_cache(maxsize=4096)
def _known_name(data: str) -> str:
    return _name(data)


def _pdf_name(data, *rest):
    if rest or data.__class__ is not str or len(data) > _LONGEST:
        return _name(data, *rest)
    return _known_name(data)


@lru_cache(maxsize=4096)
def _known_encoding(text: str) -> bytes:
    return _encode(text)


def _pdfdoc_encode(x):
    if x.__class__ is not str:
        return _encode(x)
    if x.isascii() and _UNDEFINED(x) is None:
        return x.encode("ascii")
    if len(x) > _LONGEST:
        return _encode(x)
    return _known_encoding(x)


_pdf_name.original = _name
_pdfdoc_encode.original = _encode


def install() -> None:
    """Encode each name and short string once in every document of this process (idempotent)."""
    pdfdoc.PDFName = _pdf_name
    pdfdoc.pdfdocEnc = _pdfdoc_encode
