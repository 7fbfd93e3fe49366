"""R-P2-9: a main directorate's answer is signed by a deputy minister who supervises it (or by
any deputy minister when none does); a first head signs the other organisations' answers."""

from __future__ import annotations

import pytest

from murojaat.accounts.models import Role, RoleGrant
from murojaat.appeals import services
from murojaat.appeals.models import Assignment
from murojaat.appeals.permissions import can_sign, signable_q
from murojaat.core.errors import PermissionDenied
from tests.appeals.helpers import every_outcome, register
from tests.factories import Ministry, make_user

pytestmark = pytest.mark.django_db


def _drafted_at(m: Ministry, org, executor):
    appeal = register("minister_vr")
    (top,) = services.route_appeal(actor=m.wg_member, appeal=appeal, to_org=org)
    services.accept_assignment(actor=executor, assignment=top)
    services.draft_answer(
        actor=executor, assignment=top, text="Javob", outcomes=every_outcome(appeal)
    )
    return top


def _deputy(m: Ministry, name: str, *supervised):
    user = make_user(name, m.ministry, Role.DEPUTY_MINISTER, position="Vazir oʻrinbosari")
    RoleGrant.objects.get(user=user, role=Role.DEPUTY_MINISTER).supervises.set(supervised)
    return user


def test_a_ministry_has_several_deputy_ministers_each_signing_what_they_supervise_r_p2_9(
    ministry: Ministry,
) -> None:
    m = ministry
    treatment = _deputy(m, "deputy1", m.main_directorate)
    mother_child = _deputy(m, "deputy2", m.main_directorate_2)
    top = _drafted_at(m, m.main_directorate, m.md_executor)
    assert can_sign(treatment, top) and not can_sign(mother_child, top)
    with pytest.raises(PermissionDenied):
        services.sign_answer(actor=mother_child, assignment=top)
    services.sign_answer(actor=treatment, assignment=top)


def test_any_deputy_minister_signs_for_a_main_directorate_nobody_supervises_r_p2_9(
    ministry: Ministry,
) -> None:
    m = ministry
    unassigned = _deputy(m, "deputy1")
    other = _deputy(m, "deputy2", m.main_directorate_2)
    top = _drafted_at(m, m.main_directorate, m.md_executor)
    assert can_sign(unassigned, top) and can_sign(other, top)
    _deputy(m, "deputy3", m.main_directorate)  # now it has its own deputy
    assert not can_sign(unassigned, top) and not can_sign(other, top)


def test_neither_the_ministry_s_head_nor_the_directorate_s_head_signs_for_it_r_p2_9(
    ministry: Ministry,
) -> None:
    m = ministry
    minister = make_user("minister", m.ministry, Role.HEAD)
    top = _drafted_at(m, m.main_directorate, m.md_executor)
    for user in (minister, m.md_head):
        assert not can_sign(user, top)
        with pytest.raises(PermissionDenied):
            services.sign_answer(actor=user, assignment=top)


def test_a_deputy_minister_does_not_sign_for_a_centre_its_first_head_does_r_p2_9(
    ministry: Ministry,
) -> None:
    m = ministry
    deputy = _deputy(m, "deputy1")
    head = make_user("centrehead", m.centre, Role.HEAD)
    top = _drafted_at(m, m.centre, m.centre_executor)
    assert not can_sign(deputy, top) and can_sign(head, top)


def test_the_signable_query_agrees_with_the_predicate_r_p2_9(ministry: Ministry) -> None:
    m = ministry
    users = [
        _deputy(m, "deputy1", m.main_directorate),
        _deputy(m, "deputy2"),
        make_user("minister", m.ministry, Role.HEAD),
        make_user("centrehead", m.centre, Role.HEAD),
        m.md_head,
        m.md_executor,
    ]
    _drafted_at(m, m.main_directorate, m.md_executor)
    _drafted_at(m, m.main_directorate_2, m.md2_executor)
    _drafted_at(m, m.centre, m.centre_executor)
    for user in users:
        listed = set(Assignment.objects.filter(signable_q(user)))
        assert listed == {a for a in Assignment.objects.all() if can_sign(user, a)}, user
