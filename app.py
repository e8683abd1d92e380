"""Chalice app: wiring only. Each handler parses its event and calls one service function.

REST routes are served under the API's `api` stage (`/api/...`); the WebSocket API routes
`$connect`, `$default` (every action: the service dispatches on the frame's `action`) and
`$disconnect`. Nothing here builds an AWS client: chalicelib.wiring does, on first use.
"""
from chalice import Chalice, Rate

from chalicelib import api
from chalicelib.routes_files import files_routes
from chalicelib.wiring import canned_service, chat_service

app = Chalice(app_name="library-chat")
app.api.cors = True  # bearer tokens, no cookies: any library page may embed the widget
app.experimental_feature_flags.update(["WEBSOCKETS"])
app.register_blueprint(files_routes)  # POST /chats/{id}/uploads, GET /chats/{id}/files


@app.route("/health", methods=["GET"])
@api.rest
def health():
    return chat_service()[0].health()


@app.route("/status", methods=["GET"])
@api.rest
def status():
    return chat_service()[0].status()


@app.route("/chats", methods=["POST"])
@api.rest
def create_chat():
    request = app.current_request
    return api.created(chat_service()[0].create_chat(api.json_body(request), api.source_ip(request)))


@app.route("/chats/{chat_id}/messages", methods=["GET"])
@api.rest
def chat_messages(chat_id):
    request = app.current_request
    after = (request.query_params or {}).get("after")
    return chat_service()[0].history(api.bearer(request), chat_id, after)


@app.route("/chats/{chat_id}/survey", methods=["POST"])
@api.rest
def chat_survey(chat_id):
    request = app.current_request
    return api.created(chat_service()[0].submit_survey(api.bearer(request), chat_id,
                                                       api.json_body(request)))


@app.route("/auth/login", methods=["POST"])
@api.rest
def login():
    return chat_service()[0].login(api.json_body(app.current_request))


@app.route("/auth/refresh", methods=["POST"])
@api.rest
def refresh():
    return chat_service()[0].refresh(api.json_body(app.current_request))


@app.route("/auth/me", methods=["GET"])
@api.rest
def me():
    return chat_service()[0].me(api.bearer(app.current_request))


def _operator():
    return chat_service()[0].operator_for_token(api.bearer(app.current_request))


@app.route("/canned", methods=["GET"])
@api.rest
def canned_list():
    return canned_service().list(_operator())


@app.route("/canned", methods=["POST"])
@api.rest
def canned_create():
    operator = _operator()
    return api.created(canned_service().create(operator, api.json_body(app.current_request)))


@app.route("/canned/{canned_id}", methods=["PUT"])
@api.rest
def canned_update(canned_id):
    operator = _operator()
    return canned_service().update(operator, canned_id, api.json_body(app.current_request))


@app.route("/canned/{canned_id}", methods=["DELETE"])
@api.rest
def canned_delete(canned_id):
    return canned_service().delete(_operator(), canned_id)


@app.route("/surveys", methods=["GET"])
@api.rest
def surveys():
    days = (app.current_request.query_params or {}).get("days")
    return chat_service()[0].survey_results(_operator(), days)


@app.route("/operators", methods=["GET"])
@api.rest
def operators_list():
    return chat_service()[0].list_operators(_operator())


@app.route("/operators/{operator_id}", methods=["PUT"])
@api.rest
def operators_update(operator_id):
    admin = _operator()
    return chat_service()[0].update_operator(admin, operator_id, api.json_body(app.current_request))


@app.schedule(Rate(1, unit=Rate.MINUTES))
def remind_unclaimed(event):
    """Every minute: one SNS reminder for each chat still unclaimed after NOTIFY_WAIT_SECONDS."""
    return api.remind_unclaimed()


@app.on_ws_connect()
def ws_connect(event):
    return api.ws_connect(event)


@app.on_ws_message()
def ws_message(event):
    return api.ws_message(event)


@app.on_ws_disconnect()
def ws_disconnect(event):
    return api.ws_disconnect(event)
