"""Every kind of event tells the right people on the right channels, and no one else.

The story runs through the real services (a citizen's appeal through the Minister's Virtual
Reception, routed to a regional directorate, forwarded to a district association, extended,
answered, reworked, sent, reviewed); each step's rows are compared with the exact set of
(recipient, channel) expected. The outsider (another region's association) and the auditor
never appear: a notification never reaches an organisation that may not see the appeal (R-P3-5).
"""

from __future__ import annotations

from datetime import date, datetime

import pytest
import time_machine

from murojaat.accounts.models import Role, RoleGrant
from murojaat.appeals import services
from murojaat.appeals.models import Appeal, AssignmentState, Event, EventKind, Topic
from murojaat.appeals.selectors import appeals_visible_to
from murojaat.notifications.models import Channel, Kind, Notification, State
from tests.appeals.helpers import TASHKENT, answer_with_feedback, every_outcome
from tests.factories import Ministry, make_user

MONDAY = datetime(2026, 11, 16, 10, 0, tzinfo=TASHKENT)


def who(kind: str, appeal: Appeal | None = None) -> set[tuple[str, str]]:
    rows = Notification.objects.filter(kind=kind)
    if appeal is not None:
        rows = rows.filter(appeal=appeal)
    return {(n.user.username if n.user else n.address, n.channel) for n in rows}


def staff(*usernames: str, channels: tuple[str, ...] = (Channel.IN_APP,)) -> set[tuple[str, str]]:
    return {(u, c) for u in usernames for c in channels}


def register_public(**extra: object) -> tuple[Appeal, str]:
    fields = {
        "author_name": "Karimova Dilnoza",
        "author_phone": "+998 90 123-45-67",
        "author_email": "dilnoza@example.uz",
        "language": "ru",
        "text": "Poliklinikada shifokor qabul qilmadi.",
    }
    fields.update(extra)
    registration = services.register_appeal(
        actor=None,
        channel="minister_vr",
        received_at=MONDAY,
        with_tracking_code=True,
        topics=Topic.objects.filter(code="quality-of-care"),
        **fields,
    )
    return registration.appeal, registration.tracking_code or ""


@pytest.fixture
def m(ministry: Ministry) -> Ministry:
    # E-mail addresses on file: the e-mail channel opens for these people.
    for user in (ministry.regional_executor, ministry.association_head, ministry.wg_member):
        user.email = f"{user.username}@ssv.uz"
        user.save(update_fields=["email"])
    return ministry


def test_the_citizen_s_receipt_carries_number_link_and_code_on_both_contacts(m) -> None:
    appeal, code = register_public()
    rows = Notification.objects.filter(kind=Kind.RECEIPT, appeal=appeal)
    assert {(n.channel, n.address) for n in rows} == {
        (Channel.EMAIL, "dilnoza@example.uz"),
        (Channel.SMS, "+998 90 123-45-67"),
    }
    for n in rows:
        assert n.language == "ru" and n.state == State.PENDING
        assert appeal.number in n.body and code in n.body and "/citizens/track/" in n.body


def test_a_clerk_registered_appeal_without_a_tracking_code_sends_no_receipt(m) -> None:
    services.register_appeal(
        actor=m.wg_member, channel="hotline", text="Matn", author_phone="+998901112233"
    )
    assert not Notification.objects.filter(kind=Kind.RECEIPT).exists()


def test_routing_tells_the_responsible_officer_r_org_4_and_the_citizen_which_organisation(
    m,
) -> None:
    appeal, _code = register_public()
    services.route_appeal(actor=m.wg_member, appeal=appeal, to_org=m.regional_a)
    # rdexec holds the responsible role in the regional directorate; its head (rdhead) does not
    # get the assignment, nor does anyone in another organisation.
    assert who(Kind.ASSIGNED) == staff("rdexec", channels=(Channel.IN_APP, Channel.EMAIL))
    routed = Notification.objects.filter(kind=Kind.ROUTED, appeal=appeal)
    assert {n.channel for n in routed} == {Channel.EMAIL, Channel.SMS}
    assert all(m.regional_a.name in n.body for n in routed)


