"""Card faces laid out and drawn without ReportLab's Paragraph, where a face is plain styled text.

A printed card face is a centred paragraph in the card style (``cards._style``) of
text in b, i, super and sub spans and line breaks.  Made as a ReportLab Paragraph,
each face (tens of thousands in a large deck) costs a fragment object per run, a
copy of it per run per line, a list per word, line and paragraph objects, a text
object and two saved canvas states, and its fit is tried at several sizes.  Here
the same steps run on plain tuples: the words are cut as ``linebreak._frag_words``
cuts them, filled into lines as ``linebreak._runs`` and ``_simple`` fill them
(ReportLab's own algorithm), and the lines are written as ``lines.draw_para``
writes them inside ``drawOn``'s frame, so the page's code is the same string.

Anything else returns None and the caller makes a ReportLab Paragraph: links and
anchors, soft hyphens, a word wider than the card (ReportLab cuts it), empty text,
a style that hyphenates, indents or aligns otherwise, a font that is not TrueType.
``tests/test_faces.py`` compares both over generated markup.
"""

from __future__ import annotations

import weakref
from string import whitespace

from reportlab.lib.colors import Color
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.rl_accel import escapePDF
from reportlab.pdfbase.pdfmetrics import getFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import paragraph as rl
from reportlab.rl_config import paraFontSizeHeightOffset

from generator.render.pdf import frags, linebreak, lines
from generator.render.pdf.numbers import fp_str

_wsc = rl._wsc
_split = linebreak._split
_SHY = "\xad"


class Face:
    """A face's lines at one size: ``height`` as Paragraph.wrap gives it, ``draw`` as drawOn draws it."""

    __slots__ = ("markup", "width", "style", "height", "kind", "lines", "font", "first_size", "drawn")

    def __init__(self, style, height, kind, lines, font, first_size):
        self.markup = self.width = None
        self.style = style
        self.height = height
        self.kind = kind  # 0: one run (ReportLab's lines of words), 1: runs in several styles
        self.lines = lines
        self.font = font  # kind 0: the run's (font name, size, colour)
        self.first_size = first_size
        self.drawn = None


def _plain_style(style) -> bool:
    return (style.alignment == TA_CENTER and not style.leftIndent and not style.rightIndent
            and not style.firstLineIndent and not getattr(style, "hyphenationLang", "")
            and not style.embeddedHyphenation and not style.uriWasteReduce and not style.wordWrap
            and not style.endDots and not style.shaping and not style.justifyLastLine and style.splitLongWords
            and getattr(style, "autoLeading", "") in ("", "off") and not style.backColor
            and not (getattr(style, "borderColor", None) and getattr(style, "borderWidth", None))
            and not getattr(style, "textTransform", None) and paraFontSizeHeightOffset)


_KEYS = {"rise", "greek", "link", "fontName", "bold", "italic", "fontSize", "textColor", "us_lines", "__tag__",
         "lineBreak", "text"}
_dynamic: dict[str, bool] = {}
_known: dict[tuple, tuple | None] = {}  # (style, tags, kind) -> _run_style's answer; a face has a few


def _run_style(style, path, kind):
    """(font name, size, rise, is a line break) of a run, or None for a run not drawn here."""
    key = (style, path, kind)
    found = _known.get(key, False)
    if found is False:
        if len(_known) > 4096:
            _known.clear()
        found = _known[key] = _made_run_style(style, path, kind)
    return found


def _made_run_style(style, path, kind):
    template = frags.template(style, path, kind)
    if template is None or not template.keys() <= _KEYS or template["link"] or template["us_lines"] \
            or template["textColor"] is not style.textColor:
        return None
    name = template["fontName"]
    dynamic = _dynamic.get(name)
    if dynamic is None:
        font = getFont(name)
        dynamic = _dynamic[name] = bool(font._dynamicFont and not font.shapable)
    if not dynamic:
        return None
    size = template["fontSize"]
    widths = _widths.setdefault((getFont(name), size), {})
    return name, size, template["rise"], kind == frags.BREAK, rl.stringWidth(" ", name, size), widths


