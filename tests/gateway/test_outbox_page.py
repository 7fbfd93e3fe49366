"""The working group's outbox page: states, filters, re-send."""

from __future__ import annotations

import pytest
from django.urls import reverse

from murojaat.appeals import services
from murojaat.gateway.models import OutboxMessage, OutboxState
from tests.gateway.conftest import appeal_data

pytestmark = pytest.mark.django_db

OUTBOX = "/gateway/outbox/"


@pytest.fixture
def message(ministry, api):
    from murojaat.appeals.models import Appeal

    api.create_appeal(appeal_data("VR-OUT-1"))
    appeal = Appeal.objects.get()
    services.return_to_source(actor=ministry.wg_member, appeal=appeal, reason="Tegishli emas")
    return OutboxMessage.objects.get()


def test_only_the_working_group_and_admins_see_the_outbox(client, ministry, message):
    assert client.get(OUTBOX).status_code == 302  # to the login page
    client.force_login(ministry.outsider)
    assert client.get(OUTBOX).status_code == 403
    client.force_login(ministry.admin)
    assert client.get(OUTBOX).status_code == 200
    client.force_login(ministry.wg_member)
    html = client.get(OUTBOX).content.decode()
    assert message.appeal.number in html and "returned" in html


def test_the_outbox_filters_by_state(client, ministry, message):
    client.force_login(ministry.wg_member)
    assert message.appeal.number in client.get(OUTBOX + "?state=pending").content.decode()
    assert message.appeal.number not in client.get(OUTBOX + "?state=failed").content.decode()
    assert message.appeal.number in client.get(OUTBOX + "?q=VR-OUT").content.decode()


def test_re_send_puts_a_failed_message_back_in_the_queue(client, ministry, message):
    OutboxMessage.objects.update(state=OutboxState.FAILED, attempts=10, last_error="HTTP 500")
    url = reverse("gateway:outbox_resend", args=[message.pk])
    client.force_login(ministry.outsider)
    assert client.post(url).status_code == 403
    client.force_login(ministry.wg_member)
    assert client.get(url).status_code == 405
    response = client.post(url, {"next": "/gateway/outbox/?state=failed"})
    assert response.status_code == 302 and response["Location"] == "/gateway/outbox/?state=failed"
    message.refresh_from_db()
    assert message.state == OutboxState.PENDING and message.attempts == 0
    # An outside redirect target is ignored.
    assert client.post(url, {"next": "https://evil.example/"})["Location"] == OUTBOX
