"""studygen: one curated content model, rendered as a PDF explainer and an Anki deck."""

__version__ = "0.1.0"
