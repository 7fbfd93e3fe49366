"""The administrator role opens the Django admin, and only those it opens see the link.

Issue 2: "Django admin for administrators"; the navigation offered "Administration" to every
holder of the role while /admin/ let in only is_staff users.
"""

from __future__ import annotations

from django.urls import reverse

from murojaat.accounts.models import Role, RoleGrant
from tests.factories import Ministry, make_user


def _nav_has_admin(client) -> bool:
    return f'href="{reverse("admin:index")}"' in client.get(reverse("orgs:tree")).content.decode()


def test_granting_the_administrator_role_opens_the_admin(client, ministry: Ministry) -> None:
    person = make_user("newadmin", ministry.ministry)
    assert not person.is_staff
    RoleGrant.objects.create(user=person, role=Role.ADMIN, organisation=ministry.ministry)
    person.refresh_from_db()
    assert person.is_staff and not person.is_superuser
    client.force_login(person)
    assert _nav_has_admin(client)
    assert client.get(reverse("admin:index")).status_code == 200
    # The role carries the permissions too: the staff list opens and can be edited.
    assert client.get(reverse("admin:accounts_user_changelist")).status_code == 200
    change = reverse("admin:accounts_user_change", args=[ministry.wg_member.pk])
    assert 'name="_save"' in client.get(change).content.decode()


def test_revoking_the_administrator_role_closes_the_admin(client, ministry: Ministry) -> None:
    person = make_user("exadmin", ministry.ministry, Role.ADMIN)
    person.refresh_from_db()
    assert person.is_staff
    RoleGrant.objects.filter(user=person, role=Role.ADMIN).delete()
    person.refresh_from_db()
    assert not person.is_staff
    client.force_login(person)
    assert not _nav_has_admin(client)
    assert client.get(reverse("admin:index")).status_code == 302  # to the admin's login


def test_other_roles_neither_see_nor_open_the_admin(client, ministry: Ministry) -> None:
    for person in (ministry.wg_head, ministry.auditor, ministry.md_head):
        person.refresh_from_db()
        assert not person.is_staff
        client.force_login(person)
        assert not _nav_has_admin(client)
        assert client.get(reverse("admin:index")).status_code == 302


def test_a_superuser_keeps_the_admin_when_the_role_is_revoked(client, ministry: Ministry) -> None:
    RoleGrant.objects.filter(user=ministry.admin, role=Role.ADMIN).delete()
    ministry.admin.refresh_from_db()
    assert ministry.admin.is_staff
    client.force_login(ministry.admin)
    assert _nav_has_admin(client)


def test_an_inactive_administrator_gets_no_permission(ministry: Ministry) -> None:
    person = make_user("gone", ministry.ministry, Role.ADMIN)
    person.is_active = False
    person.save()
    assert not person.has_perm("accounts.change_user")
