"""Full stories through the services, one per procedure, and the order's guards on the way."""

from __future__ import annotations

from datetime import date, datetime

import pytest
import time_machine

from murojaat.appeals import services
from murojaat.appeals.models import (
    Answer,
    AnswerState,
    AppealState,
    AssignmentState,
    Event,
    EventKind,
    FeedbackForm,
    Outcome,
    Topic,
    Violation,
    ViolationKind,
    ViolationState,
)
from murojaat.appeals.selectors import appeals_visible_to
from murojaat.appeals.workflow import TransitionRefused
from murojaat.core.errors import Conflict, DomainError, PermissionDenied
from tests.appeals.helpers import (
    PDF,
    PNG,
    TASHKENT,
    answer_with_feedback,
    every_outcome,
    forwarded_to_association,
    register,
)
from tests.factories import Ministry

pytestmark = pytest.mark.django_db

MONDAY = datetime(2026, 11, 16, 10, 0, tzinfo=TASHKENT)
# From a Wednesday the 12th and the 13th day fall on different working days (R-P2-11).
WEDNESDAY = datetime(2026, 11, 18, 10, 0, tzinfo=TASHKENT)


def at(day: date, hour: int = 11):
    return time_machine.travel(
        datetime(day.year, day.month, day.day, hour, tzinfo=TASHKENT), tick=False
    )


def test_president_procedure_story_from_intake_to_closure_r_p2(ministry: Ministry) -> None:
    m = ministry
    with at(date(2026, 11, 18)):
        appeal = register(received=WEDNESDAY)
        assert appeal.number == "PV-2026-000001"
        assert appeal.state == AppealState.NEW
        # R-P2-11: 13 calendar days from Wed 18 Nov is Tue 1 Dec (12 would be Mon 30 Nov).
        assert appeal.due_date == date(2026, 12, 1)

        (top,) = services.route_appeal(actor=m.wg_member, appeal=appeal, to_org=m.regional_a)
        appeal.refresh_from_db()
        assert appeal.state == AppealState.IN_WORK
        assert top.due_date == date(2026, 12, 1)
        assert top.accept_due == date(2026, 11, 19)
        # R-P2-11: 5 days from 18 Nov is Monday 23 Nov (4 would be Sunday 22 -> Monday 23 too,
        # 6 would be Tuesday 24).
        assert top.return_due == date(2026, 11, 23)

    with at(date(2026, 11, 19)):
        services.accept_assignment(actor=m.regional_executor, assignment=top)
        child = services.forward_assignment(
            actor=m.regional_executor,
            assignment=top,
            to_org=m.association_a,
            instructions="Oʻrganing",
        )
        services.accept_assignment(actor=m.association_executor, assignment=child)
        answer_with_feedback(m, child)
        with pytest.raises(DomainError, match="signed by the head"):
            services.submit_answer(actor=m.association_executor, assignment=child)
        services.sign_answer(actor=m.association_head, assignment=child)
        services.submit_answer(actor=m.association_executor, assignment=child)
        services.accept_answer(actor=m.regional_executor, assignment=child)

        # R-P2-7: the regional directorate sends the answer letter with the documents up.
        services.draft_answer(
            actor=m.regional_executor,
            assignment=top,
            text="Murojaat oʻrganildi, chora koʻrildi.",
            outcomes=[
                services.OutcomeInput(Topic.objects.get(code="quality-of-care"), Outcome.SATISFIED)
            ],
        )
        services.sign_answer(actor=m.regional_head, assignment=top)
        services.submit_answer(actor=m.regional_executor, assignment=top)
        services.accept_answer(actor=m.wg_member, assignment=top)
        appeal.refresh_from_db()
        assert appeal.state == AppealState.ANSWER_READY

        services.send_answer(actor=m.wg_member, appeal=appeal)
        appeal.refresh_from_db()
        # R-P2-10: not closed until the Virtual Reception confirms.
        assert appeal.state == AppealState.SENT_TO_SOURCE
        services.acknowledge_closure(appeal=appeal, as_source=True)
        appeal.refresh_from_db()
        assert appeal.state == AppealState.CLOSED
        assert appeal.closed_at is not None

    kinds = list(Event.objects.filter(appeal=appeal).values_list("kind", flat=True))
    assert kinds[0] == EventKind.REGISTERED and kinds[-1] == EventKind.CLOSED
    assert EventKind.FORWARDED in kinds and EventKind.ANSWER_SIGNED in kinds
    # Every step was on time: no violation recorded (R-P2-13).
    assert not Violation.objects.filter(assignment__appeal=appeal).exists()


