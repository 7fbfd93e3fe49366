"""API clients' secrets are not stored, are shown once, and rotate (issue 10 #11); outbox rows
cannot be deleted in the admin; the admin's address is configurable."""

from __future__ import annotations

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from murojaat.gateway.client import DjangoTransport, GatewayClient
from murojaat.gateway.credentials import derive_secret, fingerprint
from murojaat.gateway.models import ApiClient, OutboxMessage
from tests.gateway.conftest import appeal_data, make_client

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def _row(client: ApiClient) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM gateway_apiclient WHERE id = %s", [client.pk])
        return " ".join(str(v) for v in cursor.fetchone())


def test_the_secret_is_not_in_the_database_only_its_fingerprint(vr: ApiClient) -> None:
    assert len(vr.secret) == 64
    assert vr.secret not in _row(vr)
    assert vr.secret_fingerprint == fingerprint(vr.secret) and vr.secret_fingerprint in _row(vr)
    assert "secret" not in {f.name for f in ApiClient._meta.concrete_fields}


def test_the_secret_is_derived_from_the_signing_key_so_a_database_copy_cannot_sign(
    vr: ApiClient, settings
) -> None:
    original = vr.secret
    settings.MUROJAAT_API_SIGNING_KEY = "another-signing-key-" + "x" * 40
    assert ApiClient.objects.get(pk=vr.pk).secret != original
    assert derive_secret(vr.key_id, 1, "another-signing-key-" + "x" * 40) != original


def test_rotating_a_secret_refuses_the_old_one_at_once_and_accepts_the_new(
    vr: ApiClient,
) -> None:
    old = GatewayClient(vr.key_id, vr.secret, DjangoTransport())
    assert old.whoami().status == 200
    before = vr.secret_fingerprint
    out = StringIO()
    call_command("rotate_api_secret", vr.name, stdout=out)
    vr.refresh_from_db()
    assert vr.secret_generation == 2 and vr.secret_fingerprint != before
    assert vr.secret in out.getvalue() and "will not be shown again" in out.getvalue()
    refused = old.whoami()
    assert refused.status == 401 and refused.json()["code"] == "signature_invalid"
    assert GatewayClient(vr.key_id, vr.secret, DjangoTransport()).whoami().status == 200


def test_the_admin_shows_a_new_client_s_secret_once_and_never_on_its_page(admin_client) -> None:
    response = admin_client.post(
        reverse("admin:gateway_apiclient_add"),
        {
            "name": "Minister VR",
            "key_id": "mvr-1",
            "channel": "minister_vr",
            "callback_url": "",
            "is_active": "on",
            "rate_limit_per_minute": 60,
        },
        follow=True,
    )
    client = ApiClient.objects.get(key_id="mvr-1")
    assert client.secret in response.content.decode()
    assert "will not be shown again" in response.content.decode()
    page = admin_client.get(reverse("admin:gateway_apiclient_change", args=[client.pk]))
    assert client.secret not in page.content.decode()
    assert client.secret_fingerprint in page.content.decode()


def test_the_admin_rotates_a_secret_and_shows_the_new_one_once(admin_client, vr) -> None:
    old = vr.secret
    response = admin_client.post(
        reverse("admin:gateway_apiclient_changelist"),
        {"action": "rotate_secrets", "_selected_action": [vr.pk]},
        follow=True,
    )
    vr.refresh_from_db()
    assert vr.secret != old and vr.secret in response.content.decode()
    assert old not in response.content.decode()


def test_outbox_rows_cannot_be_deleted_in_the_admin(admin_client, vr) -> None:
    """A deleted outbox row is an answer that never reaches the source, silently."""
    from murojaat.appeals.models import Appeal
    from murojaat.notifications.models import Notification

    api = GatewayClient(vr.key_id, vr.secret, DjangoTransport())
    api.create_appeal(appeal_data("DEL-1"))
    message = OutboxMessage.objects.create(
        client=vr,
        appeal=Appeal.objects.get(external_id="DEL-1"),
        kind="status",
        key="status:del-1",
        next_attempt_at=timezone.now(),
    )
    url = reverse("admin:gateway_outboxmessage_delete", args=[message.pk])
    assert admin_client.post(url, {"post": "yes"}).status_code == 403
    listing = admin_client.get(reverse("admin:gateway_outboxmessage_changelist"))
    assert "delete_selected" not in listing.content.decode()
    assert OutboxMessage.objects.filter(pk=message.pk).exists()

    notification = Notification.objects.first()
    if notification is None:  # the receipt was not notified (no address): make one row
        notification = Notification.objects.create(
            kind="receipt", channel="email", address="a@example.org", next_attempt_at=timezone.now()
        )
    url = reverse("admin:notifications_notification_delete", args=[notification.pk])
    assert admin_client.post(url, {"post": "yes"}).status_code == 403
    assert Notification.objects.filter(pk=notification.pk).exists()


def test_the_admin_lives_at_the_configured_path() -> None:
    env = {**os.environ, "DJANGO_ADMIN_PATH": "office-7f3a"}
    env["DJANGO_SETTINGS_MODULE"] = "murojaat.settings"
    code = (
        "from django.urls import reverse, resolve, Resolver404\n"
        "print(reverse('admin:index'))\n"
        "try:\n    resolve('/admin/')\n    print('old path still there')\n"
        "except Resolver404:\n    print('old path gone')\n"
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-v", "0", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.stdout.split() == ["/office-7f3a/", "old", "path", "gone"], result.stderr


def test_a_new_client_gets_its_own_secret(vr: ApiClient) -> None:
    other = make_client("Minister VR", channel="minister_vr")
    assert other.secret != vr.secret and other.secret_fingerprint != vr.secret_fingerprint
