"""Print typography of the explainer, checked on rendered A4 and Letter pages.

Pages are read back with pypdfium2 (text, character boxes and pixels); expected
orders and counts are computed here from the content, not taken from the renderer.
"""

from __future__ import annotations

import re
import unicodedata
import xml.etree.ElementTree as ET
from pathlib import Path

import pypdf
import pypdfium2 as pdfium
import pytest

from generator.inline import parse, plain
from generator.load import load
from generator.render import Options
from generator.render.pdf.explainer import render
from tests.conftest import CONTENT, starter, write_content

MM = 72 / 25.4
MARGIN = 20 * MM  # the README's promise: at least 20 mm of blank paper on every side


def squash(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split()).replace("-", "")


def markup_text(markup: str) -> str:
    return " ".join(plain(parse(markup)).split())


@pytest.fixture(scope="module", params=["a4", "letter"])
def shipped_pdf(request, tmp_path_factory) -> tuple[str, Path]:
    path = tmp_path_factory.mktemp(request.param) / "nmn-autophagy.pdf"
    path.write_bytes(render(load(CONTENT), Options(page_size=request.param)))
    return request.param, path


@pytest.fixture(scope="module")
def shipped():
    return load(CONTENT).content


def page_lines(page) -> list[tuple[float, str]]:
    """The text lines of a page between the running head and the footer: (baseline y, text)."""
    width, height = page.get_size()
    textpage = page.get_textpage()
    rows: dict[int, list[tuple[float, str]]] = {}
    for i in range(textpage.count_chars()):
        left, bottom, right, top = textpage.get_charbox(i, loose=True)
        char = textpage.get_text_range(i, 1).replace("\ufffe", "-")  # pdfium marks some hyphens so
        if not char.strip() and char != " ":
            continue
        if bottom < MARGIN + 20 or top > height - MARGIN - 16:
            continue  # footer and running head
        rows.setdefault(round(bottom), []).append((left, char))
    lines = []
    for y in sorted(rows, reverse=True):
        text = "".join(c for _, c in sorted(rows[y]))
        if text.strip():
            lines.append((y, text.strip()))
    return lines


def ink_fill(page) -> float:
    """How far down the type area the printing reaches, from 0 (empty) to 1 (full)."""
    width, height = page.get_size()
    image = page.render(scale=1).to_pil().convert("L")
    top, bottom = int(MARGIN + 24), int(height - MARGIN - 26)
    for y in range(bottom, top, -1):
        if image.crop((int(MARGIN), y, int(width - MARGIN), y + 1)).getextrema()[0] < 200:
            return (y - top) / (bottom - top)
    return 0.0


def texts(path: Path) -> list[str]:
    return [page.get_textpage().get_text_range() for page in pdfium.PdfDocument(str(path))]


def test_long_words_are_hyphenated_in_justified_text(shipped_pdf, shipped):
    _, path = shipped_pdf
    words = set()
    for section in shipped.sections:
        words.update(re.findall(r"[A-Za-z]+", markup_text(section.body)))
    hyphenated = []
    for page in pdfium.PdfDocument(str(path)):
        lines = page_lines(page)
        for (_, line), (_, following) in zip(lines, lines[1:]):
            head = re.search(r"([A-Za-z]+)-$", line)
            tail = re.match(r"([a-z]+)", following)
            if head and tail and head.group(1) + tail.group(1) in words:
                hyphenated.append(head.group(1) + "-" + tail.group(1))
    assert hyphenated  # dictionary hyphenation happened, at a break the word itself does not have


def test_hyphenated_compounds_keep_their_hyphen(shipped_pdf, shipped):
    """Text shows as typed: "long-lived" never prints as "longlived", on one line or across two."""
    _, path = shipped_pdf
    compounds = set()
    for section in shipped.sections:
        compounds.update(re.findall(r"\b[A-Za-z]+(?:-[A-Za-z]+)+\b", markup_text(section.body)))
    assert compounds
    lines = [line for page in pdfium.PdfDocument(str(path)) for _, line in page_lines(page)]
    text = "\n".join(lines)
    for word in compounds:
        parts = word.split("-")
        assert word in text or any("-".join(parts[:k]) + "-\n" + "-".join(parts[k:]) in text
                                   for k in range(1, len(parts))), word


