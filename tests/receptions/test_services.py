"""Services of the heads' duties (R-ORG-2, R-ORG-3)."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from murojaat.appeals.models import Appeal
from murojaat.core.errors import DomainError
from murojaat.receptions import services
from murojaat.receptions.models import ReceptionVisit

DAY = date(2026, 11, 24)


def _plan(ministry, **kw):  # type: ignore[no-untyped-def]
    args = {
        "actor": ministry.regional_head,
        "organisation": ministry.regional_a,
        "leader": ministry.regional_head,
        "kind": "personal",
        "day": DAY,
    }
    args.update(kw)
    return services.session_plan(**args)


def test_a_personal_reception_defaults_to_eight_to_eleven_r_org_2(ministry) -> None:
    session = _plan(ministry)
    assert (session.starts_at, session.ends_at) == (time(8), time(11))


def test_a_personal_reception_outside_the_hours_is_refused_without_a_reason_r_org_2(
    ministry,
) -> None:
    with pytest.raises(DomainError, match="08:00 to 11:00") as err:
        _plan(ministry, starts_at=time(14), ends_at=time(16))
    assert err.value.code == "outside_reception_hours"


def test_a_personal_reception_outside_the_hours_is_accepted_with_a_reason_r_org_2(
    ministry,
) -> None:
    session = _plan(
        ministry, starts_at=time(14), ends_at=time(16), override_reason="Public holiday shift"
    )
    assert session.hours_override_reason == "Public holiday shift"


def test_a_field_reception_needs_a_place_r_org_3(ministry) -> None:
    with pytest.raises(DomainError, match="needs a place"):
        _plan(ministry, kind="field")
    session = _plan(ministry, kind="field", place="Parkent district hospital")
    assert session.place == "Parkent district hospital"


def test_only_the_head_or_the_working_group_may_plan_a_session(ministry) -> None:
    with pytest.raises(DomainError, match="Only the organisation's head"):
        _plan(ministry, actor=ministry.regional_executor)
    with pytest.raises(DomainError, match="Only the organisation's head"):
        _plan(ministry, actor=ministry.outsider)
    assert _plan(ministry, actor=ministry.wg_member).created_by == ministry.wg_member


def test_the_leader_must_be_staff_of_the_organisation(ministry) -> None:
    with pytest.raises(DomainError, match="leader must be staff"):
        _plan(ministry, leader=ministry.outsider)


def test_registering_an_appeal_from_a_visit_creates_exactly_one_appeal(ministry) -> None:
    session = _plan(ministry)
    visit = services.visit_record(
        actor=ministry.regional_head,
        session=session,
        visitor_name="Karimov Anvar",
        question="My clinic refuses to register me.",
        address="Zangiota",
    )
    before = Appeal.objects.count()
    first = services.visit_register_appeal(actor=ministry.regional_head, visit=visit)
    again = services.visit_register_appeal(
        actor=ministry.regional_head, visit=ReceptionVisit.objects.get(pk=visit.pk)
    )
    assert Appeal.objects.count() == before + 1
    assert first.appeal_id == again.appeal_id
    appeal = first.appeal
    assert appeal.channel == "personal_reception"
    assert appeal.received_at == datetime(2026, 11, 24, 8, 0, tzinfo=ZoneInfo("Asia/Tashkent"))
    assert appeal.author_name == "Karimov Anvar"


def test_a_field_visit_registers_a_field_reception_appeal_r_org_3(ministry) -> None:
    session = _plan(ministry, kind="field", place="Parkent", starts_at=time(10), ends_at=time(13))
    visit = services.visit_record(
        actor=ministry.wg_member, session=session, visitor_name="A", question="Q"
    )
    appeal = services.visit_register_appeal(actor=ministry.wg_member, visit=visit).appeal
    assert appeal.channel == "field_reception"
    assert appeal.received_at == datetime(2026, 11, 24, 10, 0, tzinfo=ZoneInfo("Asia/Tashkent"))


def test_a_visit_needs_a_name_and_a_question(ministry) -> None:
    session = _plan(ministry)
    with pytest.raises(DomainError, match="visitor's name"):
        services.visit_record(
            actor=ministry.regional_head, session=session, visitor_name=" ", question="Q"
        )
    with pytest.raises(DomainError, match="visitor's question"):
        services.visit_record(
            actor=ministry.regional_head, session=session, visitor_name="A", question=""
        )


def test_an_outsider_cannot_register_an_appeal_from_another_regions_visit(ministry) -> None:
    visit = services.visit_record(
        actor=ministry.regional_head, session=_plan(ministry), visitor_name="A", question="Q"
    )
    with pytest.raises(DomainError, match="Only the organisation's head"):
        services.visit_register_appeal(actor=ministry.outsider, visit=visit)
    assert ReceptionVisit.objects.get(pk=visit.pk).appeal_id is None
