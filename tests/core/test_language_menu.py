"""The language menu names every language in itself, whatever the interface language."""

from __future__ import annotations

import re

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

SELF_NAMES = {"uz": "Oʻzbekcha", "uz-cyrl": "Ўзбекча", "ru": "Русский", "en": "English"}


@pytest.mark.parametrize("interface", ["uz", "uz-cyrl", "ru", "en"])
def test_the_navbar_names_each_language_in_itself(ministry, interface: str) -> None:
    client = Client()
    client.force_login(ministry.wg_member)
    client.cookies["django_language"] = interface
    html = client.get("/accounts/profile/").content.decode()
    menu = re.search(r'<select id="language-select".*?</select>', html, re.S)
    assert menu is not None
    options = dict(re.findall(r'<option value="([^"]+)"[^>]*>([^<]+)</option>', menu.group(0)))
    assert options == SELF_NAMES
