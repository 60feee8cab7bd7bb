"""Reuse a paragraph's line breaks when it is wrapped again at the same width.

ReportLab breaks a paragraph into lines anew on every ``wrap``, and the
explainer wraps most paragraphs several times at the same width with the same
result: a table measures its cells twice, a frame wraps a paragraph before it
splits it, and ``multiBuild`` lays out the whole story twice.  Remembering the
lines per width cut the explainer's time by about a third, with byte-identical
PDFs.
"""

from __future__ import annotations

from reportlab.platypus import paragraph

_original = paragraph.Paragraph.wrap


def _wrap(self, availWidth, availHeight):
    memo = self.__dict__.setdefault("_studygen_lines", {})
    known = memo.get(availWidth)
    # Line breaks depend on the width and the text runs (frags) only; a paragraph
    # whose runs were replaced is broken again.
    if known is not None and known[0] is self.frags:
        _, self._wrapWidths, self.blPara, self.height = known
        self.width = availWidth
        return availWidth, self.height
    result = _original(self, availWidth, availHeight)
    if getattr(self, "blPara", None) is not None and self.width == availWidth:
        memo[availWidth] = (self.frags, self._wrapWidths, self.blPara, self.height)
    return result


def install() -> None:
    """Make every Paragraph of this process remember its line breaks (idempotent)."""
    paragraph.Paragraph.wrap = _wrap
