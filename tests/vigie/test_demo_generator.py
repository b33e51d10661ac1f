"""The demo corpus generator: determinism, ground-truth consistency, planted shares, content."""

from __future__ import annotations

import io
import json
import random
import re
from collections import Counter, defaultdict
from pathlib import Path

import imagehash
import phonenumbers
import pytest
from PIL import Image
from text_to_num import alpha2digit

from vigie.demo import DemoCorpus, generate, images, places, vocab
from vigie.demo.corpus import DemoAd
from vigie.demo.phones import OBFUSCATED_STYLES, PLAIN_STYLES, number_words


@pytest.fixture(scope="module")
def corpus() -> DemoCorpus:
    return generate()


def _full_text(ad: DemoAd) -> str:
    return "\n".join((ad.title, *ad.body))


def test_same_seed_gives_byte_identical_corpus(tmp_path: Path) -> None:
    first, second = generate(seed=11), generate(seed=11)
    first.write_ground_truth(tmp_path / "a.jsonl")
    second.write_ground_truth(tmp_path / "b.jsonl")
    assert (tmp_path / "a.jsonl").read_bytes() == (tmp_path / "b.jsonl").read_bytes()
    assert first.ads == second.ads
    assert list(first.image_specs) == list(second.image_specs)
    for name in list(first.image_specs)[:6]:
        assert first.image_bytes(name) == second.image_bytes(name)


def test_other_seed_gives_other_corpus() -> None:
    assert generate(seed=1).ads != generate(seed=2).ads


def test_sites_and_ids(corpus: DemoCorpus) -> None:
    sites = Counter(ad.site for ad in corpus.ads)
    assert sites == {"demo-static": 60, "demo-js": 30}
    ids = [ad.ad_id for ad in corpus.ads]
    assert len(set(ids)) == len(ids)
    for ad in corpus.ads:
        assert re.fullmatch(r"S\d{4}" if ad.site == "demo-static" else r"J\d{4}", ad.ad_id)
    assert {ad.lang for ad in corpus.ads} == {"fr", "nl", "en"}
    for site in ("demo-static", "demo-js"):
        assert {ad.lang for ad in corpus.ads if ad.site == site} == {"fr", "nl", "en"}


def test_small_corpus_has_no_networks_and_one_site() -> None:
    small = generate(seed=3, n_static=5, n_js=0)
    assert [ad.ad_id for ad in small.ads] == ["S0001", "S0002", "S0003", "S0004", "S0005"]
    assert all(ad.network is None for ad in small.ads)
    assert small.listing("demo-js") == ()


def test_every_phone_is_a_valid_mobile(corpus: DemoCorpus) -> None:
    regions: Counter[str] = Counter()
    for ad in corpus.ads:
        number = phonenumbers.parse(ad.phone_e164)
        assert phonenumbers.is_valid_number(number), ad.phone_e164
        assert phonenumbers.number_type(number) == phonenumbers.PhoneNumberType.MOBILE
        regions[phonenumbers.region_code_for_number(number)] += 1
    assert regions["BE"] > 0.7 * len(corpus.ads)
    assert {"FR", "NL", "RO"} <= set(regions)


def _accepted_digit_strings(e164: str) -> set[str]:
    number = phonenumbers.parse(e164)
    cc, nsn = str(number.country_code), phonenumbers.national_significant_number(number)
    return {"0" + nsn, cc + nsn, "00" + cc + nsn, cc + "0" + nsn}


def test_rendered_phone_shows_the_true_number(corpus: DemoCorpus) -> None:
    for ad in corpus.ads:
        text, style = ad.phone_rendered, ad.phone_style
        if style in PLAIN_STYLES:
            assert phonenumbers.format_number(phonenumbers.parse(text, "BE"),
                                              phonenumbers.PhoneNumberFormat.E164) == ad.phone_e164
            digits = re.sub(r"\D", "", text)
        elif style == "words":
            digits = re.sub(r"\D", "", alpha2digit(text, ad.lang))
        elif style == "lookalike":
            assert re.search("[Ol]", text)
            digits = re.sub(r"\D", "", text.replace("O", "0").replace("l", "1"))
        else:
            assert style in OBFUSCATED_STYLES, style
            digits = re.sub(r"\D", "", text)
        assert digits in _accepted_digit_strings(ad.phone_e164), (ad.ad_id, style, text)