def test_minister_procedure_closes_when_the_answer_is_sent_r_p3_2(ministry: Ministry) -> None:
    m = ministry
    with at(date(2026, 11, 16)):
        appeal = register("minister_vr", received=MONDAY)
        assert appeal.number.startswith("VV-2026-")
        (top,) = services.route_appeal(actor=m.wg_member, appeal=appeal, to_org=m.main_directorate)
        services.accept_assignment(actor=m.md_executor, assignment=top)
        services.draft_answer(actor=m.md_executor, assignment=top, text="Javob.")
        from tests.factories import make_user

        deputy = make_user("deputy", m.ministry, "deputy_minister", position="Vazir oʻrinbosari")
        # L-9: an answer without an outcome for the issue raised is not signed.
        with pytest.raises(DomainError) as err:
            services.sign_answer(actor=deputy, assignment=top)
        assert err.value.code == "outcomes_missing"
        services.draft_answer(
            actor=m.md_executor,
            assignment=top,
            text="Javob.",
            outcomes=[
                services.OutcomeInput(Topic.objects.get(code="quality-of-care"), Outcome.EXPLAINED)
            ],
        )
        # R-P2-9: a main directorate's answer is signed by a deputy minister, not its own head.
        with pytest.raises(PermissionDenied):
            services.sign_answer(actor=m.md_head, assignment=top)
        services.sign_answer(actor=deputy, assignment=top)
        services.submit_answer(actor=m.md_executor, assignment=top)
        services.accept_answer(actor=m.wg_member, assignment=top)
        services.send_answer(actor=m.wg_member, appeal=appeal)
        appeal.refresh_from_db()
        assert appeal.state == AppealState.CLOSED
        assert services.final_answer(appeal).outcomes.get().outcome == Outcome.EXPLAINED


def test_president_procedure_requires_the_author_s_feedback_r_p2_8(ministry: Ministry) -> None:
    m = ministry
    appeal = register()
    (top,) = services.route_appeal(actor=m.wg_member, appeal=appeal, to_org=m.regional_a)
    services.accept_assignment(actor=m.regional_executor, assignment=top)
    services.draft_answer(
        actor=m.regional_executor, assignment=top, text="Javob.", outcomes=every_outcome(appeal)
    )
    # Caught before the head signs (issue 10, item 13), by the predicate the sending asks too.
    with pytest.raises(DomainError) as err:
        services.sign_answer(actor=m.regional_head, assignment=top)
    assert err.value.code == "feedback_missing"
    assert Answer.objects.get(assignment=top).state == AnswerState.DRAFT


def test_an_explanatory_letter_is_not_accepted_as_feedback_r_p2_8(ministry: Ministry) -> None:
    m = ministry
    appeal = register()
    (top,) = services.route_appeal(actor=m.wg_member, appeal=appeal, to_org=m.regional_a)
    services.accept_assignment(actor=m.regional_executor, assignment=top)
    with pytest.raises(DomainError, match="explanatory letter is not accepted"):
        services.draft_answer(
            actor=m.regional_executor,
            assignment=top,
            text="Javob.",
            feedback_form="explanatory_letter",
        )


def test_a_refusal_act_stands_in_for_feedback_r_p2_8(ministry: Ministry) -> None:
    m = ministry
    _top, child = forwarded_to_association(m, register())
    answer_with_feedback(m, child, form=FeedbackForm.REFUSAL_ACT)
    services.sign_answer(actor=m.association_head, assignment=child)
    services.submit_answer(actor=m.association_executor, assignment=child)
    child.refresh_from_db()
    assert child.state == AssignmentState.ANSWERED


