"""The working group acts on a citizen's review request (L-8): it reopens the answer for rework,
due in 10 days, or replies and keeps the answer; each is an event, and the author follows it on
the tracking page."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format

from murojaat.accounts.models import User
from murojaat.appeals import services
from murojaat.appeals.models import (
    Appeal,
    AppealState,
    AssignmentState,
    Event,
    EventKind,
    Outcome,
)
from murojaat.appeals.services._common import _today, explain_due
from tests.appeals.test_consolidated_answer import _answer, _deputy, _routed_with_co_executor
from tests.citizens.test_public import STATUS, TRACK, submit
from tests.gateway.helpers import answer_minister_appeal

pytestmark = pytest.mark.django_db

REVIEWS = "/citizens/reviews/"


@pytest.fixture
def asked(client, ministry):
    """A citizen's appeal answered and closed (R-P3-2), then a request for review."""
    number, code = submit(client)
    appeal = answer_minister_appeal(ministry, Appeal.objects.get(number=number))
    assert client.post(TRACK, {"number": number, "code": code}).status_code == 302
    client.post(STATUS, {"action": "review", "reason": "Navbat hali ham uzun"})
    review = Event.objects.get(appeal=appeal, kind=EventKind.REVIEW_REQUESTED)
    return appeal, review


def _wg(ministry) -> Client:
    staff = Client()
    staff.force_login(ministry.wg_member)
    return staff


def _rework_and_send(m, appeal: Appeal, text: str) -> None:
    top = appeal.assignments.get(parent__isnull=True)
    services.draft_answer(
        actor=m.md_executor,
        assignment=top,
        text=text,
        outcomes=[services.OutcomeInput(None, Outcome.SATISFIED)],
    )
    services.sign_answer(actor=User.objects.get(username="deputy"), assignment=top)
    services.submit_answer(actor=m.md_executor, assignment=top)
    services.accept_answer(actor=m.wg_member, assignment=top)
    appeal.refresh_from_db()
    services.send_answer(actor=m.wg_member, appeal=appeal)


def test_taking_a_review_into_work_reopens_the_answer_due_in_10_days_l_8(client, ministry, asked):
    appeal, review = asked
    staff = _wg(ministry)
    assert "Reopen the answer for rework" in staff.get(REVIEWS).content.decode()
    got = staff.post(
        reverse("citizens:review_take", args=[review.pk]), {"comment": "Qayta koʻrilsin"}
    )
    assert got.status_code == 302
    appeal.refresh_from_db()
    due = explain_due(procedure=appeal.procedure, start=_today(), days=services.REVIEW_DAYS).due
    assert appeal.state == AppealState.IN_WORK and appeal.closed_at is None
    assert appeal.due_date == due
    lead = appeal.assignments.get(parent__isnull=True)
    assert lead.state == AssignmentState.ACCEPTED and lead.due_date == due
    taken = Event.objects.get(appeal=appeal, kind=EventKind.REVIEW_TAKEN)
    assert taken.data == {"review": review.pk, "due_date": due.isoformat()}
    assert taken.actor == ministry.wg_member and taken.comment == "Qayta koʻrilsin"
    # The author sees the request in work and its new deadline.
    html = client.get(STATUS).content.decode()
    assert "The answer is being corrected; the new answer is due by" in html
    with translation.override("en"):  # the page speaks English, in its short date format
        assert date_format(due, "SHORT_DATE_FORMAT") in html
    # The reworked answer goes the usual way and reaches the author.
    _rework_and_send(ministry, appeal, "Tuzatilgan javob: navbat qisqartirildi.")
    html = client.get(STATUS).content.decode()
    assert "Tuzatilgan javob: navbat qisqartirildi." in html
    assert "The corrected answer was sent to you" in html
    assert "Corrected answer sent" in staff.get(REVIEWS).content.decode()
    appeal.refresh_from_db()
    assert appeal.state == AppealState.CLOSED


