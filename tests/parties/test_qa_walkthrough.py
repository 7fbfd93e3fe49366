"""Party pages as a QA walkthrough read them: figures and counts that read naturally."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse

from murojaat.parties.models import ElectionResult

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(client, ministry):
    call_command("load_parties", stdout=io.StringIO())
    client.force_login(ministry.wg_member)
    return client


def one_seat_result(votes: str) -> ElectionResult:
    result = ElectionResult.objects.filter(
        election__vote_unit="percent", party__isnull=False
    ).first()
    assert result is not None
    result.votes = Decimal(votes)
    result.official_seats = 1
    result.save(update_fields=["votes", "official_seats"])
    return result


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "7.07%, 1 seat<"), ("ru", "7,07%, 1 мандат<"), ("uz", "7,07%, 1 oʻrin<")],
)
def test_the_party_page_writes_a_share_and_one_seat_like_the_election_page_k6(
    member, language: str, expected: str
) -> None:
    result = one_seat_result("7.070000")
    member.cookies["django_language"] = language
    html = member.get(reverse("parties:party", args=[result.party.slug])).content.decode()
    assert expected in html
    assert "7.070000" not in html and "7,070000" not in html


def test_a_seat_count_takes_the_plural_of_its_language_k6(member) -> None:
    result = one_seat_result("12.5")
    result.official_seats = 5
    result.save(update_fields=["official_seats"])
    member.cookies["django_language"] = "ru"
    html = member.get(reverse("parties:party", args=[result.party.slug])).content.decode()
    assert "12,50%, 5 мандатов<" in html


@pytest.mark.parametrize(
    ("language", "phrase"),
    [
        ("en", "Registered as of today: 9 (as far as the registry knows)"),
        ("uz", "Bugungi kunda roʻyxatda turganlari: 9 ta (reyestr maʼlumotlariga koʻra)"),
        ("uz-cyrl", "Бугунги кунда рўйхатда турганлари: 9 та (реестр маълумотларига кўра)"),
        ("ru", "Зарегистрировано на сегодня: 9 (по данным реестра)"),
    ],
)
def test_the_overview_counts_the_parties_registered_today_in_every_language_k7(
    member, language: str, phrase: str
) -> None:
    member.cookies["django_language"] = language
    html = member.get(reverse("parties:index")).content.decode()
    assert phrase in html
