"""The dashboard's figures are counted once per scope and period and shown for at most
REPORTS_LIVE_SECONDS (issue 9): its cards and charts follow the ministry's flow, so they are
not counted again on every view. Confidentiality (R-P2-3) holds for the shared copy: a scope
never reads another's."""

from __future__ import annotations

from datetime import datetime

import pytest
import time_machine
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from murojaat.reports import selectors, tasks
from tests.appeals.helpers import TASHKENT, register
from tests.factories import Ministry, make_user
from tests.reports.scenario import TODAY, Scenario, build

pytestmark = pytest.mark.django_db


@pytest.fixture
def scenario(ministry: Ministry) -> Scenario:
    return build(ministry)


def clock(hour: int, minute: int, second: int = 0):
    return time_machine.travel(
        datetime(TODAY.year, TODAY.month, TODAY.day, hour, minute, second, tzinfo=TASHKENT),
        tick=False,
    )


def view(client, user, **params):
    client.force_login(user)
    response = client.get(reverse("reports:dashboard"), params)
    assert response.status_code == 200
    return response


def live(user) -> selectors.Dashboard:
    scope = selectors.scope_for(user)
    assert scope is not None
    return selectors.count_dashboard(scope, TODAY, selectors.Period(TODAY.replace(day=1), TODAY))


MONTH = {"date_from": TODAY.replace(day=1).isoformat(), "date_to": TODAY.isoformat()}


@override_settings(REPORTS_LIVE_SECONDS=60)
def test_a_copy_is_shown_for_a_minute_then_counted_again_in_the_background(
    client, ministry: Ministry, scenario: Scenario, django_capture_on_commit_callbacks
) -> None:
    with clock(11, 0):
        first = view(client, ministry.wg_member, **MONTH)
    before = first.context["data"].summary["today"]
    assert "Figures as of 11:00:00" in first.content.decode()

    with clock(11, 0, 10):
        register(received=datetime(2026, 11, 18, 11, 0, tzinfo=TASHKENT))
    assert live(ministry.wg_member).summary["today"] == before + 1

    # Within the minute every working-group member reads the same copy: nothing is counted.
    with clock(11, 0, 50), django_capture_on_commit_callbacks(execute=True) as recounts:
        again = view(client, ministry.wg_head, **MONTH)
    assert again.context["data"].summary["today"] == before
    assert recounts == []

    # Past the minute the first reader still gets the copy at once, and a recount is queued
    # (run here by the eager Celery of the tests); a second reader queues none.
    with clock(11, 1, 30), django_capture_on_commit_callbacks(execute=True) as recounts:
        stale = view(client, ministry.wg_member, **MONTH)
    assert stale.context["data"].summary["today"] == before
    assert len(recounts) == 1
    with clock(11, 1, 31), django_capture_on_commit_callbacks(execute=True) as recounts:
        fresh = view(client, ministry.wg_head, **MONTH)
    assert recounts == []
    assert fresh.context["data"].summary["today"] == before + 1
    assert "Figures as of 11:01:30" in fresh.content.decode()


@override_settings(REPORTS_LIVE_SECONDS=60)
def test_each_scope_reads_only_its_own_copy(
    client, ministry: Ministry, scenario: Scenario, monkeypatch
) -> None:
    """R-P2-3: the working group's copy is counted first, then each region's head reads the
    dashboard: each sees exactly its own subtree's figures, not the ministry's nor the other
    region's; two readers of one organisation share a copy."""
    region_b_executor = make_user("rdb-reader", ministry.regional_b, "executor")
    counted_for: list[str] = []
    count = selectors.count_dashboard

    def counting(scope, today, period):  # type: ignore[no-untyped-def]
        counted_for.append(selectors.scope_key(scope))
        return count(scope, today, period)

    monkeypatch.setattr(selectors, "count_dashboard", counting)
    with clock(11, 0):
        view(client, ministry.wg_member, **MONTH)
        a = view(client, ministry.regional_head, **MONTH).context["data"]
        b = view(client, region_b_executor, **MONTH).context["data"]
        a_again = view(client, ministry.regional_executor, **MONTH).context["data"]
    # Four readers, three counts: the second reader of region A's directorate shares its copy.
    assert ministry.regional_executor.organisation_id == ministry.regional_head.organisation_id
    assert counted_for == [
        "ministry",
        f"org-{ministry.regional_a.pk}",
        f"org-{ministry.regional_b.pk}",
    ]
    for shown, user in ((a, ministry.regional_head), (b, region_b_executor)):
        counted = live(user)
        assert shown.summary == counted.summary
        assert [(f.org.code, f.values) for f in shown.overdue] == [
            (f.org.code, f.values) for f in counted.overdue
        ]
        assert [(x.key, x.count) for x in shown.regions] == [
            (x.key, x.count) for x in counted.regions
        ]
    ministry_figures = live(ministry.wg_member).summary
    assert a.summary != ministry_figures and b.summary != ministry_figures
    assert a.summary != b.summary
    assert a_again.summary == a.summary


@override_settings(REPORTS_LIVE_SECONDS=60)
def test_a_copy_is_named_in_each_readers_language(
    client, ministry: Ministry, scenario: Scenario
) -> None:
    with clock(11, 0):
        with translation.override("en"):
            english = view(client, ministry.wg_member, **MONTH).context["data"]
        client.cookies["django_language"] = "ru"
        russian = view(client, ministry.wg_head, **MONTH, lang="ru").context["data"]
    assert russian.as_of == english.as_of  # one count
    with translation.override("ru"):
        counted = live(ministry.wg_member)
    assert [b.label for b in russian.channels] == [b.label for b in counted.channels]
    assert [b.label for b in russian.channels] != [b.label for b in english.channels]


@override_settings(REPORTS_LIVE_SECONDS=0)
def test_zero_seconds_counts_on_every_view(client, ministry: Ministry, scenario: Scenario) -> None:
    with clock(11, 0):
        first = view(client, ministry.wg_member, **MONTH)
    assert first.context["data"].as_of is None
    assert "Figures as of" not in first.content.decode()
    with clock(11, 0, 10):
        register(received=datetime(2026, 11, 18, 11, 0, tzinfo=TASHKENT))
        second = view(client, ministry.wg_member, **MONTH)
    assert second.context["data"].summary["today"] == first.context["data"].summary["today"] + 1


@override_settings(REPORTS_LIVE_SECONDS=60)
def test_the_recount_task_counts_the_scope_of_the_user_who_asked(
    ministry: Ministry, scenario: Scenario
) -> None:
    day, start = TODAY.isoformat(), TODAY.replace(day=1).isoformat()
    with clock(11, 0):
        done = tasks.recount_dashboard(ministry.regional_head.pk, day, start, day)
    assert done.startswith(f"org-{ministry.regional_a.pk} as of ")
    ministry.outsider.is_active = False
    ministry.outsider.save(update_fields=["is_active"])
    assert tasks.recount_dashboard(ministry.outsider.pk, day, start, day) == ""
