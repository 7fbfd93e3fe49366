"""Every door registers with its own details (R-IN-1, R-IN-2, L-2, L-10, R-ORG-4)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from murojaat.appeals import services
from murojaat.appeals.models import Appeal, Procedure
from murojaat.appeals.services.intake import IntakeDetails
from murojaat.core.errors import DomainError
from tests.factories import Ministry


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def door(channel: str) -> str:
    return reverse("appeals:register_channel", args=[channel])


def common(**extra) -> dict:
    data = {
        "kind": "application",
        "received_at": "2026-11-16T09:30",
        "author_type": "individual",
        "signatories": 1,
        "text": "Poliklinikada navbat uch kun.",
    }
    data.update(extra)
    return data


def page_of(appeal: Appeal, user) -> str:
    response = client_for(user).get(reverse("appeals:detail", args=[appeal.number]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_register_page_asks_for_the_channel_first_and_leads_to_its_door_r_in_1(
    ministry: Ministry,
) -> None:
    client = client_for(ministry.wg_member)
    page = client.get(reverse("appeals:register")).content.decode()
    assert 'for="id_channel"' in page and 'name="author_name"' not in page
    response = client.get(reverse("appeals:register"), {"channel": "post"})
    assert response.status_code == 302 and response["Location"] == door("post")
    refused = client.get(reverse("appeals:register"), {"channel": "pigeon"})
    assert refused.status_code == 400
    assert "Choose the channel the appeal came through." in refused.content.decode()


def test_a_door_shows_only_its_own_details_r_in_1(ministry: Ministry) -> None:
    client = client_for(ministry.wg_member)
    post = client.get(door("post")).content.decode()
    assert "Letter&#x27;s outgoing number" in post and "Received by post" in post
    assert 'name="caller_phone"' not in post and 'name="sender_email"' not in post
    assert 'name="channel"' not in post
    email = client.get(door("email")).content.decode()
    assert "Sender&#x27;s e-mail address" in email and 'name="sender_address"' not in email


def test_a_hotline_call_is_registered_with_the_caller_and_the_operator_r_in_1(
    ministry: Ministry,
) -> None:
    client = client_for(ministry.wg_member)
    form = client.get(door("hotline")).content.decode()
    # Keyboard-first: the caller's phone is the first field and has the focus.
    assert form.index('name="caller_phone"') < form.index('name="author_name"')
    assert 'name="caller_phone"' in form and "autofocus" in form
    assert 'name="signatories"' not in form and 'name="attachments"' not in form
    response = client.post(
        door("hotline"),
        {
            "caller_phone": "+998 90 111 22 33",
            "author_name": "Toshmatov Eldor",
            "kind": "complaint",
            "received_at": "2026-11-16T09:30",
            "source_reference": "CALL-5521",
            "text": "Shifokor qoʻpol muomala qildi.",
        },
    )
    appeal = Appeal.objects.get()
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response["Location"] == reverse("appeals:detail", args=[appeal.number])
    assert appeal.number.startswith("IT-2026-")
    assert appeal.procedure == Procedure.objects.get(channel="hotline")  # R-IN-2
    assert appeal.caller_phone == "+998 90 111 22 33"
    assert appeal.author_phone == "+998 90 111 22 33"  # the author is the caller
    assert appeal.source_reference == "CALL-5521"
    assert appeal.registered_by == ministry.wg_member
    page = page_of(appeal, ministry.wg_member)
    assert "Caller&#x27;s phone" in page and "CALL-5521" in page
    assert "Operator" in page


def test_the_hotline_refuses_a_call_without_the_callers_phone_r_in_1(ministry: Ministry) -> None:
    response = client_for(ministry.wg_member).post(
        door("hotline"), {"kind": "application", "received_at": "2026-11-16T09:30", "text": "T"}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert 'id="id_caller_phone-error"' in body
    assert "Give the caller&#x27;s phone number." in body
    assert not Appeal.objects.exists()


def test_the_hotline_form_speaks_the_operators_language(ministry: Ministry) -> None:
    user = ministry.wg_member
    user.language = "ru"
    user.save(update_fields=["language"])
    body = client_for(user).post(door("hotline"), {"text": "T"}).content.decode()
    assert "Give the caller&#x27;s phone number." not in body
    assert 'id="id_caller_phone-error"' in body


def test_a_letter_is_registered_with_its_number_date_and_envelope_r_in_1(
    ministry: Ministry,
) -> None:
    response = client_for(ministry.wg_member).post(
        door("post"),
        common(
            author_name="Rasulov Botir",
            source_reference="12/345",
            source_reference_date="2026-11-10",
            sender_address="Parkent tumani, Chinor MFY",
        ),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    appeal = Appeal.objects.get()
    assert appeal.number.startswith("PO-2026-")
    assert appeal.procedure.channel == "post"
    assert (appeal.source_reference, str(appeal.source_reference_date)) == ("12/345", "2026-11-10")
    assert appeal.sender_address == "Parkent tumani, Chinor MFY"
    assert appeal.author_address == "Parkent tumani, Chinor MFY"  # from the envelope
    page = page_of(appeal, ministry.wg_member)
    assert "Letter&#x27;s outgoing number" in page and "12/345" in page
    assert "Sender&#x27;s address on the envelope" in page


def test_a_letter_dated_in_the_future_is_refused_next_to_its_date(ministry: Ministry) -> None:
    response = client_for(ministry.wg_member).post(
        door("post"), common(source_reference_date="2027-01-10")
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert 'id="id_source_reference_date-error"' in body
    assert "The date cannot be in the future." in body


def test_an_email_is_registered_with_its_sender_date_and_subject_r_in_1(
    ministry: Ministry,
) -> None:
    response = client_for(ministry.wg_member).post(
        door("email"),
        common(
            author_name="Aliyeva Nodira",
            sender_email="nodira@example.uz",
            source_reference_date="2026-11-15",
            email_subject="Dori-darmon",
        ),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    appeal = Appeal.objects.get()
    assert appeal.number.startswith("EM-2026-")
    assert appeal.sender_email == appeal.author_email == "nodira@example.uz"
    assert appeal.email_subject == "Dori-darmon"
    page = page_of(appeal, ministry.wg_member)
    assert "nodira@example.uz" in page and "Dori-darmon" in page and "Message date" in page


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "Give the sender&#x27;s e-mail address."),
        ("not-an-address", "Enter the sender&#x27;s e-mail address as name@example.uz."),
    ],
)
def test_an_email_needs_a_valid_sender_address_r_in_1(
    ministry: Ministry, value: str, message: str
) -> None:
    response = client_for(ministry.wg_member).post(door("email"), common(sender_email=value))
    assert response.status_code == 400
    body = response.content.decode()
    assert 'id="id_sender_email-error"' in body and message in body
    assert not Appeal.objects.exists()


def test_a_peoples_reception_referral_is_registered_with_its_reception_r_in_1(
    ministry: Ministry,
) -> None:
    m = ministry
    response = client_for(m.wg_member).post(
        door("peoples_reception"),
        common(
            author_name="Karimov Anvar",
            reception_district=m.district_a.pk,
            source_reference="XQ-77",
            source_reference_date="2026-11-12",
        ),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    appeal = Appeal.objects.get()
    assert appeal.number.startswith("XQ-2026-")
    assert appeal.reception_district == m.district_a
    assert appeal.reception_region == m.region_a  # implied by the district
    page = page_of(appeal, m.wg_member)
    assert "Referral number" in page and "XQ-77" in page and "Zangiota tumani" in page


def test_a_peoples_reception_needs_its_region_and_a_district_of_that_region(
    ministry: Ministry,
) -> None:
    m = ministry
    client = client_for(m.wg_member)
    missing = client.post(door("peoples_reception"), common()).content.decode()
    assert "Choose the region of the People&#x27;s Reception." in missing
    wrong = client.post(
        door("peoples_reception"),
        common(reception_region=m.region_b.pk, reception_district=m.district_a.pk),
    )
    assert wrong.status_code == 400
    body = wrong.content.decode()
    assert 'id="id_reception_district-error"' in body
    assert "This district is not in the chosen region." in body
    assert not Appeal.objects.exists()


def test_a_portal_request_registers_once_r_in_1_l_2(ministry: Ministry) -> None:
    client = client_for(ministry.wg_member)
    missing = client.post(door("e_services"), common())
    assert missing.status_code == 400
    assert "Give the request number from the portal." in missing.content.decode()
    first = client.post(door("e_services"), common(portal_request_id="EX-2026-998877"))
    second = client.post(
        door("e_services"), common(portal_request_id="EX-2026-998877"), follow=True
    )
    appeal = Appeal.objects.get()
    assert first.status_code == 302
    assert appeal.external_id == "EX-2026-998877" and appeal.procedure.channel == "e_services"
    assert (
        f"This portal request is already registered under number {appeal.number}."
        in second.content.decode()
    )
    assert "Portal request number" in page_of(appeal, ministry.wg_member)


def test_personal_intake_details_are_hidden_from_who_may_not_see_personal_data_l_10(
    ministry: Ministry,
) -> None:
    m = ministry
    client_for(m.wg_member).post(
        door("hotline"),
        {
            "caller_phone": "+998 90 555 44 33",
            "received_at": "2026-11-16T09:30",
            "kind": "application",
            "source_reference": "CALL-9",
            "hide_personal_data": "on",
            "text": "Maxfiy.",
        },
    )
    appeal = Appeal.objects.get()
    assert appeal.hide_personal_data
    assert "+998 90 555 44 33" in page_of(appeal, m.wg_member)
    hidden = page_of(appeal, m.auditor)
    assert "+998 90 555 44 33" not in hidden and "Caller&#x27;s phone" not in hidden
    assert "CALL-9" in hidden  # the call's reference is not the author's data


def test_a_responsible_officer_registers_a_hotline_call_r_org_4(ministry: Ministry) -> None:
    officer = ministry.regional_executor  # the regional directorate's responsible officer
    client = client_for(officer)
    assert client.get(reverse("appeals:register")).status_code == 200
    response = client.post(
        door("hotline"),
        {
            "caller_phone": "+998 71 200 00 00",
            "author_name": "Yusupova Madina",
            "received_at": "2026-11-16T09:30",
            "kind": "application",
            "text": "Tez yordam kechikdi.",
        },
        follow=True,
    )
    appeal = Appeal.objects.get()
    assert appeal.registered_by == officer and appeal.caller_phone == "+998 71 200 00 00"
    body = response.content.decode()
    # Not routed yet, the appeal is not in the officer's sight: they stay at the hotline door.
    assert response.redirect_chain[-1][0] == door("hotline")
    assert f"The appeal is registered under number {appeal.number}." in body
    assert "Register an appeal" in client.get("/appeals/inbox/").content.decode()


def test_an_unrelated_organisations_user_cannot_register_r_org_4(ministry: Ministry) -> None:
    client = client_for(ministry.outsider)  # an association's executor and head
    for url in (reverse("appeals:register"), door("hotline"), door("post")):
        assert client.get(url).status_code == 403, url
    response = client.post(door("hotline"), {"caller_phone": "+998901112233", "text": "T"})
    assert response.status_code == 403
    assert not Appeal.objects.exists()
    assert "Register an appeal" not in client.get("/appeals/inbox/").content.decode()


def test_the_service_refuses_a_detail_of_another_door_r_in_1(ministry: Ministry) -> None:
    with pytest.raises(DomainError) as refused:
        services.register_appeal(
            actor=ministry.wg_member,
            channel="post",
            text="Xat.",
            details=IntakeDetails(caller_phone="+998901112233"),
        )
    assert refused.value.code == "intake_detail_not_for_channel"
    assert refused.value.field == "caller_phone"
    assert not Appeal.objects.exists()
