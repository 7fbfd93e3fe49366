"""The gateway API: signed requests, idempotent intake, one client's appeals hidden from others."""

from __future__ import annotations

import json
import time
from datetime import datetime

import pytest

from murojaat.appeals.models import Appeal, AppealState, Document
from murojaat.gateway import signing
from murojaat.gateway.client import DjangoTransport, GatewayClient
from tests.appeals.helpers import PDF, PNG
from tests.gateway.conftest import appeal_data, make_client

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"


def test_it_registers_an_appeal_then_returns_the_same_one_for_the_same_external_id(api, vr):
    first = api.create_appeal(appeal_data())
    assert first.status == 201, first.body
    body = first.json()
    assert body["number"].startswith("PV-")
    assert body["state"] == "new" and body["answer"] is None
    second = api.create_appeal(appeal_data())
    assert second.status == 200
    assert second.json()["number"] == body["number"]
    appeal = Appeal.objects.get()
    assert appeal.source_client == vr and appeal.external_id == "VR-2026-0001"


def test_the_same_external_id_with_a_different_body_is_a_409_conflict(api):
    """A retry repeats the request; another body under the same id is the client's mistake and
    must not be answered with the first appeal as if it were this one."""
    assert api.create_appeal(appeal_data()).status == 201
    got = api.create_appeal(appeal_data(text="Boshqa murojaat matni."))
    assert got.status == 409 and got.headers["Content-Type"] == PROBLEM
    problem = got.json()
    assert problem["code"] == "conflict"
    assert problem["detail"] == (
        "An appeal with this external id was already received with different content. "
        "A retry must send exactly the same body; a new appeal needs a new external id."
    )
    assert Appeal.objects.get().text.startswith("Poliklinikada")


def test_a_retry_with_the_same_content_in_another_key_order_is_still_200(api):
    data = appeal_data()
    assert api.create_appeal(data).status == 201
    reordered = dict(reversed(list(data.items())))
    reordered["author"] = dict(reversed(list(data["author"].items())))
    got = api.request("POST", "/appeals", body=json.dumps(reordered, indent=2).encode())
    assert got.status == 200 and Appeal.objects.count() == 1


def test_a_double_create_that_races_past_the_existence_check_makes_one_appeal(api, vr, monkeypatch):
    """Two pushes of one id both find nothing, then both insert: the unique constraint lets
    one win, and the other request answers 200 with the winner's appeal."""
    _lose_a_race(api, vr, monkeypatch, "RACE-1")


def _lose_a_race(api, vr, monkeypatch, external_id: str) -> None:
    """Push `external_id` while another request commits the same id between this one's check
    and its insert; this one must answer 200 with the other's appeal."""
    from murojaat.appeals import services
    from murojaat.appeals.services import intake

    real_procedure = intake.procedure_of_channel
    raced = []

    def procedure_after_a_concurrent_push(channel):
        if not raced:
            raced.append(True)
            # The other request commits its appeal while this one is between check and insert.
            services.register_appeal(
                actor=None,
                channel="president_vr",
                text="Birinchi",
                external_id=external_id,
                source_client=vr,
            )
        return real_procedure(channel)

    monkeypatch.setattr(intake, "procedure_of_channel", procedure_after_a_concurrent_push)
    got = api.create_appeal(appeal_data(external_id))
    assert raced and got.status == 200
    (appeal,) = Appeal.objects.filter(external_id=external_id)
    assert got.json()["number"] == appeal.number and appeal.text == "Birinchi"


@pytest.mark.django_db(transaction=True)
def test_a_lost_race_outside_any_test_transaction_rolls_back_whole_and_answers_the_winner(
    ministry, monkeypatch
):
    """As in production, the registration's transaction is the outermost (no savepoint): the
    loser's appeal, event, topics and body record are rolled back together, and it answers 200
    with the winner's appeal; nothing of the loser is left."""
    from murojaat.appeals.models import Event
    from murojaat.gateway.models import AppealIntake

    vr = make_client()
    api = GatewayClient(vr.key_id, vr.secret, DjangoTransport())
    _lose_a_race(api, vr, monkeypatch, "RACE-2")
    assert Event.objects.filter(appeal__external_id="RACE-2").count() == 1
    assert not AppealIntake.objects.exists()  # the winner came without a body; none of ours
    # The next registration is not disturbed by the rolled-back one.
    assert api.create_appeal(appeal_data("RACE-3")).status == 201
    assert AppealIntake.objects.filter(appeal__external_id="RACE-3").count() == 1


