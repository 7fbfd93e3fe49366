"""Search by number, author, phone and words of the text, whatever the script and case."""

from __future__ import annotations

import pytest
from django.urls import reverse

from murojaat.appeals import services
from murojaat.appeals.models import Appeal
from murojaat.appeals.selectors import can_see_personal_data
from murojaat.appeals.views_workspace import search_appeals, withheld_from
from tests.appeals.helpers import register
from tests.factories import Ministry

pytestmark = pytest.mark.django_db


@pytest.fixture
def appeals(ministry: Ministry) -> dict[str, object]:
    latin = register(
        author_name="Karimova Dilnoza",
        author_phone="+998 90 123-45-67",
        text="Poliklinikada shifokor qabul qilmadi, navbat uch kun. Oʻquv seminari yoʻq.",
        author_region_id=ministry.region_a.pk,
    )
    cyrillic = register(
        author_name="Тошматов Алишер",
        author_phone="+998711234567",
        author_email="alisher@example.uz",
        text="Касалхонада дори йўқ, ғазна бўш.",
        author_region_id=ministry.region_a.pk,
    )
    other = register(
        author_name="Boshqa Odam",
        author_phone="+998935550011",
        text="Tez yordam kech keldi.",
        author_region_id=ministry.region_b.pk,
    )
    services.route_appeal(actor=ministry.wg_member, appeal=latin, to_org=ministry.regional_a)
    services.route_appeal(actor=ministry.wg_member, appeal=other, to_org=ministry.regional_b)
    return {"latin": latin, "cyrillic": cyrillic, "other": other}


def found(user, query: str) -> set[str]:
    return set(search_appeals(user, query).values_list("number", flat=True))


def test_a_cyrillic_query_finds_latin_text_and_the_reverse(
    ministry: Ministry, appeals: dict
) -> None:
    wg = ministry.wg_member
    assert found(wg, "Каримова") == {appeals["latin"].number}
    assert found(wg, "шифокор") == {appeals["latin"].number}
    assert found(wg, "toshmatov") == {appeals["cyrillic"].number}
    assert found(wg, "dori yoʻq") == {appeals["cyrillic"].number}


def test_case_and_apostrophes_do_not_matter(ministry: Ministry, appeals: dict) -> None:
    wg = ministry.wg_member
    assert found(wg, "KARIMOVA") == {appeals["latin"].number}
    assert found(wg, "o'quv SEMINARI") == {appeals["latin"].number}
    assert found(wg, "ЎҚУВ СЕМИНАРИ") == {appeals["latin"].number}
    assert found(wg, "Oʻquv") == {appeals["latin"].number}


def test_every_word_must_match(ministry: Ministry, appeals: dict) -> None:
    wg = ministry.wg_member
    assert found(wg, "Karimova navbat") == {appeals["latin"].number}
    assert found(wg, "Karimova dori") == set()


def test_search_by_number_and_e_mail(ministry: Ministry, appeals: dict) -> None:
    wg = ministry.wg_member
    number = appeals["other"].number
    assert found(wg, number) == {number}
    assert found(wg, number.lower()) == {number}
    assert found(wg, "alisher@example.uz") == {appeals["cyrillic"].number}


def test_a_phone_is_found_whatever_its_spacing(ministry: Ministry, appeals: dict) -> None:
    wg = ministry.wg_member
    latin = appeals["latin"].number
    assert found(wg, "901234567") == {latin}
    assert found(wg, "+998 90 123 45 67") == {latin}
    assert found(wg, "(90) 123-45-67") == {latin}
    assert found(wg, "998-71-123-45-67") == {appeals["cyrillic"].number}


def test_only_visible_appeals_are_found(ministry: Ministry, appeals: dict) -> None:
    # The regional directorate of region A holds only the Latin appeal.
    assert found(ministry.regional_executor, "Karimova") == {appeals["latin"].number}
    assert found(ministry.regional_executor, "Toshmatov") == set()
    assert found(ministry.regional_executor, "yordam") == set()
    assert found(ministry.outsider, "Karimova") == set()
    assert found(ministry.outsider, "901234567") == set()


def test_an_empty_query_finds_nothing(ministry: Ministry, appeals: dict) -> None:
    assert found(ministry.wg_member, "   ") == set()
    assert found(ministry.wg_member, "'") == set()


def test_the_search_page_lists_results_with_links(
    client, ministry: Ministry, appeals: dict
) -> None:
    client.force_login(ministry.wg_member)
    response = client.get(reverse("appeals:search"), {"q": "каримова"})
    assert response.status_code == 200
    html = response.content.decode()
    number = appeals["latin"].number
    assert f'href="/appeals/{number}/"' in html
    assert "1 appeal found" in html
    assert 'value="каримова"' in html
    empty = client.get(reverse("appeals:search"))
    assert empty.status_code == 200 and empty.context["rows"] == []


