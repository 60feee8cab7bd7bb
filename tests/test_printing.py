"""What can stop or spoil the PDFs: characters a face lacks, cards too long to print,
grids of cards.  ``check`` must find everything ``build`` would fail on."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator.cli import main
from tests.conftest import starter, write_content
from tests.pdf_glyphs import boxes
from tests.test_cli import run


def content_with(tmp_path: Path, change) -> Path:
    data = starter()
    change(data)
    return write_content(tmp_path / "content", data)


def set_(table: str, key: str, value, index: int = 0):
    def change(data):
        (data[table] if table == "article" else data[table][index])[key] = value
    return change


# (change, field named in the message, character named)
UNPRINTABLE = [
    (set_("article", "title", "Vectors in ℝ"), "article.title", "U+211D"),  # the bold face lacks it
    (set_("sections", "heading", "Vectors in ℝ"), "sections[0](id=what-is-autophagy).heading", "U+211D"),
    (set_("article", "notice", "Not advice for ℝ."), "article.notice", "U+211D"),  # italic
    (set_("claims", "note", "As in ℝ."), "claims[0](id=nmn-atp).note", "U+211D"),  # italic
    (set_("sections", "body", "A list:\n\n\uf0b7 a Word bullet"), "sections[0](id=what-is-autophagy).body",
     "U+F0B7"),  # refused when loaded, for every format
    (set_("sections", "body", "Invisible\u180emark."), "sections[0](id=what-is-autophagy).body", "U+180E"),
    (set_("takeaways", "text", "In **ℝ**."), "takeaways[0].text", "U+211D"),  # bold markup
    (set_("cards", "back", "Yes 😀"), "cards[0](id=nmn-precursor).back", "U+1F600"),
    (set_("glossary", "term", "NMN 😀"), "glossary[0].term", "U+1F600"),
    (set_("pathway", "label", "NMN ℝ"), "pathway[0](id=nmn).label", "U+211D"),  # bold in the diagram
]


@pytest.mark.parametrize("change, where, char", UNPRINTABLE)
def test_check_and_build_refuse_what_a_face_cannot_print(tmp_path, change, where, char):
    path = content_with(tmp_path, change)
    for command in (["check", str(path)], ["build", str(path), "-o", str(tmp_path / "out")]):
        result = run(*command)
        assert result.exit_code == 1, result.output
        errors = [line for line in result.output.splitlines() if line.startswith("error:")]
        # file:line: key path: ..., the form editors and CI systems annotate
        assert any(re.match(rf"error: {re.escape(str(path))}:\d+: {re.escape(where)}: .*{re.escape(char)}", line)
                   for line in errors), result.output
    assert not (tmp_path / "out").exists()


def test_whitespace_prints_as_space_everywhere(tmp_path):
    """A tab in the deck name is drawn as a single line on every card; it must not print as a box."""
    path = content_with(tmp_path, lambda d: (
        d["article"].__setitem__("deck", "Health\tNMN"),
        d["sections"][0].__setitem__("body", "Tab\there, line\u2028separator, ideographic\u3000space, "
                                             "a stray\ufeffbyte-order mark."),
        d["glossary"][0].__setitem__("term", "NMN\tterm")))
    assert run("check", str(path)).exit_code == 0
    result = run("build", str(path), "-o", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    for pdf in (tmp_path / "out").glob("*.pdf"):
        assert boxes(pdf.read_bytes()) == 0, pdf.name


def test_box_counter_sees_boxes():
    """The reader used above can fail: ReportLab draws what DejaVu lacks as boxes."""
    import io

    from reportlab.pdfgen.canvas import Canvas

    from generator.render.pdf.fonts import BOLD, register

    register()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, initialFontName=BOLD)
    canvas.setFont(BOLD, 12)
    canvas.drawString(10, 10, "Vectors in ℝ\t")
    canvas.save()
    assert boxes(buffer.getvalue()) == 2


@pytest.mark.parametrize("page_size", ["a4", "letter"])
def test_card_too_long_found_by_check_with_build_options(tmp_path, page_size):
    long_back = " ".join(["autophagy"] * 90)  # fits 8 cards per page, not 30
    path = content_with(tmp_path, set_("cards", "back", long_back))
    assert run("check", str(path), "--page-size", page_size).exit_code == 0
    dense = run("check", str(path), "--page-size", page_size, "--cards-per-page", "30")
    assert dense.exit_code == 1
    assert "cards[0](id=nmn-precursor).back: too long for a printed card at 30 cards" in dense.output
    build = run("build", str(path), "-o", str(tmp_path / "out"), "--page-size", page_size,
                "--cards-per-page", "30")
    assert build.exit_code == 1 and "cards[0](id=nmn-precursor).back" in build.output
    assert not (tmp_path / "out").exists()
    # The advice names a count that works.
    line = next(line for line in dense.output.splitlines() if "cards[0](id=nmn-precursor)" in line)
    advised = line.split("it fits at --cards-per-page ")[1].split(")")[0]
    assert "too long for a printed card" not in run("check", str(path), "--page-size", page_size,
                                                    "--cards-per-page", advised).output


@pytest.mark.parametrize("count", [5, 7, 11, 13])
def test_cards_per_page_without_a_full_grid_is_a_usage_error(content_copy, tmp_path, count):
    for command in ("check", "build"):
        extra = ["-o", str(tmp_path / "out")] if command == "build" else []
        result = run(command, str(content_copy), "--cards-per-page", str(count), *extra)
        assert result.exit_code == 2, result.output
        assert "use one of 1, 2, 3, 4, 6, 8, 9" in result.output
    assert not (tmp_path / "out").exists()


def test_every_card_count_offered_fills_its_grid(tmp_path):
    """Each count the usage error offers gives sheets whose every slot holds a card."""
    import pypdf

    from generator.render.pdf.cards import grid, grid_counts
    from generator.render.pdf.styles import PAGE_SIZES

    for page_size in ("a4", "letter"):
        counts = grid_counts(page_size)
        assert 7 not in counts and 8 in counts
        for n in counts:
            g = grid(PAGE_SIZES[page_size], n)
            assert g.cols * g.rows == n
            assert max(g.width, g.height) / min(g.width, g.height) <= 2.5
    from generator.load import load_all
    from generator.study import study_cards

    path = content_with(tmp_path, lambda d: None)
    count = len(study_cards(load_all([path])[0].content))
    assert count > 6
    out = tmp_path / "out"
    assert run("build", str(path), "-o", str(out), "-f", "cards", "--cards-per-page", "6").exit_code == 0
    reader = pypdf.PdfReader(out / "nmn-autophagy-cards.pdf")
    assert len(reader.pages) == 2 * -(-count // 6)  # front and back of each sheet
    first = reader.pages[0].extract_text()
    assert first.count("question") == 6


def test_readme_lists_the_card_counts_that_work():
    import re

    from generator.render.pdf.cards import grid_counts
    from tests.conftest import ROOT

    readme = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())
    listed = re.search(r"on A4: ([\d, ]+); on Letter the same without (\d+)", readme)
    a4 = [int(n) for n in listed.group(1).split(",")]
    assert a4 == grid_counts("a4")
    assert [n for n in a4 if n != int(listed.group(2))] == grid_counts("letter")


def test_a_card_too_long_because_of_its_source_line_says_so(tmp_path):
    """The printed back's source line cites references by their short form; an author list
    the short-citation rule cannot shorten makes it long, and the message points at `short`."""
    data = starter()
    data["references"][0]["authors"] = " ".join(["Consortium"] * 300)  # no commas: one corporate author
    path = content_with(tmp_path, lambda d: d.update(data))
    result = run("check", str(path))
    assert result.exit_code == 1
    assert "would fit without the source line below it" in result.output and "`short`" in result.output
    data["references"][0]["short"] = "The Consortium"
    path = content_with(tmp_path, lambda d: d.update(data))
    assert run("check", str(path)).exit_code == 0