def test_an_organisation_without_a_responsible_officer_is_told_through_its_head(m) -> None:
    appeal, _code = register_public()
    (top,) = services.route_appeal(actor=m.wg_member, appeal=appeal, to_org=m.regional_a)
    services.accept_assignment(actor=m.regional_executor, assignment=top)
    Notification.objects.all().delete()
    child = services.forward_assignment(
        actor=m.regional_executor, assignment=top, to_org=m.association_a
    )
    assert who(Kind.ASSIGNED) == staff("ashead", channels=(Channel.IN_APP, Channel.EMAIL))
    assert {n.channel for n in Notification.objects.filter(kind=Kind.ROUTED)} == {
        Channel.EMAIL,
        Channel.SMS,
    }
    services.accept_assignment(actor=m.association_executor, assignment=child)
    services.set_executor(
        actor=m.association_head, assignment=child, executor=m.association_executor
    )
    # The named executor is told too (no e-mail on file: in the application only).
    assert ("asexec", Channel.IN_APP) in who(Kind.ASSIGNED)


def test_co_executors_are_told_but_the_citizen_hears_only_of_the_lead(m) -> None:
    appeal, _code = register_public()
    make_user("centreresp", m.centre, Role.RESPONSIBLE)
    services.route_appeal(
        actor=m.wg_member, appeal=appeal, to_org=m.regional_a, co_executors=[m.centre]
    )
    assert who(Kind.ASSIGNED) == staff("rdexec", channels=(Channel.IN_APP, Channel.EMAIL)) | staff(
        "centreresp"
    )
    assert Notification.objects.filter(kind=Kind.ROUTED).count() == 2  # e-mail and SMS, once


def _story_to_association_answer(m: Ministry) -> tuple[Appeal, object, object]:
    appeal, _code = register_public()
    (top,) = services.route_appeal(actor=m.wg_member, appeal=appeal, to_org=m.regional_a)
    services.accept_assignment(actor=m.regional_executor, assignment=top)
    child = services.forward_assignment(
        actor=m.regional_executor, assignment=top, to_org=m.association_a
    )
    services.accept_assignment(actor=m.association_executor, assignment=child)
    return appeal, top, child


def test_an_answer_drafted_waits_for_the_signer_and_a_part_arrives_at_the_sender(m) -> None:
    appeal, top, child = _story_to_association_answer(m)
    answer_with_feedback(m, child)
    assert who(Kind.SIGNATURE_NEEDED) == staff("ashead", channels=(Channel.IN_APP, Channel.EMAIL))
    services.sign_answer(actor=m.association_head, assignment=child)
    services.submit_answer(actor=m.association_executor, assignment=child)
    assert who(Kind.PART_ARRIVED) == staff("rdexec", channels=(Channel.IN_APP, Channel.EMAIL))


def test_a_main_directorate_s_answer_waits_for_the_deputy_minister_r_p2_9(m) -> None:
    deputy = make_user("deputy", m.ministry, Role.DEPUTY_MINISTER)
    appeal, _code = register_public()
    (top,) = services.route_appeal(actor=m.wg_member, appeal=appeal, to_org=m.main_directorate)
    services.accept_assignment(actor=m.md_executor, assignment=top)
    services.draft_answer(
        actor=m.md_executor,
        assignment=top,
        text="Javob",
        outcomes=[services.OutcomeInput(Topic.objects.get(code="quality-of-care"), "explained")],
    )
    assert who(Kind.SIGNATURE_NEEDED) == staff(deputy.username)  # not the directorate's head


