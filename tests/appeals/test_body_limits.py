"""Every request body is bounded before it is parsed, per kind of page (issue 10 #6), and each
uploaded file is kept only up to its limit (appeals.bodylimits)."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadhandler import MemoryFileUploadHandler
from django.http.multipartparser import MultiPartParser
from django.test import Client, RequestFactory
from django.urls import reverse

from murojaat.appeals.bodylimits import AttachmentCapUploadHandler, body_limit
from murojaat.appeals.models import Appeal
from murojaat.gateway.client import MULTIPART_BOUNDARY, multipart
from tests.appeals.helpers import PDF

pytestmark = pytest.mark.django_db

MB = 2**20


class NeverEnding(io.RawIOBase):
    """A 300 MB body that is never sent: reading it fails the test (a real client would make
    the server wait for minutes)."""

    def read(self, size: int = -1) -> bytes:
        raise AssertionError("the body was read")

    readline = read


def streamed_post(client: Client, path: str, length: int):
    return client.generic(
        "POST",
        path,
        data=b"",
        content_type=f"multipart/form-data; boundary={MULTIPART_BOUNDARY}",
        CONTENT_LENGTH=str(length),
        **{"wsgi.input": NeverEnding()},
    )


def test_an_anonymous_300_mb_post_to_the_login_page_is_refused_unread_with_413() -> None:
    """It used to be read and spooled to disk, then answered 200 after 10 s. The body here
    fails the test if read at all, so the answer cannot have waited for it."""
    got = streamed_post(Client(), reverse("accounts:login"), 300 * MB)
    assert got.status_code == 413
    assert got["Connection"] == "close"
    assert "The request is larger than the server accepts (at most 1024 KB)." in got.text


@pytest.mark.parametrize(
    "path",
    ["/appeals/inbox/", "/citizens/track/", "/no/such/page/", "/i18n/setlang/"],
)
def test_every_page_refuses_a_body_over_the_form_limit_unread(path: str) -> None:
    got = streamed_post(Client(), path, 1 * MB + 1)
    assert got.status_code == 413


def test_a_chunked_post_to_any_page_is_refused_unread_with_411() -> None:
    got = Client().generic(
        "POST",
        reverse("accounts:login"),
        data=b"",
        content_type="application/x-www-form-urlencoded",
        HTTP_TRANSFER_ENCODING="chunked",
        CONTENT_LENGTH="",
        **{"wsgi.input": NeverEnding()},
    )
    assert got.status_code == 411


def test_pages_that_take_files_have_their_own_limits_from_their_number_of_files(settings):
    settings.MUROJAAT_MAX_ATTACHMENT_BYTES = 10 * MB
    factory = RequestFactory()

    def limit(path: str) -> int:
        return body_limit(factory.post(path))

    fields = 256 * 1024
    assert limit(reverse("accounts:login")) == settings.MUROJAAT_MAX_FORM_BYTES == 1 * MB
    assert limit(reverse("citizens:public_new")) == 5 * 10 * MB + fields
    assert limit(reverse("appeals:register_channel", args=["post"])) == 10 * 10 * MB + fields
    add = reverse("appeals:act", args=["PV-2026-000001", "add_document", 7])
    assert limit(add) == 10 * MB + fields
    # Another action of the same page takes no file: the form limit.
    assert limit(reverse("appeals:act", args=["PV-2026-000001", "sign_answer", 7])) == 1 * MB
    assert limit("/api/v1/appeals") == settings.DATA_UPLOAD_MAX_MEMORY_SIZE


def test_a_staff_upload_within_its_limit_is_not_refused_by_the_size_check(ministry, settings):
    """2 MB is over the form limit but within one file's: the case page's upload reaches the
    view (which answers about the appeal, not with 413)."""
    client = Client()
    client.force_login(ministry.wg_member)
    body = multipart({"file": ("scan.pdf", PDF + b"0" * (2 * MB), "application/pdf")})
    got = client.generic(
        "POST",
        reverse("appeals:act", args=["PV-2026-000404", "add_document", 1]),
        data=body,
        content_type=f"multipart/form-data; boundary={MULTIPART_BOUNDARY}",
    )
    assert got.status_code == 404  # no such appeal: the view was reached
    got = client.generic(
        "POST",
        reverse("appeals:act", args=["PV-2026-000404", "sign_answer", 1]),
        data=body,
        content_type=f"multipart/form-data; boundary={MULTIPART_BOUNDARY}",
    )
    assert got.status_code == 413


def test_an_oversized_file_is_kept_only_up_to_its_limit_and_the_rest_is_not_stored(settings):
    settings.MUROJAAT_MAX_ATTACHMENT_BYTES = 1000
    body = multipart(
        {
            "big": ("big.pdf", b"B" * 50_000, "application/pdf"),
            "small": ("small.pdf", b"s" * 900, "application/pdf"),
        }
    )
    meta = {
        "CONTENT_TYPE": f"multipart/form-data; boundary={MULTIPART_BOUNDARY}",
        "CONTENT_LENGTH": str(len(body)),
    }
    request = RequestFactory().post("/")
    handlers = [AttachmentCapUploadHandler(request), MemoryFileUploadHandler(request)]
    _, files = MultiPartParser(meta, io.BytesIO(body), handlers).parse()
    assert files["big"].size == 1001  # one byte past the limit: refused as too large
    assert files["small"].read() == b"s" * 900


def test_the_public_form_refuses_a_file_over_the_limit_that_fits_the_request(settings):
    """One 3 MB file among the public form's five-file allowance: parsed, capped, refused."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.citizens.test_public import NEW, form

    settings.MUROJAAT_MAX_ATTACHMENT_BYTES = 1 * MB
    big = SimpleUploadedFile("a.pdf", PDF + b"0" * (3 * MB))
    page = Client().post(NEW, form(attachments=[big]))
    assert page.status_code == 200
    assert "larger than 1 MB" in page.text
    assert not Appeal.objects.exists()
