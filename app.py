"""Chalice app: routes only. Each handler reads its request and calls one use case on
`services()` (chalicelib/wiring.py); the edge (chalicelib/edge/) turns refusals into protocol
errors and writes one log line per call.

REST routes are served under the API's `api` stage (`/api/...`); the WebSocket API routes
`$connect`, `$default` (every action, dispatched by chalicelib/edge/ws.py's one action table)
and `$disconnect`. Nothing here builds an AWS client: the wiring does, on first use.
"""
from chalice import Chalice, CORSConfig, Rate

from chalicelib.edge import ws
from chalicelib.edge.rest import (ANY_CONTENT_TYPE, accepted, bearer, client_identity, created, csv_file,
                                  json_body, params, query, rest, scheduled, sns_messages)
from chalicelib.settings import mail_events_topic
from chalicelib.wiring import services, settings

app = Chalice(app_name="library-chat")
# Bearer tokens, no cookies: any library page may embed the widget. The widget's browser id
# (docs/privacy.md) is a header of its own; the dashboard reads a CSV's file name.
app.api.cors = CORSConfig(allow_origin="*", allow_headers=["X-Client-Id"],
                          expose_headers=["Content-Disposition"])
app.experimental_feature_flags.update(["WEBSOCKETS"])


def route(path: str, methods):
    """`app.route` taking any Content-Type (chalicelib/edge/rest.py ANY_CONTENT_TYPE)."""
    return app.route(path, methods=methods, content_types=ANY_CONTENT_TYPE)


def _request():
    return app.current_request


def _caller():
    """Patron or operator, resolved once from the bearer token (domain/access.py)."""
    return services().access.resolve(bearer(_request()))


def _operator():
    return services().access.operator(bearer(_request()))


@route("/health", methods=["GET"])
@rest
def health():
    return {"ok": True}


@route("/status", methods=["GET"])
@rest
def status():
    return services().operators.status(query(_request(), "queue"))


@route("/chats", methods=["POST"])
@rest
def create_chat():
    return created(services().chats.create(json_body(_request()), client_identity(_request())))


@route("/chats/{chat_id}/messages", methods=["GET"])
@rest
def chat_messages(chat_id):
    return services().conversation.history(_caller(), chat_id, query(_request(), "after"))


@route("/chats/{chat_id}/survey", methods=["POST"])
@rest
def chat_survey(chat_id):
    return created(services().surveys.submit(_caller(), chat_id, json_body(_request())))


@route("/chats/{chat_id}/uploads", methods=["POST"])
@rest
def chat_upload(chat_id):
    return services().files.upload(_caller(), chat_id, json_body(_request()))


@route("/chats/{chat_id}/files", methods=["GET"])
@rest
def chat_file(chat_id):
    return services().files.download(_caller(), chat_id, query(_request(), "key"))


@route("/auth/login", methods=["POST"])
@rest
def login():
    return services().operators.login(json_body(_request()))


@route("/auth/refresh", methods=["POST"])
@rest
def refresh():
    return services().operators.refresh(json_body(_request()))


@route("/auth/password", methods=["POST"])
@rest
def new_password():
    return services().operators.new_password(json_body(_request()))


@route("/auth/me", methods=["GET"])
@rest
def me():
    return services().operators.me(_operator())


@route("/canned", methods=["GET"])
@rest
def canned_list():
    return services().canned.list(_operator())


@route("/canned", methods=["POST"])
@rest
def canned_create():
    return created(services().canned.create(_operator(), json_body(_request())))


@route("/canned/{canned_id}", methods=["PUT"])
@rest
def canned_update(canned_id):
    return services().canned.update(_operator(), canned_id, json_body(_request()))


@route("/canned/{canned_id}", methods=["DELETE"])
@rest
def canned_delete(canned_id):
    return services().canned.delete(_operator(), canned_id)


@route("/surveys", methods=["GET"])
@rest
def surveys():
    return services().surveys.results(_operator(), query(_request(), "days"))


@route("/operators", methods=["GET"])
@rest
def operators_list():
    return services().operators.list(_operator())


@route("/operators", methods=["POST"])
@rest
def operators_create():
    return created(services().operators.create(_operator(), json_body(_request())))


@route("/queues", methods=["GET"])
@rest
def queues_list():
    return services().desks.list(_operator())


@route("/queues", methods=["POST"])
@rest
def queues_create():
    return created(services().desks.create(_operator(), json_body(_request())))


@route("/queues/{queue_id}", methods=["PUT"])
@rest
def queues_update(queue_id):
    return services().desks.update(_operator(), queue_id, json_body(_request()))


@route("/operators/{operator_id}", methods=["PUT"])
@rest
def operators_update(operator_id):
    return services().operators.update(_operator(), operator_id, json_body(_request()))


# ------------------------------------------------ after the chat (docs/tickets.md)


@route("/tickets", methods=["POST"])
@rest
def ticket_create():
    return created(services().tickets.create(json_body(_request())))


@route("/tickets", methods=["GET"])
@rest
def tickets_list():
    return services().tickets.list(_operator(), query(_request(), "queue"), query(_request(), "status"))


@route("/tickets/{ticket_id}", methods=["GET"])
@rest
def ticket_get(ticket_id):
    return services().tickets.get(_operator(), ticket_id)


