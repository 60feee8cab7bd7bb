"""Hyphenation of the explainer's paragraphs, with a fallback where ReportLab cannot break a line.

Words of letters are hyphenated with pyphen's dictionary (read lazily, ``hyphen``).  A compound ("long-lived")
breaks only after its own hyphens, which stay printed once: the hyphenator offers
"long-" + "lived", and ReportLab adds no second hyphen to a head that ends in one.
When ReportLab lays out the parsed words again (a paragraph split across pages, or
a later pass of the build) it rejoins the parts of a broken word and, in
``_shyUnsplit``, strips a trailing hyphen a second time, after the hyphen it added
was already removed; that would print "longlived".  ``_unsplit`` below replaces it
for plain text so that only the added hyphen goes (soft-hyphen words keep
ReportLab's own handling).  ReportLab is pinned to major version 5 for this.

ReportLab 5 does not cut the rest of an over-long word or URL once it has
hyphenated or split the word's first part (the rest is exempt from
``splitLongWords``), so that rest runs into the margin.  Such a paragraph is
parsed and broken again without hyphenation, where ``splitLongWords`` cuts long
words as before; every other paragraph keeps its hyphenation.
"""

from __future__ import annotations

import copy
from functools import lru_cache

from reportlab import rl_config
from reportlab.lib.enums import TA_JUSTIFY
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph as _Paragraph
from reportlab.platypus import paragraph as _rl
from reportlab.platypus.paragraph import cleanBlockQuotedText

from generator.render.pdf import hyfit, hyphen, linebreak
from generator.render.pdf.frags import fragments

LANGUAGE = "en_GB"  # pyphen's dictionary for the explainer's language (the PDF's /Lang is en-GB)


@lru_cache(maxsize=1)
def _dictionary() -> hyphen.Hyphenator:
    return hyphen.for_language(LANGUAGE, left=2, right=3)


def release() -> None:
    """Forget the dictionary; the next hyphenated word reads it again."""
    _dictionary.cache_clear()


_rl_unsplit = getattr(_rl._shyUnsplit, "original", _rl._shyUnsplit)


def _unsplit(s, ss=None):
    if ss and not isinstance(s, _rl._SHYIndexedStr) and not hasattr(ss, "_shyIndices"):
        return str(s) + ss  # the added hyphen is gone already; a compound's own one stays
    return _rl_unsplit(s, ss)


_unsplit.original = _rl_unsplit
_rl._shyUnsplit = _unsplit
linebreak.install()  # every paragraph's lines, in check as in build


def hyphenate(word: str) -> list[tuple[str, str]]:
    """Where ``word`` may break, as (head, tail) pairs; ReportLab adds the hyphen to the head."""
    if "-" in word:
        # After the compound's own hyphens only, longest head first: a head ending in "-"
        # gets no second hyphen from ReportLab.
        parts = word.split("-")
        if not all(parts):
            return []  # a stray or doubled hyphen is no compound
        return [("-".join(parts[:k]) + "-", "-".join(parts[k:])) for k in range(len(parts) - 1, 0, -1)]
    return list(_dictionary().iterate(word))


hyfit.install(hyphenate)


_PLAIN: dict[int, tuple[ParagraphStyle, ParagraphStyle]] = {}


def _hyphenates(style: ParagraphStyle) -> bool:
    return bool(getattr(style, "hyphenationLang", "") or getattr(style, "embeddedHyphenation", 0)
                or getattr(style, "uriWasteReduce", 0))


def plain_style(style: ParagraphStyle) -> ParagraphStyle:
    """``style`` without hyphenation (one copy per style)."""
    if id(style) not in _PLAIN:
        _PLAIN[id(style)] = (style, ParagraphStyle(f"{style.name}-plain", style, hyphenationLang="",
                                                    embeddedHyphenation=0, uriWasteReduce=0))
    return _PLAIN[id(style)][1]


def overfull(para, width, style: ParagraphStyle) -> bool:
    """Whether a line of the broken paragraph is wider than its room, beyond the
    word-space shrinking ReportLab allows justified lines."""
    room = min(width) if isinstance(width, (list, tuple)) else width
    shrink = (getattr(style, "spaceShrinkage", 0.05) or 0) if style.alignment == TA_JUSTIFY else 0
    limit = -shrink * room - 1
    for line in para.lines:
        extra = line[0] if isinstance(line, tuple) else getattr(line, "extraSpace", 0)
        if extra < limit:
            return True
    return False


class Paragraph(_Paragraph):
    """ReportLab's paragraph, hyphenated where the style asks (``breakLines``), made from
    studygen's markup without ReportLab's XML parser where ``frags.fragments`` reads it."""

    def __init__(self, text, style=None, bulletText=None, frags=None, **kw):
        self._source = text if frags is None else None
        cleaned = None
        if frags is None and style is not None and not kw:
            made = fragments(text, style)
            if made is not None:
                cleaned, frags = made
        super().__init__(text, style, bulletText, frags, **kw)
        if cleaned is not None:
            self.text = cleaned  # as ReportLab keeps the text it parsed

    def breakLines(self, width):
        broken = super().breakLines(width)
        if self._source is not None and _hyphenates(self.style) and overfull(broken, width, self.style):
            self._unhyphenated()
            broken = super().breakLines(width)
        return broken

    def split(self, availWidth, availHeight):
        parts = super().split(availWidth, availHeight)
        if (len(parts) > 1 and self._source is not None and "\xad" in self._source and _hyphenates(self.style)
                and parts[0].wrap(availWidth, availHeight)[1] > availHeight + rl_config._FUZZ):
            # ReportLab 5 can cut a hyphenated paragraph with soft hyphens in long words into a
            # first part that, broken into lines again, is taller than the room it was cut for
            # (the page template then stops with a splitting error).  Unhyphenated, it splits true.
            # Only such paragraphs are measured here: a list item is split at one width and
            # drawn at another.
            self._unhyphenated()
            self.wrap(availWidth, availHeight)  # split cuts the lines of the last wrap
            parts = super().split(availWidth, availHeight)
        return parts

    def _split_blParaProcessed(self, blPara, start, stop):
        """ReportLab's, but the word cut at the part's end is marked on a copy.  ReportLab
        changes the class of that word in the paragraph's own runs; split again at another
        line (the next layout pass, where the room left on a page differs), the word kept the
        mark and the later part broke it without a hyphen ("histoch" + "emistry")."""
        if not stop:
            return []
        lines = blPara.lines
        first = lines[start].sFW
        last = lines[stop].sFW if stop != len(lines) else len(self.frags)
        words = self.frags[first:last]
        while words and isinstance(words[-1], _rl._InjectedFrag):
            del words[-1]
        if isinstance(words[-1], _rl._SplitFragHY):
            words[-1] = copy.copy(words[-1])
            words[-1].__class__ = _rl._SHYWordHS if isinstance(words[-1], _rl._SHYWord) else _rl._SplitFragLL
        return words

    def _unhyphenated(self) -> None:
        # Hyphenation changes the parsed words in place, so make the fragments afresh.
        style = plain_style(self.style)
        made = fragments(self._source, style)
        if made is None:
            self._setup(self._source, style, self.bulletText, None, cleanBlockQuotedText)
        else:
            self._setup(made[0], style, self.bulletText, made[1], cleanBlockQuotedText)
