"""Builders for gateway tests: drive an API appeal through the ministry to an answer sent."""

from __future__ import annotations

from murojaat.appeals import services
from murojaat.appeals.models import Appeal, FeedbackForm, Outcome, Topic
from tests.appeals.helpers import PDF
from tests.factories import Ministry


def answer_and_send(m: Ministry, appeal: Appeal) -> Appeal:
    """Route to a regional directorate, answer with the author's feedback, sign, send (R-P2)."""
    (top,) = services.route_appeal(actor=m.wg_member, appeal=appeal, to_org=m.regional_a)
    services.accept_assignment(actor=m.regional_executor, assignment=top)
    services.draft_answer(
        actor=m.regional_executor,
        assignment=top,
        text="Murojaat oʻrganildi, navbat tartibga solindi.",
        feedback_form=FeedbackForm.THANKS,
        # L-9: an outcome for every issue the appeal raises (and the one the tests add).
        outcomes=[
            services.OutcomeInput(topic, Outcome.SATISFIED)
            for topic in {
                *appeal.topics.all(),
                Topic.objects.get(code="quality-of-care"),
            }
        ],
    )
    services.add_document(
        actor=m.regional_executor,
        appeal=appeal,
        assignment=top,
        kind="feedback",
        name="tashakkurnoma.pdf",
        content=PDF,
    )
    services.sign_answer(actor=m.regional_head, assignment=top)
    services.submit_answer(actor=m.regional_executor, assignment=top)
    services.accept_answer(actor=m.wg_member, assignment=top)
    appeal.refresh_from_db()
    services.send_answer(actor=m.wg_member, appeal=appeal)
    appeal.refresh_from_db()
    return appeal


def answer_minister_appeal(m: Ministry, appeal: Appeal, text: str = "Javob matni.") -> Appeal:
    """R-P3: a main directorate answers, a deputy minister signs; sending closes the appeal."""
    from murojaat.accounts.models import User
    from tests.factories import make_user

    (top,) = services.route_appeal(actor=m.wg_member, appeal=appeal, to_org=m.main_directorate)
    services.accept_assignment(actor=m.md_executor, assignment=top)
    services.draft_answer(
        actor=m.md_executor,
        assignment=top,
        text=text,
        # L-9: one outcome per issue, or one for the whole appeal when it names none.
        outcomes=[services.OutcomeInput(t, Outcome.SATISFIED) for t in appeal.topics.all()]
        or [services.OutcomeInput(None, Outcome.SATISFIED)],
    )
    deputy = User.objects.filter(username="deputy").first() or make_user(
        "deputy", m.ministry, "deputy_minister", position="Vazir oʻrinbosari"
    )
    services.sign_answer(actor=deputy, assignment=top)
    services.submit_answer(actor=m.md_executor, assignment=top)
    services.accept_answer(actor=m.wg_member, assignment=top)
    appeal.refresh_from_db()
    services.send_answer(actor=m.wg_member, appeal=appeal)
    appeal.refresh_from_db()
    return appeal
