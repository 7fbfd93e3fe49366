"""Bad input to the API is a 4xx problem that says what is wrong, never a server error."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from murojaat.appeals.models import Appeal, Document
from tests.gateway.conftest import appeal_data

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"


def _refused(got, status: int, code: str, field: str | None = None) -> dict:
    assert got.status == status, got.body
    assert got.headers["Content-Type"] == PROBLEM
    problem = got.json()
    assert problem["code"] == code and problem["status"] == status
    if field is not None:
        assert field in {e["field"] for e in problem["errors"]}
    return problem


# --- received_at (L-2: the number's year and the deadline start from it) ---------------------


def test_received_at_without_a_time_zone_is_refused_with_422(api):
    got = api.create_appeal(appeal_data(received_at="2026-11-16T10:00:00"))
    problem = _refused(got, 422, "received_at_without_timezone", "received_at")
    assert problem["detail"] == (
        "Give the time of receipt with its time zone, e.g. 2026-11-16T10:00:00+05:00."
    )
    assert not Appeal.objects.exists()


@pytest.mark.parametrize("value", ["0001-01-01T00:00:00+05:00", "1990-01-01T00:00:00+05:00"])
def test_received_at_implausibly_old_is_refused_with_422(api, value):
    got = api.create_appeal(appeal_data(received_at=value))
    problem = _refused(got, 422, "received_at_too_old", "received_at")
    assert problem["detail"] == "The time of receipt is more than 366 days ago: check the date."
    assert not Appeal.objects.exists()


@pytest.mark.parametrize("value", ["9999-12-31T23:59:59-05:00", "2035-01-01T00:00:00+05:00"])
def test_received_at_in_the_future_is_refused_with_422(api, value):
    got = api.create_appeal(appeal_data(received_at=value))
    problem = _refused(got, 422, "received_at_in_future", "received_at")
    assert problem["detail"] == "The appeal cannot be received in the future."
    assert not Appeal.objects.exists()


def test_received_at_a_few_minutes_ahead_or_last_month_is_accepted(api):
    ahead = (timezone.now() + timedelta(minutes=3)).isoformat()
    assert api.create_appeal(appeal_data("CLOCK-1", received_at=ahead)).status == 201
    late = (timezone.now() - timedelta(days=30)).isoformat()
    got = api.create_appeal(appeal_data("LATE-1", received_at=late))
    assert got.status == 201
    assert got.json()["number"].startswith(f"PV-{(timezone.now() - timedelta(days=30)).year}-")


def test_the_clerk_form_applies_the_same_received_at_rule():
    """One rule for every door (L-2): the clerk's form refuses what the API refuses."""
    from murojaat.appeals.forms import RegisterAppealForm

    form = RegisterAppealForm(data={"received_at": "1990-01-01T10:00"})
    form.is_valid()
    assert form.errors["received_at"] == [
        "The time of receipt is more than 366 days ago: check the date."
    ]


# --- multipart without a boundary ------------------------------------------------------------


def test_a_multipart_upload_without_a_boundary_is_a_400_malformed_body(api):
    api.create_appeal(appeal_data())
    got = api.request(
        "POST", "/appeals/VR-2026-0001/attachments", body=b"abc", content_type="multipart/form-data"
    )
    problem = _refused(got, 400, "malformed_body")
    assert "multipart" in problem["detail"]
    assert not Document.objects.exists()


# --- NUL characters (PostgreSQL cannot store them) ------------------------------------------


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"text": "Matn\x00boshqa"}, "text"),
        ({"author": {"name": "Karimova\x00Dilnoza", "phone": "+998901234567"}}, "author.name"),
        ({"author": {"address": "Zangiota\x00", "phone": "+998901234567"}}, "author.address"),
        ({"language": "uz\x00"}, "language"),
        ({"topics": ["quality-of-care\x00"]}, "topics"),
    ],
)
def test_a_nul_character_in_any_string_field_is_refused_with_422(api, extra, field):
    got = api.create_appeal(appeal_data(**extra))
    _refused(got, 422, "validation_error", field)
    assert not Appeal.objects.exists()


def test_a_nul_character_in_a_rejection_reason_is_refused_with_422(api):
    api.create_appeal(appeal_data())
    got = api.reject("VR-2026-0001", "no\x00")
    _refused(got, 422, "validation_error", "reason")


def test_an_oversized_api_request_is_refused_by_its_length_before_anything_reads_it(
    client, settings
):
    """413 before the body is read: not even the signature (which hashes the body) is checked."""
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    got = client.post(
        "/api/v1/appeals/VR-1/attachments", data=b"0" * 5000, content_type="application/json"
    )
    assert got.status_code == 413 and got["Content-Type"] == PROBLEM
    assert got.json()["code"] == "request_too_large"


@pytest.mark.parametrize(
    "path", ["/api/nothing", "/api/v1/nothing", "/api/v1/appeals/X1/nope", "/api/v2/appeals"]
)
def test_an_unknown_address_under_api_is_a_not_found_problem(client, path):
    got = client.get(path)
    assert got.status_code == 404 and got["Content-Type"] == PROBLEM
    problem = got.json()
    assert problem["code"] == "not_found" and problem["status"] == 404
    assert problem["detail"] == "There is no such address in the API: see /api/docs."


def test_a_signed_request_to_an_unknown_address_is_a_not_found_problem(api):
    got = api.request("GET", "/appeals/X1/nope")
    assert got.status == 404 and got.headers["Content-Type"] == PROBLEM
    assert got.json()["code"] == "not_found"


def test_an_unknown_appeal_keeps_its_own_not_found_message(api):
    got = api.status("NEVER-SENT")
    assert got.json()["detail"] == "No appeal with this id was received from your system."


def test_a_page_outside_the_api_keeps_the_html_404(client):
    got = client.get("/gateway/nothing/")
    assert got.status_code == 404 and got["Content-Type"].startswith("text/html")


def test_the_api_docs_page_loads_everything_from_this_server(client):
    """The machines are offline: Swagger UI must come from ninja's bundled static files, not a
    CDN (`"ninja"` in INSTALLED_APPS)."""
    import re

    page = client.get("/api/docs")
    assert page.status_code == 200
    html = page.content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert any(a.endswith("swagger-ui-bundle.js") for a in assets)
    assert not [a for a in assets if "//" in a or not a.startswith("/")]
    assert "cdn." not in html and "https://" not in html
    for asset in assets:
        assert client.get(asset).status_code == 200, asset


def test_a_sign_in_without_a_network_address_records_no_invalid_ip() -> None:
    """django-axes stores the address in an IP column (inet on PostgreSQL): a request made in
    code, with no REMOTE_ADDR, must give None rather than a word that column refuses."""
    from django.test import RequestFactory

    from murojaat.gateway.throttle import client_ip

    request = RequestFactory().get("/")
    del request.META["REMOTE_ADDR"]
    assert client_ip(request) is None
    request.META["REMOTE_ADDR"] = "not-an-address"
    assert client_ip(request) is None
    request.META["REMOTE_ADDR"] = "10.0.0.7"
    assert client_ip(request) == "10.0.0.7"