def test_rework_extension_review_and_answer_reach_exactly_their_people(m) -> None:
    appeal, top, child = _story_to_association_answer(m)
    answer_with_feedback(m, child)
    services.sign_answer(actor=m.association_head, assignment=child)
    services.submit_answer(actor=m.association_executor, assignment=child)
    services.reject_answer(actor=m.regional_executor, assignment=child, reason="Dalil yoʻq")
    # The executor who accepted it, and (no responsible officer there) the association's head.
    assert who(Kind.ANSWER_REWORK) == staff("ashead", channels=(Channel.IN_APP, Channel.EMAIL)) | {
        ("asexec", Channel.IN_APP)
    }
    assert "Dalil yoʻq" in Notification.objects.filter(kind=Kind.ANSWER_REWORK).first().body

    request = services.request_extension(
        actor=m.regional_executor, assignment=top, days=5, reason="Ekspertiza kerak"
    )
    services.decide_extension(actor=m.wg_member, request=request, approve=True, comment="Sabab bor")
    assert who(Kind.EXTENSION_DECIDED) == staff("rdexec", channels=(Channel.IN_APP, Channel.EMAIL))
    appeal.refresh_from_db()
    extended = Notification.objects.filter(kind=Kind.DEADLINE_EXTENDED)
    assert {n.channel for n in extended} == {Channel.EMAIL, Channel.SMS}
    assert all(appeal.due_date.isoformat() in n.body and "Sabab bor" in n.body for n in extended)

    answer_with_feedback(m, child)
    services.sign_answer(actor=m.association_head, assignment=child)
    services.submit_answer(actor=m.association_executor, assignment=child)
    services.accept_answer(actor=m.regional_executor, assignment=child)
    services.draft_answer(
        actor=m.regional_executor,
        assignment=top,
        text="Murojaat oʻrganildi.",
        outcomes=[services.OutcomeInput(Topic.objects.get(code="quality-of-care"), "satisfied")],
    )
    services.sign_answer(actor=m.regional_head, assignment=top)
    services.submit_answer(actor=m.regional_executor, assignment=top)
    services.accept_answer(actor=m.wg_member, assignment=top)
    services.send_answer(actor=m.wg_member, appeal=appeal)
    ready = Notification.objects.filter(kind=Kind.ANSWER_READY)
    assert {(n.channel, n.address) for n in ready} == {
        (Channel.EMAIL, "dilnoza@example.uz"),
        (Channel.SMS, "+998 90 123-45-67"),
    }
    # Nothing confidential: the citizen's message does not carry the answer's text.
    assert all("oʻrganildi" not in n.body for n in ready)

    appeal.refresh_from_db()
    services.request_review(appeal=appeal, reason="Javob toʻliq emas")
    assert who(Kind.REVIEW_REQUESTED) == staff(
        "wgmember", channels=(Channel.IN_APP, Channel.EMAIL)
    ) | staff("wghead")
    review = Event.objects.get(kind=EventKind.REVIEW_REQUESTED)
    services.close_review(actor=m.wg_member, review=review, comment="Javob oʻz kuchida")
    reply = Notification.objects.filter(kind=Kind.REVIEW_REPLY)
    assert {n.channel for n in reply} == {Channel.EMAIL, Channel.SMS}

    # Nobody outside the chain, and nobody who may not read the appeal, was ever told.
    recipients = {n.user for n in Notification.objects.filter(user__isnull=False)}
    assert m.outsider not in recipients and m.auditor not in recipients
    for user in recipients:
        assert appeals_visible_to(user).filter(pk=appeal.pk).exists(), user


def test_a_source_s_rejection_tells_the_working_group_and_the_lead(m) -> None:
    from murojaat.gateway.models import ApiClient
    from tests.appeals.helpers import register

    client = ApiClient.objects.create(name="VR", key_id="vr", channel="president_vr")
    # The President's Virtual Reception: the source is an API client.
    appeal = register(source_client=client, external_id="VR-1")
    (top,) = services.route_appeal(actor=m.wg_member, appeal=appeal, to_org=m.regional_a)
    services.accept_assignment(actor=m.regional_executor, assignment=top)
    answer_with_feedback_top(m, top)
    services.send_answer(actor=m.wg_member, appeal=appeal)
    appeal.refresh_from_db()
    services.source_rejects_answer(appeal=appeal, reason="Toʻliq emas", as_source=True)
    assert who(Kind.SOURCE_REJECTED) == staff(
        "wgmember", "rdexec", channels=(Channel.IN_APP, Channel.EMAIL)
    ) | staff("wghead")
    # The Virtual Reception's author hears from the Reception, not from us.
    assert not Notification.objects.filter(user__isnull=True).exists()


