"""ReportLab paragraph fragments made from studygen's own paragraph markup, without
ReportLab's XML parser.

ReportLab reads a paragraph's markup with ``html.parser`` and, for every tag and
every run of text, calls a handler that copies the current fragment and sets its
attributes; a paragraph costs about a tenth of a millisecond per tag before any
line is broken, and the card sheets make each face again at every size they try.
studygen writes a small, fixed part of that markup (``text.esc`` and
``markup.to_reportlab``: ``b i super sub``, ``br``, ``a href color`` links, ``a name``
anchors and the four entities ``esc`` writes).  Here each paragraph's markup is cut
into runs once (kept per markup, whatever the style), and each run becomes a copy of
a template fragment: the fragment ReportLab's own parser makes for one character
under the same tags in the same style, made once per style and nesting.  The result
is what ``ParaParser`` gives, attribute by attribute, run by run
(``tests/test_frags.py`` compares them over generated markup).

Markup with anything else (another tag or entity, unbalanced tags, a link inside a
link, a style that transforms text or underlines links) is not read here:
``fragments`` then returns None and the caller gives the markup to ReportLab.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache

from reportlab.platypus.paraparser import ParaFrag, ParaParser
from reportlab.platypus.paragraph import cleanBlockQuotedText

_TOKEN = re.compile(
    r'<(/?)(b|i|super|sub)>'  # 1, 2: a span opens or closes
    r'|(<br/>)'  # 3
    r'|<a name="([^"<>&\s]+)"/>'  # 4: an anchor (ReportLab refuses a blank name)
    r'|<a href="([^"<>]*)" color="(#[0-9a-fA-F]{6})">'  # 5, 6: a link
    r'|(</a>)'  # 7
    r'|&(amp|lt|gt|quot);'  # 8
    r'|[<&]')  # anything else that is markup: not read here
_ENTITIES = {"amp": "&", "lt": "<", "gt": ">", "quot": '"'}
# White space ReportLab's cleaning changes other than runs of spaces and spaces at the ends
# (Python's white space, and ReportLab's, which adds U+200B; a no-break space stays).
_OTHER_SPACE = re.compile(r"[^\S \xa0]|\u200b")
_TEXT, _BREAK, _ANCHOR = 0, 1, 2


@lru_cache(maxsize=64)  # a card face is made at several sizes in a row
def _runs(markup: str, clean: bool):
    """(markup as ReportLab reads it, runs) or None.  A run is (open tags, kind, text or
    anchor name, link list or None), one per fragment ReportLab makes: html.parser hands
    over text up to each tag or entity, and each entity alone."""
    # Every character _OTHER_SPACE finds is unprintable, and str.isprintable is a far quicker scan.
    if clean and ("  " in markup or markup[:1] == " " or markup[-1:] == " "
                  or not markup.isprintable() and _OTHER_SPACE.search(markup)):
        markup = cleanBlockQuotedText(markup)
    runs = []
    path: tuple = ()
    link = None
    links = 0
    at = 0
    for m in _TOKEN.finditer(markup):
        start = m.start()
        if start > at:
            runs.append((path, _TEXT, markup[at:start], link))
        at = m.end()
        kind = m.lastindex
        if kind == 2:  # a span
            tag = m.group(2)
            if m.group(1):
                if not path or path[-1] != tag:
                    return None
                path = path[:-1]
            else:
                path += (tag,)
        elif kind == 8:
            runs.append((path, _TEXT, _ENTITIES[m.group(8)], link))
        elif kind == 3:
            runs.append((path, _BREAK, "", link))
        elif kind == 4:
            runs.append((path, _ANCHOR, m.group(4), link))
        elif kind == 6:
            if link is not None:
                return None
            # html.parser unescapes attribute values; ReportLab strips the target.  Every
            # fragment of one link shares its list, as in ReportLab's own parse.
            link = [(links, html.unescape(m.group(5)).strip())]
            links += 1
            path += (("a", m.group(6)),)
        elif kind == 7:
            if not path or path[-1].__class__ is not tuple:
                return None
            path = path[:-1]
            link = None
        else:
            return None
    if at < len(markup):
        runs.append((path, _TEXT, markup[at:], link))
    if path:
        return None  # unclosed tags: ReportLab's parser says what is wrong
    return markup, tuple(runs)


def _style_key(style) -> tuple:
    """What ReportLab's parser reads of a style for a paragraph's fragments (``_initial_frag``)."""
    g = getattr
    return (style.fontName, style.fontSize, id(style.textColor), g(style, "linkUnderline", None),
            g(style, "underlineWidth", ""), id(g(style, "underlineColor", "")), g(style, "underlineOffset", ""),
            g(style, "underlineGap", ""), g(style, "strikeWidth", ""), id(g(style, "strikeColor", "")),
            g(style, "strikeOffset", ""), g(style, "strikeGap", ""))


# style key -> (the objects whose ids the key holds, kept alive; {(tags, kind): template or None})
_templates: dict[tuple, tuple[tuple, dict]] = {}
_MAX_STYLES = 512


def _template(style, path: tuple, kind: int) -> dict | None:
    """The attributes of the fragment ReportLab makes for one run under ``path`` in ``style``:
    its parser's own handlers, called as html.parser calls them for such markup."""
    parser = ParaParser()
    parser._setup_for_parse(style)
    parser.start_para({})
    for tag in path:
        if tag.__class__ is tuple:
            parser.start_a({"href": "x", "color": tag[1]})
        else:
            getattr(parser, "start_" + tag)({})
    if kind == _TEXT:
        parser.handle_data("x")
    elif kind == _BREAK:
        parser.start_br({})
        parser.end_br()
    else:
        parser.start_a({"name": "x"})
        parser.end_a()
    found = parser.fragList
    if len(found) != 1 or getattr(parser, "bFragList", None) or parser.errors:
        return None
    attributes = found[0].__dict__  # a fragment's own: copies made by update() share its keys, as ReportLab's do
    linked = any(tag.__class__ is tuple for tag in path)
    if attributes.get("us_lines") or attributes.get("link") != ([(0, "x")] if linked else []):
        return None  # underlined links number their lines per paragraph: left to ReportLab
    if kind == _ANCHOR:
        defn = attributes.get("cbDefn")
        if defn is None or getattr(defn, "name", None) != "x":
            return None
    return attributes


