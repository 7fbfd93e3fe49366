"""Reads leave a trace (issue 10, item 10; L-10, ASVS V7): every staff view of an appeal's page
and every download of its documents is one append-only row that auditors read on the page."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from murojaat.appeals import services
from murojaat.appeals.models import AppealRead, Outcome, ReadKind, Topic
from murojaat.appeals.selectors.reads import READS_PER_PAGE
from tests.appeals.helpers import PDF, register
from tests.factories import Ministry, make_user

pytestmark = pytest.mark.django_db

PANEL = 'id="reads-heading"'


def client_for(user, **extra) -> Client:
    client = Client(**extra)
    client.force_login(user)
    return client


@pytest.fixture
def signed(ministry: Ministry):
    """An appeal with an attachment, routed to the centre, answered and signed by its head."""
    m = ministry
    appeal = register("minister_vr")
    attachment = services.add_document(
        actor=m.wg_member, appeal=appeal, kind="attachment", name="ariza.pdf", content=PDF
    )
    (top,) = services.route_appeal(actor=m.wg_member, appeal=appeal, to_org=m.centre)
    services.accept_assignment(actor=m.centre_executor, assignment=top)
    services.draft_answer(
        actor=m.centre_executor,
        assignment=top,
        text="Shifokor bilan suhbat oʻtkazildi.",
        outcomes=[
            services.OutcomeInput(Topic.objects.get(code="quality-of-care"), Outcome.SATISFIED)
        ],
    )
    head = make_user("centrehead", m.centre, "head")
    services.sign_answer(actor=head, assignment=top)
    return appeal, top, attachment


def test_a_page_view_is_one_row_saying_who_when_what_and_from_where(
    ministry: Ministry, signed
) -> None:
    m = ministry
    appeal, top, attachment = signed
    client = client_for(m.centre_executor, REMOTE_ADDR="10.20.30.40")
    assert client.get(reverse("appeals:detail", args=[appeal.number])).status_code == 200
    (read,) = AppealRead.objects.all()
    assert read.appeal == appeal and read.reader == m.centre_executor
    assert read.reader_org == m.centre and read.kind == ReadKind.PAGE
    assert read.ip == "10.20.30.40" and read.document is None and read.at is not None


def test_every_document_url_records_its_download(ministry: Ministry, signed) -> None:
    """The attachment, the answer letter as DOCX and the signed letter as PDF: each download
    one row naming what was read."""
    m = ministry
    appeal, top, attachment = signed
    client = client_for(m.centre_executor)
    downloads = [
        (reverse("appeals:document", args=[appeal.number, attachment.pk]), ReadKind.DOCUMENT),
        (reverse("appeals:answer_letter", args=[appeal.number, top.pk]), ReadKind.ANSWER_LETTER),
        (
            reverse("appeals:answer_letter_pdf", args=[appeal.number, top.pk]),
            ReadKind.ANSWER_LETTER_PDF,
        ),
    ]
    for url, kind in downloads:
        response = client.get(url)
        assert response.status_code == 200, url
        if response.streaming:
            b"".join(response.streaming_content)
        read = AppealRead.objects.order_by("-pk").first()
        assert read is not None and read.kind == kind and read.reader == m.centre_executor, url
    assert AppealRead.objects.count() == len(downloads)
    by_kind = {r.kind: r for r in AppealRead.objects.all()}
    assert by_kind[ReadKind.DOCUMENT].document == attachment
    assert by_kind[ReadKind.ANSWER_LETTER].assignment == top
    assert by_kind[ReadKind.ANSWER_LETTER_PDF].assignment == top


def test_the_url_names_cover_every_document_route_of_the_appeal() -> None:
    """A new download route of the case pages must join the trace (and the test above)."""
    from murojaat.appeals import urls_case

    names = {p.name for p in urls_case.urlpatterns}
    assert names - {"register", "register_channel", "act"} == {
        "detail",
        "document",
        "answer_letter",
        "answer_letter_pdf",
    }


def test_a_refused_read_leaves_no_row(ministry: Ministry, signed) -> None:
    """404 for an organisation that may not read the appeal: nothing was read, nothing is
    recorded (and no row would tell the outsider the appeal exists)."""
    m = ministry
    appeal, top, attachment = signed
    client = client_for(m.outsider)
    for url in (
        reverse("appeals:detail", args=[appeal.number]),
        reverse("appeals:document", args=[appeal.number, attachment.pk]),
        reverse("appeals:answer_letter", args=[appeal.number, top.pk]),
        reverse("appeals:answer_letter_pdf", args=[appeal.number, top.pk]),
    ):
        assert client.get(url).status_code == 404, url
    assert not AppealRead.objects.exists()


def test_the_auditor_sees_who_read_the_appeal_the_executor_and_working_group_do_not(
    ministry: Ministry, signed
) -> None:
    m = ministry
    appeal, top, attachment = signed
    url = reverse("appeals:detail", args=[appeal.number])
    client_for(m.centre_executor, REMOTE_ADDR="10.20.30.40").get(
        reverse("appeals:document", args=[appeal.number, attachment.pk])
    )
    for viewer in (m.centre_executor, m.wg_member, m.wg_head):
        html = client_for(viewer).get(url).content.decode()
        assert PANEL not in html, viewer
    html = client_for(m.auditor).get(url).content.decode()
    assert PANEL in html
    panel = html.split(PANEL, 1)[1].split("</section>", 1)[0]
    assert m.centre_executor.full_name in panel and "10.20.30.40" in panel
    assert "Downloaded a document" in panel and m.wg_head.full_name in panel
    assert m.auditor.full_name in panel  # the auditor's own view is a read too


def test_a_page_view_costs_one_insert_and_no_read_of_the_trace_for_a_non_auditor(
    ministry: Ministry, signed
) -> None:
    m = ministry
    appeal, top, attachment = signed
    url = reverse("appeals:detail", args=[appeal.number])

    def trace_queries(user) -> list[str]:
        client = client_for(user)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return [q["sql"] for q in queries.captured_queries if "appeals_appealread" in q["sql"]]

    (only,) = trace_queries(m.centre_executor)
    assert only.lstrip().upper().startswith("INSERT")
    insert, select = trace_queries(m.auditor)
    assert insert.lstrip().upper().startswith("INSERT")
    assert select.lstrip().upper().startswith("SELECT") and "LIMIT" in select.upper()


def test_the_auditors_panel_is_bounded_and_pages_back(ministry: Ministry, signed) -> None:
    m = ministry
    appeal, top, attachment = signed
    reader = client_for(m.centre_executor)
    url = reverse("appeals:detail", args=[appeal.number])
    for _ in range(READS_PER_PAGE + 4):
        reader.get(url)
    auditor = client_for(m.auditor)
    first = auditor.get(url).content.decode()
    rows = first.count('<tr id="read-')
    assert rows == READS_PER_PAGE
    assert "Older reads" in first
    older = first.split("?reads_before=", 1)[1].split("#", 1)[0]
    second = auditor.get(url, {"reads_before": older}).content.decode()
    # 24 executor views and the auditor's first view: 25 rows, 20 shown, then the other 5
    # (the auditor's second view is newer than the page back).
    assert second.count('<tr id="read-') == READS_PER_PAGE + 5 - READS_PER_PAGE
    assert "Older reads" not in second and "Newest reads" in second
    for junk in ("-1", "abc", "9" * 40):
        assert auditor.get(url, {"reads_before": junk}).status_code == 200


def test_comparing_two_letters_records_a_read_of_each(
    ministry: Ministry, django_capture_on_commit_callbacks
) -> None:
    """The duplicate comparison shows both letters in full: one INSERT, one row per appeal."""
    from murojaat.assist.models import DuplicateCandidate

    text = "Zangiota tumanidagi poliklinikada kardiolog ikki oydan beri yoʻq, shifokor tayinlang."
    with django_capture_on_commit_callbacks(execute=True):
        first = register(text=text)
    with django_capture_on_commit_callbacks(execute=True):
        again = register(text=text + " Qayta yozyapman.")
    candidate = DuplicateCandidate.objects.get(appeal=again)
    client = client_for(ministry.wg_member)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("assist:compare", args=[candidate.pk]))
    assert response.status_code == 200
    inserts = [q for q in queries.captured_queries if "INSERT" in q["sql"].upper()]
    assert len([q for q in inserts if "appeals_appealread" in q["sql"]]) == 1
    reads = AppealRead.objects.filter(kind=ReadKind.COMPARED, reader=ministry.wg_member)
    assert {r.appeal for r in reads} == {first, again}


def test_an_administrator_reading_an_appeal_in_the_admin_is_recorded(ministry: Ministry) -> None:
    appeal = register()
    client = client_for(ministry.admin)
    response = client.get(reverse("admin:appeals_appeal_change", args=[appeal.pk]))
    assert response.status_code == 200
    (read,) = AppealRead.objects.all()
    assert read.kind == ReadKind.ADMIN and read.reader == ministry.admin and read.appeal == appeal
    assert client.get(reverse("admin:appeals_appeal_changelist")).status_code == 200
    assert AppealRead.objects.count() == 1  # the list shows numbers and states, not letters


def test_the_trace_of_reads_is_listed_in_the_admin_and_cannot_be_edited_there(
    ministry: Ministry,
) -> None:
    appeal = register()
    client = client_for(ministry.admin)
    client.get(reverse("admin:appeals_appeal_change", args=[appeal.pk]))
    (read,) = AppealRead.objects.all()
    listing = client.get(reverse("admin:appeals_appealread_changelist"), {"q": appeal.number})
    assert listing.status_code == 200 and appeal.number in listing.content.decode()
    assert client.get(reverse("admin:appeals_appealread_add")).status_code == 403
    delete = reverse("admin:appeals_appealread_delete", args=[read.pk])
    assert client.get(delete).status_code == 403
    change = reverse("admin:appeals_appealread_change", args=[read.pk])
    assert client.post(change, {"kind": "admin"}).status_code == 403
    assert AppealRead.objects.count() == 1
