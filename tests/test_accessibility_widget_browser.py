"""WCAG 2.2 AA for the patron widget (widget/patron/ in its frame, widget/embed.js's launcher),
in Debian's chromium against the real local service; docs/accessibility.md maps each criterion
to the test here that proves it.

Each state the patron goes through (open: the question form; ask: the form filled in; chat:
messages arriving; survey; close: the panel minimized, focus on the launcher) is checked the
same way: axe with the WCAG 2.2 A/AA tags and best practices (no serious or critical
violation), every interactive target at least 24 x 24 CSS px (measured), every control named
(the accessibility tree, through aria_snapshot), and the keyboard focus order (Tab through,
the focused elements' accessible names recorded and compared).

The librarian is a real WebSocket client (tests.e2e.Client). Every chat claimed is ended.
"""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser import (FRAME, LAUNCHER, apply_text_spacing, axe_rules_that_ran, axe_serious, clipped_text, drop_patron_connections,
                           focused, horizontal_overflow, library_site, live_regions_with, moving_elements,
                           patron_frame, shot, small_targets, tab_names, unnamed_controls)
from tests.e2e import Client
from tests.test_widget_browser import claim

pytestmark = pytest.mark.timeout(150)

LIBRARIAN = "Libby Librarian"
LAUNCHER_FOCUSED = "() => document.activeElement?.shadowRoot?.activeElement?.className === 'lc-launcher'"


@pytest.fixture
def op(svc):
    """A librarian connected on the dashboard's protocol (so the widget shows its form)."""
    client = Client(svc.ws_url, svc.login("librarian"), hello={})
    client.wait("welcome")
    yield client
    client.close()


def host_page(body: str, *, service: str, attrs: str = "") -> str:
    return (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Library</title>'
            f'<meta name="viewport" content="width=device-width, initial-scale=1"></head><body>{body}'
            f'<script src="{service}/embed.js" data-service="{service}" {attrs}></script></body></html>')


def open_page(new_context, url: str, **ctx):
    context = new_context(**ctx)
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda err: page.errors.append(str(err)))
    page.goto(url)
    expect(page.get_by_role("button", name=LAUNCHER)).to_be_visible()
    return page


@pytest.fixture
def plain_site(svc):
    """A plain library page that embeds the widget (the demo page carries a wide code sample)."""
    with library_site(host_page("<h1>Library</h1><p>Opening hours, events and more.</p>", service=svc.base_url)) as site:
        yield site


def settled(page) -> None:
    """Two animation frames: what the page does right after an event (embed.js's focus check) is done."""
    page.evaluate("() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))")


def check_state(page, frame, chat, name: str) -> None:
    """The checks every state gets: axe (host page and frame), 24 px targets, named controls."""
    assert axe_serious(frame) == [], f"widget {name}: axe"
    assert axe_serious(page) == [], f"host page {name}: axe"
    assert small_targets(frame) == [], f"widget {name}: targets under 24 px"
    assert small_targets(page, shadow_only=True) == [], f"host page {name}: launcher under 24 px"
    assert unnamed_controls(chat.locator("body")) == [], f"widget {name}: unnamed controls"
    assert unnamed_controls(page.locator("body")) == [], f"host page {name}: unnamed controls"
    shot(page, f"a11y-widget-{name}")


def tab_to_launcher(page) -> None:
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate(LAUNCHER_FOCUSED):
            return
    raise AssertionError("Tab never reached the launcher")


def test_axe_runs_the_wcag22_rules_target_size_included(svc, new_context):
    page = open_page(new_context, svc.base_url + "/")
    ran = axe_rules_that_ran(page)
    assert {"target-size", "color-contrast", "label", "button-name", "aria-allowed-role"} <= ran, sorted(ran)


