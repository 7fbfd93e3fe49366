"""Demo receptions and trainings for `make run`: today's personal reception of the Tashkent
region's first head with two visitors (one registered as an appeal), a field reception next
week, and last quarter's training seminar. Idempotent: skipped when any session exists."""

from __future__ import annotations

from datetime import date, time, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from murojaat.accounts.models import User
from murojaat.control import services as control_services
from murojaat.core.codes import readable_code
from murojaat.orgs.models import Organisation

from . import services
from .models import ReceptionSession


def load_demo_public(stdout: Any) -> None:
    """Issue 13: heads' schedules (one with other hours, one absent next week), the responsible
    officers of the demo organisations (one with a predecessor), an announced field reception
    and two confirmed bookings on the next receiving day. Idempotent: skipped once any
    responsible officer exists."""
    from murojaat.accounts.models import Role, RoleGrant

    from . import booking
    from .models import Booking, BookingStatus, LeaderAbsence, LeaderSchedule, ResponsibleOfficer

    if ResponsibleOfficer.objects.exists():
        stdout.write("Demo reception booking: already loaded.")
        return
    today = timezone.localdate()
    with transaction.atomic():
        heads = RoleGrant.objects.filter(role=Role.HEAD).select_related("user", "organisation")
        for n, grant in enumerate(heads):
            head = grant.user
            if not head.position:
                head.position = "Rahbar"
                head.save(update_fields=["position"])
            if n == 1:
                LeaderSchedule.objects.get_or_create(
                    leader=head,
                    defaults={"starts_at": time(9), "ends_at": time(11), "slot_minutes": 20},
                )
            if n == 2:
                LeaderAbsence.objects.create(
                    leader=head,
                    starts_on=today + timedelta(days=7),
                    ends_on=today + timedelta(days=11),
                    reason="Xizmat safari",
                )
        officers = RoleGrant.objects.filter(role=Role.RESPONSIBLE).select_related(
            "user", "organisation"
        )
        for grant in officers:
            if grant.organisation.code == "rd-1727":
                ResponsibleOfficer.objects.create(
                    organisation=grant.organisation,
                    full_name="Olimova Zuhra Karimovna",
                    position="Bosh mutaxassis",
                    starts_on=date(2023, 2, 1),
                    ends_on=date(2025, 1, 5),
                )
            ResponsibleOfficer.objects.create(
                organisation=grant.organisation,
                user=grant.user,
                full_name=grant.user.full_name,
                position=grant.user.position or "Murojaatlar bilan ishlash boʻyicha masʼul",
                phone=grant.user.phone,
                starts_on=date(2025, 1, 6),
            )
        head = User.objects.filter(username="rdhead").first()
        org = Organisation.objects.filter(code="rd-1727").first()
        if head and org:
            if not ReceptionSession.objects.filter(
                kind="field", date__gte=today, leader=head
            ).exists():
                ReceptionSession.objects.create(
                    organisation=org,
                    leader=head,
                    kind="field",
                    date=today + timedelta(days=9),
                    starts_at=time(14),
                    ends_at=time(16),
                    place="Boʻstonliq tuman tibbiyot birlashmasi, majlislar zali",
                    created_by=head,
                )
            days = booking.personal_days(head)
            if days:
                day = days[1] if len(days) > 1 else days[0]
                visitors = [
                    ("Tursunov Bekzod", "+998901112233", "Dori vositalari bilan taʼminot."),
                    ("Ismoilova Nodira", "+998935554433", "Tugʻruqxonada navbat masalasi."),
                ]
                for (slot, _free), (name, phone, topic) in zip(day.slots, visitors, strict=False):
                    Booking.objects.create(
                        organisation=org,
                        leader=head,
                        starts_at=slot,
                        name=name,
                        phone=phone,
                        topic=topic,
                        language="uz",
                        status=BookingStatus.CONFIRMED,
                        reference_hash=booking.reference_hash(readable_code(10)),
                        confirmed_at=timezone.now(),
                    )
    stdout.write("Demo reception booking: schedules, officers, a field reception and 2 bookings.")


def load_demo_receptions(stdout: Any) -> None:
    _load_demo_sessions(stdout)
    load_demo_public(stdout)


def _load_demo_sessions(stdout: Any) -> None:
    if ReceptionSession.objects.exists():
        stdout.write("Demo receptions: already loaded.")
        return
    head = User.objects.filter(username="rdhead").first()
    wg = User.objects.filter(username="wg").first()
    org = Organisation.objects.filter(code="rd-1727").first()
    if not (head and wg and org):
        stdout.write("Demo receptions: demo staff missing, skipped.")
        return
    today = timezone.localdate()
    with transaction.atomic():
        session = services.session_plan(
            actor=head, organisation=org, leader=head, kind="personal", day=today
        )
        services.visit_record(
            actor=head,
            session=session,
            visitor_name="Norboyeva Gulnora",
            address="Zangiota tumani",
            phone="+998909998877",
            question="Nogironlik guruhini qayta koʻrikdan oʻtkazish muddati haqida soʻradi.",
            outcome="Tushuntirildi.",
        )
        visit = services.visit_record(
            actor=head,
            session=session,
            visitor_name="Qodirov Sanjar",
            address="Parkent tumani, Qorasuv MFY",
            phone="+998907776655",
            question="Qishloq vrachlik punktida shifokor yoʻq, uch oydan beri.",
        )
        services.visit_register_appeal(actor=head, visit=visit)
        services.session_plan(
            actor=wg,
            organisation=org,
            leader=head,
            kind="field",
            day=today + timedelta(days=7),
            place="Parkent tuman tibbiyot birlashmasi",
        )
        control_services.training_record(
            actor=head,
            organisation=org,
            day=today - timedelta(days=40),
            topic="ZRU-445 qonuni va Vazirlikning 27-son buyrugʻi boʻyicha oʻquv seminari",
            trainer="Ishchi guruh",
            participants_count=18,
        )
    stdout.write("Demo receptions: 2 sessions, 2 visits (1 registered as an appeal), 1 training.")
