"""Each rule has one home in the services; the forms and the buttons ask it (issue 10, item 1).

These tests call the services directly, so removing a service's guard fails them even though the
form would still hide the choice: the service is what protects the data (the API, a stale form, a
script all reach it without the form)."""

from __future__ import annotations

import pytest
from django.db import transaction

from murojaat.appeals import services
from murojaat.appeals.forms import build_action_form
from murojaat.appeals.models import Assignment, ExtensionState
from murojaat.core.errors import Conflict, DomainError
from murojaat.orgs.models import Organisation
from tests.appeals.helpers import register
from tests.appeals.test_case_views import _forms_on, act, client_for
from tests.factories import Ministry

pytestmark = pytest.mark.django_db


class _Undo(Exception):
    """Raised inside a savepoint to try a write and keep nothing of it."""


def _service_accepts_forward(m: Ministry, top: Assignment, org: Organisation) -> bool:
    try:
        with transaction.atomic():
            services.forward_assignment(actor=m.regional_executor, assignment=top, to_org=org)
            raise _Undo
    except _Undo:
        return True
    except DomainError:
        return False


def _routed_to_region_a(m: Ministry) -> Assignment:
    appeal = register()
    (top,) = services.route_appeal(actor=m.wg_member, appeal=appeal, to_org=m.regional_a)
    services.accept_assignment(actor=m.regional_executor, assignment=top)
    top.refresh_from_db()
    return top


@pytest.mark.parametrize(
    "where",
    ["ministry", "working_group", "main_directorate", "regional_b", "association_b", "regional_a"],
)
def test_the_service_itself_refuses_to_forward_up_sideways_or_to_another_region_r_p2_6(
    ministry: Ministry, where: str
) -> None:
    """Up (the ministry), sideways (another directorate), into another region's district, or to
    itself: refused by forward_assignment, not only left out of the form's list."""
    m = ministry
    top = _routed_to_region_a(m)
    with pytest.raises(DomainError) as err:
        services.forward_assignment(
            actor=m.regional_executor, assignment=top, to_org=getattr(m, where)
        )
    assert err.value.code in {"not_subordinate", "same_org"}
    assert not top.children.exists()


def test_the_service_accepts_exactly_the_organisations_the_form_offers_r_p2_6(
    ministry: Ministry,
) -> None:
    m = ministry
    top = _routed_to_region_a(m)
    offered = set(
        build_action_form("forward", appeal=top.appeal, assignment=top)
        .fields["to_org"]
        .queryset.values_list("pk", flat=True)
    )
    assert offered == {m.association_a.pk, m.association_a2.pk}
    accepted = {o.pk for o in Organisation.objects.all() if _service_accepts_forward(m, top, o)}
    assert accepted == offered


def test_a_regional_directorate_reaches_the_associations_of_its_region_outside_its_subtree(
    ministry: Ministry,
) -> None:
    """R-P2-6: a district association of the region that hangs elsewhere in the tree is still
    the directorate's to forward to; one of another region is not."""
    from tests.factories import make_org

    m = ministry
    elsewhere = make_org(
        "tma-1727-elsewhere", "association", m.ministry, region=m.association_a.region
    )
    top = _routed_to_region_a(m)
    assert elsewhere in services.forward_targets(top)
    assert _service_accepts_forward(m, top, elsewhere)
    assert not _service_accepts_forward(m, top, m.association_b)


def test_the_service_refuses_co_executors_of_another_stage_and_the_working_group_r_p2_5(
    ministry: Ministry,
) -> None:
    m = ministry
    appeal = register()
    (top,) = services.route_appeal(actor=m.wg_member, appeal=appeal, to_org=m.main_directorate)
    services.accept_assignment(actor=m.md_executor, assignment=top)
    for org in (m.association_a, m.working_group):
        with pytest.raises(DomainError) as err:
            services.involve_co_executors(actor=m.md_executor, assignment=top, orgs=[org])
        assert err.value.code == "co_executor_stage"
    offered = build_action_form("involve", appeal=appeal, assignment=top).fields["orgs"].queryset
    assert m.working_group not in offered and m.main_directorate_2 in offered
    (co,) = services.involve_co_executors(
        actor=m.md_executor, assignment=top, orgs=[m.main_directorate_2]
    )
    assert co.org == m.main_directorate_2


def test_one_extension_request_at_a_time_is_the_service_s_rule_and_the_button_s_r_p2_11(
    ministry: Ministry,
) -> None:
    """With two extensions allowed, a second request while the first waits is refused by the
    service (the page hid the button, but a second tab or the API would not)."""
    m = ministry
    top = _routed_to_region_a(m)
    procedure = top.appeal.procedure
    procedure.max_extensions = 2
    procedure.save()
    services.request_extension(actor=m.regional_executor, assignment=top, days=3, reason="Bir")
    with pytest.raises(DomainError) as err:
        services.request_extension(actor=m.regional_executor, assignment=top, days=3, reason="Ikki")
    assert err.value.code == "extension_pending"
    assert not services.can_request_extension(top)
    page = client_for(m.regional_executor).get(f"/appeals/{top.appeal.number}/")
    assert "request_extension" not in _forms_on(page)
    request = top.extension_requests.get()
    services.decide_extension(actor=m.wg_member, request=request, approve=False, comment="Yoʻq")
    assert services.can_request_extension(top)  # a refused request does not count
    top.refresh_from_db()
    services.request_extension(actor=m.regional_executor, assignment=top, days=2, reason="Uch")
    assert top.extension_requests.filter(state=ExtensionState.PENDING).count() == 1


def test_decisions_on_delays_and_extensions_refuse_a_stale_form(ministry: Ministry) -> None:
    """One expected_version convention for every write: a decision posted from a page rendered
    before the assignment changed gets 409, like every other form."""
    m = ministry
    top = _routed_to_region_a(m)
    request = services.request_extension(
        actor=m.regional_executor, assignment=top, days=3, reason="Ekspertiza"
    )
    top.refresh_from_db()
    with pytest.raises(Conflict):
        services.decide_extension(
            actor=m.wg_member,
            request=request,
            approve=True,
            expected_version=top.version - 1,
        )
    act(
        m.wg_member,
        top.appeal,
        "decide_extension",
        top,
        expect=409,
        version=top.version - 1,
        request=request.pk,
        decision="approve",
    )
    request.refresh_from_db()
    assert request.state == ExtensionState.PENDING
    act(m.wg_member, top.appeal, "decide_extension", top, request=request.pk, decision="approve")
    request.refresh_from_db()
    assert request.state == ExtensionState.APPROVED


def test_a_decision_names_only_a_request_of_its_own_assignment_r_p3_5(ministry: Ministry) -> None:
    """selectors.case reads a request or a delay only on the assignment the form is about: an
    id of another appeal's request, posted through this assignment's form, finds nothing."""
    m = ministry
    mine, other = _routed_to_region_a(m), _routed_to_region_a(m)
    foreign = services.request_extension(
        actor=m.regional_executor, assignment=other, days=3, reason="Boshqa murojaat"
    )
    services.request_extension(
        actor=m.regional_executor, assignment=mine, days=3, reason="Bu murojaat"
    )
    response = act(
        m.wg_member,
        mine.appeal,
        "decide_extension",
        mine,
        expect=400,
        request=foreign.pk,
        decision="approve",
    )
    assert "No such extension request on this assignment." in response.content.decode()
    foreign.refresh_from_db()
    assert foreign.state == ExtensionState.PENDING