def test_every_state_focus_names_targets_live_log_and_axe(svc, new_context, op):
    page = open_page(new_context, svc.base_url + "/")
    # close (before opening): the launcher alone
    assert small_targets(page, shadow_only=True) == []
    assert axe_serious(page) == []
    expect(page.get_by_role("button", name=LAUNCHER)).to_have_attribute("aria-expanded", "false")

    # open: focus moves into the frame, to the first field
    tab_to_launcher(page)
    page.keyboard.press("Enter")
    chat = page.frame_locator(FRAME)
    frame = patron_frame(page)
    expect(chat.get_by_label("Your question")).to_be_focused()
    tree = chat.locator("body").aria_snapshot()
    # WCAG 1.3.5: the patron's own details say what they are (the browser can fill them)
    expect(chat.get_by_label("Your name")).to_have_attribute("autocomplete", "name")
    expect(chat.get_by_label(re.compile("^Email"))).to_have_attribute("autocomplete", "email")
    for part in ('heading "Ask a Librarian"', 'button "Minimize chat"', 'heading "How can we help?"',
                 'textbox "Your question', 'textbox "Your name', 'button "Start chat"'):
        assert part in tree, tree
    check_state(page, frame, chat, "open")

    # ask: the form's focus order, forward and back (names as a screen reader hears them)
    order = tab_names(page, frame, 4)
    assert [re.sub(r'".*', "", n).strip() for n in order][:1] == ["textbox"], order
    assert any(n.startswith('button "Start chat"') for n in order), order
    chat.get_by_label("Your question").fill("Accessibility walk: where is the quiet study room?")
    chat.get_by_label("Your name").fill("Ari")
    check_state(page, frame, chat, "ask")
    chat.get_by_role("button", name="Start chat").click()
    queued = op.wait("chat.queued", where=lambda f: f["chat"]["question"].startswith("Accessibility walk"))
    chat_id = queued["chat"]["chat_id"]
    try:
        # chat: focus in the message box; the log is the one live region with the messages
        expect(chat.get_by_label("Message")).to_be_focused()
        log = chat.get_by_role("log")
        expect(log).to_have_attribute("aria-live", "polite")
        expect(log).to_have_attribute("aria-relevant", "additions")
        claim(op, chat, chat_id)
        expect(chat.get_by_text(f"{LIBRARIAN} joined the chat")).to_be_visible()
        op.send(action="send", chat_id=chat_id, client_msg_id="a11y-1",
                text="The quiet room is on floor 3: https://library.example/rooms")
        expect(log).to_contain_text("The quiet room is on floor 3")
        assert live_regions_with(frame, "The quiet room is on floor 3") == ["log.lc-log"]
        tree = chat.locator("body").aria_snapshot()
        assert re.search(r'- log "Chat transcript"', tree), tree
        assert 'link "https://library.example/rooms"' in tree, tree
        check_state(page, frame, chat, "chat")
        order = tab_names(page, frame, 3, key="Shift+Tab")
        assert order[0].startswith('button "Attach a file"'), order
        # ending: the confirmation dialog takes the focus, Escape keeps chatting
        chat.get_by_role("button", name="End chat").click()
        expect(chat.get_by_role("button", name="Yes, end chat")).to_be_focused()
        check_state(page, frame, chat, "confirm")
        page.keyboard.press("Escape")
        # survey: the librarian ends; the survey heading takes the focus
        op.send(action="end", chat_id=chat_id)
        op.wait("chat.ended", chat_id=chat_id)
    finally:
        op.send(action="close", chat_id=chat_id)
    expect(chat.get_by_role("heading", name="How did we do?")).to_be_focused()
    tree = chat.locator("body").aria_snapshot()
    assert 'radio "5, excellent"' in tree and 'button "Send feedback"' in tree, tree
    check_state(page, frame, chat, "survey")
    order = tab_names(page, frame, 4)
    assert all(n != "(nothing)" for n in order), order
    chat.get_by_role("button", name="Send feedback").click()  # no rating: the error is read with the focused radio
    first = chat.locator("input[name=rating]").first
    expect(first).to_be_focused()
    expect(first).to_have_accessible_description(re.compile("Please choose a rating"))
    chat.get_by_role("radio", name="5, excellent").check()
    chat.get_by_role("button", name="Send feedback").click()
    expect(chat.get_by_role("heading", name=re.compile("Thank you"))).to_be_focused()
    check_state(page, frame, chat, "thanks")

    # close: Minimize puts the focus back on the launcher
    chat.get_by_role("button", name="Minimize chat").click()
    expect(page.get_by_role("button", name=LAUNCHER)).to_have_attribute("aria-expanded", "false")
    assert page.evaluate(LAUNCHER_FOCUSED)
    assert axe_serious(page) == []
    assert small_targets(page, shadow_only=True) == []
    # and Escape inside the frame does the same after reopening with Enter
    page.keyboard.press("Enter")
    expect(chat.get_by_role("heading", name=re.compile("Thank you"))).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.get_by_role("button", name=LAUNCHER)).to_have_attribute("aria-expanded", "false")
    assert page.evaluate(LAUNCHER_FOCUSED)
    assert page.errors == []


