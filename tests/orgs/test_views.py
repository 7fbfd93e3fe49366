from __future__ import annotations

import pytest
from django.urls import reverse

from murojaat.accounts.models import Role, RoleGrant
from murojaat.orgs import selectors
from murojaat.orgs.loader import load_orgs
from murojaat.orgs.models import Organisation
from tests.factories import Ministry, make_user

LANGUAGES = ["uz", "uz-cyrl", "ru", "en"]


def pages(m: Ministry) -> list[str]:
    return [
        reverse("orgs:tree"),
        reverse("orgs:tree") + "?q=tma",
        reverse("orgs:tree") + "?stage=4",
        reverse("orgs:detail", args=[m.regional_a.code]),
        reverse("orgs:detail", args=[m.ministry.code]),
        reverse("orgs:staff"),
        reverse("orgs:staff") + f"?q=test&org={m.regional_a.code}&subordinates=on&role=executor",
    ]


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_page_renders_in_each_language(client, ministry: Ministry, language: str) -> None:
    client.force_login(ministry.wg_member)
    client.cookies["django_language"] = language
    for url in pages(ministry):
        response = client.get(url)
        assert response.status_code == 200, url
        assert f'<html lang="{language}">' in response.content.decode(), url


def test_anonymous_users_are_sent_to_sign_in(client, ministry: Ministry) -> None:
    urls = [*pages(ministry), reverse("orgs:children", args=[ministry.ministry.code])]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("accounts:login")), url


def test_the_tree_shows_the_root_and_its_subordinates(client, ministry: Ministry) -> None:
    client.force_login(ministry.md_executor)
    html = client.get(reverse("orgs:tree")).content.decode()
    assert reverse("orgs:detail", args=["moh"]) in html
    assert reverse("orgs:detail", args=["rd-1727"]) in html
    # regional directorates open lazily: their associations are not on the page yet
    assert reverse("orgs:children", args=["rd-1727"]) in html
    assert reverse("orgs:detail", args=["tma-1727237"]) not in html


