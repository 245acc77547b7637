"""Security headers from one place (Flask-Talisman) and templates that a strict CSP can serve."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def csp_of(response) -> dict[str, str]:
    """Parse a Content-Security-Policy header into {directive: sources}."""
    policy = response.headers["Content-Security-Policy"]
    return {part.split()[0]: " ".join(part.split()[1:]) for part in policy.split(";") if part.strip()}


@pytest.mark.parametrize("path", ["/", "/accounts/login", "/offerings", "/api/v1/search?q=x"])
def test_pages_carry_the_security_headers(client, path):
    """Does every response forbid framing and sniffing, set a referrer policy and a strict CSP?"""
    response = client.get(path)
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    csp = csp_of(response)
    assert csp["frame-ancestors"] == "'none'" and csp["default-src"] == "'self'"
    assert csp["script-src"] == "'self'" and csp["style-src"] == "'self'"
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]
    assert "Strict-Transport-Security" not in response.headers


def test_signed_in_pages_cannot_be_framed(client, auth):
    """Can another site frame a signed-in /orders page?"""
    auth.as_role("enterprise")
    response = client.get("/orders")
    assert response.status_code == 200
    assert response.headers["X-Frame-Options"] == "DENY" and csp_of(response)["frame-ancestors"] == "'none'"


def test_production_redirects_to_https_and_sends_hsts_only_over_tls(make_app):
    """With HTTPS on, is plain HTTP redirected, and HSTS sent on HTTPS responses only?"""
    app = make_app(HTTPS=True, FORCE_HTTPS=True, SESSION_COOKIE_SECURE=True, REMEMBER_COOKIE_SECURE=True)
    client = app.test_client()
    plain = client.get("/accounts/login")
    assert plain.status_code == 302 and plain.headers["Location"].startswith("https://")
    secure = client.get("/accounts/login", base_url="https://localhost")
    assert secure.status_code == 200 and secure.headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_behind_a_trusted_proxy_tls_is_recognised(make_app):
    """With one trusted proxy saying https, is the request treated as secure (no redirect, HSTS sent)?"""
    app = make_app(HTTPS=True, FORCE_HTTPS=True, SESSION_COOKIE_SECURE=True, PROXY_COUNT=1)
    response = app.test_client().get("/accounts/login", headers={"X-Forwarded-Proto": "https",
                                                                 "X-Forwarded-For": "203.0.113.9"})
    assert response.status_code == 200 and "Strict-Transport-Security" in response.headers


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)
STYLE_ATTRIBUTE = re.compile(r"\sstyle\s*=", re.I)
STYLE_ELEMENT = re.compile(r"<style[\s>]", re.I)
EVENT_HANDLER = re.compile(r"\son[a-z]+\s*=\s*[\"']", re.I)
JS_URL = re.compile(r"(href|src|action)\s*=\s*[\"']\s*javascript:", re.I)


JINJA = re.compile(r"\{%.*?%\}|\{\{.*?\}\}|\{#.*?#\}", re.S)


def template_files():
    """Return every Jinja template."""
    return sorted((ROOT / "templates").rglob("*.html"))


def markup(path: Path) -> str:
    """Return a template's HTML with Jinja tags blanked out (line breaks kept for line numbers)."""
    return JINJA.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), path.read_text())


@pytest.mark.parametrize("pattern", [INLINE_SCRIPT, STYLE_ATTRIBUTE, STYLE_ELEMENT, EVENT_HANDLER, JS_URL],
                         ids=["inline-script", "style-attribute", "style-element", "on-handler", "javascript-url"])
def test_templates_have_nothing_the_csp_would_block(pattern):
    """Do templates avoid inline scripts, style attributes and elements, on* handlers and javascript: URLs?"""
    offenders = [f"{path.relative_to(ROOT)}:{text.count(chr(10), 0, m.start()) + 1}"
                 for path in template_files() for text in [markup(path)] for m in pattern.finditer(text)]
    assert offenders == []


def test_htmx_is_told_not_to_inject_styles_or_eval():
    """Does the base layout switch off htmx's injected indicator style and eval (both blocked by the CSP)?"""
    base = (ROOT / "templates" / "base.html").read_text()
    assert '"includeIndicatorStyles": false' in base and '"allowEval": false' in base
