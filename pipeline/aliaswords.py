"""The words `pipeline.aliases` reads around a name: trigger phrases of French, Dutch, English and
the workers' languages ("je m'appelle", "ik heet", "my name is", "me llamo"…), the determiners and
adjectives that may stand between a trigger and the name, the words announcing a name in a title
and the prepositions that make the next word a place.
"""

from __future__ import annotations

import re

from pipeline.gazetteer import fold, trie_regex

# Trigger phrases, folded (lower case, no accents, punctuation as spaces: "m'appelle" is
# "m appelle"). Strong: the word after is a name whatever its case; label: strong when a colon
# follows ("Prénom : Eva"); weak: the word after is a name only if capitalised.
_PHRASES = {
    "strong": (
        *("m appelle", "m apelle", "m appele", "m appel", "m appelles", "moi c est"),
        *(f"mon {w} {v}" for w in ("nom", "prenom", "pseudo", "surnom") for v in ("est", "c est")),
        *("appelez moi", "appelle moi", "appele moi", "ik heet", "noem me", "noem mij"),
        *("mijn naam is", "m n naam is", "mn naam is", "my name is", "my name s"),
        *("my names is", "my names", "my name", "her name is", "her name s", "his name is"),
        *(f"{w} {c}call me" for w in ("they", "you", "u") for c in ("", "can ")),
        # the workers' languages: Spanish, Portuguese, Romanian, Polish, German, Italian
        *("me llamo", "mi nombre es", "meu nome e", "me chamo", "ma numesc", "numele meu este"),
        *("nazywam sie", "mam na imie", "ich heisse", "ich heise", "mi chiamo"),
        # ... Portuguese, Albanian, Hungarian, Czech, Croatian/Serbian, Turkish
        *("chamo me", "me chamam", "me llaman", "mi chiamano", "une quhem", "quhem"),
        *("a nevem", "jmenuji se", "jmenuju se", "zovem se", "benim adim", "adim"),
    ),
    "label": ("nom", "prenom", "pseudo", "surnom", "naam", "name"),
    # the name before: "Lola here", "Hoi! Sanne hier"
    "before": (
        *("here", "hier", "a votre ecoute", "a votre service", "at your service"),
        *("tot uw dienst", "tot je dienst", "vagyok", "vagyunk"),  # Hungarian "X vagyok"
        *("welcome you", "vous accueillent", "vous accueille", "heten je welkom"),
        *("heten u welkom", "verwelkomen je", "verwelkomen u", "vous attendent", "await you"),
    ),
    "weak": (
        *("je suis", "j suis", "nous sommes", "c est", "ik ben", "wij zijn", "we zijn"),
        *("dit is", "hier is", "i m", "i am", "call me", "we are", "this is", "it is", "it s"),
        *("voici", "voila", "here is", "meet", "aka", "a k a", "alias", "known as"),
        *("bekend als", "surnommee", "dite", "im", "its", "ask for", "vraag naar", "demandez"),
        *("soy", "somos", "sou", "somos", "sono", "siamo", "sunt", "suntem", "jestem"),
        *("ich bin", "wir sind"),
    ),
}
_KIND = {p.replace(" ", ""): kind for kind, phrases in _PHRASES.items() for p in phrases}
# Over " " + the folded text: the literal space in front lets the regex engine jump from word
# start to word start; the phrases form a trie, so each word start costs one branch.
_TRIGGER = re.compile(
    " (?:(?P<phrase>"
    + trie_regex(sorted({p for ps in _PHRASES.values() for p in ps}), space=" +")
    + r")|(?P<age>\d\d ?(?:ans|jaar|jr|yo|y o|yrs?|years?)))(?![^ ])"
)
_COLON_AT = re.compile(r"\s*:")
_WORD_AT = re.compile(r"\s*[:\-–,'’]?\s*([^\W\d_]+(?:-[^\W\d_]+)*)")
_JOIN_AT = re.compile(r"\s*(?:&|\+|(?:et|and|en)(?=\s))\s*")
_JOIN_BEFORE = re.compile(r"\s(?:&|\+|et|and|en)\s+$")
_TITLE_PART = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*|[^\w\s]+|\d+")

# Words that may stand between a trigger and the name: "je suis la belle Lola", "I'm your Kim".
_SKIP = frozenset(
    fold(w)
    for w in (
        *(":", "-", ",", "la", "le", "l", "ta", "ton", "votre", "vos", "ma", "mon", "your"),
        *("ur", "the", "a", "une", "un", "de", "het", "een", "jouw", "uw", "je", "jullie"),
        *("aussi", "also", "ook", "egalement", "simply", "just", "gewoon", "juste", "toujours"),
        *("belle", "jolie", "douce", "sexy", "petite", "jeune", "nouvelle", "new", "hot"),
        *("sweet", "lieve", "mooie", "young", "jonge", "little", "kleine", "miss"),
        *("mademoiselle", "mlle", "lady", "beautiful", "pretty", "charmante"),
    )
)
# Prepositions after "je suis", "ik ben", "I'm" that make the next word a place, as written.
_WHERE = frozenset(
    ("à", "À", "au", "aux", "chez", "près", "in", "In", "op", "te", "bij", "uit", "near", "from")
)
# Words announcing a name in a title: "Sexy Lola", "NEW GIRL JESSICA", "Miss Kim".
_HERALDS = frozenset(
    fold(w)
    for w in (
        *("sexy", "hot", "new", "nouvelle", "nouveau", "nieuw", "nieuwe", "belle", "jolie"),
        *("jeune", "young", "jonge", "sweet", "douce", "petite", "little", "kleine", "miss"),
        *("lady", "mademoiselle", "girl", "fille", "meisje", "babe", "escort", "top", "vip"),
        *("duo", "charmante", "charming", "charmant", "gorgeous", "beautiful", "pretty"),
        *("elegant", "elegante", "mooie", "lieve", "sublime", "superbe", "magnifique"),
    )
)
# A capitalised word after these in a title is where, not who: "Nouvelle près de Louise".
_LOCATIVE = frozenset(
    fold(w)
    for w in (
        *("à", "au", "aux", "in", "te", "near", "bij", "nabij", "près", "proche", "de", "du"),
        *("vers", "sur", "from", "uit", "to", "naar", "op"),
    )
)
