"""Playwright driving Debian's Chromium against the live server, with axe-core on every page."""

import os
from pathlib import Path

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
RESULTS = ROOT / "test-results"


def AXE_SOURCE() -> str:  # noqa: N802 - read once, on first use
    global _axe
    if _axe is None:
        _axe = AXE.read_text() + "\n;window.axe = axe; true;"
    return _axe


_axe = None
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


@pytest.fixture(scope="session")
def chromium():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: install Debian's chromium package (scripts/test.sh does).")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield browser
        browser.close()


class Checked:
    """A Playwright page whose every visit is checked with axe-core (WCAG 2.2 AA, no serious or critical)."""

    def __init__(self, page, base_url: str):
        self.page = page
        self.base_url = base_url
        self.checked: list[str] = []
        self.blocked: list[str] = []
        page.on("console", lambda msg: self.blocked.append(msg.text) if "Content Security Policy" in msg.text
                else None)

    def goto(self, path: str):
        self.page.goto(path if path.startswith("http") else self.base_url + path)
        self.axe()

    def axe(self):
        if not AXE.exists():
            pytest.fail("node_modules/axe-core is missing: run npm ci (scripts/test.sh does).")
        # A click that follows a link returns once the new page has begun to arrive: check it whole.
        self.page.wait_for_load_state("load")
        # Evaluated through the DevTools protocol, not a <script> tag, so the site's own CSP stays on.
        self.page.evaluate(AXE_SOURCE())
        result = self.page.evaluate(
            "() => axe.run(document, {runOnly: ['wcag2a','wcag2aa','wcag21a','wcag21aa','wcag22aa','best-practice']})"
        )
        bad = result["violations"]  # any impact: WCAG 2.2 AA, and axe's best practice (landmarks, headings ...)
        summary = [f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}" for v in bad]
        assert not bad, f"axe found problems on {self.page.url}:\n" + "\n".join(summary)
        assert not self.blocked, f"the Content Security Policy blocked something on {self.page.url}: {self.blocked}"
        self.checked.append(self.page.url)


@pytest.fixture
def browser_page(chromium, live_server, request):
    context = chromium.new_context(viewport={"width": 1100, "height": 900})
    page = context.new_page()
    yield Checked(page, live_server.url)
    failed = getattr(request.node, "rep_call", None)
    if failed is not None and failed.failed:
        RESULTS.mkdir(exist_ok=True)
        page.screenshot(path=str(RESULTS / f"{request.node.name}.png"), full_page=True)
    context.close()
