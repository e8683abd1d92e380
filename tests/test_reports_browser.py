"""The Reports tab and the Chats tab's "today" line (docs/reports.md), in real chromium against
a local runner holding a month of statistics records (November 2026, 20 a day over three desks,
three librarians, tags and question types), made by local.stats_seed:

- an admin applies 1-30 November: every chart is drawn by Chart.js with the numbers that
  chalicelib.domain.stats.report computes from the same records, each followed by its table;
  a Desk filter changes the figures to that desk's; the per-day CSV has the rows of the
  per-day table on screen (UTF-8 with a BOM, CRLF), the records CSV one row per record; the
  admin's wait-to-claim target is saved and the figures compare with it; axe finds nothing
  serious; the tab's screenshot goes to artifacts/screenshots/reports-tab.png (docs/images/ for the README
  with UPDATE_README_IMAGES=1);
- a librarian of one desk is offered only that desk;
- the Chats tab says, per desk, today's waiting chats and waits, and follows a new chat.

This module starts its own runner: the seeded records and the changed desk membership must not
reach the shared runner's tests. Tests wait on the DOM, never on fixed sleeps.
"""
from __future__ import annotations

import csv
import io
import os
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from chalicelib.domain import stats
from tests.browser import ROOT, axe_serious, own_runner, page_of, shot, sign_in

pytestmark = pytest.mark.timeout(300)

FIRST, LAST = "2026-11-01", "2026-11-30"
DESKS = ["central", "riverside", "coop"]
LIBRARIANS = [("central", "Cass Central"), ("riverside", "Remy Riverside"), ("librarian", "Libby Librarian")]
LIBRARIES = {"central": "Central Library", "riverside": "Riverside Library", "coop": "State co-op"}
TAGS = ["catalogue", "databases", "local history", "interlibrary loan"]
TYPES = ["Directional", "Reference", "Technology", "Policy"]
CHARTS = ["per_day", "heat_map", "wait", "duration", "outcomes", "ratings", "read", "question_types", "tags"]


EXPECT_TIMEOUT_MS = 15_000  # tests/browser.py's patient_expect: this module's pages do more per step


@pytest.fixture(scope="module")
def rsvc():
    from local.runner import TABLE_PREFIX
    from local.stats_seed import put_records, synthetic_records
    with own_runner() as service:
        service.records = synthetic_records(date(2026, 11, 1), 30, 20, queues=DESKS, operators=LIBRARIANS,
                                            tags=TAGS, question_types=TYPES, seed=12, libraries=LIBRARIES)
        assert put_records(service.aws_url, TABLE_PREFIX, service.records) == len(service.records)
        yield service


def reports_page(new_context, svc, user: str, **ctx):
    page = page_of(new_context, f"{svc.base_url}/dashboard/", **ctx)  # reduced motion: Chart.js draws at once
    sign_in(page, user)
    return page


def open_reports(page):
    page.get_by_role("tab", name="Reports").click()
    expect(page.locator("#lcd-reports-form")).to_be_visible()
    expect(page.locator("#lcd-reports-status")).not_to_be_empty()  # the default report answered


def apply(page, first: str = FIRST, last: str = LAST, desk: str | None = None):
    page.locator("#lcd-reports-from").fill(first)
    page.locator("#lcd-reports-to").fill(last)
    if desk is not None:
        page.locator("#lcd-reports-desk").select_option(desk)
    page.get_by_role("button", name="Apply").click()
    expect(page.locator("#lcd-reports-status")).to_contain_text(f"Report for {first} to {last}")
    expect(page.locator("#lcd-reports-results")).not_to_have_attribute("aria-busy", "true")


def expected(svc, **filters) -> dict:
    """stats.report over the seeded records of 1-30 November, local days in the report's zone
    (the service says which: the filtered desk's, else the first desk's), with its target."""
    query = f"/api/reports?from={FIRST}&to={LAST}" + "".join(
        f"&{k}={v.replace(' ', '+')}" for k, v in filters.items())
    status, body = svc.request("GET", query, token=svc.admin)
    assert status == 200, body
    tz = ZoneInfo(body["tz"])
    first, last = date.fromisoformat(FIRST), date.fromisoformat(LAST)
    inside = [r for r in svc.records if first <= datetime.fromtimestamp(r.created_at, tz).date() <= last]
    rep = stats.report(inside, tz=tz, target_seconds=body["target_seconds"], filters=filters)
    rep["tz"] = body["tz"]
    return rep


def drawn(page) -> dict:
    """What Chart.js holds for each canvas of the tab: per dataset, its numbers (a matrix cell's
    `v`), and how many elements it laid out (0 would be a chart never drawn)."""
    return page.evaluate("""() => Object.fromEntries(
      [...document.querySelectorAll('#lcd-reports-results canvas')].map((c) => {
        const chart = Chart.getChart(c);
        return [c.closest('figure').dataset.report, chart ? {
          type: chart.config.type,
          sets: chart.data.datasets.map((d) => d.data.map((v) => (typeof v === 'number' ? v : v.v))),
          elements: chart.getDatasetMeta(0).data.length,
          width: c.width, label: c.getAttribute('aria-label'), role: c.getAttribute('role'),
        } : null];
      }))""")