def test_opening_a_node_loads_its_children(client, ministry: Ministry) -> None:
    client.force_login(ministry.md_executor)
    url = reverse("orgs:children", args=["rd-1727"])
    response = client.get(url, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert reverse("orgs:detail", args=["tma-1727237"]) in html
    assert reverse("orgs:detail", args=["tma-1718236"]) not in html
    assert client.get(url)["Location"] == reverse("orgs:detail", args=["rd-1727"])


def test_filtering_by_stage_lists_that_stage_only(client, ministry: Ministry) -> None:
    client.force_login(ministry.md_executor)
    response = client.get(reverse("orgs:tree"), {"stage": 4})
    codes = {o.code for o in response.context["page"].object_list}
    assert codes == {"tma-1727237", "tma-1727249", "tma-1718236"}
    response = client.get(reverse("orgs:tree"), {"stage": 4, "region": ministry.region_b.pk})
    assert [o.code for o in response.context["page"].object_list] == ["tma-1718236"]


@pytest.mark.django_db
def test_search_finds_names_in_every_language_and_script(client, monkeypatch) -> None:
    load_orgs()
    user = make_user("searcher", Organisation.objects.get(code="wg"), Role.WG_MEMBER)
    client.force_login(user)

    def found(query: str) -> set[str]:
        response = client.get(reverse("orgs:tree"), {"q": query})
        return {o.code for o in response.context["page"].object_list}

    assert "tma-1727237" in found("zangiota")  # Uzbek Latin, any case
    assert "tma-1727237" in found("ZANGIOTA TUMAN")
    assert "tma-1727237" in found("зангиатинское")  # Russian, lower case
    assert "tma-1727237" in found("Зангиатинское")
    assert "tma-1727237" in found("Zangiota district medical")  # English
    assert "tma-1730405" in found("Qo'qon")  # a plain apostrophe finds oʻ
    assert "tma-1730405" in found("qo`qon shahar")
    assert "centre-cardiology" in found("кардиология")  # Uzbek Cyrillic column
    assert "centre-cardiology" in found("КАРДИОЛОГИИ")

    # Uzbek Cyrillic finds the Cyrillic column filled at load time and, transliterated, the Latin
    assert "tma-1730405" in found("Қўқон шаҳар")
    assert "tma-1730405" in found("қўқон")
    assert "tma-1727237" in found("Зангиота туман")

    # a Cyrillic query is also transliterated to Latin (and back)
    monkeypatch.setattr(
        selectors,
        "cyrillic_to_latin",
        lambda text: text.replace("Зангиота туман", "Zangiota tuman"),
    )
    assert "tma-1727237" in found("Зангиота туман")
    assert found("no-such-organisation-anywhere") == set()


def test_query_variants_cover_scripts_cases_and_apostrophes(monkeypatch) -> None:
    monkeypatch.setattr(selectors, "latin_to_cyrillic", lambda t: t.replace("Qo'qon", "Қўқон"))
    variants = selectors.query_variants("  Qo'qon  ")
    assert {"Qo'qon", "qoʻqon", "Qoʻqon", "QOʻQON", "Қўқон", "қўқон"} <= variants
    assert selectors.query_variants("   ") == set()


def test_the_detail_page_shows_leaders_reception_hours_and_phones(
    client, ministry: Ministry
) -> None:
    ministry.regional_head.phone = "+998 70 715-10-00"
    ministry.regional_head.save()
    client.force_login(ministry.outsider)
    response = client.get(reverse("orgs:detail", args=["rd-1727"]))
    html = response.content.decode()
    assert response.status_code == 200
    assert ministry.regional_head.full_name in html
    assert ministry.regional_executor.full_name in html  # the responsible officer (R-ORG-4)
    assert "+998 70 715-10-00" in html
    assert "08:00-11:00" in html  # R-ORG-2
    assert 'aria-label="Breadcrumb"' in html
    assert reverse("orgs:detail", args=["moh"]) in html  # the parent chain
    assert reverse("orgs:detail", args=["tma-1727237"]) in html  # the children
    assert response.context["staff_count"] == 2
    assert response.context["subtree_staff_count"] == 4
    assert [g.role for g in response.context["leaders"]] == [Role.HEAD, Role.RESPONSIBLE]


def test_an_unknown_code_is_404(client, ministry: Ministry) -> None:
    client.force_login(ministry.wg_member)
    assert client.get(reverse("orgs:detail", args=["nope"])).status_code == 404


def test_staff_search_by_name_organisation_and_role(client, ministry: Ministry) -> None:
    client.force_login(ministry.wg_member)

    def usernames(**params: str) -> set[str]:
        response = client.get(reverse("orgs:staff"), params)
        return {u.username for u in response.context["page"].object_list}

    assert usernames(q="Rdhead") == {"rdhead"}
    assert usernames(q="rdhead test") == {"rdhead"}
    assert usernames(org="rd-1727") == {"rdexec", "rdhead"}
    assert usernames(org="rd-1727", subordinates="on") == {"rdexec", "rdhead", "asexec", "ashead"}
    assert usernames(org="rd-1727", subordinates="on", role="head") == {"rdhead", "ashead"}
    assert usernames(role="responsible") == {"rdexec"}
    assert "outsider" in usernames()
    # a filter that does not validate is ignored rather than failing
    assert client.get(reverse("orgs:staff"), {"org": "no-such-org"}).status_code == 200


def test_the_staff_directory_is_paginated(client, ministry: Ministry) -> None:
    for n in range(30):
        make_user(f"clerk{n:02d}", ministry.association_b, Role.EXECUTOR)
    client.force_login(ministry.wg_member)
    first = client.get(reverse("orgs:staff"), {"org": "tma-1718236"})
    assert first.context["page"].paginator.count == 31
    assert len(first.context["page"].object_list) == 25
    second = client.get(reverse("orgs:staff"), {"org": "tma-1718236", "page": 2})
    assert len(second.context["page"].object_list) == 6
    assert "org=tma-1718236&amp;page=2" in first.content.decode()


def test_the_staff_directory_does_not_query_per_row(
    client, ministry: Ministry, django_assert_max_num_queries
) -> None:
    for n in range(40):
        user = make_user(f"clerk{n:02d}", ministry.association_b, Role.EXECUTOR)
        RoleGrant.objects.create(user=user, role=Role.AUDITOR, organisation=ministry.association_b)
    client.force_login(ministry.wg_member)
    client.get(reverse("orgs:staff"))  # warm the session and the caches
    with django_assert_max_num_queries(12):
        response = client.get(reverse("orgs:staff"))
    assert len(response.context["page"].object_list) == 25


def test_the_tree_does_not_query_per_node(
    client, ministry: Ministry, django_assert_max_num_queries
) -> None:
    client.force_login(ministry.wg_member)
    with django_assert_max_num_queries(10):
        client.get(reverse("orgs:tree"), {"stage": 4})
    with django_assert_max_num_queries(10):
        client.get(reverse("orgs:tree"))
    with django_assert_max_num_queries(12):
        client.get(reverse("orgs:detail", args=["rd-1727"]))


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["uz", "ru", "en"])
def test_a_district_founding_year_is_not_grouped_like_a_number(client, language: str) -> None:
    """Thousand separators are on (murojaat/formats): a year must still read 2020."""
    load_orgs()
    client.force_login(make_user("reader", Organisation.objects.get(code="wg"), Role.WG_MEMBER))
    client.cookies["django_language"] = language
    page = client.get(reverse("orgs:detail", args=["tma-1733221"])).content.decode()
    assert "2020" in page
    assert "2\xa0020" not in page and "2,020" not in page
