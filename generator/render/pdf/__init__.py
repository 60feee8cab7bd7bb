"""The PDF formats through ReportLab: the explainer (``explainer``) and the printable
flashcards (``cards``), with the layout pieces they share.  Only this package imports
ReportLab; the deck borrows ``diagram`` and ``svg_fonts`` for its SVG.
"""
