"""Headers every page carries (issue 10 #11): a Content-Security-Policy without inline script or
style, and a Permissions-Policy; and templates that keep to that policy."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2] / "murojaat"
# E-mail bodies are read in mail clients, which honour no CSP and need inline style.
NOT_SERVED = {"notifications/templates/notifications/email.html"}


def _directives(header: str) -> dict[str, list[str]]:
    parts = (p.strip().split() for p in header.split(";") if p.strip())
    return {p[0]: p[1:] for p in parts}


@pytest.mark.parametrize("url", ["/accounts/login/", "/citizens/", "/api/docs", "/appeals/inbox/"])
def test_every_page_carries_a_csp_that_refuses_inline_script_and_style(url: str) -> None:
    response = Client().get(url)
    policy = _directives(response["Content-Security-Policy"])
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]


def test_every_page_carries_a_permissions_policy_that_turns_off_unused_features() -> None:
    header = Client().get(reverse("accounts:login"))["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment"):
        assert f"{feature}=()" in header


def _templates() -> list[Path]:
    return [
        p for p in ROOT.glob("**/templates/**/*.html") if str(p.relative_to(ROOT)) not in NOT_SERVED
    ]


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I)
STYLE_ATTRIBUTE = re.compile(r"\sstyle\s*=", re.I)
STYLE_ELEMENT = re.compile(r"<style\b", re.I)
EVENT_HANDLER = re.compile(r"\son[a-z]+\s*=\s*[\"']", re.I)


def test_no_template_has_inline_script_style_or_event_handlers() -> None:
    """The browser would refuse them under the policy: code and styles live in static files
    (docs/architecture.md, "Content-Security-Policy")."""
    offenders = []
    for path in _templates():
        text = path.read_text()
        for name, pattern in (
            ("inline <script>", INLINE_SCRIPT),
            ("style attribute", STYLE_ATTRIBUTE),
            ("<style> element", STYLE_ELEMENT),
            ("on* handler", EVENT_HANDLER),
        ):
            if pattern.search(text):
                offenders.append(f"{path.relative_to(ROOT)}: {name}")
    assert offenders == []
    assert len(_templates()) > 50  # the glob found the templates
