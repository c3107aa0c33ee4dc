"""Inter-annotator agreement: span F1 (as bratiaa), Cohen's κ and Krippendorff's α on sentence labels,
link agreement. Headless: the CLI (`reader agree`) and the app's statistics screen call it."""

from __future__ import annotations

from reader.agreement.figures import Agreement, MeanSd, Pair, compute, corpus_text_of, select
from reader.model.layers import GOLD

__all__ = ["GOLD", "Agreement", "MeanSd", "Pair", "compute", "corpus_text_of", "select"]
