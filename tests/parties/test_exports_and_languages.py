"""Issue 15 §6: CSV/JSON exports, content names in four languages, no rule ids on the pages."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from murojaat.parties.models import Election, Party, names_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(client, ministry):
    call_command("load_parties", stdout=io.StringIO())
    client.force_login(ministry.wg_member)
    return client


def _csv(response) -> list[dict[str, str]]:
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")  # spreadsheets in Cyrillic locales need the mark
    return list(csv.DictReader(io.StringIO(body[1:])))


def test_the_registry_exports_as_csv_with_names_in_four_languages(member):
    response = member.get(reverse("parties:export_registry", args=["csv"]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="party-registry.csv"' in response["Content-Disposition"]
    rows = {r["slug"]: r for r in _csv(response)}
    assert len(rows) == Party.objects.count()
    nur = rows["nur-otan"]
    assert nur["name_ru"] == "Народно-демократическая партия «Нур Отан»"
    assert nur["name_uz"] == "«Nur Otan» xalq demokratik partiyasi"
    assert nur["name_uz_Cyrl"].startswith("«Нур Отан»")  # generated from the Latin
    assert (nur["ended"].split()[0], nur["successor"]) == ("renamed", "amanat")


def test_the_registry_export_with_a_day_gives_each_party_s_status_then(member):
    url = reverse("parties:export_registry", args=["json"])
    body = json.loads(member.get(url, {"day": "2002-09-01"}).content)
    status = {r["slug"]: r["registration_status"] for r in body["rows"]}
    assert status["kaz-eli"] == "registered" and status["compatriot"] == "possibly"
    assert status["amanat"] == ""
    assert body["registry_on"] == "2002-09-01"
    assert any(e["kind"] == "joined_bloc" for e in body["events"])
    bad = member.get(url, {"day": "1.9.2002"})
    assert bad.status_code == 400 and b"YYYY-MM-DD" in bad.content


def test_an_election_exports_its_lists_with_official_and_computed_seats(member):
    response = member.get(reverse("parties:export_election", args=["majilis-2021", "csv"]))
    rows = _csv(response)
    assert [r["list"] for r in rows][:3] == [
        "Nur Otan",
        "Ak Zhol",
        "People's Party of Kazakhstan",
    ]
    assert [(r["official_seats"], r["computed_seats"]) for r in rows] == [
        ("76", "76"),
        ("12", "12"),
        ("10", "10"),
        ("0", "0"),
        ("0", "0"),
    ]
    assert rows[0]["votes"] == "5148074"
    assert rows[2]["party_name_ru"] == "Народная партия Казахстана"


def test_an_election_s_json_export_carries_its_rules_turnout_and_source(member):
    body = json.loads(
        member.get(reverse("parties:export_election", args=["majilis-2016", "json"])).content
    )
    assert body["tie_rule"] == "earlier-registration"
    assert body["registered_voters"] == 9_810_852 and body["valid_votes"] == 7_522_868
    assert body["turnout_percent"] == "77.12"
    assert body["names"]["ru"] == "Мажилис 2016, партийные списки"
    assert "electionguide" in body["source"]
    assert sum(r["computed_seats"] for r in body["rows"]) == 98


def test_the_analytics_export_has_one_row_per_election_with_volatility(member):
    rows = _csv(member.get(reverse("parties:export_analytics", args=["csv"])))
    assert [r["election"] for r in rows] == list(
        Election.objects.order_by("date").values_list("slug", flat=True)
    )
    assert rows[0]["pedersen_volatility"] == ""  # nothing to compare the first with
    assert all(float(r["pedersen_volatility"]) > 0 for r in rows[1:])
    assert float(rows[2]["enp_seats"]) == 1.0  # 2007: one party took every list seat


def test_an_unknown_export_format_is_404_and_strangers_must_sign_in(member, client):
    assert member.get(reverse("parties:export_analytics", args=["xlsx"])).status_code == 404
    client.logout()
    response = client.get(reverse("parties:export_registry", args=["csv"]))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("ru", "Народно-демократическая партия «Нур Отан»"),
        ("uz", "«Nur Otan» xalq demokratik partiyasi"),
        ("uz-cyrl", "«Нур Отан» халқ демократик партияси"),
        ("en", "People&#x27;s Democratic Party &quot;Nur Otan&quot;"),
    ],
)
def test_party_pages_show_the_party_s_name_in_the_reader_s_language(member, language, text):
    response = member.get(
        reverse("parties:party", args=["nur-otan"]), HTTP_ACCEPT_LANGUAGE=language
    )
    assert text in response.content.decode()


def test_election_pages_show_the_election_name_and_notes_in_russian(member):
    response = member.get(
        reverse("parties:election", args=["majilis-2023"]), HTTP_ACCEPT_LANGUAGE="ru"
    )
    page = response.content.decode()
    assert "Мажилис 2023, партийные списки" in page
    assert "против всех" in page  # the election's notes, in Russian
    assert "Партия «Аманат»" in page


def test_every_party_and_election_has_its_name_in_uzbek_and_russian(member):
    for obj in [*Party.objects.all(), *Election.objects.all()]:
        names = names_of(obj)
        assert all(names.values()), obj
        assert names["ru"] != names["en"], obj


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("parties:index", []),
        ("parties:party", ["otan"]),
        ("parties:party", ["agrarian"]),
        ("parties:laws", []),
        ("parties:elections", []),
        ("parties:election", ["majilis-1999"]),
        ("parties:election", ["majilis-2012"]),
        ("parties:analytics", []),
    ],
)
def test_no_internal_rule_id_appears_on_a_page(member, name, args):
    page = member.get(reverse(name, args=args)).content.decode()
    assert not re.search(r"\bK-\d\b", page)


def test_the_party_page_credits_bloc_results_and_the_check_names_the_successor(member):
    page = member.get(reverse("parties:party", args=["civil"])).content.decode()
    assert "as part of AIST bloc" in page
    page = member.get(reverse("parties:party", args=["otan"]), {"day": "2019-01-01"})
    text = page.content.decode()
    assert "no longer existed under this name" in text
    assert reverse("parties:party", args=["nur-otan"]) in text


def test_law_titles_notes_and_stage_summaries_follow_the_reader_s_language(member):
    laws = member.get(reverse("parties:laws"), HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert "Закон «О политических партиях» в редакции 2009 года" in laws
    assert "НЕ ПРОВЕРЕН" in laws
    index = member.get(reverse("parties:index"), HTTP_ACCEPT_LANGUAGE="uz").content.decode()
    assert "Proporsional unsurlar" in index


def test_uzbek_cyrillic_names_spell_proper_names_as_written_not_letter_by_letter(member):
    """The generic transliteration would write "Ак Зҳол" and "сотсиал"; the data corrects it."""
    names = {p.slug: names_of(p)["uz_Cyrl"] for p in Party.objects.all()}
    assert names["ak-zhol"] == "Қозоғистон «Ақ Жол» демократик партияси"
    assert names["auyl"] == "Қозоғистон «Ауыл» социал-демократик партияси"
    assert not any("Зҳ" in n or "сотсиал" in n.lower() for n in names.values())


def test_the_election_page_charts_seat_shares_against_vote_shares(member):
    response = member.get(reverse("parties:election", args=["majilis-2012"]))
    chart = response.context["chart"]
    assert len(chart["computed"]) == len(chart["official"]) == 7
    nur = chart["official"][0]
    # Nur Otan: 5,621,436 of the lists' 6,941,220 votes, 83 of 98 seats.
    assert (nur["x"], nur["y"]) == (80.99, round(83 / 98 * 100, 2))
    assert 'id="seat-vote-data"' in response.content.decode()
