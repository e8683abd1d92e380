"""Browser-test helpers: Debian's chromium driven by Playwright (never a downloaded browser),
screenshots into artifacts/screenshots (kept out of git), and axe-core checks.

Registered once as a plugin in tests/conftest.py: a session fixture imported into several test
modules would start one Playwright per module, which Playwright's sync API refuses. For the
same reason of cost the local runner lives here too: one `python -m local` (tests.e2e
LocalService) for the whole session, shared by the end-to-end and browser tests through the
`svc` fixture. A test that needs another runner configuration starts its own LocalService.
"""
from __future__ import annotations

import http.server
import re
import threading
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e import DEMO_PASSWORD, aws_client

ROOT = Path(__file__).resolve().parent.parent
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
# Without the background-networking flags chromium keeps dialling out, which this machine
# refuses; --no-sandbox because CI runs as root.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--disable-dev-shm-usage"]


@pytest.fixture(scope="module", autouse=True)
def patient_expect(request):
    """Every browser module's `expect` waits up to 10 s (a module may set EXPECT_TIMEOUT_MS):
    on a loaded 2-core CI machine the service answers, just slower. Waiting longer for a fact
    is not waiting for time: `expect` returns the moment it holds."""
    if not request.module.__name__.endswith("_browser"):
        yield
        return
    expect.set_options(timeout=getattr(request.module, "EXPECT_TIMEOUT_MS", 10_000))
    yield
    expect.set_options(timeout=5_000)


@pytest.fixture(scope="session")
def local_service():
    """One local runner for the session (starting one costs seconds: moto, the Cognito pool,
    the tables, the demo operators). Use it through `svc`."""
    from tests.e2e import LocalService
    service = LocalService()
    yield service
    code = service.stop()
    assert code == 0, f"local runner exit code {code}\n" + "".join(service.output[-60:])


@pytest.fixture
def svc(request, local_service):
    """The session's local runner, for one test. The service is shared: a test makes fresh
    chats and asserts on its own chat ids, ends and closes what it opens and restores what it
    changes. Afterwards the test's WebSocket clients are closed and LocalService.tidy() puts back
    what a failed test may have left (see there)."""
    from tests.e2e import Client
    if not local_service.alive():
        pytest.fail("the local runner has exited:\n" + "".join(local_service.output[-60:]))
    request.node.local_runner = (local_service, len(local_service.output))
    yield local_service
    Client.close_all()
    if local_service.alive():
        local_service.tidy()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """A failed test that used the shared runner gets the runner's output from its run."""
    outcome = yield
    report = outcome.get_result()
    runner = getattr(item, "local_runner", None)
    if runner and report.failed:
        service, start = runner
        lines = service.output[start:]
        if lines:
            report.sections.append(("local runner output (this test)", "".join(lines[-200:])))
    if report.failed and report.when == "call":
        shown = _pages_text(getattr(item, "browser_contexts", []))
        if shown:
            report.sections.append(("what the pages showed", shown))


def _pages_text(contexts) -> str:
    """Each page's and frame's visible text (the widget's iframe included), for a failure."""
    out = []
    for i, ctx in enumerate(contexts):
        for j, page in enumerate(ctx.pages):
            for frame in page.frames:
                try:
                    text = frame.locator("body").inner_text(timeout=2_000)
                except Exception as err:  # noqa: BLE001 - a closed or navigating frame
                    text = f"(unreadable: {err.__class__.__name__})"
                out.append(f"--- context {i} page {j} frame {frame.url}\n{text.strip()[:3000]}")
    return "\n".join(out)


@pytest.fixture(scope="session")
def playwright_instance():
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(playwright_instance):
    browser = playwright_instance.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def new_context(request, browser):
    """Factory of isolated browser contexts (one per person: a patron, an operator...). When
    the test fails, the report gets the text each page and frame showed (pytest_runtest_makereport)."""
    contexts = []
    request.node.browser_contexts = contexts

    def make(**kwargs):
        kwargs.setdefault("viewport", {"width": 1280, "height": 800})
        ctx = browser.new_context(**kwargs)
        ctx.set_default_timeout(10_000)
        contexts.append(ctx)
        return ctx

    yield make
    for ctx in contexts:
        ctx.close()


