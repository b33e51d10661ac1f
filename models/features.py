"""The classifier's features, by name: cue families and their co-occurrence, structured facts,
word and character n-grams.

`feature_dict` is the reference featurisation (training and the sklearn path use it through a
`DictVectorizer`); `models.classifier` computes the same linear score without building the dict.
All n-gram features are counts, so a token's unigram and character n-grams add up per token.

Weak cues count only together (Ibanez & Suthers 2014; CONTRACT.md of the blind corpus): the
lexicon's categories fall into *strong* families (a third party, several persons, control,
nationality marketing) and *weak* ones (movement, no local language, 24/7, price, obscured
contact, hotel only). When an ad's only cue is one weak family, neither its indicators nor the
words of its matched phrases are features: only `weak:1` is, so "new in Brussels for a few days"
alone cannot raise a flag through its words. Two weak families, or a weak and a strong one, give
co-occurrence features (`weak:2+`, `pair:…`, `strong+weak`) and keep their words.

N-grams never read digits (phone fragments, prices), the ad's own aliases and places
(`Features.masked`) or the artefact's `excluded` words (the gazetteer's place names): a learned
reason is wording, never a number, a name or a place.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Collection, Iterable, Mapping

from models.tokens import Token
from models.types import Features, Hit

CHAR_SIZES = (3, 4, 5)
# N-gram counts are scaled down: a constant scale is a stronger L2 penalty on n-gram weights, so
# the classifier leans on the (few, documented) indicators and uses wording as a supplement.
NGRAM_SCALE = 0.1
MAX_INDICATOR_COUNT = 3
# Several names behind one phone as a strong family: off — an ad naming one woman twice ("on
# m'appelle aussi Nikita") has two aliases too, and the demo's aka ads were flagged on it alone.
STRUCTURED_STRONG = False
# Two weak cue families together are a trafficking lead by the labelling policy and the cited
# research: their co-occurrence features are scaled up, a weaker L2 penalty on their weights
# (as `NGRAM_SCALE` scales n-grams down), so the fit does not shrink the rule towards nothing.
COOCCURRENCE_SCALE = 2.0

STRONG = frozenset(
    {"third_person", "third_party", "multiple_persons", "restriction_control", "ethnicity"}
)
WEAK = frozenset(
    {
        "movement",
        "no_local_language",
        "availability_24_7",
        "price_anomaly",
        "obscured_contact",
        "hotel_only",
    }
)

Masked = list[list[Token | None]]


def char_grams(word: str) -> list[str]:
    """Character n-grams of one padded word (sklearn's `char_wb` style)."""
    padded = f" {word} "
    return [f"c:{padded[i : i + n]}" for n in CHAR_SIZES for i in range(len(padded) - n + 1)]


def token_features(word: str) -> list[str]:
    """The per-token features of one word: its unigram and its character n-grams."""
    return [f"w:{word}", *char_grams(word)]


def structured(features: Features) -> dict[str, float]:
    ages = features.ages
    out: dict[str, float] = {}
    if any(a < 18 for a in ages):
        out["age:under_18"] = 1.0
    if 18 in ages:
        out["age:18"] = 1.0
    if any(18 < a < 23 for a in ages):
        out["age:19_22"] = 1.0
    if not ages:
        out["age:none"] = 1.0
    if features.n_aliases >= 2:
        out["persons:several_names"] = 1.0
        # Several women behind one contact (Dubrawski et al. 2015), or each with her own.
        if features.n_phones == 1:
            out["persons:several_names_one_phone"] = 1.0
        elif features.n_phones >= 2:
            out["persons:own_phones"] = 1.0
    if features.n_phones >= 2:
        out["persons:several_phones"] = 1.0
    if features.foreign_phone:
        out["phone:foreign"] = 1.0
    if features.obfuscated_phone:
        out["phone:obfuscated"] = 1.0
    if features.network_size > 1:
        out["network:log_size"] = math.log(features.network_size)
    return out


def several_one_contact(features: Features | None) -> bool:
    """Several names behind a single phone number: the structured form of the strong cue
    "several persons behind one contact" (Dubrawski et al. 2015)."""
    return features is not None and features.n_aliases >= 2 and features.n_phones == 1


def _families(hits: Iterable[Hit], features: Features | None) -> tuple[list[str], set[str]]:
    cats = {h.category for h in hits if h.field is not None}
    strong = cats & STRONG
    if STRUCTURED_STRONG and several_one_contact(features):
        strong = strong | {"multiple_persons"}
    return sorted(cats & WEAK), strong


def lone_weak(hits: Iterable[Hit], features: Features | None = None) -> bool:
    """True when the ad's cues are one weak family and nothing else of the trafficking kind."""
    weak, strong = _families(hits, features)
    return not strong and len(weak) == 1


def indicator_features(hits: Iterable[Hit], features: Features | None = None) -> dict[str, float]:
    """Indicator counts and categories, and the cue families' co-occurrence (`features` gives
    the structured strong cue: several names behind one phone)."""
    text_hits = [h for h in hits if h.field is not None]
    weak, strong = _families(text_hits, features)
    silent = WEAK if not strong and len(weak) == 1 else frozenset()
    kept = [h for h in text_hits if h.category not in silent]
    codes = Counter(h.code for h in kept)
    out = {f"ind:{c}": float(min(n, MAX_INDICATOR_COUNT)) for c, n in codes.items()}
    out.update((f"cat:{h.category}", 1.0) for h in kept)
    if len(weak) == 1 and not strong:  # a lone weak cue: never a feature of the trafficking kind
        out["weak:1"] = 1.0
    elif len(weak) >= 2:
        out["weak:2+"] = COOCCURRENCE_SCALE
        out.update(
            (f"pair:{a}+{b}", COOCCURRENCE_SCALE) for i, a in enumerate(weak) for b in weak[i + 1 :]
        )
    if strong:
        out["strong:any"] = 1.0
        if len(strong) >= 2:
            out["strong:2+"] = 1.0
        if weak:
            out["strong+weak"] = 1.0
    return out


def masked_tokens(
    hits: Iterable[Hit],
    tokens: Mapping[str, list[Token]],
    features: Features,
    excluded: Collection[str] = frozenset(),
) -> dict[str, list[Token | None]]:
    """Each field's tokens as the n-grams see them: None where a token is not wording (digits,
    the ad's aliases and places, `excluded` words, a lone weak cue's phrase)."""
    hits = list(hits)
    spans: dict[str, list[tuple[int, int]]] = {}
    if lone_weak(hits, features):
        for h in hits:
            if h.field is not None and h.category in WEAK:
                spans.setdefault(h.field, []).append((h.start, h.end))
    masked = features.masked
    out: dict[str, list[Token | None]] = {}
    for field, seq in tokens.items():
        cut = spans.get(field, ())
        out[field] = [
            None
            if not _wording(t.text)
            or t.text in masked
            or t.text in excluded
            or any(s <= t.start < e for s, e in cut)
            else t
            for t in seq
        ]
    return out


_WORDING: dict[str, bool] = {}


def _wording(word: str) -> bool:
    ok = _WORDING.get(word)
    if ok is None:
        ok = not any(c.isdigit() for c in word)
        if len(_WORDING) < 1 << 17:
            _WORDING[word] = ok
    return ok


def feature_dict(
    hits: Iterable[Hit],
    tokens: Mapping[str, list[Token]],
    features: Features,
    excluded: Collection[str] = frozenset(),
) -> dict[str, float]:
    """All features of one ad. `tokens` are the canonical tokens of each text field."""
    hits = list(hits)
    out = indicator_features(hits, features)
    out.update(structured(features))
    counts: Counter[str] = Counter()
    for seq in masked_tokens(hits, tokens, features, excluded).values():
        prev: Token | None = None
        for t in seq:
            if t is not None:
                counts.update(token_features(t.text))
                if prev is not None:
                    counts[f"b:{prev.text} {t.text}"] += 1
            prev = t
    out.update((k, NGRAM_SCALE * v) for k, v in counts.items())
    return out