# (font, size) -> word -> width: a deck's faces are made of a few thousand words
_widths: dict[tuple, dict[str, float]] = {}


def _width(f, word: str, measure) -> float:
    known = f[5]
    width = known.get(word)
    if width is None:
        if len(known) > 50_000:
            known.clear()
        width = known[word] = measure(word, f[0], f[1])
    return width


def lay_out(markup: str, style, width: float) -> Face | None:
    """The face's lines in ``style`` in a box ``width`` wide, or None where ReportLab must do it."""
    found = frags.runs(markup)
    if found is None or not _plain_style(style) or style.textColor.__class__ is not Color:
        return None
    runs = []
    for path, kind, text, link in found[1]:
        if link is not None or kind == frags.ANCHOR or _SHY in text:
            return None
        st = _run_style(style, path, kind)
        if st is None:
            return None
        runs.append((st, text))
    if not runs:
        return None
    measure = rl.stringWidth
    face = _simple(style, runs[0], width, measure) if len(runs) == 1 else _several(style, runs, width, measure)
    if face is not None:
        face.markup, face.width = markup, width
    return face


def _simple(style, run, maxWidth, measure):
    """``linebreak._simple`` for one run of text in the card style."""
    f, text = run
    fontName, fontSize = f[0], f[1]
    if f[3]:
        return None
    text = text.strip(_wsc)
    if not text:
        return None
    words = _split(text)
    spaceWidth = f[4]
    dSpaceShrink = style.spaceShrinkage * spaceWidth
    lines = []
    cLine = []
    currentWidth = -spaceWidth
    for word in words:
        wordWidth = _width(f, word, measure)
        if wordWidth > maxWidth:
            return None  # ReportLab cuts it
        newWidth = currentWidth + spaceWidth + wordWidth
        # Spaces only ever shrink (the room only grows with them): a line that fits without
        # shrinking needs no sum.
        if (newWidth <= maxWidth and dSpaceShrink >= 0) or newWidth <= maxWidth + dSpaceShrink * len(cLine) \
                or not cLine:
            cLine.append(word)
            currentWidth = newWidth
        else:
            lines.append((maxWidth - currentWidth, cLine))
            cLine = [word]
            currentWidth = wordWidth
    if cLine:
        lines.append((maxWidth - currentWidth, cLine))
    return Face(style, len(lines) * style.leading, 0, lines, (fontName, fontSize), fontSize)


def _words(runs, measure):
    """``linebreak._frag_words`` for the runs: (followed by a space, width, [(run style, text), ...]) per word."""
    R = []
    W = []
    n = 0
    hangingStrip = True
    for f, text in runs:
        if text != '':
            if hangingStrip:
                text = text.lstrip(_wsc)
                if not text:
                    continue
                hangingStrip = False
            S = _split(text)
            if text[0] in whitespace or not S:
                if W:
                    R.append((False, n, W))
                    W = []
                    n = 0
                    whs = False
                else:
                    whs = R and R[-1][0]
                if not whs:
                    S.insert(0, '')
                elif not S:
                    continue
            last = S.pop()
            for w in S:
                if W:
                    W.append((f, w))
                    R.append((True, n + _width(f, w, measure), W))
                    W = []
                    n = 0
                else:
                    R.append((True, n + _width(f, w, measure), [(f, w)]))
            W.append((f, last))
            n += _width(f, last, measure)
            if text[-1] in whitespace:
                R.append((True, n, W))
                W = []
                n = 0
        else:  # a line break (a run of text is never empty)
            if W:
                R.append((False, n, W))
                W = []
                n = 0
            R.append((False, 0, [(f, '')]))
            hangingStrip = True
    if W:
        R.append((False, n, W))
    return R


