"""French and Dutch (and English) throughout: every message translated, pages and formats
following the user's language."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient

from vigie.web.i18n import Translator, catalogue
from vigie.web.messages import extracted


def test_every_user_facing_message_has_its_french_and_dutch_translation() -> None:
    messages = {message for message, _, _ in extracted()}
    assert len(messages) > 100  # the extractor sees the templates and the Python labels
    assert {"Queue", "possible minor", "Wrong username or password."} <= messages
    for lang in ("fr", "nl"):
        missing = sorted(m for m in messages if not catalogue(lang).get(m))
        assert missing == [], f"untranslated in {lang}: {missing}"


@pytest.mark.parametrize("lang", ["fr", "nl"])
def test_translations_keep_their_placeholders(lang: str) -> None:
    for message, translation in catalogue(lang).items():
        assert sorted(set(re_placeholders(message))) == sorted(set(re_placeholders(translation)))


def re_placeholders(text: str) -> list[str]:
    import re

    return re.findall(r"%\((\w+)\)s", text)


def test_dates_and_numbers_follow_the_language() -> None:
    moment = datetime(2026, 11, 3, 14, 5, tzinfo=UTC)  # 15:05 in Brussels
    assert Translator("fr").number(1234.5) == "1\u202f234,5"
    assert Translator("nl").number(1234.5) == "1.234,5"
    assert Translator("en").number(1234.5) == "1,234.5"
    assert "15:05" in Translator("nl").datetime(moment)
    assert "nov." in Translator("fr").datetime(moment)
    assert Translator("xx").lang == "fr"


def test_pages_follow_the_users_language_and_switch(investigator: tuple[TestClient, str]) -> None:
    client, token = investigator
    assert "File" in client.get("/queue").text  # French by default
    response = client.post(
        "/lang", data={"csrf_token": token, "lang": "nl", "back": "/queue"}, follow_redirects=False
    )
    assert response.headers["location"] == "/queue"
    html = client.get("/queue").text
    assert 'lang="nl"' in html
    assert "Wachtrij" in html
    assert "mogelijk minderjarige" in html
    client.post("/lang", data={"csrf_token": token, "lang": "en"})
    assert "Queue" in client.get("/queue").text


def test_the_login_page_switches_language(anon: TestClient) -> None:
    assert "Aanmelden" in anon.get("/login?lang=nl").text
    assert "Connexion" in anon.get("/login?lang=fr").text


def test_every_indicator_category_the_model_emits_has_a_translated_label() -> None:
    from models.classifier import STRUCTURED_HITS
    from models.lexicon import CATEGORIES
    from vigie.web.labels import INDICATOR_CATEGORIES

    emitted = set(CATEGORIES) | {hit[1] for hit in STRUCTURED_HITS.values()} | {"ngram"}
    assert emitted <= set(INDICATOR_CATEGORIES)
