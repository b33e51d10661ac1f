"""spaCy pipelines, each loaded once, on first use, and shared; spaCy itself is imported then too
(importing it costs seconds).

Not on the per-ad path: measured on a 600-character ad, a blank pipeline's tokenizer takes
~40 µs to ~1.2 ms (its special cases, e.g. "rendez-vous.", make it slow on real ads) and a
`Matcher` with the alias patterns ~0.9 ms; `fr_core_news_sm`'s NER ~6 ms for one short title.
The whole analysis of an ad must stay ≥ 1,500 ads/s per core, so `pipeline.aliases` uses compiled
regexes instead. These loaders are for offline work: evaluating rules against NER, corpora.
"""

from __future__ import annotations

import functools
import logging
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.language import Language

logger = logging.getLogger(__name__)

LANGS = ("fr", "nl", "en")


@functools.cache
def blank(lang: str) -> Language:
    """The blank (tokenizer-only) spaCy pipeline for `lang` ("fr", "nl", "en")."""
    if lang not in LANGS:
        raise ValueError(f"no blank pipeline for language {lang!r}; expected one of {LANGS}")
    import spacy  # spaCy takes a second to import: only when first needed

    logger.debug("loading blank spaCy pipeline %s", lang)
    return spacy.blank(lang)


@functools.cache
def french_ner() -> Language:
    """`fr_core_news_sm` with only its named-entity recogniser (and the tok2vec it needs)."""
    import spacy

    logger.info("loading fr_core_news_sm (NER only)")
    return spacy.load(
        "fr_core_news_sm", exclude=["parser", "morphologizer", "attribute_ruler", "lemmatizer"]
    )
