"""Browser fixtures: Debian's chromium driven by Playwright against pytest-django's live server.

Never `playwright install`: the browser is the system's (/usr/bin/chromium, or MUROJAAT_CHROMIUM).
Without it the tests skip locally and fail in CI (env CI set), so a missing browser is never a
silent pass there.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make between
# page actions are synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("MUROJAAT_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 740}


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    # Module scope, not session: Playwright's sync API runs an event loop in this thread, and
    # another suite's browser (tests/browser_a11y) cannot start while ours is still open.
    if not Path(CHROMIUM).exists():
        message = f"chromium not found at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def live_ministry(transactional_db: None) -> Any:
    """The test ministry, committed, so the live server's thread sees it."""
    from tests.factories import build_ministry

    return build_ministry()


class Session:
    """One signed-in person in their own browser context (cookies are per context)."""

    def __init__(self, browser: Any, base_url: str, user: Any, viewport: dict[str, int]) -> None:
        self.user = user
        self.context = browser.new_context(base_url=base_url, viewport=viewport, locale="en-GB")
        self.context.set_default_timeout(15_000)
        self.page = self.context.new_page()
        self.csp_violations = watch_csp(self.page)

    def login(self, next_url: str = "/accounts/profile/") -> Session:
        from tests.factories import PASSWORD

        page = self.page
        page.goto(f"/accounts/login/?next={next_url}")
        page.fill("#id_username", self.user.username)
        page.fill("#id_password", PASSWORD)
        page.locator("main form button[type=submit]").click()
        page.wait_for_url(re.compile(r"^(?!.*/accounts/login/).*$"))
        return self

    def open(self, url: str) -> Any:
        self.page.goto(url)
        return self.page

    def action(self, key: str) -> Any:
        """The form of one action on the page, opened if it sits in a <details>."""
        element = self.page.locator(f"#{key}")
        element.wait_for()
        if element.evaluate("e => e.tagName") == "DETAILS" and not element.evaluate("e => e.open"):
            element.locator("summary").click()
        return element

    def submit(self, form: Any, expect_success: bool = True) -> None:
        with self.page.expect_navigation():
            form.locator("button[type=submit]").click()
        if expect_success:
            alert = self.page.locator(".alert-success")
            alert.first.wait_for()

    def shot(self, name: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path

    def close(self) -> None:
        self.context.close()

    def check_accessibility(self) -> None:
        """Every form control has a label, every error is referenced, headings never skip."""
        page = self.page
        page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
        unlabelled = page.evaluate(UNLABELLED_JS)
        assert unlabelled == [], f"controls without a label: {unlabelled}"
        unreferenced = page.evaluate(UNREFERENCED_ERRORS_JS)
        assert unreferenced == [], f"errors no control points to: {unreferenced}"
        levels = page.evaluate(
            "[...document.querySelectorAll('h1,h2,h3,h4,h5,h6')].map(h => +h.tagName[1])"
        )
        assert levels and levels[0] == 1, levels
        for previous, level in zip(levels, levels[1:], strict=False):
            assert level <= previous + 1, f"heading level jumps from {previous} to {level}"
        page.reload()


UNLABELLED_JS = """
[...document.querySelectorAll('input, select, textarea')]
  .filter(e => e.type !== 'hidden')
  .filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label')
               && !e.getAttribute('aria-labelledby'))
  .map(e => e.id || e.name)
"""

UNREFERENCED_ERRORS_JS = """
[...document.querySelectorAll('.invalid-feedback[id]')]
  .filter(err => !document.querySelector(`[aria-describedby~="${err.id}"]`))
  .map(err => err.id)
"""


def watch_csp(page: Any) -> list[str]:
    """The Content-Security-Policy's refusals on this page, as Chromium reports them in the
    console ("Executing inline script violates …"): a script or style the browser blocked
    is a page that silently stopped working."""
    refused: list[str] = []

    def seen(message: Any) -> None:
        if "Content Security Policy" in message.text:
            refused.append(f"{page.url}: {message.text}")

    page.on("console", seen)
    return refused


@pytest.fixture
def session_for(chromium: Any, live_server: Any) -> Iterator[Any]:
    """session_for(user) -> a signed-in Session; closed at the end of the test."""
    opened: list[Session] = []

    def make(user: Any, *, next_url: str = "/accounts/profile/", phone: bool = False) -> Session:
        session = Session(chromium, live_server.url, user, PHONE if phone else DESKTOP)
        opened.append(session)
        return session.login(next_url)

    yield make
    for session in opened:
        session.close()
    # Every browser test also checks that the policy refused nothing on the pages it used.
    assert [v for s in opened for v in s.csp_violations] == []


def register_now(**kwargs: Any) -> Any:
    """Register an appeal received now: the live server and the browser run on the real clock,
    so an appeal from the helpers' fixed Monday would already be past its deadlines."""
    from django.utils import timezone

    from tests.appeals.helpers import register

    kwargs.setdefault("received", timezone.now())
    return register(**kwargs)


def pick(scope: Any, label: str, name: str) -> None:
    """Choose an organisation in a searchable picker (static/js/org-picker.js): type part of
    its name into the filter the field's label now names, then tick it in the list."""
    box = scope.get_by_role("searchbox", name=label)
    box.fill(name)
    list_id = str(box.get_attribute("id")).removesuffix("-filter") + "-list"
    scope.locator(f"#{list_id}").get_by_label(name).first.check()
