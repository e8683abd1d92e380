"""Reference statistics on moto (docs/reports.md), through the real Chalice handlers: the record
each chat and ticket leaves (written in the transactions of claim, end, the close form, the
survey and a ticket's close), what it must never hold, and the Reports routes (figures against
the pure functions on the same records, permissions per desk, CSV, no Scan)."""
from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

import boto3
import pytest

from chalicelib.domain import stats as st
from local.stats_seed import put_records, synthetic_records
from tests.harness import claimed_chat
from tests.test_tickets import flow, rest  # noqa: F401  (flow: ada, ann and bo)

REGION = "us-east-1"
ALLOWED = {"month", "sk", "r", "f", "rating", "expires_at"}  # r: the facts (FACTS), f: the close form


def stat_items() -> list[dict]:
    """Every item of the stats table, as DynamoDB holds it (Scan is fine in a test)."""
    ddb = boto3.client("dynamodb", region_name=REGION)
    (name,) = [t for t in ddb.list_tables()["TableNames"] if t.endswith("-stats")]
    return [i for page in ddb.get_paginator("scan").paginate(TableName=name) for i in page["Items"]]


def plain(item: dict) -> dict:
    """The record an item holds, as the adapter decodes it (None-valued fields left out)."""
    from dataclasses import asdict
    from chalicelib.adapters.dynamo.stats import decode
    assert set(item) <= ALLOWED, set(item) - ALLOWED
    return {k: v for k, v in asdict(decode(item)).items() if v is not None}


def get_csv(flow, path, token):
    resp = flow.http.get(path, headers={"Authorization": f"Bearer {token}"})
    return resp.status_code, resp.headers, resp.body.decode("utf-8") if isinstance(resp.body, bytes) else resp.body


def test_a_chat_leaves_one_identity_free_record_written_by_its_claim_end_close_form_and_survey(flow, botocore_requests):
    ada, ann = flow.aws.token("ada"), flow.aws.token("ann")
    assert rest(flow, "put", "/tags", ada, {"tags": ["maps"], "question_types": ["directional"]})[0] == 200
    chat_id, patron, _ = claimed_chat(flow)  # asked by "Pat": "Where is the map room?"
    (claimed,) = [plain(i) for i in stat_items()]
    assert (claimed["kind"], claimed["outcome"], claimed["operator_id"]) == ("chat", "answered", "ann")
    flow.frame("patconn1=", action="send", chat_id=chat_id, text="PATRON-WORDS second floor?", client_msg_id="p1")
    flow.frame("patconn1=", action="send", chat_id=chat_id, text="and my email is pat@example.org", client_msg_id="p2")
    flow.frame("opconn1=", action="send", chat_id=chat_id, text="Yes, past the atlases.", client_msg_id="o1")
    botocore_requests.clear()
    flow.frame("opconn1=", action="end", chat_id=chat_id)
    writes = [op for op in botocore_requests.ops() if op not in ("GetItem", "Query", "BatchGetItem")]
    assert writes == ["TransactWriteItems"]  # the record rides in the end's one transaction
    record = {"question_type": "directional", "read": 3, "tags": ["maps"], "note": "SECRET-NOTE regular"}
    assert rest(flow, "put", f"/chats/{chat_id}/record", ann, record)[0] == 200
    flow.frame("opconn1=", action="close", chat_id=chat_id)
    botocore_requests.clear()
    assert flow.post(f"/chats/{chat_id}/survey", {"rating": 4, "comment": "PATRON-COMMENT"}, patron)[0] in (200, 201)
    assert [op for op in botocore_requests.ops() if op != "GetItem"] == ["TransactWriteItems"]
    (item,) = stat_items()
    got = plain(item)
    assert (got["kind"], got["outcome"], got["queue"], got["operator_id"], got["operator_name"]) == \
        ("chat", "answered", "general", "ann", "Ann Archivist")
    assert (got["msgs_patron"], got["msgs_librarian"]) == (3, 1)  # the question and two; one reply
    assert (got["rating"], got["read"], got["question_type"], got["tags"]) == (4, 3, "directional", ["maps"])
    assert got["claimed_at"] >= got["created_at"] and got["ended_at"] >= got["claimed_at"]
    # no patron text or identity, no note, no connection id
    text = json.dumps(item)
    for secret in ("map room", "Pat\"", "PATRON-WORDS", "pat@example.org", "PATRON-COMMENT", "SECRET-NOTE",
                   "patconn1", "opconn1"):
        assert secret not in text, secret
    # kept for reports, longer than the chat
    assert int(got["expires_at"]) > int(got["created_at"]) + 1000 * 86400