def test_replying_keeps_the_answer_and_the_author_reads_the_reply(client, ministry, asked):
    appeal, review = asked
    staff = _wg(ministry)
    url = reverse("citizens:review_reply", args=[review.pk])
    refused = staff.post(url, {"comment": ""}, follow=True).content.decode()
    assert "Write the reply the author will read." in refused
    staff.post(url, {"comment": "Navbat tartibi 1-dekabrdan oʻzgardi."})
    closed = Event.objects.get(appeal=appeal, kind=EventKind.REVIEW_CLOSED)
    assert closed.data == {"review": review.pk} and closed.actor == ministry.wg_member
    appeal.refresh_from_db()
    assert appeal.state == AppealState.CLOSED
    html = client.get(STATUS).content.decode()
    assert "keeps the answer" in html and "Navbat tartibi 1-dekabrdan oʻzgardi." in html
    assert "Reopen the answer for rework" not in staff.get(REVIEWS).content.decode()


def test_a_review_request_is_dealt_with_once(ministry, asked):
    appeal, review = asked
    staff = _wg(ministry)
    staff.post(
        reverse("citizens:review_reply", args=[review.pk]), {"comment": "Javob oʻz kuchida."}
    )
    again = staff.post(reverse("citizens:review_take", args=[review.pk]), follow=True)
    assert "This review request was already dealt with; reload the page." in again.text
    appeal.refresh_from_db()
    assert appeal.state == AppealState.CLOSED
    assert not Event.objects.filter(kind=EventKind.REVIEW_TAKEN).exists()


def test_only_the_working_group_acts_on_a_review(ministry, asked):
    appeal, review = asked
    outsider = Client()
    outsider.force_login(ministry.outsider)
    assert outsider.post(reverse("citizens:review_take", args=[review.pk])).status_code == 403
    assert Client().post(reverse("citizens:review_take", args=[review.pk])).status_code == 302
    appeal.refresh_from_db()
    assert appeal.state == AppealState.CLOSED


def test_a_poor_rating_can_be_taken_into_work_too(client, ministry):
    number, code = submit(client)
    appeal = answer_minister_appeal(ministry, Appeal.objects.get(number=number))
    client.post(TRACK, {"number": number, "code": code})
    client.post(STATUS, {"action": "rate", "rating": "1"})
    rated = Event.objects.get(appeal=appeal, kind=EventKind.RATED)
    _wg(ministry).post(reverse("citizens:review_take", args=[rated.pk]))
    appeal.refresh_from_db()
    assert appeal.state == AppealState.IN_WORK


def test_a_poor_rating_taken_into_work_shows_its_state_and_the_corrected_answer_is_rated_again(
    client, ministry
):
    """Issue #5, L-8: a poor rating goes back to the working group like a request for review; the
    author follows it on the tracking page and rates the corrected answer afresh (once)."""
    number, code = submit(client)
    appeal = answer_minister_appeal(ministry, Appeal.objects.get(number=number))
    client.post(TRACK, {"number": number, "code": code})
    client.post(STATUS, {"action": "rate", "rating": "1"})
    html = client.get(STATUS).content.decode()
    assert "The working group has not considered it yet; it will reply here." in html
    # A poor rating does not use up the author's request for a review (L-8).
    assert "Ask for a review" in html
    rated = Event.objects.get(appeal=appeal, kind=EventKind.RATED)
    _wg(ministry).post(reverse("citizens:review_take", args=[rated.pk]))
    due = explain_due(procedure=appeal.procedure, start=_today(), days=services.REVIEW_DAYS).due
    html = client.get(STATUS).content.decode()
    assert "Your rating of the answer: 1 / 5" in html
    assert "The answer is being corrected; the new answer is due by" in html
    with translation.override("en"):  # the page speaks English, in its short date format
        assert date_format(due, "SHORT_DATE_FORMAT") in html
    assert "Rate the answer" not in html  # nothing to rate while the answer is reworked
    _rework_and_send(ministry, appeal, "Tuzatilgan javob.")
    html = client.get(STATUS).content.decode()
    assert "The corrected answer was sent to you" in html
    assert "Rate the answer" in html
    client.post(STATUS, {"action": "rate", "rating": "5"})
    appeal.refresh_from_db()
    assert appeal.rating == 5
    assert [e.data["rating"] for e in appeal.events.filter(kind=EventKind.RATED)] == [1, 5]
    again = client.post(STATUS, {"action": "rate", "rating": "4"}, follow=True).content.decode()
    assert "You have already rated this answer." in again
    assert appeal.events.filter(kind=EventKind.RATED).count() == 2


