"""Flesch reading ease: the counting rules, and what check -v reports."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from generator.cli import main
from generator.readability import measure, reading_ease, syllables
from tests.conftest import starter, write_content


@pytest.mark.parametrize("word, expected", [
    ("cat", 1), ("make", 1), ("table", 2), ("people", 2), ("the", 1), ("used", 1), ("added", 2),
    ("recycling", 3), ("autophagy", 4), ("NMN", 3), ("FDA", 3), ("WHO", 5), ("250", 3),
    ("well-known", 2), ("mile", 1),
])
def test_syllables(word, expected):
    assert syllables(word) == expected


def test_counts_words_sentences_and_syllables():
    reading = measure("The cat sat on the mat. Is it a cat?\n\nYes it is")
    assert (reading.words, reading.sentences, reading.syllables) == (13, 3, 13)


def test_markup_and_citations_are_not_read():
    assert measure("The **cat** sat [@lee2008].") == measure("The cat sat.")


def test_formula_on_known_values():
    # 6 words, 1 sentence, 6 syllables: 206.835 - 1.015 * 6 - 84.6 * 1
    assert reading_ease("The cat sat on the mat.") == pytest.approx(116.145)
    # 4 words of 3, 4, 4 and 4 syllables in one sentence
    hard = "Mitochondrial respiration determines bioavailability."
    assert reading_ease(hard) < reading_ease("The cat sat on the mat.")


def test_longer_sentences_and_longer_words_read_harder():
    short = "NMN is a pill. It is sold in shops. Few tests have been done in people."
    long = ("Nicotinamide mononucleotide, a biosynthetic intermediate of nicotinamide adenine dinucleotide, "
            "is marketed commercially as a nutritional supplement notwithstanding limited clinical investigation.")
    assert reading_ease(short) >= 60 > 30 > reading_ease(long)


def test_empty_text_scores_zero():
    assert reading_ease("[@lee2008]") == 0


def test_check_verbose_reports_each_section(tmp_path):
    data = starter()
    data["sections"] = [
        {"id": "easy", "heading": "Easy", "body": "The cat sat on the mat. It was a good cat."},
        {"id": "hard", "heading": "Hard", "body": "Mitochondrial respiration determines bioavailability."},
    ]
    for card in data.get("cards", []):
        card.pop("section", None)
    path = write_content(tmp_path / "c", data)
    result = CliRunner().invoke(main, ["check", "-v", str(path)])
    assert result.exit_code == 0, result.output
    easy = round(reading_ease(data["sections"][0]["body"]))
    hard = round(reading_ease(data["sections"][1]["body"]))
    assert f"reading ease {easy}: section easy" in result.output
    assert f"reading ease {hard}: section hard" in result.output
    quiet = CliRunner().invoke(main, ["check", str(path)])
    assert "reading ease" not in quiet.output
