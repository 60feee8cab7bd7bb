"""``studygen new``: a content file to start curating a new article from."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import textwrap
from pathlib import Path

from generator.coverage import is_heading
from generator.errors import StudygenError
from generator.load import clean_text
from generator.model import _BAD


def _toml(text: str) -> str:
    """A TOML basic string.  JSON escapes quotes, backslashes and C0 controls the same way;
    DEL, which JSON leaves alone and TOML forbids, is escaped by hand."""
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")


def _clean(text: str) -> str:
    """One line of printable text: control characters dropped, whitespace folded."""
    return " ".join("".join(c for c in text if c.isprintable() or c.isspace()).split())


def paragraphs(text: str) -> list[str]:
    """Paragraphs of a pasted article: blank-line separated, or one per line when there are none."""
    text = _lines(text).strip()
    blocks = [b for b in re.split(r"\n[ \t]*\n", text) if b.strip()]
    if len(blocks) == 1:
        blocks = [line for line in text.split("\n") if line.strip()]
    return [p for p in (_clean(b) for b in blocks) if p]


def _lines(text: str) -> str:
    """Line ends as "\n", whether the file used CR LF, LF or CR alone (old Mac files)."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _literal(text: str) -> str:
    """Article text as a section body: a "[@" in it would read as a citation of no reference."""
    return text.replace("[@", "[@ ")


TITLE_WORDS = 12  # a longer first line is a sentence of the article, not its title


def _title(first: str) -> str:
    words = first.split()
    if len(words) <= TITLE_WORDS:
        return first
    return " ".join(words[:TITLE_WORDS]) + " …"


def deck_name(slug: str) -> str:
    """A short deck name from the slug ("sleep-and-memory" -> "Sleep and memory"); Anki shows it in lists."""
    return slug.replace("-", " ").capitalize()


def _example_quote(source_text: str) -> str:
    """Words of the article as loading reads them, so the example claim passes `check` once uncommented."""
    for run in re.split(f"[{_BAD}]", clean_text(source_text)):
        words = run.split()
        start = next((i for i, w in enumerate(words) if any(c.isalnum() for c in w)), None)
        if start is not None:
            return " ".join(words[start:start + 8])
    return "words copied exactly from the source article"


ARTICLE_OPTIONS = """\
# subtitle = "A fact-checked reading of the article"
# editor = "Your name"
# keywords = ["keyword", "another keyword"]
# checked = "{today}"            # when the evidence was last checked
"""

EXAMPLES = """
# Add the curated material below; `studygen check` validates it.
# Each example is commented out: remove the leading "# " of its lines to use it.
#
# [[takeaways]]
# text = "One sentence a reader should remember [@author2020]."
#
# [[claims]]
# id = "first-claim"
# quote = {quote}   # words copied exactly from the source article
# statement = "What the evidence actually shows, in your words."
# verdict = "imprecise"        # supported | imprecise | overstated | unsupported
# evidence = "animal"          # human-trial | human-observational | animal | cell | review | none
# note = "Why the verdict is not 'supported'."
# refs = ["author2020"]        # every verdict but 'unsupported' needs one
#
# [[pathway]]
# id = "step-one"
# label = "First step"
# detail = "What happens at this step."
#
# [[pathway]]
# id = "step-two"
# label = "Second step"
# detail = "What the first step leads to."
# shown_in = "cell"            # cell | mouse | human: the strongest model showing the link from the step before
# refs = ["author2020"]
#
# [[glossary]]
# term = "Term"
# definition = "A one- or two-sentence definition."
# reverse = true               # also ask the other way round: the definition, for the term
# allow = ["giveaway"]         # card-writing checks not to apply to this term (README, "Card-writing checks")
#
# [[references]]
# id = "author2020"
# authors = "Author A, Second B"   # surname and initials, as PubMed writes them
# year = 2020
# title = "Title of the paper"
# journal = "Journal"
# volume = 12
# issue = 3
# pages = "45–67"
# doi = "10.1000/example"
#
# [[references]]
# id = "agency2021"
# authors = "World Health Organization"
# short = "WHO"                 # how cards cite it, when the authors' names are too long
# year = 2021
# title = "A report without a DOI"
# journal = "Fact sheet"
# url = "https://www.example.org/report"
# note = "Where the report is discussed."
#
# [[cards]]
# id = "first-card"            # never change it once published: it is the Anki note's identity
# type = "basic"               # basic | reverse | cloze
# front = "A short question?"
# back = "The answer."
# tags = ["topic"]
# refs = ["author2020"]
# claim = "first-claim"
# section = "part-1"
# allow = ["yes-no"]           # card-writing checks not to apply to this card (README, "Card-writing checks")
#
# [[cards]]
# id = "first-term"
# type = "reverse"             # two cards: front -> back and back -> front
# front = "Term"
# back = "What the term names"
#
# [[cards]]
# id = "first-cloze"
# type = "cloze"
# text = "A sentence with a {{{{c1::deleted::hint}}}} word and {{{{c2::another}}}}."
# extra = "Shown on the back [@agency2021]."
# pathway = true               # show the mechanism diagram drawn from [[pathway]]
"""