@pytest.mark.parametrize("size", ["a4", "letter"])
def test_compounds_break_after_their_own_hyphen(tmp_path, size):
    """A justified line may end after a compound's hyphen ("acetyl-" / "coenzyme-dependent"),
    in plain and in marked-up paragraphs, also where a paragraph runs over a page: the hyphen
    is printed once, the compound reads whole, and no word is cut without a hyphen."""
    compound = "acetyl-coenzyme-dependent"
    data = starter()
    ref = data["references"][0]["id"]
    data["sections"][0]["body"] = "\n\n".join(
        " ".join(f"{compound} word{k}x{n} " + ("*marked* " if k % 2 else "") + "extraordinarily"
                 for n in range(40 + 7 * k)) + (f" [@{ref}]" if k % 2 else "")
        for k in range(6))
    path = tmp_path / "c.pdf"
    content = write_content(tmp_path / "c", data)
    path.write_bytes(render(load(content), Options(page_size=size)))
    pdf = pdfium.PdfDocument(str(path))
    pages = [[line for _, line in page_lines(page)] for page in pdf]
    lines = [line for page in pages for line in page]
    ends = [line for line in lines if line.endswith(("acetyl-", "coenzyme-"))]
    assert len(ends) > 10  # compounds break after their hyphens
    assert len(pages) > 3  # paragraphs run over pages, and their parts are laid out again
    joined = "\n".join(lines).replace("-\n", "-")
    assert joined.count(compound) == sum(40 + 7 * k for k in range(6))
    assert "--" not in joined and "acetylcoenzyme" not in joined and "coenzymedependent" not in joined
    text = "\n".join(page.extract_text() for page in pypdf.PdfReader(path).pages)  # copied text
    assert "--" not in text and "acetylcoenzyme" not in text and "coenzymedependent" not in text
    # (a compound broken at a page's end has the running head and footer between its parts)
    assert text.replace("-\n", "-").count(compound) >= sum(40 + 7 * k for k in range(6)) - len(pages)
    vocabulary = set(re.findall(r"[A-Za-z0-9]+", content.read_text(encoding="utf-8")))
    ours = re.compile(r"acetyl|coenzyme|dependent|word\d|marked|extraor")
    for line, following in zip(lines, lines[1:]):
        if ours.search(line) and ours.search(following) and not line.endswith("-"):
            last = re.findall(r"[A-Za-z0-9]+", line)
            assert not last or last[-1] in vocabulary or not last[-1].isalpha(), (line, following)


def body_paragraphs(content) -> list[str]:
    from generator.render.markup import paragraphs

    numbers = {r.id: n for n, r in enumerate(content.references, 1)}
    out = []
    for section in content.sections:
        for para in paragraphs(section.body):
            text = markup_text(para)
            out.append(squash(re.sub(r"\[@([^\]]+)\]", lambda m: f"[{numbers.get(m.group(1), '')}]", text)))
    return out


def widow_and_orphan_breaks(path: Path, paras: list[str]) -> int:
    """Check every paragraph that runs over a page keeps two lines on each side; how many ran over."""
    pages = [page_lines(page) for page in pdfium.PdfDocument(str(path))]
    breaks = 0
    for before, after in zip(pages, pages[1:]):
        if not before or not after:
            continue
        joined = squash(before[-1][1] + after[0][1])
        home = [p for p in paras if joined in p]
        if not home:
            continue  # the page ends where a paragraph ends
        breaks += 1
        para = home[0]
        below = 1
        while below < len(before) and squash("".join(l for _, l in before[-below - 1:])) in para:
            below += 1
        above = 1
        while above < len(after) and squash("".join(l for _, l in after[:above + 1])) in para:
            above += 1
        assert below >= 2 and above >= 2, (before[-1][1], after[0][1])
    return breaks


def test_no_widows_or_orphans_in_the_shipped_explainer(shipped_pdf, shipped):
    _, path = shipped_pdf
    widow_and_orphan_breaks(path, body_paragraphs(shipped))


