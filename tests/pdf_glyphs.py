"""Read a PDF back and count characters drawn as the font's empty box (.notdef).

ReportLab draws a character its font lacks with the font's ``.notdef`` glyph and
says nothing; this finds them in the content streams through each embedded
font's own cmap, independently of how studygen decides what it can print.
"""

from __future__ import annotations

import io

import pypdf
from fontTools.ttLib import TTFont


def _cmaps(page) -> dict[str, dict[int, str]]:
    cmaps = {}
    for name, ref in page["/Resources"].get("/Font", {}).items():
        font = ref.get_object()
        program = font["/FontDescriptor"]["/FontFile2"].get_object().get_data()
        mapping: dict[int, str] = {}
        for table in TTFont(io.BytesIO(program))["cmap"].tables:
            mapping.update(table.cmap)
        cmaps[name] = mapping
    return cmaps


def boxes(data: bytes) -> int:
    """How many characters of the PDF are drawn as .notdef boxes."""
    reader = pypdf.PdfReader(io.BytesIO(data))
    count = 0
    for page in reader.pages:
        cmaps = _cmaps(page)
        font = None
        for args, op in pypdf.generic.ContentStream(page.get_contents(), reader).operations:
            if op == b"Tf":
                font = args[0]
            elif op in (b"Tj", b"TJ", b"'", b'"'):
                for item in (args[0] if op == b"TJ" else [args[-1]]):
                    if isinstance(item, (int, float)):
                        continue
                    codes = item.original_bytes if hasattr(item, "original_bytes") else bytes(item, "latin-1")
                    count += sum(1 for code in codes if cmaps[font].get(code, ".notdef") == ".notdef")
    return count
