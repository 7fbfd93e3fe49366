"""Issue 14 §4: weekly counts by topic and district against their own history."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import time_machine
from django.test import Client
from django.urls import reverse

from murojaat.assist import services
from murojaat.assist.models import Surge
from murojaat.assist.surges import weekly_rule
from tests.appeals.helpers import TASHKENT, register
from tests.factories import Ministry


def test_the_rule_needs_five_twice_the_mean_and_three_root_means_above_it() -> None:
    assert not weekly_rule(4, [0] * 8).surge  # four letters are not a surge, whatever the past
    assert weekly_rule(5, [0] * 8).surge
    # mean 4: threshold max(5, 8, 4 + 3*2 = 10) = 10
    assert weekly_rule(10, [4] * 8).threshold == 10
    assert not weekly_rule(9, [4] * 8).surge and weekly_rule(10, [4] * 8).surge
    # mean 1: threshold max(5, 2, 1 + 3) = 5
    assert weekly_rule(5, [1] * 8).surge


def _week(ministry: Ministry, monday: date, n: int, district) -> None:
    for i in range(n):
        register(
            received=datetime(monday.year, monday.month, monday.day, 10, i, tzinfo=TASHKENT),
            author_phone=f"+9989{monday.toordinal() % 10000:04d}{i:04d}",
            author_district_id=district.pk,
            topics=("sanitary",),
        )


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_surge_is_recorded_explained_and_shown_on_the_dashboard(ministry: Ministry) -> None:
    this_monday = date(2026, 11, 16)
    for weeks_ago in range(1, 9):
        _week(ministry, this_monday - timedelta(weeks=weeks_ago), 1, ministry.district_a)
    _week(ministry, this_monday, 7, ministry.district_a)
    _week(ministry, this_monday, 2, ministry.district_b)  # a quiet district: no surge
    surges = services.detect_surges(date(2026, 11, 18))
    assert len(surges) == 1
    surge = surges[0]
    assert (surge.district, surge.topic.code, surge.count) == (ministry.district_a, "sanitary", 7)
    assert (surge.mean, surge.history_max, surge.threshold) == (1.0, 1, 5.0)
    services.detect_surges(date(2026, 11, 18))  # hourly again: one row per week, not two
    assert Surge.objects.count() == 1

    with time_machine.travel(datetime(2026, 11, 18, 12, tzinfo=TASHKENT), tick=False):
        html = client_for(ministry.wg_member).get(reverse("reports:dashboard")).content.decode()
        assert 'id="surges"' in html and "Zangiota tumani" in html
        # the regional body of the district sees it; another region's does not
        html = client_for(ministry.regional_head).get(reverse("reports:dashboard")).content
        assert b'id="surges"' in html
        html = client_for(ministry.outsider).get(reverse("reports:dashboard")).content
        assert b'id="surges"' not in html
        alerts = client_for(ministry.wg_member).get(reverse("assist:alerts")).content.decode()
        assert "Zangiota tumani" in alerts


def test_the_group_marks_a_surge_as_seen(ministry: Ministry) -> None:
    _week(ministry, date(2026, 11, 16), 5, ministry.district_a)
    [surge] = services.detect_surges(date(2026, 11, 16))
    client_for(ministry.wg_member).post(reverse("assist:acknowledge_surge", args=[surge.pk]))
    surge.refresh_from_db()
    assert surge.acknowledged_by == ministry.wg_member
    assert client_for(ministry.outsider).get(reverse("assist:alerts")).status_code == 404
