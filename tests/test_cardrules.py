"""Card-writing checks, on cards from subjects the rules were not written for.

Each rule gets bad cards it must catch and good cards on the same facts it must
leave alone; the good cards must draw no warning at all.
"""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner
from hypothesis import given, settings, strategies as st

from generator import cardrules
from generator.cli import main
from generator.errors import ContentError
from generator.load import load
from generator.model import Content, GlossaryEntry
from generator.schema import model_of, to_entries
from tests.conftest import starter, write_content


def basic(front: str, back: str, **extra) -> dict:
    return {"type": "basic", "front": front, "back": back, **extra}


def reverse(front: str, back: str, **extra) -> dict:
    return {"type": "reverse", "front": front, "back": back, **extra}


def cloze(text: str, **extra) -> dict:
    return {"type": "cloze", "text": text, **extra}


def term(name: str, definition: str, **extra) -> dict:
    entry = {"term": name, "definition": definition, **extra}
    if "reverse" in dict(GlossaryEntry._fields):  # definition → term cards are opt-in
        entry.setdefault("reverse", True)
    return entry


def content_with(cards: list[dict], glossary: list[dict] = ()) -> Content:
    data = starter()
    data["cards"] = [{"id": f"card-{n}", **card} for n, card in enumerate(cards)]
    data["glossary"] = list(glossary)
    return to_entries(model_of(Content).model_validate(data))


def rules_of(cards: list[dict], glossary: list[dict] = ()) -> list[str]:
    return [p.what.split(":")[0] for p in cardrules.check(content_with(cards, glossary))]