def _of_style(style) -> dict:
    key = _style_key(style)
    entry = _templates.get(key)
    if entry is None:
        if len(_templates) >= _MAX_STYLES:
            _templates.clear()
        pinned = (style.textColor, getattr(style, "underlineColor", ""), getattr(style, "strikeColor", ""))
        entry = _templates[key] = (pinned, {})
    return entry[1]


BREAK, ANCHOR = _BREAK, _ANCHOR


def runs(markup: str):
    """(the cleaned markup, its runs) as ``fragments`` reads them, or None."""
    return _runs(markup, True)


def template(style, path: tuple, kind: int) -> dict | None:
    """The attributes of every fragment of a run under ``path`` in ``style`` but its text, or None."""
    templates = _of_style(style)
    found = templates.get((path, kind), False)
    if found is False:
        try:
            found = _template(style, path, kind)
        except Exception:  # as in fragments: left to ReportLab's parser
            found = None
        templates[path, kind] = found
    return found


def fragments(markup: str, style, clean: bool = True):
    """(the markup as ReportLab keeps it, its fragments in ``style``) as
    ``ParaParser().parse`` makes them, or None for markup or a style not read here.
    ``clean``: the markup is first cleaned as a Paragraph cleans it (white space runs
    become one space).  Every call makes new fragments: ReportLab changes them in place."""
    found = _runs(markup, clean)
    if found is None or getattr(style, "textTransform", None):
        return None
    templates = _of_style(style)
    cleaned, runs = found
    out = []
    new = ParaFrag.__new__
    for path, kind, text, link in runs:
        template = templates.get((path, kind), False)
        if template is False:
            try:
                template = _template(style, path, kind)
            except Exception:  # a font not registered...: ReportLab's parser says what is wrong
                return None
            templates[path, kind] = template
        if template is None:
            return None
        frag = new(ParaFrag)
        attributes = frag.__dict__
        attributes.update(template)
        if kind == _ANCHOR:
            attributes["cbDefn"] = template["cbDefn"].clone(name=text)
        else:
            attributes["text"] = text
        if link is not None:
            attributes["link"] = link
        out.append(frag)
    return cleaned, out
