"""Anki's own syntax typed as content shows as typed: no sound, LaTeX, MathJax or template (real importer)."""

from __future__ import annotations

from html.parser import HTMLParser

from generator.build import build
from generator.render import Options
from tests.conftest import import_apkg, starter, write_content
from tests.test_anki import visible

SYNTAX = [
    "[sound:beep.mp3]",
    "[anki:tts lang=en_US]read me aloud[/anki:tts]",
    "[latex]x^2[/latex]",
    "[$]y_1[/$]",
    "[$$]z[/$$]",
    r"\(a+b\)",
    r"\[c=d\]",
    "{{Front}}",
    "{{type:Back}}",
    "{{FrontSide}}",
]


class _MathJaxStrings(HTMLParser):
    """The strings MathJax searches for delimiters: text joined within an element only
    (it breaks at every element but <br> and <wbr>, and skips <style> and <script>)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.strings = [""]
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("br", "wbr"):
            self.strings[-1] += "\n" if tag == "br" else ""
            return
        self.skip += tag in ("style", "script")
        self.strings.append("")

    def handle_endtag(self, tag):
        self.skip -= tag in ("style", "script")
        self.strings.append("")

    def handle_data(self, data):
        if not self.skip:
            self.strings[-1] += data


def mathjax_strings(markup: str) -> list[str]:
    parser = _MathJaxStrings()
    parser.feed(markup)
    return parser.strings


def test_anki_syntax_in_content_shows_as_typed(tmp_path):
    typed = " ".join(SYNTAX)
    cloze_safe = " ".join(s for s in SYNTAX if "{{" not in s)  # braces in a cloze field are the grammar's
    data = starter()
    basic = next(c for c in data["cards"] if c["type"] == "basic")
    basic.update(front=f"What does {typed} do?", back=f"Nothing: {typed}")
    basic.pop("pathway", None)
    cloze = next(c for c in data["cards"] if c["type"] == "cloze")
    cloze.update(text=f"{cloze_safe} hides {{{{c1::{cloze_safe}::{cloze_safe}}}}}.", extra=typed)
    cloze.pop("pathway", None)
    data["glossary"][0].update(term=f"Term {typed}", definition=f"Definition {typed}", reverse=True)
    path = write_content(tmp_path / "content", data)
    build([path], tmp_path / "out", ["anki"], Options())
    col, _ = import_apkg(tmp_path / "c.anki2", tmp_path / "out" / "nmn-autophagy.apkg")
    try:
        seen = 0
        for cid in col.find_cards(""):
            card = col.get_card(cid)
            question, answer = card.question(), card.answer()
            assert not card.question_av_tags() and not card.answer_av_tags(), card.note().fields
            for side in (question, answer):
                assert "<img" not in side or "pathway.svg" in side  # no LaTeX image
                assert not any("\\(" in s or "\\[" in s for s in mathjax_strings(side)), side
                assert "The front of this card is blank" not in side
            if "beep.mp3" not in "".join(card.note().fields):
                continue
            shown = visible(question) + " " + visible(answer)
            assert all(s in shown for s in SYNTAX), shown
            if card.note_type()["name"] == "studygen Cloze":  # the hint too shows as typed
                assert visible(question).count("[sound:beep.mp3]") == 2, visible(question)
            seen += 1
        assert seen == 4  # basic, cloze, both glossary directions
        result = col.media.check()
        assert not result.missing and not result.missing_media_notes
    finally:
        col.close()
