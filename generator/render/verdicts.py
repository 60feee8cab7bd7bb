"""How the explainers name verdicts and evidence levels, in print and on the web (no ReportLab here)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from generator.model import Content

VERDICT_WORDS = {"supported": "Supported", "imprecise": "Imprecise", "overstated": "Overstated",
                 "unsupported": "Unsupported"}
VERDICT_MEANINGS = {
    "supported": "the evidence backs the wording",
    "imprecise": "a true core, but the wording, scope or mechanism is off",
    "overstated": "goes further than the evidence, for example from mice to people",
    "unsupported": "no evidence found, or the evidence points the other way",
}
EVIDENCE_WORDS = {"human-trial": "Human trials", "human-observational": "Human observational",
                  "animal": "Animal studies", "cell": "Cell studies", "review": "Reviews",
                  "none": "None found"}
# Drawn in the PDF (DejaVu Serif has no check or ballot glyphs); characters on the web page.
VERDICT_MARKS = {"supported": "✓", "imprecise": "~", "overstated": "▲", "unsupported": "✗"}


def verdict_counts(content: Content) -> list[tuple[str, int]]:
    """How many claims have each verdict, in the order of the verdict scale (zero counts kept)."""
    return [(v, sum(1 for c in content.claims if c.verdict == v)) for v in VERDICT_WORDS]