def test_the_search_page_is_paginated(client, ministry: Ministry) -> None:
    for i in range(27):
        register(text=f"Navbat muammosi {i}")
    client.force_login(ministry.wg_member)
    response = client.get(reverse("appeals:search"), {"q": "navbat"})
    assert len(response.context["rows"]) == 25
    assert response.context["page"].paginator.count == 27
    assert "q=navbat&amp;page=2" in response.content.decode()


@pytest.mark.postgres
def test_postgresql_has_the_trigram_index_and_the_search_can_use_it(ministry: Ministry) -> None:
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'appeals_appeal_search_text_trgm'"
        )
        (definition,) = cursor.fetchone()
    assert "gin_trgm_ops" in definition
    sql = str(search_appeals(ministry.wg_member, "Karimova").query)
    # A plain LIKE on the column (both sides are case-folded already): the index applies.
    assert '"appeals_appeal"."search_text"::text LIKE' in sql or (
        '"appeals_appeal"."search_text" LIKE' in sql
    )
    assert "UPPER(" not in sql


@pytest.fixture
def hidden(ministry: Ministry):
    """L-10: an author who asked to be hidden, routed to rd-1727 and not yet accepted there."""
    appeal = register(
        author_name="Yashirin Muallif",
        author_phone="+998 97 777-00-11",
        author_email="yashirin@example.uz",
        text="Тез ёрдам машинаси келмади, oʻzbek tilida javob bering.",
        author_region_id=ministry.region_a.pk,
        hide_personal_data=True,
    )
    (top,) = services.route_appeal(
        actor=ministry.wg_member, appeal=appeal, to_org=ministry.regional_a
    )
    return appeal, top


BY_AUTHOR = [
    "Yashirin",
    "muallif",
    "Яширин",
    "977770011",
    "+998 97 777-00-11",
    "yashirin@example.uz",
    "Yashirin mashinasi",
]
BY_CONTENT = [
    "mashinasi",
    "Машинаси",
    "TEZ yordam",
    "oʻzbek",
    "o'zbek tilida",
    # The same folding as everyone's search: no apostrophe, mixed scripts, upper case.
    "ozbek",
    "ЎЗБЕК тилида",
    "Tez  ёрдам",
]


def test_an_author_who_asked_to_be_hidden_is_not_found_by_name_phone_or_e_mail_l_10(
    ministry: Ministry, hidden
) -> None:
    """The auditor and a receiver that has not accepted yet may not see the author (L-10), so
    a search for the author's name, phone or e-mail must not single the appeal out; its number
    and the words of its text still find it."""
    appeal, top = hidden
    for user in (ministry.auditor, ministry.regional_executor, ministry.regional_head):
        assert not can_see_personal_data(user, appeal)
        for query in BY_AUTHOR:
            assert appeal.number not in found(user, query), (user.username, query)
        for query in [*BY_CONTENT, appeal.number, appeal.number.lower()]:
            assert appeal.number in found(user, query), (user.username, query)
    # The working group may see the author, and so finds the appeal by the author too.
    for query in BY_AUTHOR:
        assert appeal.number in found(ministry.wg_member, query), query
    # Once rd-1727 accepts, it executes the appeal and may see (and search for) the author.
    services.accept_assignment(actor=ministry.regional_executor, assignment=top)
    assert can_see_personal_data(ministry.regional_executor, appeal)
    for query in BY_AUTHOR:
        assert appeal.number in found(ministry.regional_executor, query), query
    # The auditor still may not.
    assert found(ministry.auditor, "Yashirin") == set()


def test_the_search_restriction_is_the_same_rule_as_the_appeal_page_l_10(
    ministry: Ministry, hidden, appeals: dict
) -> None:
    """withheld_from is selectors.can_see_personal_data as a query: they must agree."""
    appeal, top = hidden
    users = [
        ministry.wg_member,
        ministry.wg_head,
        ministry.auditor,
        ministry.regional_executor,
        ministry.regional_head,
        ministry.association_executor,
        ministry.md_executor,
    ]

    def agree(step: str) -> None:
        for user in users:
            for a in (appeal, appeals["latin"]):
                withheld = withheld_from(user)
                hides = withheld is not None and Appeal.objects.filter(withheld, pk=a.pk).exists()
                assert hides is not can_see_personal_data(user, a), (step, user.username)

    agree("sent")
    services.accept_assignment(actor=ministry.regional_executor, assignment=top)
    agree("accepted")


def test_the_search_page_does_not_reveal_a_hidden_author_to_the_auditor_l_10(
    client, ministry: Ministry, hidden
) -> None:
    appeal, _ = hidden
    client.force_login(ministry.auditor)
    response = client.get(reverse("appeals:search"), {"q": "Yashirin"})
    assert response.status_code == 200 and response.context["rows"] == []
    response = client.get(reverse("appeals:search"), {"q": "mashinasi"})
    html = response.content.decode()
    assert appeal.number in html and "Yashirin" not in html.replace('value="mashinasi"', "")