def test_messages_are_announced_once_not_again_after_a_reconnect(svc, new_context, op):
    page = open_page(new_context, svc.base_url + "/")
    page.get_by_role("button", name=LAUNCHER).click()
    chat = page.frame_locator(FRAME)
    frame = patron_frame(page)
    chat.get_by_label("Your question").fill("Live region: do you lend laptops?")
    chat.get_by_role("button", name="Start chat").click()
    chat_id = op.wait("chat.queued", where=lambda f: f["chat"]["question"].startswith("Live region"))["chat"]["chat_id"]
    try:
        claim(op, chat, chat_id)
        op.send(action="send", chat_id=chat_id, client_msg_id="live-1", text="Yes, for two weeks.")
        expect(chat.get_by_text("Yes, for two weeks.")).to_be_visible()
        # From here on, record what is added to the log: that is what a screen reader announces.
        frame.evaluate("""() => { window.__added = [];
            new MutationObserver((records) => records.forEach((r) => r.addedNodes.forEach((n) =>
              window.__added.push(n.textContent)))).observe(document.querySelector('[role=log]'), { childList: true, subtree: true }); }""")
        assert drop_patron_connections(svc, chat_id) >= 1
        expect(chat.locator(".lc-banner")).to_contain_text("Reconnecting")
        expect(chat.locator(".lc-banner")).not_to_contain_text("Reconnecting")  # back: hello with the last seq
        op.send(action="send", chat_id=chat_id, client_msg_id="live-2", text="Bring your library card.")
        expect(chat.get_by_text("Bring your library card.")).to_be_visible()
        added = frame.evaluate("() => window.__added")
        assert len(added) == 1 and "Bring your library card." in added[0], added  # the backfill added nothing again
        assert chat.get_by_text("Yes, for two weeks.").count() == 1
        assert live_regions_with(frame, "Bring your library card.") == ["log.lc-log"]
        # the launcher's own status line stays quiet while the panel is open (no second announcement)
        assert page.evaluate("() => document.querySelector('[data-libchat]').shadowRoot.querySelector('[role=status]').textContent") == ""
        op.send(action="end", chat_id=chat_id)
        op.wait("chat.ended", chat_id=chat_id)
    finally:
        op.send(action="close", chat_id=chat_id)
    assert page.errors == []


def test_reduced_motion_stops_animations_and_transitions(svc, new_context, op):
    page = open_page(new_context, svc.base_url + "/", reduced_motion="reduce")
    page.get_by_role("button", name=LAUNCHER).click()
    chat = page.frame_locator(FRAME)
    frame = patron_frame(page)
    expect(chat.get_by_label("Your question")).to_be_visible()
    assert moving_elements(page) == []
    assert moving_elements(frame) == []
    chat.get_by_label("Your question").fill("Motion: is the cafe open?")
    chat.get_by_role("button", name="Start chat").click()
    chat_id = op.wait("chat.queued", where=lambda f: f["chat"]["question"].startswith("Motion"))["chat"]["chat_id"]
    try:
        expect(chat.locator(".lc-pulse")).to_be_visible()  # the waiting card's pulse
        assert moving_elements(frame) == []
        claim(op, chat, chat_id)
        op.send(action="typing", chat_id=chat_id, typing=True)
        expect(chat.locator(".lc-typing-dots")).to_be_visible()
        assert moving_elements(frame) == []
        op.send(action="end", chat_id=chat_id)
        op.wait("chat.ended", chat_id=chat_id)
    finally:
        op.send(action="close", chat_id=chat_id)
    # without the preference the panel rises into view (the check above is not vacuous)
    moving = open_page(new_context, svc.base_url + "/")
    moving.get_by_role("button", name=LAUNCHER).click()
    expect(moving.frame_locator(FRAME).get_by_label("Your question")).to_be_visible()
    assert [m for m in moving_elements(moving) if "lc-rise" in m["animation"]] != []


