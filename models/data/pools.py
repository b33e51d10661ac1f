"""Word pools of the synthetic training set (non-explicit: advertising red-flag cues only).

Cue pools list several phrasings; the LAST phrasing of each cue is kept for held-out families
only, so the test split contains wordings the training split never saw. Fillers differ per
family (see `build.py`).
"""

from __future__ import annotations

NAMES = (
    "Lola",
    "Sanne",
    "Mia",
    "Ioana",
    "Elena",
    "Noor",
    "Jade",
    "Luna",
    "Kiara",
    "Alina",
    "Bianca",
    "Fleur",
    "Amira",
    "Tess",
    "Daria",
    "Selin",
    "Roxy",
    "Vera",
    "Lieke",
    "Zoé",
)
CITIES = ("Bruxelles", "Ixelles", "Anderlecht", "Schaerbeek", "Uccle", "Etterbeek", "Jette")

YOUTH: dict[str, tuple[str, ...]] = {
    "fr": (
        "Toute jeune et souriante.",
        "Petite nouvelle, première fois ici.",
        "Jeune fille timide.",
        "Lycéenne, disponible après les cours.",
        "T0UTE J3UNE 🎀",
        "Débutante, sans expérience.",
        "Très jeune, tout juste arrivée.",
        "Une petite jeune, douce et discrète.",
    ),
    "nl": (
        "Nog heel jong en vrolijk.",
        "Nieuw meisje, eerste keer hier.",
        "Jong meisje, discreet.",
        "Scholiere, beschikbaar na school.",
        "h e e l jong 🍭",
        "Onervaren, beginnertje.",
        "Piepjong en verlegen.",
        "Een jonge meid, lief en rustig.",
    ),
    "en": (
        "Very young and always smiling.",
        "New girl, first time here.",
        "Young girl, discreet.",
        "Schoolgirl, free after class.",
        "t33n 🎀 sweet",
        "Inexperienced and shy.",
        "So young, just arrived.",
        "A teenager, quiet and kind.",
    ),
}
JUST18 = {
    "fr": ("Tout juste 18 ans.", "Vient d'avoir 18 ans.", "À peine 18 ans 🎀"),
    "nl": ("Net 18 geworden.", "Pas 18 geworden.", "Amper 18 🍭"),
    "en": ("Just turned 18.", "Only 18.", "Barely 18 🎀"),
}
MINOR_AGE = {
    "fr": ("{n} ans.", "J'ai {n} ans.", "âge : {n} ans"),
    "nl": ("{n} jaar.", "Ik ben {n} jaar.", "leeftijd: {n} jaar"),
    "en": ("{n} years old.", "Age: {n}.", "I am {n} years old."),
}
ADULT_AGE = MINOR_AGE