# (rule, bad cards, good cards on the same facts); subjects: sleep and memory, geography, programming.
CASES = [
    ("yes-no",
     [basic("Does sleep deprivation impair the consolidation of new memories?", "Yes, especially declarative ones."),
      basic("Is Sydney the capital of Australia?", "No. The capital is Canberra."),
      basic("Can a Python tuple be changed after it is created?", "No — tuples are immutable."),
      basic("In his 1885 experiments, did Ebbinghaus use nonsense syllables?", "Yes"),
      basic("The Danube flows into the Black Sea. True?", "True")],
     [basic("Which kind of memory suffers most when sleep after learning is lost?", "Declarative memory"),
      basic("What is the capital of Australia?", "Canberra"),
      basic("Which exception does Python raise when code assigns to an item of a tuple?", "TypeError"),
      basic("What kind of syllables did Ebbinghaus memorise in his 1885 experiments?", "Nonsense syllables"),
      basic("Is the Danube's mouth on the Black Sea or the Adriatic?", "The Black Sea", allow=["either-or"])]),
    ("giveaway",
     [basic("What do we call the sleep stage marked by rapid eye movements?", "REM (rapid eye movement) sleep"),
      basic("Which Python statement handles the exceptions raised in a try block?", "The try/except statement"),
      cloze("Hippocampal replay during {{c1::sleep}} strengthens memories formed before sleep."),
      basic("Which enzymes turn nicotinamide riboside into NMN?", "NR kinases (nicotinamide riboside kinases)")],
     [basic("In which sleep stage do most vivid dreams occur?", "REM sleep"),
      basic("Which Python statement catches an exception?", "try/except"),
      cloze("Hippocampal replay during {{c1::sleep}} strengthens the day's memories."),
      basic("Which lobe of the brain holds the primary visual cortex?", "The occipital lobe")]),
    ("either-or",
     [basic("Does memory consolidation depend mainly on REM or on slow-wave sleep?", "Slow-wave sleep"),
      basic("Is Python dynamically or statically typed?", "Dynamically typed"),
      basic("Which river is longer, the Nile or the Amazon?", "The Nile, by most measurements")],
     [basic("In which sleep stage are declarative memories mainly consolidated?", "Slow-wave sleep"),
      basic("How does Python check the types of variables?", "Dynamically, at run time"),
      basic("Which sleep disorder brings sudden sleep attacks or cataplexy?", "Narcolepsy")]),
    ("long-answer",
     [basic("What does the global interpreter lock do in CPython?",
            "It lets only one thread execute Python bytecode at a time, which simplifies memory management "
            "but limits parallelism on many cores."),
      basic("Why do we forget?", "Memories decay over time, new learning interferes with old learning, and "
                                 "retrieval cues that were present at encoding are missing later.")],
     [basic("In CPython, the global interpreter lock lets only one thread do what at a time?",
            "Execute Python bytecode"),
      basic("What does new learning do to older memories in interference theory?", "It disrupts their retrieval")]),
    ("long-cloze",
     [cloze("Sleep spindles {{c1::are bursts of 11 to 16 Hz activity seen in stage 2 sleep}}."),
      cloze("Caffeine delays sleep {{c1::because it blocks adenosine receptors}}."),
      cloze("A Python list {{c1::can grow, shrink and be edited}} in place.")],
     [cloze("Sleep spindles are bursts of {{c1::11 to 16 Hz}} activity in stage 2 sleep."),
      cloze("Caffeine delays sleep by blocking {{c1::adenosine}} receptors."),
      cloze("A Python list is {{c1::mutable}}: it can be edited in place."),
      cloze("Adults need {{c1::7 to 9 hours}} of sleep; Mount Everest is {{c2::8,849 m}} high.")]),
    ("set",
     [basic("Which countries share the Iberian Peninsula?", "Spain, Portugal, Andorra and Gibraltar (UK)"),
      basic("Which built-in Python sequence types are immutable?", "str, tuple, bytes and range"),
      basic("What are the stages of NREM sleep?", "N1, N2 and N3")],
     [basic("Which small country in the Pyrenees lies on the Iberian Peninsula?", "Andorra"),
      cloze("Immutable built-in sequence types in Python include {{c1::tuple}}, {{c2::str}} and {{c3::bytes}}."),
      basic("Which NREM stage is also called slow-wave sleep?", "N3")]),
    ("reverse-sentence",
     [reverse("Hippocampus", "It is the brain region where new episodic memories are first formed."),
      reverse("What is the capital of Peru?", "Lima"),
      reverse("Sleep inertia", "the grogginess and impaired performance that people experience for a while "
                               "immediately after waking up")],
     [reverse("Hippocampus", "Brain region that first forms episodic memories"),
      reverse("Lima", "Capital of Peru"),
      reverse("Sleep inertia", "Grogginess just after waking")]),
    ("near-duplicate",
     [basic("What is the capital of Australia?", "Canberra"),
      basic("Which city is the capital of Australia?", "Canberra")],
     [basic("What is the capital of Australia?", "Canberra"),
      basic("Which city was built as a federal seat of government from 1913?", "Canberra")]),
    ("function-word",
     [cloze("Memories are {{c1::not}} consolidated by wakefulness alone."),
      cloze("A Python dict maps keys {{c1::to}} values.")],
     [cloze("Memories are consolidated mainly during {{c1::sleep}}."),
      cloze("A Python dict maps keys to {{c1::values}}.")]),
    ("about-document",
     [basic("According to this article, which sleep stage consolidates memory?", "Slow-wave sleep"),
      basic("Which language do the benchmarks reviewed here favour?", "Rust"),
      cloze("The article names {{c1::Lima}} as the capital of Peru.")],
     [basic("Which sleep stage consolidates declarative memory?", "Slow-wave sleep"),
      basic("Which language compiled fastest in the 2024 benchmark by Smith et al.?", "Rust"),
      cloze("{{c1::Lima}} is the capital of Peru.")]),
]


@pytest.mark.parametrize("rule, bad, good", CASES, ids=[case[0] for case in CASES])
def test_rule_catches_bad_cards_and_spares_good_ones(rule, bad, good):
    if rule == "near-duplicate":
        assert rules_of(bad) == ["near-duplicate"]
        assert rules_of(good) == []
        return
    for card in bad:
        assert rule in rules_of([card]), card
    for card in good:
        assert rules_of([card]) == [], card