@contextmanager
def own_runner(env: dict | None = None):
    """A module's own local runner, for tests whose data must stay out of the shared one (a
    closed desk, a seeded month, a desk's privacy): signed in as the demo admin
    (`service.admin`), stopped afterwards with every WebSocket client closed, and required to
    exit cleanly."""
    from tests.e2e import Client, LocalService
    service = LocalService(env=env)
    try:
        service.admin = service.login("admin")
        yield service
    finally:
        Client.close_all()
        code = service.stop()
        assert code == 0, f"local runner exit code {code}\n" + "".join(service.output[-60:])


def page_of(new_context, url: str, **ctx):
    """A page at `url` in a new context (reduced motion unless told), collecting page errors
    in `page.errors` for the test to assert empty."""
    ctx.setdefault("reduced_motion", "reduce")
    page = new_context(**ctx).new_page()
    page.errors = []
    page.on("pageerror", lambda err: page.errors.append(str(err)))
    page.goto(url)
    return page


def shot(page, name: str) -> Path:
    """Save a screenshot as artifacts/screenshots/<name>.png (overwritten each run)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{re.sub(r'[^a-z0-9_-]+', '-', name.lower())}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


# WCAG 2.2 A/AA (axe-core 4.12 is vendored by axe-playwright-python; "wcag22aa" runs its
# target-size rule, WCAG 2.5.8, which axe leaves off unless asked) and axe's best practices.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": AXE_TAGS}}


def axe_serious(page, context: str | None = None) -> list[dict]:
    """axe-core violations of impact serious or critical (what the issue forbids)."""
    from axe_playwright_python.sync_playwright import Axe
    results = Axe().run(page, context=context, options=AXE_OPTIONS)
    return [{"id": v["id"], "impact": v["impact"], "help": v["help"],
             "nodes": [n["target"] for n in v["nodes"]][:5]}
            for v in results.response["violations"] if v["impact"] in ("serious", "critical")]


def failed_image_loads(frame, *sources: str) -> None:
    """Load each of `sources` as an <img> now and wait until every one has failed (its `error`
    event fired). For an XSS check: an injected <img src=x onerror=...> would have been loaded
    before these, so its handler has had its chance once they have failed."""
    assert frame.evaluate("""(sources) => Promise.all(sources.map((src) => new Promise((resolve) => {
        const img = new Image();
        img.onload = () => resolve(false);
        img.onerror = () => resolve(true);
        img.src = src;
    })))""", list(sources)) == [True] * len(sources)


def frames_sent(page) -> list[dict]:
    """Record every JSON frame the page sends on its WebSockets (call before it opens them);
    the sockets themselves land in `page.sockets`, to wait for a frame with `expect_event`."""
    import json
    sent: list[dict] = []
    page.sockets = []

    def on_socket(ws):
        page.sockets.append(ws)
        ws.on("framesent", lambda payload: isinstance(payload, str) and sent.append(json.loads(payload)))

    page.on("websocket", on_socket)
    return sent


def sent_when(page, sent: list[dict], fact, timeout: float = 10.0) -> list[dict]:
    """`sent` once `fact(sent)` holds. Playwright hands its events to Python only while a
    Playwright call runs, so a frame the service already has (a librarian received it) may not
    be in `sent` yet: each round trip to the page delivers what is pending."""
    import time
    deadline = time.monotonic() + timeout
    while not fact(sent):
        if time.monotonic() > deadline:
            raise AssertionError(f"the page's sent frames never satisfied the check: {sent[-10:]}")
        page.evaluate("0")
    return sent


# ------------------------------------------------ helpers shared by the browser test files

def sign_in(page, user: str) -> None:
    page.get_by_label("Username").fill(user)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("#lcd-conn")).to_have_attribute("data-state", "open")


def dashboard_as(new_context, svc, user: str):
    """A dashboard page of `svc`, signed in as the demo `user`, its socket open."""
    page = page_of(new_context, f"{svc.base_url}/dashboard/")
    sign_in(page, user)
    return page


def claim_waiting(page, question: str):
    """Claim Chat on the one waiting row asking `question`: (the pane's locator, the chat id)."""
    row = page.locator(".lcd-wait-row").filter(has_text=question)
    expect(row).to_have_count(1)
    chat_id = row.get_attribute("data-chat-id")
    row.get_by_role("button", name="Claim Chat").click()
    pane = page.locator(f'.lcd-pane[data-chat-id="{chat_id}"]')
    expect(pane).to_be_visible()
    return pane, chat_id


def waiting_count(page) -> int:
    """How many chats wait, on a signed-in page (its welcome listed them). The service is shared:
    other tests may have left chats waiting, so counts are taken relative to this."""
    return page.locator(".lcd-wait-row").count()


def chats_title(waiting: int) -> str:
    return f"({waiting}) Chats — Library chat" if waiting else "Chats — Library chat"


def rgb(page, locator, prop: str = "background-color") -> tuple[int, int, int]:
    value = locator.evaluate(f"(el) => getComputedStyle(el).getPropertyValue('{prop}')")
    return tuple(int(x) for x in re.findall(r"\d+", value)[:3])


LAUNCHER = re.compile(r"^Ask a librarian")


FRAME = "iframe[title='Chat with a librarian']"


def patron_frame(page):
    """The widget's Frame (for evaluate and axe), once the embed has created and loaded it."""
    frame = page.wait_for_selector("iframe[src*='/patron/']", state="attached").content_frame()
    frame.wait_for_url(re.compile(r"/patron/(\?|$)"))
    frame.wait_for_load_state()
    return frame


def set_visibility(frame, state: str) -> None:
    """What a browser does when the patron switches tabs: visibilityState + visibilitychange."""
    frame.evaluate("""(state) => {
        Object.defineProperty(document, "visibilityState", {configurable: true, get: () => state});
        Object.defineProperty(document, "hidden", {configurable: true, get: () => state === "hidden"});
        document.dispatchEvent(new Event("visibilitychange"));
    }""", state)


def drop_patron_connections(svc, chat_id: str) -> int:
    """Cut the patron's live WebSocket(s) from the service side (API Gateway's DELETE @connections)."""
    item = aws_client(svc, "dynamodb").get_item(TableName="libchat-local-chats",
                                                Key={"chat_id": {"S": chat_id}})["Item"]
    dropped = 0
    for conn_id in item.get("patron_conns", {}).get("SS", []):
        req = urllib.request.Request(f"{svc.base_url}/@connections/{urllib.parse.quote(conn_id, safe='')}",
                                     method="DELETE")
        try:
            with urllib.request.urlopen(req, timeout=10) as resp:
                dropped += resp.status == 204
        except urllib.error.HTTPError as err:  # 410: already gone
            assert err.code == 410
    return dropped


@contextmanager
def library_site(html: str):
    """Another origin (same machine, other port) serving one page: the library's own site."""
    body = html.encode()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()


# ------------------------------------------------ accessibility checks (WCAG 2.2 AA)
# Shared by tests/test_accessibility_widget_browser.py and ..._dashboard_browser.py; each runs
# in one document (a page or a frame) and walks its open shadow roots too (the launcher).

_ROOTS_JS = """() => { const roots = [document];
    const walk = (root) => root.querySelectorAll('*').forEach((el) => { if (el.shadowRoot) { roots.push(el.shadowRoot); walk(el.shadowRoot); } });
    walk(document); return roots; }"""

_TARGETS_JS = """([minSize, shadowOnly]) => { const roots = (%s)().filter((r) => !shadowOnly || r !== document);
    const SEL = 'button, a[href], input:not([type=hidden]), select, textarea, summary, [role=button], [role=link], [role=tab], [role=checkbox], [role=radio]';
    const out = []; let seen = 0;
    for (const root of roots) for (const el of root.querySelectorAll(SEL)) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 && r.height === 0) continue;           // not rendered (hidden, closed)
      const s = getComputedStyle(el);
      if (s.visibility === 'hidden') continue;
      if (r.width <= 1 || r.height <= 1) continue;              // visually hidden (lc-vh, sr-only): no pointer target
      seen += 1;
      // WCAG 2.5.8 "inline" exception: a link inside a sentence, sized by the line it sits in.
      if (el.tagName === 'A' && s.display === 'inline' && el.parentElement
          && el.parentElement.textContent.trim() !== el.textContent.trim()) continue;
      if (r.width < minSize - 0.01 || r.height < minSize - 0.01) out.push({ tag: el.tagName.toLowerCase(),
        name: (el.getAttribute('aria-label') || el.textContent || el.name || el.id || '').trim().slice(0, 40),
        cls: String(el.className).slice(0, 60), w: Math.round(r.width * 10) / 10, h: Math.round(r.height * 10) / 10 });
    }
    return { seen, small: out }; }""" % _ROOTS_JS


def small_targets(doc, min_size: int = 24, shadow_only: bool = False) -> list[dict]:
    """Every rendered button, link, input, select, textarea and summary of `doc` whose bounding
    box is under `min_size` CSS px either way (WCAG 2.5.8; links inside a sentence excepted).
    `shadow_only`: only what lives in shadow roots (on a host page: the embed's launcher)."""
    result = doc.evaluate(_TARGETS_JS, [min_size, shadow_only])
    assert result["seen"] > 0, "no interactive target was measured"
    return result["small"]


_MOTION_JS = """() => { const roots = (%s)(); const out = [];
    const secs = (v) => v.split(',').map((x) => x.trim()).map((x) => x.endsWith('ms') ? parseFloat(x) / 1000 : parseFloat(x));
    for (const root of roots) for (const el of root.querySelectorAll('*')) for (const pseudo of [null, '::before', '::after']) {
      const s = getComputedStyle(el, pseudo);
      const moving = (s.animationName !== 'none' && secs(s.animationDuration).some((d) => d > 0))
        || secs(s.transitionDuration).some((d) => d > 0);
      if (moving) out.push({ el: el.tagName.toLowerCase() + '.' + String(el.className).slice(0, 40) + (pseudo || ''),
        animation: s.animationName + ' ' + s.animationDuration, transition: s.transitionProperty + ' ' + s.transitionDuration });
    }
    return out; }""" % _ROOTS_JS


def moving_elements(doc) -> list[dict]:
    """Elements (and ::before/::after) with a running animation or a transition longer than 0."""
    return doc.evaluate(_MOTION_JS)


def horizontal_overflow(doc) -> dict | None:
    """None when nothing in `doc` scrolls sideways (WCAG 1.4.10); else what does. Scrolling
    regions that are meant to (a data table's wrapper) are not expected in these UIs."""
    return doc.evaluate("""() => {
        const de = document.documentElement;
        if (de.scrollWidth > de.clientWidth + 1) return { what: 'page', scrollWidth: de.scrollWidth, clientWidth: de.clientWidth };
        for (const el of document.querySelectorAll('body *')) {
          const s = getComputedStyle(el);
          if (!['auto', 'scroll'].includes(s.overflowX) || el.clientWidth === 0) continue;
          if (el.scrollWidth > el.clientWidth + 1) return { what: el.tagName + '.' + el.className, scrollWidth: el.scrollWidth, clientWidth: el.clientWidth };
        }
        return null; }""")


def clipped_text(doc) -> list[dict]:
    """Rendered elements with their own text that is cut off by overflow: hidden/clip (text
    that would be lost at 200 % text size). Visually hidden helpers are skipped, and so are
    previews meant to be cut (ellipsis, line clamp) whose whole text is on screen elsewhere."""
    return doc.evaluate("""() => { const out = [];
        for (const el of document.querySelectorAll('body *')) {
          const s = getComputedStyle(el);
          if (!['hidden', 'clip'].includes(s.overflowX) && !['hidden', 'clip'].includes(s.overflowY)) continue;
          // A deliberate one- or two-line preview (ellipsis, line clamp) of text shown in full elsewhere is not lost.
          if (el.clientWidth <= 1 || el.clientHeight <= 1 || s.textOverflow === 'ellipsis' || s.webkitLineClamp !== 'none') continue;
          if (!el.innerText || !el.innerText.trim() || el.closest('[aria-hidden=true]')) continue;
          if (el.matches('html, body, .lc-app, .lc-root, .lcd-app, .lcd-body') || getComputedStyle(el).position === 'fixed') continue;
          const cut = (axis) => ['hidden', 'clip'].includes(axis);
          if ((cut(s.overflowX) && el.scrollWidth > el.clientWidth + 2) || (cut(s.overflowY) && el.scrollHeight > el.clientHeight + 2))
            out.push({ el: el.tagName.toLowerCase() + '.' + String(el.className).slice(0, 50), text: el.innerText.trim().slice(0, 40),
              sw: el.scrollWidth, cw: el.clientWidth, sh: el.scrollHeight, ch: el.clientHeight });
        }
        return out; }""")


_UNNAMED = re.compile(r"^\s*- (button|link|textbox|combobox|checkbox|radio|spinbutton|slider|tab|switch|searchbox|listbox|menuitem)"
                      r"(?:\s*\[[^\]]*\])*\s*(?::.*)?$")


def unnamed_controls(locator) -> list[str]:
    """Lines of `locator`'s ARIA snapshot that are a control without an accessible name."""
    return [line for line in locator.aria_snapshot().splitlines() if _UNNAMED.match(line)]


def focused(doc) -> str:
    """The focused element of `doc` as its ARIA snapshot's first line: role "name"."""
    loc = doc.locator(":focus")
    if loc.count() == 0:
        return "(nothing)"
    return loc.first.aria_snapshot().splitlines()[0].strip().removeprefix("- ").rstrip(":")


def tab_names(page, doc, presses: int, key: str = "Tab") -> list[str]:
    """Press `key` `presses` times on `page`; the focused element of `doc` after each."""
    names = []
    for _ in range(presses):
        page.keyboard.press(key)
        names.append(focused(doc))
    return names


def live_regions_with(doc, text: str) -> list[str]:
    """The live regions of `doc` (role log/status/alert or aria-live) whose text holds `text`."""
    return doc.evaluate("""(text) => [...document.querySelectorAll('[role=log], [role=status], [role=alert], [aria-live]')]
        .filter((el) => el.getAttribute('aria-live') !== 'off' && el.textContent.includes(text))
        .map((el) => (el.getAttribute('role') || 'live') + '.' + el.className)""", text)


def axe_rules_that_ran(page) -> set[str]:
    """The ids of every axe rule that ran with AXE_OPTIONS (to prove target-size is among them)."""
    from axe_playwright_python.sync_playwright import Axe
    r = Axe().run(page, options=AXE_OPTIONS).response
    return {rule["id"] for key in ("passes", "violations", "incomplete", "inapplicable") for rule in r[key]}


def apply_text_spacing(doc) -> None:
    """WCAG 1.4.12's spacing, as a user style sheet would set it: line height 1.5, paragraphs
    2 em apart, letters 0.12 em, words 0.16 em."""
    doc.evaluate("""() => { const s = document.createElement('style'); s.textContent =
        '* { line-height: 1.5 !important; letter-spacing: 0.12em !important; word-spacing: 0.16em !important; } p { margin-bottom: 2em !important; }';
        document.head.appendChild(s); }""")
