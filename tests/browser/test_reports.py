"""The HTML reports as a reader sees them, in a real browser."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from selfassess.reports import Written
from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser


def test_national_report_in_the_browser(page: Page, written: Written) -> None:
    page.goto(written.files["html"].as_uri())
    assert page.locator("h1").inner_text().endswith("national report")
    assert page.locator("nav.contents a").count() == 11  # 2009's nine chapters, the groups' and the appendix
    # Every chart is an image with a name, and has its numbers beside it.
    charts = page.locator("svg.chart")
    assert charts.count() >= 20
    assert charts.first.get_attribute("role") == "img" and charts.first.get_attribute("aria-label")
    assert page.locator("figure.chart-figure table").count() == charts.count()
    # The skip link is the first thing a keyboard reaches, and it shows itself.
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.className")
    assert focused == "skip-link"
    page.locator("nav.contents a", has_text="Conclusion").click()
    expect(page).to_have_url(re.compile("#chapter-9$"))
    assert page.locator("#chapter-9 table caption").first.inner_text().startswith("Table 9.1")
    shot = screenshot(page, "national-report")
    assert shot.stat().st_size > 50_000


def test_trust_report_on_a_phone(page: Page, written: Written) -> None:
    page.set_viewport_size({"width": 375, "height": 800})
    trust, path = next(iter(written.trust_files.items()))
    page.goto(path.as_uri())
    assert trust in page.locator("h1").inner_text()
    assert page.locator("td.suppressed").count() > 0
    # Nothing is wider than the screen but the tables, which scroll within their own box.
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
    screenshot(page, "trust-report-phone")


@pytest.mark.parametrize("which", ["national", "trust"])
def test_reports_reflow_at_320_pixels(page: Page, written: Written, which: str) -> None:
    """WCAG 2.2, 1.4.10: at 320 CSS px nothing but a wide table (in its own scrolling region) is wider than
    the screen."""
    from tests.browser.test_every_page import WIDER_THAN_THE_SCREEN
    from tests.browser.test_journeys import accessible

    page.set_viewport_size({"width": 320, "height": 640})
    path = written.files["html"] if which == "national" else next(iter(written.trust_files.values()))
    page.goto(path.as_uri())
    assert page.evaluate(WIDER_THAN_THE_SCREEN) == ""
    accessible(page, f"{which} report at 320 px")


@pytest.mark.parametrize("which", ["national", "trust"])
def test_reports_have_no_axe_violations_at_all(page: Page, written: Written, which: str) -> None:
    """Not only no serious ones: every axe rule, best practices included (an empty table header among them)."""
    from tests.browser.test_journeys import AXE

    path = written.files["html"] if which == "national" else next(iter(written.trust_files.values()))
    page.goto(path.as_uri())
    page.add_script_tag(path=str(AXE))
    found = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")
    assert [(v["id"], v["impact"], len(v["nodes"])) for v in found] == []
