"""Builders for a small but realistic ministry: every stage, two regions, and an outsider.

The personas follow healthchecks' owner/member/outsider idea: each view test can ask "does the
district association of *another* region see this?" with one fixture.
"""

from __future__ import annotations

from dataclasses import dataclass

from murojaat.accounts.models import Role, RoleGrant, User
from murojaat.orgs.models import District, Organisation, OrgKind, Region

PASSWORD = "Test-pass-2017!"


def make_region(soato: str, name: str) -> Region:
    return Region.objects.get_or_create(
        soato=soato, defaults={"name_uz": name, "name_ru": name, "name_en": name, "kind": "region"}
    )[0]


def make_district(region: Region, soato: str, name: str) -> District:
    return District.objects.get_or_create(
        soato=soato,
        defaults={
            "region": region,
            "name_uz": name,
            "name_ru": name,
            "name_en": name,
            "kind": "district",
        },
    )[0]


def make_org(
    code: str, kind: str, parent: Organisation | None = None, **extra: object
) -> Organisation:
    defaults = {"kind": kind, "parent": parent, "name_uz": code, "name_ru": code, "name_en": code}
    defaults.update(extra)
    return Organisation.objects.get_or_create(code=code, defaults=defaults)[0]


def make_user(username: str, org: Organisation | None, *roles: str, **extra: object) -> User:
    user = User.objects.create_user(
        username=username,
        password=PASSWORD,
        organisation=org,
        first_name=username.title(),
        last_name="Test",
        **extra,
    )
    for role in roles:
        RoleGrant.objects.create(user=user, role=role, organisation=org)
    return user


@dataclass
class Ministry:
    ministry: Organisation
    working_group: Organisation
    main_directorate: Organisation
    main_directorate_2: Organisation
    centre: Organisation
    inspectorate: Organisation
    region_a: Region
    region_b: Region
    regional_a: Organisation
    regional_b: Organisation
    district_a: District
    district_b: District
    association_a: Organisation
    association_a2: Organisation
    association_b: Organisation
    wg_member: User
    wg_head: User
    md_executor: User
    md_head: User
    md2_executor: User
    centre_executor: User
    regional_executor: User
    regional_head: User
    association_executor: User
    association_head: User
    outsider: User
    auditor: User
    admin: User


def build_ministry() -> Ministry:
    # Procedures and topics come from a data migration, which a transactional test's flush
    # removes: reload them (a no-op when present).
    from murojaat.appeals.models import Procedure, Topic
    from murojaat.appeals.reference import load_reference

    load_reference(Procedure, Topic)
    region_a = make_region("1727", "Toshkent viloyati")
    region_b = make_region("1718", "Samarqand viloyati")
    district_a = make_district(region_a, "1727237", "Zangiota tumani")
    district_a2 = make_district(region_a, "1727249", "Parkent tumani")
    district_b = make_district(region_b, "1718236", "Urgut tumani")
    ministry = make_org("moh", OrgKind.MINISTRY)
    wg = make_org("working-group", OrgKind.WORKING_GROUP, ministry)
    md = make_org("md-treatment", OrgKind.MAIN_DIRECTORATE, ministry)
    md2 = make_org("md-mother-child", OrgKind.MAIN_DIRECTORATE, ministry)
    centre = make_org("centre-cardiology", OrgKind.CENTRE, ministry)
    insp = make_org("inspectorate", OrgKind.INSPECTORATE, ministry)
    rd_a = make_org("rd-1727", OrgKind.REGIONAL_DIRECTORATE, ministry, region=region_a)
    rd_b = make_org("rd-1718", OrgKind.REGIONAL_DIRECTORATE, ministry, region=region_b)
    as_a = make_org("tma-1727237", OrgKind.ASSOCIATION, rd_a, region=region_a, district=district_a)
    as_a2 = make_org(
        "tma-1727249", OrgKind.ASSOCIATION, rd_a, region=region_a, district=district_a2
    )
    as_b = make_org("tma-1718236", OrgKind.ASSOCIATION, rd_b, region=region_b, district=district_b)
    return Ministry(
        ministry=ministry,
        working_group=wg,
        main_directorate=md,
        main_directorate_2=md2,
        centre=centre,
        inspectorate=insp,
        region_a=region_a,
        region_b=region_b,
        regional_a=rd_a,
        regional_b=rd_b,
        district_a=district_a,
        district_b=district_b,
        association_a=as_a,
        association_a2=as_a2,
        association_b=as_b,
        wg_member=make_user("wgmember", wg, Role.WG_MEMBER),
        wg_head=make_user("wghead", wg, Role.WG_HEAD, Role.WG_MEMBER),
        md_executor=make_user("mdexec", md, Role.EXECUTOR),
        md_head=make_user("mdhead", md, Role.HEAD),
        md2_executor=make_user("md2exec", md2, Role.EXECUTOR),
        centre_executor=make_user("centreexec", centre, Role.EXECUTOR),
        regional_executor=make_user("rdexec", rd_a, Role.EXECUTOR, Role.RESPONSIBLE),
        regional_head=make_user("rdhead", rd_a, Role.HEAD),
        association_executor=make_user("asexec", as_a, Role.EXECUTOR),
        association_head=make_user("ashead", as_a, Role.HEAD),
        outsider=make_user("outsider", as_b, Role.EXECUTOR, Role.HEAD),
        auditor=make_user("auditor", wg, Role.AUDITOR),
        admin=make_user("admin", ministry, Role.ADMIN, is_staff=True, is_superuser=True),
    )
