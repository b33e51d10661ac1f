"""What links two ads, as plain constants: the edge kinds, the contact kinds that identify a
person's channel, the default thresholds. No dependency beyond the standard library, so that
readers of stored links (graph exports, the command line's options and help) need not import the
linker (`pipeline.edges`: numpy, datasketch and, through them, scipy). `pipeline.edges` says why
the defaults are what they are."""

from __future__ import annotations

# Contact kinds that identify a person's channel (a URL or an email of a site does not).
LINKING_CONTACTS = frozenset(
    {"whatsapp", "telegram", "signal", "snapchat", "instagram", "onlyfans"}
)
KINDS = ("phone", "contact", "image", "text")
DEFAULT_IMAGE_RADIUS = 8
DEFAULT_TEXT_THRESHOLD = 0.8
