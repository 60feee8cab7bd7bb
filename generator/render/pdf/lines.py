"""Faster drawing of a broken paragraph's lines, for paragraphs of plain styled text.

ReportLab draws each line of a paragraph through a chain of small functions
(one per alignment, ``_putFragLine`` for lines of several runs, the text
object's ``_formatText``), and for every run it measures the text and the
trailing spaces of the run before it, only to place underlines, links, images
and background colours.  A paragraph that has none of those (most of the
explainer's body text and nearly every printed card face) needs none of that
measuring: its lines are written here straight into the text object, operator
by operator as ReportLab writes them, so the page's code is the same string.

Anything this does not reproduce goes to ReportLab's own ``drawPara``: a
border or background, a bullet, right-to-left text, automatic leading, end
dots, preformatted text, a run with a link, anchor, image, underline, strike or
background colour, a font that is not TrueType, shaped text, a canvas or text
object that is not ReportLab's own.  ``tests/test_lines.py`` compares both
over studygen's markup.
"""

from __future__ import annotations

from reportlab.lib.colors import Color
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.rl_accel import escapePDF, fp_str
from reportlab.pdfbase.pdfmetrics import getFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.pdfgen.textobject import PDFTextObject
from reportlab.platypus import paragraph
from reportlab.rl_config import paraFontSizeHeightOffset

_draw_para = getattr(paragraph.Paragraph.drawPara, "original", paragraph.Paragraph.drawPara)
_begin_text = paragraph.Paragraph.beginText
_MISSING = object()
_MOVES: dict[str, tuple[float, float]] = {}  # a move operator's two numbers, as ReportLab reads them back
_RG: dict[tuple, str] = {}  # a colour's operator
_SIZES: dict[tuple, str] = {}  # a size and leading's operators
_DYNAMIC: dict = {}  # font -> whether it is TrueType without shaping


def _plain_run(f) -> bool:
    """A run that draws its characters, perhaps inside a link, or an anchor (a place the
    outline or a link points at): no image, underline, strike or background colour."""
    d = f.__dict__
    if "cbDefn" in d:
        return getattr(d["cbDefn"], "kind", None) == "anchor"
    if d.get("us_lines", _MISSING) or d.get("backColor"):
        return False
    # ReportLab reads these; a run without them is left to ReportLab (and its errors).
    return "us_lines" in d and "link" in d and "text" in d and d["text"].__class__ is str


def _plain(para) -> bool:
    """Whether ``para`` is drawn exactly by ``_draw`` below."""
    style = para.style
    canvas = para.canv
    if (style.backColor or (getattr(style, "borderColor", None) and getattr(style, "borderWidth", None))
            or style.wordWrap == "RTL" or style.endDots
            or getattr(para, "autoLeading", getattr(style, "autoLeading", "")) in ("min", "max")
            or "preformatted" in para.__class__.__name__.lower()
            or type(para).beginText is not _begin_text or type(canvas).beginText is not Canvas.beginText
            or type(canvas)._escape is not Canvas._escape or not canvas.bottomup
            or canvas._enforceColorSpace is not None
            or style.alignment not in (TA_LEFT, TA_CENTER, TA_RIGHT, TA_JUSTIFY)):
        return False
    blPara = para.blPara
    if blPara.kind == 0:
        return not (getattr(blPara, "us_lines", True) or getattr(blPara, "link", True)) and _dynamic(blPara.fontName)
    if blPara.kind != 1:
        return False
    for line in blPara.lines:
        if getattr(line, "preformatted", False):
            return False
        for f in line.words:
            if not _plain_run(f) or ("cbDefn" not in f.__dict__ and not _dynamic(f.fontName)):
                return False
    return True


def _dynamic(name: str) -> bool:
    """A TrueType font, which selects its subset when text is drawn, not when it is set."""
    font = getFont(name)
    found = _DYNAMIC.get(font)
    if found is None:
        found = _DYNAMIC[font] = bool(font._dynamicFont and not font.shapable)
    return found


def draw_para(self, debug=0):
    """``Paragraph.drawPara``: the lines written directly where ``_plain``, else ReportLab's."""
    if debug or not self.blPara.lines or not _plain(self):
        return _draw_para(self, debug)
    canvas = self.canv
    style = self.style
    blPara = self.blPara
    lines = blPara.lines
    nLines = len(lines)
    _offsets = getattr(self, "_offsets", [0])
    _offsets += (nLines - len(_offsets)) * [_offsets[-1]]  # in place, as ReportLab extends them
    canvas.saveState()
    offset = style.firstLineIndent + _offsets[0]
    lim = nLines - 1
    noJustifyLast = not getattr(self, "_JustifyLast", False)
    jllwc = style.justifyLastLine
    alignment = style.alignment
    cur_x = style.leftIndent
    f = blPara if blPara.kind == 0 else lines[0]
    cur_y = self.height - (f.fontSize if paraFontSizeHeightOffset else getattr(f, "ascent", f.fontSize))
    if self.bulletText:
        offset = paragraph._drawBullet(canvas, offset, cur_y, self.bulletText, style, rtl=False)
    if blPara.kind == 0:
        canvas.setFillColor(f.textColor)
        tx = canvas.beginText(cur_x, cur_y)
        tx.setFont(f.fontName, f.fontSize, style.leading)
        out = _Lines(tx)
        for i, (space, words) in enumerate(lines):
            last = noJustifyLast and i == lim
            if last and jllwc and len(words) > jllwc:
                last = False
            out.words(alignment, offset if i == 0 else _offsets[i], space, words, last)
    else:
        tx = canvas.beginText(cur_x, cur_y)
        tx._fontname, tx._fontsize = None, None
        tx._leading = None
        out = _Lines(tx)
        out.text_color = None
        out.rise = 0
        out.leading = style.leading
        out.left_indent = cur_x
        out.cur_y = cur_y
        out.style = style
        for i, line in enumerate(lines):
            last = noJustifyLast and i == lim
            if last and jllwc and line.wordCount > jllwc:
                last = False
            out.runs(alignment, offset if i == 0 else _offsets[i], line, last)
            out.cur_y -= style.leading  # as _do_post_text moves down, for links and anchors
    canvas.drawText(tx)
    canvas.restoreState()


