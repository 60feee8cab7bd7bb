"""The PDF explainer, read back with pypdf and rendered with pypdfium2.

Expectations come from the loaded content, never from the renderer's own tables.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
import unicodedata
from pathlib import Path
from urllib.parse import unquote

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
from pypdf import PdfReader
from pypdf.generic import ContentStream

from generator import __version__
from generator.errors import RenderError
from generator.inline import cites, parse, plain
from generator.load import load
from generator.render import Options
from generator.render.pdf.explainer import render
from tests.conftest import CONTENT, ROOT, starter, write_content

PDF = "nmn-autophagy.pdf"
MM = 72 / 25.4
STANDARD_14 = ("Helvetica", "Times", "Courier", "Symbol", "ZapfDingbats")


def squash(text: str) -> str:
    """Compare text without whitespace and with ⁺ read as +, as extraction varies in both.

    Hyphens go too: a word hyphenated at a line end reads "evid-ence" when extracted,
    and a compound broken after its own hyphen cannot be told from that."""
    return "".join(unicodedata.normalize("NFKC", text).split()).replace("-", "").replace("\u00ad", "")


def plain_text(markup: str) -> str:
    return plain(parse(markup))


def page_texts(path: Path) -> list[str]:
    return [squash(page.extract_text()) for page in PdfReader(path).pages]


def body_text(path: Path, title: str) -> str:
    """The text of all pages without running heads and footers, so a paragraph or a
    table row that runs on to the next page reads as one."""
    head = re.escape(squash(plain_text(title)))
    footer = r"Contentversion\d+Page\d+of\d+"
    return "".join(re.sub(footer, "", re.sub(f"^{head}", "", text)) if i else re.sub(footer, "", text)
                   for i, text in enumerate(page_texts(path)))


@pytest.fixture(scope="module")
def shipped():
    return load(CONTENT).content


@pytest.fixture(scope="module")
def reader(built) -> PdfReader:
    return PdfReader(built / PDF)


@pytest.fixture(scope="module")
def letter(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("letter") / PDF
    path.write_bytes(render(load(CONTENT), Options(page_size="letter")))
    return path


def test_page_sizes_a4_and_letter(built, letter):
    for path, (width_mm, height_mm) in ((built / PDF, (210, 297)), (letter, (215.9, 279.4))):
        pages = PdfReader(path).pages
        assert len(pages) > 1
        for page in pages:
            assert abs(float(page.mediabox.width) - width_mm * MM) < 0.5
            assert abs(float(page.mediabox.height) - height_mm * MM) < 0.5


def test_metadata(reader, shipped):
    article = shipped.article
    meta = reader.metadata
    assert squash(meta.title) == squash(plain_text(article.title))
    assert meta.author == (article.editor or "studygen")
    assert squash(plain_text(article.summary)) == squash(meta.subject)
    assert [k.strip() for k in meta["/Keywords"].split(",")] == article.keywords
    assert meta.creator == f"studygen {__version__}"
    expected = dt.datetime.combine(article.version, dt.time(), dt.timezone.utc)
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        expected = max(expected, dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc))
    assert meta.creation_date == expected
    root = reader.trailer["/Root"]
    assert str(root["/Lang"]).startswith("en")
    assert root["/ViewerPreferences"]["/DisplayDocTitle"]


def test_author_defaults_to_studygen(tmp_path):
    data = starter()
    data["article"].pop("editor", None)
    path = tmp_path / PDF
    path.write_bytes(render(load(write_content(tmp_path / "c", data)), Options()))
    assert PdfReader(path).metadata.author == "studygen"


def test_outline_has_every_section_and_points_to_its_page(reader, shipped):
    texts = [squash(page.extract_text()) for page in reader.pages]
    entries = [(item.title, reader.get_destination_page_number(item)) for item in reader.outline]
    titles = [squash(title) for title, _ in entries]
    headings = [squash(plain_text(s.heading)) for s in shipped.sections]
    assert set(headings) <= set(titles)
    assert [page for _, page in entries] == sorted(page for _, page in entries)  # in reading order
    for title, page in entries:
        assert squash(title) in texts[page], (title, page)


def test_contents_lines_link_to_their_pages(built, reader, shipped):
    """Each contents line links to its section's page and prints that page's number."""
    outline = {squash(item.title): reader.get_destination_page_number(item) for item in reader.outline}
    headings = {squash(plain_text(s.heading)) for s in shipped.sections}
    first_section = min(outline[h] for h in headings)
    pdf = pdfium.PdfDocument(str(built / PDF))
    pages = {page.indirect_reference.idnum: i for i, page in enumerate(reader.pages)}
    listed: dict[str, tuple[int, int, float]] = {}  # heading -> (page shown on, target, bottom)
    numbers: list[tuple[int, float, int, int]] = []  # (page shown on, bottom, printed number, target)
    for index in range(first_section + 1):
        textpage = pdf[index].get_textpage()
        for annot in reader.pages[index].get("/Annots") or []:
            annot = annot.get_object()
            if "/Dest" not in annot:
                continue
            left, bottom, right, top = (float(v) for v in annot["/Rect"])
            # Trim the box a little: link boxes of neighbouring lines overlap.
            text = squash(textpage.get_text_bounded(left, bottom + 3, right, top - 3))
            target = pages[annot["/Dest"][0].idnum]
            if text in outline:
                listed[text] = (index, target, bottom)
            elif text.isdigit():
                numbers.append((index, bottom, int(text), target))
    for heading in headings:
        shown_on, target, bottom = listed[heading]
        assert target == outline[heading], heading
        # The page number printed on the same line names the same page.
        same_line = [(n, t) for page, b, n, t in numbers if page == shown_on and abs(b - bottom) < 4]
        assert same_line == [(target + 1, target)], heading


def text_fonts(reader: PdfReader) -> set[str]:
    """Base fonts that actually draw text: the font set by Tf when a text-showing operator runs."""
    drawing: set[str] = set()
    for page in reader.pages:
        fonts = page["/Resources"]["/Font"]
        current = None
        for operands, operator in ContentStream(page.get_contents(), reader).operations:
            if operator == b"Tf":
                current = str(fonts[operands[0]].get_object()["/BaseFont"])
            elif operator in (b"Tj", b"TJ", b"'", b'"'):
                drawing.add(current)
    return drawing


def embedded(font) -> bool:
    descendants = font.get("/DescendantFonts")
    target = descendants[0].get_object() if descendants else font
    descriptor = target.get("/FontDescriptor")
    return bool(descriptor and any(k in descriptor.get_object() for k in ("/FontFile", "/FontFile2", "/FontFile3")))


def test_every_font_is_embedded_and_none_is_standard(reader):
    fonts = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            fonts[str(font["/BaseFont"])] = font
    assert fonts and all(embedded(f) for f in fonts.values())
    assert not [name for name in fonts if any(s in name for s in STANDARD_14)]
    drawing = text_fonts(reader)
    assert drawing and drawing <= set(fonts)
    # Body, bold and italic text are all set in the shipped family's own faces.
    assert {"Bold", "Italic"} <= {face for name in drawing for face in ("Bold", "Italic") if face in name}


def appears(needle: str, text: str, start: int = 0) -> int:
    """Where ``needle`` starts in ``text``, also when a table row split across two pages put
    other cells' text (and the repeated header) between its two parts; -1 if nowhere."""
    # The earliest place wins: the same words may also stand whole further on (a later
    # section quoting the article), after a row split between pages.
    found = [at] if (at := text.find(needle, start)) >= 0 else []
    for k in range(4, len(needle) - 3):
        head = text.find(needle[:k], start)
        if head < 0 or found and head >= min(found):
            continue
        gap = text.find(needle[k:], head + k)
        if gap >= 0 and gap - (head + k) < 400:  # the rest of the row comes after the next page's header
            found.append(head)
    return min(found, default=-1)


