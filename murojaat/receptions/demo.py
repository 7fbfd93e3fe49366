"""Demo receptions and trainings for `make run`: today's personal reception of the Tashkent
region's first head with two visitors (one registered as an appeal), a field reception next
week, and last quarter's training seminar. Idempotent: skipped when any session exists."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from murojaat.accounts.models import User
from murojaat.control import services as control_services
from murojaat.orgs.models import Organisation

from . import services
from .models import ReceptionSession


def load_demo_receptions(stdout: Any) -> None:
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
