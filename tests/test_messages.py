"""Messages that show the fix: every problem in one run, at its line, with what to change."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings, strategies as st

from generator.cli import main
from generator.errors import ContentError
from generator.load import load
from generator.model import short_authors
from tests.conftest import SOURCE, import_apkg, problems_of, starter, write_content


def invoke(*args: str, env: dict | None = None):
    return CliRunner().invoke(main, list(args), env=env)


def variant(tmp_path: Path, change) -> Path:
    data = starter()
    change(data)
    return write_content(tmp_path / "content", data)


def located(output: str, path: Path) -> dict[str, tuple[int | None, str]]:
    """``{key path: (line, message)}`` from ``error: file[:line]: key path: message`` lines."""
    found = {}
    for text in output.splitlines():
        match = re.match(rf"(?:error|warning): {re.escape(str(path))}(?::(\d+))?: (\S+): (.*)", text)
        if match:
            found[match.group(2)] = (int(match.group(1)) if match.group(1) else None, match.group(3))
    return found


# --- every problem at once -------------------------------------------------------------

def test_schema_and_cross_reference_problems_come_in_one_run(tmp_path):
    def change(d):
        d["claims"][0]["verdict"] = "suported"  # schema
        d["cards"][0]["refs"] = ["lee2009"]  # cross-reference of a valid card
        d["cards"][2]["id"] = d["cards"][1]["id"]  # duplicate id
        d["cards"][3]["front"] = 7  # schema, in a card that also has a dangling claim
        d["cards"][3]["claim"] = "no-such-claim"
        d["cards"][4]["claim"] = "blood-nda"  # cross-reference of a valid card
    found = problems_of(variant(tmp_path, change))
    assert any(p.startswith("claims[0](id=nmn-atp).verdict: 'suported' is not allowed") for p in found), found
    assert "cards[0](id=nmn-precursor).refs[0]: no reference with id 'lee2009'; did you mean 'lee2008'?" in found
    assert any(p.startswith("cards[2].id: duplicate id 'nmn-atp'; first used by cards[1]") for p in found), found
    assert any(p.startswith("cards[3](id=sirt1-model).front:") for p in found), found
    # an entry with schema problems is not cross-checked on top: one report per entry's problems
    assert not any("no-such-claim" in p for p in found)
    # entries after a broken one keep their own index in the file
    assert "cards[4](id=nmn-blood).claim: no claim with id 'blood-nda'; did you mean 'blood-nad'?" in found


def test_valid_entries_are_cross_checked_when_the_article_is_broken(tmp_path):
    def change(d):
        d["article"].pop("summary")
        d["article"]["version"] = "25/11/2026"
        d["claims"][2]["quote"] = "SIRT1 cures everything"
        d["sections"][0]["body"] += " See [@rubinstein2011]."
    found = problems_of(variant(tmp_path, change))
    assert "article.summary: required key is missing" in found
    assert any(p.startswith("article.version: '25/11/2026' is not a date") and "YYYY-MM-DD" in p for p in found)
    assert any(p.startswith("claims[2](id=sirt1-autophagy).quote: not found verbatim") for p in found), found
    assert any(p.startswith("sections[0](id=what-is-autophagy).body: cites [@rubinstein2011]")
               and "did you mean 'rubinsztein2011'?" in p for p in found), found


def test_reference_to_a_broken_entry_is_not_also_dangling(tmp_path):
    def change(d):
        d["references"][0]["year"] = "2008"  # lee2008 has a problem, but it exists
    found = problems_of(variant(tmp_path, change))
    assert len(found) == 1 and found[0].startswith("references[0](id=lee2008).year"), found


# --- did you mean ----------------------------------------------------------------------

@pytest.mark.parametrize("change, expected", [
    (lambda d: d["claims"][0].update(verdikt="x"), "claims[0](id=nmn-atp).verdikt: unknown key; did you mean 'verdict'?"),
    (lambda d: d["article"].update(titel="x"), "article.titel: unknown key; did you mean 'title'?"),
    (lambda d: d["cards"][8].update(extras="x"), "cards[8](id=autophagy-site).extras: unknown key; did you mean 'extra'?"),
    (lambda d: d.update(glosary=[]), "glosary: unknown key; did you mean 'glossary'?"),
    (lambda d: d["claims"][0].update(evidence="animals"), "did you mean 'animal'?"),
    (lambda d: d["cards"][0].update(type="revers"), "did you mean 'reverse'?"),
    (lambda d: d["cards"][0].update(section="human-evidense"), "did you mean 'human-evidence'?"),
])
def test_near_misses_get_a_suggestion(tmp_path, change, expected):
    found = problems_of(variant(tmp_path, change))
    assert any(expected in p for p in found), found


@pytest.mark.parametrize("key", ["short_names", "shrot", "shorts"])
def test_a_key_with_another_attribute_name_is_suggested_as_written(tmp_path, key):
    """References' "short" is the attribute short_names: the suggestion names the key of the file."""
    found = problems_of(variant(tmp_path, lambda d: d["references"][0].update({key: "Lee and others"})))
    assert f"references[0](id=lee2008).{key}: unknown key; did you mean 'short'?" in found, found


