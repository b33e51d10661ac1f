"""The words of the demo ads, in French, Dutch and English.

Content rule (DESIGN.md): completely non-explicit. Ordinary ads speak of appointments,
company, a relaxing massage, logistics. Youth and trafficking ads carry advertising red-flag
cues only; youth-cue ads are built from the neutral logistics sentences alone (`NEUTRAL`),
never from `SERVICES`, and nothing anywhere describes a body.
"""

from __future__ import annotations

LANGS = ("fr", "nl", "en")

NAMES = (
    "Lola", "Sanne", "Jessica", "Nikita", "Inès", "Mia", "Chloé", "Léa", "Emma", "Julie",
    "Camille", "Manon", "Sofia", "Elena", "Ioana", "Andreea", "Bianca", "Daria", "Anouk", "Lotte",
    "Fleur", "Noor", "Femke", "Eva", "Lisa", "Jade", "Yasmine", "Amira", "Nadia", "Luna", "Zoé",
    "Clara", "Maya", "Kiara", "Vanessa", "Paola", "Gabriela", "Katya", "Alina", "Irina", "Sabrina",
    "Laura", "Sarah", "Naomi", "Tess", "Roxy", "Bella", "Giulia", "Marisol", "Ayla", "Selin",
    "Oksana", "Mirela", "Denisa", "Esmée", "Lieke", "Margaux", "Océane", "Anaïs", "Kimberly",
    "Destiny", "Tamara", "Ilona", "Veerle", "Amber", "Britt", "Malika", "Salomé", "Louna", "Kenza",
    "Alicia", "Vera", "Dora", "Milena", "Sienna", "Jolien", "Elif", "Romane", "Lina", "Roza",
)

TITLES: dict[str, tuple[str, ...]] = {
    "fr": ("{alias} — massage relaxant, {place}", "Charmante {alias}, rendez-vous discrets",
           "{alias}, {age_title}, {place}", "Douce compagnie à {place}", "✨ {ALIAS} ✨ {place}"),
    "nl": ("{alias} — ontspannende massage in {place}", "Charmante {alias}, discrete afspraken",
           "{alias}, {age_title}, {place}", "Gezellig gezelschap in {place}",
           "✨ {ALIAS} ✨ {place}"),
    "en": ("{alias} — relaxing massage in {place}", "Charming {alias}, discreet appointments",
           "{alias}, {age_title}, {place}", "Elegant company in {place}", "❤️ {ALIAS} ❤️ {place}"),
}
# Titles that carry a cue themselves: {code: {lang: template}}.
CUE_TITLES: dict[str, dict[str, str]] = {
    "new_in_town": {"fr": "❤️ {ALIAS} ❤️ nouvelle à Bruxelles", "nl": "❤️ {ALIAS} ❤️ nieuw in Brussel",
                    "en": "❤️ {ALIAS} ❤️ new in Brussels"},
    "youth_emoji": {"fr": "🎀 {alias} 🍭 {place}", "nl": "🎀 {alias} 🍭 {place}",
                    "en": "🎀 {alias} 🍭 {place}"},
}
# How an age reads in a title: {lang: template}
AGE_TITLE = {"fr": "{n} ans", "nl": "{n} jaar", "en": "{n}yo"}

# Ages in the text. {n}: digits, {w}: the number in words.
AGE_FORMS: dict[str, tuple[str, ...]] = {
    "fr": ("{n} ans", "j'ai {n} ans", "âge : {n}", "{w} ans"),
    "nl": ("{n} jaar", "ik ben {n} jaar", "leeftijd: {n}", "{w} jaar"),
    "en": ("{n}yo", "age: {n}", "{n} years old", "{w} years old"),
}
INTROS: dict[str, tuple[str, ...]] = {
    "fr": ("Bonjour, je m'appelle {alias}{age}.", "Moi c'est {alias}{age}.",
           "{alias}{age}, à votre écoute."),
    "nl": ("Hallo, ik ben {alias}{age}.", "Hoi! {alias} hier{age}.", "Mijn naam is {alias}{age}."),
    "en": ("Hi, I'm {alias}{age}.", "Hello, my name is {alias}{age}.", "{alias} here{age}."),
}
# The stated minor age reads "Lina, 17 ans": {lang: template}
MINOR_AGE_INTRO = {"fr": "{alias}, {n} ans.", "nl": "{alias}, {n} jaar.",
                   "en": "{alias}, {n} years old."}
SECOND_ALIAS = {"fr": " On m'appelle aussi {alias}.", "nl": " Ook bekend als {alias}.",
                "en": " Also known as {alias}."}

HOURS = {"fr": "Disponible du lundi au samedi, de 14h à 22h.",
         "nl": "Beschikbaar van maandag tot zaterdag, van 14u tot 22u.",
         "en": "Available Monday to Saturday, 2pm to 10pm."}