@pytest.mark.parametrize("size", ["a4", "letter"])
def test_no_widows_or_orphans_whatever_the_paragraph_lengths(tmp_path, size):
    """Paragraphs of two to seven lines, so that many of them meet a page break."""
    data = starter()
    bodies = []
    for k in range(60):
        # Numbered sentences, so every run of lines belongs to one paragraph only.
        bodies.append(" ".join(f"Autophagy recycles worn-out parts of cell {k}.{n} and slows with age."
                               for n in range(2 + (k * 7) % 11)))
    data["sections"][0]["body"] = "\n\n".join(bodies)
    content = write_content(tmp_path / "c", data)
    path = tmp_path / "w.pdf"
    doc = load(content)
    path.write_bytes(render(doc, Options(page_size=size)))
    assert widow_and_orphan_breaks(path, body_paragraphs(doc.content)) >= 3


def test_pages_are_filled(shipped_pdf):
    """Every page but the last is nearly full, also the page before the mechanism diagram
    (the diagram splits between its steps to fill it)."""
    size, path = shipped_pdf
    pdf = pdfium.PdfDocument(str(path))
    for index in range(len(pdf) - 1):
        assert ink_fill(pdf[index]) > 0.8, f"{size} page {index + 1}"


@pytest.mark.parametrize("size", ["a4", "letter"])
@pytest.mark.parametrize("lines", [8, 22, 36])
def test_the_diagram_splits_between_steps_to_fill_the_page(tmp_path, size, lines):
    """Wherever the text before it ends, the diagram starts on that page with its heading and
    at least two steps, or on the next page; every step is printed once, in order."""
    data = starter()
    steps = data["pathway"]
    data["pathway"] = [dict(steps[i % len(steps)], id=f"p{i}", label=f"Step {i} of the chain") for i in range(8)]
    data["sections"][0]["body"] = "\n\n".join(
        f"Paragraph {k} on how cells recycle their worn parts, told plainly for any reader. " * 8
        for k in range(lines))
    path = tmp_path / "d.pdf"
    path.write_bytes(render(load(write_content(tmp_path / "c", data)), Options(page_size=size)))
    pdf = pdfium.PdfDocument(str(path))
    pages = texts(path)
    start = max(i for i, t in enumerate(pages) if "The proposed mechanism, step by step" in t)  # not the contents
    found = [(i, n) for i, t in enumerate(pages) for n in range(8) if f"Step {n} of the chain" in t]
    assert [n for _, n in found] == list(range(8))  # each step once, in order
    assert sum(1 for i, _ in found if i == start) >= 2  # the heading keeps company
    parts = sorted({i for i, _ in found})
    for index in parts[:-1]:  # a part ends only where the next step does not fit
        assert ink_fill(pdf[index]) > 0.8, f"{size} page {index + 1}"
    if start > 1:  # the page before holds no room for the heading and two steps
        assert ink_fill(pdf[start - 1]) > 0.75, f"{size} page {start}"


def test_contents_shares_page_one_with_the_takeaways(shipped_pdf):
    _, path = shipped_pdf
    assert "Contents" in texts(path)[0]


def test_evidence_table_starts_on_the_diagram_page(shipped_pdf):
    """The evidence heading, figure and legend follow the diagram on its page when they fit,
    instead of leaving the rest of that page blank."""
    size, path = shipped_pdf
    pages = texts(path)
    diagram = next(i for i, t in enumerate(pages) if "The proposed mechanism, step by step" in t)
    claims = next(i for i, t in enumerate(pages) if "Claim by claim" in t)
    assert claims == diagram or ink_fill(pdfium.PdfDocument(str(path))[diagram]) > 0.8, size


def test_last_page_never_holds_a_single_reference(shipped_pdf, tmp_path):
    size, path = shipped_pdf
    last = texts(path)[-1]
    numbers = re.findall(r"^(\d+)\. ", last, flags=re.M)
    assert not numbers or len(numbers) >= 2, (size, numbers)


