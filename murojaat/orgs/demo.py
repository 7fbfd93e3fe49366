"""Demo staff: one person per role in organisations at every stage, all with one password.

The logins are printed by `manage.py load_demo` so that whoever starts the demo can sign in as
each persona of the order: working group, main directorate, centre, regional directorate,
district association, auditor and administrator.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import transaction

from murojaat.accounts.models import Role, RoleGrant, User

from .models import Organisation


@dataclass(frozen=True)
class DemoUser:
    username: str
    org_code: str
    roles: tuple[str, ...]
    last_name: str
    first_name: str
    middle_name: str
    position: str
    phone: str = ""
    superuser: bool = False


# Positions are written in Uzbek, the ministry's working language, as staff records keep them:
# a free-text field shows the same words in every interface language.
DEMO_USERS: tuple[DemoUser, ...] = (
    DemoUser(
        "admin",
        "moh",
        (Role.ADMIN,),
        "Rahimov",
        "Jasur",
        "Bahodirovich",
        "Tizim administratori",
        "+998 71 239-40-01",
        superuser=True,
    ),
    DemoUser(
        "auditor",
        "moh",
        (Role.AUDITOR,),
        "Yusupova",
        "Dilnoza",
        "Akmalovna",
        "Auditor",
        "+998 71 239-40-02",
    ),
    DemoUser(
        "deputy",
        "moh",
        (Role.DEPUTY_MINISTER,),
        "Saidov",
        "Anvar",
        "Karimovich",
        "Vazir oʻrinbosari",
        "+998 71 239-40-10",
    ),
    DemoUser(
        "wghead",
        "wg",
        (Role.WG_HEAD, Role.WG_MEMBER),
        "Xudoyberdiyev",
        "Dilshod",
        "Rustamovich",
        "Nazorat inspeksiyasi bosh inspektori, ishchi guruh rahbari",
        "+998 71 239-41-00",
    ),
    DemoUser(
        "wg",
        "wg",
        (Role.WG_MEMBER, Role.RESPONSIBLE),
        "Tojiyev",
        "Murod",
        "Umarovich",
        "Ishchi guruh aʼzosi",
        "+998 71 239-41-01",
    ),
    DemoUser(
        "wg2",
        "wg",
        (Role.WG_MEMBER,),
        "Aliyeva",
        "Malika",
        "Sobirovna",
        "Ishchi guruh aʼzosi (xatlar boʻlimi)",
        "+998 71 239-41-02",
    ),
    DemoUser(
        "mdhead",
        "md-treatment",
        (Role.HEAD,),
        "Nazarov",
        "Bahrom",
        "Ergashevich",
        "Bosh boshqarma boshligʻi",
        "+998 71 239-42-00",
    ),
    DemoUser(
        "md",
        "md-treatment",
        (Role.EXECUTOR, Role.RESPONSIBLE),
        "Mahmudova",
        "Umida",
        "Tolibovna",
        "Bosh mutaxassis",
        "+998 71 239-42-01",
    ),
    DemoUser(
        "md2",
        "md-mother-child",
        (Role.EXECUTOR,),
        "Saidova",
        "Nodira",
        "Ilhomovna",
        "Yetakchi mutaxassis",
        "+998 71 239-43-01",
    ),
    DemoUser(
        "insp",
        "inspectorate",
        (Role.EXECUTOR,),
        "Ergashev",
        "Sardor",
        "Nematovich",
        "Inspektor",
        "+998 71 239-44-01",
    ),
    DemoUser(
        "centrehead",
        "centre-cardiology",
        (Role.HEAD,),
        "Abdullayev",
        "Ravshan",
        "Davronovich",
        "Direktor",
        "+998 71 237-35-00",
    ),
    DemoUser(
        "centre",
        "centre-cardiology",
        (Role.EXECUTOR, Role.RESPONSIBLE),
        "Tursunova",
        "Gulnora",
        "Rahimovna",
        "Murojaatlar bilan ishlash boʻlimi boshligʻi",
        "+998 71 237-35-01",
    ),
    DemoUser(
        "rdhead",
        "rd-1727",
        (Role.HEAD,),
        "Xolmatov",
        "Anvar",
        "Karimovich",
        "Viloyat sogʻliqni saqlash boshqarmasi boshligʻi",
        "+998 70 715-10-00",
    ),
    DemoUser(
        "rdresp",
        "rd-1727",
        (Role.RESPONSIBLE,),
        "Qodirova",
        "Feruza",
        "Anvarovna",
        "Virtual qabulxona murojaatlari boʻyicha masʼul xodim",
        "+998 70 715-10-02",
    ),
    DemoUser(
        "rd",
        "rd-1727",
        (Role.EXECUTOR,),
        "Sharipov",
        "Otabek",
        "Zokirovich",
        "Bosh mutaxassis",
        "+998 70 715-10-01",
    ),
    DemoUser(
        "tmahead",
        "tma-1727237",
        (Role.HEAD,),
        "Hamidov",
        "Shuhrat",
        "Valijonovich",
        "Tuman tibbiyot birlashmasi boshligʻi",
        "+998 70 716-20-00",
    ),
    DemoUser(
        "tma",
        "tma-1727237",
        (Role.EXECUTOR, Role.RESPONSIBLE),
        "Normatova",
        "Zilola",
        "Shavkatovna",
        "Rahbarning murojaatlar boʻyicha oʻrinbosari",
        "+998 70 716-20-01",
    ),
    DemoUser(
        "rd2head",
        "rd-1718",
        (Role.HEAD,),
        "Qurbonov",
        "Alisher",
        "Husanovich",
        "Viloyat sogʻliqni saqlash boshqarmasi boshligʻi",
        "+998 66 233-30-00",
    ),
    DemoUser(
        "rd2",
        "rd-1718",
        (Role.EXECUTOR, Role.RESPONSIBLE),
        "Joʻrayeva",
        "Kamola",
        "Baxtiyorovna",
        "Bosh mutaxassis",
        "+998 66 233-30-01",
    ),
    DemoUser(
        "tma2head",
        "tma-1718236",
        (Role.HEAD,),
        "Safarov",
        "Islom",
        "Olimovich",
        "Tuman tibbiyot birlashmasi boshligʻi",
        "+998 66 234-40-00",
    ),
    DemoUser(
        "tma2",
        "tma-1718236",
        (Role.EXECUTOR, Role.RESPONSIBLE),
        "Mirzayeva",
        "Sevara",
        "Rustamovna",
        "Rahbarning murojaatlar boʻyicha oʻrinbosari",
        "+998 66 234-40-01",
    ),
)


@dataclass
class DemoLogin:
    username: str
    roles: list[str]
    organisation: str
    created: bool


@transaction.atomic
def load_demo_users(password: str | None = None) -> list[DemoLogin]:
    """Create (or bring back in line) the demo staff; never touches anyone else."""
    password = password or settings.DEMO_PASSWORD
    orgs = Organisation.objects.in_bulk([u.org_code for u in DEMO_USERS], field_name="code")
    logins = []
    for spec in DEMO_USERS:
        org = orgs[spec.org_code]
        profile = {
            "organisation": org,
            "first_name": spec.first_name,
            "last_name": spec.last_name,
            "middle_name": spec.middle_name,
            "position": spec.position,
            "phone": spec.phone,
            "email": f"{spec.username}@demo.murojaat.uz",
            # As the administrator role would set it (murojaat.accounts.signals).
            "is_staff": spec.superuser or Role.ADMIN in spec.roles,
            "is_superuser": spec.superuser,
            "is_active": True,
        }
        user, created = User.objects.get_or_create(username=spec.username, defaults=profile)
        # A demo persona belongs to the demo: bring it back in line, but write only what differs.
        stale = [name for name, value in profile.items() if getattr(user, name) != value]
        for name in stale:
            setattr(user, name, profile[name])
        if created or not user.check_password(password):
            user.set_password(password)
            stale.append("password")
        if stale:
            user.save(update_fields=stale)
        for role in spec.roles:
            if RoleGrant.objects.filter(user=user, role=role).exists():
                continue
            taken = RoleGrant.objects.filter(organisation=org, role=role).exclude(user=user)
            if role in (Role.HEAD, Role.RESPONSIBLE) and taken.exists():
                continue  # someone real already holds the one-per-organisation role
            RoleGrant.objects.create(user=user, role=role, organisation=org)
        logins.append(
            DemoLogin(
                username=spec.username,
                roles=[str(Role(r).label) for r in spec.roles],
                organisation=f"{org.code}: {org.name_en}",
                created=created,
            )
        )
    return logins
