"""One limit on an appeal's text, everywhere (issue 10 #12): the clerk's forms, the public form,
the API and the intake service itself read `appeals.limits.APPEAL_TEXT_MAX_CHARS`."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from murojaat.appeals import services
from murojaat.appeals.limits import APPEAL_TEXT_MAX_CHARS
from murojaat.appeals.models import Appeal
from murojaat.citizens.forms import PublicAppealForm
from murojaat.core.errors import DomainError
from murojaat.gateway.schemas import AppealIn
from tests.factories import Ministry

pytestmark = pytest.mark.django_db

LIMIT = 20_000  # what docs/api.md promises; the constant must say the same


def test_the_one_text_limit_is_the_documented_twenty_thousand_characters() -> None:
    assert APPEAL_TEXT_MAX_CHARS == LIMIT
    assert PublicAppealForm.base_fields["text"].max_length == LIMIT
    assert AppealIn.model_fields["text"].metadata[-1].max_length == LIMIT


def test_the_intake_service_refuses_a_text_longer_than_the_limit_whichever_door(
    ministry: Ministry,
) -> None:
    """The service owns the rule: a door that forgot its own check still cannot store more."""
    with pytest.raises(DomainError) as refused:
        services.register_appeal(actor=ministry.wg_member, channel="post", text="a" * (LIMIT + 1))
    assert refused.value.code == "text_too_long" and refused.value.field == "text"
    registered = services.register_appeal(
        actor=ministry.wg_member, channel="post", text="a" * LIMIT
    )
    assert len(registered.appeal.text) == LIMIT


def test_the_clerk_s_registration_form_refuses_what_the_api_refuses(ministry: Ministry) -> None:
    """It stored 100,000 characters where the API capped at 20,000."""
    client = Client()
    client.force_login(ministry.wg_member)
    data = {
        "caller_phone": "+998 90 111 22 33",
        "author_name": "Toshmatov Eldor",
        "kind": "complaint",
        "received_at": "2026-11-16T09:30",
        "text": "b" * (LIMIT + 1),
    }
    door = reverse("appeals:register_channel", args=["hotline"])
    response = client.post(door, data)
    assert response.status_code == 400
    assert "at most 20" in response.content.decode()
    assert not Appeal.objects.exists()
    data["text"] = "b" * LIMIT
    assert client.post(door, data).status_code == 302
    assert len(Appeal.objects.get().text) == LIMIT
