"""Authoring help: `studygen new` scaffolds and the loose ends `studygen check -v` lists."""

from __future__ import annotations

import re
import string
import tomllib
import typing
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings, strategies as st
from pydantic import BaseModel

from generator.load import load
from generator import model as content_model
from generator.schema import model_of
from tests.conftest import invoke, starter, write_content

ARTICLE = ("Why We Sleep\n"
           "Sleep has stages, and each night we cycle through them four or five times.\n\n"
           "Dreams happen mostly in REM sleep & <elsewhere>, as one review [@walker2017] puts it.\n")


def scaffold(tmp_path: Path, text: str | bytes, slug: str = "sleep-basics") -> Path:
    article = tmp_path / "article.txt"
    article.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    result = invoke("new", slug, "--source", str(article), cwd=tmp_path)
    assert result.exit_code == 0, result.output
    return tmp_path / "content" / f"{slug}.toml"


def uncomment(text: str) -> str:
    """The scaffold with every commented example line (headers and keys) put to use."""
    return re.sub(r"(?m)^# (\[\[?[a-z]+\]\]?\s*$|[a-z_]+ = )", r"\1", text)


# --- studygen new ---------------------------------------------------------------------------

def test_new_marks_a_draft_that_check_warns_about(tmp_path):
    toml = scaffold(tmp_path, ARTICLE)
    assert load(toml).content.article.draft is True
    result = invoke("check", cwd=tmp_path)
    assert result.exit_code == 0, result.output
    assert re.search(r"warning: content/sleep-basics.toml:\d+: article.draft: this is a draft", result.output)
    assert invoke("check", "--strict", cwd=tmp_path).exit_code == 1
    toml.write_text(toml.read_text(encoding="utf-8").replace("draft = true\n", ""), encoding="utf-8")
    result = invoke("check", "--strict", cwd=tmp_path)
    assert result.exit_code == 0 and "draft" not in result.output


def test_new_gives_a_short_deck_name(tmp_path):
    title = "Sleep and Memory: How the Brain Consolidates What We Learned Today"
    toml = scaffold(tmp_path, f"{title}\nSleep helps memory.\n", slug="sleep-memory")
    article = load(toml).content.article
    assert article.title == title
    assert article.deck == "Sleep memory"


def test_new_with_a_citation_lookalike_passes_check_and_builds(tmp_path):
    scaffold(tmp_path, "Sleep [@walker2017] and memory\n" + ARTICLE)
    result = invoke("check", cwd=tmp_path)
    assert result.exit_code == 0, result.output
    assert invoke("build", "-j", "1", "--format", "pdf", cwd=tmp_path).exit_code == 0


@pytest.mark.parametrize("ending", ["\r", "\r\n", "\n"])
def test_new_reads_every_line_ending(tmp_path, ending):
    toml = scaffold(tmp_path, ARTICLE.replace("\n", ending))
    doc = load(toml)
    assert doc.content.article.title == "Why We Sleep"
    assert [s.body.split(",")[0] for s in doc.content.sections] == ["Sleep has stages", "Dreams happen mostly in REM sleep & <elsewhere>"]


def test_new_without_a_title_line_shortens_the_first_sentence(tmp_path):
    text = "Sleep has stages, and each night we cycle through them four or five times, says the review.\n"
    doc = load(scaffold(tmp_path, text))
    assert doc.content.article.title.endswith("…") and len(doc.content.article.title.split()) <= 13
    assert doc.content.sections[0].body == text.strip()


def test_new_template_has_an_example_of_every_field(tmp_path):
    toml = scaffold(tmp_path, ARTICLE)
    data = tomllib.loads(uncomment(toml.read_text(encoding="utf-8")))
    for table, info in model_of(content_model.Content).model_fields.items():
        annotation = info.annotation
        entries = data.get(table)
        assert entries, f"no example of [[{table}]]"
        if typing.get_origin(annotation) is list:
            annotation = typing.get_args(annotation)[0]
        models, found = [annotation], []
        while models:
            model = models.pop()
            if isinstance(model, type) and issubclass(model, BaseModel):
                found.append(model)
            else:
                models.extend(typing.get_args(model))
        written = {key for entry in (entries if isinstance(entries, list) else [entries]) for key in entry}
        for model in found:
            keys = {f.alias or name for name, f in model.model_fields.items()}
            assert keys <= written, f"[{table}] has no example of {sorted(keys - written)}"
    types = {card["type"] for card in data["cards"]}
    assert types == {"basic", "reverse", "cloze"}


