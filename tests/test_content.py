"""The shipped content is complete and consistent, and source coverage is measured correctly."""

from __future__ import annotations

import hashlib
import re
import shutil
import tomllib

import pytest
import tomli_w
from click.testing import CliRunner

from generator import inline
from generator.cli import main
from generator.coverage import sentences, uncovered
from generator.load import load, normalise
from generator.model import BasicCard, ClozeCard
from generator.readability import reading_ease
from tests.conftest import CONTENT, ROOT

SOURCE = CONTENT.parent / "nmn-autophagy.source.txt"  # the shipped source, not the test fixture
SEED = ROOT.parent / "shared" / "seeds" / "000_353f6ec607913f76.txt"
# Fallback when the shared seeds are not checked out beside the repository.
SEED_SHA256 = "1557b154a003f5407f930e5294211fbb2508182d127d971f781ea605696f9df9"


@pytest.fixture(scope="module")
def doc():
    return load(CONTENT)


@pytest.fixture(scope="module")
def content(doc):
    return doc.content


def plain(text: str) -> str:
    return inline.plain(inline.parse(text, cloze=True))


def words(text: str) -> int:
    # Citations are numbers in print, not words.
    return len(re.sub(r"\[@[^\]]*\]", " ", plain(text)).split())


# ---------------------------------------------------------------- the shipped content

def test_source_is_the_seed_byte_for_byte():
    data = SOURCE.read_bytes()
    if SEED.is_file():
        assert data == SEED.read_bytes()
    else:
        assert hashlib.sha256(data).hexdigest() == SEED_SHA256


def test_counts(content):
    assert len(content.claims) >= 20
    assert 4 <= len(content.takeaways) <= 6
    assert len(content.glossary) >= 30
    assert len(content.references) >= 12
    assert len(content.cards) >= 40
    assert sum(isinstance(c, ClozeCard) for c in content.cards) >= 10
    assert sum(c.type == "reverse" for c in content.cards) >= 5


def test_sections_length_and_corrections(content):
    total = sum(words(s.body) for s in content.sections)
    # The second edition added plain words, safety and regulation; the rest was cut to make room.
    assert 1500 <= total <= 3300, total
    ids = {s.id for s in content.sections}
    assert "corrections" in ids
    corrections = next(s for s in content.sections if s.id == "corrections")
    # The corrections section quotes the article it corrects.
    quoted = re.findall(r"“([^”]+)”", plain(corrections.body))
    source = normalise(SOURCE.read_text(encoding="utf-8"))
    assert sum(normalise(q.rstrip(" …").rstrip(".")) in source for q in quoted) >= 5


def test_every_section_cites_a_reference(content):
    for section in content.sections:
        if section.id in ("evidence-levels",):
            continue  # explains how to read the grading; nothing to cite
        assert inline.cites(inline.parse(section.body)), section.id


def test_pathway(content):
    steps = content.pathway
    assert len(steps) >= 6
    for step in steps:
        assert step.shown_in in ("cell", "mouse", "human"), step.id
        assert step.refs, step.id
    assert "NMN" in plain(steps[0].label)
    assert "lysosom" in plain(steps[-1].label).lower()


def test_references_have_dois_and_are_all_cited(content):
    cited: set[str] = set()
    for claim in content.claims:
        cited.update(claim.refs)
    for step in content.pathway:
        cited.update(step.refs)
    for card in content.cards:
        cited.update(card.refs)
    for _, entries in content:
        for entry in entries if isinstance(entries, list) else [entries]:
            for _, value in entry:
                if isinstance(value, str):
                    cited.update(inline.cites(inline.parse(value, cloze=True)))
    for ref in content.references:
        assert ref.doi or ref.url, ref.id
        assert ref.id in cited, f"reference {ref.id} is never cited"


def test_claims(doc, content):
    source = normalise(doc.source_text)
    for claim in content.claims:
        assert normalise(claim.quote) in source, claim.id
        if claim.verdict != "supported":
            assert claim.note, f"claim {claim.id} ({claim.verdict}) needs a note"


def test_every_source_sentence_is_covered(doc, content):
    missing = uncovered(doc.source_text, [c.quote for c in content.claims])
    assert [s.text for s in missing] == []


def test_cards_are_tagged_linked_and_short(content):
    for card in content.cards:
        assert card.tags, card.id
        assert card.claim or card.section or card.refs, card.id
        if isinstance(card, BasicCard):
            prompts = [card.front] + ([card.back] if card.type == "reverse" else [])
            for prompt in prompts:
                assert len(plain(prompt)) <= 110, card.id
    assert any(card.pathway for card in content.cards)


def test_notice(content):
    assert "not medical advice" in content.article.notice


# ---------------------------------------------------------------- coverage on a small source

SYNTHETIC = """A Title Without A Full Stop
First sentence is here. Second one, e.g. with an abbreviation, ends here!
Third sentence asks? "Fourth is quoted." Fifth is hard-wrapped
  across two lines.

Sub-heading
Sixth sentence. And a seventh without a final full stop
"""


def test_sentences_skip_headings_and_split_correctly():
    found = [s.text for s in sentences(SYNTHETIC)]
    assert found == [
        "First sentence is here.",
        "Second one, e.g. with an abbreviation, ends here!",
        "Third sentence asks?",
        "\"Fourth is quoted.\"",
        "Fifth is hard-wrapped across two lines.",
        "Sixth sentence.",
        "And a seventh without a final full stop",
    ]


