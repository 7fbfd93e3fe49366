"""axe-core (shipped inside axe-playwright-python) on the workspace, dashboard, case and login
pages: serious and critical violations fail the test. Screenshots of the inbox and the
dashboard at desktop and phone widths land in artifacts/screenshots/ for a human to look at.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import DESKTOP, PHONE, SCREENSHOTS

WIDTHS = {"desktop": DESKTOP, "phone": PHONE}
BLOCKING = {"serious", "critical"}

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def data(transactional_db: None) -> Any:
    from tests.factories import build_ministry
    from tests.reports.scenario import build

    ministry = build_ministry()
    build(ministry)
    return ministry


def blocking_violations(page: Any) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    found = []
    for violation in results.response["violations"]:
        if violation.get("impact") in BLOCKING:
            targets = [", ".join(node["target"]) for node in violation["nodes"][:5]]
            found.append(
                f"{violation['id']} ({violation['impact']}): {violation['help']} {targets}"
            )
    return found


def report(problems: dict[str, list[str]]) -> str:
    return "\n".join(f"{page}: {item}" for page, items in problems.items() for item in items)


def test_the_login_page_has_no_serious_violations(chromium: Any, live_server: Any) -> None:
    context = chromium.new_context(base_url=live_server.url, locale="en-GB")
    page = context.new_page()
    page.goto("/accounts/login/")
    assert blocking_violations(page) == []
    context.close()


@pytest.mark.parametrize("width", list(WIDTHS))
def test_workspace_and_dashboard_pages_have_no_serious_violations(
    session_for: Any, data: Any, width: str
) -> None:
    session = session_for(data.wg_member, next_url="/appeals/inbox/", phone=width == "phone")
    page = session.page
    pages = {
        "inbox": "/appeals/inbox/",
        "inbox-returned": "/appeals/inbox/?tab=returned&channel=minister_vr",
        "search": "/appeals/search/?q=karimova",
        "dashboard": "/reports/?date_from=2026-11-01",
        "monthly": "/reports/monthly/?month=2026-11",
        "organisations": "/orgs/",
        "staff": "/orgs/staff/",
        "parties": "/parties/",
        "receptions": "/receptions/",
        "leaders": "/receptions/leaders/",
        "trainings": "/receptions/trainings/",
        "discipline": "/receptions/discipline/",
    }
    from murojaat.appeals.models import Appeal

    first = Appeal.objects.order_by("pk").first()
    if first is not None:
        pages["appeal"] = f"/appeals/{first.number}/"
    problems = {}
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for name, url in pages.items():
        page.goto(url)
        if name == "dashboard":
            page.wait_for_function("() => document.querySelectorAll('canvas').length > 0")
            page.wait_for_timeout(500)  # let Chart.js finish its first frame
        if name in ("inbox", "dashboard", "monthly", "search", "appeal"):
            page.screenshot(path=str(SCREENSHOTS / f"{name}-{width}.png"), full_page=True)
        found = blocking_violations(page)
        if found:
            problems[name] = found
    assert problems == {}, report(problems)


def test_a_head_s_pages_have_no_serious_violations(session_for: Any, data: Any) -> None:
    page = session_for(data.regional_head, next_url="/appeals/inbox/").page
    problems = {}
    for url in ("/appeals/inbox/?tab=in_work", "/reports/"):
        page.goto(url)
        found = blocking_violations(page)
        if found:
            problems[url] = found
    assert problems == {}, report(problems)
