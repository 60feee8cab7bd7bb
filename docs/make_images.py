"""Render the README's pictures from a real build: page 1 and the first page of the evidence table.

Run from the repository root after `studygen build` (needs the test extras for pypdfium2):

    python docs/make_images.py output/nmn-autophagy.pdf
"""

from __future__ import annotations

import sys
from pathlib import Path

import pypdfium2 as pdfium

DOCS = Path(__file__).resolve().parent
SCALE = 1.25  # 90 dpi: readable in a README, a few hundred kB


def main(pdf_path: str) -> None:
    pdf = pdfium.PdfDocument(pdf_path)
    table = next(i for i, page in enumerate(pdf) if "The article says" in page.get_textpage().get_text_range())
    for name, index in (("page1.png", 0), ("evidence-table.png", table)):
        image = pdf[index].render(scale=SCALE).to_pil().convert("RGB")
        # A 128-colour palette keeps anti-aliased text smooth at a third of the size.
        image.quantize(colors=128).save(DOCS / name, optimize=True)
        print(f"{DOCS / name}: page {index + 1}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "output/nmn-autophagy.pdf")
