"""The profile page saves only an interface language (issue 2: the language switch among
uz-Latn, uz-Cyrl, ru, en that every page honours)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse

from tests.factories import Ministry


@pytest.mark.parametrize("code", [code for code, _ in settings.LANGUAGES])
def test_profile_saves_each_interface_language(client, ministry: Ministry, code: str) -> None:
    client.force_login(ministry.wg_member)
    response = client.post(reverse("accounts:profile"), {"language": code})
    assert response.status_code == 302
    ministry.wg_member.refresh_from_db()
    assert ministry.wg_member.language == code
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == code


@pytest.mark.parametrize("code", ["xx-bogus", "de", "uz-latn", "<script>"])
def test_profile_refuses_a_language_code_outside_the_interface_languages(
    client, ministry: Ministry, code: str
) -> None:
    client.force_login(ministry.wg_member)
    response = client.post(reverse("accounts:profile"), {"language": code})
    assert response.status_code == 200
    ministry.wg_member.refresh_from_db()
    assert ministry.wg_member.language == ""
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies
    page = response.content.decode()
    assert 'role="alert"' in page
    assert "is not an interface language" in page


def test_the_refusal_is_translated(client, ministry: Ministry) -> None:
    client.force_login(ministry.wg_member)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "uz"
    page = client.post(reverse("accounts:profile"), {"language": "xx-bogus"}).content.decode()
    assert "interfeys tili emas" in page


def test_navbar_and_profile_name_each_language_the_same_way(client, ministry: Ministry) -> None:
    """One name per language, in that language: Oʻzbekcha, Ўзбекча, Русский, English."""
    client.force_login(ministry.wg_member)
    for page in (reverse("orgs:tree"), reverse("accounts:profile")):
        html = client.get(page).content.decode()
        for code, name in settings.LANGUAGES:
            assert f'value="{code}"' in html and f">{name}</option>" in html, (page, code)
        assert "oʻzbek tili" not in html.lower()
