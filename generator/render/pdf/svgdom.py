"""The few parts of a DOM that ReportLab's SVG renderer uses, as plain lists and dictionaries.

``renderSVG`` builds each drawing as an ``xml.dom.minidom`` document and writes it with
``writexml``: for the diagram, about half of the renderer's time goes into minidom's
attribute nodes, its two comment nodes a shape (made and thrown away) and its writer.
Here an element is its tag, a dictionary of attributes (in the order they were first set,
as minidom keeps them) and a list of children, and the document is written as minidom
writes it, escaping as the running Python's minidom escapes (``tests/test_svgdom.py``
compares both over generated documents and diagrams).  minidom itself is not imported:
only the renderer's lookup of a DOM imported it, for about 2 ms.
"""

from __future__ import annotations

import sys
from contextlib import contextmanager

from reportlab.graphics import renderSVG

# From Python 3.13 minidom escapes a double quote in attribute values only, and line ends and
# tabs there too (CPython gh-50002).
_QUOTES_IN_ATTRIBUTES_ONLY = sys.version_info >= (3, 13)


class _Text:
    __slots__ = ("data",)

    def __init__(self, data):
        self.data = data


class _Element:
    __slots__ = ("tagName", "attributes", "childNodes")

    def __init__(self, tag):
        self.tagName = tag
        self.attributes = {}
        self.childNodes = []

    def setAttribute(self, name, value):
        self.attributes[name] = value

    def getAttribute(self, name):
        return self.attributes.get(name, "")

    def appendChild(self, node):
        self.childNodes.append(node)
        return node


class _DocumentType:
    def __init__(self, name, public_id, system_id):
        self.name, self.publicId, self.systemId = name, public_id, system_id


class _Document:
    def __init__(self, tag, doctype):
        self.doctype = doctype
        self.documentElement = _Element(tag)

    createElement = staticmethod(_Element)
    createTextNode = staticmethod(_Text)

    @staticmethod
    def createComment(data):
        return None  # the renderer makes one for each shape and never adds it

    def writexml(self, writer, indent="", addindent="", newl="", encoding=None):
        """``minidom.Document.writexml`` for a document of a doctype and one element."""
        out: list[str] = []
        declarations = [f'encoding="{encoding}"'] if encoding else []
        out.append(f'<?xml version="1.0" {" ".join(declarations)}?>{newl}')
        d = self.doctype
        out.append(f"<!DOCTYPE {d.name}")
        if d.publicId:
            out.append("%s  PUBLIC '%s'%s  '%s'" % (newl, d.publicId, newl, d.systemId))
        elif d.systemId:
            out.append("%s  SYSTEM '%s'" % (newl, d.systemId))
        out.append(">" + newl)
        _element(out, self.documentElement, indent, addindent, newl)
        writer.write("".join(out))


def _data(out: list, text: str, attribute: bool) -> None:
    """minidom's ``_write_data``."""
    if not text:
        return
    text = text.replace("&", "&amp;").replace("<", "&lt;")
    if not _QUOTES_IN_ATTRIBUTES_ONLY:
        text = text.replace("\"", "&quot;")
    text = text.replace(">", "&gt;")
    if attribute and _QUOTES_IN_ATTRIBUTES_ONLY:
        text = text.replace("\"", "&quot;").replace("\r", "&#13;").replace("\n", "&#10;").replace("\t", "&#9;")
    out.append(text)


def _element(out: list, element: _Element, indent: str, addindent: str, newl: str) -> None:
    """``minidom.Element.writexml``."""
    out.append(indent + "<" + element.tagName)
    for name, value in element.attributes.items():
        out.append(' %s="' % name)
        _data(out, value, True)
        out.append('"')
    children = element.childNodes
    if children:
        out.append(">")
        if len(children) == 1 and children[0].__class__ is _Text:
            _data(out, children[0].data, False)
        else:
            out.append(newl)
            inner = indent + addindent
            for child in children:
                if child.__class__ is _Text:
                    _data(out, "%s%s%s" % (inner, child.data, newl), False)
                else:
                    _element(out, child, inner, addindent, newl)
            out.append(indent)
        out.append("</%s>%s" % (element.tagName, newl))
    else:
        out.append("/>%s" % newl)


class _Implementation:
    @staticmethod
    def createDocumentType(name, public_id, system_id):
        return _DocumentType(name, public_id, system_id)

    @staticmethod
    def createDocument(namespace, tag, doctype):
        return _Document(tag, doctype)


_IMPLEMENTATION = _Implementation()


def _implementation(name=None, features=()):
    return _IMPLEMENTATION


@contextmanager
def used():
    """ReportLab's SVG renderer builds and writes its documents here while inside."""
    saved = renderSVG.getDOMImplementation
    renderSVG.getDOMImplementation = _implementation
    try:
        yield
    finally:
        renderSVG.getDOMImplementation = saved
