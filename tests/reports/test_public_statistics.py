"""Quarterly published statistics and open data (L-11, art. 35): public, per quarter and level,
and nothing in the open data that identifies a person (L-10)."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

import pytest
from django.core.cache import cache
from django.urls import reverse

from murojaat.appeals import services
from murojaat.reports import public
from tests.factories import Ministry
from tests.reports.scenario import Scenario, at, build

pytestmark = pytest.mark.django_db

PERSONAL = (
    "Karimova",
    "Каримова",
    "Late Author",
    "Samarqandlik",
    "Toshkentlik",
    "+998",
    "998 71",
    "Zangiota",
    "Eshonguzar",
    "Poliklinikada",
    "Kasalxonada",
    "Urgut tumanida",
    "Davolanish",
)


@pytest.fixture
def scenario(ministry: Ministry) -> Scenario:
    cache.clear()
    built = build(ministry)
    with at(date(2026, 11, 20)):
        services.accept_answer(actor=ministry.wg_member, assignment=built.answered_top)
        services.send_answer(actor=ministry.wg_member, appeal=built.answered)
    return built


def test_the_quarter_s_figures_for_the_ministry_and_a_region_l_11(ministry, scenario) -> None:
    with at(date(2026, 12, 3)):
        whole = public.quarter_statistics(2026, 4, None)
        region_b = public.quarter_statistics(2026, 4, ministry.region_b)
    assert whole.received == 6 and whole.considered == 1
    assert whole.outcomes["satisfied"] == 1 and whole.outcomes["refused"] == 0
    assert whole.on_time_rate == 100.0
    assert whole.average_days == 4.0  # received 16 Nov, answered 20 Nov
    assert region_b.received == 2 and region_b.considered == 0
    assert region_b.on_time_rate is None


def test_the_public_page_opens_without_signing_in(client, ministry, scenario) -> None:
    with at(date(2026, 12, 3)):
        response = client.get(reverse("public:statistics"), {"year": 2026, "quarter": 4})
        region = client.get(
            reverse("public:statistics"),
            {"year": 2026, "quarter": 4, "region": ministry.region_b.soato},
        )
        unknown = client.get(reverse("public:statistics"), {"region": "nope"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "dashboard-data" in body and "chart-outcomes" in body
    assert region.status_code == 200
    assert unknown.status_code == 404
    for word in PERSONAL:
        assert word not in body


def test_open_data_has_one_row_per_appeal_and_nothing_personal_l_10(
    client, ministry, scenario
) -> None:
    with at(date(2026, 12, 3)):
        as_csv = client.get(reverse("public:open_data", args=["csv"]), {"year": 2026, "quarter": 4})
        as_json = client.get(
            reverse("public:open_data", args=["json"]), {"year": 2026, "quarter": 4}
        )
    rows = list(csv.DictReader(io.StringIO(as_csv.content.decode())))
    data = json.loads(as_json.content)
    assert len(rows) == len(data["rows"]) == 6
    assert tuple(rows[0]) == public.OPEN_DATA_FIELDS
    answered = next(r for r in rows if r["number"] == scenario.answered.number)
    assert answered["answered"] == "2026-11-20"
    assert answered["outcome"] == "satisfied" and answered["on_time"] == "yes"
    assert answered["region"] == ministry.region_a.soato
    for body in (as_csv.content.decode(), as_json.content.decode("utf-8")):
        for word in PERSONAL:
            assert word not in body
    assert client.get(reverse("public:open_data", args=["xml"])).status_code == 404