def test_text_has_headings_claims_glossary_and_references(built, shipped):
    text = body_text(built / PDF, shipped.article.title)
    for section in shipped.sections:
        assert squash(plain_text(section.heading)) in text
    for claim in shipped.claims:
        assert appears(squash(claim.quote), text) >= 0, claim.id
        assert appears(squash(plain_text(claim.statement)), text) >= 0, claim.id
        assert claim.verdict.capitalize() in text
    for entry in shipped.glossary:
        assert squash(plain_text(entry.term)) in text
    for ref in shipped.references:
        if ref.doi:
            assert squash(ref.doi) in text
    assert squash(plain_text(shipped.article.notice)) in text


def test_claim_rows_read_in_order_and_the_header_repeats(built, letter, shipped):
    for path in (built / PDF, letter):
        texts = page_texts(path)
        body = body_text(path, shipped.article.title)
        at = 0
        for claim in shipped.claims:
            at = appears(squash(claim.quote), body, at)  # rows in content order
            assert at >= 0, claim.id
            assert appears(squash(plain_text(claim.statement)), body, at) >= at, claim.id
        header = squash("The article says")
        first = next(i for i, t in enumerate(texts) if squash(shipped.claims[0].quote) in t)
        end = squash(plain_text(shipped.claims[-1].statement))[-12:]
        last = max(i for i, t in enumerate(texts) if end in t)
        assert last > first
        assert all(header in texts[i] for i in range(first, last + 1))


