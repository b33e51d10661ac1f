"""Incremental linking (pipeline.relink): after any sequence of new ads, changed ads and erasures,
the networks — members, edges with their evidence, ids, risk, hubs — are those of linking every
current ad again."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.edges import LinkConfig
from pipeline.relink import NetworkState, relink
from pipeline.types import Alias, Analysis, Contact, ImageRef, PhoneMatch, Place, RawAd

# Small hub thresholds: a value shown by 4 ads in 3 otherwise separate groups is a hub, so that
# adding ads turns values into hubs (and splits networks) and erasing turns them back.
CONFIG = LinkConfig(hub_min_ads=4, hub_min_groups=3, text_min_words=8)
PHONES = [f"+3247000000{i}" for i in range(4)]
BASE = [0x0123456789ABCDEF, 0xF0F0F0F00F0F0F0F, 0x5555AAAA3333CCCC]
# Each base, a near copy (3 bits off) and one 6 bits further: chains of likeness.
HASHES = [f"{h ^ m:016x}" for h in BASE for m in (0, 0b111, 0b111111000)]
WORDS = ["nouvelle", "ville", "disponible", "discrete", "appartement", "prive", "gare", "metro",
         "calme", "accueil"]
TEXTS = [
    " ".join(WORDS),
    " ".join(reversed(WORDS)),
    " ".join(WORDS[:5] + ["semaine", "soiree", "quartier", "parking", "propre"]),
]
ZONES = ("5339", "5340", "5341")
EPOCH = datetime(2026, 1, 1, tzinfo=UTC)

ads = st.fixed_dictionaries(
    {
        "phones": st.lists(st.sampled_from(PHONES), max_size=2, unique=True),
        "handle": st.none() | st.sampled_from(["tg1", "tg2"]),
        "images": st.lists(st.sampled_from(HASHES), max_size=2, unique=True),
        "text": st.none() | st.sampled_from(range(len(TEXTS))),
        "alias": st.sampled_from(["Lina", "Sara", "Mia"]),
        "zone": st.sampled_from(ZONES),
        "score": st.sampled_from([0.0, 0.4, 0.9]),
        "day": st.none() | st.integers(0, 30),
    }
)
ops = st.lists(
    st.one_of(
        st.tuples(st.just("add"), st.lists(ads, min_size=1, max_size=6)),
        st.tuples(st.just("change"), st.integers(0, 10**6), ads),
        st.tuples(st.just("erase"), st.lists(st.integers(0, 10**6), min_size=1, max_size=3)),
        # Seen again (another fetch time) or scored again: links as before, dates and risk move.
        st.tuples(st.just("again"), st.lists(st.integers(0, 10**6), min_size=1, max_size=3),
                  st.sampled_from([0.0, 0.4, 0.9]), st.integers(1, 5)),
    ),
    min_size=1,
    max_size=10,
)


def _item(n: int, spec: dict[str, object]) -> tuple[RawAd, Analysis]:
    site = ("a", "b")[n % 2]
    refs = tuple(
        ImageRef(f"http://127.0.0.1/{n}/{i}.jpg", h)
        for i, h in enumerate(spec["images"])  # type: ignore[arg-type]
    )
    text = "" if spec["text"] is None else f"{spec['alias']} {TEXTS[spec['text']]}"  # type: ignore[index]
    day = spec["day"]
    posted = None if day is None else EPOCH + timedelta(days=day)  # type: ignore[arg-type]
    raw = RawAd(site, f"{n:03d}", f"http://127.0.0.1/{n}", "", text, posted_at=posted,
                fetched_at=EPOCH, images=refs)
    handle = spec["handle"]
    analysis = Analysis(
        site,
        raw.ad_id,
        phones=tuple(PhoneMatch(p, "BE", False, ()) for p in spec["phones"]),  # type: ignore[attr-defined]
        contacts=() if handle is None else (Contact("telegram", str(handle), ()),),
        aliases=(Alias(str(spec["alias"]), ()),),
        place=Place(None, str(spec["zone"]), None, True, ()),
        images=refs,
        trafficking_score=float(spec["score"]),  # type: ignore[arg-type]
        flags=("trafficking",) if spec["score"] == 0.9 else (),
    )
    return raw, analysis


def _same(state: NetworkState, current: dict[tuple[str, str], tuple[RawAd, Analysis]]) -> None:
    want = relink(current.values(), CONFIG)
    assert state.networks() == want
    assert {n.network_id: n for n in state.networks()} == {n.network_id: n for n in want}
    full = NetworkState(CONFIG)
    full.update(current.values())
    assert sorted(state.hubs(), key=repr) == sorted(full.hubs(), key=repr)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(first=st.lists(ads, max_size=12), steps=ops)
def test_incremental_linking_equals_a_full_relink(
    first: list[dict[str, object]], steps: list[tuple[object, ...]]
) -> None:
    state = NetworkState(CONFIG)
    current: dict[tuple[str, str], tuple[RawAd, Analysis]] = {}
    n = 0
    batch = []
    for spec in first:
        batch.append(_item(n, spec))
        n += 1
    current.update(((r.site, r.ad_id), (r, a)) for r, a in batch)
    state.update(batch)
    _same(state, current)
    for step in steps:
        keys = sorted(current)
        before = {net.network_id: net for net in state.networks()}
        if step[0] == "add":
            batch = []
            for spec in step[1]:  # type: ignore[attr-defined]
                batch.append(_item(n, spec))
                n += 1
            delta = state.update(batch)
            current.update(((r.site, r.ad_id), (r, a)) for r, a in batch)
        elif step[0] == "change" and keys:
            key = keys[int(step[1]) % len(keys)]  # type: ignore[call-overload]
            raw, analysis = _item(int(key[1]), step[2])  # type: ignore[arg-type]
            delta = state.update([(raw, analysis)])
            current[key] = (raw, analysis)
        elif step[0] == "erase" and keys:
            gone = {keys[i % len(keys)] for i in step[1]}  # type: ignore[attr-defined]
            delta = state.remove(gone)
            for key in gone:
                del current[key]
        elif step[0] == "again" and keys:
            batch = []
            for i in step[1]:  # type: ignore[attr-defined]
                raw, analysis = current[keys[i % len(keys)]]
                raw = replace(raw, fetched_at=EPOCH + timedelta(days=int(step[3])))  # type: ignore[call-overload]
                analysis = replace(analysis, trafficking_score=float(step[2]))  # type: ignore[arg-type]
                batch.append((raw, analysis))
                current[(raw.site, raw.ad_id)] = (raw, analysis)
            delta = state.update(batch)
        else:
            continue
        _same(state, current)
        # The delta says exactly what changed.
        after = {net.network_id: net for net in state.networks()}
        assert set(delta.removed) == before.keys() - after.keys()
        assert {net.network_id for net in delta.upserted} == {
            nid for nid, net in after.items() if before.get(nid) != net
        }


def test_an_erased_bridge_splits_its_network_and_only_that_one_is_relinked() -> None:
    state = NetworkState(LinkConfig())  # hubs of 40 ads: none here
    spec = {"phones": [], "handle": None, "images": [], "text": None, "alias": "Lina",
            "zone": "5339", "score": 0.0, "day": 1}
    left = [_item(i, {**spec, "phones": [PHONES[0]]}) for i in range(3)]
    right = [_item(i, {**spec, "phones": [PHONES[1]]}) for i in range(3, 6)]
    bridge = _item(6, {**spec, "phones": [PHONES[0], PHONES[1]]})
    other = [_item(i, {**spec, "phones": [PHONES[2]]}) for i in range(7, 9)]
    state.update([*left, *right, bridge, *other])
    assert sorted(len(n.members) for n in state.networks()) == [2, 7]
    delta = state.remove([("a", "006")])
    assert sorted(len(n.members) for n in delta.upserted) == [3, 3]
    assert delta.relinked_ads == 6  # the other network was left alone
    assert sorted(len(n.members) for n in state.networks()) == [2, 3, 3]


def test_new_ads_that_make_a_value_a_hub_split_the_network() -> None:
    state = NetworkState(CONFIG)
    spec = {"phones": [], "handle": None, "images": [], "text": None, "alias": "Lina",
            "zone": "5339", "score": 0.0, "day": 1}
    state.update([_item(i, {**spec, "phones": [PHONES[0]]}) for i in range(3)])
    assert [len(n.members) for n in state.networks()] == [3]
    # A fourth ad with the same phone: 4 ads, 4 groups without it — a switchboard.
    delta = state.update([_item(3, {**spec, "phones": [PHONES[0]]})])
    assert state.networks() == []
    assert set(delta.removed)
    assert not delta.upserted
    assert [h.value for h in state.hubs()] == [PHONES[0]]


def test_an_ad_erased_or_changed_still_leads_new_ads_to_those_that_shared_its_values() -> None:
    # The finder remembers the first ad of a phone and the first of a pHash; once that ad is gone
    # (or shows other values), a new ad with the same phone or photo must still meet the others.
    state = NetworkState(LinkConfig())
    spec = {"phones": [PHONES[0]], "handle": None, "images": [HASHES[0]], "text": None,
            "alias": "Lina", "zone": "5339", "score": 0.0, "day": 1}
    current = {(r.site, r.ad_id): (r, a) for r, a in (_item(i, spec) for i in range(3))}
    state.update(current.values())
    state.remove([("a", "000")])
    del current[("a", "000")]
    changed = _item(1, {**spec, "phones": [PHONES[1]], "images": [HASHES[3]]})
    current[("b", "001")] = changed
    state.update([changed])
    _same(state, current)
    for i, values in ((3, {"phones": [PHONES[0]], "images": []}),
                      (4, {"phones": [], "images": [HASHES[0]]})):
        new = _item(i, {**spec, **values})
        current[(new[0].site, new[0].ad_id)] = new
        state.update([new])
        _same(state, current)
    assert [n.members for n in state.networks()] == [(("a", "002"), ("a", "004"), ("b", "003"))]


def test_new_ads_meet_through_an_erased_ad_that_showed_their_phone_first() -> None:
    state = NetworkState(LinkConfig())
    spec = {"phones": [PHONES[2]], "handle": None, "images": [], "text": None,
            "alias": "Lina", "zone": "5339", "score": 0.0, "day": 1}
    state.update([_item(0, spec)])
    state.remove([("a", "000")])  # the finder still has it as the phone's first ad
    state.update([_item(1, spec)])
    state.update([_item(2, spec)])
    assert [n.members for n in state.networks()] == [(("a", "002"), ("b", "001"))]
