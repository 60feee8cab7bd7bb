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

The parent's part is the smaller one.  Done first, it asks the helper how far it has come;
a helper with many pages left stops halfway through them, and a second helper, forked from
the parent as it stands, replays the first one's pages up to there and draws the rest.  So
the two cores stay busy until the end whichever process the machine favours.  The second
helper's pages are taken on the same terms (its fonts must start as the first helper's end).

Only where ``allowed()`` says so: a build's worker processes, which render
while other workers do (``generator.build``); a build in one process draws
in that one process.
"""

from __future__ import annotations

import copy
import os
import pickle
import re
import select
import signal
from typing import Callable, Sequence, TypeVar

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from generator import signals
from generator.render import in_worker
from generator.render.pdf import pagestreams

Page = TypeVar("Page")

MIN_PAGES = 60  # fewer: forking and replaying cost more than the second process saves
# Less than half: the parent, done first, has a second helper share the rest of the first
# one's part.  (The helper also replays the pages before its own; each process compresses its
# own pages as it draws them, ``pagestreams``; the parent saves the file once all are drawn.)
PARENT_SHARE = 0.46


def allowed() -> bool:
    return in_worker() and hasattr(os, "fork")


def draw(canvas: Canvas, pages: Sequence[Page], draw_page: Callable[[Page], None],
         replay: Callable[[Page], None]) -> None:
    """``draw_page(page)`` then ``pagestreams.show(canvas)`` for each page, in two processes at
    once where allowed (this one and a helper, then the helper and a second one).  ``replay(page)``: do to ``canvas._doc``'s fonts what drawing the page does
    (``replay_text``), leaving the canvas as it is."""
    split = round(len(pages) * PARENT_SHARE / 2) * 2  # a sheet's front and back stay together
    if not allowed() or len(pages) < MIN_PAGES or not 0 < split < len(pages):
        for page in pages:
            draw_page(page)
            pagestreams.show(canvas)
        return
    helpers = [_Helper(canvas, pages, 0, split, len(pages), draw_page, replay, ask=True)]
    try:
        for page in pages[:split]:
            draw_page(page)
            pagestreams.show(canvas)
        stop = helpers[0].share()
        if stop < len(pages):  # the helper is far from done: a second one draws the end of its part
            helpers.append(_Helper(canvas, pages, split, stop, len(pages), draw_page, replay))
        done = split
        for helper in helpers:
            if not helper.take(canvas):
                break
            done = helper.stop
    finally:
        for helper in helpers:
            helper.close()
    for page in pages[done:]:
        draw_page(page)
        pagestreams.show(canvas)


MIN_REST = 16  # pages a second helper would draw: fewer, and forking costs more than it saves
# What a second helper costs before it draws, in pages drawn: replaying a page (fonts only) about
# a tenth of drawing it (0.25 s against 3.6 s for the 2,210 pages of 5,000 cards, measured), and
# forking, handing over and taking in about twenty.
REPLAY, FORK = 0.1, 20


def _second_start(start: int, at: int, stop: int) -> int:
    """Where a helper that draws ``pages[start:stop]`` and is at ``at`` stops, so that a second
    helper, which first replays ``pages[start:there]``, ends with it; ``stop`` if a second helper
    would draw too few pages to pay."""
    there = (stop + at + FORK - REPLAY * start) / (2 - REPLAY)
    there = -(-int(there) // 2) * 2  # a sheet's front and back stay together
    return there if stop - there >= MIN_REST else stop


class _Helper:
    """A forked process that draws ``pages[start:stop]`` from the fonts it foresees by
    replaying ``pages[replayed:start]`` (the pages before are drawn in this process)."""

    def __init__(self, canvas: Canvas, pages, replayed: int, start: int, stop: int, draw_page, replay,
                 ask: bool = False):
        self.stop = stop
        self.ask = self.answer = None
        if ask:  # this process may ask the helper to stop sooner (``share``)
            asked, self.ask = os.pipe()
            self.answer, answer = os.pipe()
            os.set_blocking(asked, False)
        read, write = os.pipe()
        parent = os.getpid()
        self.pid = os.fork()
        if self.pid == 0:  # the helper: never returns, whatever happens (it must not go on as its parent)
            try:
                os.close(read)
                _helper(canvas, pages[:stop], replayed, start, draw_page, replay, write, parent,
                        (asked, answer) if ask else None)
            finally:
                os._exit(0)
        os.close(write)
        if ask:
            os.close(asked)
            os.close(answer)
        self.read = read

    def share(self) -> int:
        """Ask the helper to leave part of what it has left to draw; where it will stop."""
        try:
            os.write(self.ask, b"?")
        except OSError:  # it has ended
            return self.stop
        ready, _, _ = select.select([self.answer, self.read], [], [])
        if self.answer in ready:  # else it finished, or failed, before it saw the question
            said = os.read(self.answer, 4)
            if len(said) == 4:
                self.stop = int.from_bytes(said, "big")
        return self.stop

    def take(self, canvas: Canvas) -> bool:
        """Show the helper's pages on ``canvas``, if it drew them from the fonts the canvas has."""
        with os.fdopen(self.read, "rb") as stream:
            self.read = None
            data = stream.read()
        found = pickle.loads(data) if data else None
        if found is None or found[0] != _fonts(canvas):
            return False
        _adopt(canvas, found[2])
        for stream in found[1]:
            pagestreams.put(canvas, stream)
        return True

    def close(self) -> None:
        for fd in (self.read, self.ask, self.answer):
            if fd is not None:
                os.close(fd)
        self.read = self.ask = self.answer = None
        if self.pid:
            _reap(self.pid)
            self.pid = 0


def _reap(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)  # done already, unless the parent failed or was interrupted
    except ProcessLookupError:
        pass
    os.waitpid(pid, 0)


def _helper(canvas: Canvas, pages, replayed: int, start: int, draw_page, replay, write: int, parent: int,
            asked: tuple[int, int] | None = None) -> None:
    result = None
    try:
        signals.end_with_parent(parent)
        for page in pages[replayed:start]:
            replay(page)
        begin = _fonts(canvas)
        streams = []
        stop = len(pages)
        at = start
        while at < stop:
            draw_page(pages[at])
            if not _plain_page(canvas):
                raise ValueError("a page drew more than its content stream")
            streams.append(pagestreams.show(canvas))
            at += 1
            if asked is not None and _was_asked(asked[0]):  # the parent is done
                stop = _second_start(start, at, stop)
                os.write(asked[1], stop.to_bytes(4, "big"))
                asked = None
        result = (begin, streams, _fonts(canvas))
    except BaseException:  # the parent draws these pages itself
        result = None
    try:
        with os.fdopen(write, "wb") as stream:
            if result is not None:
                stream.write(pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))
    finally:
        os._exit(0)


def _was_asked(fd: int) -> bool:
    try:
        return bool(os.read(fd, 1))
    except BlockingIOError:
        return False


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
