"""Confidentiality sweep (R-P3-5): every page of the site, opened by a user of an unrelated
organisation, shows nothing of an appeal that organisation does not handle.

Generic on purpose: a page added later is swept too, because the URL list is read from the
resolver, not written here. Each page is fetched with GET (and POST where it acts) using the
foreign appeal's number and ids; the answer must be a refusal or must not contain the
appeal's number, author, phone or text.
"""

from __future__ import annotations

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from murojaat.appeals import services
from murojaat.appeals.models import Appeal
from tests.appeals.helpers import register
from tests.factories import Ministry

pytestmark = pytest.mark.django_db

SKIP_NAMESPACES = ("admin", "api", "parties")  # API: per-client scope, tested in tests/gateway


def _routes(patterns=None, prefix="", ns=""):
    for p in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(p, URLResolver):
            name = ns + (f"{p.namespace}:" if p.namespace else "")
            yield from _routes(p.url_patterns, prefix + str(p.pattern), name)
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), ns + (p.name or "")


def _fill(route: str, appeal: Appeal) -> str:
    assignment = appeal.assignments.first()
    document = appeal.documents.first()
    values = {
        "number": appeal.number,
        "assignment_id": str(assignment.pk),
        "pk": str(document.pk) if document else "1",
        "action": "accept",
        "code": "rd-1727",
        "slug": "x",
        "channel": "hotline",
        "token": "x" * 43,
        "fmt": "csv",
    }
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: values[m.group(1)], route)


def _secrets(appeal: Appeal) -> list[str]:
    return [appeal.number, appeal.author_name, appeal.author_phone, appeal.text[:30]]


@pytest.fixture
def foreign_appeal(ministry: Ministry) -> Appeal:
    """An appeal of region A, with an assignment and a document, that the outsider (an
    association of region B) does not handle."""
    from tests.appeals.helpers import PDF

    appeal = register(
        author_name="Maxfiy Muallif",
        author_phone="+998900000777",
        text="Maxfiy holat: shifoxonada pora talab qilindi.",
    )
    (top,) = services.route_appeal(
        actor=ministry.wg_member, appeal=appeal, to_org=ministry.regional_a
    )
    services.accept_assignment(actor=ministry.regional_executor, assignment=top)
    services.add_document(
        actor=ministry.regional_executor,
        appeal=appeal,
        assignment=top,
        kind="scan",
        name="scan.pdf",
        content=PDF,
    )
    return appeal


def test_no_page_shows_a_foreign_appeal_to_an_unrelated_organisation(
    client, ministry: Ministry, foreign_appeal: Appeal
) -> None:
    client.force_login(ministry.outsider)
    checked = 0
    leaks = []
    for route, name in _routes():
        if name.split(":")[0] in SKIP_NAMESPACES or name in ("set_language", "accounts:logout"):
            continue
        url = _fill(route, foreign_appeal)
        secrets = _secrets(foreign_appeal)
        if name == "appeals:search":
            # Searched by the author's phone: the page may echo the query, never the appeal.
            url += "?q=" + foreign_appeal.author_phone.lstrip("+")
            secrets = [foreign_appeal.number, foreign_appeal.author_name, foreign_appeal.text[:30]]
        if name == "public:open_data":
            # L-11: the published register names every appeal by its number (as the Virtual
            # Reception's does); nothing else of it may appear.
            secrets = [s for s in secrets if s != foreign_appeal.number]
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            checked += 1
            if response.status_code in (302, 400, 403, 404, 405, 413, 429):
                continue
            body = response.content.decode(errors="replace")
            found = [s for s in secrets if s and s in body]
            if found:
                leaks.append(f"{method.upper()} {url} ({name}): {found}")
    assert checked > 40
    assert leaks == []
    foreign_appeal.refresh_from_db()
    assert foreign_appeal.assignments.get().state == "accepted"  # nothing was acted on


def test_the_sweep_would_see_a_leak(client, ministry: Ministry, foreign_appeal: Appeal) -> None:
    """The sweep is not vacuous: the organisation that handles the appeal does see it."""
    client.force_login(ministry.regional_executor)
    body = client.get(f"/appeals/{foreign_appeal.number}/").content.decode()
    assert all(s in body for s in _secrets(foreign_appeal))