def test_new_template_examples_pass_check_and_build(tmp_path):
    toml = scaffold(tmp_path, ARTICLE)
    toml.write_text(uncomment(toml.read_text(encoding="utf-8")), encoding="utf-8")
    result = invoke("check", cwd=tmp_path)
    assert result.exit_code == 0, result.output
    result = invoke("build", "-j", "1", cwd=tmp_path)
    assert result.exit_code == 0, result.output


# --- studygen check -v ---------------------------------------------------------------------

def _loose(tmp_path: Path, change) -> list[str]:
    data = starter()
    change(data)
    path = write_content(tmp_path / "content", data)
    result = invoke("check", "-v", str(path))
    assert result.exit_code == 0, result.output
    quiet = invoke("check", str(path))
    assert not any(line.lstrip().startswith(("untested", "uncited", "unused")) for line in quiet.output.splitlines())
    return [line.strip() for line in result.output.splitlines()]


def test_check_v_lists_untested_claims_uncited_references_and_unused_terms(tmp_path):
    def change(d):
        d["cards"] = [c for c in d["cards"] if c.get("claim") != "lipids"]
        d["references"].append({"id": "nobody2020", "authors": "Nobody N", "year": 2020,
                                "title": "Never cited", "journal": "Nowhere"})
        d["glossary"].append({"term": "Mitophagy", "definition": "Autophagy of mitochondria."})
    lines = _loose(tmp_path, change)
    assert any(line.startswith("untested claim: lipids") for line in lines), lines
    assert any(line.startswith("uncited reference: nobody2020") for line in lines), lines
    assert any(line.startswith("unused glossary term: Mitophagy") for line in lines), lines


def test_check_v_counts_every_kind_of_use(tmp_path):
    def change(d):
        # cited only in a cloze card's extra, and only in a takeaway
        d["references"].append({"id": "cloze2020", "authors": "Cloze C", "year": 2020, "title": "T", "journal": "J"})
        d["references"].append({"id": "take2020", "authors": "Take T", "year": 2020, "title": "T", "journal": "J"})
        d["cards"][8]["extra"] = "More [@cloze2020]"
        d["takeaways"][0]["text"] += " [@take2020]"
        # used only in plural, in another definition, and by the short form of a two-part term
        d["glossary"].append({"term": "Mitophagy", "definition": "Autophagy of mitochondria."})
        d["glossary"].append({"term": "Mitochondrion", "definition": "Organelle; see Mitophagy."})
        d["glossary"][1]["definition"] += " Mitochondrions? No: mitochondria."
        d["glossary"].append({"term": "SIRT1 (sirtuin 1)", "definition": "A sirtuin."})
    lines = _loose(tmp_path, change)
    assert not any("cloze2020" in line or "take2020" in line for line in lines), lines
    unused = [line for line in lines if line.startswith("unused glossary term")]
    assert not any("Mitophagy" in line or "Mitochondrion" in line or "SIRT1" in line for line in unused), unused


# --- property: any article ----------------------------------------------------------------

ARTICLE_ALPHABET = (string.ascii_letters + string.digits + " .,;:!?()'\"<>&/*^_{}[]@-+=%#~|\\\t\r\n"
                    + "àéîõüßç’“”–—⁺₂" + "\ufeff\uf0b7\ufffe\x00\x85\u200b\u2028")
articles = st.text(alphabet=ARTICLE_ALPHABET, min_size=1, max_size=400).filter(
    lambda s: any(c.isalnum() for c in s))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=articles)
@example(text="\u200b\r0")  # a first line of nothing printable is not the title
def test_new_on_any_article_passes_check(tmp_path_factory, text):
    folder = tmp_path_factory.mktemp("new")
    toml = scaffold(folder, text)
    result = invoke("check", str(toml), cwd=folder)
    assert result.exit_code == 0, result.output
    # and so do its examples, once put to use
    toml.write_text(uncomment(toml.read_text(encoding="utf-8")), encoding="utf-8")
    result = invoke("check", str(toml), cwd=folder)
    assert result.exit_code == 0, result.output


@settings(max_examples=3, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=articles)
def test_new_on_any_article_builds(tmp_path_factory, text):
    folder = tmp_path_factory.mktemp("new")
    scaffold(folder, text)
    result = invoke("build", "-j", "1", cwd=folder)
    assert result.exit_code == 0, result.output
