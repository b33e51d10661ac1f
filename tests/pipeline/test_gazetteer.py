from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from pipeline.gazetteer import fold, gazetteer, name_key, trie_regex


def test_fold_lowers_strips_accents_and_blanks_everything_else() -> None:
    assert fold("Saint-Josse-ten-Noode") == "saint josse ten noode"
    assert fold("ÇA, Liège d’Ixelles!") == "ca  liege d ixelles "
    assert fold("București 😀") == "bucure ti  "
    assert name_key(" Sint-Joost\tten Node ") == "sintjoosttennode"


@given(st.text())
def test_fold_keeps_every_offset(text: str) -> None:
    folded = fold(text)
    assert len(folded) == len(text)
    assert all(c == " " or c.isalnum() for c in folded)


def test_trie_regex_matches_the_longest_name_and_any_spacing() -> None:
    pattern = re.compile(" (" + trie_regex(["gare", "gare du nord", "gand"]) + ")(?![^ ])")
    found = [m.group(1) for m in pattern.finditer(" gare du  nord gare gand garedunord gares")]
    assert found == ["gare du  nord", "gare", "gand", "garedunord"]
    strict = re.compile(trie_regex(["c est"], space=" +"))
    assert strict.fullmatch("c  est")
    assert not strict.fullmatch("cest")


def test_the_gazetteer_has_the_19_communes_in_the_six_zones() -> None:
    g = gazetteer()
    assert len(g.zone_of) == 19
    assert sorted(set(g.zone_of.values())) == ["5339", "5340", "5341", "5342", "5343", "5344"]
    for code, communes in g.postcodes.items():
        assert re.fullmatch(r"1[0-2]\d0|108[1-3]", code)
        assert all(c in g.zone_of for c in communes)
    assert len(g.postcodes) == 22


def test_the_gazetteer_records_the_shared_postcodes() -> None:
    g = gazetteer()
    shared = {code: set(c) for code, c in g.postcodes.items() if len(c) > 1}
    assert shared == {"1040": {"Etterbeek", "Bruxelles"}, "1050": {"Ixelles", "Bruxelles"}}
    assert g.zones_of_postcode("1040") == {"5339", "5343"}
    assert g.zones_of_postcode("1050") == {"5339"}
