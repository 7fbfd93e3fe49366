from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.urls import reverse

from murojaat.accounts.models import User
from tests.factories import PASSWORD, Ministry

ROOT = Path(__file__).resolve().parents[2]


def sign_in(client, username: str, password: str = PASSWORD):
    return client.post(
        reverse("accounts:login"), {"username": username, "password": password}, follow=False
    )


def test_a_user_signs_in_and_out_through_the_form(client, ministry: Ministry) -> None:
    page = client.get(reverse("accounts:login"))
    assert page.status_code == 200
    assert 'for="id_username"' in page.content.decode()
    response = sign_in(client, "wgmember")
    assert response.status_code == 302
    assert int(client.session[SESSION_KEY]) == ministry.wg_member.pk
    assert client.get(reverse("orgs:tree")).status_code == 200
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login")
    assert SESSION_KEY not in client.session
    assert client.get(reverse("orgs:tree")).status_code == 302


def test_a_wrong_password_is_refused_with_a_message(client, ministry: Ministry) -> None:
    response = sign_in(client, "wgmember", "wrong-password")
    assert response.status_code == 200
    assert SESSION_KEY not in client.session
    assert 'role="alert"' in response.content.decode()


def test_sign_in_returns_to_the_page_asked_for(client, ministry: Ministry) -> None:
    target = reverse("orgs:staff")
    login_url = client.get(target)["Location"]
    assert login_url == f"{reverse('accounts:login')}?next={target}"
    response = client.post(
        login_url, {"username": "wgmember", "password": PASSWORD, "next": target}
    )
    assert response["Location"] == target


def test_five_failed_sign_ins_lock_the_account(client, ministry: Ministry) -> None:
    assert settings.AXES_FAILURE_LIMIT == 5
    for _ in range(4):
        assert sign_in(client, "wgmember", "wrong-password").status_code == 200
    locked = sign_in(client, "wgmember", "wrong-password")
    assert locked.status_code == 429
    assert "Too many failed sign-in attempts" in locked.content.decode()
    # even the right password is refused while locked
    again = sign_in(client, "wgmember")
    assert again.status_code == 429
    assert SESSION_KEY not in client.session
    # another account from the same address is not locked
    assert sign_in(client, "mdexec").status_code == 302


@pytest.mark.django_db
@pytest.mark.real_password_hashing
def test_new_passwords_are_hashed_with_argon2() -> None:
    user = User.objects.create_user("hashme", password="Some-pass-2017!")
    assert user.password.startswith("argon2$")
    assert user.check_password("Some-pass-2017!")


def test_the_language_switch_renders_pages_in_russian(client, ministry: Ministry) -> None:
    client.force_login(ministry.wg_member)
    target = reverse("orgs:tree")
    response = client.post(reverse("set_language"), {"language": "ru", "next": target})
    assert response.status_code == 302
    html = client.get(target).content.decode()
    assert '<html lang="ru">' in html
    client.post(reverse("set_language"), {"language": "en", "next": target})
    assert '<html lang="en">' in client.get(target).content.decode()


def test_the_profile_page_saves_the_interface_language(client, ministry: Ministry) -> None:
    client.force_login(ministry.md_executor)
    assert client.get(reverse("accounts:profile")).status_code == 200
    response = client.post(reverse("accounts:profile"), {"language": "ru"})
    assert response.status_code == 302
    ministry.md_executor.refresh_from_db()
    assert ministry.md_executor.language == "ru"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "ru"


def test_a_saved_language_applies_when_the_browser_has_not_chosen(
    client, ministry: Ministry
) -> None:
    ministry.md_executor.language = "ru"
    ministry.md_executor.save()
    client.force_login(ministry.md_executor)
    assert '<html lang="ru">' in client.get(reverse("orgs:tree")).content.decode()


def test_the_profile_page_requires_sign_in(client, db) -> None:
    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def _production_env(tmp_path, **extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_URL", "PYTEST", "REDIS_URL", "CELERY_"))
    }
    env.update(
        DJANGO_PRODUCTION="1",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(64),
        DJANGO_ALLOWED_HOSTS="example.org",
        DJANGO_SETTINGS_MODULE="murojaat.settings",
        DATABASE_URL=f"sqlite:///{tmp_path / 'check.sqlite3'}",
        **extra,
    )
    return env


def _deploy_check(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_settings_pass_the_deployment_checklist(tmp_path) -> None:
    # The check reads the configuration only: no Redis server is contacted.
    result = _deploy_check(_production_env(tmp_path, REDIS_URL="redis://127.0.0.1:6379/5"))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_without_a_shared_cache_fails_the_deployment_check(tmp_path) -> None:
    """Issue 10 #7: without REDIS_URL each worker counted its own rate limits (10 an hour let 17
    through with two workers) and kept its own calendar version; production must not run so
    silently."""
    result = _deploy_check(_production_env(tmp_path))
    assert result.returncode != 0
    assert "murojaat.E001" in result.stderr
    assert "rate limits and the working calendar's version" in result.stderr
    assert "Set REDIS_URL" in result.stderr


def test_a_per_process_cache_is_allowed_while_debugging(settings) -> None:
    """The demo (`make run`, DEBUG on) keeps its local-memory cache; off DEBUG it is an error."""
    from django.core.checks import run_checks

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.DEBUG = True
    ids = {m.id for m in run_checks(include_deployment_checks=True)}
    assert "murojaat.E001" not in ids
    settings.DEBUG = False
    ids = {m.id for m in run_checks(include_deployment_checks=True)}
    assert "murojaat.E001" in ids
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/5",
        }
    }
    ids = {m.id for m in run_checks(include_deployment_checks=True)}
    assert "murojaat.E001" not in ids


def test_production_refuses_to_start_without_a_real_secret_key(tmp_path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(DJANGO_PRODUCTION="1", DJANGO_ALLOWED_HOSTS="example.org")
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr
