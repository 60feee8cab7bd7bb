"""ReportLab's ``Paragraph.breakLines`` for the paragraphs studygen makes, doing less work per word.

Breaking paragraphs into lines is the largest single cost of laying out the
explainer and every card face of the card sheets.  ReportLab's version takes
each word off the front of a list (``pop(0)``, quadratic in the words of a
paragraph), measures the width of a space again for every word and for every
text run already on the line, copies each run with a keyword-argument call, and
compares the style of each word with the run it joins even when both come from
the same fragment.  This is the same algorithm, statement for statement, with
those costs removed: words are taken off the end of a reversed list, a space's
width and a font's ascent and descent are looked up once per font and size, a
word of the fragment the current run was copied from joins it without a style
comparison (the copy differs from its fragment only in its text), and the
splitting of a paragraph's text into words is done without ReportLab's generic
branches for images.  Hyphenation, soft hyphens and the cutting of long words
call ReportLab's own functions.

Paragraphs this does not reproduce go to ReportLab's own ``breakLines``: right
to left or shaped text, leader dots (``endDots``), images in the text,
``autoLeading``, a hyphenation language given by name, and paragraphs that are
parts of an earlier paragraph holding images.  The lines, their fields and the
paragraph's attributes are the library's (``tests/test_linebreak.py`` compares
them over generated markup), so the output bytes do not change.
"""

from __future__ import annotations

from string import whitespace

from reportlab.lib.abag import ABag
from reportlab.platypus import paragraph as rl
from reportlab.platypus.paraparser import ParaFrag

from generator.render.pdf import widths

_original = getattr(rl.Paragraph.breakLines, "original", rl.Paragraph.breakLines)

_FK_TEXT, _FK_IMG, _FK_BREAK = rl._FK_TEXT, rl._FK_IMG, rl._FK_BREAK
_shy = rl._shy
_HSFrag, _SHYWord, _SHYWordHS = rl._HSFrag, rl._SHYWord, rl._SHYWordHS
_SHYIndexedStr, _InjectedFrag = rl._SHYIndexedStr, rl._InjectedFrag
_SplitFrag, _SplitFragH = rl._SplitFrag, rl._SplitFragH
_SplitWord, _SplitWordH, _SHYStr = rl._SplitWord, rl._SplitWordH, rl._SHYStr
FragLine, ParaLines = rl.FragLine, rl.ParaLines
_wsc = rl._wsc
_new = object.__new__
_clone_method = ABag.clone
_unknown = {}.get  # no width remembered: each word is measured by the stringWidth given


def _remembered(stringWidth, fontName, fontSize, encoding="utf8"):
    """A word's width as studygen's measure remembers it, or None: with that measure, a word
    measured before is read from its font's table without a call (a paragraph's words are
    mostly known: every pass, every width)."""
    known = widths.table(fontName, fontSize, encoding) if stringWidth is widths._string_width else None
    return _unknown if known is None else known.get


def _clone(f):
    """``f.clone()``: a fragment without its own clone method gets its attributes copied directly."""
    if f.__class__ is ParaFrag:
        g = _new(ParaFrag)
        g.__dict__.update(f.__dict__)
        return g
    return f.clone()


def _split(text):
    # ReportLab's ``split``: a no-break space is no word boundary, so such text is split by its pattern.
    return rl._wsc_re_split(text) if "\xa0" in text else text.split()


def _frag_words(frags, stringWidth):
    """ReportLab's ``_getFragWords`` for fragments as parsed (not the words of a split paragraph):
    [width, (fragment, text), ...] per word.  None if a fragment is an image (left to ReportLab)."""
    R = []
    aR = R.append
    W = []
    hangingSpace = False
    n = 0
    hangingStrip = True
    shyIndices = False
    for f in frags:
        text = f.text
        if text != '':
            f._fkind = _FK_TEXT
            if hangingStrip:
                text = text.lstrip(_wsc)
                if not text:
                    continue
                hangingStrip = False
            S = _split(text)
            if text[0] in whitespace or not S:
                if W:
                    W.insert(0, n)
                    aR(_SHYWord(W) if shyIndices else W)
                    whs = hangingSpace
                    W = []
                    shyIndices = False
                    hangingSpace = False
                    n = 0
                else:
                    whs = R and isinstance(R[-1], _HSFrag)
                if not whs:
                    S.insert(0, '')
                elif not S:
                    continue
            fontName = f.fontName
            fontSize = f.fontSize
            known = _remembered(stringWidth, fontName, fontSize)
            last = S.pop()
            for w in S:
                if _shy in w:
                    w = _SHYIndexedStr(w)
                    shyIndices = True
                ww = known(w)
                if ww is None:
                    ww = stringWidth(w, fontName, fontSize)
                if W:
                    W.append((f, w))
                    W.insert(0, n + ww)
                    aR(_SHYWordHS(W) if shyIndices else _HSFrag(W))
                    W = []
                    shyIndices = False
                    n = 0
                else:
                    width = n + ww
                    aR(_SHYWordHS([width, (f, w)]) if shyIndices else _HSFrag([width, (f, w)]))
                    shyIndices = False
            hangingSpace = False
            w = last
            if _shy in w:
                w = _SHYIndexedStr(w)
                shyIndices = True
            W.append((f, w))
            ww = known(w)
            n += stringWidth(w, fontName, fontSize) if ww is None else ww
            if text[-1] in whitespace:
                W.insert(0, n)
                aR(_SHYWord(W) if shyIndices else _HSFrag(W))
                W = []
                shyIndices = False
                n = 0
        elif hasattr(f, 'cbDefn'):
            if getattr(f.cbDefn, 'width', 0):
                return None
            f._fkind = rl._FK_APPEND
            if not W and R and isinstance(R[-1], _HSFrag):
                R[-1].append((f, ''))
            else:
                W.append((f, ''))
        elif hasattr(f, 'lineBreak'):
            if W:
                W.insert(0, n)
                aR(W)
                W = []
                n = 0
                shyIndices = False
                hangingSpace = False
            f._fkind = _FK_BREAK
            aR([0, (f, '')])
            hangingStrip = True
    if W:
        W.insert(0, n)
        aR(_SHYWord(W) if shyIndices else W)
    if not R:
        if frags:
            f = frags[0]
            f._fkind = _FK_TEXT
            R = [[0, (f, '')]]
    return R


def _has_image(words) -> bool:
    """Whether the words of a split paragraph hold an image."""
    for w in words:
        for f, _ in w[1:]:
            if getattr(f, '_fkind', None) == _FK_IMG or getattr(getattr(f, 'cbDefn', None), 'width', 0):
                return True
    return False


def break_lines(self, width):
    """``Paragraph.breakLines(width)``, with the same result and the same changes to the paragraph."""
    style = self.style
    frags = self.frags
    hyphenator = getattr(style, 'hyphenationLang', '')
    if (style.wordWrap or style.shaping or style.endDots or not frags
            or (hyphenator and not callable(hyphenator))
            or getattr(self, 'autoLeading', getattr(style, 'autoLeading', '')) not in ('', 'off')):
        return _original(self, width)
    single = len(frags) == 1 and not (hasattr(frags[0], 'cbDefn') or hasattr(frags[0], 'backColor')
                                      or rl._processed_frags(frags))
    if single:
        f = frags[0]
        if not hasattr(f, 'text') and isinstance(f.words, rl.BidiList):
            return _original(self, width)
        words = None
    else:
        processed = rl._processed_frags(frags)
        if processed:
            if _has_image(frags):
                return _original(self, width)
        else:
            words = _frag_words(frags, rl.stringWidth)
            if words is None:
                return _original(self, width)
    stringWidth = rl.stringWidth
    getAscentDescent = rl.getAscentDescent

    self._width_max = 0
    maxWidths = width if isinstance(width, (tuple, list)) else [width]
    self.height = lineno = 0
    maxlineno = len(maxWidths) - 1
    if not hyphenator:
        hyphenator = None
    uriWasteReduce = style.uriWasteReduce
    embeddedHyphenation = style.embeddedHyphenation
    hyphenation2 = embeddedHyphenation > 1
    spaceShrinkage = style.spaceShrinkage
    splitLongWords = style.splitLongWords
    attemptHyphenation = hyphenator or uriWasteReduce or embeddedHyphenation
    if attemptHyphenation:
        hymwl = getattr(style, 'hyphenationMinWordLength', rl.hyphenationMinWordLength)
    self._splitLongWordCount = self._hyphenations = 0
    rl._handleBulletWidth(self.bulletText, style, maxWidths)
    maxWidth = maxWidths[0]
    if single:
        return _simple(self, f, maxWidths, maxWidth, maxlineno, hyphenator, uriWasteReduce,
                       embeddedHyphenation, hyphenation2, spaceShrinkage, splitLongWords, attemptHyphenation,
                       hymwl if attemptHyphenation else None, stringWidth, getAscentDescent)
    if processed:
        words = rl._getFragWords(frags, maxWidth)
    return _runs(self, words, maxWidths, maxWidth, maxlineno, hyphenator, uriWasteReduce,
                 embeddedHyphenation, hyphenation2, spaceShrinkage, splitLongWords, attemptHyphenation,
                 hymwl if attemptHyphenation else None, stringWidth, getAscentDescent)


def _simple(self, f, maxWidths, maxWidth, maxlineno, hyphenator, uriWasteReduce, embeddedHyphenation,
            hyphenation2, spaceShrinkage, splitLongWords, attemptHyphenation, hymwl, stringWidth,
            getAscentDescent):
    """One fragment of text: lines of (unused width, words)."""
    lineno = 0
    lines = []
    fontSize = f.fontSize
    fontName = f.fontName
    ascent, descent = getAscentDescent(fontName, fontSize)
    if hasattr(f, 'text'):
        text = f.text.strip(_wsc)
        if not text:
            return f.clone(kind=0, lines=[], ascent=ascent, descent=descent, fontSize=fontSize)
        words = _split(text)
    else:
        words = f.words[:]
        for w in words:
            if w.strip(_wsc):
                break
        else:
            return f.clone(kind=0, lines=[], ascent=ascent, descent=descent, fontSize=fontSize)
    encoding = self.encoding
    known = _remembered(stringWidth, fontName, fontSize, encoding)
    spaceWidth = stringWidth(' ', fontName, fontSize, encoding)
    dSpaceShrink = spaceShrinkage * spaceWidth
    cLine = []
    currentWidth = -spaceWidth  # so that the first word adds no space
    hyw = stringWidth('-', fontName, fontSize, encoding)
    forcedSplit = 0
    width_max = 0
    words.reverse()  # the next word is the last
    pop = words.pop
    push = words.append
    while words:
        word = pop()
        if not word and isinstance(word, _SplitWord):
            forcedSplit = 1
        elif _shy in word:
            word = _SHYStr(word)
        wordWidth = known(word)
        if wordWidth is None:
            wordWidth = stringWidth(word, fontName, fontSize, encoding)
        newWidth = currentWidth + spaceWidth + wordWidth
        limWidth = maxWidth + dSpaceShrink * len(cLine)
        if newWidth > limWidth and not (forcedSplit or isinstance(word, _SplitWordH)):
            if isinstance(word, _SHYStr):
                hsw = word.__shysplit__(fontName, fontSize, currentWidth + spaceWidth + hyw - 1e-8, limWidth,
                                        encoding=encoding)
                if hsw:
                    words.extend(reversed(hsw))
                    self._hyphenations += 1
                    forcedSplit = 1
                    continue
                elif len(cLine):
                    nMW = maxWidths[min(maxlineno, lineno)]
                    if hyphenation2 or (word._fsww + hyw + 1e-8) <= nMW:
                        hsw = word.__shysplit__(fontName, fontSize, 0 + hyw - 1e-8, nMW, encoding=encoding)
                        if hsw:
                            push(word)
                            forcedSplit = 1
                            word = None
                            newWidth = currentWidth
            elif attemptHyphenation:
                hyOk = not getattr(f, 'nobr', False)
                hsw = rl._hyphenateWord(hyphenator if hyOk else None, fontName, fontSize, word, wordWidth,
                                        newWidth, limWidth, uriWasteReduce if hyOk else False,
                                        embeddedHyphenation and hyOk, hymwl)
                if hsw:
                    words.extend(reversed(hsw))
                    self._hyphenations += 1
                    forcedSplit = 1
                    continue
                elif hyphenation2 and len(cLine):
                    hsw = rl._hyphenateWord(hyphenator if hyOk else None, fontName, fontSize, word, wordWidth,
                                            wordWidth, maxWidth, uriWasteReduce if hyOk else False,
                                            embeddedHyphenation and hyOk, hymwl)
                    if hsw:
                        push(word)
                        forcedSplit = 1
                        newWidth = currentWidth
                        word = None
            if splitLongWords and not (isinstance(word, _SplitWord) or forcedSplit):
                nmw = min(lineno, maxlineno)
                if wordWidth > max(maxWidths[nmw:nmw + 1]):
                    words.extend(reversed(rl._splitWord(word, currentWidth + spaceWidth, maxWidths, lineno,
                                                         fontName, fontSize, encoding)))
                    self._splitLongWordCount += 1
                    forcedSplit = 1
                    continue
        if newWidth <= limWidth or not cLine or forcedSplit:
            if word:
                cLine.append(word)
            if forcedSplit:
                forcedSplit = 0
                if newWidth > width_max:
                    width_max = newWidth
                lines.append((maxWidth - newWidth, cLine))
                cLine = []
                currentWidth = -spaceWidth
                lineno += 1
                maxWidth = maxWidths[min(maxlineno, lineno)]
            else:
                currentWidth = newWidth
        else:
            if currentWidth > width_max:
                width_max = currentWidth
            lines.append((maxWidth - currentWidth, cLine))
            cLine = [word]
            currentWidth = wordWidth
            lineno += 1
            maxWidth = maxWidths[min(maxlineno, lineno)]
    if cLine != []:
        if currentWidth > width_max:
            width_max = currentWidth
        lines.append((maxWidth - currentWidth, cLine))
    self._width_max = width_max
    return f.clone(kind=0, lines=lines, ascent=ascent, descent=descent, fontSize=fontSize)


