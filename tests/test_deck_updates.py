"""Learners who already study a deck: what a new build does to their collection (real Anki importer)."""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path

import genanki

from generator.build import build
from generator.render import Options
from tests.conftest import CONTENT, ROOT, import_apkg, write_content

# The deck as released with content version 2026-11-25: content/nmn-autophagy.toml of that
# release built by studygen at the time (every glossary entry gave two cards then).
RELEASED = ROOT / "tests" / "fixtures" / "released" / "nmn-autophagy-2026-11-25.apkg"
RELEASED_VERSION = dt.date(2026, 11, 25)


def answer(col, card_id: int, rating: str = "GOOD") -> None:
    """Study one card as a learner would: show it, then rate it."""
    from anki.scheduler_pb2 import CardAnswer

    card = col.get_card(card_id)
    card.start_timer()
    states = col._backend.get_scheduling_states(card.id)
    col.sched.answer_card(col.sched.build_answer(card=card, states=states,
                                                 rating=getattr(CardAnswer, rating)))


def cards_by_note(col) -> dict[str, list]:
    """Each note's GUID with its cards in template order."""
    out = {}
    for nid in col.find_notes(""):
        note = col.get_note(nid)
        out[note.guid] = sorted(note.cards(), key=lambda c: c.ord)
    return out


def schedule(card) -> tuple:
    return card.id, card.type, card.queue, card.ivl, card.due, card.reps


def test_learners_of_the_released_deck_keep_their_history(tmp_path):
    data = tomllib.loads(CONTENT.read_text(encoding="utf-8"))
    slug = data["article"]["slug"]
    col, _ = import_apkg(tmp_path / "c.anki2", RELEASED)
    try:
        term_model = col.models.by_name("studygen Term")
        before = cards_by_note(col)
        terms = {guid: cards for guid, cards in before.items()
                 if col.get_note(cards[0].nid).mid == term_model["id"]}
        authored = {guid: cards for guid, cards in before.items() if guid not in terms}
        assert all(len(cards) == 2 for cards in terms.values())  # the released deck's glossary: both ways
        studied = [cards[0].id for cards in list(terms.values())[:6]]  # term -> definition
        studied += [cards[1].id for cards in list(terms.values())[:2]]  # definition -> term
        studied += [card.id for cards in list(authored.values())[:8] for card in cards]
        for card_id in studied:
            answer(col, card_id)
        answer(col, studied[0], "EASY")
        history = {cid: schedule(col.get_card(cid)) for cid in studied}
        assert all(state[3] > 0 or state[1] != 0 for state in history.values())
        revlog = col.db.all("select id, cid, ease, ivl, lastIvl, type from revlog order by id")
        assert len(revlog) == len(studied) + 1
        notetypes = sorted((m["id"], m["name"]) for m in col.models.all())
    finally:
        col.close()

    version = dt.date.fromisoformat(str(data["article"]["version"]))
    data["article"]["version"] = max(version, RELEASED_VERSION + dt.timedelta(days=1)).isoformat()
    path = write_content(tmp_path / "content", data)
    build([path], tmp_path / "out", ["anki"], Options())
    col, log = import_apkg(tmp_path / "c.anki2", tmp_path / "out" / f"{slug}.apkg")
    try:
        assert not log.conflicting
        assert sorted((m["id"], m["name"]) for m in col.models.all()) == notetypes  # no "studygen Term+"
        after = cards_by_note(col)
        # Every card of every note learners had is still there, and studied cards keep their schedule.
        for guid, cards in before.items():
            assert [c.id for c in after[guid][:len(cards)]] == [c.id for c in cards]
        assert {cid: schedule(col.get_card(cid)) for cid in studied} == history
        assert col.db.all("select id, cid, ease, ivl, lastIvl, type from revlog order by id") == revlog

        # Definition -> term cards of entries that do not ask for them render empty; Anki's
        # Empty Cards tool lists exactly those, and removing them keeps everything else.
        one_way = {genanki.guid_for(slug, "glossary", e["term"]) for e in data["glossary"] if not e.get("reverse")}
        expected_empty = {after[guid][1].id for guid in one_way if guid in terms}
        report = col.get_empty_cards()
        assert {cid for note in report.notes for cid in note.card_ids} == expected_empty
        assert all(after[guid][1].ord == 1 for guid in one_way if guid in terms)
        col.remove_cards_and_orphaned_notes(list(expected_empty))
        for guid, cards in terms.items():
            assert col.get_card(cards[0].id).nid == cards[0].nid  # term -> definition stays
        for guid, cards in authored.items():
            assert all(col.get_card(c.id) for c in cards)
        kept = {cid: schedule(col.get_card(cid)) for cid in studied if cid not in expected_empty}
        assert kept == {cid: state for cid, state in history.items() if cid not in expected_empty}
        assert col.db.all("select cid from revlog where cid in (%s)" % ",".join(map(str, kept)))
    finally:
        col.close()
