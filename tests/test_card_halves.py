"""Card sheets drawn in two processes (render.pdf.halves) are the bytes drawn in one."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

import generator.render
from generator.load import load
from generator.render import Options
from generator.render.pdf import cards, fonts, halves
from tests.conftest import CONTENT, ROOT, fresh_cards, starter, write_content

OPTIONS = [Options(), Options(page_size="letter", cards_per_page=16, duplex="short")]


def _both(path: Path, options: Options, m: pytest.MonkeyPatch, min_pages: int = 2, second: bool = False,
          changes: dict | None = None) -> tuple[bytes, bytes, int]:
    """(drawn in one process, drawn in two, how many helpers' pages were taken).  ``second``:
    the parent draws a small first part and the helper draws slowly, so that the parent, done
    first, has a second helper draw the end of the first one's part (``changes``: see
    ``_slow_helpers``)."""
    fresh_cards()
    m.setattr(generator.render, "_in_worker", False)
    alone = cards.render(load(path), options)
    fresh_cards()
    taken = []
    adopt = halves._adopt
    m.setattr(halves, "_adopt", lambda canvas, fonts: (taken.append(1), adopt(canvas, fonts)))
    m.setattr(halves, "MIN_PAGES", min_pages)
    if second:
        m.setattr(halves, "PARENT_SHARE", 0.1)
        m.setattr(halves, "MIN_REST", 2)
        _slow_helpers(m, **(changes or {}))
    else:
        m.setattr(halves, "MIN_REST", 10 ** 9)
    m.setattr(generator.render, "_in_worker", True)
    split = cards.render(load(path), options)
    m.setattr(generator.render, "_in_worker", False)
    return alone, split, len(taken)


def _slow_helpers(m: pytest.MonkeyPatch, first=None, second=None) -> None:
    """Helpers draw each page slowly; ``first`` / ``second`` change what each is given
    (``(draw_page, replay)`` -> ``(draw_page, replay)``)."""
    import time

    helper = halves._helper

    def slow(canvas, pages, replayed, start, draw_page, replay, *rest):
        change = (second if replayed else first) or (lambda d, r: (d, r))
        helper(canvas, pages, replayed, start, *change(lambda page: (time.sleep(0.02), draw_page(page)), replay),
               *rest)

    m.setattr(halves, "_helper", slow)


def _generated(tmp_path: Path, count: int) -> Path:
    sys.path.insert(0, str(ROOT / "bench"))
    import workloads

    return workloads.generated(tmp_path, "gen", cards=count, terms=count // 10)


@pytest.mark.parametrize("options", OPTIONS)
def test_generated_card_sheets_drawn_in_two_processes_are_the_same_bytes(tmp_path, options):
    path = _generated(tmp_path, 150)
    with pytest.MonkeyPatch.context() as m:
        alone, split, taken = _both(path, options, m)
    assert split == alone
    assert taken == 1  # the helper's pages were used, not drawn again


@pytest.mark.parametrize("path", [CONTENT, ROOT / "tests" / "fixtures" / "hostile.toml"])
def test_shipped_and_hostile_card_sheets_drawn_in_two_processes_are_the_same_bytes(path):
    with pytest.MonkeyPatch.context() as m:
        alone, split, taken = _both(path, Options(cards_per_page=2), m)  # pages enough to split
    assert split == alone
    assert taken == 1


def _content(tmp_path: Path, faces: list[tuple[str, str]]) -> Path:
    data = starter()
    data["cards"] = [{"id": f"c{n}", "type": "basic", "front": front, "back": back}
                     for n, (front, back) in enumerate(faces)]
    return write_content(tmp_path, data)


# Characters outside ASCII take their font subset's codes in the order a document first
# draws them, and each face (regular, bold, italic, both) its name when it first draws.
WORDS = ["cell", "NAD^{+}", "**bold**", "*italic*", "***both***", "H_{2}O", "β-cells", "≥ 2", "µg", "“quoted”",
         "→", "½", "**α**", "*γ-ray*", "x^{−}", "café", "naïve", "Ω", "R&D", "a < b", '"plain"', "**x > y**",
         "10\u00a0mg", "*ü&ä*"]
FACES = st.lists(st.sampled_from(WORDS), min_size=1, max_size=8).map(" ".join)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(faces=st.lists(st.tuples(FACES, FACES), min_size=9, max_size=40),
       options=st.sampled_from([Options(cards_per_page=2), Options(page_size="letter", cards_per_page=4,
                                                                    duplex="short")]))  # pages enough to split
def test_card_sheets_drawn_in_two_processes_are_the_same_bytes_whatever_characters_come_where(
        tmp_path_factory, faces, options):
    path = _content(tmp_path_factory.mktemp("halves"), faces)
    with pytest.MonkeyPatch.context() as m:
        alone, split, taken = _both(path, options, m)
    assert split == alone
    assert taken == 1


def _replayed(path: Path, options: Options, m: pytest.MonkeyPatch, draw: bool = False) -> tuple[tuple, int]:
    """The document's fonts after replaying (or, with ``draw``, drawing) every page of the
    card sheets, and how many faces were read into runs on the way."""
    runs = []
    face_runs = cards._face_runs
    m.setattr(cards, "_face_runs", lambda markup: runs.append(1) or face_runs(markup))
    found = []

    def every_page(canvas, pages, draw_page, replay):
        for page in pages:
            if draw:
                draw_page(page)
                canvas.showPage()
            else:
                replay(page)
        found.append(halves._fonts(canvas))

    m.setattr(halves, "draw", every_page)
    fresh_cards()
    cards.render(load(path), options)
    return found[0], len(runs)


@pytest.mark.parametrize("path", ["generated", CONTENT, ROOT / "tests" / "fixtures" / "hostile.toml"])
def test_replaying_pages_leaves_the_fonts_as_drawing_them_does_and_skips_faces_that_draw_nothing_new(
        tmp_path, path):
    path = _generated(tmp_path, 150) if path == "generated" else path
    with pytest.MonkeyPatch.context() as m:
        drawn, _ = _replayed(path, Options(), m, draw=True)
    with pytest.MonkeyPatch.context() as m:
        replayed, read = _replayed(path, Options(), m)
    with pytest.MonkeyPatch.context() as m:
        m.setattr(halves, "changes_nothing", lambda doc, names, text: False)
        every, read_all = _replayed(path, Options(), m)
    assert replayed == drawn == every
    assert read < read_all / 2


TEXTS = st.text(st.sampled_from("ab Z~\u00a0\t\n\x01βγ→ü…"), max_size=12)


@settings(max_examples=60, deadline=None)
@given(before=st.lists(st.tuples(st.sets(st.sampled_from(sorted(fonts.FACES)), min_size=1), TEXTS), max_size=4),
       names=st.sets(st.sampled_from(sorted(fonts.FACES)), min_size=1), text=TEXTS)
def test_a_text_said_to_change_nothing_leaves_every_font_as_it_was(before, names, text):
    from reportlab.pdfgen.canvas import Canvas
    import io

    fonts.register()
    canvas = Canvas(io.BytesIO())
    doc = canvas._doc
    for drawn_in, drawn in before:
        for name in sorted(drawn_in):
            halves.replay_text(doc, name, drawn)
    start = halves._fonts(canvas)
    quiet = halves.changes_nothing(doc, sorted(names), text)
    for name in sorted(names):
        halves.replay_text(doc, name, text)
    assert not quiet or halves._fonts(canvas) == start
    if text:  # an empty text draws nothing, not even the font's name
        assert halves.changes_nothing(doc, sorted(names), text)  # once drawn, a text draws nothing new


def test_pages_drawn_otherwise_than_foreseen_are_drawn_again_by_the_parent(tmp_path):
    # The helper is told the first part draws no text: its fonts start wrong (the first
    # part uses characters outside ASCII), so the parent draws the second part itself.
    path = _content(tmp_path, [("β-cells and **α** " + str(n), "*γ-ray* → ½") for n in range(40)])
    with pytest.MonkeyPatch.context() as m:
        m.setattr(cards, "_face_runs", lambda markup: [])
        alone, split, taken = _both(path, Options(), m)
    assert split == alone
    assert taken == 0


@pytest.mark.parametrize("options", OPTIONS)
def test_a_parent_done_first_has_a_second_helper_draw_the_end_of_the_first_ones_part(tmp_path, options):
    path = _generated(tmp_path, 150)
    with pytest.MonkeyPatch.context() as m:
        alone, split, taken = _both(path, options, m, second=True)
    assert split == alone
    assert taken == 2


def _greek(tmp_path: Path) -> Path:
    """Every card draws a character no card before it drew."""
    return _content(tmp_path, [(f"card {n} {chr(0x3B1 + n % 25)}{chr(0x410 + n)}", f"back {chr(0x430 + n)}")
                               for n in range(48)])


def test_a_second_helper_that_foresees_its_fonts_wrongly_leaves_its_pages_to_the_parent(tmp_path):
    blind = {"second": lambda draw_page, replay: (draw_page, lambda page: None)}
    with pytest.MonkeyPatch.context() as m:
        alone, split, taken = _both(_greek(tmp_path), Options(), m, second=True, changes=blind)
    assert split == alone
    assert taken == 1  # the first helper's pages only


def test_a_second_helper_that_fails_leaves_its_pages_to_the_parent(tmp_path):
    def fail(page):
        raise RuntimeError("the second helper breaks down")

    broken = {"second": lambda draw_page, replay: (fail, replay)}
    with pytest.MonkeyPatch.context() as m:
        alone, split, taken = _both(_generated(tmp_path, 120), Options(), m, second=True, changes=broken)
    assert split == alone
    assert taken == 1


def test_a_first_helper_that_foresees_its_fonts_wrongly_leaves_the_rest_to_the_parent_even_with_a_second(tmp_path):
    blind = {"first": lambda draw_page, replay: (draw_page, lambda page: None)}
    with pytest.MonkeyPatch.context() as m:
        alone, split, taken = _both(_greek(tmp_path), Options(), m, second=True, changes=blind)
    assert split == alone
    assert taken == 0


def test_a_helper_that_fails_leaves_the_parent_to_draw_its_pages(tmp_path):
    path = _generated(tmp_path, 120)

    def fail(canvas):
        raise RuntimeError("the helper breaks down")

    with pytest.MonkeyPatch.context() as m:
        m.setattr(halves, "_plain_page", fail)  # only the helper calls it
        alone, split, taken = _both(path, Options(), m)
    assert split == alone
    assert taken == 0


def test_a_helper_that_fails_before_it_starts_ends_rather_than_going_on_as_its_parent(tmp_path):
    import os

    path = _generated(tmp_path, 120)
    escaped = tmp_path / "escaped"
    me = os.getpid()

    def broken(*args):
        raise RuntimeError("the helper breaks down at once")

    with pytest.MonkeyPatch.context() as m:
        m.setattr(halves, "_helper", broken)
        try:
            alone, split, taken = _both(path, Options(), m)
        finally:
            if os.getpid() != me:  # a helper that returned from render: say so, and end it
                escaped.write_text("the helper went on as its parent")
                os._exit(0)
    assert not escaped.exists()
    assert split == alone
    assert taken == 0


def test_a_build_in_one_process_draws_in_one(tmp_path, monkeypatch):
    import os

    forked = []
    monkeypatch.setattr(halves, "MIN_PAGES", 2)
    monkeypatch.setattr(os, "fork", lambda: forked.append(1) or pytest.fail("forked"))
    fresh_cards()
    cards.render(load(CONTENT), Options())
    assert forked == []


@settings(max_examples=200, deadline=None)
@given(start=st.integers(0, 3000), drawn=st.integers(0, 3000), left=st.integers(1, 3000))
def test_a_second_helper_starts_where_both_helpers_end_together(start, drawn, left):
    at, stop = start + drawn, start + drawn + left
    there = halves._second_start(start, at, stop)
    assert at <= there <= stop
    if there < stop:
        assert stop - there >= halves.MIN_REST and there % 2 == 0
        first = there - at  # pages the first helper still draws
        second = halves.FORK + halves.REPLAY * (there - start) + stop - there
        assert abs(first - second) <= 2