def _runs(self, _words, maxWidths, maxWidth, maxlineno, hyphenator, uriWasteReduce, embeddedHyphenation,
          hyphenation2, spaceShrinkage, splitLongWords, attemptHyphenation, hymwl, stringWidth,
          getAscentDescent):
    """Several fragments: lines of runs (``FragLine``), and the paragraph's words kept as its frags."""
    sameFrag = rl.sameFrag
    lineno = 0
    lines = []
    width_max = 0
    njlbv = not self.style.justifyBreaks
    words = []
    FW = []
    aFW = FW.append
    spaces = {}  # (font, size) -> width of a space
    extents = {}  # (font, size) -> (ascent, descent)

    def space(fontName, fontSize):
        w = spaces.get((fontName, fontSize))
        if w is None:
            w = spaces[fontName, fontSize] = stringWidth(' ', fontName, fontSize)
        return w

    def extent(fontName, fontSize):
        e = extents.get((fontName, fontSize))
        if e is None:
            e = extents[fontName, fontSize] = getAscentDescent(fontName, fontSize)
        return e

    # The lookups below are written out where they run for every word (a call costs more than the lookup).
    spaces_get = spaces.get
    extents_get = extents.get

    def injected_break(f):
        return _InjectedFrag([0, (f.clone(_fkind=_FK_BREAK, text=''), '')])

    source = None  # the fragment the last run on the line (g) was copied from
    # The fragment of the last word placed, with its ascent, descent and (once measured) space:
    # a fragment's words come one after another, so most words skip the lookups by font and size.
    known = knownAscent = knownDescent = knownSpace = None
    g = None
    sFW = 0
    _words.reverse()  # the next word is the last
    pop = _words.pop
    push = _words.append
    while _words:
        w = pop()
        aFW(w)
        last = f = w[-1][0]
        fontName = f.fontName
        fontSize = f.fontSize

        if not words:
            n = spaceWidth = currentWidth = 0
            maxSize = fontSize
            maxAscent, minDescent = extent(fontName, fontSize)

        wordWidth = w[0]
        f = w[1][0]
        if wordWidth > 0:
            newWidth = currentWidth + spaceWidth + wordWidth
        else:
            newWidth = currentWidth

        lineBreak = f._fkind == _FK_BREAK
        limWidth = maxWidth
        # The room spaces may shrink by only matters to a word that does not fit without it
        # (each line's spaces were counted again for every word: a tenth of the breaking).
        if spaceShrinkage and (newWidth > maxWidth or spaceShrinkage < 0):
            spaceShrink = spaceWidth
            for wi in words:
                if wi._fkind == _FK_TEXT:
                    ns = wi.text.count(' ')
                    if ns:
                        sw = spaces_get((wi.fontName, wi.fontSize))
                        spaceShrink += ns * (space(wi.fontName, wi.fontSize) if sw is None else sw)
            spaceShrink *= spaceShrinkage
            limWidth += spaceShrink
        if not lineBreak and newWidth > limWidth and not isinstance(w, rl._SplitFragH) and not hasattr(f, 'cbDefn'):
            if isinstance(w, _SHYWord):
                hsw = w.shyphenate(newWidth, limWidth)
                if hsw:
                    # ReportLab's order: head, a forced break, the rest
                    _words.extend(hsw[:0:-1])
                    push(injected_break(f))
                    push(hsw[0])
                    FW.pop(-1)  # this word is taken again
                    self._hyphenations += 1
                    continue
                elif len(FW) > 1:  # not the first word on the line
                    nMW = maxWidths[min(maxlineno, lineno)]
                    if hyphenation2 or w._fsww + 1e-8 <= nMW:
                        hsw = w.shyphenate(wordWidth, nMW)
                        if hsw:
                            push(w)
                            push(injected_break(f))
                            FW.pop(-1)
                            continue
            elif attemptHyphenation:
                hyOk = not getattr(f, 'nobr', False)
                hsw = rl._hyphenateFragWord(hyphenator if hyOk else None, w, newWidth, limWidth,
                                            uriWasteReduce if hyOk else False, embeddedHyphenation and hyOk, hymwl)
                if hsw:
                    _words.extend(hsw[:0:-1])
                    push(injected_break(f))
                    push(hsw[0])
                    FW.pop(-1)
                    self._hyphenations += 1
                    continue
                elif hyphenation2 and len(FW) > 1:
                    hsw = rl._hyphenateFragWord(hyphenator if hyOk else None, w, wordWidth, maxWidth,
                                                uriWasteReduce if hyOk else False, embeddedHyphenation and hyOk,
                                                hymwl)
                    if hsw:
                        push(w)
                        push(injected_break(f))
                        FW.pop(-1)
                        continue
            if splitLongWords and not isinstance(w, _SplitFrag):
                nmw = min(lineno, maxlineno)
                if wordWidth > max(maxWidths[nmw:nmw + 1]):
                    hsw = rl._splitFragWord(w, maxWidth - spaceWidth - currentWidth, maxWidths, lineno)
                    _words.extend(hsw[:0:-1])
                    push(injected_break(f))
                    push(hsw[0])
                    FW.pop(-1)
                    self._splitLongWordCount += 1
                    continue
        endLine = (newWidth > limWidth and n > 0) or lineBreak
        if not endLine:
            if lineBreak:
                continue
            nText = w[1][1]
            if nText:
                n += 1
            fontSize = f.fontSize
            if f is known:
                ascent = knownAscent
                descent = knownDescent
            else:
                e = extents_get((f.fontName, fontSize))
                ascent, descent = extent(f.fontName, fontSize) if e is None else e
                known = f
                knownAscent = ascent
                knownDescent = descent
                knownSpace = None
            if fontSize > maxSize:
                maxSize = fontSize
            if ascent > maxAscent:
                maxAscent = ascent
            if descent < minDescent:
                minDescent = descent
            if not words:
                g = _clone(f)
                source = f
                words = [g]
                g.text = nText
            elif not (source is f and 'cbDefn' not in f.__dict__ and 'lineBreak' not in f.__dict__
                      and f.__class__ is ParaFrag) and not sameFrag(g, f):
                if spaceWidth:
                    i = len(words) - 1
                    while i >= 0:
                        wi = words[i]
                        i -= 1
                        if wi._fkind == _FK_TEXT:
                            if not wi.text.endswith(' '):
                                wi.text += ' '
                            break
                g = _clone(f)
                source = f
                words.append(g)
                g.text = nText
            elif spaceWidth:
                if not g.text.endswith(' '):
                    g.text += ' ' + nText
                else:
                    g.text += nText
            else:
                g.text += nText

            if isinstance(w, _HSFrag):  # the space after this word
                # ReportLab measures it in the last fragment's font at the first one's size;
                # for a word of one fragment, that is the fragment's own space.
                if knownSpace is not None and last is f:
                    spaceWidth = knownSpace
                else:
                    spaceWidth = spaces_get((fontName, fontSize))
                    if spaceWidth is None:
                        spaceWidth = space(fontName, fontSize)
                    if last is f:
                        knownSpace = spaceWidth
            else:
                spaceWidth = 0

            ni = 0
            for i in w[2:]:
                source = i[0]
                g = _clone(source)
                g.text = i[1]
                if g.text:
                    ni = 1
                words.append(g)
                fontSize = g.fontSize
                e = extents_get((g.fontName, fontSize))
                ascent, descent = extent(g.fontName, fontSize) if e is None else e
                if fontSize > maxSize:
                    maxSize = fontSize
                if ascent > maxAscent:
                    maxAscent = ascent
                if descent < minDescent:
                    minDescent = descent
            if not nText and ni:
                n += 1
            currentWidth = newWidth
        else:  # the word does not fit, or a line break
            if lineBreak:
                g = _clone(f)
                source = f
                words.append(g)
                llb = njlbv and not isinstance(w, _InjectedFrag)
            else:
                llb = False

            if currentWidth > width_max:
                width_max = currentWidth
            lines.append(FragLine(extraSpace=maxWidth - currentWidth, wordCount=n,
                                  lineBreak=llb, words=words,
                                  fontSize=maxSize, ascent=maxAscent, descent=minDescent, maxWidth=maxWidth,
                                  sFW=sFW))
            sFW = len(FW) - 1

            lineno += 1
            maxWidth = maxWidths[min(maxlineno, lineno)]

            if lineBreak:
                words = []
                continue

            spaceWidth = space(fontName, fontSize) if isinstance(w, _HSFrag) else 0
            currentWidth = wordWidth
            n = 1
            g = _clone(f)
            source = f
            maxSize = g.fontSize
            maxAscent, minDescent = extent(g.fontName, maxSize)
            words = [g]
            g.text = w[1][1]

            for i in w[2:]:
                source = i[0]
                g = _clone(source)
                g.text = i[1]
                words.append(g)
                fontSize = g.fontSize
                e = extents_get((g.fontName, fontSize))
                ascent, descent = extent(g.fontName, fontSize) if e is None else e
                if fontSize > maxSize:
                    maxSize = fontSize
                if ascent > maxAscent:
                    maxAscent = ascent
                if descent < minDescent:
                    minDescent = descent

    if words:
        if currentWidth > width_max:
            width_max = currentWidth
        lines.append(FragLine(extraSpace=(maxWidth - currentWidth), wordCount=n, lineBreak=False,
                              words=words, fontSize=maxSize, ascent=maxAscent, descent=minDescent, maxWidth=maxWidth,
                              sFW=sFW))
    self._width_max = width_max
    self.frags = FW
    return ParaLines(kind=1, lines=lines)


break_lines.original = _original


def install() -> None:
    """Break every paragraph of this process into lines with ``break_lines`` (idempotent)."""
    rl.Paragraph.breakLines = break_lines
