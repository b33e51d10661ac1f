"""Sharing indicators between the zones: export (STIX 2.1, MISP, CSV, Vigie JSON), signatures,
pseudonymisation, import with provenance, and the matches of imported indicators."""
