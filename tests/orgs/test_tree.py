from __future__ import annotations

from murojaat.orgs.models import Organisation, OrgKind
from tests.factories import Ministry, make_org


def test_stage_follows_kind_per_r_p2_1(ministry: Ministry) -> None:
    assert ministry.working_group.stage == 1
    assert ministry.main_directorate.stage == 2
    assert ministry.centre.stage == 2
    assert ministry.regional_a.stage == 3
    assert ministry.association_a.stage == 4


def test_subtree_query_returns_the_org_and_its_descendants_only(ministry: Ministry) -> None:
    codes = set(Organisation.objects.subtree_of(ministry.regional_a).values_list("code", flat=True))
    assert codes == {"rd-1727", "tma-1727237", "tma-1727249"}


def test_moving_an_organisation_moves_its_subtree(ministry: Ministry) -> None:
    polyclinic = make_org("poly-1", OrgKind.INSTITUTION, ministry.association_a)
    ministry.association_a.parent = ministry.regional_b
    ministry.association_a.save()
    polyclinic.refresh_from_db()
    assert polyclinic.is_within(ministry.regional_b)
    assert not polyclinic.is_within(ministry.regional_a)
    assert polyclinic.depth == 3