def test_returned_appeal_goes_back_to_the_working_group_and_is_rerouted_r_p2_3(
    ministry: Ministry,
) -> None:
    m = ministry
    appeal = register()
    (top,) = services.route_appeal(actor=m.wg_member, appeal=appeal, to_org=m.regional_b)
    # outsider belongs to an association, not the regional directorate: not the receiver.
    with pytest.raises(PermissionDenied):
        services.return_assignment(actor=m.outsider, assignment=top, reason="Bizga tegishli emas")
    from tests.factories import make_user

    rd_b_exec = make_user("rdbexec", m.regional_b, "executor")
    with pytest.raises(DomainError, match="justification"):
        services.return_assignment(actor=rd_b_exec, assignment=top, reason=" ")
    services.return_assignment(actor=rd_b_exec, assignment=top, reason="Toshkent viloyatiga oid")
    appeal.refresh_from_db()
    assert appeal.state == AppealState.NEW
    (second,) = services.route_appeal(actor=m.wg_member, appeal=appeal, to_org=m.regional_a)
    appeal.refresh_from_db()
    assert appeal.state == AppealState.IN_WORK
    assert second.org == m.regional_a


def test_returning_after_five_days_is_refused_r_p2_11(ministry: Ministry) -> None:
    m = ministry
    with at(date(2026, 11, 18)):
        appeal = register()
        (top,) = services.route_appeal(actor=m.wg_member, appeal=appeal, to_org=m.regional_a)
        assert top.return_due == date(2026, 11, 23)  # 5 days from Wednesday 18 Nov
    with at(date(2026, 11, 25)):
        with pytest.raises(DomainError) as err:
            services.return_assignment(
                actor=m.regional_executor, assignment=top, reason="Bizniki emas"
            )
        assert err.value.code == "return_period_over"


def test_late_acceptance_and_late_answer_are_recorded_and_explained_r_p2_11_r_p2_13(
    ministry: Ministry,
) -> None:
    m = ministry
    with at(date(2026, 11, 18)):
        appeal = register()
        (top,) = services.route_appeal(actor=m.wg_member, appeal=appeal, to_org=m.centre)
    with at(date(2026, 11, 20)):  # due by Thursday 19 Nov
        services.accept_assignment(actor=m.centre_executor, assignment=top)
    v = top.violations.get()
    assert v.kind == ViolationKind.LATE_ACCEPTANCE
    with pytest.raises(DomainError, match="only after the executor explains"):
        services.decide_violation(actor=m.wg_member, violation=v, excuse=True)
    services.explain_delay(actor=m.centre_executor, violation=v, text="Tizimda uzilish boʻldi")
    with pytest.raises(DomainError, match="supporting documents"):
        services.decide_violation(actor=m.wg_member, violation=v, excuse=True)
    services.add_document(
        actor=m.centre_executor,
        appeal=appeal,
        assignment=top,
        kind="supporting",
        name="akt.pdf",
        content=PDF,
    )
    services.decide_violation(actor=m.wg_member, violation=v, excuse=True)
    v.refresh_from_db()
    assert v.state == ViolationState.EXCUSED

    with at(date(2026, 12, 1)):  # the 13th day (Tuesday 1 Dec): still on time
        assert services.record_overdue() == 0
    with at(date(2026, 12, 2)):
        assert services.record_overdue() == 1
        late = top.violations.get(kind=ViolationKind.LATE_ANSWER)
        services.decide_violation(actor=m.wg_member, violation=late, excuse=False)
        late.refresh_from_db()
        assert late.state == ViolationState.CONFIRMED


