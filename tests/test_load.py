"""Loader errors: every problem names the file, the key path and what is wrong."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.errors import ContentError
from generator.load import load, load_all
from tests.conftest import CONTENT, problems_of, starter, write_content


def variant(tmp_path: Path, change) -> Path:
    data = starter()
    change(data)
    return write_content(tmp_path, data)


def test_shipped_content_loads():
    doc = load(CONTENT)
    assert doc.slug == "nmn-autophagy"
    assert doc.source_text.startswith("The Link Between NMN And Autophagy")


@pytest.mark.parametrize("change, expected", [
    (lambda d: d["cards"][3].update(type="flashcard"), "cards[3](id=sirt1-model).type: unknown card type 'flashcard'"),
    (lambda d: d["claims"][0].update(verdict="true"), "claims[0](id=nmn-atp).verdict: 'true' is not allowed"),
    (lambda d: d["claims"][1].update(evidence="anecdote"), "claims[1](id=nmn-building-block).evidence: 'anecdote'"),
    (lambda d: d["article"].pop("title"), "article.title: required key is missing"),
    (lambda d: d["article"].update(colour="blue"), "article.colour: unknown key"),
    (lambda d: d["references"][0].update(year="2008"), "references[0](id=lee2008).year: Input should be a valid integer"),
    (lambda d: d["article"].update(slug="Bad Slug"), "article.slug: 'Bad Slug' has the wrong form"),
    (lambda d: d["references"][0].update(doi="https://doi.org/10.1073/x"),
     "references[0](id=lee2008).doi: 'https://doi.org/10.1073/x' has the wrong form: a DOI looks like"),
    (lambda d: d["cards"][0].update(tags=["two words"]), "cards[0](id=nmn-precursor).tags[0]: 'two words' has the "
     "wrong form: a tag has no spaces"),
    (lambda d: d["cards"][0].pop("back"), "cards[0](id=nmn-precursor).back: required key is missing"),
])
def test_schema_errors_name_the_key(tmp_path, change, expected):
    found = problems_of(variant(tmp_path, change))
    assert any(p.startswith(expected) for p in found), found


def test_cross_checks(tmp_path):
    def change(d):
        d["cards"][1]["id"] = d["cards"][0]["id"]
        d["claims"][0]["refs"] = ["nobody2020"]
        d["claims"][1]["quote"] = "NMN cures ageing"
        d["cards"][2]["claim"] = "no-such-claim"
        d["cards"][8]["text"] = "No deletion here."
        d["sections"][0]["body"] += " See [@ghost]."
    found = problems_of(variant(tmp_path, change))
    # all problems of the file arrive together
    assert any(p.startswith("cards[1].id: duplicate id 'nmn-precursor'") for p in found)
    assert "claims[0](id=nmn-atp).refs[0]: no reference with id 'nobody2020'" in found
    assert any(p.startswith("claims[1](id=nmn-building-block).quote: not found verbatim in the source article")
               for p in found)
    assert "cards[2](id=sirt1-targets).claim: no claim with id 'no-such-claim'" in found
    assert any(p.startswith("cards[8](id=autophagy-site).text: a cloze card needs") for p in found)
    assert "sections[0](id=what-is-autophagy).body: cites [@ghost] but there is no reference with that id" in found


def test_quote_matches_with_normalised_whitespace(tmp_path):
    def change(d):
        d["claims"][0]["quote"] = "Nicotinamide mononucleotide (NMN)\n   is a key compound"
    assert load(variant(tmp_path, change)).content.claims[0].quote.startswith("Nicotinamide")


@pytest.mark.parametrize("text, expected", [
    ("", "the file is empty"),
    ("[article\nslug = 1", "TOML syntax error"),
    ("title = \"x\"\nslug = \"y\"\n", "article: required key is missing"),
])
def test_file_level_errors(tmp_path, text, expected):
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    found = problems_of(path)
    assert any(expected in p for p in found), found


def test_toml_error_has_line_and_column(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text('[article]\nslug = "x"\ntitle = = "y"\n', encoding="utf-8")
    (found,) = problems_of(path)
    assert "line 3" in found and "column" in found


def test_source_problems(tmp_path):
    data = starter()
    data["article"]["source"] = "missing.txt"
    path = tmp_path / "c.toml"
    import tomli_w
    path.write_text(tomli_w.dumps(data), encoding="utf-8")
    assert any("article.source: source file" in p and "does not exist" in p for p in problems_of(path))
    (tmp_path / "missing.txt").write_bytes(b"caf\xe9 au lait")
    assert any("is not UTF-8" in p for p in problems_of(path))


def test_directory_and_missing_file(tmp_path):
    assert problems_of(tmp_path) == ["is a directory, not a content file"]
    assert problems_of(tmp_path / "nope.toml") == ["no such file"]


def test_load_all_collects_every_file_and_duplicate_slugs(tmp_path):
    good = write_content(tmp_path / "a", starter())
    twin = write_content(tmp_path / "b", starter())
    bad = tmp_path / "bad.toml"
    bad.write_text("", encoding="utf-8")
    with pytest.raises(ContentError) as info:
        load_all([good, twin, bad])
    lines = info.value.lines()
    assert any(str(bad) in line and "empty" in line for line in lines)
    assert any(str(twin) in line and "slug 'nmn-autophagy' is already used" in line for line in lines)


def test_loading_leaves_no_reference_cycles_and_the_collector_on(tmp_path):
    # The cycle collector is paused while a file loads (generator.collector): whatever
    # loading leaves in cycles would pile up until it runs again.
    import gc
    import sys

    sys.path.insert(0, str(Path(__file__).parent.parent / "bench"))
    import workloads

    paths = [CONTENT, Path(__file__).parent / "fixtures" / "hostile.toml",
             workloads.generated(tmp_path, "cycles", cards=60, terms=10)]
    load(CONTENT)  # caches of the process filled first: what a load adds to them is not garbage
    gc.collect()
    was = gc.isenabled()
    gc.disable()
    try:
        for path in paths:
            load(path)
            assert gc.collect() == 0, path
    finally:
        if was:
            gc.enable()
    assert gc.isenabled() == was
    load(CONTENT)
    assert gc.isenabled() == was
    with pytest.raises(ContentError):
        load(tmp_path / "missing.toml")
    assert gc.isenabled() == was


def test_what_a_paused_collector_saw_made_is_left_to_its_full_collections(monkeypatch):
    # The young generations' next collection does not walk what the pause made, a full one
    # still frees its cycles, and objects someone froze before stay frozen.
    import gc

    from generator import collector

    class Node:
        pass

    gc.unfreeze()  # (an interpreter may start with objects of its own frozen)
    gc.collect()
    with collector.paused():
        kept = [Node() for _ in range(100)]
        cycle = Node()
        cycle.me = cycle
    assert gc.isenabled()
    young = {id(o) for o in gc.get_objects(generation=0)} | {id(o) for o in gc.get_objects(generation=1)}
    assert not young & {id(node) for node in kept}
    del cycle
    assert gc.collect() >= 1  # the cycle, found by a full collection

    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        with collector.paused():
            more = [Node() for _ in range(100)]
        assert gc.get_freeze_count() == frozen and more
        # A process that froze for good (a build's worker) freezes what the pause made too.
        monkeypatch.setattr(collector, "_for_good", True)
        with collector.paused():
            more = [Node() for _ in range(100)]
        assert gc.get_freeze_count() >= frozen + len(more)
    finally:
        gc.unfreeze()