def test_uncovered_sentences():
    all_of_them = [s.text for s in sentences(SYNTHETIC)]
    assert [s.text for s in uncovered(SYNTHETIC, [])] == all_of_them
    # a quote covers every sentence it overlaps, even across a sentence end
    assert [s.text for s in uncovered(SYNTHETIC, ["is here. Second"])] == all_of_them[2:]
    # whitespace inside a quote does not matter, also across the wrapped line
    assert [s.text for s in uncovered(SYNTHETIC, ["hard-wrapped\n across"])] == all_of_them[:4] + all_of_them[5:]
    # a heading is not a sentence, so quoting it covers nothing
    assert len(uncovered(SYNTHETIC, ["A Title", "Sub-heading"])) == 7
    # a quote that is not in the source covers nothing
    assert len(uncovered(SYNTHETIC, ["Eighth sentence."])) == 7
    assert uncovered(SYNTHETIC, all_of_them) == []


def test_a_long_line_without_a_full_stop_is_not_a_heading():
    line = " ".join(["word"] * 25)
    assert [s.text for s in sentences(line)] == [line]
    assert sentences("Short title") == []


def test_check_reports_and_lists_uncovered_sentences(tmp_path):
    data = tomllib.loads(CONTENT.read_text(encoding="utf-8"))
    dropped = "magic-bullet"
    data["claims"] = [c for c in data["claims"] if c["id"] != dropped]
    data["cards"] = [c for c in data["cards"] if c.get("claim") != dropped]
    folder = tmp_path / "content"
    folder.mkdir()
    shutil.copyfile(SOURCE, folder / data["article"]["source"])
    path = folder / "nmn-autophagy.toml"
    path.write_text(tomli_w.dumps(data), encoding="utf-8")
    runner = CliRunner()
    quiet = runner.invoke(main, ["check", str(path)])
    assert quiet.exit_code == 0, quiet.output
    assert "1 uncovered source sentence(s)" in quiet.output
    assert "uncovered: " not in quiet.output
    verbose = runner.invoke(main, ["check", "-v", str(path)])
    assert "uncovered: Crucially, it must be noted that NMN is not a magic bullet." in verbose.output

    shipped = runner.invoke(main, ["check", str(CONTENT)])
    assert shipped.exit_code == 0 and "0 uncovered source sentence(s)" in shipped.output


def test_title_line_is_a_heading(doc):
    first = sentences(doc.source_text)[0].text
    title = doc.source_text.splitlines()[0]
    assert title not in first
    assert first.startswith("Nicotinamide mononucleotide (NMN)")


# ---------------------------------------------------------------- second edition

def long_date(day) -> str:
    return f"{day.day} {day.strftime('%B')} {day.year}"


def section(content, sid):
    found = [s for s in content.sections if s.id == sid]
    assert found, f"no section {sid}"
    return found[0]


def test_evidence_date_is_set_and_not_after_the_release(content):
    article = content.article
    assert article.checked is not None
    assert article.checked <= article.version


def test_regulatory_section_is_dated_and_complete(content):
    reg = section(content, "regulation")
    text = plain(reg.heading) + " " + plain(reg.body)
    # the date it was checked, the same date the PDF prints
    assert long_date(content.article.checked) in text
    for needed in ("2022", "29 September 2025", "321(ff)(3)(B)", "citizen petition", "differ from country"):
        assert needed in text, needed
    assert "without the FDA reviewing whether it works" in text
    assert inline.cites(inline.parse(reg.body))


def test_safety_section_states_doses_durations_and_gaps(content):
    text = plain(section(content, "safety").body)
    assert re.search(r"\d[\d,]* to [\d,]+ mg", text)
    assert re.search(r"\d+ (days|weeks)", text)
    for gap in ("pregnant", "children", "cancer", "long-term"):
        assert gap in text, gap
    assert "zhong2022" in section(content, "safety").body  # the class-level glucose signal


def test_plain_words_comes_first_reads_easily_and_answers_the_questions(content):
    first = content.sections[0]
    assert first.id == "plain-words"
    assert 250 <= words(first.body) <= 500, words(first.body)
    assert reading_ease(first.body) >= 60
    text = plain(first.body)
    for question in ("What is NMN?", "What does the article claim?", "What is known in people?",
                     "Is it legal?", "Is it safe?", "What would change the picture?"):
        assert question in text, question


def test_references_carry_volume_and_pages_or_say_why_not(content):
    for ref in content.references:
        if ref.doi:  # a journal article
            complete = ref.volume is not None and ref.pages is not None
            explained = ref.note and ("not verified" in ref.note or "Preprint" in ref.note)
            assert complete or explained, ref.id
        if ref.issue is not None:
            assert ref.volume is not None, ref.id


def test_graded_claims_cite_references(content):
    for claim in content.claims:
        if claim.verdict != "unsupported":
            assert claim.refs, f"claim {claim.id} is graded {claim.verdict} without a reference"


def test_the_pdf_shows_the_second_edition_and_stays_short(built, content):
    from pypdf import PdfReader

    reader = PdfReader(built / f"{content.article.slug}.pdf")
    pages = ["".join(page.extract_text().split()) for page in reader.pages]
    squashed = "".join(pages)
    for heading in (section(content, "plain-words").heading, section(content, "safety").heading):
        assert "".join(plain(heading).split()) in squashed
    assert "29September2025" in squashed
    assert f"EVIDENCECHECKED{content.article.checked.isoformat()}" in pages[0]
    # The first edition printed 18 pages; the second adds sections but must not sprawl.
    assert len(pages) <= 22, len(pages)