def test_extension_once_up_to_thirteen_days_moves_the_chain_r_p2_11(ministry: Ministry) -> None:
    m = ministry
    with at(date(2026, 11, 18)):
        appeal = register()
        top, child = forwarded_to_association(m, appeal)
        assert child.due_date == date(2026, 12, 1)  # 13 days from Wednesday 18 Nov
        with pytest.raises(DomainError, match="from 1 to 13"):
            services.request_extension(
                actor=m.association_executor, assignment=child, days=14, reason="Ekspertiza kerak"
            )
        request = services.request_extension(
            actor=m.association_executor, assignment=child, days=13, reason="Ekspertiza kerak"
        )
        with pytest.raises(PermissionDenied):
            services.decide_extension(actor=m.regional_executor, request=request, approve=True)
        services.decide_extension(actor=m.wg_member, request=request, approve=True)
        child.refresh_from_db()
        top.refresh_from_db()
        appeal.refresh_from_db()
        # 1 Dec + 13 = Monday 14 Dec.
        assert child.due_date == date(2026, 12, 14)
        assert top.due_date >= child.due_date
        assert appeal.due_date >= child.due_date
        with pytest.raises(DomainError, match="only 1 time"):
            services.request_extension(
                actor=m.association_executor, assignment=child, days=3, reason="Yana"
            )


def test_co_executors_must_finish_before_the_lead_submits_r_p2_5(ministry: Ministry) -> None:
    m = ministry
    appeal = register("minister_vr", topics=("quality-of-care", "medicines"))
    (top,) = services.route_appeal(actor=m.wg_member, appeal=appeal, to_org=m.main_directorate)
    services.accept_assignment(actor=m.md_executor, assignment=top)
    with pytest.raises(DomainError, match="same stage"):
        services.involve_co_executors(actor=m.md_executor, assignment=top, orgs=[m.regional_a])
    (co,) = services.involve_co_executors(
        actor=m.md_executor, assignment=top, orgs=[m.main_directorate_2]
    )
    services.draft_answer(
        actor=m.md_executor, assignment=top, text="Yigʻma javob", outcomes=every_outcome(appeal)
    )
    from tests.factories import make_user

    deputy = make_user("deputy2", m.ministry, "deputy_minister")
    services.sign_answer(actor=deputy, assignment=top)
    with pytest.raises(DomainError) as err:
        services.submit_answer(actor=m.md_executor, assignment=top)
    assert err.value.code == "children_open"
    services.accept_assignment(actor=m.md2_executor, assignment=co)
    services.draft_answer(
        actor=m.md2_executor,
        assignment=co,
        text="Dori masalasi boʻyicha",
        outcomes=every_outcome(appeal),
    )
    services.sign_answer(actor=deputy, assignment=co)
    services.submit_answer(actor=m.md2_executor, assignment=co)
    services.accept_answer(actor=m.md_executor, assignment=co)
    top.refresh_from_db()
    services.submit_answer(actor=m.md_executor, assignment=top)


def test_a_stale_form_gets_changed_by_someone_else(ministry: Ministry) -> None:
    m = ministry
    appeal = register()
    (top,) = services.route_appeal(actor=m.wg_member, appeal=appeal, to_org=m.regional_a)
    seen = top.version
    services.accept_assignment(actor=m.regional_executor, assignment=top, expected_version=seen)
    with pytest.raises(Conflict, match="changed by someone else"):
        services.return_assignment(
            actor=m.regional_executor, assignment=top, reason="x", expected_version=seen
        )


def test_registration_is_idempotent_on_the_source_id(ministry: Ministry) -> None:
    first = register(external_id="VR-778899")
    second = register(external_id="VR-778899")
    assert first.pk == second.pk
    other_channel = register("minister_vr", external_id="VR-778899")
    assert other_channel.pk != first.pk


def test_numbers_are_unique_per_channel_and_restart_each_year(ministry: Ministry) -> None:
    # The last working hours of 2026 (31 December is a transferred day off: an appeal received
    # then is registered in 2027, L-2, see test_registration_time.py).
    a = register(received=datetime(2026, 12, 30, 17, 0, tzinfo=TASHKENT))
    b = register(received=datetime(2027, 1, 1, 9, 0, tzinfo=TASHKENT))
    c = register("hotline")
    assert (a.number, b.number, c.number) == ("PV-2026-000001", "PV-2027-000001", "IT-2026-000001")