def test_duplicate_names_the_first_occurrence_and_its_line(tmp_path):
    path = variant(tmp_path, lambda d: d["glossary"][4].update(term=d["glossary"][1]["term"]))
    result = invoke("check", str(path))
    assert result.exit_code == 1
    line, message = located(result.output, path)["glossary[4].term"]
    first = int(re.search(r"first used by glossary\[1\] \(line (\d+)\)", message).group(1))
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[first - 1] == 'term = "NAD^{+}"' and lines[line - 1] == 'term = "NAD^{+}"' and first < line


# --- lines -----------------------------------------------------------------------------

def test_messages_carry_the_line_of_the_key(tmp_path):
    def change(d):
        d["claims"][3]["verdict"] = "maybe"
        d["cards"][5]["refs"] = ["chen2024", "nobody"]
        d["pathway"][2]["colour"] = "red"
        d["references"][1].pop("journal")
    path = variant(tmp_path, change)
    result = invoke("check", str(path))
    assert result.exit_code == 1
    found = located(result.output, path)
    lines = path.read_text(encoding="utf-8").splitlines()
    expect = {"claims[3](id=blood-nad).verdict": "verdict = ", "cards[5](id=lipids).refs[1]": "refs = ",
              "pathway[2](id=sirt1).colour": "colour = ", "references[1](id=rubinsztein2011).journal": "[[references]]"}
    for where, start in expect.items():
        line, _ = found[where]
        assert lines[line - 1].startswith(start), (where, lines[line - 1])
    # the n-th entry, not another entry's key of the same name
    claim_headers = [i for i, text in enumerate(lines, 1) if text == "[[claims]]"]
    assert claim_headers[3] < found["claims[3](id=blood-nad).verdict"][0] < claim_headers[4]


def test_no_line_rather_than_a_wrong_one(tmp_path):
    """Strings that look like keys or headers inside multi-line strings do not move the count;
    a layout the scanner does not read (an inline array of tables) gives no line."""
    folder = tmp_path / "content"
    write_content(folder, starter())
    path = folder / "nmn-autophagy.toml"
    text = path.read_text(encoding="utf-8")
    text = re.sub(r'(?m)^subtitle = .*$', 'subtitle = """\n[[claims]]\nversion = "x" \\"""\n"""', text, count=1)
    text = text.replace('verdict = "imprecise"', 'verdict = "maybe"', 1)
    text += '\n[[cards]]\nid = "inline"\ntype = "basic"\nfront = "F"\nback = "B"\ntags = [\n  "a",\n  "b c",\n]\n'
    path.write_text(text, encoding="utf-8")
    result = invoke("check", str(path))
    found = located(result.output, path)
    lines = text.splitlines()
    line, _ = found["claims[0](id=nmn-atp).verdict"]
    assert lines[line - 1] == 'verdict = "maybe"'
    line, _ = found["cards[11](id=inline).tags[1]"]
    assert lines[line - 1] == "tags = ["

    cards = re.search(r"(?s)\n\[\[cards\]\].*", text).group(0)
    text = 'cards = [ { id = "x", type = "basic", front = "F", back = "B", colour = "red" } ]\n' + \
        text.replace(cards, "\n")
    path.write_text(text, encoding="utf-8")
    result = invoke("check", str(path))
    line, message = located(result.output, path)["cards[0](id=x).colour"]
    assert message.startswith("unknown key") and line is None