def test_the_status_shows_the_state_and_no_answer_yet(api):
    api.create_appeal(appeal_data())
    got = api.status("VR-2026-0001")
    assert got.status == 200
    assert got.json()["state_label"] == "Awaiting routing"


def test_it_rejects_a_bad_signature_with_a_problem(vr):
    wrong = GatewayClient(vr.key_id, "not-the-secret", DjangoTransport())
    got = wrong.create_appeal(appeal_data())
    assert got.status == 401
    assert got.headers["Content-Type"] == PROBLEM
    problem = got.json()
    assert problem["code"] == "signature_invalid"
    assert problem["type"] == "urn:murojaat:problem:signature_invalid"
    assert problem["status"] == 401 and problem["title"] == "Unauthorized"
    assert not Appeal.objects.exists()


def test_it_rejects_a_stale_timestamp(api):
    got = api.request("GET", "/client", now=time.time() - 301)
    assert got.status == 401 and got.json()["code"] == "timestamp_out_of_window"
    got = api.request("GET", "/client", now=time.time() + 400)
    assert got.status == 401 and got.json()["code"] == "timestamp_out_of_window"
    assert api.request("GET", "/client", now=time.time() - 250).status == 200


def test_it_rejects_an_unknown_key(vr):
    stranger = GatewayClient("who-is-this", vr.secret, DjangoTransport())
    got = stranger.whoami()
    assert got.status == 401 and got.json()["code"] == "unknown_key"


def test_it_rejects_an_unsigned_request(client):
    got = client.get("/api/v1/client")
    assert got.status_code == 401
    assert got["Content-Type"] == PROBLEM
    assert got.json()["code"] == "signature_missing"


def test_it_rejects_a_body_changed_after_signing(api, vr):
    body = b'{"external_id": "X1", "text": "a"}'
    headers = signing.signed_headers(
        key_id=vr.key_id, secret=vr.secret, method="POST", path="/api/v1/appeals", body=body
    )
    headers["Content-Type"] = "application/json"
    got = DjangoTransport().send(
        "POST", "/api/v1/appeals", b'{"external_id": "X2", "text": "a"}', headers
    )
    assert got.status == 401 and got.json()["code"] == "signature_invalid"


def test_a_disabled_client_is_refused(api, vr):
    """At once, though the signature check had the client cached (per process and version)."""
    assert api.whoami().status == 200
    vr.is_active = False
    vr.save()
    assert api.whoami().json()["code"] == "unknown_key"


def test_a_client_cannot_read_another_client_s_appeal(api):
    api.create_appeal(appeal_data("SECRET-1"))
    other = make_client("Minister VR", channel="minister_vr")
    theirs = GatewayClient(other.key_id, other.secret, DjangoTransport())
    got = theirs.status("SECRET-1")
    assert got.status == 404 and got.json()["code"] == "not_found"
    assert theirs.acknowledge("SECRET-1").status == 404
    assert theirs.upload("SECRET-1", "a.pdf", PDF, "application/pdf").status == 404
    # Same answer as for an id nobody ever sent.
    assert theirs.status("NEVER-SENT").json()["detail"] == got.json()["detail"]


def test_an_external_id_is_its_client_s_own_another_client_sending_it_gets_its_own_appeal(api):
    """Issue 10 #12: ids are unique per client. A second client on the same channel that sends
    the same id (by chance or to probe) registers its own appeal: no 409 that would reveal the
    first client's id, no way to claim another system's ids in advance, and each reads only its
    own appeal under that id."""
    first = api.create_appeal(appeal_data("SHARED-1")).json()
    twin = make_client("President VR mirror", channel="president_vr")
    theirs = GatewayClient(twin.key_id, twin.secret, DjangoTransport())
    got = theirs.create_appeal(appeal_data("SHARED-1", text="Boshqa tizimning murojaati matni."))
    assert got.status == 201, got.json()
    assert got.json()["number"] != first["number"]
    assert Appeal.objects.filter(external_id="SHARED-1").count() == 2
    assert theirs.status("SHARED-1").json()["number"] == got.json()["number"]
    assert api.status("SHARED-1").json()["number"] == first["number"]
    # A retry by either client is still the same appeal (idempotent per client).
    assert api.create_appeal(appeal_data("SHARED-1")).status == 200


def test_the_database_keeps_an_external_id_once_per_client(api, vr):
    """The constraint, not only the lookup: a second row of one client with one id is refused."""
    from django.db import IntegrityError, transaction

    api.create_appeal(appeal_data("DB-1"))
    appeal = Appeal.objects.get(external_id="DB-1")
    copy = Appeal.objects.get(pk=appeal.pk)
    copy.pk = None
    copy.number, copy.seq = "PV-COPY", appeal.seq + 1000
    with pytest.raises(IntegrityError), transaction.atomic():
        copy.save()