def scaffold(slug: str, source_text: str, today: dt.date) -> str:
    """The content file: title from the first line, the article's paragraphs as draft sections."""
    # Lines that hold nothing printable (a zero-width space, a byte-order mark) are not the title.
    lines = _lines(source_text).split("\n")
    text = "\n".join(lines[next((n for n, line in enumerate(lines) if _clean(line)), 0):]).strip()
    first, _, rest = text.partition("\n")
    first = _clean(first)
    if not first:
        raise StudygenError("the source article is empty")
    # A first line that reads like a title is the title; a first line that is already the
    # article's text (a file without a title, or one long line) gives a shortened title.
    heading = is_heading(first)
    article = (paragraphs(rest) if heading else paragraphs(text)) or [first]
    title = _title(first)
    body = [_literal(p) for p in article]
    lines = [
        f"# studygen content for {title!s}",
        "# Drafted by `studygen new`: every section below is the article's own text. Rewrite",
        "# them, then add claims, glossary, references and cards (examples at the end).",
        "# Remove `draft = true` when the content is finished: until then check and build warn.",
        "",
        "[article]",
        f"slug = {_toml(slug)}",
        f"title = {_toml(_literal(title))}",
        f"source = {_toml(slug + '.source.txt')}",
        f'version = "{today.isoformat()}"',
        f"summary = {_toml('Draft: ' + textwrap.shorten(body[0], 300, placeholder=' …'))}",
        f"deck = {_toml(deck_name(slug))}",
        'notice = "For education only, not medical advice."',
        "draft = true",
        ARTICLE_OPTIONS.format(today=today.isoformat()).rstrip("\n"),
    ]
    for n, paragraph in enumerate(body, 1):
        lines += ["", "[[sections]]", f'id = "part-{n}"', f'heading = "Part {n} (draft)"',
                  f"body = {_toml(paragraph)}"]
    return "\n".join(lines) + "\n" + EXAMPLES.format(quote=_toml(_example_quote(source_text)))


def create(slug: str, source: Path, content_dir: Path, today: dt.date | None = None) -> tuple[Path, Path]:
    """Write ``content_dir/SLUG.toml`` and copy the article beside it; never overwrite."""
    target = content_dir / f"{slug}.toml"
    copy = content_dir / f"{slug}.source.txt"
    for path in (target, copy):
        if path.exists():
            raise StudygenError(f"{path}: already exists; studygen new never overwrites")
    try:
        text = source.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise StudygenError(f"{source}: no such file") from None
    except UnicodeDecodeError as error:
        raise StudygenError(f"{source}: not UTF-8 (byte {error.start})") from None
    except OSError as error:
        raise StudygenError(f"{source}: cannot read: {error.strerror}") from None
    toml = scaffold(slug, text, today or dt.date.today())
    try:
        content_dir.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, copy)
        target.write_text(toml, encoding="utf-8")
    except OSError as error:
        copy.unlink(missing_ok=True)
        target.unlink(missing_ok=True)
        raise StudygenError(f"{content_dir}: cannot write: {error.strerror}") from None
    return target, copy
