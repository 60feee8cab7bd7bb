"""Random valid content always builds and imports; large content builds."""

from __future__ import annotations

import string

from hypothesis import HealthCheck, given, settings, strategies as st

from generator.build import build
from generator.render import FORMATS, Options
from tests.conftest import import_apkg, write_content

ALPHABET = (string.ascii_letters + string.digits + " .,;:!?()'\"<>&/*^_{}-+=%#~|\\"
            + "àéîõüßçñÅØ" + "αβγδµπΩ" + "≥≤±×÷°’“”–—⁺₂³½→≈")
text = st.text(alphabet=ALPHABET, min_size=1, max_size=60).filter(lambda s: s.strip())
word = st.text(alphabet=string.ascii_lowercase + string.digits, min_size=1, max_size=12)


@st.composite
def contents(draw) -> dict:
    quotes = draw(st.lists(text, min_size=1, max_size=3))
    ids = draw(st.lists(word, min_size=6, max_size=6, unique=True))
    ref_id = ids[0]
    cards = []
    for n in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["basic", "reverse", "cloze"]))
        card = {"id": f"card-{n}", "type": kind, "tags": [draw(word)], "refs": [ref_id]}
        if kind == "cloze":
            card["text"] = draw(text) + " {{c1::" + draw(word) + "}} " + draw(text)
        else:
            card.update(front=draw(text), back=draw(text))
        cards.append(card)
    return {
        "article": {"slug": "random", "title": draw(text), "subtitle": draw(text), "source": "random.source.txt",
                    "version": "2026-11-25", "summary": draw(text), "deck": "Random::" + draw(word),
                    "notice": draw(text)},
        "takeaways": [{"text": draw(text)}],
        "sections": [{"id": ids[1], "heading": draw(text), "body": draw(text) + "\n\n" + draw(text)}],
        "claims": [{"id": f"claim-{i}", "quote": q, "statement": draw(text), "note": draw(text),
                    "verdict": draw(st.sampled_from(["supported", "imprecise", "overstated", "unsupported"])),
                    "evidence": draw(st.sampled_from(["human-trial", "animal", "cell", "none"])),
                    "refs": [ref_id]} for i, q in enumerate(quotes)],
        "pathway": [{"id": ids[2], "label": draw(text), "detail": draw(text)},
                    {"id": ids[3], "label": draw(text), "detail": draw(text), "shown_in": "cell"}],
        "glossary": [{"term": draw(text), "definition": draw(text)}],
        "references": [{"id": ref_id, "authors": draw(text), "year": draw(st.integers(1900, 2030)),
                        "title": draw(text), "journal": draw(text), "doi": "10.1000/" + draw(word)}],
        "cards": cards,
    }, "\n".join(quotes)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(contents())
def test_any_valid_content_builds_and_imports(tmp_path_factory, generated):
    data, source = generated
    folder = tmp_path_factory.mktemp("random")
    (folder / "random.source.txt").write_text(source, encoding="utf-8")
    path = write_content(folder, data, name="random.toml")
    out = folder / "out"
    outputs = build([path], out, list(FORMATS), Options(), workers=1)
    assert all(o.path.stat().st_size > 0 for o in outputs)
    col, log = import_apkg(folder / "c.anki2", out / "random.apkg")
    try:
        assert col.note_count() >= len(data["cards"])
    finally:
        col.close()


def test_large_content_builds(tmp_path):
    paragraph = "Autophagy recycles parts of the cell; NAD⁺ levels vary by tissue. " * 16
    source = (paragraph + "\n") * (10_000_000 // (len(paragraph.encode()) + 1) + 1)
    assert len(source.encode()) >= 10_000_000
    (tmp_path / "big.source.txt").write_text(source, encoding="utf-8")
    cards = [{"id": f"c{n}", "type": ("basic", "reverse", "cloze")[n % 3], "tags": [f"t{n % 7}"]}
             for n in range(5000)]
    for n, card in enumerate(cards):
        if card["type"] == "cloze":
            card["text"] = f"Fact number {n} is {{{{c1::answer {n}}}}}."
        else:
            card.update(front=f"Question {n}?", back=f"Answer {n}.")
    data = {
        "article": {"slug": "big", "title": "Big", "source": "big.source.txt", "version": "2026-11-25",
                    "summary": "Large content.", "deck": "Big"},
        "sections": [{"id": "s", "heading": "Section", "body": paragraph}],
        "claims": [{"id": "q", "quote": "NAD⁺ levels vary by tissue.", "statement": "Yes.",
                    "verdict": "unsupported", "evidence": "none"}],
        "glossary": [{"term": f"Term {n}", "definition": f"Definition of term {n}."} for n in range(2000)],
        "cards": cards,
    }
    path = write_content(tmp_path, data, name="big.toml")
    outputs = build([path], tmp_path / "out", list(FORMATS), Options(), workers=2)
    assert {o.path.name for o in outputs} == {f"big{f.suffix}" for f in FORMATS.values()}
    col, _ = import_apkg(tmp_path / "c.anki2", tmp_path / "out" / "big.apkg")
    try:
        assert col.note_count() >= 5000
    finally:
        col.close()
