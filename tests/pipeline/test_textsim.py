"""pipeline.textsim: near-duplicate ad texts and shared templates (synthetic, non-explicit ads)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import zlib
from pathlib import Path

import numpy as np
import pytest
from datasketch import MinHash
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.textsim import TextIndex, shingles, tokens

TEMPLATE = (
    "Nouvelle à Bruxelles ! {name}, {age} ans, disponible 24h/24 et 7j/7. Rendez-vous uniquement "
    "sur appel au {phone}, pas de SMS ni de numéro masqué. Discrétion assurée, quartier de la gare "
    "du Midi, parking facile. À bientôt, {name}."
)
OTHER_TEMPLATE = (
    "Hello gentlemen, I am {name}, visiting Brussels this week only. English and Spanish spoken. "
    "Call {phone} for an appointment near avenue Louise, no private numbers, no messages please."
)
UNRELATED = (
    "Appartement lumineux à louer près de la place Flagey, deux chambres, cuisine équipée, libre "
    "au premier mars. Contactez l'agence au 02 123 45 67 pour organiser une visite."
)


def ad(template: str, name: str, phone: str, age: int = 21) -> str:
    return template.format(name=name, phone=phone, age=age)


def test_two_ads_of_one_template_with_other_phones_and_names_match() -> None:
    index: TextIndex[tuple[str, str]] = TextIndex()
    assert index.add(("site-a", "1"), ad(TEMPLATE, "Lola", "0470 00 00 01", 21), masks=["Lola"])
    assert index.add(("site-b", "9"), ad(OTHER_TEMPLATE, "Mia", "+32 470 00 00 02"), masks=["Mia"])
    assert index.add(("site-c", "4"), UNRELATED)
    again = ad(TEMPLATE, "Bella Rose", "+32 486 00 00 03", 19)
    assert index.query(again, masks=["Bella Rose"]) == [("site-a", "1")]
    assert index.query(ad(OTHER_TEMPLATE, "Zoé", "0486/00.00.04"), masks=["Zoe"]) == [
        ("site-b", "9")
    ]
    index.add(("site-b", "2"), again, masks=["Bella Rose"])
    pairs = index.pairs()
    assert [(a, b) for a, b, _ in pairs] == [(("site-a", "1"), ("site-b", "2"))]
    assert pairs[0][2] >= index.threshold


def test_unrelated_ads_do_not_match() -> None:
    index: TextIndex[int] = TextIndex()
    index.add(1, ad(TEMPLATE, "Lola", "0470 00 00 01"), masks=["Lola"])
    index.add(2, ad(OTHER_TEMPLATE, "Lola", "0470 00 00 01"), masks=["Lola"])
    index.add(3, UNRELATED)
    assert index.pairs() == []
    assert index.query(ad(OTHER_TEMPLATE, "Lola", "0470 00 00 01")) == [2]
    unrelated = "Un texte qui ne ressemble à rien de tout cela, vraiment rien du tout."
    assert index.query(unrelated) == []


def test_short_texts_never_match() -> None:
    index: TextIndex[str] = TextIndex()
    short = "Lola 0470 00 00 01 Bruxelles"
    assert not index.add("a", short, masks=["Lola"])
    assert not index.add("b", short, masks=["Lola"])
    assert not index.add("c", "#### 123 456 @lola https://example.invalid/x 0470000001 22")
    assert len(index) == 0
    assert "a" not in index
    assert index.query(short) == []
    assert index.pairs() == []


def test_name_mask_is_what_makes_a_renamed_copy_match() -> None:
    a = ad(TEMPLATE, "Anastasia Belle", "0470 00 00 01")
    b = ad(TEMPLATE, "Kimberly Joy", "0470 00 00 01")
    masked = TextIndex[int](threshold=0.9)
    masked.add(1, a, masks=["Anastasia Belle"])
    assert masked.query(b, masks=["Kimberly Joy"]) == [1]
    assert tokens(a, ["Anastasia Belle"]) == tokens(b, ["kimberly  JOY"])
    assert tokens(a) != tokens(b)


def test_tokens_mask_contacts_numbers_accents_and_punctuation() -> None:
    words = tokens(
        "Appelle-moi au ０４７０ １２ ３４ ５６ ou lola.b@mail.invalid, "
        "@lola_b, https://example.invalid/p?id=3 — Élodie, 22 ans, Ixelles !",
        masks=["Élodie"],
    )
    assert words == [
        "appelle",
        "moi",
        "au",
        "#tel",
        "ou",
        "#at",
        "#at",
        "#url",
        "#name",
        "#num",
        "ans",
        "ixelles",
    ]


@settings(max_examples=80, deadline=None)
@given(st.text(max_size=200))
def test_no_digit_survives_normalisation(text: str) -> None:
    assert not any(c.isdecimal() for w in tokens(text) for c in w)


@settings(max_examples=50, deadline=None)
@given(
    st.from_regex(r"\+32 4[5-9][0-9] [0-9]{2} [0-9]{2} [0-9]{2}", fullmatch=True),
    st.from_regex(r"0[1-9]{3}/[0-9]{2}\.[0-9]{2}\.[0-9]{2}", fullmatch=True),
)
def test_any_phone_becomes_the_same_placeholder(p1: str, p2: str) -> None:
    assert tokens(ad(TEMPLATE, "X", p1)) == tokens(ad(TEMPLATE, "X", p2))


def test_signatures_equal_datasketch_minhash_over_crc32_shingles() -> None:
    index: TextIndex[int] = TextIndex(num_perm=64, seed=3)
    texts = [
        (ad(TEMPLATE, n, p), [n]) for n, p in (("Lola", "0470 00 00 01"), ("Mia", "0470 00 00 02"))
    ]
    texts += [(UNRELATED, []), ("trop court", [])]
    sigs, ok = index.signatures(texts)
    assert ok == [True, True, True, False]
    for (text, masks), sig in zip(texts[:3], sigs, strict=False):
        reference = MinHash(num_perm=64, seed=3, hashfunc=zlib.crc32)
        reference.update_batch(shingles(tokens(text, masks), 3, 6))
        assert sig.tolist() == reference.hashvalues.tolist()


def _template_corpus(n: int) -> list[tuple[int, str, list[str]]]:
    rng = np.random.default_rng(4)
    names = ["Lola", "Mia", "Zoe", "Nina", "Bella", "Eva", "Lina", "Jade"]
    out = []
    for i in range(n):
        name = names[i % len(names)]
        phone = f"+32 47{rng.integers(0, 10)} {rng.integers(10, 100)} 00 {rng.integers(10, 100)}"
        template = (TEMPLATE, OTHER_TEMPLATE, UNRELATED)[i % 3]
        text = ad(template, name, phone, int(rng.integers(19, 30)))
        if i % 5 == 0:  # some copies are edited a little
            text = text.replace("parking facile", "métro tout près").replace("only", "mostly")
        out.append((i, text, [name]))
    return out


def test_pairs_agree_with_query_and_are_deterministic() -> None:
    corpus = _template_corpus(60)
    one: TextIndex[int] = TextIndex()
    two: TextIndex[int] = TextIndex()
    assert one.add_many(corpus) == 60
    for key, text, masks in corpus:
        two.add(key, text, masks)
    pairs = one.pairs()
    assert pairs == two.pairs()
    assert len(pairs) > 60  # three templates of 20 copies each
    assert all(a % 3 == b % 3 and a < b for a, b, _ in pairs)  # never across templates
    from_queries = {
        (min(k, j), max(k, j))
        for k, text, masks in corpus
        for j in one.query(text, masks)
        if j != k
    }
    assert {(a, b) for a, b, _ in pairs} == from_queries
    with pytest.raises(KeyError):
        one.add(0, "dupliqué")


def test_signatures_are_the_same_in_another_process() -> None:
    text = ad(TEMPLATE, "Lola", "0470 00 00 01")
    code = (
        "import json, sys; from pipeline.textsim import TextIndex; "
        "print(json.dumps(TextIndex().signatures([(sys.argv[1], ['Lola'])])[0][0].tolist()))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, text],
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONHASHSEED": "12345", "PATH": ""},
        cwd=Path(__file__).resolve().parents[2],
    )
    assert json.loads(out.stdout) == TextIndex().signatures([(text, ["Lola"])])[0][0].tolist()


_PLAIN_DIGITS = re.compile(r"\+?\d(?:[\s./()-]{0,3}\d)*")  # the plain form of textsim's regex
_PLAIN_WORD = re.compile(r"#?\w+")


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="+0123456789٣ ./()-\t\nab_#é", max_size=60))
def test_fast_digit_regex_matches_what_the_plain_form_matches(s: str) -> None:
    from pipeline.textsim import _DIGITS

    assert [m.span() for m in _DIGITS.finditer(s)] == [m.span() for m in _PLAIN_DIGITS.finditer(s)]


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(alphabet="ab1 _#-.!é\u00a0", max_size=40), st.text(max_size=40)))
def test_fast_word_split_gives_the_regex_words(s: str) -> None:
    from pipeline.textsim import _words

    assert _words(s) == _PLAIN_WORD.findall(s.replace("_", " "))


def test_names_are_masked_as_words_whatever_separates_them() -> None:
    text = "Nom261 et Mary-Jane, puis mary  jane ; nom 261 n'est pas nom261b. Appelle 0470 12 34 56"
    words = tokens(text, masks=["Nom261", "Mary Jane", "0470 12 34 56", "  "])
    # names match word runs after numbers became placeholders: "nom261b" is "nom #num b"
    assert words == ["#name", "et", "#name", "puis", "#name", "#name", "n", "est", "pas", "#name",
                     "b", "appelle", "#tel"]  # a mask of numbers alone masks nothing


def test_long_and_non_ascii_texts_sign_as_datasketch_does() -> None:
    index: TextIndex[int] = TextIndex(num_perm=32, seed=7)
    long_text = " ".join(f"mot{i % 37}x ελληνικά straße" for i in range(120))  # > 64 words
    cyrillic = "Привет, меня зовут Мила, звоните 0470 12 34 56 днём и ночью"
    texts: list[tuple[str, list[str]]] = [(long_text, []), (cyrillic, [])]
    sigs, ok = index.signatures(texts)
    assert ok == [True, True]
    for (text, masks), sig in zip(texts, sigs, strict=True):
        reference = MinHash(num_perm=32, seed=7, hashfunc=zlib.crc32)
        reference.update_batch(shingles(tokens(text, masks), 3, 6))
        assert sig.tolist() == reference.hashvalues.tolist()


def test_compiled_signatures_equal_their_python_source() -> None:
    from pipeline import textsig

    index: TextIndex[int] = TextIndex(num_perm=16, seed=2)
    joined = [" ".join(tokens(ad(TEMPLATE, "Lola", "0470 00 00 01"))).encode(), b"a b", b"x"]
    data = np.frombuffer(b"".join(joined), dtype=np.uint8)
    ends = np.cumsum([len(j) for j in joined], dtype=np.int64)
    compiled = np.full((3, 16), 0xFFFFFFFF, dtype=np.uint32)
    python = compiled.copy()
    textsig.signatures_into(data, ends, 3, index._a, index._b, textsig.CRC_TABLE, compiled)
    textsig._signatures(data, ends, 3, index._a, index._b, textsig.CRC_TABLE, python)
    assert compiled.tolist() == python.tolist()
    assert (compiled[1:] == 0xFFFFFFFF).all()  # fewer words than a shingle: no signature
    assert textsig.COMPILED
