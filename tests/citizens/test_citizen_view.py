"""The citizen's tracking page explains itself (issue 13, L-8: the right to know the status) and
shows nothing confidential (R-P3-5, L-10): who holds the appeal, its history in plain words, the
due date and its rule, the signed letter once sent, a labelled rating."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils.formats import date_format

from murojaat.appeals import services
from murojaat.appeals.models import Appeal, AppealState, EventKind
from murojaat.appeals.selectors.citizen import HIDDEN_FROM_AUTHOR, SHOWN_TO_AUTHOR, author_history
from murojaat.citizens import wording
from tests.citizens.test_public import STATUS, TRACK, submit
from tests.gateway.helpers import answer_minister_appeal

pytestmark = pytest.mark.django_db

LETTER = "/citizens/track/letter.pdf"
SECRET_INSTRUCTIONS = "ICHKI-KOʻRSATMA: bosh shifokor bilan kelishilsin"
SECRET_EXTENSION_REASON = "IJROCHI-SABABI: ekspertiza xulosasi kutilmoqda"
SECRET_RETURN_REASON = "QAYTARISH-SABABI: vakolatimizga kirmaydi"
SECRET_COMMENT = "ICHKI-IZOH: muallif oldin ham yozgan"
APPROVAL_FOR_AUTHOR = "Qoʻshimcha tibbiy ekspertiza oʻtkaziladi"


def test_every_event_kind_is_either_shown_to_the_author_or_hidden_r_p3_5():
    """A new kind of event stays hidden until someone decides the author may read it."""
    assert SHOWN_TO_AUTHOR.isdisjoint(HIDDEN_FROM_AUTHOR)
    assert set(EventKind) == SHOWN_TO_AUTHOR | HIDDEN_FROM_AUTHOR


def test_every_state_has_a_citizen_label_and_none_is_office_language():
    assert set(wording.STATE_LABELS) == set(AppealState)
    labels = {str(label) for label in wording.STATE_LABELS.values()}
    assert "Closed (removed from control)" not in labels and "Awaiting routing" not in labels
    # Every history step an author can see has words.
    for kind in SHOWN_TO_AUTHOR:
        assert kind in wording._STEPS, kind


def _track(client: Client) -> Appeal:
    number, code = submit(client)
    assert client.post(TRACK, {"number": number, "code": code}).status_code == 302
    return Appeal.objects.get(number=number)


def test_the_page_says_who_holds_the_appeal_and_what_happened_without_internal_content_l_8(
    client, ministry
):
    """Returned by one body, routed to another, forwarded down with instructions, an executor
    named, an extension asked with the executor's reasons and approved with a comment for the
    author, an internal comment: the author reads where it is and the new date with the
    approval's reason, and none of the names, instructions, reasons or comments."""
    m = ministry
    appeal = _track(client)
    (first,) = services.route_appeal(
        actor=m.wg_member,
        appeal=appeal,
        to_org=m.main_directorate,
        instructions=SECRET_INSTRUCTIONS,
    )
    services.return_assignment(actor=m.md_executor, assignment=first, reason=SECRET_RETURN_REASON)
    appeal.refresh_from_db()
    top, _co = services.route_appeal(
        actor=m.wg_member,
        appeal=appeal,
        to_org=m.regional_a,
        co_executors=[m.main_directorate_2],
        instructions=SECRET_INSTRUCTIONS,
    )
    services.accept_assignment(actor=m.regional_executor, assignment=top)
    child = services.forward_assignment(
        actor=m.regional_executor,
        assignment=top,
        to_org=m.association_a,
        instructions=SECRET_INSTRUCTIONS,
    )
    services.accept_assignment(actor=m.association_executor, assignment=child)
    services.set_executor(
        actor=m.association_head, assignment=child, executor=m.association_executor
    )
    top.refresh_from_db()
    request = services.request_extension(
        actor=m.regional_executor, assignment=top, days=5, reason=SECRET_EXTENSION_REASON
    )
    services.decide_extension(
        actor=m.wg_member, request=request, approve=True, comment=APPROVAL_FOR_AUTHOR
    )
    from murojaat.appeals.services._common import _event

    _event(appeal, EventKind.COMMENT, m.wg_member, comment=SECRET_COMMENT)
    appeal.refresh_from_db()

    html = client.get(STATUS).content.decode()

    # Where it is: the furthest hop of the lead chain, with the co-executor helping.
    holder = html.split('id="appeal-holder">')[1].split("</dd>")[0]
    assert m.association_a.name in holder and m.main_directorate_2.name in holder
    # The history in plain words, oldest first.
    history = html.split('id="appeal-history">')[1].split("</ol>")[0]
    steps = [
        "Your appeal was registered.",
        f"Sent to {m.main_directorate.name} to consider and answer.",
        f"{m.main_directorate.name} found that the question is for another organisation",
        f"Sent to {m.regional_a.name} to consider and answer.",
        f"{m.main_directorate_2.name} was asked to help prepare the answer.",
        f"Passed on to {m.association_a.name}, which deals with it directly.",
        "The deadline was extended to "
        + date_format(appeal.due_date, "DATE_FORMAT")
        + f". Reason: {APPROVAL_FOR_AUTHOR}",
    ]
    positions = [history.index(step.replace("'", "&#x27;")) for step in steps]
    assert positions == sorted(positions)
    # The due date and its rule (R-P3-2: 13 days from registration, plus the extension).
    assert date_format(appeal.due_date, "DATE_FORMAT") in html.split('id="appeal-due">')[1]
    reason = html.split('id="appeal-due-reason">')[1].split("</div>")[0]
    assert "13 calendar days" in reason
    assert date_format(appeal.due_start, "DATE_FORMAT") in reason
    assert "Extended by 5 days." in reason
    # Nothing internal: instructions, reasons, comments, staff names, office labels.
    for secret in (
        SECRET_INSTRUCTIONS,
        SECRET_EXTENSION_REASON,
        SECRET_RETURN_REASON,
        SECRET_COMMENT,
        m.association_executor.get_full_name(),
        m.regional_executor.get_full_name(),
        m.wg_member.get_full_name(),
        "Executor assigned",
        "Extension requested",
        "In work",
    ):
        assert secret not in html, secret
    assert "Being considered" in html


