"""Issue 14 §2, §6: the urgent flag at intake, the routing queue, the group's decision."""

from __future__ import annotations

from datetime import datetime

import pytest
from django.test import Client
from django.urls import reverse

from murojaat.appeals.models import Event, EventKind
from murojaat.assist import services
from murojaat.assist.models import FlagState, UrgentFlag
from murojaat.core.errors import PermissionDenied
from tests.appeals.helpers import TASHKENT, register
from tests.factories import Ministry

URGENT = "Otam hushidan ketdi, tez yordam chaqirdik, ikki soat kutdik, tez yordam kelmadi."
PLAIN = "Poliklinikada shifokor qabul qilmadi, navbat uch kun, dahshatli shifokor."


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_an_urgent_appeal_is_flagged_at_intake_with_its_words_and_a_same_day_clock(
    ministry: Ministry,
) -> None:
    monday = datetime(2026, 11, 16, 10, 0, tzinfo=TASHKENT)
    appeal = register(text=URGENT, actor=ministry.wg_member, received=monday)
    flag = UrgentFlag.objects.get(appeal=appeal)
    assert flag.state == FlagState.OPEN
    assert flag.rules == ["emergency_refused"]
    assert "kelmadi" in flag.words
    # R-P2-2: routed the same day; the clock ends with the registration day's working day.
    assert flag.route_by == datetime(2026, 11, 16, 18, 0, tzinfo=TASHKENT)
    event = appeal.events.get(kind=EventKind.URGENT_FLAGGED)
    assert event.data["rules"] == ["emergency_refused"]


def test_alarming_words_alone_do_not_flag_at_intake(ministry: Ministry) -> None:
    appeal = register(text=PLAIN, author_phone="+998901111111")
    assert not UrgentFlag.objects.filter(appeal=appeal).exists()
    assert not appeal.events.filter(kind=EventKind.URGENT_FLAGGED).exists()


def test_a_failing_triage_never_fails_the_registration_l_2(ministry: Ministry, monkeypatch) -> None:
    def broken(appeal):
        raise RuntimeError("model file unreadable")

    monkeypatch.setattr(services, "flag_if_urgent", broken)
    appeal = register(text=URGENT)
    assert appeal.pk is not None
    assert appeal.events.filter(kind=EventKind.REGISTERED).exists()


def test_urgent_appeals_come_first_in_the_routing_queue(ministry: Ministry) -> None:
    older = register(text=PLAIN, author_phone="+998901111112")
    urgent = register(text=URGENT, author_phone="+998901111113")
    page = client_for(ministry.wg_member).get(reverse("appeals:inbox") + "?tab=routing&sort=due")
    html = page.content.decode()
    assert html.index(urgent.number) < html.index(older.number)
    assert "urgent-badge" in html
    assert "assist-alerts" in html  # the alert banner counts the open flag


def test_the_group_confirms_or_clears_and_the_decision_is_recorded(ministry: Ministry) -> None:
    first = register(text=URGENT, author_phone="+998901111114")
    second = register(text=URGENT, author_phone="+998901111115")
    client = client_for(ministry.wg_member)
    response = client.post(
        reverse("assist:decide_flag", args=[first.number]), {"urgent": "1", "comment": "ha"}
    )
    assert response.status_code == 302
    client.post(reverse("assist:decide_flag", args=[second.number]), {"urgent": "0"})
    confirmed, cleared = (UrgentFlag.objects.get(appeal=a) for a in (first, second))
    assert (confirmed.state, confirmed.decided_by) == (FlagState.CONFIRMED, ministry.wg_member)
    assert cleared.state == FlagState.CLEARED
    event = Event.objects.get(appeal=second, kind=EventKind.URGENT_DECIDED)
    assert event.data == {"urgent": False, "rules": ["emergency_refused"]}
    # a cleared appeal no longer jumps the queue
    page = client.get(reverse("appeals:inbox") + "?tab=routing")
    assert page.content.decode().count("urgent-badge") == 1
    # the decisions feed triage: (confirmed, cleared) per rule
    assert services.triage_decisions()["emergency_refused"] == (1, 1)


def test_only_the_working_group_decides_a_flag(ministry: Ministry) -> None:
    appeal = register(text=URGENT)
    flag = UrgentFlag.objects.get(appeal=appeal)
    with pytest.raises(PermissionDenied):
        services.decide_flag(actor=ministry.auditor, flag=flag, urgent=False)
    # an organisation that cannot open the appeal gets a 404, not an oracle
    response = client_for(ministry.outsider).post(
        reverse("assist:decide_flag", args=[appeal.number]), {"urgent": "0"}
    )
    assert response.status_code == 404
    flag.refresh_from_db()
    assert flag.state == FlagState.OPEN