def test_unclaimed_chats_are_abandoned_or_tickets_and_a_closed_ticket_has_its_own_record(flow):
    ann = flow.aws.token("ann")
    # the patron leaves before anyone claims: abandoned
    _, asked = flow.post("/chats", {"question": "Anyone there?"})
    assert flow.connect("p1=", asked["token"])["statusCode"] == 200
    flow.frame("p1=", action="hello", chat_id=asked["chat_id"])
    flow.frame("p1=", action="end", chat_id=asked["chat_id"])
    # a waiting chat the patron turns into a ticket: outcome ticket; the ticket, once answered
    # and closed, is a record of its own
    _, second = flow.post("/chats", {"question": "Do you have 1890s maps?"})
    status, made = flow.post(f"/chats/{second['chat_id']}/ticket", {"email": "pat@example.org"}, second["token"])
    assert status == 201, made
    ticket_id = made["ticket_id"]
    assert rest(flow, "post", f"/tickets/{ticket_id}/claim", ann)[0] == 200
    assert rest(flow, "post", f"/tickets/{ticket_id}/replies", ann, {"text": "We do."})[0] in (200, 201)
    assert rest(flow, "post", f"/tickets/{ticket_id}/close", ann,
                {"record": {"read": 2, "tags": []}})[0] == 200
    by_ref = {plain(i)["ref"]: plain(i) for i in stat_items()}
    assert by_ref[asked["chat_id"]]["outcome"] == "abandoned" and "operator_id" not in by_ref[asked["chat_id"]]
    assert by_ref[second["chat_id"]]["outcome"] == "ticket"
    ticket = by_ref[ticket_id]
    assert (ticket["kind"], ticket["outcome"], ticket["operator_id"], ticket["read"]) == ("ticket", "answered", "ann", 2)
    assert (ticket["msgs_patron"], ticket["msgs_librarian"]) >= (1, 1)
    assert "pat@example.org" not in json.dumps(stat_items()) and "1890s" not in json.dumps(stat_items())
    # a reopen and a second close put the same record again, not a second one
    assert rest(flow, "post", f"/tickets/{ticket_id}/reopen", ann)[0] == 200
    assert rest(flow, "post", f"/tickets/{ticket_id}/claim", ann)[0] == 200
    assert rest(flow, "post", f"/tickets/{ticket_id}/close", ann, {})[0] == 200
    assert len([i for i in stat_items() if plain(i)["ref"] == ticket_id]) == 1


NOV = date(2026, 11, 1)
QUEUES = ["general", "law"]
OPS = [("ann", "Ann Archivist"), ("bo", "Bo Binder"), ("cy", "Cy Cataloguer")]


def seed_november(flow) -> list:
    from chalicelib import wiring
    ada = flow.aws.token("ada")
    assert rest(flow, "post", "/queues", ada, {"id": "law", "name": "Law library", "library": "Law"})[0] == 201
    assert rest(flow, "put", "/queues/general", ada, {"timezone": "America/Chicago"})[0] == 200
    wiring.repositories().operators.update("bo", queues={"law"})
    records = synthetic_records(NOV, 30, 12, queues=QUEUES, operators=OPS, tags=["maps", "law, tax"],
                                question_types=["directional", "research"], tz="America/Chicago")
    records += synthetic_records(date(2026, 10, 1), 31, 3, queues=QUEUES, operators=OPS, seed=2,
                                 tz="America/Chicago")  # October, outside the range
    assert put_records(None, wiring.settings().table_prefix, records) == len(records)
    return records


