"""Internal link annotations written from their parts when the PDF is saved.

A link to a place in the document (a citation number pointing at its reference,
a contents line at its heading) is a ReportLab ``LinkAnnotation``.  Saving
formats each one through the general object writer: a dictionary of six
entries is built, its keys sorted and encoded, its rectangle, border and
destination each formatted value by value.  The explainer has some two hundred
such links, most of them to a few dozen references: about half of its save.

Here a link of the common shape (no contents text, no colour or other extra
entries, a border and rectangle of plain numbers, an unencrypted document) is
written as the same bytes directly, and each destination is formatted once per
document, as links share them: a destination's bytes depend only on its page's
object number and its position, both fixed by the time the file is saved.
Anything else is written ReportLab's way (``tests/test_annots.py``).
"""

from __future__ import annotations

from reportlab import rl_config
from reportlab.lib.rl_accel import fp_str
from reportlab.pdfbase import pdfdoc

_format = getattr(pdfdoc.LinkAnnotation.format, "original", pdfdoc.LinkAnnotation.format)
_PLAIN = (int, float)  # written by fp_str; a bool or other number type is written otherwise


def _numbers(values) -> bytes | None:
    """A PDFArray of these values as written with one line (at most ten values), or None."""
    if not 0 < len(values) <= 10:
        return None
    for value in values:
        if value.__class__ not in _PLAIN:
            return None
    return b"[ " + fp_str(*values).encode("ascii") + b" ]"


def _destination(dest, document) -> bytes:
    if dest.__class__ is not pdfdoc.Destination:
        return pdfdoc.format(dest, document)
    known = document.__dict__.setdefault("_studygen_dests", {})
    data = known.get(dest)
    if data is None:
        # The first formatting registers the destination's page, if nothing did yet, as ReportLab's
        # first would; later ones only look its number up.
        data = known[dest] = pdfdoc.format(dest, document)
    return data


def _link_format(self, document) -> bytes:
    if (self.__class__ is not pdfdoc.LinkAnnotation or self.otherkw or self.Contents != ""
            or self.Contents.__class__ is not str or type(document.encrypt) is not pdfdoc.NoEncryption
            or rl_config.pdfMultiLine or self.Border.__class__ is not pdfdoc.PDFArray
            or self.Rect.__class__ not in (tuple, list)):
        return _format(self, document)
    border = _numbers(self.Border.sequence)
    rect = _numbers(self.Rect)
    if border is None or rect is None:
        return _format(self, document)
    # ReportLab's dictionary: keys sorted, six entries on one line.
    return (b"<<\n/Border " + border + b" /Contents () /Dest " + _destination(self.Destination, document)
            + b" /Rect " + rect + b" /Subtype /Link /Type /Annot\n>>")


_link_format.original = _format


def install() -> None:
    """Write link annotations this way in every document of this process (idempotent)."""
    pdfdoc.LinkAnnotation.format = _link_format