NEUTRAL: dict[str, tuple[str, ...]] = {
    "fr": ("Rendez-vous uniquement sur réservation, de préférence la veille.",
           HOURS["fr"], "Pas de numéros masqués, merci.",
           "Répondez par SMS si je ne décroche pas.", "Parking facile à proximité.",
           "Merci d'être ponctuel."),
    "nl": ("Afspraken enkel op reservatie, liefst een dag op voorhand.",
           HOURS["nl"],
           "Geen verborgen nummers, bedankt.", "Stuur een sms als ik niet opneem.",
           "Makkelijk parkeren in de buurt.", "Graag op tijd komen."),
    "en": ("Appointments by reservation only, ideally the day before.",
           HOURS["en"], "No hidden numbers, please.",
           "Send a text if I don't pick up.", "Easy parking nearby.", "Please be on time."),
}
SERVICES: dict[str, tuple[str, ...]] = {
    "fr": ("Je vous reçois dans un appartement calme et discret.",
           "Massage relaxant aux huiles essentielles.",
           "Compagnie élégante pour vos dîners et sorties.",
           "Ambiance détendue, conversation agréable, thé ou café offert."),
    "nl": ("Ik ontvang je in een rustig en discreet appartement.",
           "Ontspannende massage met etherische oliën.",
           "Elegant gezelschap voor diners en uitjes.",
           "Ontspannen sfeer, een fijn gesprek, koffie of thee."),
    "en": ("I receive you in a quiet, discreet apartment.",
           "Relaxing massage with essential oils.",
           "Elegant company for dinners and evenings out.",
           "Relaxed atmosphere, good conversation, tea or coffee."),
}
LANGUAGES_SPOKEN = {"fr": "Je parle français, anglais et un peu de néerlandais.",
                    "nl": "Ik spreek Nederlands, Engels en een beetje Frans.",
                    "en": "I speak English and French."}
SIGN_OFFS = {"fr": "À bientôt, {alias}.", "nl": "Tot snel, {alias}.",
             "en": "See you soon, {alias}."}
CONTACT_LABEL = {"fr": "Tél : ", "nl": "Tel: ", "en": "Call: "}
WHATSAPP_LABEL = "WhatsApp: "

# Youth cues (advertising words only): {code: {lang: sentence}}
MINOR_CUES: dict[str, dict[str, str]] = {
    "very_young": {"fr": "Toute jeune, toujours souriante.", "nl": "Nog heel jong, altijd vrolijk.",
                   "en": "Very young, always smiling."},
    "new_first_time": {"fr": "Petite nouvelle, première fois sur ce site.",
                       "nl": "Nieuw meisje, eerste keer op deze site.",
                       "en": "New girl, first time on this site."},
    "young_girl": {"fr": "Jeune fille discrète.", "nl": "Jong meisje, discreet.",
                   "en": "Young girl, discreet."},
    "just_18": {"fr": "Tout juste 18 ans.", "nl": "Net 18 geworden.", "en": "Just turned 18."},
}
# Ages some youth cues state outright.
CUE_AGES = {"just_18": 18}

NATIONALITIES = {
    "fr": ("roumaine", "bulgare", "hongroise", "brésilienne"),
    "nl": ("Roemeens", "Bulgaars", "Hongaars", "Braziliaans"),
    "en": ("Romanian", "Bulgarian", "Hungarian", "Brazilian"),
}
TRAFFICKING_CUES: dict[str, dict[str, str]] = {
    "new_in_town": {"fr": "Nouvelle à Bruxelles, de passage quelques jours.",
                    "nl": "Nieuw in Brussel, op doorreis.",
                    "en": "New in Brussels, just passing through."},
    "always_available": {"fr": "Disponible 24/7.", "nl": "24/7 beschikbaar.",
                         "en": "Available 24/7."},
    "third_person": {"fr": "{alias} est disponible, elle attend votre appel.",
                     "nl": "{alias} is beschikbaar, zij wacht op je telefoontje.",
                     "en": "{alias} is available, she is waiting for your call."},
    "multiple_girls": {"fr": "Plusieurs filles disponibles chaque jour.",
                       "nl": "Meerdere meisjes elke dag beschikbaar.",
                       "en": "Our girls are available every day."},
    "manager": {"fr": "Le manager répond au téléphone.", "nl": "De manager neemt de telefoon op.",
                "en": "Manager answers the phone."},
    "hotel_only": {"fr": "Uniquement déplacements à l'hôtel.", "nl": "Alleen hotelbezoek.",
                   "en": "Hotel outcall only."},
    "nationality": {"fr": "Nouvelle fille {nat}.", "nl": "Nieuw {nat} meisje.",
                    "en": "New {nat} girl."},
    "no_local_language": {"fr": "Parle pas français, seulement anglais.",
                          "nl": "Spreekt geen Nederlands, enkel Engels.",
                          "en": "Speaks no French or Dutch, only a little English."},
}

# Hard negatives: look like a cue, are not one. {age} is stated by the sentence itself.
HARD_NEGATIVES: dict[str, dict[str, str]] = {
    "no_minors": {"fr": "Pas de mineures : 18 ans et plus uniquement.",
                  "nl": "Geen minderjarigen, enkel 18+.", "en": "No minors — 18+ only."},
    "student_age": {"fr": "Étudiante, {n} ans.", "nl": "Studente, {n} jaar.",
                    "en": "Student, {n}."},
    "young_at_heart": {"fr": "Jeune d'esprit, {n} ans.", "nl": "Jong van hart, {n} jaar.",
                       "en": "Young at heart, {n}."},
    "independent": {"fr": "Indépendante, pas d'agence, je réponds moi-même.",
                    "nl": "Zelfstandig, geen bureau, ik neem zelf op.",
                    "en": "Independent, no agency, I answer my own phone."},
}
HARD_NEGATIVE_AGES = {"student_age": (21, 26), "young_at_heart": (42, 49)}