def table_rows(page, name: str) -> list[list[str]]:
    """The table after a chart, as text: its header row, then each row."""
    return page.locator(f"#lcd-report-{name}-table").evaluate(
        "(t) => [...t.rows].map((r) => [...r.cells].map((c) => c.textContent))")


def download(page, button) -> tuple[str, bytes]:
    with page.expect_download() as info:
        button.click()
    d = info.value
    return d.suggested_filename, Path(d.path()).read_bytes()


def csv_rows(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf"), "a byte-order mark, for Excel"
    text = data.decode("utf-8-sig")
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", ""), "CRLF line ends"
    return list(csv.reader(io.StringIO(text, newline="")))


def test_an_admin_reads_november_in_charts_tables_and_csv_files(rsvc, new_context):
    page = reports_page(new_context, rsvc, "admin", viewport={"width": 1280, "height": 1500})
    open_reports(page)
    apply(page)
    want = expected(rsvc)
    assert 500 < want["count"] <= len(rsvc.records)  # a month (the first hours may be October's, locally)

    figures = page.locator("#lcd-reports-figures")
    expect(figures.locator('[data-figure="count"] dd')).to_have_text(str(want["count"]))
    expect(figures.locator('[data-figure="chats"] dd')).to_have_text(str(want["chats"]))
    expect(figures.locator('[data-figure="tickets"] dd')).to_have_text(str(want["tickets"]))
    expect(figures.locator('[data-figure="p50"] dd')).to_contain_text(f"(target {want['wait']['target']} s)")

    # every chart drawn by Chart.js, with the numbers of the same records
    page.wait_for_function("""() => {
        const canvases = [...document.querySelectorAll('#lcd-reports-results canvas')];
        return typeof Chart === 'function' && canvases.length === 9 && canvases.every((c) => Chart.getChart(c)); }""")
    got = drawn(page)
    assert sorted(got) == sorted(CHARTS)
    total = lambda name, i=0: sum(got[name]["sets"][i])  # noqa: E731
    assert got["per_day"]["type"] == "bar" and len(got["per_day"]["sets"][0]) == 30
    assert (total("per_day"), total("per_day", 1)) == (want["chats"], want["tickets"])
    assert got["heat_map"]["type"] == "matrix" and len(got["heat_map"]["sets"][0]) == 7 * 24
    assert total("heat_map") == want["count"]
    assert got["wait"]["sets"][0] == want["wait"]["histogram"] and total("wait") == want["wait"]["n"] > 0
    assert got["duration"]["sets"][0] == want["duration"]["histogram"]
    assert total("duration") == want["duration"]["n"] > 0
    assert got["outcomes"]["type"] == "doughnut"
    assert got["outcomes"]["sets"][0] == [want["outcomes"][o] for o in stats.OUTCOMES]
    assert total("ratings") == want["ratings"]["n"] > 0
    assert got["read"]["sets"][0] == [want["read"][str(n)] for n in range(1, 7)]
    assert total("question_types") == sum(want["question_types"].values()) > 0
    assert total("tags") == sum(want["tags"].values()) > 0
    for name, chart in got.items():
        assert chart["elements"] > 0 and chart["width"] > 0, name
        assert chart["role"] == "img" and chart["label"], name
    expect(page.locator("#lcd-report-heat_map figcaption")).to_contain_text(want["tz"])
    wait_caption = page.locator("#lcd-report-wait figcaption")
    expect(wait_caption).to_contain_text("p50")
    expect(wait_caption).to_contain_text("p90")
    expect(wait_caption).to_contain_text(f"target {want['wait']['target']} s")

    # each chart's table, the per-librarian one too
    per_day = table_rows(page, "per_day")
    assert per_day[0] == ["Day", "Chats", "Tickets", "Total"] and len(per_day) == 31
    assert sum(int(r[3]) for r in per_day[1:]) == want["count"]
    librarians = table_rows(page, "librarians")
    assert {r[0] for r in librarians[1:]} == {name for _, name in LIBRARIANS}
    for name in [*CHARTS, "librarians"]:  # real tables, named by their captions, in the accessibility tree
        caption = page.locator(f"#lcd-report-{name}-table caption").text_content()
        expect(page.get_by_role("table", name=caption, exact=True)).to_have_count(1)

    assert axe_serious(page, "#lcd-panel-reports") == []
    shot(page, "reports-1-november")
    # the README's picture: the summary and the first charts (the form is above them)
    page.locator("#lcd-panel-reports").evaluate("""(p) => {
        const r = document.getElementById('lcd-reports-results');
        p.scrollTop += r.getBoundingClientRect().top - p.getBoundingClientRect().top - 16; }""")
    # into artifacts/ on every run; into the README's docs/images/ only when asked
    # (UPDATE_README_IMAGES=1), so a test run never changes a tracked file
    target = ROOT / "docs" / "images" if os.environ.get("UPDATE_README_IMAGES") else ROOT / "artifacts" / "screenshots"
    target.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(target / "reports-tab.png"))

    # the per-day CSV: the rows of the table on screen; the records CSV: one row per record
    name, data = download(page, page.locator("#lcd-report-per_day").get_by_role("button", name="Download CSV"))
    assert name == f"reports-per_day-{FIRST}-{LAST}.csv"
    assert csv_rows(data) == per_day
    name, data = download(page, page.get_by_role("button", name="Download all records (CSV)"))
    assert name == f"reports-records-{FIRST}-{LAST}.csv"
    records = csv_rows(data)
    assert records[0] == list(stats.RECORD_COLUMNS) and len(records) - 1 == want["count"]
    expect(page.locator("#lcd-reports-status")).to_contain_text(f"Downloaded {name}")

    # one desk: the figures (and the heat map's zone) are that desk's
    apply(page, desk="central")
    central = expected(rsvc, queue="central")
    assert 0 < central["count"] < want["count"]
    expect(figures.locator('[data-figure="count"] dd')).to_have_text(str(central["count"]))
    expect(page.locator("#lcd-report-heat_map figcaption")).to_contain_text(central["tz"])
    page.wait_for_function("""(n) => Chart.getChart(document.querySelector('#lcd-report-heat_map canvas'))
        .data.datasets[0].data.reduce((a, c) => a + c.v, 0) === n""", arg=central["count"])
    name, data = download(page, page.locator("#lcd-report-per_day").get_by_role("button", name="Download CSV"))
    assert csv_rows(data) == table_rows(page, "per_day")
    assert sum(int(r[3]) for r in csv_rows(data)[1:]) == central["count"]

    # a library (every desk of it): its figures
    page.locator("#lcd-reports-desk").select_option("")
    page.locator("#lcd-reports-library").select_option("Riverside Library")
    apply(page)
    riverside = expected(rsvc, library="Riverside Library")
    assert 0 < riverside["count"] < want["count"]
    expect(figures.locator('[data-figure="count"] dd')).to_have_text(str(riverside["count"]))
    page.locator("#lcd-reports-library").select_option("")

    # the admin's target: saved, and the figures compare with it
    page.get_by_label("Target wait to claim (seconds)").fill("90")
    page.get_by_role("button", name="Save target").click()
    expect(page.locator("#lcd-reports-target")).to_contain_text("Target saved: 90 s.")
    expect(figures.locator('[data-figure="p50"] dd')).to_contain_text("(target 90 s)")
    status, body = rsvc.request("GET", f"/api/reports?from={FIRST}&to={LAST}", token=rsvc.admin)
    assert body["target_seconds"] == 90
    assert page.errors == []