STRONG: dict[str, tuple[str, ...]] = {
    "fr": (
        "{a} est disponible, elle attend votre appel.",
        "Plusieurs filles disponibles chaque jour.",
        "Le manager répond au téléphone.",
        "Uniquement déplacements à l'hôtel.",
        "Nouvelle fille roumaine.",
        "Parle pas français, seulement anglais.",
        "Nos filles vous reçoivent.",
        "Jolie asiatique, elle ne parle pas français.",
        "Appeler le responsable, pas de SMS.",
    ),
    "nl": (
        "{a} is beschikbaar, zij wacht op je telefoontje.",
        "Meerdere meisjes elke dag beschikbaar.",
        "De manager neemt de telefoon op.",
        "Alleen hotelbezoek.",
        "Nieuw Roemeens meisje.",
        "Spreekt geen Nederlands, enkel Engels.",
        "Onze meisjes ontvangen je.",
        "Aziatische schoonheid, ze spreekt geen Frans.",
        "Bel de verantwoordelijke.",
    ),
    "en": (
        "{a} is available, she is waiting for your call.",
        "Our girls are available every day.",
        "Manager answers the phone.",
        "Hotel outcall only.",
        "New Romanian girl.",
        "Speaks no French or Dutch, only a little English.",
        "Several girls to choose from.",
        "Asian beauty, she does not speak French.",
        "Booking through manager only.",
    ),
}
WEAK: dict[str, tuple[str, ...]] = {
    "fr": (
        "Nouvelle à {c}, de passage quelques jours.",
        "Disponible 24h/24 et 7j/7.",
        "Prix cassé cette semaine.",
        "Numéro en photo.",
        "Jour et nuit ✈️",
        "En tournée, quelques jours seulement.",
    ),
    "nl": (
        "Nieuw in Brussel, op doorreis.",
        "24/7 beschikbaar.",
        "Spotprijs deze week.",
        "Nummer op de foto.",
        "Dag en nacht ✈️",
        "Op tournee, slechts een paar dagen.",
    ),
    "en": (
        "New in town, just passing through.",
        "Available 24/7.",
        "Special price this week.",
        "Number in photo.",
        "Day and night ✈️",
        "On tour, only a few days.",
    ),
}
HARD: dict[str, tuple[str, ...]] = {
    "fr": (
        "Pas de mineures : 18 ans et plus uniquement.",
        "Étudiante, {n} ans.",
        "Jeune d'esprit, {n} ans.",
        "Indépendante, pas d'agence, je réponds moi-même.",
        "Aucune jeune fille mineure, majeures seulement.",
        "Nouvelle à {c} 💗",
        "Femme mûre, jeune de cœur.",
    ),
    "nl": (
        "Geen minderjarigen, enkel 18+.",
        "Studente, {n} jaar.",
        "Jong van hart, {n} jaar.",
        "Zelfstandig, geen bureau, ik neem zelf op.",
        "Nooit tieners, alleen volwassenen.",
        "Nieuw in de stad 💗",
        "Rijpe vrouw, jong van geest.",
    ),
    "en": (
        "No minors — 18+ only.",
        "Student, {n}.",
        "Young at heart, {n}.",
        "Independent, no agency, I answer my own phone.",
        "No teens, adults only.",
        "New in town 💗",
        "Mature lady, young in spirit.",
    ),
}
# Filler sentences: each family draws from its own slice (index = family number mod len).
FILLERS: dict[str, tuple[tuple[str, ...], ...]] = {
    "fr": (
        ("Rendez-vous sur réservation.", "Parking facile."),
        ("Massage relaxant aux huiles.", "Thé ou café offert."),
        ("Compagnie élégante pour vos dîners.", "Merci d'être ponctuel."),
        ("Appartement calme et discret.", "Pas de numéros masqués."),
        ("Ambiance détendue, conversation agréable.", "Réponse par SMS."),
        ("Je parle français et anglais.", "À bientôt."),
        ("Salon privé près de la gare.", "Réservez la veille, merci."),
        ("Cadre soigné, musique douce.", "Annulation au moins une heure avant."),
    ),
    "nl": (
        ("Afspraken op reservatie.", "Makkelijk parkeren."),
        ("Ontspannende massage.", "Koffie of thee."),
        ("Elegant gezelschap voor diners.", "Graag op tijd komen."),
        ("Rustig en discreet appartement.", "Geen verborgen nummers."),
        ("Ontspannen sfeer, fijn gesprek.", "Antwoord per sms."),
        ("Ik spreek Nederlands en Engels.", "Tot snel."),
        ("Privésalon vlak bij het station.", "Reserveer een dag op voorhand."),
        ("Verzorgde ruimte, zachte muziek.", "Annuleren minstens een uur vooraf."),
    ),
    "en": (
        ("Appointments by reservation.", "Easy parking."),
        ("Relaxing massage with oils.", "Tea or coffee offered."),
        ("Elegant company for dinners.", "Please be on time."),
        ("Quiet, discreet apartment.", "No hidden numbers."),
        ("Relaxed atmosphere, good conversation.", "Reply by text."),
        ("I speak English and French.", "See you soon."),
        ("Private lounge near the station.", "Book the day before, thanks."),
        ("Tidy room, soft music.", "Cancel at least an hour ahead."),
    ),
}
INTRO = {
    "fr": (
        "Bonjour, je m'appelle {a}.",
        "Moi c'est {a}.",
        "{a}, à votre écoute.",
        "Salut, ici {a}.",
    ),
    "nl": ("Hallo, ik ben {a}.", "Hoi! {a} hier.", "Mijn naam is {a}.", "Dag, ik heet {a}."),
    "en": ("Hi, I'm {a}.", "Hello, my name is {a}.", "{a} here.", "Hey, this is {a}."),
}
TITLE = {
    "fr": ("{a} — {c}", "Charmante {a}", "{a}, rendez-vous discrets", "✨ {A} ✨ {c}"),
    "nl": ("{a} — {c}", "Charmante {a}", "{a}, discrete afspraken", "✨ {A} ✨ {c}"),
    "en": ("{a} — {c}", "Charming {a}", "{a}, discreet appointments", "❤️ {A} ❤️ {c}"),
}
