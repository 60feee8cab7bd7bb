"""Content for the benchmark: copies of the shipped article and generated content of any size.

Generated content is valid studygen content of a realistic shape (inline
markup, citations, claims quoted from the source, every card type, cards
tied to claims and sections, a few showing the mechanism diagram), made
deterministically so every run measures the same work.
"""

from __future__ import annotations

import json
import random
import re
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NMN = ROOT / "content" / "nmn-autophagy.toml"

WORDS = ("cell protein enzyme pathway signal level tissue trial mouse human dose blood muscle liver "
         "precursor coenzyme membrane lysosome vesicle marker response effect study sample measure "
         "rise fall change link evidence model review result group week month daily oral").split()
MARKUP = ("NAD^{+}", "**autophagy**", "*in vitro*", "H_{2}O", "SIRT1", "“recycling”", "≥ 2 weeks", "β-cells")


def nmn_copies(folder: Path, count: int) -> list[Path]:
    """``count`` copies of the shipped article, each with its own slug and deck name."""
    folder.mkdir(parents=True, exist_ok=True)
    text = NMN.read_text(encoding="utf-8")
    source = re.search(r'^source = "(.+)"$', text, re.M).group(1)
    shutil.copyfile(NMN.parent / source, folder / source)
    paths = []
    for n in range(1, count + 1):
        slug = f"nmn-autophagy-{n:03d}"
        copy = re.sub(r'^slug = ".*"$', f'slug = "{slug}"', text, count=1, flags=re.M)
        copy = re.sub(r'^deck = ".*"$', f'deck = "Health::NMN copy {n:03d}"', copy, count=1, flags=re.M)
        path = folder / f"{slug}.toml"
        path.write_text(copy, encoding="utf-8")
        paths.append(path)
    return paths


def _s(text: str) -> str:
    # A JSON string without ASCII escaping is a valid TOML basic string.
    return json.dumps(text, ensure_ascii=False)


def _prose(rng: random.Random, words: int, refs: int) -> str:
    out = []
    for i in range(words):
        if i and i % 11 == 0:
            out.append(rng.choice(MARKUP))
        word = rng.choice(WORDS)
        if i and i % 17 == 0:
            word += "."
        out.append(word)
    text = " ".join(out)
    if refs:
        text += f" [@r{rng.randrange(refs)}]"
    return text[0].upper() + text[1:] + "."


def generated(folder: Path, slug: str, *, cards: int, terms: int, sections: int = 8, paragraphs: int = 3,
              words: int = 90, claims: int = 20, refs: int = 20) -> Path:
    """Write ``folder/slug.toml`` (and its source) with the given numbers of entries."""
    rng = random.Random(f"{slug}:{cards}:{terms}:{sections}")
    folder.mkdir(parents=True, exist_ok=True)
    sentences = [f"Claim number {n} says that NAD^+ {rng.choice(WORDS)} {rng.choice(WORDS)} changes."
                 for n in range(claims)]
    (folder / f"{slug}.source.txt").write_text("\n\n".join(sentences) + "\n", encoding="utf-8")
    verdicts = ("supported", "imprecise", "overstated", "unsupported")
    levels = ("human-trial", "human-observational", "animal", "cell", "review", "none")
    title = f"Generated content {slug}: NAD^{{+}} and autophagy"
    out = [
        "[article]",
        f"slug = {_s(slug)}",
        f"title = {_s(title)}",
        'subtitle = "A benchmark workload"',
        f'source = "{slug}.source.txt"',
        'version = 2026-11-25',
        f"summary = {_s(_prose(rng, 60, refs))}",
        f'deck = "Bench::{slug}"',
        'notice = "For education only, not medical advice."',
        'keywords = ["NMN", "autophagy"]',
    ]
    for _ in range(5):
        out += ["", "[[takeaways]]", f"text = {_s(_prose(rng, 30, refs))}"]
    for n in range(sections):
        body = "\n\n".join(_prose(rng, words, refs) for _ in range(paragraphs))
        heading = f"Section {n}: {_prose(rng, 4, 0)}"
        out += ["", "[[sections]]", f'id = "s{n}"', f"heading = {_s(heading)}",
                f"body = {_s(body)}"]
    for n, sentence in enumerate(sentences):
        out += ["", "[[claims]]", f'id = "q{n}"', f"quote = {_s(sentence)}",
                f"statement = {_s(_prose(rng, 25, refs))}", f'verdict = "{verdicts[n % 4]}"',
                f'evidence = "{levels[n % 6]}"', f"note = {_s(_prose(rng, 12, 0))}",
                f'refs = ["r{n % refs}"]']
    for n, label in enumerate(("NMN", "NAD^{+}", "SIRT1", "LC3 lipidation")):
        out += ["", "[[pathway]]", f'id = "p{n}"', f"label = {_s(label)}",
                f"detail = {_s(_prose(rng, 8, 0))}", f'shown_in = "{("human", "mouse", "cell", "cell")[n]}"',
                f'refs = ["r{n % refs}"]']
    for n in range(terms):
        out += ["", "[[glossary]]", f"term = {_s(f'term {n} {rng.choice(MARKUP)}')}",
                f"definition = {_s(_prose(rng, 20, refs))}"]
    for n in range(refs):
        out += ["", "[[references]]", f'id = "r{n}"', f'authors = "Author{n} A, Other B, et al."',
                f"year = {2000 + n % 25}", f"title = {_s(_prose(rng, 10, 0))}",
                'journal = "Journal of Benchmarks"', f'doi = "10.1000/bench.{n}"']
    for n in range(cards):
        kind = ("basic", "reverse", "cloze")[n % 3]
        out += ["", "[[cards]]", f'id = "c{n}"', f'type = "{kind}"']
        if kind == "cloze":
            text = (f"Card {n}: {_prose(rng, 8, 0)} {{{{c1::{rng.choice(WORDS)}}}}} "
                    f"{_prose(rng, 6, 0)} {{{{c2::{rng.choice(MARKUP)}}}}}.")
            out += [f"text = {_s(text)}", f"extra = {_s(_prose(rng, 10, refs))}"]
        else:
            front = f"Card {n}: {_prose(rng, 12, 0)}?"
            out += [f"front = {_s(front)}", f"back = {_s(_prose(rng, 10, refs))}"]
        out.append(f'tags = ["topic::t{n % 7}", "bench"]')
        out.append(f'refs = ["r{n % refs}"]')
        if n % 4 == 0:
            out.append(f'claim = "q{n % claims}"')
        if n % 5 == 0 and sections:
            out.append(f'section = "s{n % sections}"')
        if n % 50 == 0:
            out.append("pathway = true")
    path = folder / f"{slug}.toml"
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    return path
