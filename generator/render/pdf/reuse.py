"""Reuse a paragraph's line breaks when it is wrapped again at the same width, and its
parts when it is split again at the same place.

ReportLab breaks a paragraph into lines anew on every ``wrap``, and the
explainer wraps most paragraphs several times at the same width with the same
result: a table measures its cells twice, a frame wraps a paragraph before it
splits it, and ``multiBuild`` lays out the whole story twice.  Remembering the
lines per width cut the explainer's time by about a third, with byte-identical
PDFs.  A paragraph split at a page's end makes two new paragraphs, broken into
lines again on every pass; the second pass gets the first pass's parts back
(a tenth of a 100-page explainer's time).
"""

from __future__ import annotations

from reportlab.platypus import paragraph, tables

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


_original_split = paragraph.Paragraph.split


def _split(self, availWidth, availHeight):
    # Every pass splits a paragraph at the same place, and each split makes two new
    # paragraphs that would be broken into lines again: the parts of the pass before,
    # whose lines are remembered, are given back instead.
    # ReportLab splits the lines the paragraph was last broken into, whatever width they were
    # for, so parts are given back only for the same lines.
    memo = self.__dict__.setdefault("_studygen_parts", {})
    lines = getattr(self, "blPara", None)
    known = memo.get((availWidth, availHeight))
    if known is not None and known[0] is self.frags and known[1] is lines:
        return list(known[2])
    parts = _original_split(self, availWidth, availHeight)
    if len(parts) > 1 and lines is not None:
        memo[availWidth, availHeight] = (self.frags, lines, tuple(parts))
    return parts


_original_table_split = tables.Table.split


def _table_split(self, availWidth, availHeight):
    # A table split at a page's end makes new tables, each setting its styles and measuring
    # its rows again on every pass; the second pass gets the first pass's tables back.
    # What a split reads that may change between passes (the rows, the split modes) is in the key.
    memo = self.__dict__.setdefault("_studygen_parts", {})
    key = (availWidth, availHeight, self.splitByRow, self.splitInRow, self.repeatRows)
    known = memo.get(key)
    if known is not None and known[0] is self._cellvalues:
        return list(known[1])
    parts = _original_table_split(self, availWidth, availHeight)
    if len(parts) > 1:
        memo[key] = (self._cellvalues, tuple(parts))
    return parts


def install() -> None:
    """Make every Paragraph of this process remember its line breaks and its splits, and
    every Table its splits (idempotent)."""
    paragraph.Paragraph.wrap = _wrap
    paragraph.Paragraph.split = _split
    tables.Table.split = _table_split
