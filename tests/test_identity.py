"""Note identities: no two notes of a deck can share a GUID (checked with the real Anki importer)."""

from __future__ import annotations

from pathlib import Path
import tempfile

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings, strategies as st

from generator.build import build
from generator.cli import main
from generator.errors import ContentError
from generator.render import Options
from tests.conftest import import_apkg, starter, write_content

ID_CHARS = "abcz09._-"


def _content(ids: list[str], terms: list[str]) -> dict:
    data = starter()
    template = next(c for c in data["cards"] if c["type"] == "basic")
    data["cards"] = [{**template, "id": card_id, "front": f"Question {n}?", "back": f"Answer {n}."}
                     for n, card_id in enumerate(ids)]
    data["glossary"] = [{"term": term, "definition": f"Definition {n}."} for n, term in enumerate(terms)]
    return data


def test_a_card_id_that_could_be_a_glossary_identity_is_refused(tmp_path):
    data = _content(["glossary__lysosome", "lysosome", "glossary_lysosome", "a__b"], ["lysosome", "a"])
    path = write_content(tmp_path / "content", data)
    runner = CliRunner()
    for command in (["check", str(path)], ["build", str(path), "-o", str(tmp_path / "out"), "-f", "anki"]):
        result = runner.invoke(main, command)
        assert result.exit_code == 1, result.output
        assert "cards[0](id=glossary__lysosome).id" in result.output
        assert "glossary term 'lysosome'" in result.output and "Traceback" not in result.output
        assert "id=lysosome)" not in result.output and "id=glossary_lysosome)" not in result.output
        assert "id=a__b)" not in result.output
    assert not (tmp_path / "out").exists()

    # Without it, every other id and term gets a note of its own, each updated by later imports.
    del data["cards"][0]
    path = write_content(tmp_path / "ok", data)
    assert runner.invoke(main, ["build", str(path), "-o", str(tmp_path / "out"), "-f", "anki"]).exit_code == 0
    col, log = import_apkg(tmp_path / "c.anki2", tmp_path / "out" / "nmn-autophagy.apkg")
    try:
        guids = {col.get_note(nid).guid for nid in col.find_notes("")}
        assert len(log.new) == col.note_count() == len(guids) == len(data["cards"]) + len(data["glossary"])
    finally:
        col.close()


ids = st.lists(st.one_of(st.sampled_from(["glossary__a", "glossary__a.b", "glossary", "a", "a__b", "glossary_a"]),
                         st.text(ID_CHARS, min_size=1, max_size=8).filter(lambda s: s[0].isalnum()),
                         st.text(ID_CHARS, min_size=1, max_size=6).map(lambda s: "glossary__" + s)),
               min_size=1, max_size=6, unique=True)
terms = st.lists(st.one_of(st.sampled_from(["a", "a.b", "glossary", "__a", "b__", "glossary__a"]),
                           st.text(ID_CHARS + "_ A", min_size=1, max_size=8).filter(lambda s: s.strip() == s and s)),
                 min_size=1, max_size=6, unique=True)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ids, terms)
def test_accepted_content_never_gives_two_notes_one_identity(card_ids, glossary_terms):
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        path = write_content(tmp / "content", _content(card_ids, glossary_terms))
        try:
            build([path], tmp / "out", ["anki"], Options())
        except ContentError as error:
            assert all(where.endswith(".id") and "glossary__" in what
                       for where, what in ((p.where, p.what) for p in error.problems[path])), error.lines()
            assert any(card_id.startswith("glossary__") for card_id in card_ids)
            return
        assert not any(card_id.startswith("glossary__") for card_id in card_ids)
        col, log = import_apkg(tmp / "c.anki2", tmp / "out" / "nmn-autophagy.apkg")
        try:
            guids = {col.get_note(nid).guid for nid in col.find_notes("")}
            assert len(log.new) == col.note_count() == len(guids) == len(card_ids) + len(glossary_terms)
        finally:
            col.close()
