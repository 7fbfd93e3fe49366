"""The staff list in the admin labels its columns in the administrator's language."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from tests.factories import Ministry


def test_staff_changelist_labels_the_full_name_column_in_each_language(
    client, ministry: Ministry
) -> None:
    """The computed full-name column had no label, so every language showed "Full name"
    made up by Django from the method name (issue 2, Django admin for administrators)."""
    client.force_login(ministry.admin)
    url = reverse("admin:accounts_user_changelist")
    expected = {
        "en": "Full name",
        "uz": "Familiyasi, ismi, otasining ismi",
        "ru": "Фамилия, имя, отчество",
    }
    for language, label in expected.items():
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        page = client.get(url).content.decode()
        assert "column-full_name" in page
        assert label in page, language


def test_staff_changelist_sorts_by_the_full_name_column(client, ministry: Ministry) -> None:
    client.force_login(ministry.admin)
    page = client.get(reverse("admin:accounts_user_changelist")).content.decode()
    assert 'class="sortable column-full_name' in page
