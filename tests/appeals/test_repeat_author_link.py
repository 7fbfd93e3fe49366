"""L-6 "the same author wrote before" on the appeal's page: only what the viewer may open, nothing
where L-10 withholds the author, and one author however the phone was typed (issue 10, item 9)."""

from __future__ import annotations

from datetime import datetime

import pytest
from django.test import Client
from django.urls import reverse

from murojaat.appeals import services
from murojaat.appeals.models import Appeal
from murojaat.appeals.selectors.authors import earlier_of_author, same_author
from murojaat.assist.services import open_candidates
from tests.appeals.helpers import TASHKENT, register
from tests.factories import Ministry

pytestmark = pytest.mark.django_db

# Three Mondays before the fixtures' clock (Wednesday 18 Nov 2026).
NOV_2, NOV_9, NOV_16 = (datetime(2026, 11, d, 10, 0, tzinfo=TASHKENT) for d in (2, 9, 16))
TYPED = "+998 90 123-45-67"
BARE = "+998901234567"


def page(user, appeal: Appeal) -> str:
    client = Client()
    client.force_login(user)
    response = client.get(reverse("appeals:detail", args=[appeal.number]))
    assert response.status_code == 200
    return response.content.decode()


def link_in(html: str) -> str | None:
    """The number the page's L-6 link names, or None when there is no link."""
    marker = 'id="earlier-by-author"'
    if marker not in html:
        return None
    paragraph = html.split(marker, 1)[1].split("</p>", 1)[0]
    return paragraph.rsplit("</a>", 1)[0].rsplit(">", 1)[1]


def routed(m: Ministry, appeal: Appeal, org) -> Appeal:
    services.route_appeal(actor=m.wg_member, appeal=appeal, to_org=org)
    return appeal


def test_two_spellings_of_one_phone_are_one_author_at_intake_and_on_the_page_l_6(
    ministry: Ministry,
) -> None:
    m = ministry
    first = register(received=NOV_9, author_phone=TYPED, author_name="Boshqa Ism")
    second = register(received=NOV_16, author_phone=BARE)
    assert first.author_phone_key == second.author_phone_key == BARE
    assert second.repeat_of == first
    assert same_author(first, second)
    assert link_in(page(m.wg_member, second)) == first.number
    # The duplicate finder asks the same rule: the earlier letter is in the pool by its phone
    # even from another region.
    first.author_region = m.region_b
    first.save(update_fields=["author_region"])
    second.author_region = m.region_a
    second.save(update_fields=["author_region"])
    assert first in open_candidates(second)


def test_a_different_phone_is_another_author_even_with_the_same_name_l_6(
    ministry: Ministry,
) -> None:
    first = register(received=NOV_9, author_phone="+998 90 765-43-21")
    second = register(received=NOV_16, author_phone=BARE)
    assert second.repeat_of is None
    assert not same_author(first, second)
    assert link_in(page(ministry.wg_member, second)) is None


def test_the_link_names_only_what_the_viewer_may_open_r_p3_5_l_6(ministry: Ministry) -> None:
    """The region's earlier letter for its executor, the other region's never; the working
    group sees every appeal, so the newest earlier one."""
    m = ministry
    own_region = routed(m, register(received=NOV_2, author_phone=TYPED), m.regional_a)
    other_region = routed(m, register(received=NOV_9, author_phone=BARE), m.regional_b)
    latest = routed(m, register(received=NOV_16, author_phone=TYPED), m.regional_a)
    assert latest.repeat_of == other_region  # the registration's link is not scoped

    assert link_in(page(m.wg_member, latest)) == other_region.number
    regional = page(m.regional_executor, latest)
    assert link_in(regional) == own_region.number
    assert other_region.number not in regional


def test_no_link_when_the_only_earlier_letter_is_another_region_s_r_p3_5(
    ministry: Ministry,
) -> None:
    m = ministry
    other_region = routed(m, register(received=NOV_9, author_phone=TYPED), m.regional_b)
    latest = routed(m, register(received=NOV_16, author_phone=BARE), m.regional_a)
    html = page(m.regional_executor, latest)
    assert link_in(html) is None
    assert other_region.number not in html


