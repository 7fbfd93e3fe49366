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
        "trainings": "/control/trainings/",
        "discipline": "/control/discipline/",
        "discipline-ranking": "/reports/discipline/?date_from=2026-11-01",
        "monthly-appeals": "/reports/monthly/appeals/?month=2026-11&column=received",
        "public-statistics": "/public/statistics/?year=2026&quarter=4",
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
        if name in ("inbox", "dashboard", "monthly", "search", "appeal", "public-statistics"):
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


# The header: staff offices work at 1280-1366 px, so the sections must not hide behind the
# toggle there; phones keep the collapsed menu and never scroll sideways.
HEADER_WIDTHS = {"office": 1280, "small-laptop": 1024, "lg-edge": 992}


@pytest.mark.parametrize("width", list(HEADER_WIDTHS))
def test_staff_see_every_section_and_the_language_switch_without_the_toggle_from_992px(
    session_for: Any, live_ministry: Any, width: str
) -> None:
    session = session_for(live_ministry.wg_member, next_url="/appeals/inbox/")
    page = session.page
    page.set_viewport_size({"width": HEADER_WIDTHS[width], "height": 800})
    page.reload()
    assert page.locator(".navbar-toggler").is_hidden()
    links = page.locator("#nav .nav-link")
    assert links.count() >= 8  # the working group's sections
    for index in range(links.count()):
        assert links.nth(index).is_visible(), links.nth(index).inner_text()
    assert page.locator("#language-select").is_visible()
    width_px = HEADER_WIDTHS[width]
    assert page.evaluate("document.documentElement.scrollWidth") <= width_px
    # Keyboard: from the skip link, Tab reaches the brand, the language switch, the person, and
    # the sections in their visual order.
    page.keyboard.press("Tab")
    order = []
    for _ in range(7):
        page.keyboard.press("Tab")
        order.append(page.evaluate("document.activeElement.id || document.activeElement.innerText"))
    assert order.index("language-select") < order.index("Inbox")
    assert blocking_violations(page) == []


def test_on_a_phone_the_toggle_opens_the_language_switch_and_the_sections_from_the_keyboard(
    session_for: Any, live_ministry: Any
) -> None:
    page = session_for(live_ministry.wg_member, next_url="/appeals/inbox/", phone=True).page
    toggler = page.locator(".navbar-toggler")
    assert toggler.is_visible()
    assert page.locator("#nav .nav-link").first.is_hidden()
    assert page.locator("#language-select").is_hidden()
    toggler.focus()
    page.keyboard.press("Enter")
    page.locator("#nav .nav-link").first.wait_for(state="visible")
    page.locator("#language-select").wait_for(state="visible")
    assert toggler.get_attribute("aria-expanded") == "true"
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert blocking_violations(page) == []


@pytest.mark.parametrize("width", list(WIDTHS))
def test_a_citizen_sees_the_language_switch_on_the_public_pages_at_desktop_width(
    chromium: Any, live_server: Any, live_ministry: Any, width: str
) -> None:
    viewport = WIDTHS[width]
    context = chromium.new_context(base_url=live_server.url, locale="en-GB", viewport=viewport)
    page = context.new_page()
    problems = {}
    for url in ("/citizens/", "/citizens/track/"):
        page.goto(url)
        switch = page.locator("#language-select")
        if width == "desktop":
            assert switch.is_visible(), url
            assert page.locator("#nav .nav-link").first.is_visible(), url
        else:
            assert switch.is_hidden(), url
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"], url
        found = blocking_violations(page)
        if found:
            problems[url] = found
    # Issue 3: the district list narrows to the chosen region (static/js/districts.js).
    page.goto("/citizens/")
    page.select_option("#id_author_region", value=str(live_ministry.region_a.pk))
    shown = page.evaluate(
        "[...document.querySelectorAll('#id_author_district optgroup')]"
        ".filter(g => !g.hidden).map(g => g.label)"
    )
    assert shown == [page.locator("#id_author_region option:checked").inner_text().strip()]
    context.close()
    assert problems == {}, report(problems)


def test_long_organisation_names_are_shortened_on_the_chart_axis_and_whole_in_its_tooltip(
    session_for: Any, data: Any
) -> None:
    """Chart.js gave a long name half the chart and cut it on the left ("d Scientific and
    Practical ..."); the axis now shows its start and end around an ellipsis."""
    from django.db.models import Value
    from django.db.models.functions import Concat

    from murojaat.orgs.models import Organisation

    prefix = "Republican Specialised Scientific and Practical Medical Centre of "
    Organisation.objects.update(name_en=Concat(Value(prefix), "code"))
    page = session_for(data.wg_member, next_url="/appeals/inbox/").page
    page.goto("/reports/?date_from=2026-11-01")
    page.wait_for_function("() => window.Chart && Chart.getChart('chart-on_time')")
    ticks, titles = page.evaluate(
        """() => { const chart = Chart.getChart('chart-on_time');
                   const title = chart.options.plugins.tooltip.callbacks.title;
                   const whole = (_, i) => title.call(chart, [{dataIndex: i}]);
                   const ticks = chart.scales.y.ticks.map(t => t.label);
                   return [ticks, chart.data.labels.map(whole)]; }"""
    )
    assert ticks and all("…" in tick and len(tick) <= 36 for tick in ticks), ticks
    assert all(title.startswith(prefix) for title in titles), titles
    assert (
        page.locator("#on_time-heading ~ .table-responsive th[scope=row]")
        .first.inner_text()
        .startswith(prefix)
    )