def _several(style, runs, maxWidth, measure):
    """``linebreak._runs`` for the words of several runs: lines of
    (extra space, word count, [[run style, text, spaces in it, a space's width], ...], tallest size)."""
    words = _words(runs, measure)
    if not words:
        return None
    shrinkage = style.spaceShrinkage
    spaces = {}

    def space(fontName, fontSize):
        w = spaces.get((fontName, fontSize))
        if w is None:
            w = spaces[fontName, fontSize] = measure(' ', fontName, fontSize)
        return w

    lines = []
    line = []
    g = None
    n = spaceWidth = currentWidth = 0
    maxSize = 0
    for hs, wordWidth, parts in words:
        last = parts[-1][0]
        fontName, fontSize = last[0], last[1]
        if not line:
            n = spaceWidth = currentWidth = 0
            maxSize = fontSize
        f, nText = parts[0]
        newWidth = currentWidth + spaceWidth + wordWidth if wordWidth > 0 else currentWidth
        lineBreak = f[3]
        limWidth = maxWidth
        if shrinkage and (newWidth > maxWidth or shrinkage < 0):  # else the word fits without shrinking
            spaceShrink = spaceWidth
            for r in line:
                if r[2]:
                    spaceShrink += r[2] * r[3]
            spaceShrink *= shrinkage
            limWidth += spaceShrink
        if not lineBreak and newWidth > limWidth and wordWidth > maxWidth:
            return None  # ReportLab cuts the word
        if not ((newWidth > limWidth and n > 0) or lineBreak):
            if nText:
                n += 1
            fontSize = f[1]
            if fontSize > maxSize:
                maxSize = fontSize
            if not line:
                g = [f, nText, nText.count(' '), f[4]]
                line = [g]
            elif f is not g[0] and f[:3] != g[0][:3]:
                if spaceWidth:
                    t = line[-1]
                    if not t[1].endswith(' '):
                        t[1] += ' '
                        t[2] += 1
                g = [f, nText, nText.count(' '), f[4]]
                line.append(g)
            elif spaceWidth:
                if not g[1].endswith(' '):
                    g[1] += ' ' + nText
                    g[2] += 1 + nText.count(' ')
                else:
                    g[1] += nText
                    g[2] += nText.count(' ')
            else:
                g[1] += nText
                g[2] += nText.count(' ')
            # ReportLab's: the last run's font at the first run's size
            spaceWidth = (last[4] if fontSize == last[1] else space(fontName, fontSize)) if hs else 0
            ni = 0
            for i in parts[1:]:
                g = [i[0], i[1], i[1].count(' '), i[0][4]]
                if i[1]:
                    ni = 1
                line.append(g)
                if i[0][1] > maxSize:
                    maxSize = i[0][1]
            if not nText and ni:
                n += 1
            currentWidth = newWidth
        else:
            if lineBreak:
                line.append([f, '', 0, 0])
            lines.append((maxWidth - currentWidth, n, line, maxSize))
            if lineBreak:
                line = []
                continue
            spaceWidth = last[4] if hs else 0
            currentWidth = wordWidth
            n = 1
            g = [f, nText, nText.count(' '), f[4]]
            maxSize = f[1]
            line = [g]
            for i in parts[1:]:
                g = [i[0], i[1], i[1].count(' '), i[0][4]]
                line.append(g)
                if i[0][1] > maxSize:
                    maxSize = i[0][1]
    if line:
        lines.append((maxWidth - currentWidth, n, line, maxSize))
    return Face(style, len(lines) * style.leading, 1, lines, None, lines[0][3])


def drawable(canvas: Canvas) -> bool:
    """Whether ``draw`` writes what drawOn would on this canvas: ReportLab's own canvas, bottom up,
    colours as given, at the opacity of the card style's colour."""
    return (canvas.__class__ is Canvas and canvas.bottomup and canvas._enforceColorSpace is None)


def draw(face: Face, canvas: Canvas, x: float, y: float) -> bool:
    """``Paragraph(markup, face.style).drawOn(canvas, x, y)`` after wrapping it; False (nothing
    drawn) where the canvas is not one ``drawable`` accepts or its opacity differs."""
    color = face.style.textColor
    if not drawable(canvas) or canvas._extgstate.getValue("ca") != color.alpha:
        return False
    doc = canvas._doc
    code = canvas._code
    code.append("q")
    code.append("%s cm" % fp_str(1, 0, 0, 1, x, y))
    drawn = face.drawn
    if drawn is not None and drawn[0]() is doc:
        # What a face draws does not depend on where: each character keeps the code its font's
        # subset gave it the first time in this document.
        code.extend(drawn[1])
    else:
        made = _code(face, doc)
        face.drawn = (weakref.ref(doc), made)
        code.extend(made)
    code.append("Q")
    return True