def test_phone_obfuscation_share_and_styles(corpus: DemoCorpus) -> None:
    styles = Counter(ad.phone_style for ad in corpus.ads)
    obfuscated = sum(styles[s] for s in OBFUSCATED_STYLES)
    assert 0.35 <= obfuscated / len(corpus.ads) <= 0.45
    assert set(styles) == set(PLAIN_STYLES) | set(OBFUSCATED_STYLES)
    word_langs = {ad.lang for ad in corpus.ads if ad.phone_style == "words"}
    assert word_langs == {"fr", "nl", "en"}


def test_networks_share_one_phone_across_zones_sites_and_weeks(corpus: DemoCorpus) -> None:
    networks: dict[str, list[DemoAd]] = defaultdict(list)
    for ad in corpus.ads:
        if ad.network:
            networks[ad.network].append(ad)
    assert len(networks) == 4
    for members in networks.values():
        assert len({ad.phone_e164 for ad in members}) == 1
        assert 2 <= len({a for ad in members for a in ad.aliases}) <= 4
        assert len({ad.zone for ad in members}) >= 2
        assert None not in {ad.zone for ad in members}
        assert {ad.site for ad in members} == {"demo-static", "demo-js"}
        dates = sorted(ad.posted_at for ad in members)
        assert (dates[-1] - dates[0]).days >= 14
        bases = Counter(corpus.image_specs[name].base_seed for ad in members for name in ad.images)
        assert bases.most_common(1)[0][1] >= 2  # one picture reused across the network
    network_phones = {ads[0].phone_e164 for ads in networks.values()}
    others = [ad.phone_e164 for ad in corpus.ads if ad.network is None]
    assert len(set(others)) == len(others)
    assert not network_phones & set(others)


def test_reused_images_are_near_duplicates(corpus: DemoCorpus) -> None:
    by_base: dict[int, list[str]] = defaultdict(list)
    for name, spec in corpus.image_specs.items():
        by_base[spec.base_seed].append(name)
    reused = {base: names for base, names in by_base.items() if len(names) > 1}
    assert len(reused) >= 4
    unrelated = [names[0] for names in by_base.values() if len(names) == 1][:25]

    def phash(name: str) -> imagehash.ImageHash:
        data = corpus.image_bytes(name)
        assert data is not None
        return imagehash.phash(Image.open(io.BytesIO(data[0])))

    others = [phash(name) for name in unrelated]
    for names in reused.values():
        specs = [corpus.image_specs[n] for n in names]
        assert len({(s.size, s.crop, s.fmt, s.quality) for s in specs}) == len(specs)
        hashes = [phash(n) for n in names]
        for h in hashes[1:]:
            assert h - hashes[0] <= 12
            assert h - hashes[0] < min(h - other for other in others)


def test_every_ad_image_is_unique_outside_networks(corpus: DemoCorpus) -> None:
    seen = Counter(corpus.image_specs[name].base_seed for ad in corpus.ads
                   if ad.network is None for name in ad.images)
    assert all(count == 1 for count in seen.values())
    assert {len(ad.images) for ad in corpus.ads if ad.network is None} == {0, 1, 2, 3}


def test_cue_shares(corpus: DemoCorpus) -> None:
    n = len(corpus.ads)
    minor = [ad for ad in corpus.ads if ad.is_minor_cue]
    trafficking = [ad for ad in corpus.ads if ad.is_trafficking_cue]
    hard = [ad for ad in corpus.ads if ad.hard_negatives]
    assert 0.09 <= len(minor) / n <= 0.15
    assert 0.12 <= len(trafficking) / n <= 0.18
    assert 0.05 <= len(hard) / n <= 0.11
    ordinary = [ad for ad in corpus.ads if not (ad.is_minor_cue or ad.is_trafficking_cue)]
    assert len(ordinary) / n >= 0.6
    assert not {ad.ad_id for ad in minor} & {ad.ad_id for ad in trafficking}
    assert any(ad.network for ad in minor)
    assert any(ad.network for ad in trafficking)
    assert {16, 17} & {age for ad in minor for age in ad.ages}
    assert all(age >= 18 for ad in corpus.ads if not ad.is_minor_cue for age in ad.ages)
    assert {c for ad in hard for c in ad.hard_negatives} == set(vocab.HARD_NEGATIVES)


