"""Demo appeals for `make run`: a ministry's ordinary week, in every state worth seeing.

Called by `manage.py load_demo`. Idempotent: the demo appeals carry source ids "DEMO-n", so a
second run finds them registered and changes nothing.
"""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from murojaat.accounts.models import User
from murojaat.orgs.models import Organisation

from . import services
from .documents import answer_letter_docx
from .models import Answer, Appeal, FeedbackForm, Outcome, Topic

TEXTS = [
    (
        "Karimova Dilnoza Akmalovna",
        "Zangiota tumani, Eshonguzar MFY",
        "+998901112233",
        "Oilaviy poliklinikada shifokor qabul qilmadi, navbat uch kunga choʻzildi. "
        "Iltimos, chora koʻrishingizni soʻrayman.",
        ("quality-of-care",),
        "1727",
        "1727237",
    ),
    (
        "Rasulov Botir",
        "Parkent tumani, Qorasuv MFY",
        "+998907778899",
        "Tuman shifoxonasida insulin yetishmayapti, dorixonada ham yoʻq.",
        ("medicines",),
        "1727",
        "1727249",
    ),
    (
        "Юлдашева Мохира",
        "Ургут тумани, Гулистон МФЙ",
        "+998935554433",
        "Туғруқхонада пуллик хизматлар учун квитанциясиз пул олишди.",
        ("paid-services", "staff-conduct"),
        "1718",
        "1718236",
    ),
    (
        "Абдуллаев Шухрат",
        "город Ташкент, Юнусабадский район",
        "+998977001122",
        "Прошу содействия в направлении ребёнка на лечение за рубежом (трансплантация печени).",
        ("treatment-abroad", "transplantation"),
        "1726",
        "1726266",
    ),
    (
        "Tursunov Akbar",
        "Chirchiq shahri, Navoiy koʻchasi 5",
        "+998912223344",
        "Sanitariya-epidemiologiya markazi maktab oshxonasini tekshirmagan.",
        ("sanitary",),
        "1727",
        "1727419",
    ),
    (
        "Oʻzbekiston tibbiyot kolleji",
        "Toshkent shahri, Mirobod tumani",
        "+998712001020",
        "Tibbiy taʼlim standartlarini yangilash boʻyicha taklif kiritamiz.",
        ("regulation-proposal", "education"),
        "1726",
        "1726273",
    ),
]


def _user(username: str) -> User | None:
    return User.objects.filter(username=username).select_related("organisation").first()


def _org(code: str) -> Organisation | None:
    return Organisation.objects.filter(code=code).first()


def _register(n: int, channel: str, days_ago: int, rng: random.Random, wg: User) -> Appeal:
    name, address, phone, text, topics, region, district = TEXTS[n % len(TEXTS)]
    from murojaat.orgs.models import District, Region

    registration = services.register_appeal(
        actor=wg,
        channel=channel,
        external_id=f"DEMO-{n}",
        received_at=timezone.now() - timedelta(days=days_ago, hours=rng.randint(0, 6)),
        author_name=name,
        author_address=address,
        author_phone=phone[:-2] + f"{n:02d}",
        author_region_id=Region.objects.filter(soato=region).values_list("pk", flat=True).first(),
        author_district_id=District.objects.filter(soato=district)
        .values_list("pk", flat=True)
        .first(),
        text=text,
        topics=Topic.objects.filter(code__in=topics),
        kind="proposal" if "regulation-proposal" in topics else "complaint",
    )
    return registration.appeal


def _answer(executor: User, signer: User, assignment: Any, feedback: bool) -> None:
    topics = list(assignment.appeal.topics.all())
    services.draft_answer(
        actor=executor,
        assignment=assignment,
        text=(
            "Murojaat oʻrganildi. Aybdor xodimga intizomiy chora koʻrildi, muammo bartaraf etildi."
        ),
        feedback_form=FeedbackForm.THANKS if feedback else "",
        outcomes=[services.OutcomeInput(t, Outcome.SATISFIED) for t in topics],
    )
    if feedback:
        answer = Answer.objects.get(assignment=assignment)
        services.add_document(
            actor=executor,
            appeal=assignment.appeal,
            assignment=assignment,
            kind="feedback",
            name="tashakkurnoma.docx",
            content=answer_letter_docx(answer),
        )
    services.sign_answer(actor=signer, assignment=assignment)


