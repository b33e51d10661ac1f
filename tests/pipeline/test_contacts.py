from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.contacts import canonical_url, find_contacts
from pipeline.text import normalise
from pipeline.types import Contact


def _found(text: str) -> set[tuple[str, str]]:
    return {(c.kind, c.value) for c in find_contacts(normalise(text), "text")}


def _by_key(text: str) -> dict[tuple[str, str], Contact]:
    return {(c.kind, c.value): c for c in find_contacts(normalise(text), "text")}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Écris-moi : Anna.Bxl@Mail.BE !", ("email", "anna.bxl@mail.be")),
        ("anna [at] mail [dot] com", ("email", "anna@mail.com")),
        ("anna(at)mail(dot)be", ("email", "anna@mail.be")),
        ("anna arobase gmail point com", ("email", "anna@gmail.com")),
        ("anna at gmail dot com", ("email", "anna@gmail.com")),
        ("anna @ mail.be", ("email", "anna@mail.be")),
        ("anna @ gmail . com", ("email", "anna@gmail.com")),
        ("anna [at] mail [.] be", ("email", "anna@mail.be")),
    ],
)
def test_emails_plain_and_written_around_filters(text: str, expected: tuple[str, str]) -> None:
    assert _found(text) == {expected}


@pytest.mark.parametrize(
    "text",
    [
        "see you at 10h at the station",
        "Insta: @anna",  # a handle, not an e-mail address
        "IG @anna.bxl",  # "@" glued to the handle only: a handle too
        "anna@gmail. Be quick",  # a sentence, not a domain
        "disponible à Ixelles, point final",
        "contact at home dot",
        "anna at gmail dot notatld",
    ],
)
def test_not_emails(text: str) -> None:
    assert not {c for c in _found(text) if c[0] == "email"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("wa.me/32470123456", ("whatsapp", "+32470123456")),
        ("https://wa.me/+32470123456?text=hi", ("whatsapp", "+32470123456")),
        ("https://api.whatsapp.com/send?phone=32470123456", ("whatsapp", "+32470123456")),
        ("t.me/Anna_Bxl", ("telegram", "anna_bxl")),
        ("https://telegram.me/anna_bxl/", ("telegram", "anna_bxl")),
        ("snapchat.com/add/Anna.Bxl", ("snapchat", "anna.bxl")),
        ("https://www.instagram.com/anna.bxl/", ("instagram", "anna.bxl")),
        ("onlyfans.com/AnnaB", ("onlyfans", "annab")),
        ("https://signal.me/#p/+32470123456", ("signal", "+32470123456")),
        (
            "https://WWW.Site.be/profil/?utm_source=x&id=3#top",
            ("url", "https://site.be/profil?id=3"),
        ),
        ("www.example.com/.", ("url", "https://example.com")),
        ("http://example.com:8080/a", ("url", "https://example.com:8080/a")),
    ],
)
def test_links(text: str, expected: tuple[str, str]) -> None:
    assert _found(text) == {expected}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("mon site : anna-bxl[.]com", ("url", "https://anna-bxl.com")),
        ("www.anna-bxl[.]be/profil", ("url", "https://anna-bxl.be/profil")),
        ("hxxps://anna(.)be", ("url", "https://anna.be")),
        ("anna{.}eu", ("url", "https://anna.eu")),
        ("photos sur anna [dot] be", ("url", "https://anna.be")),
        ("onlyfans[.]com/AnnaB", ("onlyfans", "annab")),
    ],
)
def test_links_with_a_bracketed_dot(text: str, expected: tuple[str, str]) -> None:
    assert _found(text) == {expected}


@pytest.mark.parametrize("text", ["1[.]5 or a[.]b", "anna [at] mail [.] be", "(.) [.] {.}"])
def test_a_bracketed_dot_alone_is_no_link(text: str) -> None:
    assert not {c for c in _found(text) if c[0] == "url"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Telegram: @anna_bxl", ("telegram", "anna_bxl")),
        ("TG : anna_bxl", ("telegram", "anna_bxl")),
        ("Snap 👻 anna.bxl", ("snapchat", "anna.bxl")),
        ("snapchat anna_bxl", ("snapchat", "anna_bxl")),
        ("Insta: @Anna.Bxl", ("instagram", "anna.bxl")),
        ("IG: anna.bxl", ("instagram", "anna.bxl")),
        ("OF: annab", ("onlyfans", "annab")),
        ("Signal : anna.42", ("signal", "anna.42")),
    ],
)
def test_handle_mentions(text: str, expected: tuple[str, str]) -> None:
    assert _found(text) == {expected}


@pytest.mark.parametrize(
    "text",
    [
        "telegram only, whatsapp ou signal",
        "one of the best, of course",
        "snap ou insta",
        "Telegram : anna",  # too short for a Telegram username
    ],
)
def test_words_after_a_messenger_are_no_handles(text: str) -> None:
    assert _found(text) == set()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("WhatsApp : 0470 12 34 56", {("whatsapp", "+32470123456")}),
        ("0470 12 34 56 (WhatsApp uniquement)", {("whatsapp", "+32470123456")}),
        ("Signal: +32 470 12 34 56", {("signal", "+32470123456")}),
        (
            "Telegram et WhatsApp : +32 470 12 34 56",
            {("telegram", "+32470123456"), ("whatsapp", "+32470123456")},
        ),
        ("Appelle 0470 12 34 56. Bisous", set()),  # a bare phone is no contact
    ],
)
def test_messenger_named_next_to_a_phone(text: str, expected: set[tuple[str, str]]) -> None:
    assert _found(text) == expected


def test_evidence_spans_quote_the_original() -> None:
    text = "Mail\u00a0: anna [at] mail [dot] com — WhatsApp : 0470 12 34 56"
    found = _by_key(text)
    email = found[("email", "anna@mail.com")]
    assert [s.quote for s in email.spans] == ["anna [at] mail [dot] com"]
    whatsapp = found[("whatsapp", "+32470123456")]
    assert [s.quote for s in whatsapp.spans] == ["WhatsApp : 0470 12 34 56"]
    for contact in found.values():
        for s in contact.spans:
            assert text[s.start : s.end] == s.quote


def test_one_contact_per_value_with_every_occurrence() -> None:
    [contact] = find_contacts(normalise("t.me/anna_bxl … Telegram: @Anna_Bxl"), "text")
    assert (contact.kind, contact.value, len(contact.spans)) == ("telegram", "anna_bxl", 2)


def test_canonical_url_rejects_what_is_not_a_web_address() -> None:
    assert canonical_url("ftp://example.com") is None
    assert canonical_url("http://[::1") is None


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_arbitrary_text_never_raises(text: str) -> None:
    for contact in find_contacts(normalise(text), "text"):
        assert contact.value
        for s in contact.spans:
            assert text[s.start : s.end] == s.quote


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet="ab.@ [](){}atdotwm/:-_0123456789", max_size=80))
def test_contact_soup_never_raises(text: str) -> None:
    find_contacts(normalise(text), "text")


def test_long_adversarial_input_is_linear() -> None:
    for text in (
        "a." * 300_000,
        "a@" * 300_000,
        "https://" + "a" * 600_000,
        "at " * 200_000,
        "a.b[.]" * 150_000,
        "x [.] " * 150_000,
        "anna@mail.be " * 80_000,  # one contact seen very many times
        "Telegram: @anna_bxl " * 50_000,
        "WhatsApp 0470 12 34 56 " * 40_000,
    ):
        start = time.process_time()  # CPU time: a busy machine does not inflate it
        find_contacts(normalise(text), "text")
        assert time.process_time() - start < 2.0