def test_anonymous_appeal_is_registered_then_left_without_consideration_l_2_l_5(
    ministry: Ministry,
) -> None:
    appeal = register(author_name="", author_address="", author_phone="")
    assert appeal.is_anonymous
    with pytest.raises(DomainError, match="legal ground"):
        services.leave_without_consideration(actor=ministry.wg_member, appeal=appeal, ground="")
    services.leave_without_consideration(
        actor=ministry.wg_member, appeal=appeal, ground="ZRU-445, 29-modda: anonim murojaat"
    )
    appeal.refresh_from_db()
    assert appeal.state == AppealState.LEFT_WITHOUT_CONSIDERATION


def test_a_repeated_appeal_points_to_the_earlier_one_and_a_duplicate_merges_l_6(
    ministry: Ministry,
) -> None:
    original = register()
    repeat = register(text="Yana oʻsha masala")
    assert repeat.repeat_of == original
    services.merge_duplicate(actor=ministry.wg_member, appeal=repeat, into=original)
    repeat.refresh_from_db()
    assert repeat.state == AppealState.MERGED and repeat.duplicate_of == original
    assert Event.objects.filter(appeal=original, kind=EventKind.DUPLICATE_RECEIVED).exists()


def test_withdrawal_terminates_and_recalls_open_assignments_l_7(ministry: Ministry) -> None:
    m = ministry
    appeal = register()
    (top,) = services.route_appeal(actor=m.wg_member, appeal=appeal, to_org=m.regional_a)
    services.terminate_appeal(
        actor=m.wg_member,
        appeal=appeal,
        ground="withdrawn",
        comment="Muallif arizani qaytarib oldi",
    )
    top.refresh_from_db()
    appeal.refresh_from_db()
    assert appeal.state == AppealState.TERMINATED and top.state == AssignmentState.CANCELLED
    with pytest.raises(TransitionRefused):
        services.route_appeal(actor=m.wg_member, appeal=appeal, to_org=m.regional_a)


def test_working_group_routes_only_to_stage_two_and_three(ministry: Ministry) -> None:
    appeal = register()
    with pytest.raises(DomainError) as err:
        services.route_appeal(
            actor=ministry.wg_member, appeal=appeal, to_org=ministry.association_a
        )
    assert err.value.code == "not_routable"
    with pytest.raises(PermissionDenied):
        services.route_appeal(
            actor=ministry.regional_executor, appeal=appeal, to_org=ministry.regional_a
        )


def test_confidentiality_selector_scopes_by_organisation_r_p3_5(ministry: Ministry) -> None:
    m = ministry
    appeal = register()
    (top,) = services.route_appeal(actor=m.wg_member, appeal=appeal, to_org=m.regional_a)
    services.accept_assignment(actor=m.regional_executor, assignment=top)
    services.forward_assignment(actor=m.regional_executor, assignment=top, to_org=m.association_a)
    visible = lambda user: set(appeals_visible_to(user).values_list("pk", flat=True))  # noqa: E731
    assert appeal.pk in visible(m.wg_member)
    assert appeal.pk in visible(m.auditor)
    assert appeal.pk in visible(m.regional_head)
    assert appeal.pk in visible(m.association_executor)
    assert appeal.pk not in visible(m.outsider)
    assert appeal.pk not in visible(m.md_executor)
    assert appeal.pk not in visible(m.centre_executor)


def test_a_reference_asked_in_word_must_come_as_docx_r_p2_12(ministry: Ministry) -> None:
    from tests.appeals.helpers import docx_bytes

    m = ministry
    appeal = register("minister_vr")
    (top,) = services.route_appeal(actor=m.wg_member, appeal=appeal, to_org=m.regional_a)
    services.accept_assignment(actor=m.regional_executor, assignment=top)
    child = services.forward_assignment(
        actor=m.regional_executor, assignment=top, to_org=m.association_a, ask_word_reference=True
    )
    services.accept_assignment(actor=m.association_executor, assignment=child)
    services.draft_answer(
        actor=m.association_executor,
        assignment=child,
        text="Maʼlumotnoma",
        outcomes=every_outcome(appeal),
    )
    services.sign_answer(actor=m.association_head, assignment=child)
    services.add_document(
        actor=m.association_executor,
        appeal=appeal,
        assignment=child,
        kind="reference",
        name="malumotnoma.pdf",
        content=PDF,
    )
    with pytest.raises(DomainError) as err:
        services.submit_answer(actor=m.association_executor, assignment=child)
    assert err.value.code == "word_reference_missing"
    services.add_document(
        actor=m.association_executor,
        appeal=appeal,
        assignment=child,
        kind="reference",
        name="malumotnoma.docx",
        content=docx_bytes(),
    )
    services.submit_answer(actor=m.association_executor, assignment=child)
    child.refresh_from_db()
    assert child.state == AssignmentState.ANSWERED