def test_glossary_terms_count_as_cards():
    bad = [term("Sleep spindle", "A spindle-shaped burst of activity on the EEG during light sleep."),
           term("Randomised controlled trial (RCT)", "A controlled trial in which participants are randomised "
                                                    "to a treatment or a control."),
           term("Glossary", "This article's list of terms.")]
    good = [term("Hippocampus", "A seahorse-shaped structure in the temporal lobe, needed to form new episodic "
                                "memories. It is one of the first regions damaged in Alzheimer's disease."),
            term("Sleep spindle", "A burst of 11 to 16 Hz activity on the EEG during stage 2 of NREM sleep.")]
    assert rules_of([], bad) == ["giveaway", "giveaway", "about-document"]
    assert rules_of([], good) == []  # a definition may be long: it is read for the gist


def test_glossary_term_and_card_asking_for_the_same_thing_interfere():
    found = cardrules.check(content_with(
        [reverse("Hippocampus", "Temporal-lobe structure that forms new episodic memories")],
        [term("Hippocampus", "The temporal-lobe structure that forms new episodic memories.")]))
    assert [p.what.split(":")[0] for p in found] == ["near-duplicate"]
    assert found[0].where == "glossary[0](term=Hippocampus)" and "cards[0](id=card-0)" in found[0].what


def test_allow_silences_one_rule_for_one_card():
    yes_no = basic("Is Sydney the capital of Australia?", "No. The capital is Canberra.")
    assert rules_of([yes_no, dict(yes_no, allow=["yes-no"])]) == ["yes-no", "near-duplicate"]
    # other rules still apply to a card that allows one
    assert rules_of([dict(yes_no, front="According to this article, is Sydney the capital?",
                          allow=["yes-no"])]) == ["about-document"]
    # a near-duplicate pair is silenced from either side
    pair = [basic("What is the capital of Australia?", "Canberra"),
            basic("Which city is the capital of Australia?", "Canberra")]
    assert rules_of([dict(pair[0], allow=["near-duplicate"]), pair[1]]) == []
    assert rules_of([pair[0], dict(pair[1], allow=["near-duplicate"])]) == []


def test_unknown_rule_name_is_a_content_error_with_a_suggestion(tmp_path):
    data = starter()
    data["cards"][0]["allow"] = ["yes_no"]
    data["glossary"][0]["allow"] = ["giveway", "spelling"]
    path = write_content(tmp_path, data)
    with pytest.raises(ContentError) as info:
        load(path)
    found = [str(p) for p in info.value.problems[path]]
    assert any(p.startswith("cards[0](id=nmn-precursor).allow[0]: unknown card rule 'yes_no'; did you mean 'yes-no'?")
               for p in found), found
    assert any(p.startswith("glossary[0].allow[0]: unknown card rule 'giveway'; did you mean 'giveaway'?")
               for p in found), found
    assert any(p.startswith("glossary[0].allow[1]: unknown card rule 'spelling'; rules: yes-no,") for p in found), found


def test_check_prints_warnings_and_strict_fails_on_them(tmp_path):
    data = starter()
    data["cards"].append({"id": "capital", "type": "basic", "front": "Is Sydney the capital of Australia?",
                          "back": "No. The capital is Canberra."})
    path = write_content(tmp_path, data)
    result = CliRunner().invoke(main, ["check", str(path)])
    assert result.exit_code == 0, result.output
    line = next(line for line in result.output.splitlines() if line.startswith("warning:"))
    found = re.match(rf"warning: {re.escape(str(path))}:(\d+): cards\[{len(data['cards']) - 1}\]\(id=capital\): yes-no: ",
                     line)
    assert found, line
    # the line number leads to the card in the file
    assert 'id = "capital"' in "\n".join(path.read_text().splitlines()[int(found.group(1)) - 1:][:2])
    assert "ask for the fact itself" in line  # the one-line hint
    strict = CliRunner().invoke(main, ["check", "--strict", str(path)])
    assert strict.exit_code == 1 and "--strict" in strict.output and "Traceback" not in strict.output
    # a warning never stops a build
    built = CliRunner().invoke(main, ["build", str(path), "-o", str(tmp_path / "out"), "-f", "anki"])
    assert built.exit_code == 0 and "yes-no" in built.output

    data["cards"][-1]["allow"] = ["yes-no"]
    path = write_content(tmp_path, data)
    assert CliRunner().invoke(main, ["check", "--strict", str(path)]).exit_code == 0


