"""The public Virtual Reception pages (R-P3-1): write, follow, rate, ask for review, withdraw."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from murojaat.appeals.models import Appeal, AppealState, Document, Event, EventKind
from tests.appeals.helpers import PDF
from tests.gateway.helpers import answer_minister_appeal

pytestmark = pytest.mark.django_db

NEW = "/citizens/"
TRACK = "/citizens/track/"
STATUS = "/citizens/track/appeal/"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64


def form(**extra) -> dict:
    data = {
        "author_type": "individual",
        "author_name": "Yusupova Malika",
        "author_address": "Samarqand sh., Registon ko'chasi, 5-uy",
        "author_phone": "+998 90 123 45 67",
        "kind": "complaint",
        "text": "Tug'ruqxonada navbat uzun, shifokorlar yetishmaydi. Chora ko'ring.",
        "website": "",
    }
    data.update(extra)
    return data


def submit(client: Client, **extra) -> tuple[str, str]:
    response = client.post(NEW, form(**extra))
    assert response.status_code == 302, response.content.decode()[:3000]
    assert response["Location"] == reverse("citizens:public_done")
    page = client.get(response["Location"]).content.decode()
    number = page.split('id="tracking-number">')[1].split("<")[0]
    code = page.split('id="tracking-code">')[1].split("<")[0]
    return number, code


def test_the_url_names_resolve():
    assert reverse("citizens:public_new") == NEW
    assert reverse("citizens:public_track") == TRACK
    assert reverse("gateway:outbox") == "/gateway/outbox/"
    assert reverse("citizens:reviews") == "/citizens/reviews/"


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("/gateway/public/", NEW),
        ("/gateway/public/track/", TRACK),
        ("/gateway/public/track/appeal/", STATUS),
        ("/gateway/public/done/", "/citizens/done/"),
        ("/gateway/reviews/", "/citizens/reviews/"),
        ("/gateway/reviews/7/take/", "/citizens/reviews/7/take/"),
    ],
)
def test_the_addresses_given_to_citizens_before_the_move_keep_working(client, old, new):
    """Tracking links already handed out name /gateway/public/: a permanent redirect that keeps
    the method (308), so even a form posted to the old address arrives at the new page."""
    got = client.get(old + "?lang=ru")
    assert got.status_code == 308 and got["Location"] == new + "?lang=ru"
    posted = client.post(old, {"x": "1"})
    assert posted.status_code == 308 and posted["Location"] == new


def test_following_an_old_tracking_link_reaches_the_tracking_form(client):
    page = client.get("/gateway/public/track/", follow=True)
    assert page.status_code == 200 and page.redirect_chain == [(TRACK, 308)]
    assert 'name="code"' in page.content.decode()


def test_a_form_posted_to_the_old_address_registers_the_appeal_once(client):
    """A page opened before the move posts to /gateway/public/: the 308 carries the body on, the
    redirect itself reads nothing, and the appeal is registered once."""
    page = client.post("/gateway/public/", form(), follow=True)
    assert page.redirect_chain[0] == (NEW, 308)
    assert page.status_code == 200 and 'id="tracking-code"' in page.content.decode()
    assert Appeal.objects.count() == 1


def test_anyone_can_open_the_form_and_it_has_a_csrf_token_and_a_honeypot(client):
    page = client.get(NEW)
    assert page.status_code == 200
    html = page.content.decode()
    assert "csrfmiddlewaretoken" in html
    assert 'name="website"' in html and 'aria-hidden="true"' in html


def test_a_citizen_writes_and_gets_a_number_and_a_secret_code_once(client):
    upload = SimpleUploadedFile("tibbiy-xulosa.pdf", PDF, content_type="application/pdf")
    number, code = submit(client, attachments=[upload])
    appeal = Appeal.objects.get(number=number)
    assert appeal.channel == "minister_vr" and number.startswith("VV-")
    assert appeal.tracking_secret_hash and code not in appeal.tracking_secret_hash
    assert Document.objects.get(appeal=appeal).original_name == "tibbiy-xulosa.pdf"
    # The code is shown once.
    assert code not in client.get(reverse("citizens:public_done")).content.decode()


def test_csrf_is_enforced():
    strict = Client(enforce_csrf_checks=True)
    assert strict.post(NEW, form()).status_code == 403
    assert not Appeal.objects.exists()


def test_a_filled_honeypot_is_refused(client):
    page = client.post(NEW, form(website="http://spam.example"))
    assert page.status_code == 200
    assert "could not be accepted" in page.content.decode()
    assert not Appeal.objects.exists()


def test_an_exe_named_pdf_is_refused_with_a_clear_message_and_nothing_is_registered(client):
    upload = SimpleUploadedFile("xulosa.pdf", EXE, content_type="application/pdf")
    page = client.post(NEW, form(attachments=[upload]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "xulosa.pdf" in html and "checked by its content" in html
    assert not Appeal.objects.exists()


def test_a_png_named_pdf_is_refused_on_the_public_form(client):
    from tests.appeals.helpers import PNG

    upload = SimpleUploadedFile("xulosa.pdf", PNG, content_type="application/pdf")
    html = client.post(NEW, form(attachments=[upload])).content.decode()
    assert "is named as .pdf but its content is a PNG image" in html
    assert not Appeal.objects.exists()


def test_too_many_files_and_too_long_text_are_refused(client, settings):
    files = [SimpleUploadedFile(f"f{i}.pdf", PDF) for i in range(6)]
    html = client.post(NEW, form(attachments=files)).content.decode()
    assert "Attach at most 5 files." in html
    html = client.post(NEW, form(text="x" * 20_001)).content.decode()
    assert "at most 20000 characters" in html
    assert not Appeal.objects.exists()


def test_an_author_who_cannot_be_reached_is_told_why(client):
    html = client.post(NEW, form(author_address="", author_phone="")).content.decode()
    assert "cannot be reached is not considered" in html


def test_submissions_are_rate_limited_per_ip(client, settings):
    settings.MUROJAAT_PUBLIC_SUBMISSIONS_PER_HOUR = 2
    submit(client)
    submit(client)
    page = client.post(NEW, form())
    assert page.status_code == 429 and "Retry-After" in page
    assert Appeal.objects.count() == 2
    other_ip = Client(REMOTE_ADDR="10.0.0.7")
    assert other_ip.post(NEW, form()).status_code == 302


def test_tracking_needs_the_right_number_and_code_and_says_the_same_otherwise(client):
    number, code = submit(client)
    wrong_code = client.post(TRACK, {"number": number, "code": "wrong-code"})
    wrong_number = client.post(TRACK, {"number": "VV-2099-999999", "code": code})
    message = "No appeal was found with this number and code."
    assert message in wrong_code.content.decode() and message in wrong_number.content.decode()
    assert client.get(STATUS)["Location"] == TRACK
    ok = client.post(TRACK, {"number": number.lower(), "code": code})
    assert ok.status_code == 302 and ok["Location"] == STATUS
    page = client.get(STATUS).content.decode()
    assert number in page and "Received: being sent to the organisation that will answer" in page


def test_a_readable_code_typed_in_lower_case_or_in_groups_still_opens_the_appeal(client):
    number, code = submit(client)
    assert code == code.upper() and not set(code) & set("IL1O0")  # readable, issue 11 §4
    grouped = "-".join(code[i : i + 4] for i in range(0, len(code), 4)).lower()
    ok = client.post(TRACK, {"number": number, "code": f" {grouped} "})
    assert ok.status_code == 302 and ok["Location"] == STATUS
    other = client.post(
        TRACK, {"number": number, "code": code[:-1] + "2" if code[-1] != "2" else code[:-1] + "3"}
    )
    assert other.status_code == 200  # one character off is still refused


def test_tracking_failures_are_rate_limited(client, settings):
    settings.MUROJAAT_PUBLIC_TRACK_FAILURES = 3
    for _ in range(3):
        assert client.post(TRACK, {"number": "VV-1", "code": "x"}).status_code == 200
    assert client.post(TRACK, {"number": "VV-1", "code": "x"}).status_code == 429


def _follow(client: Client, number: str, code: str) -> None:
    assert client.post(TRACK, {"number": number, "code": code}).status_code == 302


def test_the_author_reads_the_answer_rates_it_poorly_and_asks_for_a_review(client, ministry):
    number, code = submit(client)
    appeal = Appeal.objects.get(number=number)
    _follow(client, number, code)
    # Before the answer: no rating.
    html = client.post(STATUS, {"action": "rate", "rating": "5"}, follow=True).content.decode()
    assert "once it has been sent to you" in html
    answer_minister_appeal(ministry, appeal, text="Tugʻruqxonaga ikki shifokor qabul qilindi.")
    html = client.get(STATUS).content.decode()
    assert "Tugʻruqxonaga ikki shifokor qabul qilindi." in html
    assert "Answered" in html and "Closed (removed from control)" not in html
    # Issue 13: the author reads which organisation answered, never who in it (no staff names).
    assert f"Sent to {ministry.main_directorate.name}" in html
    assert ministry.md_executor.last_name not in html
    assert (
        client.post(STATUS, {"action": "rate", "rating": "2", "comment": "Oʻzgarmadi"}).status_code
        == 302
    )
    appeal.refresh_from_db()
    assert appeal.rating == 2
    rated = Event.objects.get(appeal=appeal, kind=EventKind.RATED)
    assert rated.data["rating"] == 2 and rated.data["poor"] is True
    html = client.post(STATUS, {"action": "rate", "rating": "5"}, follow=True).content.decode()
    assert "Your rating" in html and appeal.rating == 2
    assert (
        client.post(STATUS, {"action": "review", "reason": "Navbat hali ham uzun"}).status_code
        == 302
    )
    assert Event.objects.filter(appeal=appeal, kind=EventKind.REVIEW_REQUESTED).count() == 1
    # The working group sees both.
    client.force_login(ministry.wg_member)
    html = client.get(reverse("citizens:reviews")).content.decode()
    assert number in html and "Navbat hali ham uzun" in html and "2 / 5" in html


def test_a_good_rating_is_recorded_but_not_listed_for_review(client, ministry):
    number, code = submit(client)
    appeal = answer_minister_appeal(ministry, Appeal.objects.get(number=number))
    _follow(client, number, code)
    client.post(STATUS, {"action": "rate", "rating": "5"})
    assert Event.objects.get(appeal=appeal, kind=EventKind.RATED).data["poor"] is False
    client.force_login(ministry.wg_member)
    assert number not in client.get(reverse("citizens:reviews")).content.decode()


def test_the_author_withdraws_the_appeal(client):
    number, code = submit(client)
    _follow(client, number, code)
    html = client.post(STATUS, {"action": "withdraw"}).content.decode()
    assert "This field is required" in html  # the confirmation
    assert (
        client.post(
            STATUS, {"action": "withdraw", "confirm": "on", "reason": "Hal boʻldi"}
        ).status_code
        == 302
    )
    appeal = Appeal.objects.get(number=number)
    assert appeal.state == AppealState.TERMINATED
    event = Event.objects.get(appeal=appeal, kind=EventKind.TERMINATED)
    assert event.data["ground"] == "withdrawn"
    html = client.get(STATUS).content.decode()
    assert "Withdraw the appeal" not in html


def test_an_oversized_upload_is_refused_by_its_length_before_csrf_reads_it(settings, monkeypatch):
    """CsrfViewMiddleware reads request.POST to find the token, which spools a multipart upload
    to disk: the size limit must answer before that, without parsing a byte."""
    import re

    from django.http import multipartparser

    parsed = []
    real_parse = multipartparser.MultiPartParser.parse

    def counting_parse(self):
        parsed.append(True)
        return real_parse(self)

    monkeypatch.setattr(multipartparser.MultiPartParser, "parse", counting_parse)
    settings.MUROJAAT_MAX_ATTACHMENT_BYTES = 2**20
    browser = Client(enforce_csrf_checks=True)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', browser.get(NEW).text)[1]
    big = SimpleUploadedFile("a.pdf", PDF + b"0" * (6 * 2**20))
    page = browser.post(NEW, {**form(attachments=[big]), "csrfmiddlewaretoken": token})
    assert page.status_code == 413
    assert page["Content-Type"].startswith("text/html")
    assert "The files together are too large: at most 5 files of 1 MB each." in page.text
    assert parsed == [] and not Appeal.objects.exists()
    # Within the limit the same form is parsed and registered as usual.
    small = SimpleUploadedFile("a.pdf", PDF)
    ok = browser.post(NEW, {**form(attachments=[small]), "csrfmiddlewaretoken": token})
    assert ok.status_code == 302 and parsed and Appeal.objects.count() == 1


def test_the_size_limit_answers_in_the_user_s_language(settings):
    settings.MUROJAAT_MAX_ATTACHMENT_BYTES = 1000
    big = SimpleUploadedFile("a.pdf", PDF + b"0" * (300 * 1024))
    page = Client(headers={"accept-language": "ru"}).post(NEW, form(attachments=[big]))
    assert page.status_code == 413
    assert 'lang="ru"' in page.text and "Файлы слишком большие" in page.text


def test_the_same_public_form_sent_twice_registers_one_appeal(client, db) -> None:
    """A double click or a browser retry never duplicates an appeal (house rule)."""
    import re
    import uuid

    from murojaat.appeals.models import Appeal

    page = client.get(reverse("citizens:public_new"))
    token = re.search(r'name="submission" value="([0-9a-f-]+)"', page.content.decode())
    assert token, "the form carries its one-time key"
    data = {
        "author_type": "individual",
        "author_name": "Karimova Dilnoza",
        "author_address": "Zangiota tumani",
        "author_phone": "+998901234567",
        "kind": "complaint",
        "text": "Poliklinikada shifokor qabul qilmadi, navbat uch kun davom etdi.",
        "submission": token.group(1),
    }
    first = client.post(reverse("citizens:public_new"), data, follow=True)
    second = client.post(reverse("citizens:public_new"), data, follow=True)
    assert Appeal.objects.filter(external_id=f"web:{token.group(1)}").count() == 1
    number = Appeal.objects.get().number
    assert number in first.content.decode() and number in second.content.decode()
    assert "already been sent" in second.content.decode()
    data["submission"] = str(uuid.uuid4())
    client.post(reverse("citizens:public_new"), data)
    assert Appeal.objects.count() == 2


# --- the client address behind a proxy, and atomic tracking limits ---------------------------


def _behind_proxy(forwarded_for: str) -> Client:
    return Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded_for)


def test_behind_a_trusted_proxy_each_citizen_has_their_own_submission_limit(settings):
    """docs/operations.md runs Django behind a proxy: REMOTE_ADDR alone would be one address
    for every citizen, and one busy citizen would lock out the country."""
    settings.MUROJAAT_TRUSTED_PROXY_COUNT = 1
    settings.MUROJAAT_PUBLIC_SUBMISSIONS_PER_HOUR = 1
    first = _behind_proxy("203.0.113.5")
    assert first.post(NEW, form()).status_code == 302
    assert first.post(NEW, form()).status_code == 429
    assert _behind_proxy("203.0.113.6").post(NEW, form()).status_code == 302
    # What a client writes into the header itself is to the left of what the proxy appended.
    assert _behind_proxy("198.51.100.9, 203.0.113.5").post(NEW, form()).status_code == 429


def test_without_a_trusted_proxy_a_forwarded_for_header_is_ignored(settings):
    settings.MUROJAAT_PUBLIC_SUBMISSIONS_PER_HOUR = 1
    assert _behind_proxy("203.0.113.5").post(NEW, form()).status_code == 302
    assert _behind_proxy("203.0.113.6").post(NEW, form()).status_code == 429


def test_sign_in_lockouts_and_rate_limits_see_the_same_client_address(settings, rf):
    from axes.helpers import get_client_ip_address

    from murojaat.gateway.throttle import client_ip

    settings.MUROJAAT_TRUSTED_PROXY_COUNT = 2
    request = rf.get(
        "/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.5, 10.0.0.1"
    )
    assert client_ip(request) == get_client_ip_address(request) == "203.0.113.5"
    short = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.5")
    assert client_ip(short) == "10.0.0.2"  # did not pass both proxies: not trusted


def test_parallel_tracking_guesses_cannot_all_pass_the_limit(client, settings, monkeypatch):
    """Check and record are one step: a guess made while another is being looked up already
    counts, so N parallel guesses never get past a limit of fewer than N."""
    from murojaat.citizens import views

    settings.MUROJAAT_PUBLIC_TRACK_FAILURES = 1
    lookups = []
    real_lookup = views.appeal_for_author

    def lookup_while_another_guess_arrives(number, code):
        lookups.append(number)
        if len(lookups) == 1:
            parallel = Client().post(TRACK, {"number": "VV-2", "code": "y"})
            assert parallel.status_code == 429
        return real_lookup(number, code)

    monkeypatch.setattr(views, "appeal_for_author", lookup_while_another_guess_arrives)
    assert client.post(TRACK, {"number": "VV-1", "code": "x"}).status_code == 200
    assert lookups == ["VV-1"]


def test_a_successful_tracking_lookup_does_not_count_as_a_failure(client, settings):
    settings.MUROJAAT_PUBLIC_TRACK_FAILURES = 2
    number, code = submit(client)
    for _ in range(3):
        assert client.post(TRACK, {"number": number, "code": code}).status_code == 302
    assert client.post(TRACK, {"number": "VV-1", "code": "x"}).status_code == 200
    assert client.post(TRACK, {"number": "VV-1", "code": "x"}).status_code == 200
    assert client.post(TRACK, {"number": "VV-1", "code": "x"}).status_code == 429


# Issue 3: an appeal's author has an address with region and district; the citizen's form asks
# both, as the clerk's form does (R-P3-1), through the same shared field and check.


def test_the_citizen_s_district_is_recorded_with_its_region_r_p3_1(client, ministry):
    number, _ = submit(
        client, author_region=ministry.region_a.pk, author_district=ministry.district_a.pk
    )
    appeal = Appeal.objects.get(number=number)
    assert appeal.author_region == ministry.region_a
    assert appeal.author_district == ministry.district_a


def test_a_district_alone_gives_the_appeal_its_region(client, ministry):
    number, _ = submit(client, author_district=ministry.district_b.pk)
    appeal = Appeal.objects.get(number=number)
    assert (appeal.author_region, appeal.author_district) == (
        ministry.region_b,
        ministry.district_b,
    )


def test_the_district_is_optional_on_the_public_form(client, ministry):
    number, _ = submit(client, author_region=ministry.region_a.pk)
    appeal = Appeal.objects.get(number=number)
    assert appeal.author_region == ministry.region_a and appeal.author_district is None


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "This district is not in the chosen region."),
        ("ru", "Этот район не входит в выбранный регион."),
        ("uz", "Bu tuman tanlangan viloyatga kirmaydi."),
    ],
)
def test_a_district_of_another_region_is_refused_next_to_its_field_in_the_user_s_language(
    ministry, language, message
):
    client = Client(headers={"accept-language": language})
    page = client.post(
        NEW, form(author_region=ministry.region_a.pk, author_district=ministry.district_b.pk)
    )
    assert page.status_code == 200
    html = page.content.decode()
    errors = html.split('id="id_author_district_error"')[1].split("</div>")[0]
    assert message in errors
    assert 'aria-describedby="id_author_district_error"' in html
    assert Appeal.objects.count() == 0


def test_a_district_that_does_not_exist_is_refused(client, ministry):
    page = client.post(NEW, form(author_district=999_999))
    assert page.status_code == 200
    assert "Select a valid choice" in page.content.decode()
    assert Appeal.objects.count() == 0


def test_the_district_list_is_grouped_under_each_region(client, ministry):
    html = client.get(NEW).content.decode()
    select = html.split('name="author_district"')[1].split("</select>")[0]
    group = select.split(f'<optgroup label="{ministry.region_a.name}">')[1].split("</optgroup>")[0]
    assert f'value="{ministry.district_a.pk}"' in group
    assert f'value="{ministry.district_b.pk}"' not in group
