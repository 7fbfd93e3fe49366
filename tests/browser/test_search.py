"""Search in a real browser: a Cyrillic query finds Latin text and the reverse, and an
organisation never finds what it does not handle (issue 4)."""

from __future__ import annotations

from typing import Any

import pytest

from murojaat.appeals import services
from tests.browser.conftest import register_now as register

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def search(session: Any, query: str) -> Any:
    page = session.open("/appeals/search/")
    page.locator("#id_q").fill(query)
    with page.expect_navigation():
        page.get_by_role("button", name="Find").click()
    return page


def test_search_is_insensitive_to_script_and_case_and_scoped(
    live_ministry: Any, session_for: Any
) -> None:
    m = live_ministry
    latin = register(author_name="Karimova Dilnoza", text="Poliklinikada navbat uch kun.")
    cyrillic = register(
        author_name="Юлдашева Мохира", text="Туғруқхонада пул олишди.", author_phone="+998935554433"
    )
    other_region = register(
        author_name="Karimova Zuhra", text="Urgut shifoxonasi.", author_phone="+998911112233"
    )
    services.route_appeal(actor=m.wg_member, appeal=latin, to_org=m.regional_a)
    services.route_appeal(actor=m.wg_member, appeal=other_region, to_org=m.regional_b)

    wg = session_for(m.wg_member, next_url="/appeals/search/")
    page = search(wg, "КАРИМОВА")
    assert page.get_by_role("link", name=latin.number).is_visible()
    assert page.get_by_role("link", name=other_region.number).is_visible()
    page = search(wg, "yuldasheva")
    assert page.get_by_role("link", name=cyrillic.number).is_visible()
    page = search(wg, "93 555 44 33")
    assert page.get_by_role("link", name=cyrillic.number).is_visible()
    wg.shot("search-cyrillic-finds-latin")

    # The Tashkent region's directorate sees its own appeal only.
    rd = session_for(m.regional_executor, next_url="/appeals/search/")
    page = search(rd, "karimova")
    assert page.get_by_role("link", name=latin.number).is_visible()
    assert page.get_by_role("link", name=other_region.number).count() == 0
