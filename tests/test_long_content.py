"""Long content lays out (across pages) or is refused by name; it never stops the layout
with an internal error.  Every printed field is tried, on both paper sizes."""

from __future__ import annotations

import io

import pypdf
import pytest

from generator.build import check_all
from generator.errors import ContentError
from generator.load import load_all
from generator.render import FORMATS, Options
from tests.conftest import starter, write_content

WORDS = "autophagy sirtuin supplement evidence trial mouse cell nicotinamide".split()

FIELDS = [("article", None, key) for key in ("title", "subtitle", "summary", "notice")] + [
    ("takeaways", 0, "text"), ("sections", 0, "heading"), ("sections", 0, "body"), ("claims", 0, "statement"),
    ("claims", 0, "note"), ("pathway", 0, "label"), ("pathway", 0, "detail"), ("glossary", 0, "term"),
    ("glossary", 0, "definition"), ("references", 0, "authors"), ("references", 0, "title"),
    ("references", 0, "journal"), ("references", 0, "note"), ("cards", 0, "front"), ("cards", 0, "back")]


def words(n: int, spaced: bool = True) -> str:
    return (" " if spaced else "").join((WORDS * (n // len(WORDS) + 1))[:n])


def render_all(path, options: Options) -> dict[str, bytes]:
    """Check, then render the PDFs, as build does; a ContentError is the one allowed refusal."""
    doc = load_all([path])[0]
    check_all([(doc, FORMATS[name]) for name in ("pdf", "cards")], options)
    return {name: FORMATS[name].renderer().render(doc, options) for name in ("pdf", "cards")}


CASES = [(field, page_size, True) for field in FIELDS for page_size in ("a4", "letter")] + [
    (field, "a4", False) for field in FIELDS if field[2] in ("title", "heading", "body", "label", "term", "back")]


@pytest.mark.parametrize("field, page_size, spaced", CASES,
                         ids=[f"{f[0]}.{f[2]}-{p}-{'words' if s else 'one-word'}" for f, p, s in CASES])
def test_long_text_in_any_field_lays_out_or_is_refused_by_name(tmp_path, field, page_size, spaced):
    table, index, key = field
    data = starter()
    (data[table] if index is None else data[table][index])[key] = words(1500, spaced)
    path = write_content(tmp_path / "content", data)
    try:
        pdfs = render_all(path, Options(page_size=page_size))
    except ContentError as error:  # refused: every problem names this field
        where = (f"{table}[{index}]" if index is not None else f"{table}.{key}",)
        if (table, key) == ("references", "authors"):
            where += ("cards[",)  # printed cards cite by the authors' names
        problems = [p for found in error.problems.values() for p in found]
        assert problems and all(p.where.startswith(where) for p in problems), problems
        if (table, key) != ("references", "authors"):
            assert any(p.where.endswith(f".{key}") for p in problems), problems  # the field itself is named
        return
    for data in pdfs.values():
        assert len(pypdf.PdfReader(io.BytesIO(data)).pages) >= 1


def test_the_contents_of_many_sections_start_on_page_one(tmp_path):
    """A contents list longer than what is left of page 1 starts there, not on page 2."""
    data = starter()
    data["sections"] = [{"id": f"s{i}", "heading": f"Section {i}", "body": "Short."} for i in range(45)]
    path = write_content(tmp_path / "content", data)
    pdf = render_all(path, Options())["pdf"]
    first = pypdf.PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "Contents" in first and "Section 0" in first


def test_a_long_pathway_splits_across_pages_at_a_legible_size(tmp_path):
    import pypdfium2 as pdfium
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from generator.render.pdf.diagram import DETAIL_FONT, DETAIL_SIZE

    data = starter()
    steps = data["pathway"]
    data["pathway"] = [dict(steps[i % len(steps)], id=f"p{i}", detail=f"zymogen {words(120)}") for i in range(8)]
    path = write_content(tmp_path / "content", data)
    pdf = pdfium.PdfDocument(render_all(path, Options())["pdf"])
    scales, pages = [], set()
    for number in range(len(pdf)):
        text = pdf[number].get_textpage()
        search = text.search("zymogen", match_case=True, match_whole_word=True)
        while hit := search.get_next():
            first, count = hit
            width = text.get_charbox(first + count - 1)[2] - text.get_charbox(first)[0]
            scales.append(width / stringWidth("zymogen", DETAIL_FONT, DETAIL_SIZE))
            pages.add(number)
    assert len(scales) == 8  # every step's detail is printed
    assert len(pages) > 1  # on more than one page
    assert min(scales) > 0.8  # and not shrunk to an illegible size (it was 0.54)


def test_card_sheet_title_reads_as_the_explainer_title(tmp_path):
    data = starter()
    ref = data["references"][0]["id"]
    data["article"]["title"] = f"NAD^{{+}} and **autophagy** [@{ref}]"
    path = write_content(tmp_path / "content", data)
    pdfs = render_all(path, Options())
    explainer = pypdf.PdfReader(io.BytesIO(pdfs["pdf"])).metadata.title
    cards = pypdf.PdfReader(io.BytesIO(pdfs["cards"])).metadata.title
    assert explainer == "NAD⁺ and autophagy [1]"
    assert cards == f"{explainer}: flashcards"
