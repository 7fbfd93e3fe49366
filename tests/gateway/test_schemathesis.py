"""The API fuzzed from its own OpenAPI document: no input makes the server fail (no 5xx).

Unsigned cases get 401 problems (that is fine); the signed run signs whatever schemathesis
generated, so the validation and the services behind each endpoint are fuzzed too.
"""

from __future__ import annotations

import json

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.core import NotSet

from murojaat.gateway import signing
from murojaat.gateway.client import MULTIPART_BOUNDARY, DjangoTransport, multipart
from tests.gateway.conftest import make_client

FUZZ = settings(
    max_examples=5,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)


# Loading the document needs no database: it is generated from the code.
schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application()).include(
    path_regex=r"^/api/v1/"
)
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """The WSGI handler closes "old" connections at each request's end, and inside a test's
    transaction that means the test database itself on PostgreSQL; Django's own test client
    detaches that handler for the same reason."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@FUZZ
def test_unsigned_requests_never_cause_a_server_error(case):
    response = case.call_and_validate(checks=[not_a_server_error])
    # 405: schemathesis also tries methods an endpoint does not have.
    assert response.status_code in (401, 405)
    headers = {k.lower(): v for k, v in response.headers.items()}
    assert headers["content-type"] in (["application/problem+json"], "application/problem+json")


def _body(case) -> tuple[bytes, str]:
    media = case.media_type or "application/json"
    if case.body is None or isinstance(case.body, NotSet) or case.method == "GET":
        return b"", "application/json"
    if media.startswith("multipart/") or case.path.endswith("/attachments"):
        data = case.body if isinstance(case.body, dict) else {}
        content = data.get("file", b"")
        if isinstance(content, str):
            content = content.encode()
        return (
            multipart({"file": ("upload.bin", bytes(content), "application/octet-stream")}),
            f"multipart/form-data; boundary={MULTIPART_BOUNDARY}",
        )
    if isinstance(case.body, bytes):
        return case.body, media
    return json.dumps(case.body).encode(), "application/json"


@schema.parametrize()
@FUZZ
def test_signed_requests_never_cause_a_server_error(case):
    client = make_client("Fuzzer", rate_limit_per_minute=100_000)
    try:
        body, content_type = _body(case)
        path = case.formatted_path
        headers = signing.signed_headers(
            key_id=client.key_id, secret=client.secret, method=case.method, path=path, body=body
        )
        headers["Content-Type"] = content_type
        response = DjangoTransport().send(case.method, path, body, headers)
        assert response.status < 500, response.body[:500]
        if response.status >= 400:
            assert response.headers["Content-Type"] == "application/problem+json"
            problem = response.json()
            assert problem["status"] == response.status and problem["code"]
    finally:
        client.appeals.all().delete()
        client.delete()
