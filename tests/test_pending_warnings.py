"""Warnings found after loading (generator.pending): the same messages, found once, and a
failure while finding them is still an internal error that writes nothing."""

from __future__ import annotations

import pickle
import sys

import pytest

from generator import cardrules
from generator.load import load
from tests.conftest import ROOT, invoke


@pytest.fixture
def generated(tmp_path):
    sys.path.insert(0, str(ROOT / "bench"))
    import workloads

    return workloads.generated(tmp_path / "in", "gen", cards=80, terms=8)


def test_a_document_sent_elsewhere_takes_its_warnings_along_unfound(monkeypatch, generated):
    expected = list(load(generated).warnings)
    assert expected  # generated content breaks a few card-writing rules
    calls = []
    check = cardrules.check
    monkeypatch.setattr(cardrules, "check", lambda content: calls.append(1) or check(content))
    doc = load(generated)
    data = pickle.dumps(doc)  # as a build sends it to a worker
    assert calls == []
    copy = pickle.loads(data)
    assert list(copy.warnings) == expected  # lines found again from the file's text
    assert list(doc.warnings) == expected
    assert list(pickle.loads(pickle.dumps(doc)).warnings) == expected
    assert len(calls) == 2  # once for the copy, once here: the second copy was sent found


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_builds_say_what_check_says(generated, tmp_path, jobs):
    checked = invoke("check", str(generated))
    built = invoke("build", "-j", jobs, "-o", str(tmp_path / "out"), str(generated))
    assert checked.exit_code == built.exit_code == 0
    warnings = [line for line in checked.output.splitlines() if line.startswith("warning: ")]
    assert warnings
    assert [line for line in built.output.splitlines() if line.startswith("warning: ")] == warnings


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_failure_in_the_card_rules_during_a_build_writes_nothing(monkeypatch, generated, tmp_path, jobs):
    def broken(content):
        raise RuntimeError("a card rule broke")

    monkeypatch.setattr(cardrules, "check", broken)
    out = tmp_path / "out"
    result = invoke("build", "-j", jobs, "-o", str(out), str(generated))
    assert result.exit_code == 70
    assert "internal error (RuntimeError: a card rule broke)" in result.output
    assert not out.exists() or list(out.iterdir()) == []
    checked = invoke("check", str(generated))
    assert checked.exit_code == 70
    assert "internal error (RuntimeError: a card rule broke)" in checked.output
