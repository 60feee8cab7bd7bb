"""``studygen new``: a content file to start curating a new article from."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import textwrap
from pathlib import Path

from generator.errors import StudygenError


def _toml(text: str) -> str:
    """A TOML basic string.  JSON escapes quotes, backslashes and C0 controls the same way;
    DEL, which JSON leaves alone and TOML forbids, is escaped by hand."""
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")


def _clean(text: str) -> str:
    """One line of printable text: control characters dropped, whitespace folded."""
    return " ".join("".join(c for c in text if c.isprintable() or c.isspace()).split())


def paragraphs(text: str) -> list[str]:
    """Paragraphs of a pasted article: blank-line separated, or one per line when there are none."""
    text = text.replace("\r\n", "\n").strip()
    blocks = [b for b in text.split("\n\n") if b.strip()]
    if len(blocks) == 1:
        blocks = [line for line in text.split("\n") if line.strip()]
    return [p for p in (_clean(b) for b in blocks) if p]


EXAMPLES = '''
# Add the curated material below; `studygen check` validates it.
# Each example is commented out: remove the leading "# " to use it.
#
# [[takeaways]]
# text = "One sentence a reader should remember."
#
# [[claims]]
# id = "first-claim"
# quote = "words copied exactly from the source article"
# statement = "What the evidence actually shows, in your words."
# verdict = "imprecise"        # supported | imprecise | overstated | unsupported
# evidence = "animal"          # human-trial | human-observational | animal | cell | review | none
# note = "Why the verdict is not 'supported'."
# refs = ["author2020"]
#
# [[pathway]]
# id = "step-one"
# label = "First step"
# detail = "What happens at this step."
# shown_in = "cell"            # cell | mouse | human
#
# [[glossary]]
# term = "Term"
# definition = "A one- or two-sentence definition."
#
# [[references]]
# id = "author2020"
# authors = "Author A, Author B"
# year = 2020
# title = "Title of the paper"
# journal = "Journal"
# doi = "10.1000/example"
#
# [[cards]]
# id = "first-card"            # never change it once published: it is the Anki note's identity
# type = "basic"               # basic | reverse | cloze
# front = "A short question?"
# back = "The answer."
# tags = ["topic"]
# claim = "first-claim"
#
# [[cards]]
# id = "first-cloze"
# type = "cloze"
# text = "A sentence with a {{c1::deleted}} word."
# tags = ["topic"]
'''


def scaffold(slug: str, source_text: str, today: dt.date) -> str:
    """The content file: title from the first line, the remaining paragraphs as draft sections."""
    first, _, rest = source_text.strip().partition("\n")
    title = _clean(first)
    if not title:
        raise StudygenError("the source article is empty")
    body = paragraphs(rest) or [title]
    lines = [
        f"# studygen content for {title!s}",
        "# Drafted by `studygen new`: every section below is the article's own text. Rewrite",
        "# them, then add claims, glossary, references and cards (examples at the end).",
        "",
        "[article]",
        f"slug = {_toml(slug)}",
        f"title = {_toml(title)}",
        f"source = {_toml(slug + '.source.txt')}",
        f'version = "{today.isoformat()}"',
        f"summary = {_toml('Draft: ' + textwrap.shorten(body[0], 300, placeholder=' …'))}",
        f"deck = {_toml('Study::' + (title.replace('::', ':').strip(':') or slug))}",
        'notice = "For education only, not medical advice."',
    ]
    for n, paragraph in enumerate(body, 1):
        lines += ["", "[[sections]]", f'id = "part-{n}"', f'heading = "Part {n} (draft)"',
                  f"body = {_toml(paragraph)}"]
    return "\n".join(lines) + "\n" + EXAMPLES


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