def merged_move(code: list[str], dx: float) -> tuple[float, float, float, float]:
    """The operator of ``paragraph.setXPos(dx)`` added to ``code``, a move just before it merged
    in (and taken out): the move taken out (zeros if none) and the move written, as (dx, dy)."""
    dy = 0
    lastDx = lastDy = 0  # as ints: subtracting them changes neither value nor type
    last = code[-1]
    if last.endswith(" Td"):
        known = _MOVES.get(last)
        if known is None:
            L = last.split()
            if len(L) != 3:
                code[-1] = "".join(L[:-4])
            known = float(L[-3]), float(L[-2])
            if len(L) == 3 and len(_MOVES) < 4096:  # the moves of a few common line widths
                _MOVES[last] = known
        if last is code[-1]:
            del code[-1]
        lastDx, lastDy = known
        dx += lastDx
        dy -= lastDy
    code.append("%s Td" % fp_str(dx, -dy))
    return lastDx, lastDy, dx, dy


class _Lines:
    """Writes lines into a text object as ReportLab's line drawers do."""

    def __init__(self, tx: PDFTextObject):
        self.tx = tx
        self.code = tx._code
        self.doc = tx._canvas._doc

    def move(self, dx: float) -> None:
        """``paragraph.setXPos``: a move along the line, merged with a move just before it."""
        if not (dx > 1e-6 or dx < -1e-6):
            return
        tx = self.tx
        lastDx, lastDy, dx, dy = merged_move(self.code, dx)
        tx._x0 -= lastDx
        tx._y0 -= lastDy
        tx._x0 += dx
        tx._y0 += dy
        tx._x = tx._x0
        tx._y = tx._y0

    def word_space(self, space: float) -> None:
        self.tx._wordSpace = space
        self.code.append("%s Tw" % fp_str(space))

    def text(self, text: str, line_end: bool) -> None:
        """``tx._textOut(text, line_end)`` in a TrueType font without shaping."""
        tx = self.tx
        font = getFont(tx._fontname)
        doc = self.doc
        parts = []
        for subset, t in font.splitString(text, doc):
            if subset != tx._curSubset:
                key = (tx._fontsize, tx._leading)
                size = _SIZES.get(key)
                if size is None:
                    size = _SIZES[key] = f"{fp_str(tx._fontsize)} Tf {fp_str(tx._leading)} TL"
                parts.append(f"{font.getSubsetInternalName(subset, doc)} {size}")
                tx._curSubset = subset
            parts.append(f"({escapePDF(t)}) Tj")
        self.code.append(" ".join(parts) + " T*" if line_end else " ".join(parts))

    def fill(self, color) -> None:
        """``tx.setFillColor(color)``; an opaque RGB colour at the opacity the page already has
        writes its operator only."""
        tx = self.tx
        alpha = getattr(color, "alpha", None)
        if (color.__class__ is Color and tx._enforceColorSpace is None and alpha.__class__ in (int, float)
                and 0 <= alpha <= 1 and tx._canvas._extgstate.getValue("ca") == alpha):
            rgb = (color.red, color.green, color.blue)
            op = _RG.get(rgb)
            if op is None:
                op = _RG[rgb] = "%s rg" % fp_str(rgb)
            tx._fillColorObj = color
            tx._code.append(op)
            self.doc.ensureMinPdfVersion("transparency")  # as setFillAlpha does, though it sets nothing
        else:
            tx.setFillColor(color)

    def words(self, alignment, offset: float, space: float, words: list[str], last) -> None:
        """One line of a paragraph in one style (``_leftDrawParaLine`` and its siblings)."""
        text = " ".join(words)
        if alignment == TA_JUSTIFY:
            simple = (-1e-8 < space <= 1e-8) or (last and space > -1e-8)
        else:
            simple = space > -1e-8
        if not simple:
            spaces = len(words) + text.count("\xa0") - 1
            simple = spaces <= 0
        if alignment in (TA_JUSTIFY, TA_LEFT):
            m = offset
            self.move(m)
            if not simple:
                self.word_space(space / float(spaces))
            self.text(text, True)
            if not simple:
                self.word_space(0)
        elif simple:
            m = offset + (0.5 * space if alignment == TA_CENTER else space)
            self.move(m)
            self.text(text, True)
        else:  # ReportLab sets the word spacing before the move here
            m = offset
            self.word_space(space / float(spaces))
            self.move(m)
            self.text(text, True)
            self.word_space(0)
        self.move(-m)

    def runs(self, alignment, offset: float, line, last) -> None:
        """One line of runs in several styles (``_leftDrawParaLineX`` and its siblings)."""
        space = line.extraSpace
        if alignment == TA_JUSTIFY:
            self.move(offset)
            simple = line.lineBreak or (-1e-8 < space <= 1e-8) or (last and space > -1e-8)
        else:
            if alignment == TA_LEFT:
                self.move(offset)
            simple = space > -1e-8
        if not simple:
            spaces = line.wordCount + sum([w.text.count("\xa0") for w in line.words]) - 1
            simple = spaces <= 0
        m = offset
        if simple:
            if alignment == TA_CENTER:
                m = offset + 0.5 * space
                self.move(m)
            elif alignment == TA_RIGHT:
                m = offset + space
                self.move(m)
            self.put(m, line)
        else:
            self.word_space(space / float(spaces))
            self.put(m, line)
            self.word_space(0)
        self.move(-m)

    def put(self, cur_x: float, line) -> None:
        """``_putFragLine`` for runs of text: a line without links or anchors is only its
        operators (nothing measured); one with them is measured as ReportLab measures it,
        to place each link's rectangle and each anchor."""
        tx = self.tx
        if tx._leading != self.leading:
            tx.setLeading(self.leading)
        words = line.words
        for f in words:
            if f.link or "cbDefn" in f.__dict__:
                self.put_placed(cur_x, words)
                return
        end = words[-1]
        for f in words:
            fontSize = f.fontSize
            if tx._fontname != f.fontName or tx._fontsize != fontSize:
                tx._fontname = f.fontName  # tx._setFont for a TrueType font: no operator yet
                tx._fontsize = fontSize
                tx._curSubset = -1
            textColor = f.textColor
            if self.text_color != textColor:
                self.text_color = textColor
                self.fill(textColor)
            rise = f.rise
            if self.rise != rise:
                self.rise = rise
                tx.setRise(rise)
            self.text(f.text, f is end)

    def put_placed(self, cur_x: float, words) -> None:
        """The rest of ``_putFragLine`` and ``_do_post_text`` for a line with links or anchors."""
        tx = self.tx
        canvas = tx._canvas
        leading = self.leading
        cur_x += self.left_indent
        ws = getattr(tx, "_wordSpace", 0)
        nSpaces = 0
        AL = []
        links = {}
        for i, f in enumerate(words):
            if "cbDefn" in f.__dict__:  # an anchor
                canvas.bookmarkHorizontal(f.cbDefn.name, cur_x, self.cur_y + leading)
                if f is words[-1]:
                    if not tx._fontname:
                        tx.setFont(self.style.fontName, self.style.fontSize)
                    tx._textOut("", 1)
                continue
            cur_x_s = cur_x + nSpaces * ws
            fontSize = f.fontSize
            textColor = f.textColor
            rise = f.rise
            if AL != f.link:
                end_x = cur_x_s
                if i > 0:
                    end_x = cur_x_s - paragraph._trailingSpaceLength(words[i - 1].text, tx)
            if tx._fontname != f.fontName or tx._fontsize != fontSize:
                tx._fontname = f.fontName
                tx._fontsize = fontSize
                tx._curSubset = -1
            if self.text_color != textColor:
                self.text_color = textColor
                self.fill(textColor)
            if self.rise != rise:
                self.rise = rise
                tx.setRise(rise)
            if AL != f.link:
                S = set(AL)
                NS = set(f.link)
                nAL = NS - S
                for link in S - NS:
                    links[link] = links[link], end_x
            text = f.text
            self.text(text, f is words[-1])
            nlo = rise - 0.2 * fontSize
            nhi = rise + fontSize
            if AL != f.link:
                for link in nAL:
                    links[link] = (link, cur_x), nlo, nhi
                AL = f.link
            if AL:
                for link in AL:
                    l0, lo, hi = links[link]
                    if nlo < lo or nhi > hi:
                        links[link] = l0, min(nlo, lo), max(nhi, hi)
            cur_x += paragraph.stringWidth(text, tx._fontname, tx._fontsize)
            nSpaces += text.count(" ") + text.count("\xa0")
        cur_x_s = cur_x + (nSpaces - 1) * ws
        if AL:
            for link in AL:
                links[link] = links[link], cur_x_s
        y0 = self.cur_y
        for (((n, link), x1), lo, hi), x2 in sorted(links.values()):
            paragraph._doLink(tx, link, (x1, y0 + lo, x2, y0 + hi))


draw_para.original = _draw_para


def install() -> None:
    """Draw plain paragraphs this way in every document of this process (idempotent)."""
    paragraph.Paragraph.drawPara = draw_para
