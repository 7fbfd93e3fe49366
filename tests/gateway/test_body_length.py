"""A body of unknown length (chunked transfer, or a Content-Length that is not a number) is
refused unread with 411 on the API, the public form and every other page: the size limit judges
a body by its declared length before anything reads it, so a body that declares none cannot
slip past it."""

from __future__ import annotations

import io

import pytest
from django.test import Client

from murojaat.appeals.models import Appeal
from tests.citizens.test_public import NEW, form

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"
MESSAGE = (
    "Send the request with a Content-Length header: a body of unknown length "
    "(chunked transfer) is not accepted."
)


class Unreadable(io.RawIOBase):
    """A request body that fails the test if anything reads it."""

    def read(self, size: int = -1) -> bytes:
        raise AssertionError("the body was read")

    readline = read


def chunked(client: Client, path: str, **extra):
    """What a WSGI server hands Django for `Transfer-Encoding: chunked`: no Content-Length."""
    return client.generic(
        "POST",
        path,
        data=b"x",
        content_type="application/json",
        HTTP_TRANSFER_ENCODING="chunked",
        CONTENT_LENGTH="",
        **{"wsgi.input": Unreadable()},
        **extra,
    )


@pytest.mark.parametrize("path", ["/api/v1/appeals", "/api/v1/appeals/VR-1/attachments"])
def test_a_chunked_api_request_is_refused_unread_with_411(client, settings, path):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    got = chunked(client, path)
    assert got.status_code == 411 and got["Content-Type"] == PROBLEM
    assert got.json()["code"] == "length_required" and got.json()["detail"] == MESSAGE
    assert got["Connection"] == "close"
    assert not Appeal.objects.exists()


def test_a_content_length_that_is_not_a_number_is_refused_with_411(client):
    got = client.generic(
        "POST", "/api/v1/appeals", data=b"{}", content_type="application/json", CONTENT_LENGTH="1e9"
    )
    assert got.status_code == 411 and got.json()["code"] == "length_required"


def test_a_chunked_public_form_is_refused_unread_in_the_user_s_language(settings):
    settings.MUROJAAT_MAX_ATTACHMENT_BYTES = 1000
    got = chunked(Client(headers={"accept-language": "ru"}), NEW)
    assert got.status_code == 411 and got["Content-Type"].startswith("text/plain")
    assert got.text == (
        "Отправьте запрос с заголовком Content-Length: тело запроса неизвестной длины "
        "(передача chunked) не принимается."
    )
    assert not Appeal.objects.exists()


def test_a_form_with_its_length_declared_still_goes_through(client):
    """The browser's ordinary post (Content-Length set) reaches the form as before."""
    page = client.post(NEW, form())
    assert page.status_code == 302 and Appeal.objects.count() == 1


def test_every_other_page_is_judged_by_the_body_length_too(client):
    """Issue 10 #6: every page, not only the API and the public form (appeals.bodylimits)."""
    got = chunked(client, "/accounts/login/")
    assert got.status_code == 411 and got["Connection"] == "close"