def load_demo_appeals(stdout: Any) -> None:
    if Appeal.objects.filter(external_id__startswith="DEMO-").exists():
        stdout.write("Demo appeals: already loaded.")
        return
    wg, rd, rdhead, tma, tmahead = (_user(u) for u in ("wg", "rd", "rdhead", "tma", "tmahead"))
    centre = _user("centre")
    rd_org, tma_org, centre_org = _org("rd-1727"), _org("tma-1727237"), _org("centre-cardiology")
    if not all([wg, rd, rdhead, tma, tmahead, centre, rd_org, tma_org, centre_org]):
        stdout.write("Demo appeals: demo staff missing, skipped.")
        return
    rng = random.Random(2017)  # noqa: S311 - reproducible demo data, not security
    made = 0
    with transaction.atomic():
        # Today's routing queue (R-P2-2).
        for n in range(1, 5):
            _register(n, rng.choice(["president_vr", "minister_vr", "hotline"]), 0, rng, wg)
            made += 1
        # Sent to the Tashkent region directorate, awaiting acceptance.
        for n in range(5, 8):
            appeal = _register(n, "president_vr", 1, rng, wg)
            services.route_appeal(actor=wg, appeal=appeal, to_org=rd_org)
            made += 1
        # In work at the district association, forwarded by the region (R-P2-6).
        for n in range(8, 11):
            appeal = _register(n, "president_vr", 4, rng, wg)
            (top,) = services.route_appeal(actor=wg, appeal=appeal, to_org=rd_org)
            services.accept_assignment(actor=rd, assignment=top)
            child = services.forward_assignment(actor=rd, assignment=top, to_org=tma_org)
            services.accept_assignment(actor=tma, assignment=child)
            made += 1
        # Overdue at a republican centre (received three weeks ago).
        appeal = _register(11, "minister_vr", 21, rng, wg)
        services.route_appeal(actor=wg, appeal=appeal, to_org=centre_org)
        made += 1
        # Answered by the association, awaiting the region; and one with an extension request.
        appeal = _register(12, "president_vr", 6, rng, wg)
        (top,) = services.route_appeal(actor=wg, appeal=appeal, to_org=rd_org)
        services.accept_assignment(actor=rd, assignment=top)
        child = services.forward_assignment(actor=rd, assignment=top, to_org=tma_org)
        services.accept_assignment(actor=tma, assignment=child)
        _answer(tma, tmahead, child, feedback=True)
        services.submit_answer(actor=tma, assignment=child)
        appeal = _register(13, "president_vr", 3, rng, wg)
        (top,) = services.route_appeal(actor=wg, appeal=appeal, to_org=rd_org)
        services.accept_assignment(actor=rd, assignment=top)
        services.request_extension(
            actor=rd, assignment=top, days=10, reason="Mustaqil ekspertiza xulosasi kutilmoqda."
        )
        # A full round: answered, sent to the Virtual Reception and closed (R-P2-10).
        appeal = _register(14, "president_vr", 10, rng, wg)
        (top,) = services.route_appeal(actor=wg, appeal=appeal, to_org=rd_org)
        services.accept_assignment(actor=rd, assignment=top)
        _answer(rd, rdhead, top, feedback=True)
        services.submit_answer(actor=rd, assignment=top)
        services.accept_answer(actor=wg, assignment=top)
        services.send_answer(actor=wg, appeal=appeal)
        services.acknowledge_closure(
            appeal=appeal, actor=wg, reference="Virtual Reception screen, confirmation received"
        )
        made += 3
    stdout.write(f"Demo appeals: {made} registered in several states.")