def bold_text(reader: PdfReader) -> str:
    runs: list[str] = []

    def visit(text, cm, tm, font, size):
        if font is not None and "Bold" in str(font.get("/BaseFont", "")):
            runs.append(text)

    for page in reader.pages:
        page.extract_text(visitor_text=visit)
    return squash("".join(runs))


def test_glossary_terms_are_bold(reader, shipped):
    bold = bold_text(reader)
    for entry in shipped.glossary:
        assert squash(plain_text(entry.term)) in bold, entry.term


def links(reader: PdfReader) -> tuple[list[str], list[int]]:
    """URIs of web links and page numbers of internal links."""
    pages = {page.indirect_reference.idnum: i for i, page in enumerate(reader.pages)}
    uris, targets = [], []
    for page in reader.pages:
        for annot in page.get("/Annots") or []:
            annot = annot.get_object()
            if "/A" in annot and annot["/A"].get("/S") == "/URI":
                uris.append(str(annot["/A"]["/URI"]))
            elif "/Dest" in annot:
                targets.append(pages[annot["/Dest"][0].idnum])
    return uris, targets


def test_dois_are_links_and_citations_jump_to_the_references(reader, shipped):
    uris, targets = links(reader)
    decoded = {unquote(u) for u in uris}
    texts = [squash(page.extract_text()) for page in reader.pages]
    cited = {ref for s in shipped.sections for ref in cites(parse(s.body))}
    assert cited
    for ref in shipped.references:
        if ref.doi:
            assert f"https://doi.org/{ref.doi}" in decoded
            assert all(" " not in u and '"' not in u for u in uris)
        if ref.id in cited and ref.doi:
            home = [i for i, t in enumerate(texts) if squash(ref.doi) in t]
            assert set(home) & set(targets), ref.id


def test_footer_page_x_of_y_and_running_head(reader, shipped):
    texts = [squash(page.extract_text()) for page in reader.pages]
    total = len(texts)
    assert f"Page1of{total}" in texts[0]
    assert f"Page{total}of{total}" in texts[-1]
    for number, text in enumerate(texts, 1):
        assert f"Page{number}of{total}" in text
        assert squash(shipped.article.version.isoformat()) in text
    assert all(squash(plain_text(shipped.article.title))[:20] in t for t in texts[1:])


