"""The floor: the least a process that makes both outputs must do.

Import ReportLab and genanki, write a one-page PDF and a one-note deck.
studygen's build of a real article is compared with this.
"""

import sys
from pathlib import Path

import genanki
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.platypus import Paragraph, SimpleDocTemplate


def main(out: Path) -> None:
    styles = getSampleStyleSheet()
    pdf = SimpleDocTemplate(str(out / "floor.pdf"), pagesize=A4, invariant=1, title="Floor")
    pdf.build([Paragraph("Floor", styles["Title"]),
               Paragraph("One page, one paragraph: what any PDF costs at least.", styles["Normal"])])
    model = genanki.Model(1607392319, "Floor", fields=[{"name": "Front"}, {"name": "Back"}],
                          templates=[{"name": "Card 1", "qfmt": "{{Front}}", "afmt": "{{FrontSide}}<hr>{{Back}}"}])
    deck = genanki.Deck(2059400110, "Floor")
    deck.add_note(genanki.Note(model=model, fields=["Question", "Answer"], guid="floor-note"))
    genanki.Package(deck).write_to_file(str(out / "floor.apkg"))


if __name__ == "__main__":
    main(Path(sys.argv[1]))
