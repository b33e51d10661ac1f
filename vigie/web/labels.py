"""The words for Vigie's codes (flags, statuses, roles, kinds, indicator categories, audit
actions), marked for translation; templates show them as `_(labels.flags[code])`."""

from __future__ import annotations

from types import SimpleNamespace

from vigie.web.i18n import N_

FLAGS = {
    "any": N_("any flag"),
    "minor": N_("possible minor"),
    "trafficking": N_("possible trafficking"),
    "all": N_("all ads"),
}
STATUSES = {
    "all": N_("any status"),
    "open": N_("to review"),
    "confirm": N_("confirmed"),
    "dismiss": N_("dismissed"),
    "escalate": N_("escalated"),
}
DECISIONS = {"confirm": N_("Confirm"), "dismiss": N_("Dismiss"), "escalate": N_("Escalate")}
ROLES = {"viewer": N_("viewer"), "investigator": N_("investigator"), "admin": N_("administrator")}
SEARCH_KINDS = {
    "phone": N_("phone number"),
    "alias": N_("alias"),
    "image": N_("image hash"),
    "text": N_("text"),
}
WATCH_KINDS = {"phone": N_("phone number"), "alias": N_("alias"), "image": N_("image hash")}
FIELDS = {
    "title": N_("Title"),
    "text": N_("Text"),
    "location": N_("Location"),
    "contact": N_("Contact details"),
}
MARKS = {
    "phone": N_("phone number"),
    "contact": N_("contact"),
    "alias": N_("alias"),
    "age": N_("age"),
    "place": N_("place"),
    "indicator": N_("indicator"),
}
INDICATOR_CATEGORIES = {
    "youth": N_("youth language"),
    "implausible_18": N_("stated age of just 18"),
    "stated_minor_age": N_("stated age under 18"),
    "movement": N_("movement between places"),
    "third_person": N_("written by a third party"),
    "third_party": N_("a third party answers, books or drives"),
    "no_local_language": N_("does not speak the local languages"),
    "hotel_only": N_("hotel or outcall only"),
    "multiple_persons": N_("several persons behind one contact"),
    "restriction_control": N_("restrictions and control"),
    "availability_24_7": N_("round-the-clock availability"),
    "ethnicity": N_("nationality or ethnicity marketed"),
    "price_anomaly": N_("unusual price"),
    "obscured_contact": N_("obscured contact details"),
    "emoji_code": N_("emoji code words"),
    "foreign_phone": N_("foreign phone number"),
    "shared_contact": N_("contact shared with other ads"),
    "ngram": N_("learned wording"),
}
EDGES = {
    "phone": N_("same phone"),
    "contact": N_("same contact"),
    "image": N_("same photo"),
    "text": N_("same text template"),
    "alias_zone": N_("same alias in the same zone"),
    "imported-phone": N_("same phone as another zone's indicator"),
    "imported-email": N_("same email as another zone's indicator"),
    "imported-handle": N_("same handle as another zone's indicator"),
    "imported-image": N_("same photo as another zone's indicator"),
}
ACTIONS = {
    "login": N_("login"),
    "login_failed": N_("failed login"),
    "logout": N_("logout"),
    "view_ad": N_("view of an ad"),
    "view_network": N_("view of a network"),
    "search": N_("search"),
    "decision": N_("decision"),
    "watchlist_change": N_("watchlist change"),
    "export": N_("export"),
    "import": N_("import"),
    "erase": N_("erasure"),
    "purge": N_("retention purge"),
    "retention_report": N_("retention report"),
    "user_change": N_("user change"),
}

labels = SimpleNamespace(
    flags=FLAGS,
    statuses=STATUSES,
    decisions=DECISIONS,
    roles=ROLES,
    search_kinds=SEARCH_KINDS,
    watch_kinds=WATCH_KINDS,
    fields=FIELDS,
    marks=MARKS,
    edges=EDGES,
    categories=INDICATOR_CATEGORIES,
    actions=ACTIONS,
)
