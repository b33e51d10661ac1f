"""The STIX 2.1 vocabulary Vigie's writer (`stix`) and reader (`stix_read`) share: the TLP
marking-definitions, Vigie's extension-definitions, the account types, and the deterministic ids
of the zone's identity and of its indicators."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import stix2

from storage.exchange.model import ExchangeIndicator, stable_uuid4

TLP2_EXTENSION = "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d"
TLP2_MARKINGS = {  # the OASIS TLP 2.0 marking-definitions (cti-stix-common-objects)
    "clear": "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487",
    "green": "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb",
    "amber": "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421",
    "amber+strict": "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003",
    "red": "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1",
}
TLP1_MARKINGS = {  # STIX 2.1's own TLP 1.0 markings (what OpenCTI and older tools write)
    stix2.TLP_WHITE.id: "clear",
    stix2.TLP_GREEN.id: "green",
    stix2.TLP_AMBER.id: "amber",
    stix2.TLP_RED.id: "red",
}
EXT_OBSERVABLE = "extension-definition--3a8f1f55-7bb4-4d1e-9f5e-2c0d1d6a7e01"
EXT_VIGIE = "extension-definition--e41c5b7a-9f02-4d6e-8a3b-1c7d0f9e2a04"
EXT_CREATED = datetime(2026, 1, 1, tzinfo=UTC)
"""The `created` (and `modified`) of the extension-definitions and of the identity."""
SCO_NAMESPACE = uuid.UUID("00abedb4-aa42-466c-9c01-fed23315a9b7")
"""The specification's namespace for SCO ids (STIX 2.1, 2.9)."""
ACCOUNT_TYPES = frozenset({"twitter", "facebook", "skype"})
"""Platforms in STIX's account-type vocabulary (the others go in `user_id` only)."""

EXTENSIONS = (
    (
        EXT_OBSERVABLE,
        "vigie-observable",
        "What a Vigie observable is (kind: phone, handle, alias, email, url, image; platform; "
        "pseudonymised).",
    ),
    (
        EXT_VIGIE,
        "vigie-indicator",
        "Vigie's fields of an indicator (kind, value, flags, score, sightings, zones) and of an "
        "export (zone, pseudonymisation).",
    ),
)


def identity_id(zone: str) -> str:
    return "identity--" + stable_uuid4("vigie-zone", zone)


def indicator_id(zone: str, i: ExchangeIndicator) -> str:
    """The indicator's STIX id: specific to the exporting zone and stable across exports."""
    return "indicator--" + stable_uuid4("vigie-indicator", zone, *i.key)