def test_a_json_body_sent_as_text_plain_is_refused_with_415(api):
    """Issue 10 #12: a body must be declared JSON (text/plain is what a cross-site form sends
    without a preflight); nothing is registered."""
    got = api.request(
        "POST", "/appeals", json_body=appeal_data("PLAIN-1"), content_type="text/plain"
    )
    assert got.status == 415, got.body
    assert got.headers["Content-Type"].startswith("application/problem+json")
    assert got.json()["code"] == "unsupported_media_type"
    assert "application/json" in got.json()["detail"]
    assert not Appeal.objects.filter(external_id="PLAIN-1").exists()
    ok = api.request(
        "POST",
        "/appeals",
        json_body=appeal_data("PLAIN-1"),
        content_type="application/json; charset=utf-8",
    )
    assert ok.status == 201


def test_validation_errors_name_each_field(api):
    got = api.create_appeal(
        appeal_data(
            "bad id with spaces",
            text="x" * 20_001,
            author={"name": "n" * 256, "email": "not-an-email"},
        )
    )
    assert got.status == 422
    problem = got.json()
    assert problem["code"] == "validation_error"
    fields = {e["field"] for e in problem["errors"]}
    assert {"external_id", "text", "author.name", "author.email"} <= fields


def test_unknown_fields_and_topics_are_refused(api):
    got = api.create_appeal(appeal_data(colour="red"))
    assert got.status == 422 and got.json()["errors"][0]["field"] == "colour"
    got = api.create_appeal(appeal_data(topics=["no-such-topic"]))
    assert got.status == 400
    assert got.json()["code"] == "unknown_topic"
    assert got.json()["errors"][0]["field"] == "topics"


def test_malformed_json_is_a_problem_not_a_crash(api, vr):
    got = api.request("POST", "/appeals", body=b"{not json")
    assert got.status == 400 and got.json()["code"] == "malformed_body"


def test_an_attachment_is_stored_once_and_checked_by_content(api):
    api.create_appeal(appeal_data())
    got = api.upload("VR-2026-0001", "ariza.pdf", PDF, "application/pdf")
    assert got.status == 201, got.body
    assert got.json()["content_type"] == "application/pdf"
    again = api.upload("VR-2026-0001", "ariza-copy.pdf", PDF, "application/pdf")
    assert again.status == 200 and again.json()["id"] == got.json()["id"]
    assert Document.objects.count() == 1
    listed = api.status("VR-2026-0001").json()["attachments"]
    assert [d["name"] for d in listed] == ["ariza.pdf"]


EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64


def test_a_pdf_name_with_png_content_is_rejected_clearly(api):
    api.create_appeal(appeal_data())
    got = api.upload("VR-2026-0001", "scan.pdf", PNG, "application/pdf")
    assert got.status == 400
    problem = got.json()
    assert problem["code"] == "file_type_mismatch"
    assert problem["detail"] == (
        "The file “scan.pdf” is named as .pdf but its content is a PNG image "
        "(checked by its content). Rename it or send the right file."
    )
    assert problem["errors"][0]["field"] == "file"
    assert not Document.objects.exists()


def test_a_pdf_name_with_exe_content_is_rejected_clearly(api):
    api.create_appeal(appeal_data())
    got = api.upload("VR-2026-0001", "scan.pdf", EXE, "application/pdf")
    assert got.status == 400
    problem = got.json()
    assert problem["code"] == "file_type_not_allowed"
    assert problem["detail"] == (
        "The file “scan.pdf” is not a PDF, JPEG, PNG, TIFF, DOCX or XLSX document "
        "(checked by its content)."
    )
    assert not Document.objects.exists()


def test_a_png_with_its_own_name_or_no_extension_is_accepted(api):
    api.create_appeal(appeal_data())
    assert api.upload("VR-2026-0001", "rasm.PNG", PNG, "image/png").status == 201
    got = api.upload("VR-2026-0001", "xulosa", PDF, "application/octet-stream")
    assert got.status == 201 and got.json()["content_type"] == "application/pdf"