def margin_is_blank(image, band: int) -> bool:
    width, height = image.size
    boxes = [(0, 0, width, band), (0, height - band, width, height), (0, 0, band, height),
             (width - band, 0, width, height)]
    return all(image.crop(box).getextrema()[0] == 255 for box in boxes)


def check_rendered_pages(path: Path) -> list:
    """Render every page; nothing may be printed in the 18 mm band around it."""
    pdf = pdfium.PdfDocument(str(path))
    scale = 1.5
    pages = []
    for index, page in enumerate(pdf):
        image = page.render(scale=scale).to_pil().convert("L")
        assert margin_is_blank(image, int(18 * MM * scale) - 1), f"page {index + 1}"
        assert image.getextrema()[0] < 100, f"page {index + 1} is blank"
        pages.append((page, image))
    return pages


def test_rendered_pages_keep_the_margins_and_show_the_diagram(built, letter, shipped):
    check_rendered_pages(letter)
    pages = check_rendered_pages(built / PDF)
    labels = [squash(plain_text(step.label)) for step in shipped.pathway]
    diagram = [(page, image) for page, image in pages
               if all(label in squash(page.get_textpage().get_text_range()) for label in labels)]
    assert diagram
    page, image = diagram[0]
    paths = list(page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH]))
    assert len(paths) >= 2 * len(shipped.pathway) - 1  # a box per step, an arrow per link
    dark = sum(image.histogram()[:200])
    assert dark > 0.02 * image.size[0] * image.size[1]


def test_two_builds_are_byte_identical(built, tmp_path):
    out = tmp_path / "again"
    subprocess.run([sys.executable, "-m", "generator", "build", str(CONTENT), "-o", str(out), "--format", "pdf"],
                   check=True, cwd=ROOT, capture_output=True)
    assert (out / PDF).read_bytes() == (built / PDF).read_bytes()
    assert render(load(CONTENT), Options()) == (built / PDF).read_bytes()


def test_a_character_the_font_lacks_is_refused_by_name(tmp_path):
    data = starter()
    data["sections"][0]["body"] += " Checked ✓."
    path = write_content(tmp_path / "c", data)
    with pytest.raises(RenderError) as error:
        render(load(path), Options())
    message = str(error.value)
    assert str(path) in message and "sections[0]" in message and "U+2713" in message
    out = tmp_path / "out"
    result = subprocess.run([sys.executable, "-m", "generator", "build", str(path), "-o", str(out)],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 1 and "U+2713" in result.stderr and "Traceback" not in result.stderr
    assert not out.exists() or not any(out.iterdir())


def test_long_words_and_urls_wrap_inside_the_page(tmp_path):
    word = "w" * 200
    url = "https://example.org/" + "abcdefghij/" * 28
    long = f"Before {word} and {url} after"
    data = starter()
    data["article"]["title"] = long
    data["takeaways"][0]["text"] = long
    data["sections"][0]["heading"] = long
    data["sections"][0]["body"] = long
    data["claims"][0]["statement"] = long
    data["claims"][0]["note"] = long
    data["pathway"][0]["label"] = long
    data["pathway"][1]["detail"] = long
    data["glossary"][0]["term"] = long
    data["references"][0]["url"] = url
    data["references"][0]["title"] = long
    path = tmp_path / PDF
    path.write_bytes(render(load(write_content(tmp_path / "c", data)), Options()))
    check_rendered_pages(path)
    text = "".join(page_texts(path))
    assert text.count(squash(word)) >= 8 and text.count(squash(url)) >= 8


def test_diagram_svg_for_the_deck(shipped):
    import xml.etree.ElementTree as ET

    from generator.render.pdf.diagram import svg

    document = svg(shipped)
    assert document == svg(shipped)
    root = ET.fromstring(document.encode("utf-8"))
    text = squash("".join(el.text or "" for el in root.iter() if el.tag.endswith("text")))
    for step in shipped.pathway:
        assert squash(plain_text(step.label)) in text
