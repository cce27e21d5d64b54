"""axe-core on every page of the service, not only the respondent's: each route of the URL configuration,
opened in Chromium by someone allowed to see it (the routes come from the configuration, as in the access
test, so a new page is checked without being listed here), on a desktop and again at 320 CSS pixels wide, where
the page must reflow with no horizontal scroll (WCAG 2.2, 1.4.10: a wide table scrolls in its own region)."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page

from tests.browser.test_journeys import accessible, live_world
from tests.web.conftest import PASSWORD, World
from tests.web.test_access import RULES, routes, url_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
__all__ = ["live_world"]  # the fixture, used here too

VISITOR = {
    "everyone": "anonymous",
    "link": "respondent_a",
    "coordinator": "coordinator_a",
    "coordinator_a": "coordinator_a",
    "administrator": "administrator",
}
ACCOUNTS = {"coordinator_a": "a@example.org", "administrator": "admin@example.org"}


def context_for(browser: Browser, live_server: Any, visitor: str) -> BrowserContext:
    context = browser.new_context(bypass_csp=True)  # axe is injected as a script
    if visitor in ACCOUNTS:
        page = context.new_page()
        page.goto(f"{live_server.url}/sign-in/")
        page.get_by_label("E-mail address").fill(ACCOUNTS[visitor])
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(lambda url: "/sign-in/" not in url)
        page.close()
    return context


def test_every_page_has_no_serious_accessibility_problem(page: Page, live_server: Any, live_world: World) -> None:
    browser = page.context.browser
    assert browser is not None
    contexts: dict[str, BrowserContext] = {}
    checked: list[str] = []
    too_wide: list[str] = []
    for pattern in routes():
        name = pattern.name
        assert name is not None
        if name == "logout":
            continue  # signing out would end the session the other pages need
        visitor = VISITOR[RULES[name]]
        if visitor not in contexts:
            contexts[visitor] = context_for(browser, live_server, visitor)
        context = contexts[visitor]
        address = live_server.url + url_for(name, visitor, live_world)
        answer = context.request.get(address, max_redirects=0)
        if answer.status == 405:
            continue  # a form's target, reached by posting from a page checked here
        if "text/html" not in answer.headers.get("content-type", ""):
            continue  # a file to download: PDF, workbook, CSV, JSON
        opened = context.new_page()
        opened.goto(address)
        accessible(opened, f"{name} ({address})")
        opened.set_viewport_size({"width": 320, "height": 640})
        accessible(opened, f"{name} at 320 px ({address})")
        wide = opened.evaluate(WIDER_THAN_THE_SCREEN)
        if wide:
            too_wide.append(f"{name}: {wide}")
        opened.close()
        checked.append(name)
    for context in contexts.values():
        context.close()
    assert len(checked) >= 25, checked  # most routes are pages (29 today)
    assert not too_wide, too_wide


# The page's width beyond the screen, and the widest element outside a scrolling region that makes it so.
WIDER_THAN_THE_SCREEN = """() => {
  const root = document.documentElement;
  if (root.scrollWidth <= root.clientWidth) return "";
  let widest = null;
  for (const element of document.body.querySelectorAll("*")) {
    if (element.closest(".app-table-scroll")) continue;
    const right = element.getBoundingClientRect().right;
    if (right > root.clientWidth + 1 && (!widest || right > widest.right)) {
      const text = (element.textContent || "").slice(0, 40);
      widest = {right, what: element.tagName + "." + element.className + " " + text};
    }
  }
  return `${root.scrollWidth}px wide: ${widest ? widest.what : "?"}`;
}"""