def test_a_flag_is_decided_once(ministry: Ministry) -> None:
    appeal = register(text=URGENT)
    flag = UrgentFlag.objects.get(appeal=appeal)
    services.decide_flag(actor=ministry.wg_member, flag=flag, urgent=True)
    with pytest.raises(Exception, match="already decided"):
        services.decide_flag(actor=ministry.wg_head, flag=flag, urgent=False)


def test_the_group_marks_urgent_what_triage_missed(ministry: Ministry) -> None:
    appeal = register(text="Onam uchun dializ apparati ishlamayapti, har kuni kerak.")
    assert not UrgentFlag.objects.filter(appeal=appeal).exists()
    client_for(ministry.wg_member).post(
        reverse("assist:mark_urgent", args=[appeal.number]), {"comment": "dializ"}
    )
    flag = UrgentFlag.objects.get(appeal=appeal)
    assert (flag.by_triage, flag.state) == (False, FlagState.CONFIRMED)


def test_the_case_page_says_why_and_offers_the_decision_to_the_group_only(
    ministry: Ministry,
) -> None:
    appeal = register(text=URGENT)
    url = reverse("appeals:detail", args=[appeal.number])
    html = client_for(ministry.wg_member).get(url).content.decode()
    assert "Emergency care refused or absent" in html and "<mark>kelmadi</mark>" in html
    assert reverse("assist:decide_flag", args=[appeal.number]) in html
    html = client_for(ministry.auditor).get(url).content.decode()
    assert reverse("assist:decide_flag", args=[appeal.number]) not in html


@pytest.mark.parametrize("sort", ["due", "-due", "received", "-received"])
def test_the_routing_queue_read_by_pages_keeps_the_urgent_first_order(
    ministry: Ministry, sort: str, django_assert_max_num_queries
) -> None:
    """Issue 9: the routing tab reads the flagged appeals and the others separately
    (`UrgentFirst`) instead of sorting every new appeal by an EXISTS; every page, across the
    boundary between the two groups and past it, equals the previous single query
    (`urgent_first`). Varied data: ties on the deadline and on the received time, flags open,
    confirmed and cleared (a cleared one is not urgent), flagged appeals with early and late
    deadlines."""
    from datetime import date, timedelta

    from murojaat.appeals import views_workspace as vw
    from murojaat.assist.selectors import UrgentFirst, urgent_first

    base = datetime(2026, 11, 16, 9, 0, tzinfo=TASHKENT)
    appeals = [
        register(text=PLAIN, author_phone=f"+9989020{i:05d}", author_name=f"Muallif {i}")
        for i in range(23)
    ]
    for i, appeal in enumerate(appeals):
        type(appeal).objects.filter(pk=appeal.pk).update(
            due_date=date(2026, 12, 1) + timedelta(days=(i * 7) % 5),  # five deadlines, ties
            received_at=base + timedelta(hours=(i * 5) % 4),  # four received times, ties
        )
    states = {2: FlagState.OPEN, 5: FlagState.CONFIRMED, 9: FlagState.CLEARED, 14: FlagState.OPEN}
    states |= {17: FlagState.CONFIRMED, 21: FlagState.OPEN, 22: FlagState.CLEARED}
    for i, state in states.items():
        UrgentFlag.objects.update_or_create(
            appeal=appeals[i],
            defaults={"flagged_at": base, "route_by": base, "state": state},
        )
    today = vw.today_local()
    (routing,) = [t for t in vw.workspace_tabs(ministry.wg_member, today) if t.key == "routing"]
    ordered = vw.apply_sort(vw._rows(routing, routing.qs), routing.kind, sort)
    before = list(urgent_first(ordered))
    assert [a.is_urgent for a in before][:6] == [True] * 5 + [False]
    paged = UrgentFirst(ordered, prefetch=("topics",))
    for size in (1, 3, 4, 7, 25):
        for start in range(0, len(before) + size, size):
            # the flagged, the others, the topics; past the flagged ones, a COUNT of them
            with django_assert_max_num_queries(3 if start < 5 else 4):
                page = paged[start : start + size]
            expected = before[start : start + size]
            assert [a.pk for a in page] == [a.pk for a in expected]
            assert [a.is_urgent for a in page] == [a.is_urgent for a in expected]
