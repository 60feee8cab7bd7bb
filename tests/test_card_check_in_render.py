"""A parallel build leaves the card sheets' fit test to their drawing, and reports what the whole check reports.

The process that checks the card sheets and then draws them runs their check without
measuring whether each face fits its card (drawing lays every face out anyway); only if the
drawing fails, or no drawing follows, does it run the whole check.  Whatever the cards,
the problems it reports and whether it makes the file are those of the whole check.
"""

from __future__ import annotations

import threading

from hypothesis import HealthCheck, given, settings, strategies as st

from generator import build as building
from generator.load import load
from generator.render import FORMATS, Options
from tests.conftest import fresh_cards, starter, write_content

CARDS = FORMATS["cards"]
MISSING = "\U0001F600"  # no face of the card font has it: the glyph part of the check finds it


def _content(folder, backs: list[tuple[int, bool]]):
    """The fixture content with its first cards' backs ``words`` words long, some with a
    character the font lacks."""
    data = starter()
    for card, (words, missing) in zip(data["cards"], backs):
        if words:
            card["back"] = " ".join(["autophagy"] * words)
        if missing:
            card["back"] += " " + MISSING
    return load(write_content(folder, data))


def _whole_check(doc, options):
    fresh_cards()
    return fresh_cards().check(doc, options)


def _in_build(doc, options, failed_before: bool):
    """What ``build._check_and_render`` gives for the card sheets alone: (problems, made a file)."""
    fresh_cards()
    failed = threading.Event()
    if failed_before:  # another job of the build failed first: no drawing follows the check
        failed.set()
    [(problems, data, _, error)] = building._check_and_render([(doc, CARDS, None)], options, failed)
    assert error is None
    return problems, data is not None


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(backs=st.lists(st.tuples(st.sampled_from([0, 0, 40, 90, 300]), st.booleans()), min_size=1, max_size=3),
       per_page=st.sampled_from([4, 8, 30]), failed_before=st.booleans())
def test_the_build_reports_the_whole_checks_problems_and_draws_only_without_any(tmp_path_factory, backs,
                                                                               per_page, failed_before):
    doc = _content(tmp_path_factory.mktemp("content"), backs)
    options = Options(cards_per_page=per_page)
    whole = _whole_check(doc, options)
    problems, made = _in_build(doc, options, failed_before)
    assert problems == whole
    assert made == (not whole and not failed_before)


def test_a_face_too_long_is_left_to_the_drawing_and_reported_as_the_whole_check_reports_it(tmp_path):
    doc = _content(tmp_path, [(300, False)])
    options = Options()
    whole = _whole_check(doc, options)
    assert [p.where for p in whole] == ["cards[0](id=nmn-precursor).back"]
    fresh_cards()
    assert fresh_cards().check(doc, options, drawing_follows=True) == []  # not measured before drawing
    assert _in_build(doc, options, failed_before=False) == (whole, False)


def test_the_glyph_part_is_checked_before_drawing(tmp_path):
    doc = _content(tmp_path, [(0, True)])
    options = Options()
    whole = _whole_check(doc, options)
    assert whole and all(MISSING in p.what or "U+1F600" in p.what for p in whole)
    fresh_cards()
    assert fresh_cards().check(doc, options, drawing_follows=True) == whole


def test_a_face_too_long_on_a_page_a_helper_draws_is_reported_as_the_whole_check_reports_it(tmp_path, monkeypatch):
    """In a parallel build long card sheets are drawn in two processes (render.pdf.halves):
    a face too long for its card on the last sheet, which a helper draws, fails the build
    with the whole check's problems, and no file is made."""
    from generator.render import mark_worker
    from generator.render.pdf import halves

    data = starter()
    card = data["cards"][0]
    for n in range(len(data["cards"]), 130):  # 130 cards, 4 a page: 33 sheets, 66 pages
        data["cards"].append({**card, "id": f"extra-{n}", "front": f"Which code name does entry {n} carry?",
                              "back": f"Code {chr(65 + n % 26)}{n * 7}"})
    data["cards"][-1]["back"] = " ".join(["autophagy"] * 300)
    doc = load(write_content(tmp_path, data))
    options = Options(cards_per_page=4)
    whole = _whole_check(doc, options)
    assert [p.where for p in whole] == ["cards[129](id=extra-129).back"]
    started = []
    real = halves._Helper.__init__

    def helper(self, canvas, pages, replayed, start, stop, *args, **kwargs):
        started.append((start, stop, len(pages)))
        real(self, canvas, pages, replayed, start, stop, *args, **kwargs)

    monkeypatch.setattr(halves._Helper, "__init__", helper)
    mark_worker()
    try:
        assert _in_build(doc, options, failed_before=False) == (whole, False)
    finally:
        mark_worker(False)
    assert started and started[0][1] == started[0][2] >= halves.MIN_PAGES  # a helper had the last sheet