def test_a_librarian_of_one_desk_is_offered_only_that_desk(rsvc, new_context):
    status, body = rsvc.request("PUT", "/api/operators/trainee", {"queues": ["riverside"]}, token=rsvc.admin)
    assert status == 200, body
    page = reports_page(new_context, rsvc, "trainee")
    open_reports(page)
    apply(page)
    desks = page.locator("#lcd-reports-desk option")
    expect(desks).to_have_count(2)
    assert page.locator("#lcd-reports-desk").evaluate("(s) => [...s.options].map((o) => o.value)") == ["", "riverside"]
    riverside = expected(rsvc, queue="riverside")
    expect(page.locator('#lcd-reports-figures [data-figure="count"] dd')).to_have_text(str(riverside["count"]))
    expect(page.locator("#lcd-reports-target")).to_have_count(0)  # admins only
    expect(page.locator("#lcd-report-heat_map figcaption")).to_contain_text(riverside["tz"])
    assert page.errors == []


def test_the_chats_tab_says_today_per_desk_and_follows_a_new_chat(rsvc, new_context):
    page = reports_page(new_context, rsvc, "admin")
    today = page.locator("#lcd-today")
    expect(today).to_be_visible()
    central = today.locator('[data-queue="central"]')
    expect(central).to_contain_text("Today: 0 waiting")
    expect(central).to_contain_text("(target")
    assert today.get_attribute("aria-live") is None and today.get_attribute("role") is None, "quiet: not announced"
    rsvc.new_chat("Do you have the 1902 county atlas?", queue="central")
    expect(page.locator(".lcd-wait-row")).to_have_count(1)
    expect(central).to_contain_text("Today: 1 waiting")  # asked again soon after chat.queued
    page.get_by_role("tab", name="Reports").click()
    page.get_by_role("tab", name="Chats").click()
    expect(central).to_contain_text("Today: 1 waiting")
    assert axe_serious(page, "#lcd-panel-chats") == []
    assert page.errors == []