def test_reflow_at_320_px_and_200_percent_text(svc, new_context, op, plain_site):
    page = open_page(new_context, plain_site + "/", viewport={"width": 320, "height": 640})
    page.get_by_role("button", name=LAUNCHER).click()
    chat = page.frame_locator(FRAME)
    frame = patron_frame(page)
    expect(chat.get_by_label("Your question")).to_be_visible()
    assert horizontal_overflow(page) is None
    assert horizontal_overflow(frame) is None
    assert small_targets(frame) == []
    chat.get_by_label("Your question").fill("Reflow: a_very_long_unbroken_catalogue_identifier_without_any_spaces_at_all_1234567890")
    chat.get_by_role("button", name="Start chat").click()
    chat_id = op.wait("chat.queued", where=lambda f: f["chat"]["question"].startswith("Reflow"))["chat"]["chat_id"]
    try:
        claim(op, chat, chat_id)
        op.send(action="send", chat_id=chat_id, client_msg_id="r-1",
                text="See https://catalog.library.example/search/results/with/a/rather/long/path?query=reflow-check")
        expect(chat.locator(".lc-bubble").filter(has_text="See https")).to_be_visible()
        assert horizontal_overflow(frame) is None
        assert horizontal_overflow(page) is None
        shot(page, "a11y-widget-320px")
        # 200 % text: the patron's browser asks for 32 px text (what its font-size setting does)
        base = frame.evaluate("() => parseFloat(getComputedStyle(document.querySelector('.lc-bubble')).fontSize)")
        frame.evaluate("() => { document.documentElement.style.fontSize = '200%'; }")
        bigger = frame.evaluate("() => parseFloat(getComputedStyle(document.querySelector('.lc-bubble')).fontSize)")
        assert bigger >= 2 * base - 0.5, (base, bigger)
        assert horizontal_overflow(frame) is None
        clipped = clipped_text(frame)
        assert clipped == [], clipped
        expect(chat.get_by_label("Message")).to_be_visible()
        expect(chat.get_by_role("button", name="Send")).to_be_visible()
        shot(page, "a11y-widget-320px-200pc-text")
        op.send(action="end", chat_id=chat_id)
        op.wait("chat.ended", chat_id=chat_id)
    finally:
        op.send(action="close", chat_id=chat_id)
    # 200 % text on a desktop panel, the form
    desk = open_page(new_context, plain_site + "/")
    desk.get_by_role("button", name=LAUNCHER).click()
    f2 = patron_frame(desk)
    expect(desk.frame_locator(FRAME).get_by_label("Your question")).to_be_visible()
    f2.evaluate("() => { document.documentElement.style.fontSize = '200%'; }")
    assert horizontal_overflow(f2) is None
    assert clipped_text(f2) == []
    shot(desk, "a11y-widget-200pc-text")
    # WCAG 1.4.12: the user's text spacing loses nothing either (at the normal text size)
    f2.evaluate("() => { document.documentElement.style.fontSize = ''; }")
    apply_text_spacing(f2)
    assert horizontal_overflow(f2) is None
    assert clipped_text(f2) == []
    expect(desk.frame_locator(FRAME).get_by_role("button", name="Start chat")).to_be_visible()


CORNER_LINKS = "".join(f'<a href="#l{i}" style="display:block;padding:4px">Footer link {i}</a>' for i in range(8))


def covered(page) -> dict | None:
    """The host page's focused element if the launcher (or the open panel) covers any of it."""
    return page.evaluate("""() => { const el = document.activeElement; if (!el || el === document.body) return null;
        const host = document.querySelector('[data-libchat]'); if (el === host) return null;
        const r = el.getBoundingClientRect();
        for (const sel of ['.lc-launcher', '.lc-panel']) {
          const o = host.shadowRoot.querySelector(sel); const b = o.getBoundingClientRect();
          if (o.hidden || getComputedStyle(o).display === 'none' || b.width === 0) continue;
          if (r.left < b.right && r.right > b.left && r.top < b.bottom && r.bottom > b.top)
            return { el: el.textContent, by: sel, el_rect: [r.left, r.top, r.right, r.bottom], over: [b.left, b.top, b.right, b.bottom] };
        }
        return null; }""")


def test_the_launcher_never_hides_the_focused_element(svc, new_context, op):
    # the page's last links sit where the launcher is: bottom right, at the very end of the page
    body = ('<main><h1>Opening hours</h1><p style="height:900px">Long text.</p></main>'
            f'<footer style="text-align:right;padding:0 8px">{CORNER_LINKS}</footer>')
    with library_site(host_page(body, service=svc.base_url)) as site:
        page = open_page(new_context, site + "/")
        seen = 0
        for _ in range(12):
            page.keyboard.press("Tab")
            if page.evaluate(LAUNCHER_FOCUSED):
                break
            if page.evaluate("() => document.activeElement.tagName") == "A":
                seen += 1
                settled(page)
                assert covered(page) is None
        assert seen == 8
        # a short page (nothing to scroll) with the links in the corner: still clear
        short = open_page(new_context, site + "/")
        short.set_viewport_size({"width": 1280, "height": 400})
        short.evaluate("() => { document.querySelector('main p').style.height = '10px'; }")
        for _ in range(10):
            short.keyboard.press("Tab")
            if short.evaluate("() => document.activeElement.tagName") == "A":
                settled(short)
                assert covered(short) is None
        # with the panel open, Tab out of the frame to the page behind it: still clear
        page.get_by_role("button", name=LAUNCHER).click()
        expect(page.frame_locator(FRAME).get_by_label("Your question")).to_be_focused()
        page.evaluate("() => document.querySelector('footer a:last-of-type').focus()")
        settled(page)
        assert covered(page) is None
        for _ in range(3):
            page.keyboard.press("Shift+Tab")
            if page.evaluate("() => document.activeElement.tagName") == "A":
                settled(page)
                assert covered(page) is None
        assert page.errors == []