def test_reports_figures_match_the_records_and_read_only_the_months_they_span(flow, botocore_requests):
    records = seed_november(flow)
    ada = flow.aws.token("ada")
    botocore_requests.clear()
    status, rep = rest(flow, "get", "/reports?from=2026-11-01&to=2026-11-30", ada)
    assert status == 200, rep
    ops = botocore_requests.ops()
    assert "Scan" not in ops
    assert ops.count("Query") <= 2 + 1  # Oct-Nov UTC months of the local range (+ the desks directory)
    tz = ZoneInfo("America/Chicago")
    start = datetime(2026, 11, 1, tzinfo=tz).timestamp()
    end = datetime(2026, 12, 1, tzinfo=tz).timestamp()
    mine = [r for r in records if start <= r.created_at < end]
    want = st.report(mine, tz=tz, target_seconds=60)
    assert rep["tz"] == "America/Chicago" and rep["count"] == len(mine) == 360
    for key in ("chats", "tickets", "heat_map", "outcomes", "read", "question_types", "tags"):
        assert rep[key] == want[key], key
    assert rep["wait"]["p50"] == pytest.approx(want["wait"]["p50"]) and rep["wait"]["p90"] == pytest.approx(want["wait"]["p90"])
    assert [d["day"] for d in rep["per_day"]][:2] == ["2026-11-01", "2026-11-02"] and len(rep["per_day"]) == 30
    assert sum(d["chats"] + d["tickets"] for d in rep["per_day"]) == 360
    assert rep["tables"]["per_day"]["rows"][0][0] == "2026-11-01"
    # a filter: one desk, one librarian, one tag
    law = rest(flow, "get", "/reports?from=2026-11-01&to=2026-11-30&queue=law", ada)[1]
    utc = (datetime(2026, 11, 1, tzinfo=timezone.utc).timestamp(), datetime(2026, 12, 1, tzinfo=timezone.utc).timestamp())
    assert law["tz"] == "UTC"  # the law desk's own zone
    assert law["count"] == sum(1 for r in records if r.queue == "law" and utc[0] <= r.created_at < utc[1])
    by_tag = rest(flow, "get", "/reports?from=2026-11-01&to=2026-11-30&tag=law%2C%20tax", ada)[1]
    assert by_tag["count"] == sum(1 for r in mine if "law, tax" in r.tags)
    cy = rest(flow, "get", "/reports?from=2026-11-01&to=2026-11-30&operator=cy", ada)[1]
    assert [row["operator_id"] for row in cy["librarians"]] == ["cy"]
    # bad input
    for query, code in (("from=2026-13-01", 400), ("from=2026-11-30&to=2026-11-01", 400),
                        ("from=2025-01-01&to=2026-11-30", 400)):
        assert rest(flow, "get", f"/reports?{query}", ada)[0] == code, query


def test_a_librarian_sees_only_their_desks_and_the_csv_is_the_table(flow):
    records = seed_november(flow)
    bo = flow.aws.token("bo")  # a member of "law" only
    status, refused = rest(flow, "get", "/reports?queue=general&from=2026-11-01&to=2026-11-30", bo)
    assert (status, refused["error"]["code"]) == (403, "forbidden")
    status, rep = rest(flow, "get", "/reports?from=2026-11-01&to=2026-11-30", bo)
    assert status == 200 and [q["id"] for q in rep["options"]["queues"]] == ["law"]
    start = datetime(2026, 11, 1, tzinfo=timezone.utc).timestamp()
    end = datetime(2026, 12, 1, tzinfo=timezone.utc).timestamp()
    assert rep["count"] == sum(1 for r in records if r.queue == "law" and start <= r.created_at < end)
    status, headers, body = get_csv(flow, "/reports/csv?table=per_day&from=2026-11-01&to=2026-11-30", bo)
    assert status == 200 and headers["Content-Type"].startswith("text/csv")
    assert 'filename="reports-per_day-2026-11-01-2026-11-30.csv"' in headers["Content-Disposition"]
    assert body.startswith("\ufeff") and "\r\n" in body
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    assert rows[0] == rep["tables"]["per_day"]["columns"] and rows[1:] == rep["tables"]["per_day"]["rows"]
    status, _, body = get_csv(flow, "/reports/csv?table=records&from=2026-11-01&to=2026-11-30", bo)
    rows = list(csv.DictReader(io.StringIO(body.lstrip("\ufeff"))))
    assert len(rows) == rep["count"] and {r["queue"] for r in rows} == {"law"}
    assert list(rows[0]) == list(st.RECORD_COLUMNS)
    assert any(r["tags"] == "law, tax" or "law, tax" in r["tags"] for r in rows)  # a comma, quoted
    assert get_csv(flow, "/reports/csv?table=nope", bo)[0] == 400


def test_today_per_desk_and_the_target_admins_set(flow):
    ada, ann = flow.aws.token("ada"), flow.aws.token("ann")
    chat_id, _, _ = claimed_chat(flow)
    flow.post("/chats", {"question": "Still waiting"})
    status, today = rest(flow, "get", "/reports/today", ann)
    assert status == 200, today
    (general,) = today["desks"]
    assert (general["id"], general["waiting"], general["claimed"]) == ("general", 1, 1)
    assert general["p50"] is not None and general["p50"] == general["p90"]
    assert today["target_seconds"] == 60
    assert rest(flow, "put", "/reports/target", ann, {"seconds": 45})[0] == 403
    for bad in (5, 99999, "60", True, None):
        assert rest(flow, "put", "/reports/target", ada, {"seconds": bad})[0] == 400, bad
    assert rest(flow, "put", "/reports/target", ada, {"seconds": 45}) == (200, {"target_seconds": 45})
    assert rest(flow, "get", "/reports/today", ann)[1]["target_seconds"] == 45
    assert rest(flow, "get", "/reports", ada)[1]["wait"]["target"] == 45