def test_toml_syntax_error_carries_its_line(tmp_path):
    folder = tmp_path / "content"
    write_content(folder, starter())
    path = folder / "nmn-autophagy.toml"
    path.write_text('[article]\nslug = "x"\ntitle = = 1\n', encoding="utf-8")
    result = invoke("check", str(path))
    assert result.exit_code == 1
    assert f"error: {path}:3: TOML syntax error" in result.output


# --- quotes ----------------------------------------------------------------------------

def test_quote_message_shows_the_closest_passage_and_a_look_alike_dash(tmp_path):
    passage = "a set of longevity-associated enzymes"
    assert passage in SOURCE.read_text(encoding="utf-8")
    typed = passage.replace("-", "\u2013")
    path = variant(tmp_path, lambda d: d["claims"][0].update(quote=typed))
    (found,) = [p for p in problems_of(path) if p.startswith("claims[0]")]
    assert f"the closest passage is {passage!r}" in found
    assert f"character {passage.index('-') + 1} of the quote" in found
    assert "U+2013 EN DASH" in found and "U+002D HYPHEN-MINUS" in found
    assert "a hyphen and an en dash look alike" in found


def test_quote_message_names_the_first_difference(tmp_path):
    path = variant(tmp_path, lambda d: d["claims"][0].update(
        quote="Nicotinamide mononucleotide (NMN) is a key compund that supports ATP synthesis"))
    (found,) = [p for p in problems_of(path) if p.startswith("claims[0]")]
    assert "closest passage is 'Nicotinamide mononucleotide (NMN) is a key compo" in found
    quote = "Nicotinamide mononucleotide (NMN) is a key compund"
    assert f"character {quote.index('und') + 1} of the quote: the quote has 'u'" in found
    assert "the source has 'o'" in found


def test_typographic_and_straight_quotes_match(tmp_path):
    def change(d):
        d["claims"][0]["quote"] = "Nicotinamide mononucleotide (NMN) is a key compound"
    path = variant(tmp_path, change)
    source = path.parent / "nmn-autophagy.source.txt"
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace("mononucleotide (NMN) is", "mononucleotide (“NMN”) isn’t"), encoding="utf-8")
    data = starter()
    data["claims"][0]["quote"] = "Nicotinamide mononucleotide (\"NMN\") isn't a key compound"
    write_content(path.parent, data)
    assert load(path).content.claims[0].quote.startswith("Nicotinamide")


# --- short citations ---------------------------------------------------------------------

@pytest.mark.parametrize("authors, short", [
    ("Lee IH", "Lee"),
    ("Diekelmann S, Born J", "Diekelmann and Born"),
    ("Lee IH, Cao L, Mostoslavsky R", "Lee et al."),
    ("Lee IH, et al.", "Lee et al."),
    ("de Cabo R, Mattson MP", "de Cabo and Mattson"),
    ("van der Berg A", "van der Berg"),
    ("World Health Organization", "World Health Organization"),
    ("López-Otín C, Blasco MA, Partridge L, et al.", "López-Otín et al."),
])
def test_short_author_names(authors, short):
    assert short_authors(authors) == short