def test_the_launcher_is_in_the_same_place_on_every_page(svc, new_context):
    pages = {"/": '<h1>Home</h1><p>Welcome.</p>',
             "/hours": '<h1>Hours</h1>' + "<p>Monday to Friday.</p>" * 80}
    with library_site(host_page(pages["/hours"], service=svc.base_url)) as long_site, \
            library_site(host_page(pages["/"], service=svc.base_url)) as short_site:
        boxes = []
        for url in (short_site + "/", long_site + "/"):
            page = open_page(new_context, url)
            launcher = page.get_by_role("button", name=LAUNCHER)
            boxes.append(launcher.bounding_box())
            page.mouse.wheel(0, 2000)
            page.evaluate("() => new Promise((r) => requestAnimationFrame(() => r()))")
            boxes.append(launcher.bounding_box())
        assert all(b == boxes[0] for b in boxes), boxes
        assert boxes[0]["x"] + boxes[0]["width"] == pytest.approx(1280 - 20, abs=1)  # bottom right, 20 px in
        assert boxes[0]["y"] + boxes[0]["height"] == pytest.approx(800 - 20, abs=1)


def test_a_waiting_patron_is_warned_before_the_chat_is_abandoned_and_can_stay(svc, new_context, op):
    # The service ends a waiting chat whose patron has been gone ABANDON_AFTER_SECONDS (120).
    # Shortened for the test through the embed's data-abandon-after (the frame's ?abandon=).
    with library_site(host_page("<h1>Library</h1>", service=svc.base_url, attrs='data-abandon-after="36"')) as site:
        page = open_page(new_context, site + "/")
        page.get_by_role("button", name=LAUNCHER).click()
        chat = page.frame_locator(FRAME)
        chat.get_by_label("Your question").fill("Timeout: can I still get my place back?")
        chat.get_by_role("button", name="Start chat").click()
        chat_id = op.wait("chat.queued", where=lambda f: f["chat"]["question"].startswith("Timeout"))["chat"]["chat_id"]
        expect(chat.get_by_label("Message")).to_be_focused()
        warning = chat.get_by_role("alert").filter(has_text="Are you still there?")
        expect(warning).to_have_count(0)
        # the network goes away: the widget keeps trying, the service's clock runs
        page.context.set_offline(True)
        drop_patron_connections(svc, chat_id)  # (offline emulation may have closed it already)
        expect(chat.locator(".lc-banner")).to_contain_text("offline")
        expect(warning).to_be_visible(timeout=15_000)  # 30 s before the end, never later
        left = int(chat.get_by_role("timer").get_attribute("data-seconds"))
        assert 20 <= left <= 31, left
        expect(warning).to_contain_text("place in line")
        button = chat.get_by_role("button", name="Stay connected")
        # keyboard reachable from the message box
        for _ in range(4):
            page.keyboard.press("Shift+Tab")
            if focused(patron_frame(page)).startswith('button "Stay connected"'):
                break
        else:
            raise AssertionError("Shift+Tab never reached Stay connected")
        assert axe_serious(patron_frame(page)) == []
        assert small_targets(patron_frame(page)) == []
        shot(page, "a11y-widget-stay-warning")
        page.context.set_offline(False)
        page.keyboard.press("Enter")  # reconnects at once instead of waiting for the next try
        expect(warning).to_have_count(0)
        expect(chat.locator(".lc-banner")).not_to_have_class(re.compile("lc-banner--shown"))
        expect(button).to_have_count(0)
        chat.get_by_role("button", name="End chat").click()
        chat.get_by_role("button", name="Yes, end chat").click()
        op.wait("chat.ended", chat_id=chat_id)
        assert page.errors == []