@route("/tickets/{ticket_id}/claim", methods=["POST"])
@rest
def ticket_claim(ticket_id):
    return services().tickets.claim(_operator(), ticket_id)


@route("/tickets/{ticket_id}/replies", methods=["POST"])
@rest
def ticket_reply(ticket_id):
    return created(services().tickets.reply(_operator(), ticket_id, json_body(_request())))


@route("/tickets/{ticket_id}/notes", methods=["POST"])
@rest
def ticket_note(ticket_id):
    return created(services().tickets.note(_operator(), ticket_id, json_body(_request())))


@route("/tickets/{ticket_id}/close", methods=["POST"])
@rest
def ticket_close(ticket_id):
    return services().tickets.close(_operator(), ticket_id, json_body(_request()))


@route("/tickets/{ticket_id}/reopen", methods=["POST"])
@rest
def ticket_reopen(ticket_id):
    return services().tickets.reopen(_operator(), ticket_id)


@route("/tickets/{ticket_id}/transcript", methods=["POST"])
@rest
def ticket_transcript(ticket_id):
    return accepted(services().tickets.transcript(_operator(), ticket_id, json_body(_request())))


@route("/public/tickets/{ticket_id}", methods=["GET"])
@rest
def ticket_public(ticket_id):
    return services().tickets.public_view(ticket_id, bearer(_request()))


@route("/public/tickets/{ticket_id}/replies", methods=["POST"])
@rest
def ticket_public_reply(ticket_id):
    return created(services().tickets.patron_reply(ticket_id, bearer(_request()), json_body(_request())))


@route("/chats/{chat_id}/ticket", methods=["POST"])
@rest
def chat_ticket(chat_id):
    return created(services().tickets.from_chat(_caller(), chat_id, json_body(_request())))


@route("/chats/{chat_id}/transcript", methods=["POST"])
@rest
def chat_transcript(chat_id):
    return accepted(services().records.email_transcript(_caller(), chat_id, json_body(_request())))


@route("/chats/{chat_id}/record", methods=["GET"])
@rest
def chat_record(chat_id):
    return services().records.chat_record(_operator(), chat_id)


@route("/chats/{chat_id}/record", methods=["PUT"])
@rest
def save_chat_record(chat_id):
    return services().records.save_chat_record(_operator(), chat_id, json_body(_request()))


@route("/tags", methods=["GET"])
@rest
def tags_get():
    return services().records.reference(_operator())


@route("/tags", methods=["PUT"])
@rest
def tags_put():
    return services().records.set_reference(_operator(), json_body(_request()))


@route("/history", methods=["GET"])
@rest
def history():
    return services().records.search(_operator(), dict(_request().query_params or {}))


@route("/chats/{chat_id}", methods=["DELETE"])
@rest
def delete_chat(chat_id):
    return services().privacy.delete_now(_caller(), chat_id)


@route("/chats/{chat_id}/block", methods=["POST"])
@rest
def block_patron(chat_id):
    return created(services().guards.block(_operator(), chat_id, json_body(_request())))


@route("/blocks", methods=["GET"])
@rest
def blocks_list():
    return services().guards.list(_operator())


@route("/blocks/{block_id}", methods=["DELETE"])
@rest
def block_lift(block_id):
    return services().guards.lift(_operator(), block_id)


@route("/privacy", methods=["GET"])
@rest
def privacy():
    return services().privacy.page(query(_request(), "library"))


@route("/reports", methods=["GET"])
@rest
def reports():
    return services().reports.report(_operator(), params(_request()))


@route("/reports/csv", methods=["GET"])
@rest
def reports_csv():
    return csv_file(*services().reports.csv(_operator(), params(_request())))


@route("/reports/today", methods=["GET"])
@rest
def reports_today():
    return services().reports.today(_operator())


@route("/supervision", methods=["GET"])
@rest
def supervision_live():
    return services().supervision.live(_operator())


@route("/reports/target", methods=["PUT"])
@rest
def reports_target():
    return services().reports.set_target(_operator(), json_body(_request()))


@app.on_sns_message(topic=mail_events_topic())
@scheduled
def mail_events(event):
    """SES bounce and complaint notifications (the stage's configuration set publishes them
    to its SNS topic): each is written on the ticket its message was about."""
    return services().tickets.mail_events(sns_messages(event.to_dict()))


@app.schedule(Rate(1, unit=Rate.MINUTES))
@scheduled
def remind_unclaimed(event):
    """Every minute, the waiting chats: one SNS reminder for each chat still unclaimed after
    NOTIFY_WAIT_SECONDS; a chat whose patron left ABANDON_AFTER_SECONDS ago is ended."""
    cfg = settings()
    return services().chats.tend_queue(cfg.notify_wait_seconds, cfg.abandon_after_seconds)


@app.schedule(Rate(5, unit=Rate.MINUTES))
@scheduled
def purge_transcripts(event):
    """Every 5 minutes: the transcripts a desk deletes some hours after close, and any purge
    cut short (docs/privacy.md)."""
    return services().privacy.purge_due()


@app.on_ws_connect()
def ws_connect(event):
    return ws.connect(event)


@app.on_ws_message()
def ws_message(event):
    return ws.message(event)


@app.on_ws_disconnect()
def ws_disconnect(event):
    return ws.disconnect(event)
