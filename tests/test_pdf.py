"""The PDF, read back with pypdf and rendered with pypdfium2."""

from __future__ import annotations

from pypdf import PdfReader

from generator.inline import parse, plain
from generator.load import load
from tests.conftest import CONTENT

STANDARD_14 = ("Helvetica", "Times", "Courier", "Symbol", "ZapfDingbats")


def fonts(reader: PdfReader) -> dict[str, dict]:
    found = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            found[font["/BaseFont"]] = font
    return found


def embedded(font) -> bool:
    descendants = font.get("/DescendantFonts")
    target = descendants[0].get_object() if descendants else font
    descriptor = target.get("/FontDescriptor")
    return bool(descriptor and any(k in descriptor.get_object() for k in ("/FontFile", "/FontFile2", "/FontFile3")))


def test_text_fonts_and_render(built):
    content = load(CONTENT).content
    reader = PdfReader(built / "nmn-autophagy.pdf")
    text = " ".join(page.extract_text() for page in reader.pages)
    squashed = " ".join(text.split())
    for section in content.sections:
        assert " ".join(plain(parse(section.heading)).split()) in squashed
    assert "NAD+" in squashed.replace(" ", "") or "NAD⁺" in squashed
    found = fonts(reader)
    assert found and all(embedded(f) for f in found.values())
    assert not [name for name in found if any(s in name for s in STANDARD_14)]
    assert reader.metadata.title == plain(parse(content.article.title))

    import pypdfium2 as pdfium
    pdf = pdfium.PdfDocument(str(built / "nmn-autophagy.pdf"))
    image = pdf[0].render(scale=1).to_pil().convert("L")
    assert image.getextrema()[0] < 100  # something dark is printed on page 1
