from __future__ import annotations

import importlib.machinery
import re
import sys
import types
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from murojaat.accounts.models import Role, RoleGrant, User
from murojaat.orgs.demo import DEMO_USERS
from murojaat.orgs.management.commands import load_demo

pytestmark = pytest.mark.django_db


@pytest.fixture
def no_appeals_demo(monkeypatch) -> None:
    monkeypatch.setattr(load_demo, "APPEALS_DEMO_MODULE", "murojaat.appeals.no_such_module")


def run() -> str:
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def test_it_prints_every_login_and_the_password(no_appeals_demo) -> None:
    text = run()
    for spec in DEMO_USERS:
        assert f"\n{spec.username} " in text
    assert settings.DEMO_PASSWORD in text
    assert "wghead" in text and "Working-group head" in text
    assert "tma-1727237" in text


def test_it_is_idempotent(no_appeals_demo) -> None:
    run()
    users = set(User.objects.values_list("username", "password"))
    grants = set(RoleGrant.objects.values_list("user__username", "role", "organisation__code"))
    run()
    assert set(User.objects.values_list("username", "password")) == users
    assert (
        set(RoleGrant.objects.values_list("user__username", "role", "organisation__code")) == grants
    )
    assert User.objects.count() == len(DEMO_USERS)


def test_demo_users_cover_every_role_and_stage(no_appeals_demo) -> None:
    run()
    assert set(RoleGrant.objects.values_list("role", flat=True)) == set(Role.values)
    stages = set(
        User.objects.filter(organisation__stage__isnull=False).values_list(
            "organisation__stage", flat=True
        )
    )
    assert stages == {1, 2, 3, 4}
    admin = User.objects.get(username="admin")
    assert admin.is_staff and admin.is_superuser
    assert User.objects.get(username="wg").check_password(settings.DEMO_PASSWORD)
    assert User.objects.get(username="rdresp").has_role(Role.RESPONSIBLE)
    assert User.objects.get(username="tma2").organisation.region.soato != "1727"


def test_it_calls_the_appeals_demo_when_it_exists(monkeypatch) -> None:
    calls = []
    module = types.ModuleType("murojaat.appeals.fake_demo")
    module.__spec__ = importlib.machinery.ModuleSpec("murojaat.appeals.fake_demo", None)
    module.load_demo_appeals = lambda stdout: calls.append(stdout) or stdout.write("appeals!")
    monkeypatch.setitem(sys.modules, "murojaat.appeals.fake_demo", module)
    monkeypatch.setattr(load_demo, "APPEALS_DEMO_MODULE", "murojaat.appeals.fake_demo")
    text = run()
    assert len(calls) == 1
    assert "appeals!" in text


def test_it_refuses_to_run_in_production(settings, no_appeals_demo) -> None:
    settings.PRODUCTION = True
    with pytest.raises(CommandError):
        call_command("load_demo", stdout=StringIO())
    assert not User.objects.exists()


def test_demo_positions_are_in_uzbek_and_stay_so_on_reload(no_appeals_demo) -> None:
    """Free-text positions are shown as stored in every language: the ministry writes them in
    Uzbek (issue 2, demo data), never in English."""
    run()
    positions = dict(User.objects.values_list("username", "position"))
    assert positions["md"] == "Bosh mutaxassis"
    assert positions["admin"] == "Tizim administratori"
    english = re.compile(r"\b(specialist|administrator|head|member|officer|Deputy|Director)\b")
    assert not [p for p in positions.values() if english.search(p)], positions
    User.objects.filter(username="md").update(position="Chief specialist")
    run()
    assert User.objects.get(username="md").position == "Bosh mutaxassis"
    # Loading again writes nothing.
    before = list(User.objects.order_by("pk").values_list("position", "password", "is_staff"))
    run()
    assert (
        list(User.objects.order_by("pk").values_list("position", "password", "is_staff")) == before
    )
