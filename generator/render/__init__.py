"""Output formats.  Each is one module with ``render(doc, options) -> bytes``.

Modules are imported only when their format is built, so commands that
render nothing never pay for ReportLab or genanki.
"""

from __future__ import annotations

import datetime as dt
import importlib
import os
from typing import TYPE_CHECKING, Protocol

from generator.errors import Problem, StudygenError
from generator.record import Record

if TYPE_CHECKING:  # the CLI reads FORMATS at start-up; pydantic stays unloaded until needed
    from generator.model import Document


class Options(Record):
    page_size: str = "a4"  # "a4" or "letter"
    cards_per_page: int = 8  # printable flashcards
    duplex: str = "long"  # which edge the printer flips on: "long", "short", or "none" (no mirroring)


class Format(Record):
    name: str
    module: str
    suffix: str  # appended to the slug to name the output file
    # The module has stale(doc, previous_file) -> warning or None; it raises a StudygenError
    # when the file it would replace makes this build wrong (the deck: a changed card type).
    checks_previous: bool = False
    # The module has check(doc, options) (see ``check`` below); the others are not even
    # imported to look for one (the deck's would load genanki for nothing).
    checks: bool = False
    # Its check shares no work with its render (the explainer's glyph check, a twentieth of its
    # render): a parallel build may check it in one process while another renders it.
    check_apart: bool = False
    # Part of its check is work its render does anyway (the card sheets lay out every face to
    # draw it, so a face too long for its card is found there too): a process that checks and
    # then renders it may leave that part to the render (``check(..., drawing_follows=True)``)
    # and run the whole check only if the render fails, to report what the check reports.
    check_in_render: bool = False
    # What the output is not made from (generator.buildkey): content tables and Options
    # fields the module never reads.  An edit there leaves the file untouched on the next
    # build; anything not listed (a new table, a new option) counts as read.
    ignores: tuple[str, ...] = ()
    ignores_options: tuple[str, ...] = ()

    def filename(self, doc: Document) -> str:
        return doc.slug + self.suffix

    def renderer(self) -> "Renderer":
        return importlib.import_module(self.module)


class Renderer(Protocol):
    def render(self, doc: Document, options: Options) -> bytes: ...


_in_worker = False


def mark_worker(on: bool = True) -> None:
    """This process renders in a parallel build (``generator.build``): other processes
    render at the same time, so one long output may be drawn in two (``render.pdf.halves``)."""
    global _in_worker
    _in_worker = on


def in_worker() -> bool:
    return _in_worker


def check(doc: Document, fmt: Format, options: Options, drawing_follows: bool = False) -> list[Problem]:
    """What would stop ``fmt`` from building ``doc``, or spoil it, found without writing
    anything: a format's module may have ``check(doc, options) -> list[Problem]`` (``Format.checks``), which
    both ``check`` and ``build`` run, so the two commands never disagree.  ``drawing_follows``:
    this process renders ``doc`` next, and runs the whole check if that render fails
    (``Format.check_in_render``)."""
    if not fmt.checks:
        return []
    if drawing_follows and fmt.check_in_render:
        return list(fmt.renderer().check(doc, options, drawing_follows=True))
    return list(fmt.renderer().check(doc, options))


FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format("pdf", "generator.render.pdf.explainer", ".pdf", checks=True, check_apart=True,
               ignores=("cards",), ignores_options=("cards_per_page", "duplex")),
        Format("anki", "generator.render.anki", ".apkg", checks_previous=True,
               ignores=("takeaways",), ignores_options=("page_size", "cards_per_page", "duplex")),
        Format("cards", "generator.render.pdf.cards", "-cards.pdf", checks=True, check_in_render=True,
               ignores=("takeaways", "pathway")),  # backs show claims and section headings
        Format("html", "generator.render.html", ".html", ignores_options=("page_size", "cards_per_page", "duplex")),
    )
}


def source_date_epoch() -> int | None:
    """``SOURCE_DATE_EPOCH`` (reproducible-builds convention), if set."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not value:
        return None
    # The upper bound is the last second a zip entry (the .apkg) can carry: 2107-12-31.
    # isdigit() also accepts digits int() refuses, such as "²"; only ASCII digits are a number here.
    if not (value.isascii() and value.isdigit()) or int(value) > 4354819199:
        raise StudygenError("SOURCE_DATE_EPOCH must be a whole number of seconds since 1970 "
                            f"(up to the end of 2107), not {value!r}")
    return int(value)


def release_time(version: dt.date) -> dt.datetime:
    """When a content release was made: its version date (midnight UTC), or SOURCE_DATE_EPOCH if later.

    Every output carries this date.  Anki updates existing notes only from a
    package newer than them, so it must rise with each release and stay fixed
    within one.
    """
    stamp = dt.datetime.combine(version, dt.time(), dt.timezone.utc)
    epoch = source_date_epoch()
    if epoch is not None:
        stamp = max(stamp, dt.datetime.fromtimestamp(epoch, dt.timezone.utc))
    return stamp