def answer_with_feedback_top(m: Ministry, top) -> None:
    from murojaat.appeals.models import FeedbackForm
    from tests.appeals.helpers import PDF

    services.draft_answer(
        actor=m.regional_executor,
        assignment=top,
        text="Javob",
        feedback_form=FeedbackForm.THANKS,
        outcomes=every_outcome(top.appeal, "satisfied"),
    )
    services.add_document(
        actor=m.regional_executor,
        appeal=top.appeal,
        assignment=top,
        kind="feedback",
        name="t.pdf",
        content=PDF,
    )
    services.sign_answer(actor=m.regional_head, assignment=top)
    services.submit_answer(actor=m.regional_executor, assignment=top)
    services.accept_answer(actor=m.wg_member, assignment=top)


def test_a_missed_deadline_tells_the_executor_the_officer_and_the_head_once(m) -> None:
    appeal, _code = register_public()
    (top,) = services.route_appeal(actor=m.wg_member, appeal=appeal, to_org=m.regional_a)
    with time_machine.travel(datetime(2026, 11, 18, 9, 0, tzinfo=TASHKENT)):
        services.record_overdue(date(2026, 11, 18))  # not accepted by the 17th
        services.record_overdue(date(2026, 11, 18))  # the hourly sweep again: nothing new
    assert top.state == AssignmentState.SENT
    assert who(Kind.OVERDUE) == staff("rdexec", channels=(Channel.IN_APP, Channel.EMAIL)) | staff(
        "rdhead"
    )


def test_a_retried_event_write_never_duplicates_a_row(m) -> None:
    from murojaat.notifications.services import notify_event

    appeal, _code = register_public()
    services.route_appeal(actor=m.wg_member, appeal=appeal, to_org=m.regional_a)
    before = Notification.objects.count()
    for event in Event.objects.filter(appeal=appeal):
        notify_event(event)
    assert Notification.objects.count() == before


def test_a_responsible_officer_who_lost_access_is_not_told(m) -> None:
    """The selector decides: a recipient picked by role but outside the appeal's scope is
    dropped (an officer moved to another organisation keeps an old role grant)."""
    moved = make_user("moved", m.association_b, Role.EXECUTOR)
    RoleGrant.objects.filter(organisation=m.regional_a, role=Role.RESPONSIBLE).update(user=moved)
    appeal, _code = register_public()
    services.route_appeal(actor=m.wg_member, appeal=appeal, to_org=m.regional_a)
    assert who(Kind.ASSIGNED) == set()


def test_a_co_executor_s_part_arrives_at_the_lead_who_consolidates_r_p2_5(m) -> None:
    appeal, _code = register_public()
    lead, co = services.route_appeal(
        actor=m.wg_member, appeal=appeal, to_org=m.regional_a, co_executors=[m.centre]
    )
    services.accept_assignment(actor=m.regional_executor, assignment=lead)
    services.accept_assignment(actor=m.centre_executor, assignment=co)
    services.draft_answer(
        actor=m.centre_executor,
        assignment=co,
        text="Markaz xulosasi",
        outcomes=every_outcome(appeal, "explained"),
    )
    make_user("centrehead", m.centre, Role.HEAD)
    from murojaat.accounts.models import User

    services.sign_answer(actor=User.objects.get(username="centrehead"), assignment=co)
    services.submit_answer(actor=m.centre_executor, assignment=co)
    # The lead's officer and its executor hear; the working group that sent it does not.
    assert who(Kind.PART_ARRIVED) == staff("rdexec", channels=(Channel.IN_APP, Channel.EMAIL))