def test_planted_cues_are_in_the_text(corpus: DemoCorpus) -> None:
    for ad in corpus.ads:
        text = _full_text(ad)
        for code in ad.minor_cues:
            if code == "stated_age_minor":
                assert re.search(rf"{re.escape(ad.aliases[0])}, 1[67] ", text)
            elif code == "youth_emoji":
                assert "🎀" in ad.title
                assert "🍭" in ad.title
            else:
                assert vocab.MINOR_CUES[code][ad.lang] in text, (ad.ad_id, code)
        for code in ad.trafficking_cues:
            phrases = [vocab.TRAFFICKING_CUES[code][ad.lang].format(alias=ad.aliases[0], nat=nat)
                       for nat in vocab.NATIONALITIES[ad.lang]]
            if code == "new_in_town":
                phrases.append(vocab.CUE_TITLES[code][ad.lang].format(ALIAS=ad.aliases[0].upper()))
            assert any(p in text for p in phrases), (ad.ad_id, code)
        if "always_available" in ad.trafficking_cues:  # "24/7" and opening hours contradict
            assert vocab.HOURS[ad.lang] not in text
        for code in ad.hard_negatives:
            template = vocab.HARD_NEGATIVES[code][ad.lang]
            assert template.split("{")[0] in text, (ad.ad_id, code)


def test_youth_cue_ads_carry_no_service_words(corpus: DemoCorpus) -> None:
    services = {s for sentences in vocab.SERVICES.values() for s in sentences}
    for ad in corpus.ads:
        if ad.is_minor_cue:
            assert not any(s in _full_text(ad) for s in services), ad.ad_id
            assert not re.search(r"massage|compagn|company|gezelschap", ad.title, re.I)


def test_no_explicit_vocabulary_anywhere(corpus: DemoCorpus) -> None:
    banned = re.compile(r"sex|nud|naked|naakt|\bnue?\b|lingerie|sensu|erot|seins|borsten|body",
                        re.IGNORECASE)
    for ad in corpus.ads:
        assert not banned.search(_full_text(ad)), ad.ad_id


def test_locations_map_to_zones(corpus: DemoCorpus) -> None:
    outside = [ad for ad in corpus.ads if ad.zone is None]
    assert outside
    assert all(ad.commune in places.ELSEWHERE for ad in outside)
    for ad in corpus.ads:
        assert "1040" not in ad.location_text
        if ad.zone is not None:
            assert places.zone_of(ad.commune or "") == ad.zone
    texts = [ad.location_text for ad in corpus.ads]
    assert any(re.match(r"1\d{3} ", t) for t in texts)  # postcodes
    dutch = {nl for nl, _z in ((v[1], v[0]) for v in places.COMMUNES.values())}
    assert any(t in dutch and t not in places.COMMUNES for t in texts)
    landmark_texts = {text for _c, names in places.LANDMARKS for text in names.values()}
    assert any(any(lm in t for lm in landmark_texts) for t in texts)
    assert len({ad.zone for ad in corpus.ads} - {None}) == 6


def test_aliases_and_ages_are_written_in_the_ad(corpus: DemoCorpus) -> None:
    for ad in corpus.ads:
        text = _full_text(ad)
        assert all(alias in text for alias in ad.aliases)
        for age in ad.ages:
            assert str(age) in text or number_words(str(age), ad.lang) in text, (ad.ad_id, age)
    with_age = sum(1 for ad in corpus.ads if ad.ages)
    assert with_age / len(corpus.ads) >= 0.75


def test_ground_truth_lines(corpus: DemoCorpus, tmp_path: Path) -> None:
    path = tmp_path / "truth.jsonl"
    corpus.write_ground_truth(path)
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert len(records) == len(corpus.ads)
    contract = {"site", "ad_id", "url_path", "phones", "aliases", "ages", "commune", "zone",
                "cues", "is_minor_cue", "is_trafficking_cue", "network", "images"}
    for record, ad in zip(records, corpus.ads, strict=True):
        assert contract <= set(record)
        assert record["ad_id"] == ad.ad_id
        assert record["phones"] == [ad.phone_e164]
        assert record["url_path"] == ad.url_path
        assert record["is_minor_cue"] == bool(record["cues"]["minor"])
        assert record["is_trafficking_cue"] == bool(record["cues"]["trafficking"])
        assert all(name in corpus.image_specs for name in record["images"])


def test_image_variant_bounds() -> None:
    rng = random.Random(0)
    for index in range(1, 30):
        spec = images.variant(7, 123, index, rng)
        assert max(spec.size) <= images.MAX_SIDE
        left, top, right, bottom = spec.crop
        width, height = images.BASE_SIZE
        assert (right - left) >= 0.9 * width
        assert (bottom - top) >= 0.9 * height