TEXT = st.text(st.sampled_from(list("ab ?.,;:-+*^_{}[]@()“”'\"NoYes or Is the article reviewed here c1::")),
               min_size=1, max_size=60).filter(lambda s: s.strip())


@settings(max_examples=60, deadline=None)
@given(front=TEXT, back=TEXT, text=TEXT, definition=TEXT)
def test_checks_never_fail_on_any_text(front, back, text, definition):
    cards = [basic(front, back), reverse(back, front), cloze("{{c1::" + text + "}} " + front)]
    for problem in cardrules.check(content_with(cards, [term(front, definition)])):
        rule = problem.what.split(":")[0]
        assert rule in cardrules.RULES and problem.where


def test_shipped_deck_passes_strict_and_every_card_is_traceable():
    from tests.conftest import CONTENT

    result = CliRunner().invoke(main, ["check", "--strict", str(CONTENT)])
    assert result.exit_code == 0, result.output
    content = load(CONTENT).content
    for card in content.cards:
        assert card.claim or card.section, card.id  # every card rests on a claim or a section
    # definition → term only where the definition names one term
    assert 0 < sum(entry.reverse for entry in content.glossary) < len(content.glossary)


# Ordinary good cards from other subjects: none may draw a warning.
OTHER_SUBJECTS_GOOD = [
    basic("What is the powerhouse of the cell?", "The mitochondrion"),
    basic("Which enzyme unwinds DNA at the replication fork?", "Helicase"),
    basic("What does HTTP status 404 mean?", "Not Found"),
    basic("What is the time complexity of binary search?", "O(log n)"),
    basic("Which country has the most time zones?", "France (12, with its overseas territories)"),
    basic("In which year did the Berlin Wall fall?", "1989"),
    basic("What does DNS stand for?", "Domain Name System"),
    basic("What is the largest desert in the world?", "The Antarctic Desert"),
    basic("Which programming language is the Linux kernel mainly written in?", "C"),
    basic("What is the name of the sleep disorder in which breathing repeatedly stops?", "Sleep apnoea"),
    basic("How many hours of sleep do adults need, by most guidelines?", "7 to 9 hours"),
    basic("Which Git command records staged changes?", "git commit"),
    reverse("Ottawa", "Capital of Canada"),
    reverse("Melatonin", "Hormone of the pineal gland that signals darkness"),
    cloze("The Treaty of {{c1::Westphalia}} ended the Thirty Years' War in {{c2::1648}}."),
    cloze("Binary search runs in {{c1::O(log n)}} time on a sorted array."),
]
OTHER_SUBJECTS_BAD = [
    (basic("Is 'data' singular or plural in formal English?", "Plural (singular: datum)"), "either-or"),
    (basic("Should you indent Python with tabs or spaces?", "Spaces"), "either-or"),
    (basic("What are the three branches of the US government?", "Legislative, executive and judicial"), "set"),
    (basic("Was the Berlin Wall built in 1961?", "Yes"), "yes-no"),
    (basic("According to this article, where did Napoleon die?", "Saint Helena"), "about-document"),
    (cloze("Rome is {{c1::the}} capital of Italy."), "function-word"),
    (basic("Which Git command commits staged changes?", "git commit"), "giveaway"),
]


def test_cards_from_other_subjects():
    assert rules_of(OTHER_SUBJECTS_GOOD) == []
    for card, rule in OTHER_SUBJECTS_BAD:
        assert rules_of([card]) == [rule], card
