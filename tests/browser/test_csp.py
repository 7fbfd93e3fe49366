"""Pages work under the Content-Security-Policy (issue 10 #11): the scripts moved out of the
templates into static files still run, and the browser refuses nothing on the way."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import watch_csp

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_the_hotline_form_s_script_runs_from_its_static_file(
    session_for: Any, live_ministry: Any
) -> None:
    """appeals/register-hotline.js: the author's phone follows the caller's; after a refused
    submission the first error has the focus."""
    session = session_for(live_ministry.wg_member, next_url="/appeals/register/hotline/")
    page = session.page
    page.fill("#id_caller_phone", "+998 90 111 22 33")
    assert page.input_value("#id_author_phone") == "+998 90 111 22 33"
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    focused = page.evaluate("document.activeElement.getAttribute('aria-invalid')")
    assert focused == "true" or page.evaluate("document.activeElement.id") == "register-errors"
    assert session.csp_violations == []


def test_the_party_analytics_charts_draw_from_their_static_file(
    session_for: Any, live_ministry: Any
) -> None:
    from django.core.management import call_command

    call_command("load_parties", verbosity=0)
    session = session_for(live_ministry.wg_member, next_url="/parties/analytics/")
    page = session.page
    page.wait_for_function("() => window.Chart && Chart.getChart('chart-enp')")
    assert session.csp_violations == []


def test_the_api_s_interactive_documentation_works_under_the_policy(
    chromium: Any, live_server: Any
) -> None:
    context = chromium.new_context(base_url=live_server.url, locale="en-GB")
    page = context.new_page()
    refused = watch_csp(page)
    page.goto("/api/docs")
    page.locator(".swagger-ui .info .title").wait_for()
    assert refused == []
    context.close()


def test_an_inline_script_would_be_refused_so_the_watch_can_fail(
    chromium: Any, live_server: Any
) -> None:
    """The guard itself: Chromium does report a refused inline script, which the watch sees."""
    context = chromium.new_context(base_url=live_server.url, locale="en-GB")
    page = context.new_page()
    refused = watch_csp(page)
    page.goto("/accounts/login/")
    page.evaluate(
        "() => { const s = document.createElement('script'); s.textContent = 'window.x = 1';"
        " document.body.appendChild(s); }"
    )
    page.wait_for_timeout(200)
    assert refused and "inline script" in refused[0] and "Content Security Policy" in refused[0]
    assert page.evaluate("window.x") is None
    context.close()


def test_a_routing_suggestion_fills_the_route_form_from_its_static_file(
    session_for: Any, live_ministry: Any
) -> None:
    """assist/case-panel.js: "Choose in the routing form" picks the suggested organisation."""
    from tests.browser.conftest import register_now

    appeal = register_now(author_region_id=live_ministry.region_a.pk)
    session = session_for(live_ministry.wg_member, next_url=f"/appeals/{appeal.number}/")
    page = session.page
    button = page.locator(".use-suggestion").first
    wanted = button.get_attribute("data-org")
    button.click()
    assert page.input_value("#id_route-appeal-to_org") == wanted
    # The select sits behind the searchable picker (issue 13): its chosen entry takes the focus.
    focused = page.evaluate("document.activeElement.id")
    assert focused.startswith("id_route-appeal-to_org-pick-")
    assert page.is_checked(f"#{focused}")
    label = page.text_content(f'label[for="{focused}"]') or ""
    option = page.text_content(f'#id_route-appeal-to_org option[value="{wanted}"]') or ""
    assert option.strip() and option.strip() in label
    assert session.csp_violations == []