def test_the_tracking_page_shows_the_review_item_the_group_acted_on_last_l_8(client, ministry):
    """A poor rating and a request on the same answer: the page follows the one the group took
    into work, not the newer one still waiting."""
    number, code = submit(client)
    appeal = answer_minister_appeal(ministry, Appeal.objects.get(number=number))
    client.post(TRACK, {"number": number, "code": code})
    client.post(STATUS, {"action": "rate", "rating": "2"})
    client.post(STATUS, {"action": "review", "reason": "Javob toʻliq emas"})
    rated = Event.objects.get(appeal=appeal, kind=EventKind.RATED)
    _wg(ministry).post(reverse("citizens:review_take", args=[rated.pk]))
    html = client.get(STATUS).content.decode()
    assert "The answer is being corrected; the new answer is due by" in html
    assert "The working group has not considered it yet" not in html


def test_a_review_reopens_the_lead_s_answer_not_a_co_executor_s_part_l_8_r_p2_5(ministry):
    """The lead's consolidated answer is what the author holds (R-P2-5); a co-executor's part,
    answered earlier and sorting first by role, stays done."""
    m = ministry
    deputy = _deputy(m)
    appeal, lead, co = _routed_with_co_executor(m)
    _answer(m.md2_executor, deputy, co, "CO part", ("medicines",))
    services.accept_answer(actor=m.md_executor, assignment=co)
    _answer(m.md_executor, deputy, lead, "LEAD", ("quality-of-care", "medicines"))
    services.accept_answer(actor=m.wg_member, assignment=lead)
    appeal.refresh_from_db()
    services.send_answer(actor=m.wg_member, appeal=appeal)
    review = services.request_review(appeal=appeal, reason="Dori-darmon masalasi hal boʻlmadi")
    services.take_review_into_work(actor=m.wg_member, review=review)
    lead.refresh_from_db()
    co.refresh_from_db()
    assert lead.state == AssignmentState.ACCEPTED and lead.due_days == services.REVIEW_DAYS
    assert co.state == AssignmentState.DONE
    taken = Event.objects.get(appeal=appeal, kind=EventKind.REVIEW_TAKEN)
    assert taken.assignment_id == lead.pk


def test_the_review_list_is_read_inside_the_reader_s_scope(ministry, asked):
    """R-P3-5: the list and the decision read review items through the scoped selector, so a
    staff role that may open the page but not the appeal (an administrator of another
    organisation) sees no item and gets the same 404 as for a missing one."""
    from murojaat.accounts.models import Role
    from tests.factories import make_user

    appeal, review = asked
    admin = make_user("org-admin", ministry.outsider.organisation, Role.ADMIN)
    staff = Client()
    staff.force_login(admin)
    page = staff.get(REVIEWS)
    assert page.status_code == 200 and appeal.number not in page.content.decode()
    assert staff.post(reverse("citizens:review_take", args=[review.pk])).status_code == 404
    assert appeal.number in _wg(ministry).get(REVIEWS).content.decode()


def test_a_review_decision_from_an_outdated_list_is_refused(ministry, asked):
    """The list carries the appeal's version like every other form (expected_version): a
    decision taken on a list rendered before the appeal changed does nothing and says why."""
    appeal, review = asked
    appeal.refresh_from_db()
    staff = _wg(ministry)
    assert f'name="version" value="{appeal.version}"' in staff.get(REVIEWS).content.decode()
    url = reverse("citizens:review_take", args=[review.pk])
    page = staff.post(url, {"comment": "", "version": appeal.version - 1}, follow=True)
    assert "changed by someone else" in page.content.decode()
    appeal.refresh_from_db()
    assert appeal.state == AppealState.CLOSED
    assert not Event.objects.filter(kind=EventKind.REVIEW_TAKEN).exists()
    staff.post(url, {"comment": "", "version": appeal.version})
    assert Event.objects.filter(kind=EventKind.REVIEW_TAKEN).count() == 1
