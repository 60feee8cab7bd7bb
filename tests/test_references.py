"""Reference locators (volume, issue, pages) and the evidence-checked date, read back from the PDF."""

from __future__ import annotations

import unicodedata

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from generator.cli import main
from generator.load import load
from generator.render import Options
from generator.render.pdf.explainer import render
from tests.conftest import starter, write_content


def squash(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


def pdf_pages(tmp_path, data) -> list[str]:
    out = tmp_path / "out.pdf"
    out.write_bytes(render(load(write_content(tmp_path / "c", data)), Options()))
    return [squash(page.extract_text()) for page in PdfReader(out).pages]


def test_volume_issue_and_pages_print_in_one_style(tmp_path):
    data = starter()
    refs = data["references"]
    assert len(refs) >= 3
    refs[0].update(journal="Cell Metab", volume=24, issue="6", pages="795–806")
    refs[1].update(journal="Nutr Metab", volume="19", pages=20)  # no issue; an article number
    refs[2].update(journal="Some Journal")  # no locator at all
    for key in ("volume", "issue", "pages"):
        refs[2].pop(key, None)
    text = "".join(pdf_pages(tmp_path, data))
    assert squash("Cell Metab 24(6):795–806.") in text
    assert squash("Nutr Metab 19:20.") in text
    assert squash("Some Journal.") in text


def test_an_issue_without_a_volume_is_not_printed_alone(tmp_path):
    data = starter()
    data["references"][0].update(journal="J Test", issue="7", pages="e42357")
    data["references"][0].pop("volume", None)
    text = "".join(pdf_pages(tmp_path, data))
    assert squash("J Test e42357.") in text
    assert "(7)" not in text


@pytest.mark.parametrize("key, value", [("volume", -1), ("pages", ""), ("issue", 1.5), ("pages", "12\x01")])
def test_bad_locators_are_named(tmp_path, key, value):
    data = starter()
    data["references"][0][key] = value
    path = write_content(tmp_path / "c", data)
    result = CliRunner().invoke(main, ["check", str(path)])
    assert result.exit_code == 1, result.output
    assert f"references[0]" in result.output and key in result.output
    assert "Traceback" not in result.output


def test_checked_date_prints_on_the_first_and_last_page(tmp_path):
    data = starter()
    data["article"]["checked"] = "2026-11-28"
    pages = pdf_pages(tmp_path, data)
    assert "EVIDENCECHECKED2026-11-28" in pages[0]
    assert squash("The evidence was last checked on 28 November 2026.") in pages[-1]


def test_without_a_checked_date_nothing_claims_one(tmp_path):
    data = starter()
    data["article"].pop("checked", None)
    text = "".join(pdf_pages(tmp_path, data))
    assert "CHECKED" not in text and "lastchecked" not in text


def test_a_bad_checked_date_is_an_error(tmp_path):
    data = starter()
    data["article"]["checked"] = "last week"
    result = CliRunner().invoke(main, ["check", str(write_content(tmp_path / "c", data))])
    assert result.exit_code == 1 and "article.checked" in result.output, result.output
