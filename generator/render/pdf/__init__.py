"""The PDF formats through ReportLab: the explainer (``explainer``) and the printable
flashcards (``cards``), with the layout pieces they share.  Only this package imports
ReportLab; the deck borrows ``diagram`` and ``svg_fonts`` for its SVG.
"""

from generator import standins
from generator.render.pdf import patterns

patterns.seed()  # before ReportLab compiles them itself
# ReportLab imports Pillow at start-up for bitmap images, which studygen never draws.
with standins.standing_in(PIL__Image=standins.lazy("PIL.Image")):
    import reportlab.lib.utils  # noqa: F401