def test_short_citations_on_cards(tmp_path):
    from generator.build import build
    from generator.render import Options

    def change(d):
        d["references"][0]["authors"] = "Diekelmann S, Born J"
        d["references"][1]["authors"] = "Health Council of the Netherlands"
        d["references"][1]["short"] = "Health Council"
        d["cards"][0]["back"] = "NAD^{+} [@lee2008] [@rubinsztein2011]"
    path = variant(tmp_path, change)
    build([path], tmp_path / "out", ["anki"], Options())
    col, _ = import_apkg(tmp_path / "c.anki2", tmp_path / "out" / "nmn-autophagy.apkg")
    try:
        answers = [col.get_card(c).answer() for c in col.find_cards("")]
    finally:
        col.close()
    answer = next(a for a in answers if "Diekelmann" in a)
    assert "(Diekelmann and Born 2008)" in answer and "(Health Council 2011)" in answer
    assert "et al" not in answer.split("Diekelmann")[1][:20]


# --- Unicode --------------------------------------------------------------------------

def test_text_is_nfc_so_nfd_twins_are_duplicates(tmp_path):
    def change(d):
        d["glossary"][0]["term"] = unicodedata.normalize("NFC", "Café")
        d["glossary"][1]["term"] = unicodedata.normalize("NFD", "Café")
    found = problems_of(variant(tmp_path, change))
    assert any(p.startswith("glossary[1].term: duplicate term 'Café'") for p in found), found


def test_nfd_source_matches_nfc_quote_and_identities_are_nfc(tmp_path):
    def change(d):
        d["glossary"][0]["term"] = unicodedata.normalize("NFD", "Café au lait")
        d["claims"][0]["quote"] = unicodedata.normalize("NFC", "Nicotinamide mononucléotide")
    path = variant(tmp_path, change)
    source = path.parent / "nmn-autophagy.source.txt"
    text = source.read_text(encoding="utf-8").replace("Nicotinamide mononucleotide", "Nicotinamide mononucléotide")
    source.write_text(unicodedata.normalize("NFD", text), encoding="utf-8")
    doc = load(path)
    assert doc.content.glossary[0].term == unicodedata.normalize("NFC", "Café au lait")
    assert unicodedata.is_normalized("NFC", doc.source_text)


# --- characters text may not hold --------------------------------------------------------

@pytest.mark.parametrize("char, words", [
    ("\ufffe", "U+FFFE, a noncharacter"),
    ("\uffff", "U+FFFF, a noncharacter"),
    ("\U0001fffe", "U+1FFFE, a noncharacter"),
    ("\ufdd0", "U+FDD0, a noncharacter"),
    ("\uf0b7", "U+F0B7, a private-use character"),
    ("\x85", "U+0085, a control character"),
])
def test_characters_xml_cannot_carry_are_content_errors(tmp_path, char, words):
    path = variant(tmp_path, lambda d: d["pathway"][1].update(label=f"NAD{char}+"))
    result = invoke("check", str(path))
    assert result.exit_code == 1, result.output
    line, message = located(result.output, path)["pathway[1](id=nad).label"]
    assert words in message and "character 4" in message and line


@pytest.mark.parametrize("where", [("references", 0, "authors"), ("claims", 0, "quote"), ("article", None, "deck"),
                                   ("article", None, "editor")])
def test_plain_fields_refuse_them_too(tmp_path, where):
    table, index, key = where

    def change(d):
        entry = d[table] if index is None else d[table][index]
        entry[key] = entry[key] + "\uffff"
    assert invoke("check", str(variant(tmp_path, change))).exit_code == 1


