"""The markup grammar in every output: citations and markup in cloze text, malformed
deletions, '::' in deletions, paragraphs and lists; the deck read back with the real
Anki engine, the PDFs with pypdfium2."""

from __future__ import annotations

import html
import re
from pathlib import Path

import genanki
import pytest
from click.testing import CliRunner

from generator.build import build
from generator.cli import main
from generator.render import FORMATS, Options
from tests.conftest import import_apkg, starter, write_content

CLOZE = 8  # index of the fixture's first cloze card (id autophagy-site)
BASIC = 0  # a basic card (id nmn-precursor)


def invoke(*args: str):
    return CliRunner().invoke(main, list(args))


def content_with(tmp_path: Path, change) -> Path:
    data = starter()
    change(data)
    return write_content(tmp_path / "content", data)


def built(tmp_path: Path, change) -> Path:
    path = content_with(tmp_path, change)
    out = tmp_path / "out"
    build([path], out, list(FORMATS), Options(), workers=1)
    return out


def card_html(out: Path, tmp_path: Path, card_id: str) -> list[tuple[str, str]]:
    """(question, answer) of each card of a note, as the real Anki engine renders them."""
    col, _ = import_apkg(tmp_path / "collection.anki2", out / "nmn-autophagy.apkg")
    try:
        guid = genanki.guid_for("nmn-autophagy", card_id)
        note = next(n for n in map(col.get_note, col.find_notes("")) if n.guid == guid)
        return [(strip_style(c.question()), strip_style(c.answer()))
                for c in sorted(note.cards(), key=lambda c: c.ord)]
    finally:
        col.close()


def strip_style(markup: str) -> str:
    return re.sub(r"<style>.*?</style>", "", markup, flags=re.S)


def visible(markup: str) -> str:
    markup = re.sub(r"<(?:br|hr|/?div|/?p|/?li|/?ul|/?ol)\b[^>]*>", " ", markup)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", markup)).split())


def pdf_pages(path: Path) -> list[str]:
    import pypdfium2 as pdfium
    pdf = pdfium.PdfDocument(str(path))
    return [page.get_textpage().get_text_range() for page in pdf]


def set_card(index: int, **fields):
    return lambda d: d["cards"][index].update(**fields)


# 1. Citations in cloze text ---------------------------------------------------------------

def test_citation_after_a_deletion_works_everywhere(tmp_path):
    text = "Blood NAD+ grew by about {{c1::60 %}} [@yi2023]."
    path = content_with(tmp_path, set_card(CLOZE, text=text))
    for command in ("check", "cards"):
        result = invoke(command, str(path))
        assert result.exit_code == 0, result.output
    out = tmp_path / "out"
    build([path], out, list(FORMATS), Options(), workers=1)
    ((question, answer),) = card_html(out, tmp_path, "autophagy-site")
    assert "about [...] (Yi et al. 2023)." in visible(question)
    assert "about 60 % (Yi et al. 2023)." in visible(answer)
    cards = " ".join(" ".join(pdf_pages(out / "nmn-autophagy-cards.pdf")).split())
    assert "about […] (Yi et al. 2023)." in cards and "about 60 % (Yi et al. 2023)." in cards


def test_citation_inside_a_deletion_is_part_of_the_answer(tmp_path):
    out = built(tmp_path, set_card(CLOZE, text="Blood NAD+ grew by about {{c1::60 % [@yi2023]}}."))
    ((question, answer),) = card_html(out, tmp_path, "autophagy-site")
    assert "Yi" not in visible(question) and "about [...]." in visible(question)
    assert "about 60 % (Yi et al. 2023)." in visible(answer)
    pages = [" ".join(p.split()) for p in pdf_pages(out / "nmn-autophagy-cards.pdf")]
    front = next(p for p in pages if "grew by about" in p)
    assert "about […]." in front and "Yi et al." not in front.split("grew by about")[1][:30]
    assert any("about 60 % (Yi et al. 2023)." in p for p in pages)


def test_author_names_cannot_spell_cloze_syntax(tmp_path):
    def change(d):
        d["references"][0]["authors"] = "Lee::{{c9::x}} IH, Cao L"
        d["cards"][CLOZE]["text"] = "Seen in {{c1::cells [@lee2008]}} first."
    out = built(tmp_path, change)
    cards = card_html(out, tmp_path, "autophagy-site")
    assert len(cards) == 1
    ((question, answer),) = cards
    assert "Seen in [...] first." in visible(question)
    assert "cells (Lee::{{c9::x}} and Cao 2008)" in visible(answer)