@pytest.mark.postgres
def test_postgresql_matches_words_through_the_trigram_index_alone(
    ministry: Ministry, appeals: dict
) -> None:
    """Issue 4 §3, issue 9: one `LIKE '%word%'` per word on the trigram index (migration 0004);
    a prefix (what the full-text index of migration 0006 matched), a piece inside a word and
    the other script are all found by it."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    wg = ministry.wg_member
    latin = appeals["latin"].number
    assert found(wg, "karim") == {latin}
    assert found(wg, "rimova") == {latin}
    assert found(wg, "ШИФО навб") == {latin}
    assert found(wg, "alisher@example.uz") == {appeals["cyrillic"].number}
    sql, params = search_appeals(wg, "karimova navbat").order_by().query.sql_with_params()
    assert "to_tsvector" not in sql and sql.count("LIKE") == 2
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "appeals_appeal_search_text_trgm" in plan and "_fts" not in plan, plan


@pytest.mark.postgres
def test_dropping_the_full_text_arm_finds_the_same_appeals(ministry: Ministry, appeals) -> None:
    """Issue 9: the former condition, `prefix on the full-text index OR LIKE`, and the LIKE
    alone return the same appeals, for prefixes, pieces inside words, whole words, both
    scripts, words at the start and end of the text, and words found nowhere."""
    from django.db import connection

    from murojaat.core.translit import normalize_for_search

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    register(text="Antiinsulin va insulinga oid savol; qabulxona-navbat, seminar2026 kod.")
    register(text="Insulin yoʻq. INSULINOMA tekshiruvi: navbatsiz.")
    queries = (
        "insulin",
        "nsulin",
        "insul",
        "INSULINGA",
        "инсулин",
        "navbat",
        "avba",
        "qabulxona",
        "xona",
        "seminar2026",
        "2026",
        "kod",
        "yoq",
        "karimova",
        "rimov",
        "shifokor",
        "ШИФО",
        "tekshiruv",
        "zzz",
        "a",
    )
    wg = ministry.wg_member
    for query in queries:
        word = normalize_for_search(query)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT number FROM appeals_appeal WHERE to_tsvector('simple'::regconfig, "
                "search_text) @@ to_tsquery('simple'::regconfig, %s) OR search_text LIKE %s",
                [f"{word}:*", f"%{word}%"],
            )
            former = {row[0] for row in cursor.fetchall()}
        assert found(wg, query) == former, query


def test_sqlite_falls_back_to_like_without_full_text_syntax(ministry: Ministry, appeals) -> None:
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    sql, _ = search_appeals(ministry.wg_member, "karimova navbat").query.sql_with_params()
    assert "to_tsvector" not in sql and "LIKE" in sql
    assert found(ministry.wg_member, "rimova navb") == {appeals["latin"].number}


@pytest.mark.parametrize("spelling", ["+998 90 123-45-67", "90 123 45 67", "8 90 123 45 67"])
def test_a_whole_phone_finds_its_author_s_appeals_by_the_author_key(
    ministry: Ministry, appeals: dict, spelling: str
) -> None:
    """Issue 9: a whole phone is the author's key (L-6's E.164 index), whatever its spelling,
    not a trigram search whose trigrams ("998", "901") every appeal has; a part of a phone
    is still searched in the text."""
    from django.db import connection

    wg = ministry.wg_member
    latin = appeals["latin"].number
    again = register(author_name="Karimova D.", author_phone="901234567", text="Yana yozdim.")
    assert found(wg, spelling) == {latin, again.number}
    assert found(wg, "1234567") == {latin, again.number, appeals["cyrillic"].number}
    sql = str(search_appeals(wg, spelling).query)
    assert "author_phone_key" in sql and "LIKE" not in sql.upper().replace("ILIKE", "LIKE")
    if connection.vendor == "postgresql":
        plan = _plan(search_appeals(wg, spelling))
        assert "appeal_author_phone_key" in plan and "_trgm" not in plan, plan


def test_a_whole_number_is_the_appeal_with_that_number(ministry: Ministry, appeals: dict) -> None:
    """Issue 9: "PV-2026-000123" in any case is one probe of the number's unique index, not a
    trigram search whose trigrams ("pv-", "202") every appeal of the year has."""
    from django.db import connection

    wg = ministry.wg_member
    number = appeals["other"].number
    assert found(wg, number.lower()) == {number}
    if connection.vendor == "postgresql":
        plan = _plan(search_appeals(wg, number))
        assert "appeals_appeal_number" in plan and "_trgm" not in plan, plan


def _plan(qs) -> str:
    from django.db import connection

    sql, params = qs.order_by().values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


def test_a_number_past_a_million_a_year_is_still_a_whole_number() -> None:
    """`{seq:06d}` gives seven digits from the millionth appeal of a channel's year."""
    from murojaat.appeals.selectors.search import WHOLE_NUMBER

    assert WHOLE_NUMBER.match("BN-2026-1248084") and WHOLE_NUMBER.match("pv-2026-000123")
    assert not WHOLE_NUMBER.match("PV-2026-0001") and not WHOLE_NUMBER.match("2026-000123")