def test_surrogates_cannot_enter(tmp_path):
    folder = tmp_path / "content"
    path = write_content(folder, starter())
    text = path.read_text(encoding="utf-8")
    path.write_bytes(text.replace('editor = "studygen"', 'editor = "stu\\uD800"').encode())
    result = invoke("check", str(path))
    assert result.exit_code == 1 and "TOML syntax error" in result.output
    path.write_bytes(text.encode().replace(b'editor = "studygen"', b'editor = "stu\xed\xa0\x80"'))
    result = invoke("check", str(path))
    assert result.exit_code == 1 and "not UTF-8" in result.output


def test_byte_order_marks_and_tabs_are_normalised_and_build(tmp_path):
    def change(d):
        d["sections"][0]["body"] = "\ufeff" + d["sections"][0]["body"].replace(" cell ", " \ufeffcell ")
        d["article"]["deck"] = "Health::NMN\tand autophagy"
        d["article"]["title"] = "NMN\tand autophagy"
        d["glossary"][0]["term"] = "NMN\t(nicotinamide mononucleotide)"
    path = variant(tmp_path, change)
    doc = load(path)
    assert doc.content.article.deck == "Health::NMN and autophagy"
    assert doc.content.article.title == "NMN and autophagy"
    assert "\ufeff" not in doc.content.sections[0].body
    assert invoke("check", str(path)).exit_code == 0
    result = invoke("build", str(path), "-o", str(tmp_path / "out"), "-j", "1")
    assert result.exit_code == 0, result.output


# --- crash paths ----------------------------------------------------------------------------

def test_deep_nesting_is_a_content_error(tmp_path):
    folder = tmp_path / "content"
    path = write_content(folder, starter())
    with path.open("a", encoding="utf-8") as f:
        f.write("\n[extra]\nvalue = " + "[" * 5000 + "]" * 5000 + "\n")
    result = invoke("check", str(path))
    assert result.exit_code == 1, result.output
    assert "nested too deeply" in result.output and "internal error" not in result.output


@pytest.mark.parametrize("value", ["²", "١٢٣", "12³"])
def test_source_date_epoch_with_non_ascii_digits(tmp_path, value):
    path = write_content(tmp_path / "content", starter())
    result = invoke("build", str(path), "-o", str(tmp_path / "out"), "--format", "anki",
                    env={"SOURCE_DATE_EPOCH": value})
    assert result.exit_code in (1, 2), result.output
    assert "SOURCE_DATE_EPOCH" in result.output and "internal error" not in result.output


# --- tags and decks ----------------------------------------------------------------------

@pytest.mark.parametrize("tag", ["::", "a::", "::a", "a::::b"])
def test_tags_with_a_blank_level_are_refused(tmp_path, tag):
    found = problems_of(variant(tmp_path, lambda d: d["cards"][0].update(tags=[tag])))
    assert any(p.startswith("cards[0](id=nmn-precursor).tags[0]") and "blank" in p for p in found), found


@pytest.mark.parametrize("deck", ["A:: ::B", "A::::B", "A::  "])
def test_decks_with_a_blank_level_are_refused(tmp_path, deck):
    found = problems_of(variant(tmp_path, lambda d: d["article"].update(deck=deck)))
    assert any(p.startswith("article.deck") for p in found), found


@pytest.mark.parametrize("tag", ["Evidence::none", "EVIDENCE", "evidence::Animal"])
def test_reserved_tag_is_case_insensitive(tmp_path, tag):
    found = problems_of(variant(tmp_path, lambda d: d["cards"][0].update(tags=[tag])))
    assert any("is reserved" in p for p in found), found


def test_hierarchical_tags_and_decks_still_work(tmp_path):
    path = variant(tmp_path, lambda d: (d["cards"][0].update(tags=["a::b::c", "x:y"]),
                                        d["article"].update(deck="Top::Middle: part::Leaf")))
    assert load(path).content.cards[0].tags == ["a::b::c", "x:y"]


# --- grading -------------------------------------------------------------------------------