@pytest.mark.parametrize("extra", [0, 1, 2, 3, 4, 5])
def test_last_page_never_holds_a_single_reference_whatever_the_count(tmp_path, extra):
    data = starter()
    base = data["references"][0]
    for n in range(extra):
        data["references"].append({**base, "id": f"extra-{n}", "title": f"An extra study number {n} " * 3})
    path = tmp_path / "r.pdf"
    path.write_bytes(render(load(write_content(tmp_path / "c", data)), Options()))
    pages = texts(path)
    heading = max(i for i, t in enumerate(pages) if "References" in t)
    for text in pages[heading + 1:]:
        assert len(re.findall(r"^(\d+)\. ", text, flags=re.M)) != 1


def test_glossary_is_alphabetical_whatever_the_content_order(tmp_path):
    data = starter()
    terms = ["zinc", "*in vivo*", "NAD^{+}", "Autophagy", "ATG5", "épicerie", "beta cell", "apoptosis"]
    data["glossary"] = [{"term": t, "definition": f"Definition of entry {i}."} for i, t in enumerate(terms)]
    path = tmp_path / "g.pdf"
    path.write_bytes(render(load(write_content(tmp_path / "c", data)), Options()))
    text = squash("".join(texts(path)))
    glossary = text[text.rindex("Glossary"):]

    def key(term: str) -> str:
        letters = "".join(c for c in unicodedata.normalize("NFKD", markup_text(term))
                          if not unicodedata.combining(c))
        return "".join(c for c in letters.casefold() if c.isalnum())

    expected = sorted(terms, key=key)
    assert expected[:3] == ["apoptosis", "ATG5", "Autophagy"]
    positions = [glossary.index(squash(markup_text(t))) for t in expected]
    assert positions == sorted(positions)


def test_reference_numbers_in_one_citation_ascend(tmp_path):
    data = starter()
    ids = [r["id"] for r in data["references"]]
    assert len(ids) >= 3
    data["claims"][0]["refs"] = list(reversed(ids[:3]))
    data["pathway"][1]["refs"] = list(reversed(ids[:3]))
    path = tmp_path / "n.pdf"
    path.write_bytes(render(load(write_content(tmp_path / "c", data)), Options()))
    text = squash("".join(texts(path)))
    assert text.count("1,2,3") >= 2  # the table's cell and the diagram's detail
    assert "3,2,1" not in text


def test_evidence_at_a_glance_counts_every_verdict(shipped_pdf, shipped):
    """Before the table: each verdict with its word and count (marks are drawn beside them)."""
    _, path = shipped_pdf
    pages = texts(path)
    heading = squash("Claim by claim: what the evidence shows")
    index = next(i for i, t in enumerate(pages) if re.search(re.escape(heading) + r"(?!\.)", squash(t)))
    page = squash(pages[index])
    start = re.search(re.escape(heading) + r"(?!\.)", page).start()
    table = page.index(squash("The article says"), start) if squash("The article says") in page[start:] else len(page)
    before_table = page[start:table]
    for verdict in ("supported", "imprecise", "overstated", "unsupported"):
        count = sum(1 for c in shipped.claims if c.verdict == verdict)
        label = f"{verdict.capitalize()} ({count} claim{'' if count == 1 else 's'})"
        assert squash(label) in before_table, label


def test_evidence_at_a_glance_follows_the_content(tmp_path):
    data = starter()
    for claim in data["claims"]:
        claim["verdict"] = "unsupported"
    path = tmp_path / "v.pdf"
    path.write_bytes(render(load(write_content(tmp_path / "c", data)), Options()))
    text = squash("".join(texts(path)))
    n = len(data["claims"])
    assert squash(f"Unsupported ({n} claim{'' if n == 1 else 's'})") in text
    assert squash("Supported (0 claims)") in text


def test_deck_diagram_legend_lines_are_open_and_off_the_edge(shipped):
    from generator.render.pdf.diagram import svg

    root = ET.fromstring(svg(shipped).encode("utf-8"))
    strokes = [el for el in root.iter() if el.tag.endswith(("path", "polyline", "line"))
               and "stroke-dasharray" in (el.get("style") or "")]
    assert strokes  # mice and cells are dashed and dotted
    for el in strokes:
        # A closed path strokes back over itself and fills the gaps of the dashes.
        assert not (el.get("d") or "").rstrip().endswith(("Z", "z")), el.attrib
    xs = [float(el.get("x")) for el in root.iter() if el.tag.endswith("text")]
    assert min(xs) >= 8