def test_markup_around_a_deletion_that_holds_markup_agrees_everywhere(tmp_path):
    text = "Blood **NAD+ rose by {{c1::**60 %** in a year}}** [@yi2023]."
    path = content_with(tmp_path, set_card(CLOZE, text=text))
    result = invoke("check", str(path))
    assert result.exit_code == 0 and "autophagy-site" not in result.output, result.output
    out = tmp_path / "out"
    build([path], out, list(FORMATS), Options(), workers=1)
    ((question, answer),) = card_html(out, tmp_path, "autophagy-site")
    assert "Blood NAD+ rose by [...] (Yi et al. 2023)." in visible(question)
    assert re.search(r'<b>NAD\+ rose by <span class="cloze"[^>]*>\[\.\.\.\]</span></b>', question), question
    assert "Blood NAD+ rose by 60 % in a year (Yi et al. 2023)." in visible(answer)
    assert re.search(r'<b>NAD\+ rose by <span class="cloze"[^>]*><b>60 %</b> in a year</span></b>', answer), answer
    pages = [" ".join(p.split()) for p in pdf_pages(out / "nmn-autophagy-cards.pdf")]
    assert any("Blood NAD+ rose by […] (Yi et al. 2023)." in p for p in pages)
    assert any("Blood NAD+ rose by 60 % in a year (Yi et al. 2023)." in p for p in pages)
    assert not any("{{" in p or "**" in p for p in pages)


def test_stars_left_open_before_a_deletion_warn_and_keep_the_deletion(tmp_path):
    text = "- [@yi2023]\n- **α-β* [@yi2023]* {{c3::**<b>x</b>** ≥ 2}} **[@lee2008]**\n- [@yi2023]"
    path = content_with(tmp_path, set_card(CLOZE, text=text))
    result = invoke("check", str(path))
    assert result.exit_code == 0 and "error" not in result.output, result.output
    line = next(l for l in result.output.splitlines() if "cards[8](id=autophagy-site).text" in l)
    assert line.startswith("warning:") and "unmatched '**', '*' in '**α-β* [@yi2023]* {{c3::" in line


# 2. Malformed deletions ---------------------------------------------------------------------

@pytest.mark.parametrize("text, quoted, fix", [
    ("Deacetylated by {{c1:SirT3}}.", "{{c1:SirT3}}", "{{c1::SirT3}}"),
    ("Deacetylated by {{ c1::SirT3 }}.", "{{ c1::SirT3 }}", "{{c1::SirT3}}"),
    ("Deacetylated by {c1::SirT3}.", "{c1::SirT3}", "{{c1::SirT3}}"),
    ("Deacetylated by {{C1::SirT3}}.", "{{C1::SirT3}}", "{{c1::SirT3}}"),
    ("Deacetylated by {{c0::SirT3}}.", "{{c0::SirT3}}", "start at c1"),
    ("Deacetylated by {{c01::SirT3}}.", "{{c01::SirT3}}", "{{c1::SirT3}}"),
    ("Deacetylated by {{c1000::SirT3}}.", "{{c1000::SirT3}}", "c1 to c999"),
])
def test_lookalike_deletions_are_errors(tmp_path, text, quoted, fix):
    # the card keeps a good deletion too, so only the look-alike is wrong
    path = content_with(tmp_path, set_card(CLOZE, text=text + " Also {{c2::ok}}."))
    result = invoke("check", str(path))
    assert result.exit_code == 1, result.output
    line = next(l for l in result.output.splitlines() if "cards[8](id=autophagy-site).text" in l)
    assert repr(quoted) in line and fix in line and "looks like a cloze deletion" in line


@pytest.mark.parametrize("text, what", [
    ("Inside {{c1::}} nothing.", "is empty"),
    ("Inside {{c1::   }} nothing.", "is empty"),
    ("Inside {{c1::::hint}} nothing.", "is empty"),
    ("Inside {{c1::x::}} nothing.", "empty hint"),
    ("Inside {{c1::x::see {{c2::y}}}}.", "inside another deletion"),
    ("A {{c1::b}}\n\n{{c2::spans\n\ntwo paragraphs}}.", "unclosed"),
])
def test_deletions_anki_reads_otherwise_are_errors(tmp_path, text, what):
    result = invoke("check", str(content_with(tmp_path, set_card(CLOZE, text=text))))
    assert result.exit_code == 1, result.output
    assert "cards[8](id=autophagy-site).text" in result.output and what in result.output