def _code(face: Face, doc) -> list[str]:
    """The face's code inside drawOn's frame: draw_para's own saved state, colour and text object."""
    style = face.style
    color = style.textColor
    leading = style.leading
    rg = _constant("%s rg", (color.red, color.green, color.blue))
    out = ["q"]
    cur_y = face.height - face.first_size
    tx = ["BT", "1 0 0 1 %s Tm" % fp_str(style.leftIndent, cur_y)]
    doc.ensureMinPdfVersion("transparency")  # as setting an opaque colour does
    state = [None, -1]  # the text object's font (name, size) and its subset
    if face.kind == 0:
        out.append(rg)
        fontName, fontSize = face.font
        font = getFont(fontName)
        state[0] = face.font
        for space, words in face.lines:
            text = " ".join(words)
            if space > -1e-8 or len(words) + text.count("\xa0") - 1 <= 0:
                m = 0 + 0.5 * space
                _move(tx, m)
                _text(tx, state, font, fontSize, leading, doc, text, True)
            else:
                m = 0
                tx.append("%s Tw" % fp_str(space / float(len(words) + text.count("\xa0") - 1)))
                _move(tx, m)
                _text(tx, state, font, fontSize, leading, doc, text, True)
                tx.append("0 Tw")
            _move(tx, -m)
    else:
        colored = False
        rise = 0
        lead = None
        for space, count, runs, _ in face.lines:
            simple = space > -1e-8
            if not simple:
                spaces = count + sum([r[1].count("\xa0") for r in runs]) - 1
                simple = spaces <= 0
            m = 0
            if simple:
                m = 0 + 0.5 * space
                _move(tx, m)
            else:
                tx.append("%s Tw" % fp_str(space / float(spaces)))
            if lead != leading:
                lead = leading
                tx.append(_constant("%s TL", leading))
            end = runs[-1]
            for r in runs:
                st = r[0]
                if state[0] != st[:2]:
                    state[0] = st[:2]
                    state[1] = -1
                if not colored:
                    colored = True
                    tx.append(rg)
                if rise != st[2]:
                    rise = st[2]
                    v = f"{fp_str(rise)} Ts"
                    if tx[-1].endswith(" Ts"):
                        tx[-1] = v
                    else:
                        tx.append(v)
                _text(tx, state, getFont(st[0]), st[1], leading, doc, r[1], r is end)
            if not simple:
                tx.append("0 Tw")
            _move(tx, -m)
    tx.append("ET")
    out.append(" ".join(tx))
    out.append("Q")
    return out


_constants: dict[tuple, str] = {}


def _constant(form: str, *numbers) -> str:
    """``form % fp_str(...)`` for the few colours, sizes and leadings of the faces, made once each."""
    key = (form, numbers)
    found = _constants.get(key)
    if found is None:
        if len(_constants) > 1024:
            _constants.clear()
        found = _constants[key] = form % (fp_str(*numbers) if len(numbers) == 1 else tuple(map(fp_str, numbers)))
    return found


def _move(code: list[str], dx: float) -> None:
    """``lines._Lines.move`` without a text object to keep up to date."""
    if dx > 1e-6 or dx < -1e-6:
        lines.merged_move(code, dx)


def _text(code, state, font, fontSize, leading, doc, text, line_end) -> None:
    """``lines._Lines.text``: the text in the current font, naming the subset where it changes."""
    parts = []
    for subset, t in font.splitString(text, doc):
        if subset != state[1]:
            parts.append(f"{font.getSubsetInternalName(subset, doc)} {_constant('%s Tf %s TL', fontSize, leading)}")
            state[1] = subset
        parts.append(f"({escapePDF(t)}) Tj")
    code.append(" ".join(parts) + " T*" if line_end else " ".join(parts))
