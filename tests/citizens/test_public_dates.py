"""The citizen's status page writes dates in the reader's locale, like the staff pages."""

from __future__ import annotations

from datetime import datetime

import pytest
import time_machine
from django.test import Client

from murojaat.appeals.deadlines import TASHKENT
from tests.citizens.test_public import STATUS, TRACK, submit

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "received"),
    [("en", "16/11/2026 10:30"), ("ru", "16.11.2026 10:30"), ("uz", "16.11.2026 10:30")],
)
def test_the_status_page_uses_the_locale_s_short_formats(language: str, received: str) -> None:
    client = Client()
    client.cookies["django_language"] = language
    with time_machine.travel(datetime(2026, 11, 16, 10, 30, tzinfo=TASHKENT), tick=False):
        number, code = submit(client)
        assert client.post(TRACK, {"number": number, "code": code}).status_code == 302
        page = client.get(STATUS).content.decode()
    assert received in page
