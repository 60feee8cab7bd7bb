"""A long PDF drawn in two processes at once, with the bytes of one drawn in turn.

The card sheets of thousands of cards are one file, drawn page after page: with
nothing else to do, the second core of a parallel build would wait.  So the
process drawing them forks a helper that draws the second part of the pages
while it draws the first, then takes the helper's pages as they are, their content
streams compressed by the helper (``pagestreams``).

What one page draws depends on the pages before it only through the fonts:
a character gets the next free code of its font's subset the first time the
document draws it, and a font gets its name (F1, F2...) the first time it draws
anything.  With ReportLab's readable ASCII (printable ASCII keeps its own
code), only characters outside ASCII take codes in turn.  The helper first
replays the pages before its own (``replay``: each text through the same font
code, ``replay_text``, without laying anything out where the order in which
fonts are first drawn is already known), then draws its pages.  The parent
draws its part, compares its fonts with the ones the helper started from, and
only if they are the same takes the helper's pages and fonts; otherwise (text
drawn otherwise than ``replay`` foresaw) it draws the rest itself.  Either way the bytes are those of
drawing every page in turn.

Only where ``allowed()`` says so: a build's worker processes, which render
while other workers do (``generator.build``); a build in one process draws
in that one process.
"""

from __future__ import annotations

import copy
import os
import pickle
import re
import signal
from typing import Callable, Sequence, TypeVar

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from generator.render import in_worker
from generator.render.pdf import pagestreams

Page = TypeVar("Page")

MIN_PAGES = 60  # fewer: forking and replaying cost more than the second process saves
# Measured, the two parts then take about the same CPU time (the helper also replays the
# pages before its own; each compresses its own pages as it draws them, ``pagestreams``).
PARENT_SHARE = 0.46


def allowed() -> bool:
    return in_worker() and hasattr(os, "fork")


def draw(canvas: Canvas, pages: Sequence[Page], draw_page: Callable[[Page], None],
         replay: Callable[[Page], None]) -> None:
    """``draw_page(page)`` then ``pagestreams.show(canvas)`` for each page, in two processes where
    allowed.  ``replay(page)``: do to ``canvas._doc``'s fonts what drawing the page does
    (``replay_text``), leaving the canvas as it is."""
    split = round(len(pages) * PARENT_SHARE / 2) * 2  # a sheet's front and back stay together
    if not allowed() or len(pages) < MIN_PAGES or not 0 < split < len(pages):
        for page in pages:
            draw_page(page)
            pagestreams.show(canvas)
        return
    read, write = os.pipe()
    parent = os.getpid()
    pid = os.fork()
    if pid == 0:  # the helper: never returns, whatever happens (it must not go on as its parent)
        try:
            os.close(read)
            _helper(canvas, pages, split, draw_page, replay, write, parent)
        finally:
            os._exit(0)
    os.close(write)
    try:
        for page in pages[:split]:
            draw_page(page)
            pagestreams.show(canvas)
        with os.fdopen(read, "rb") as stream:
            read = None
            data = stream.read()
        found = pickle.loads(data) if data else None
    finally:
        if read is not None:
            os.close(read)
        _reap(pid)
    if found is not None and found[0] == _fonts(canvas):
        _adopt(canvas, found[2])
        for stream in found[1]:
            pagestreams.put(canvas, stream)
        return
    for page in pages[split:]:
        draw_page(page)
        pagestreams.show(canvas)


def _reap(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)  # done already, unless the parent failed or was interrupted
    except ProcessLookupError:
        pass
    os.waitpid(pid, 0)


def _helper(canvas: Canvas, pages, split: int, draw_page, replay, write: int, parent: int) -> None:
    result = None
    try:
        _die_with_parent()
        if os.getppid() != parent:  # it ended before the helper could ask to end with it
            os._exit(0)
        for page in pages[:split]:
            replay(page)
        start = _fonts(canvas)
        streams = []
        for page in pages[split:]:
            draw_page(page)
            if not _plain_page(canvas):
                raise ValueError("a page drew more than its content stream")
            streams.append(pagestreams.show(canvas))
        result = (start, streams, _fonts(canvas))
    except BaseException:  # the parent draws these pages itself
        result = None
    try:
        with os.fdopen(write, "wb") as stream:
            if result is not None:
                stream.write(pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))
    finally:
        os._exit(0)


