"""L-3 (art. 28): applications and complaints are considered within 15 days, proposals within
up to one month. The law-based channels' procedures carry a proposal term (30 days); the Virtual
Receptions' procedures give every appeal 13 days (R-P2-11, R-P3-2)."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from murojaat.appeals import services
from murojaat.appeals.forms import build_action_form
from murojaat.appeals.models import Procedure
from murojaat.core.errors import DomainError
from tests.appeals.helpers import TASHKENT, register
from tests.factories import Ministry

pytestmark = pytest.mark.django_db

MONDAY = datetime(2026, 11, 16, 10, 0, tzinfo=TASHKENT)


def test_a_hotline_proposal_gets_a_month_and_a_complaint_15_days_l_3(ministry: Ministry) -> None:
    proposal = register("hotline", received=MONDAY, kind="proposal")
    complaint = register("hotline", received=MONDAY, kind="complaint")
    assert (proposal.due_days, proposal.due_date) == (30, date(2026, 12, 16))
    assert (complaint.due_days, complaint.due_date) == (15, date(2026, 12, 1))


def test_a_virtual_reception_proposal_keeps_the_order_s_13_days_r_p2_11(ministry: Ministry) -> None:
    for channel in ("president_vr", "minister_vr"):
        proposal = register(channel, received=MONDAY, kind="proposal")
        assert (proposal.due_days, proposal.due_date) == (13, date(2026, 11, 30)), channel


def test_routing_a_proposal_gives_the_receiver_the_proposal_s_term_l_3(ministry: Ministry) -> None:
    proposal = register("post", received=MONDAY, kind="proposal")
    form = build_action_form("route", appeal=proposal)
    assert form["due_days"].value() == 30
    (top,) = services.route_appeal(
        actor=ministry.wg_member, appeal=proposal, to_org=ministry.regional_a
    )
    assert (top.due_days, top.due_date) == (30, date(2026, 12, 16))
    # The longest term the group may set counts from the longer of the two terms.
    procedure = Procedure.objects.get(channel="post")
    assert procedure.longest_term == 30 + procedure.max_extension_days
    again = register("post", received=MONDAY, kind="proposal")
    with pytest.raises(DomainError, match="between 1 and"):
        services.route_appeal(
            actor=ministry.wg_member,
            appeal=again,
            to_org=ministry.regional_a,
            due_days=procedure.longest_term + 1,
        )


def test_an_empty_proposal_term_means_the_same_term_as_any_appeal(ministry: Ministry) -> None:
    Procedure.objects.filter(channel="email").update(proposal_days=None)
    proposal = register("email", received=MONDAY, kind="proposal")
    assert proposal.due_days == 15
