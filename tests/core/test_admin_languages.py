"""The Django admin speaks the administrator's language, Uzbek (both scripts) included.

Django's own Uzbek catalogues translate only part of the admin and auth, so the project's
catalogue carries their messages too (murojaat/core/django_strings.py). These tests render the
admin as an administrator would and look for English left in the visible text.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import django
import polib
import pytest
from django.conf import settings
from django.urls import reverse

from tests.factories import Ministry

LOCALE = Path(settings.LOCALE_PATHS[0])
DJANGO = Path(django.__file__).parent
ENGLISH = ("Django administration", "Home", "Select", "Toggle theme", "Add", "Save", "Groups")


class _VisibleText(HTMLParser):
    """The text a person reads or hears: element text and the labelling attributes."""

    LABELS = ("title", "aria-label", "placeholder", "alt")

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._hidden += 1
        found = dict(attrs)
        self.parts += [found[name] or "" for name in self.LABELS if name in found]
        if tag == "input" and found.get("type") == "submit":
            self.parts.append(found.get("value") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _VisibleText()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def _admin_pages(ministry: Ministry) -> list[str]:
    return [
        reverse("admin:index"),
        reverse("admin:accounts_user_changelist"),
        reverse("admin:accounts_user_change", args=[ministry.wg_member.pk]),
        reverse("admin:auth_group_add"),
    ]


@pytest.mark.parametrize("language", ["uz", "uz-cyrl", "ru"])
def test_admin_pages_show_no_english_in_uzbek_and_russian(
    client, ministry: Ministry, language: str
) -> None:
    client.force_login(ministry.admin)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    for url in _admin_pages(ministry):
        response = client.get(url)
        assert response.status_code == 200, url
        text = visible_text(response.content.decode())
        left = [word for word in ENGLISH if re.search(rf"\b{word}\b", text)]
        assert not left, f"{language} {url}: English {left} in {text[:400]!r}"


def test_admin_header_names_the_system_in_each_script(client, ministry: Ministry) -> None:
    client.force_login(ministry.admin)
    expected = {"uz": "Murojaat: boshqaruv", "uz-cyrl": "Мурожаат: бошқарув", "en": "Murojaat"}
    for language, header in expected.items():
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        text = visible_text(client.get(reverse("admin:index")).content.decode())
        assert header in text, (language, text[:300])


@pytest.mark.parametrize("app", ["admin", "auth", "contenttypes"])
def test_every_admin_auth_and_contenttypes_message_is_translated_by_the_project(app: str) -> None:
    """After a Django upgrade, new admin strings must be added to core/django_strings.py."""
    django_po = polib.pofile(
        str(DJANGO / "contrib" / app / "locale" / "en" / "LC_MESSAGES" / "django.po")
    )
    for lang in ("uz", "uz_Cyrl", "ru"):
        ours = {
            (e.msgctxt, e.msgid): e
            for e in polib.pofile(str(LOCALE / lang / "LC_MESSAGES" / "django.po"))
            if e.translated()
        }
        missing = [e.msgid for e in django_po if (e.msgctxt, e.msgid) not in ours]
        assert not missing, f"{lang}: add to murojaat/core/django_strings.py: {missing[:10]}"


@pytest.mark.parametrize(
    "language, expected",
    [
        ("ru", "Добавление: обращение"),
        ("uz", "Qoʻshish: murojaat"),
        ("uz-cyrl", "Қўшиш: мурожаат"),
        ("en", "Add: appeal"),
    ],
)
def test_permission_names_are_shown_in_the_administrator_s_language(
    client, ministry: Ministry, language: str, expected: str
) -> None:
    """Django stores "Can add appeal" in English; the pickers build the label from the model's
    translated name instead."""
    client.force_login(ministry.admin)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    for url in (
        reverse("admin:auth_group_add"),
        reverse("admin:accounts_user_change", args=[ministry.wg_member.pk]),
    ):
        text = visible_text(client.get(url).content.decode())
        assert expected in text, (language, url)
        assert "Can add" not in text, (language, url)