def test_a_duplicate_s_original_and_its_author_are_never_named_to_the_other_author(
    client, ministry
):
    """L-6: a duplicate joins another appeal, possibly another person's: the author reads that
    it was joined, not the other appeal's number."""
    m = ministry
    original = services.register_appeal(
        actor=m.wg_member,
        channel="hotline",
        author_name="Boshqa Odam",
        author_phone="+998935550000",
        text="Shu masala boʻyicha boshqa muallifning murojaati.",
    ).appeal
    appeal = _track(client)
    services.merge_duplicate(actor=m.wg_member, appeal=appeal, into=original)
    html = client.get(STATUS).content.decode()
    assert "Joined with another appeal on the same question" in html
    assert original.number not in html and "Boshqa Odam" not in html


def test_the_signed_letter_is_downloadable_only_once_the_answer_was_sent_r_p2_9(client, ministry):
    appeal = _track(client)
    assert client.get(LETTER).status_code == 404
    html = client.get(STATUS).content.decode()
    assert 'id="answer-letter"' not in html
    answer_minister_appeal(ministry, appeal, text="Javob xati matni.")
    html = client.get(STATUS).content.decode()
    assert 'id="answer-letter"' in html
    got = client.get(LETTER)
    assert got.status_code == 200 and got["Content-Type"] == "application/pdf"
    assert got.content.startswith(b"%PDF") and got["Cache-Control"] == "private, no-store"
    # A stranger without the tracking session gets nothing.
    assert Client().get(LETTER).status_code == 404


def test_the_rating_choices_are_labelled_and_the_given_rating_reads_in_words(client, ministry):
    appeal = _track(client)
    answer_minister_appeal(ministry, appeal)
    html = client.get(STATUS).content.decode()
    for label in ("5: fully satisfied", "3: partly satisfied", "1: not satisfied at all"):
        assert label in html
    client.post(STATUS, {"action": "rate", "rating": "4"})
    html = client.get(STATUS).content.decode()
    assert "Your rating: <strong>4: satisfied</strong>" in html
    assert "You rated the answer: 4: satisfied." in html


def test_history_reads_the_steps_in_order_for_a_finished_appeal(ministry):
    """The selector alone: an answered appeal's steps, and none of the office's own."""
    m = ministry
    registration = services.register_appeal(
        actor=None,
        channel="minister_vr",
        author_name="Yusupova Malika",
        author_phone="+998901234567",
        text="Tugʻruqxonada navbat uzun, shifokorlar yetishmaydi.",
        with_tracking_code=True,
    )
    appeal = answer_minister_appeal(m, registration.appeal)
    kinds = [s.kind for s in author_history(appeal)]
    assert kinds == [
        EventKind.REGISTERED,
        EventKind.ROUTED,
        EventKind.ANSWER_SENT,
        EventKind.CLOSED,
    ]
