"""Faster writing of a finished PDF: its names and short strings encoded once each.

When ReportLab writes a document, it encodes every dictionary key as a PDF
name (a loop in Python over its characters) and every number and short string
through its own text codec, again for every object: about a third of saving
an explainer, for a few hundred distinct values.  Both are functions of their
argument alone, so each distinct value is encoded once per process here.

Every value of every object also passes through ``pdfdoc.format``, which asks
whether it is a PDF object, a number, bytes or text, in that order; most values
are text and numbers, so those are answered first (exactly as ``format`` answers
them), and anything else goes to ReportLab's ``format``.  A dictionary's keys,
the same few dozen names in every object, are written once each.
"""

from __future__ import annotations

from collections import OrderedDict
from functools import lru_cache

from reportlab import rl_config
from reportlab.lib.rl_accel import fp_str
from reportlab.pdfbase import pdfdoc

_name = getattr(pdfdoc.PDFName, "original", pdfdoc.PDFName)
_encode = getattr(pdfdoc.pdfdocEnc, "original", pdfdoc.pdfdocEnc)
_LONGEST = 64  # longer strings are seldom written twice


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
    if x.__class__ is not str or len(x) > _LONGEST:
        return _encode(x)
    return _known_encoding(x)


_format = getattr(pdfdoc.format, "original", pdfdoc.format)


def _fast_format(element, document, toplevel=0):
    """``pdfdoc.format`` (``document`` and ``toplevel`` matter only to PDF objects)."""
    kind = element.__class__
    if kind is str:
        return pdfdoc.pdfdocEnc(element)
    if kind is float or kind is int:
        return pdfdoc.pdfdocEnc(fp_str(element))
    if kind is bytes:
        return element
    return _format(element, document, toplevel)


_dictionary_format = getattr(pdfdoc.PDFDictionary.format, "original", pdfdoc.PDFDictionary.format)
_keys: dict[str, bytes] = {}


def _key(name: str, document) -> bytes:
    """A dictionary key as ``PDFDictionary.format`` writes it, with the space after it."""
    found = _keys.get(name)
    if found is None:
        found = pdfdoc.format(pdfdoc.PDFName(name), document) + b" "
        if name.__class__ is str and len(name) <= _LONGEST:
            _keys[name] = found
    return found


def _format_dictionary(self, document, IND=b"\n "):
    """``PDFDictionary.format`` with each key written once per process."""
    dict = self.dict
    keys = list(dict.keys())
    if not isinstance(dict, OrderedDict):
        keys.sort()
    format = pdfdoc.format
    L = [_key(k, document) + format(dict[k], document) for k in keys]
    if (self.multiline and rl_config.pdfMultiLine) or self.multiline == "forced":
        L = IND.join(L)
    else:
        t = L.insert  # ReportLab breaks the line every 6 entries anyway
        for i in reversed(range(6, len(L), 6)):
            t(i, b"\n ")
        L = b" ".join(L)
    return b"<<\n" + L + b"\n>>"


_pdf_name.original = _name
_pdfdoc_encode.original = _encode
_fast_format.original = _format
_format_dictionary.original = _dictionary_format


def install() -> None:
    """Encode each name and short string once in every document of this process (idempotent)."""
    pdfdoc.PDFName = _pdf_name
    pdfdoc.pdfdocEnc = _pdfdoc_encode
    pdfdoc.format = _fast_format
    pdfdoc.PDFDictionary.format = _format_dictionary
