"""A seeded, deterministic generator of the two demo ad sites' content.

`generate(seed)` plans every ad first — its site, language, role (ordinary, hard negative, youth
cue, trafficking cue), network, phone and how it is written, place, date, images — then writes
its text (`compose`). Shares: ~12 % youth cues, ~15 % trafficking cues, ~8 % hard negatives,
the rest (~65 %) ordinary adult ads; ~40 % of phones obfuscated; up to 4 networks, each one
phone shared by 2–4 aliases across zones, both sites and several weeks, with near-duplicate
images. The same seed always gives the same corpus, byte for byte.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from vigie.demo import images, places, vocab
from vigie.demo.compose import Plan, compose
from vigie.demo.corpus import DemoAd, DemoCorpus
from vigie.demo.images import ImageSpec
from vigie.demo.phones import OBFUSCATED_STYLES, PLAIN_STYLES, Phone, new_phone, render, supports

EPOCH = datetime(2026, 9, 1, tzinfo=UTC)
SPAN_DAYS = 70
SHARES = {"minor": 0.12, "trafficking": 0.15, "hard_negative": 0.08}
OBFUSCATED_SHARE = 0.40
OUTSIDE_SHARE = 0.08
LANG_WEIGHTS = (45, 25, 30)  # fr, nl, en
YOUTH_CUES = ("very_young", "new_first_time", "young_girl", "just_18", "youth_emoji")


@dataclass
class _Slot:
    """One ad being planned."""

    site: str
    ad_id: str
    lang: str
    role: str = "ordinary"
    network: str | None = None
    phone: Phone | None = None
    aliases: tuple[str, ...] = ()
    zone: str | None = None
    day: int | None = None
    hard_negative: str | None = None
    images: list[str] = field(default_factory=list)


@dataclass
class _State:
    seed: int
    rng: random.Random
    phones: set[str] = field(default_factory=set)
    specs: dict[str, ImageSpec] = field(default_factory=dict)
    base_seeds: set[int] = field(default_factory=set)
    quotas: dict[str, int] = field(default_factory=dict)

    def new_base(self) -> int:
        while True:
            base = self.rng.getrandbits(31)
            if base not in self.base_seeds:
                self.base_seeds.add(base)
                return base

    def add_image(self, spec: ImageSpec) -> str:
        self.specs[spec.name] = spec
        return spec.name

    def unique_image(self) -> str:
        fmt = self.rng.choice(("PNG", "JPEG"))
        return self.add_image(images.original(self.seed, self.new_base(), fmt))

    def take_role(self, role: str) -> bool:
        if self.quotas.get(role, 0) > 0:
            self.quotas[role] -= 1
            return True
        return False


def _plan_networks(st: _State, slots: list[_Slot], names: list[str]) -> None:
    rng = st.rng
    free = {site: [s for s in slots if s.site == site] for site in ("demo-static", "demo-js")}
    for pool in free.values():
        rng.shuffle(pool)
    zone_ids = sorted(places.ZONES)
    for k in range(min(4, len(slots) // 12)):
        network = f"N{k + 1}"
        size = rng.randint(4, 6)
        n_js = min(rng.randint(1, 2) if free["demo-static"] else size, len(free["demo-js"]))
        members = [free["demo-js"].pop() for _ in range(n_js)]
        members += [free["demo-static"].pop()
                    for _ in range(min(size - n_js, len(free["demo-static"])))]
        rng.shuffle(members)
        phone = new_phone(rng, "RO" if k == 3 else "BE", st.phones)
        aliases = [names.pop() for _ in range(rng.randint(2, min(4, len(members))))]
        zones = rng.sample(zone_ids, min(len(members), len(zone_ids)))
        day = rng.randint(0, SPAN_DAYS - 50)
        for j, slot in enumerate(members):
            slot.network, slot.phone, slot.day = network, phone, day
            slot.zone = zones[j % len(zones)]
            day += rng.randint(5, 12)
            first = aliases[j] if j < len(aliases) else rng.choice(aliases)
            slot.aliases = (first,)
            if rng.random() < 0.2:
                slot.aliases += (rng.choice([a for a in aliases if a != first]),)
            if k == 0 and j == 1 and st.take_role("minor"):
                slot.role = "minor"
            elif rng.random() < 0.6 and st.take_role("trafficking"):
                slot.role = "trafficking"
        base = st.new_base()
        with_image = rng.sample(members, max(2, round(0.75 * len(members))))
        for j, slot in enumerate(sorted(with_image, key=lambda s: s.day or 0)):
            spec = (images.original(st.seed, base) if j == 0
                    else images.variant(st.seed, base, j, rng))
            slot.images.append(st.add_image(spec))
            if rng.random() < 0.3:
                slot.images.append(st.unique_image())


def _plan_others(st: _State, slots: list[_Slot], names: list[str]) -> None:
    rng = st.rng
    others = [s for s in slots if s.network is None]
    rng.shuffle(others)
    roles = [role for role in ("minor", "trafficking", "hard_negative")
             for _ in range(st.quotas[role])]
    hard_codes = sorted(vocab.HARD_NEGATIVES)
    n_hard = 0
    for slot, role in zip(others, roles, strict=False):
        slot.role = role
        if role == "hard_negative":  # every kind of hard negative in turn
            slot.hard_negative = hard_codes[n_hard % len(hard_codes)]
            n_hard += 1
    foreign = dict(zip((s.ad_id for s in rng.sample(others, min(3, len(others)))),
                       ("FR", "NL", "RO"), strict=False))
    for slot in slots:
        if slot.network is not None:
            continue
        region = foreign.get(slot.ad_id) or rng.choices(("BE", "FR", "NL", "RO"),
                                                        weights=(85, 5, 5, 5))[0]
        slot.phone = new_phone(rng, region, st.phones)
        slot.aliases = (rng.choice(names),)
        if rng.random() < 0.25:
            slot.aliases += (rng.choice([n for n in names if n != slot.aliases[0]]),)
        slot.day = rng.randint(0, SPAN_DAYS - 1)
        count = rng.choices((0, 1, 2, 3), weights=(15, 35, 30, 20))[0]
        slot.images.extend(st.unique_image() for _ in range(count))


def _plan_text(rng: random.Random, slot: _Slot, title_place: str) -> Plan:
    """What the ad will say: the cues of its role and the ages it states."""
    minor: tuple[str, ...] = ()
    trafficking: tuple[str, ...] = ()
    hard: tuple[str, ...] = ()
    age: int | None = None
    hard_age: int | None = None
    minor_age: int | None = None
    if slot.role == "minor":
        if rng.random() < 0.5:
            minor_age = rng.choice((16, 17))
            minor = ("stated_age_minor",)
        pool = [c for c in YOUTH_CUES if not (minor and c == "just_18")]
        minor += tuple(rng.sample(pool, rng.randint(1, 2)))
        if minor_age is None and "just_18" not in minor and rng.random() < 0.4:
            age = rng.choice((18, 19))
    elif slot.role == "trafficking":
        trafficking = tuple(rng.sample(sorted(vocab.TRAFFICKING_CUES), rng.randint(2, 3)))
        age = rng.randint(19, 30) if rng.random() < 0.8 else None
    else:
        age = round(rng.triangular(19, 45, 24)) if rng.random() < 0.85 else None
        if slot.hard_negative is not None:
            code = slot.hard_negative
            hard = (code,)
            if code in vocab.HARD_NEGATIVE_AGES:
                hard_age, age = rng.randint(*vocab.HARD_NEGATIVE_AGES[code]), None
    return Plan(lang=slot.lang, role=slot.role, aliases=slot.aliases, age=age,
                title_place=title_place, minor_cues=minor, trafficking_cues=trafficking,
                hard_negatives=hard, hard_negative_age=hard_age, minor_stated_age=minor_age)


def _place(rng: random.Random, slot: _Slot) -> tuple[places.PlaceVariant, str]:
    """Where the ad says it is, and the short place name its title uses."""
    if slot.zone is None and rng.random() < OUTSIDE_SHARE:
        variant = places.elsewhere(rng.choice(sorted(places.ELSEWHERE)), slot.lang)
        return variant, variant.text
    zone = slot.zone or rng.choice(sorted(places.ZONES))
    commune = rng.choice(places.communes_in(zone))
    variant = rng.choice(places.variants_for(commune, slot.lang))
    return variant, places.COMMUNES[commune][1] if slot.lang == "nl" else commune


def _style(phone: Phone, pending: list[str], styles: tuple[str, ...]) -> str:
    """The next style of a rotation that can write `phone`; one it cannot write stays pending."""
    for style in pending:
        if supports(phone, style):
            pending.remove(style)
            if not pending:
                pending.extend(styles)
            return style
    return "intl"


def generate(seed: int = 7, n_static: int = 60, n_js: int = 30) -> DemoCorpus:
    """The demo corpus for `seed`: `n_static` ads on demo-static, `n_js` on demo-js."""
    rng = random.Random(seed)
    slots = [_Slot("demo-static", f"S{i + 1:04d}", "") for i in range(n_static)]
    slots += [_Slot("demo-js", f"J{i + 1:04d}", "") for i in range(n_js)]
    for slot in slots:
        slot.lang = rng.choices(vocab.LANGS, weights=LANG_WEIGHTS)[0]
    total = len(slots)
    st = _State(seed, rng, quotas={role: round(share * total) for role, share in SHARES.items()})
    names = list(vocab.NAMES)
    rng.shuffle(names)
    _plan_networks(st, slots, names)
    _plan_others(st, slots, names)
    obfuscated = set(rng.sample(range(total), round(OBFUSCATED_SHARE * total)))
    rotations: dict[tuple[str, str], list[str]] = {}  # per (kind, language)
    ads: list[DemoAd] = []
    for index, slot in enumerate(slots):
        if slot.phone is None or slot.day is None:
            raise RuntimeError(f"ad {slot.ad_id} was not fully planned")
        kind = "obfuscated" if index in obfuscated else "plain"
        styles = OBFUSCATED_STYLES if kind == "obfuscated" else PLAIN_STYLES
        style = _style(slot.phone, rotations.setdefault((kind, slot.lang), list(styles)), styles)
        place, title_place = _place(rng, slot)
        plan = _plan_text(rng, slot, title_place)
        title, body = compose(rng, plan)
        stated = {plan.age, plan.hard_negative_age, plan.minor_stated_age}
        stated |= {vocab.CUE_AGES.get(code) for code in plan.minor_cues}
        posted = EPOCH + timedelta(days=slot.day, hours=rng.randint(8, 23),
                                   minutes=rng.choice((0, 15, 30, 45)))
        ads.append(DemoAd(
            site=slot.site, ad_id=slot.ad_id, lang=slot.lang, title=title, body=body,
            location_text=place.text, posted_at=posted,
            phone_rendered=render(slot.phone, style, slot.lang), phone_e164=slot.phone.e164,
            phone_style=style, aliases=slot.aliases,
            ages=tuple(sorted(a for a in stated if a is not None)),
            commune=place.commune, zone=place.zone, images=tuple(slot.images),
            minor_cues=plan.minor_cues, trafficking_cues=plan.trafficking_cues,
            hard_negatives=plan.hard_negatives, network=slot.network,
        ))
    return DemoCorpus(seed=seed, ads=tuple(ads), image_specs=dict(st.specs))