@pytest.mark.parametrize("text", ["Only {{c1::open here.", "Only {{c1:x}} here."])
def test_a_malformed_only_deletion_is_reported_once(tmp_path, text):
    # "needs at least one deletion" would repeat the message about the one written
    result = invoke("check", str(content_with(tmp_path, set_card(CLOZE, text=text))))
    assert result.exit_code == 1, result.output
    assert [l for l in result.output.splitlines() if "autophagy-site" in l] == [
        next(l for l in result.output.splitlines() if "autophagy-site" in l)], result.output
    assert "needs at least one" not in result.output


@pytest.mark.parametrize("field", ["front", "back"])
def test_cloze_syntax_in_a_basic_card_is_an_error(tmp_path, field):
    path = content_with(tmp_path, set_card(BASIC, **{field: "NMN is made into {{c1::NAD+}}."}))
    result = invoke("check", str(path))
    assert result.exit_code == 1, result.output
    assert f"cards[0](id=nmn-precursor).{field}" in result.output
    assert "'{{c1::NAD+}}' is cloze syntax" in result.output and 'type = "cloze"' in result.output


def test_anki_shows_cloze_syntax_in_a_basic_note_as_typed(tmp_path):
    """Why cloze syntax outside cloze text is refused: Anki makes no deletion of it."""
    from anki.collection import Collection
    col = Collection(str(tmp_path / "c.anki2"))
    try:
        note = col.new_note(col.models.by_name("Basic"))
        note["Front"], note["Back"] = "made into {{c1::NAD+}}", "x"
        col.add_note(note, 1)
        assert "made into {{c1::NAD+}}" in note.cards()[0].question()
    finally:
        col.close()


@pytest.mark.parametrize("text, marker", [
    ("**unbalanced bold", "'**'"),
    ("an *open italic", "'*'"),
    ("NAD^{+ open", "'^{'"),
    ("H_{2 open", "'_{'"),
    ("**bold *italic** crossed", "'*'"),
])
def test_unmatched_markers_warn(tmp_path, text, marker):
    path = content_with(tmp_path, set_card(BASIC, back=text))
    result = invoke("check", str(path))
    assert result.exit_code == 0, result.output
    line = next(l for l in result.output.splitlines() if l.startswith("warning:"))
    assert "cards[0](id=nmn-precursor).back" in line and marker in line and "unmatched" in line
    assert invoke("check", "--strict", str(path)).exit_code == 1


def test_set_notation_is_not_taken_for_a_deletion(tmp_path):
    path = content_with(tmp_path, set_card(BASIC, back="The set {c: c > 0} and {x} and {{x}}."))
    result = invoke("check", str(path))
    assert result.exit_code == 0, result.output


def test_stars_between_spaces_and_matched_markup_do_not_warn(tmp_path):
    path = content_with(tmp_path, set_card(BASIC, back="5 * 3 = 15, **bold**, *it*, NAD^{+}, H_{2}O"))
    result = invoke("check", str(path))
    assert result.exit_code == 0 and "warning" not in result.output, result.output


# 3. '::' inside markup in a deletion ----------------------------------------------------------

def test_double_colon_inside_markup_in_a_deletion_is_an_error(tmp_path):
    path = content_with(tmp_path, set_card(CLOZE, text="C++ keeps items in a {{c1::*std::vector*}}."))
    result = invoke("check", str(path))
    assert result.exit_code == 1, result.output
    assert "cards[8](id=autophagy-site).text" in result.output
    assert "'::' inside markup" in result.output and "{{c1::*std::vector*}}" in result.output


def test_anki_splits_a_deletion_at_its_first_double_colon_even_inside_markup(tmp_path):
    """The rule the check above enforces, as the real Anki engine applies it."""
    from anki.collection import Collection
    col = Collection(str(tmp_path / "c.anki2"))
    try:
        note = col.new_note(col.models.by_name("Cloze"))
        note["Text"] = "{{c1::<i>std::vector</i>}}"
        col.add_note(note, 1)
        assert "[vector</i>]" in note.cards()[0].question()
    finally:
        col.close()


def test_markup_then_hint_agrees_in_deck_and_printed_card(tmp_path):
    out = built(tmp_path, set_card(CLOZE, text="Cargo ends in the {{c1::*lyso*some::an organelle}}."))
    ((question, answer),) = card_html(out, tmp_path, "autophagy-site")
    assert "the [an organelle]." in visible(question)
    assert "<i>lyso</i>some" in answer
    text = " ".join(" ".join(pdf_pages(out / "nmn-autophagy-cards.pdf")).split())
    assert "the [an organelle]." in text and "the lysosome." in text