def test_uploads_are_checked_by_content_not_by_name(ministry: Ministry) -> None:
    appeal = register()
    with pytest.raises(DomainError, match="checked by its content") as err:
        services.add_document(
            actor=ministry.wg_member,
            appeal=appeal,
            kind="attachment",
            name="scan.pdf",
            content=b"MZ\x90\x00 not really a pdf",
        )
    assert err.value.code == "file_type_not_allowed"
    with pytest.raises(DomainError, match="empty"):
        services.add_document(
            actor=ministry.wg_member, appeal=appeal, kind="attachment", name="scan.pdf", content=b""
        )
    doc = services.add_document(
        actor=ministry.wg_member,
        appeal=appeal,
        kind="attachment",
        name="../../etc/passwd.png",
        content=PNG,
    )
    assert doc.content_type == "image/png" and doc.original_name == "passwd.png"
    assert "etc" not in doc.file.name


def test_an_extension_of_an_ended_assignment_cannot_be_approved_and_is_dropped(
    ministry: Ministry,
) -> None:
    m = ministry
    appeal = register()
    (top,) = services.route_appeal(actor=m.wg_member, appeal=appeal, to_org=m.regional_a)
    services.accept_assignment(actor=m.regional_executor, assignment=top)
    request = services.request_extension(
        actor=m.regional_executor, assignment=top, days=5, reason="Ekspertiza"
    )
    services.recall_assignment(actor=m.wg_member, assignment=top, reason="Boshqa ijrochiga")
    request.refresh_from_db()
    assert request.state == "refused"
    appeal.refresh_from_db()
    due_before = appeal.due_date
    with pytest.raises(Conflict):
        services.decide_extension(actor=m.wg_member, request=request, approve=True)
    appeal.refresh_from_db()
    assert appeal.due_date == due_before


def test_a_late_answer_can_be_excused_with_documents_added_after_submission_r_p2_11(
    ministry: Ministry,
) -> None:
    m = ministry
    with at(date(2026, 11, 18)):
        appeal = register("minister_vr")
        (top,) = services.route_appeal(actor=m.wg_member, appeal=appeal, to_org=m.centre)
        services.accept_assignment(actor=m.centre_executor, assignment=top)
    with at(date(2026, 12, 3)):  # due Tuesday 1 Dec
        services.draft_answer(
            actor=m.centre_executor, assignment=top, text="Javob", outcomes=every_outcome(appeal)
        )
        from tests.factories import make_user

        head = make_user("centrehead", m.centre, "head")
        services.sign_answer(actor=head, assignment=top)
        services.submit_answer(actor=m.centre_executor, assignment=top)
        late = top.violations.get(kind=ViolationKind.LATE_ANSWER)
        with pytest.raises(DomainError) as err:
            services.add_document(
                actor=m.centre_executor,
                appeal=appeal,
                assignment=top,
                kind="scan",
                name="x.pdf",
                content=PDF,
            )
        assert err.value.code == "answer_submitted"
        services.add_document(
            actor=m.centre_executor,
            appeal=appeal,
            assignment=top,
            kind="supporting",
            name="kasallik-varaqasi.pdf",
            content=PDF,
        )
        services.explain_delay(actor=m.centre_executor, violation=late, text="Ijrochi kasal edi")
        services.decide_violation(actor=m.wg_member, violation=late, excuse=True)
        late.refresh_from_db()
        assert late.state == ViolationState.EXCUSED


