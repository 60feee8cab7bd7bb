"""The PDF formats through ReportLab: the explainer (``explainer``) and the printable
flashcards (``cards``), with the layout pieces they share.  Only this package imports
ReportLab; the deck borrows ``diagram`` and ``svg_fonts`` for its SVG.
"""

from generator import standins
from generator.render.pdf import patterns

patterns.seed()  # before ReportLab compiles them itself
# ReportLab imports Pillow at start-up for bitmap images, and its colouring of Python source
# (PyFontify, which compiles a long pattern) for preformatted code: studygen draws neither.
with standins.standing_in(PIL__Image=standins.lazy("PIL.Image"),
                          reportlab__lib__PyFontify=standins.lazy("reportlab.lib.PyFontify")):
    import reportlab.lib.utils  # noqa: F401
    import reportlab.platypus  # noqa: F401