def test_a_graded_claim_without_references_is_an_error(tmp_path):
    path = variant(tmp_path, lambda d: d["claims"][0].update(refs=[]))
    result = invoke("check", str(path))
    assert result.exit_code == 1
    found = located(result.output, path)
    assert "claims[0](id=nmn-atp).refs" in found, result.output
    assert "'imprecise' needs a reference" in found["claims[0](id=nmn-atp).refs"][1]
    unsupported = variant(tmp_path / "u", lambda d: d["claims"][0].update(refs=[], verdict="unsupported"))
    result = invoke("check", str(unsupported))
    assert result.exit_code == 0 and "claims[0]" not in result.output


# --- property: any mix of broken entries -------------------------------------------------

TABLES = ("sections", "claims", "pathway", "glossary", "references", "cards")
WRONG = st.sampled_from([7, "", "\ufffe", "Bad Id", ["x"], {"a": 1}, True, "verdict", "::", "1999-02-30"])


@st.composite
def breakages(draw) -> list[tuple]:
    """A few changes: a key set to a wrong value, removed, or misspelt, in random entries."""
    data = starter()
    found = []
    for _ in range(draw(st.integers(1, 5))):
        table = draw(st.sampled_from(TABLES + ("article",)))
        entry = data["article"] if table == "article" else draw(st.sampled_from(data[table]))
        key = draw(st.sampled_from(sorted(set(entry) - {"source"})))  # the test writes the source file
        found.append((table, entry, key, draw(st.sampled_from(["wrong", "drop", "misspell"])), draw(WRONG)))
    return found


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(changes=breakages())
def test_any_broken_entries_give_problems_at_the_right_lines(tmp_path_factory, changes):
    data = starter()
    for table, entry, key, how, value in changes:
        target = data["article"] if table == "article" else data[table][starter()[table].index(entry)]
        if key not in target:
            continue
        if how == "wrong":
            target[key] = value
        elif how == "drop":
            del target[key]
        else:
            target[key + "x"] = target.pop(key)
    path = write_content(tmp_path_factory.mktemp("broken"), data)
    try:
        load(path)
        return
    except ContentError as error:
        problems = error.problems[path]
    lines = path.read_text(encoding="utf-8").splitlines()
    for problem in problems:
        assert problem.what
        if problem.line is None:
            continue
        text = lines[problem.line - 1]
        match = re.match(r"([a-z]+)(?:\[(\d+)\])?(?:\(id=[^)]*\))?(?:\.([a-z_]+))?", problem.where)
        table, index, key = match.groups()
        entry = data[table] if index is None else data[table][int(index)]
        if key is not None and isinstance(entry, dict) and key in entry:
            assert text.startswith(f"{key} = "), (problem, text)
        else:  # a missing key: the entry's header
            assert text in (f"[{table}]", f"[[{table}]]"), (problem, text)
        if index is not None:
            headers = [n for n, line in enumerate(lines, 1) if line == f"[[{table}]]"]
            assert headers[int(index)] <= problem.line, (problem, text)
            assert int(index) + 1 == len(headers) or problem.line < headers[int(index) + 1], (problem, text)


def test_a_slug_used_twice_is_reported_at_its_line(tmp_path):
    first = write_content(tmp_path / "a", starter())
    second = write_content(tmp_path / "b", starter(), name="twin.toml")
    result = invoke("check", str(first), str(second))
    assert result.exit_code == 1
    line, message = located(result.output, second)["article.slug"]
    assert message.startswith("slug 'nmn-autophagy' is already used by")
    assert second.read_text(encoding="utf-8").splitlines()[line - 1] == 'slug = "nmn-autophagy"'


def test_schema_patterns_are_readable_by_json_schema_tools():
    """ECMAScript regexes (editors' JSON Schema validators) read \\uXXXX but not \\UXXXXXXXX."""
    import json
    schema = invoke("schema").output
    patterns = re.findall(r'"pattern": ("(?:[^"\\]|\\.)*")', schema)
    assert patterns and not any("\\U" in json.loads(p) for p in patterns)