def test_a_stale_assignment_object_cannot_add_a_document_to_a_submitted_answer(
    ministry: Ministry,
) -> None:
    m = ministry
    appeal = register("minister_vr")
    (top,) = services.route_appeal(actor=m.wg_member, appeal=appeal, to_org=m.main_directorate)
    stale = services.accept_assignment(actor=m.md_executor, assignment=top)
    services.draft_answer(
        actor=m.md_executor, assignment=top, text="Javob", outcomes=every_outcome(appeal)
    )
    from tests.factories import make_user

    deputy = make_user("deputy3", m.ministry, "deputy_minister")
    services.sign_answer(actor=deputy, assignment=top)
    services.submit_answer(actor=m.md_executor, assignment=top)
    assert stale.state == AssignmentState.ACCEPTED  # the caller's copy is out of date
    with pytest.raises(DomainError):
        services.add_document(
            actor=m.md_executor,
            appeal=appeal,
            assignment=stale,
            kind="scan",
            name="x.pdf",
            content=PDF,
        )


def test_a_returned_lead_is_replaced_while_co_executors_keep_working_r_p2_5(
    ministry: Ministry,
) -> None:
    m = ministry
    appeal = register(topics=("quality-of-care", "medicines"))
    lead, co = services.route_appeal(
        actor=m.wg_member,
        appeal=appeal,
        to_org=m.main_directorate,
        co_executors=[m.main_directorate_2],
    )
    with pytest.raises(DomainError) as err:
        services.route_appeal(actor=m.wg_member, appeal=appeal, to_org=m.centre)
    assert err.value.code == "lead_in_work"
    services.return_assignment(actor=m.md_executor, assignment=lead, reason="Bizniki emas")
    appeal.refresh_from_db()
    assert appeal.state == AppealState.IN_WORK  # the co-executor still works
    (new_lead,) = services.route_appeal(actor=m.wg_member, appeal=appeal, to_org=m.centre)
    assert new_lead.role == "executor"


def test_the_minister_s_procedure_still_sends_the_answer_to_a_source_system_r_p3_2(
    ministry: Ministry,
) -> None:
    from murojaat.appeals.signals import source_notification
    from murojaat.gateway.models import ApiClient

    m = ministry
    client = ApiClient.objects.create(name="VV", key_id="vv", channel="minister_vr")
    seen = []

    def receiver(**kwargs):
        seen.append(kwargs["kind"])

    source_notification.connect(receiver, weak=False, dispatch_uid="test-r-p3-2")
    try:
        appeal = register("minister_vr", source_client=client, external_id="VV-1")
        (top,) = services.route_appeal(actor=m.wg_member, appeal=appeal, to_org=m.centre)
        services.accept_assignment(actor=m.centre_executor, assignment=top)
        services.draft_answer(
            actor=m.centre_executor, assignment=top, text="Javob", outcomes=every_outcome(appeal)
        )
        from tests.factories import make_user

        services.sign_answer(actor=make_user("chead", m.centre, "head"), assignment=top)
        services.submit_answer(actor=m.centre_executor, assignment=top)
        services.accept_answer(actor=m.wg_member, assignment=top)
        services.send_answer(actor=m.wg_member, appeal=appeal)
    finally:
        source_notification.disconnect(dispatch_uid="test-r-p3-2")
    appeal.refresh_from_db()
    assert appeal.state == AppealState.CLOSED
    assert "answer" in seen


def test_the_answer_letter_dates_the_appeal_in_tashkent_time(ministry: Ministry) -> None:
    import io

    from docx import Document as Docx

    from murojaat.appeals.documents import answer_letter_docx

    m = ministry
    # 16 Nov 02:00 in Tashkent is still 15 Nov in UTC.
    appeal = register("minister_vr", received=datetime(2026, 11, 16, 2, 0, tzinfo=TASHKENT))
    (top,) = services.route_appeal(actor=m.wg_member, appeal=appeal, to_org=m.centre)
    services.accept_assignment(actor=m.centre_executor, assignment=top)
    answer = services.draft_answer(
        actor=m.centre_executor, assignment=top, text="Javob", outcomes=every_outcome(appeal)
    )
    text = "\n".join(p.text for p in Docx(io.BytesIO(answer_letter_docx(answer))).paragraphs)
    assert "16.11.2026" in text