def test_no_link_where_the_author_is_withheld_from_the_viewer_l_10(ministry: Ministry) -> None:
    """The author asked to withhold their details. The association was sent the letter but has
    not accepted it, so it does not see the author (L-10): no link, though it may open the
    earlier letter (the link would say who wrote). Nor for the auditor, who opens every appeal
    but sees no withheld author. The working group and the executing directorate see it."""
    m = ministry
    earlier = register(received=NOV_9, author_phone=TYPED)
    (top,) = services.route_appeal(actor=m.wg_member, appeal=earlier, to_org=m.regional_a)
    services.accept_assignment(actor=m.regional_executor, assignment=top)
    child = services.forward_assignment(
        actor=m.regional_executor, assignment=top, to_org=m.association_a
    )
    services.accept_assignment(actor=m.association_executor, assignment=child)
    latest = register(received=NOV_16, author_phone=BARE, hide_personal_data=True)
    (top,) = services.route_appeal(actor=m.wg_member, appeal=latest, to_org=m.regional_a)
    services.accept_assignment(actor=m.regional_executor, assignment=top)
    services.forward_assignment(actor=m.regional_executor, assignment=top, to_org=m.association_a)

    assert link_in(page(m.wg_member, latest)) == earlier.number
    assert link_in(page(m.regional_executor, latest)) == earlier.number
    assert link_in(page(m.association_executor, earlier)) is None  # nothing before it
    for viewer in (m.association_executor, m.auditor):
        html = page(viewer, latest)
        assert link_in(html) is None
        assert earlier.number not in html


def test_no_link_to_an_earlier_letter_whose_author_is_withheld_from_the_viewer_l_10(
    ministry: Ministry,
) -> None:
    """The earlier letter asked for withholding: linking it would tie its withheld author to
    this letter. The auditor opens both appeals but sees neither author."""
    m = ministry
    earlier = routed(
        m, register(received=NOV_9, author_phone=TYPED, hide_personal_data=True), m.regional_a
    )
    latest = routed(m, register(received=NOV_16, author_phone=BARE), m.regional_a)
    assert link_in(page(m.wg_member, latest)) == earlier.number
    assert link_in(page(m.auditor, latest)) is None


def test_the_earlier_letters_are_those_received_before_newest_first_l_6(
    ministry: Ministry,
) -> None:
    first = register(received=NOV_2, author_email="Karimova@Mail.UZ", author_phone="")
    second = register(received=NOV_9, author_email="karimova@mail.uz", author_phone="")
    third = register(received=NOV_16, author_email="KARIMOVA@mail.uz", author_phone="")
    assert list(earlier_of_author(third, Appeal.objects.all())) == [second, first]
    assert list(earlier_of_author(first, Appeal.objects.all())) == []


def test_the_l_6_termination_finds_the_answered_letter_however_the_phone_was_typed(
    ministry: Ministry,
) -> None:
    """L-6: a repeat with nothing new is terminated once the same author's earlier appeal was
    answered; the guard asks the same keys as the link."""
    from murojaat.appeals.models import AppealState
    from murojaat.core.errors import DomainError
    from tests.appeals.test_closure_and_source import _answered_and_sent

    m = ministry
    answered = register(received=NOV_2, author_phone=TYPED)
    unanswered = register(received=NOV_9, author_phone="8 90 123 45 67")
    repeat = register(received=NOV_16, author_phone=BARE, text="Yana oʻsha masala")
    assert repeat.repeat_of == unanswered
    with pytest.raises(DomainError) as err:
        services.terminate_appeal(actor=m.wg_member, appeal=repeat, ground="repeated")
    assert err.value.code == "no_earlier_answer"
    _answered_and_sent(m, answered)
    services.terminate_appeal(actor=m.wg_member, appeal=repeat, ground="repeated")
    repeat.refresh_from_db()
    assert repeat.state == AppealState.TERMINATED
    assert repeat.events.get(kind="terminated").data["earlier"] == answered.number
