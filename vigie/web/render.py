"""Pages: one Jinja2 environment with autoescape on every template, and the context every page
gets (user, translator, CSRF token, navigation)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from storage.users import User
from vigie.audit_text import describe as describe_audit
from vigie.web.adkey import ad_key
from vigie.web.i18n import LANG_NAMES, Translator, pick_lang
from vigie.web.labels import labels
from vigie.web.security import CSRF_FIELD, csrf_token

TEMPLATES = Path(__file__).parent / "templates"


def ad_path(site: str, ad_id: str) -> str:
    """An ad's page; its decisions are posted to `ad_path(...) + "/decision"`."""
    return f"/ad/{ad_key(site, ad_id)}"


def safe_link(url: str) -> str | None:
    """`url` when it is an absolute http(s) URL (a page may link to it), None otherwise."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    return url.strip() if parts.scheme in ("http", "https") and parts.netloc else None


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,  # every template, whatever its name
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(
        ad_path=ad_path, safe_link=safe_link, quote=quote, lang_names=LANG_NAMES, labels=labels,
        describe_audit=describe_audit,
    )
    return env


def request_lang(request: Request, user: User | None) -> str:
    if user is not None:
        return pick_lang(user.lang)
    return pick_lang(request.session.get("lang"))


def page(
    request: Request,
    template: str,
    *,
    user: User | None,
    status_code: int = 200,
    **context: Any,
) -> HTMLResponse:
    """Render `template` for this request in the user's language."""
    t = Translator(request_lang(request, user))
    html = (
        environment()
        .get_template(template)
        .render(
            request=request,
            user=user,
            _=t,
            t=t,
            lang=t.lang,
            csrf_field=CSRF_FIELD,
            csrf=csrf_token(request),
            path=request.url.path,
            **context,
        )
    )
    return HTMLResponse(html, status_code=status_code)