def test_the_rate_limit_answers_429_with_retry_after(api, vr):
    vr.rate_limit_per_minute = 3
    vr.save()
    statuses = [api.whoami().status for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    got = api.whoami()
    assert got.headers["Content-Type"] == PROBLEM
    assert got.json()["code"] == "rate_limited"
    assert 1 <= int(got.headers["Retry-After"]) <= 60


def test_acknowledging_an_appeal_not_yet_answered_is_a_conflict(api):
    api.create_appeal(appeal_data())
    got = api.acknowledge("VR-2026-0001")
    assert got.status == 409 and got.json()["code"] == "transition_refused"
    assert Appeal.objects.get().state == AppealState.NEW


def test_a_request_larger_than_the_server_takes_is_a_413_problem(api, settings):
    api.create_appeal(appeal_data())
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    got = api.upload("VR-2026-0001", "big.pdf", PDF + b"0" * 2000, "application/pdf")
    assert got.status == 413 and got.json()["code"] == "request_too_large"


def test_the_openapi_document_lists_the_endpoints_and_the_signature(client):
    doc = client.get("/api/openapi.json").json()
    assert "/api/v1/appeals/{external_id}/acknowledgement" in doc["paths"]
    scheme = doc["components"]["securitySchemes"]["SignedRequest"]
    assert scheme == {"type": "apiKey", "in": "header", "name": "X-Client-Key"}
    assert client.get("/api/docs").status_code == 200


def test_no_attachment_is_added_to_an_appeal_no_longer_in_work(api):
    api.create_appeal(appeal_data())
    Appeal.objects.update(state=AppealState.TERMINATED)
    got = api.upload("VR-2026-0001", "late.pdf", PDF, "application/pdf")
    assert got.status == 409 and got.json()["code"] == "appeal_closed"


def test_an_unsupported_method_is_a_problem_too(client) -> None:
    response = client.delete("/api/v1/appeals")
    assert response.status_code == 405
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "method_not_allowed"
    assert "POST" in response["Allow"]


def test_an_api_registration_looks_its_id_up_once_and_replies_without_reading_answers(api):
    """Intake speed (issue 9 §4): the gateway's idempotency lookup is the only one (the
    service does not repeat it), and a just-registered appeal has no sent answer and no
    document to read for the reply; the reply still says what the status read says."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        got = api.create_appeal(appeal_data())
    assert got.status == 201
    sqls = [q["sql"] for q in queries]
    lookups = [s for s in sqls if 'FROM "appeals_appeal"' in s and '"external_id" = ' in s]
    assert len(lookups) == 1
    # A narrow probe (no wide row, no join to plan): the appeal is read only on a retry.
    assert "appeals_procedure" not in lookups[0] and '"appeals_appeal"."text"' not in lookups[0]
    assert not [s for s in sqls if 'FROM "appeals_event"' in s or 'FROM "appeals_document"' in s]
    reply, status = got.json(), api.status("VR-2026-0001").json()
    # The same moment; the reply of an after-hours receipt spells it in Tashkent time.
    moments = [datetime.fromisoformat(d.pop("registered_at")) for d in (reply, status)]
    assert reply == status and moments[0] == moments[1]


def test_an_api_registration_reads_no_procedure_and_no_topic_once_they_are_cached(api):
    """Intake speed (issue 9 §4): the channel's procedure and the topic codes are read once
    per process and tree version, not at every registration."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    assert api.create_appeal(appeal_data("VR-1")).status == 201
    with CaptureQueriesContext(connection) as queries:
        got = api.create_appeal(appeal_data("VR-2"))
    assert got.status == 201
    sqls = [q["sql"] for q in queries]
    assert not [s for s in sqls if 'FROM "appeals_procedure"' in s]
    assert not [s for s in sqls if 'FROM "appeals_topic"' in s]
    assert not [s for s in sqls if 'FROM "gateway_apiclient"' in s]
    assert list(Appeal.objects.get(external_id="VR-2").topics.values_list("code", flat=True)) == [
        appeal_data()["topics"][0]
    ]


def test_a_topic_deactivated_in_the_admin_is_refused_at_once(api):
    """The cached topic codes follow a topic's save (the admin's): a deactivated code is
    refused at the next registration, a reactivated one accepted again."""
    from murojaat.appeals.models import Topic

    code = appeal_data()["topics"][0]
    assert api.create_appeal(appeal_data("VR-1")).status == 201
    topic = Topic.objects.get(code=code)
    topic.is_active = False
    topic.save()
    got = api.create_appeal(appeal_data("VR-2"))
    assert got.status == 400 and got.json()["code"] == "unknown_topic"
    topic.is_active = True
    topic.save()
    assert api.create_appeal(appeal_data("VR-3")).status == 201


def test_a_status_read_looks_for_the_sent_answer_once(api):
    """`documents_for_source` is given the caller's "nothing was sent" (None) and does not
    read the events again."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    api.create_appeal(appeal_data())
    with CaptureQueriesContext(connection) as queries:
        assert api.status("VR-2026-0001").status == 200
    assert len([q for q in queries if 'FROM "appeals_event"' in q["sql"]]) == 1
