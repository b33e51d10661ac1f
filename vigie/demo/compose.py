"""Write an ad's title and paragraphs from what the generator planted in it."""

from __future__ import annotations

import random
from dataclasses import dataclass

from vigie.demo import vocab
from vigie.demo.phones import number_words

THIRD_PERSON_INTROS = {"fr": "Voici {alias}{age}.", "nl": "Dit is {alias}{age}.",
                       "en": "Meet {alias}{age}."}


@dataclass(frozen=True, slots=True)
class Plan:
    """What one ad must say. `age` is the age the intro states (None: no age in the intro)."""

    lang: str
    role: str  # "ordinary" | "hard_negative" | "minor" | "trafficking"
    aliases: tuple[str, ...]
    age: int | None
    title_place: str
    minor_cues: tuple[str, ...] = ()
    trafficking_cues: tuple[str, ...] = ()
    hard_negatives: tuple[str, ...] = ()
    hard_negative_age: int | None = None
    minor_stated_age: int | None = None


def _age_text(rng: random.Random, lang: str, age: int) -> str:
    form = rng.choice(vocab.AGE_FORMS[lang])
    return form.format(n=age, w=number_words(str(age), lang))


def _title(rng: random.Random, plan: Plan) -> tuple[str, str | None]:
    """The title, and the cue code it carries (if any)."""
    lang, alias = plan.lang, plan.aliases[0]
    fill = {"alias": alias, "ALIAS": alias.upper(), "place": plan.title_place}
    if "youth_emoji" in plan.minor_cues:
        return vocab.CUE_TITLES["youth_emoji"][lang].format(**fill), "youth_emoji"
    if "new_in_town" in plan.trafficking_cues and rng.random() < 0.5:
        return vocab.CUE_TITLES["new_in_town"][lang].format(**fill), "new_in_town"
    templates = list(vocab.TITLES[lang])
    if plan.role == "minor":  # no service words next to youth cues
        templates = [t for t in templates if "{age_title}" in t or "{ALIAS}" in t]
    shown_age = plan.minor_stated_age or plan.age
    if shown_age is None:
        templates = [t for t in templates if "{age_title}" not in t]
    else:
        fill["age_title"] = vocab.AGE_TITLE[lang].format(n=shown_age)
    return rng.choice(templates).format(**fill), None


def _intro(rng: random.Random, plan: Plan) -> str:
    lang, alias = plan.lang, plan.aliases[0]
    if plan.minor_stated_age is not None:
        intro = vocab.MINOR_AGE_INTRO[lang].format(alias=alias, n=plan.minor_stated_age)
    else:
        age = f", {_age_text(rng, lang, plan.age)}" if plan.age is not None else ""
        if "third_person" in plan.trafficking_cues:
            intro = THIRD_PERSON_INTROS[lang].format(alias=alias, age=age)
        else:
            intro = rng.choice(vocab.INTROS[lang]).format(alias=alias, age=age)
    for other in plan.aliases[1:]:
        intro += vocab.SECOND_ALIAS[lang].format(alias=other)
    return intro


def _middle(rng: random.Random, plan: Plan) -> list[str]:
    lang = plan.lang
    neutral, services = vocab.NEUTRAL[lang], vocab.SERVICES[lang]
    if plan.role == "minor":
        return rng.sample(neutral, rng.randint(1, 2))
    if plan.role == "trafficking":
        if "always_available" in plan.trafficking_cues:  # no opening hours next to "24/7"
            neutral = tuple(s for s in neutral if s != vocab.HOURS[lang])
        return rng.sample(services, rng.randint(0, 1)) + rng.sample(neutral, 1)
    chosen = rng.sample(services, rng.randint(1, 2)) + rng.sample(neutral, rng.randint(1, 2))
    if rng.random() < 0.3:
        chosen.append(vocab.LANGUAGES_SPOKEN[lang])
    return chosen


def _cues(rng: random.Random, plan: Plan, title_cue: str | None) -> list[str]:
    lang, alias = plan.lang, plan.aliases[0]
    out: list[str] = []
    for code in plan.minor_cues:
        if code in vocab.MINOR_CUES:
            out.append(vocab.MINOR_CUES[code][lang])
    for code in plan.trafficking_cues:
        if code == title_cue:  # the title already says it
            continue
        nat = rng.choice(vocab.NATIONALITIES[lang])
        out.append(vocab.TRAFFICKING_CUES[code][lang].format(alias=alias, nat=nat))
    for code in plan.hard_negatives:
        out.append(vocab.HARD_NEGATIVES[code][lang].format(n=plan.hard_negative_age))
    rng.shuffle(out)
    return out


def compose(rng: random.Random, plan: Plan) -> tuple[str, tuple[str, ...]]:
    """The ad's title and its paragraphs."""
    title, title_cue = _title(rng, plan)
    paragraphs = [_intro(rng, plan), " ".join(_middle(rng, plan))]
    cues = _cues(rng, plan, title_cue)
    if cues:
        paragraphs.insert(rng.randint(1, 2), " ".join(cues))
    paragraphs.append(vocab.SIGN_OFFS[plan.lang].format(alias=plan.aliases[0]))
    return title, tuple(paragraphs)