def _die_with_parent() -> None:
    """The helper ends with the process that forked it (a build stopped by Ctrl-C ends its workers)."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # not Linux: the helper ends when it cannot hand its pages over
        pass


def replay_text(doc, name: str, text: str, paragraph: bool = False) -> None:
    """What drawing ``text`` in font ``name`` does to the font's codes and name in ``doc``
    (TextObject._formatText).  ``paragraph``: the text of a paragraph's run, which draws
    none of its white space (only spaces between words, which have a code of their own)."""
    font = pdfmetrics.getFont(name)
    if paragraph:
        text = "".join(text.split())
    if not text:
        return
    if not font._dynamicFont:
        doc.getInternalFontName(font.fontName)
        return
    for subset, _ in font.splitString(text, doc):
        font.getSubsetInternalName(subset, doc)


def changes_nothing(doc, names, text: str) -> bool:
    """Whether drawing ``text`` in any of the fonts ``names`` surely leaves ``doc``'s fonts as
    they are: each font has its name already, and each character its code (or no glyph to
    take one).  Most texts of a long sheet draw nothing new, and finding that out costs less
    than ``replay_text``'s walk through each character's subset."""
    plain = text.isascii() and text.isprintable()
    beyond = None  # the characters outside printable ASCII
    for name in names:
        if name not in doc.fontMapping:
            return False
        font = pdfmetrics.getFont(name)
        if not getattr(font, "_dynamicFont", False):
            continue
        state = font.state.get(doc)
        if state is None:
            return False
        if _ascii_fixed(font, state):
            if plain:
                continue
            if beyond is None:
                beyond = set(_PRINTABLE.sub("", text))
            chars = beyond
        else:
            chars = set(text)
        assigned, glyphs = state.assignments, font.face.charToGlyph
        for char in chars:
            code = 32 if char == "\xa0" else ord(char)  # as splitString draws a no-break space
            if code not in assigned and code in glyphs:
                return False
    return True


_PRINTABLE = re.compile(r"[ -~]+")


def _ascii_fixed(font, state) -> bool:
    """Whether every printable ASCII character has its code in this document already (with
    ReportLab's readable ASCII, from the start)."""
    if getattr(state, "_studygen_ascii", False):
        return True
    assigned, glyphs = state.assignments, font.face.charToGlyph
    fixed = all(code in assigned or code not in glyphs for code in range(32, 127))
    if fixed:
        state._studygen_ascii = True  # a code once given stays
    return fixed


def _plain_page(canvas: Canvas) -> bool:
    """The page is its content stream alone: no link, form, image, colour space or
    transparency that showPage would store with it."""
    return not (canvas._annotationrefs or canvas._formsinuse or canvas._colorsUsed or canvas._shadingUsed
                or canvas._psCommandsBeforePage or canvas._psCommandsAfterPage or canvas._extgstate.getState()
                or canvas._codeStack)


def _fonts(canvas: Canvas) -> tuple:
    """Everything drawing has decided about the document's fonts so far."""
    doc = canvas._doc
    states = []
    for name in sorted(pdfmetrics.getRegisteredFontNames()):
        font = pdfmetrics.getFont(name)
        state = font.state.get(doc) if getattr(font, "_dynamicFont", False) else None
        if state is not None:
            # A copy: drawing goes on changing the state's codes in place.
            states.append((name, copy.deepcopy({k: v for k, v in vars(state).items() if not k.startswith("_studygen")})))
    return (list(doc.fontMapping.items()), [font.fontName for font in doc.delayedFonts], states)


def _adopt(canvas: Canvas, fonts: tuple) -> None:
    """Give the document the fonts as the helper left them."""
    doc = canvas._doc
    mapping, delayed, states = fonts
    doc.fontMapping.clear()
    doc.fontMapping.update(mapping)
    doc.delayedFonts[:] = [pdfmetrics.getFont(name) for name in delayed]
    for name, state in states:
        font = pdfmetrics.getFont(name)
        target = font.state.get(doc)
        if target is None:
            target = font.state[doc] = type(font).State(font._asciiReadable, font)
        for key in [k for k in vars(target) if k.startswith("_studygen")]:
            delattr(target, key)
        vars(target).update(state)