# 4. Paragraphs -------------------------------------------------------------------------------

def test_whitespace_only_line_separates_paragraphs_in_the_explainer(tmp_path):
    def change(d):
        d["sections"][0]["body"] = "Firstparagraph ends here.\n    \t\nSecondparagraph starts here."
    out = built(tmp_path, change)
    lines = [l.strip() for p in pdf_pages(out / "nmn-autophagy.pdf") for l in p.splitlines()]
    assert "Firstparagraph ends here." in lines and "Secondparagraph starts here." in lines


def test_card_back_paragraphs_reach_anki_as_paragraphs(tmp_path):
    out = built(tmp_path, set_card(BASIC, back="One.\n  \nTwo.\nThree."))
    ((_, answer),) = card_html(out, tmp_path, "nmn-precursor")
    assert "<p>One.</p><p>Two. Three.</p>" in answer
    lines = [l.strip() for p in pdf_pages(out / "nmn-autophagy-cards.pdf") for l in p.splitlines()]
    assert "One." in lines and "Two. Three." in lines


def test_one_paragraph_fields_stay_bare(tmp_path):
    out = built(tmp_path, set_card(BASIC, back="Just one\nparagraph."))
    ((_, answer),) = card_html(out, tmp_path, "nmn-precursor")
    assert '<div class="answer">Just one paragraph.</div>' in answer


# 5. Lists ------------------------------------------------------------------------------------

BODY = ("Three steps follow:\n- NAD^{+} rises\n- SIRT1 is\n  activated [@lee2008]\n- autophagy *may* rise\n\n"
        "Then, in order:\n\n1. first\n2. second\n\nAfter the lists.")


def test_lists_in_a_section_print_as_lists(tmp_path):
    out = built(tmp_path, lambda d: d["sections"][0].update(body=BODY))
    lines = [" ".join(l.split()) for p in pdf_pages(out / "nmn-autophagy.pdf") for l in p.splitlines()]
    assert "Three steps follow:" in lines
    assert "• NAD+ rises" in lines and "• SIRT1 is activated [1]" in lines and "• autophagy may rise" in lines
    assert "1. first" in lines and "2. second" in lines and "After the lists." in lines


def test_lists_on_cards_are_html_lists_and_printed_lines(tmp_path):
    def change(d):
        d["cards"][BASIC]["back"] = BODY
        d["cards"][CLOZE]["text"] = "Order:\n\n3. {{c1::NAD^{+}}}\n4. {{c2::SIRT1}} [@lee2008]"
    out = built(tmp_path, change)
    ((_, answer),) = card_html(out, tmp_path, "nmn-precursor")
    assert ("<ul><li>NAD<sup>+</sup> rises</li><li>SIRT1 is activated (Lee et al. 2008)</li>"
            "<li>autophagy <i>may</i> rise</li></ul>") in answer
    assert "<ol><li>first</li><li>second</li></ol><p>After the lists.</p>" in answer
    cloze = card_html(out, tmp_path, "autophagy-site")
    assert len(cloze) == 2
    assert '<ol start="3"><li>' in cloze[0][0] and "[...]" in cloze[0][0] and "SIRT1" in cloze[0][0]
    pages = [[" ".join(l.split()) for l in p.splitlines()] for p in pdf_pages(out / "nmn-autophagy-cards.pdf")]
    flat = [l for p in pages for l in p]
    assert "• SIRT1 is activated (Lee et al. 2008)" in flat and "1. first" in flat
    assert "3. […]" in flat and "4. SIRT1 (Lee et al. 2008)" in flat


def test_a_short_citation_form_is_plain_text(tmp_path):
    """`short` names authors as typed: no markup is read in it, so none is checked either."""
    def change(d):
        next(r for r in d["references"] if r["id"] == "lee2008")["short"] = "**Lee** {{c1::x}}"
        d["cards"][BASIC]["back"] = "Shown in cells [@lee2008]."
    path = content_with(tmp_path, change)
    result = invoke("check", str(path))
    assert result.exit_code == 0 and "warning" not in result.output, result.output
    out = tmp_path / "out"
    build([path], out, list(FORMATS), Options(), workers=1)
    ((_, answer),) = card_html(out, tmp_path, "nmn-precursor")
    assert "Shown in cells (**Lee** {{c1::x}} 2008)." in visible(answer)
