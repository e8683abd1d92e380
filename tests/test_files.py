"""File attachments: the domain on an in-memory FileStore, the routes and the `send` hook through
the real handlers on moto, and the whole round trip (a true multipart POST, a presigned GET)
against the local runner.

moto enforces none of a POST policy's conditions, so the refusals that matter are the service's
own HeadObject checks: every one of them is shown to leave the chat untouched (no message, same
last_seq).
"""
from __future__ import annotations

import base64
import json
import urllib.error
import urllib.parse
import urllib.request
import uuid

import pytest

from chalicelib.domain.files import (ALLOWED_TYPES, FilesService, StoredFile, display_name,
                                     safe_name)
from chalicelib.errors import ServiceError
from tests.harness import Flow, claimed_chat, posted_frames

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


# ------------------------------------------------------------------ the in-memory FileStore


class MemoryFileStore:
    """The `FileStore` port in memory. `put` stands for a browser upload; like moto, nothing
    checks that it kept to the policy it was given."""

    def __init__(self) -> None:
        self.objects: dict[str, tuple[bytes, str]] = {}
        self.posts: list[dict] = []
        self.heads: list[str] = []

    def put(self, key: str, body: bytes, content_type: str) -> None:
        self.objects[key] = (body, content_type)

    def presign_post(self, key, content_type, max_bytes, expires_in):
        policy = {"conditions": [{"key": key}, {"Content-Type": content_type},
                                 ["content-length-range", 1, max_bytes]], "expires_in": expires_in}
        self.posts.append(policy)
        return "https://files.test/", {"key": key, "Content-Type": content_type,
                                       "policy": json.dumps(policy)}

    def presign_get(self, key, *, content_type, disposition, expires_in):
        query = urllib.parse.urlencode({"response-content-type": content_type,
                                        "response-content-disposition": disposition,
                                        "expires": expires_in})
        return f"https://files.test/{key}?{query}"

    def head(self, key):
        self.heads.append(key)
        if key not in self.objects:
            return None
        body, content_type = self.objects[key]
        return StoredFile(size=len(body), content_type=content_type)


class FakeChat:
    def __init__(self, chat_id: str) -> None:
        self.chat_id = chat_id


@pytest.fixture
def files() -> FilesService:
    return FilesService(MemoryFileStore(), max_bytes=1000)


def code_of(call) -> str:
    with pytest.raises(ServiceError) as err:
        call()
    return err.value.code


# ---------------------------------------------------------------------------- domain


def test_upload_url_pins_key_type_and_size_under_the_chat(files):
    out = files.upload_url(FakeChat("c1"), "patron", {
        "filename": "C:\\fakepath\\Résumé 2024.pdf", "content_type": "Application/PDF",
        "size": 120})
    assert set(out) == {"url", "fields", "key", "max_bytes", "expires_in"}
    assert out["max_bytes"] == 1000 and out["expires_in"] == 300
    prefix, rand, name = out["key"].rsplit("/", 2)
    assert prefix == "chats/c1" and len(rand) == 32 and name == "Resume_2024.pdf"
    assert out["fields"]["key"] == out["key"] and out["fields"]["Content-Type"] == PDF
    policy = files.store.posts[-1]
    assert {"key": out["key"]} in policy["conditions"]
    assert {"Content-Type": PDF} in policy["conditions"]
    assert ["content-length-range", 1, 120] in policy["conditions"]
    again = files.upload_url(FakeChat("c1"), "operator", {"filename": "Résumé 2024.pdf",
                                                          "content_type": PDF, "size": 1})
    assert again["key"] != out["key"]  # two uploads of one name never collide


@pytest.mark.parametrize("body, code", [
    ({"content_type": PDF, "size": 10}, "bad_request"),  # no filename
    ({"filename": "", "content_type": PDF, "size": 10}, "bad_request"),
    ({"filename": "x" * 201, "content_type": PDF, "size": 10}, "bad_request"),
    ({"filename": 12, "content_type": PDF, "size": 10}, "bad_request"),
    ({"filename": "a.html", "content_type": "text/html", "size": 10}, "bad_request"),
    ({"filename": "a.svg", "content_type": "image/svg+xml", "size": 10}, "bad_request"),
    ({"filename": "a.exe", "content_type": "application/octet-stream", "size": 10}, "bad_request"),
    ({"filename": "a.pdf", "size": 10}, "bad_request"),
    ({"filename": "a.pdf", "content_type": PDF, "size": 0}, "bad_request"),
    ({"filename": "a.pdf", "content_type": PDF, "size": "10"}, "bad_request"),
    ({"filename": "a.pdf", "content_type": PDF, "size": True}, "bad_request"),
    ({"filename": "a.pdf", "content_type": PDF}, "bad_request"),
    ({"filename": "a.pdf", "content_type": PDF, "size": 1001}, "too_large"),
])
def test_upload_url_refuses_bad_names_types_and_sizes(files, body, code):
    assert code_of(lambda: files.upload_url(FakeChat("c1"), "patron", body)) == code
    assert files.store.posts == []


def test_allow_list_is_images_pdf_text_and_office_documents():
    for ext_type in ("image/png", "image/jpeg", "image/gif", "image/webp", PDF, "text/plain",
                     "text/csv", DOCX, "application/msword", "application/vnd.ms-excel",
                     "application/vnd.ms-powerpoint",
                     "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                     "application/vnd.openxmlformats-officedocument.presentationml.presentation",
                     "application/vnd.oasis.opendocument.text",
                     "application/vnd.oasis.opendocument.spreadsheet",
                     "application/vnd.oasis.opendocument.presentation", "application/rtf"):
        assert ext_type in ALLOWED_TYPES
    for refused in ("text/html", "image/svg+xml", "application/javascript", "application/zip",
                    "application/x-msdownload", "application/xhtml+xml"):
        assert refused not in ALLOWED_TYPES


@pytest.mark.parametrize("raw, safe", [
    ("report.pdf", "report.pdf"),
    ("../../etc/passwd", "passwd"),
    ("..\\..\\boot.ini", "boot.ini"),
    (".htaccess", "file.htaccess"),
    ("my file (final).docx", "my_file_final.docx"),
    ("Ünïcödé.txt", "Unicode.txt"),
    ("漢字.png", "file.png"),
    ("<script>.pdf", "script.pdf"),
    ("...", "file"),
    ("a\x00b\r\n.txt", "ab.txt"),
    ("x" * 190 + ".xlsx", "x" * 115 + ".xlsx"),
])
def test_safe_names(raw, safe):
    assert safe_name(raw) == safe
    assert len(safe_name(raw)) <= 120


def test_display_name_keeps_the_name_but_not_paths_or_control_characters():
    assert display_name("C:\\fakepath\\Ünï\x07code.pdf") == "Ünïcode.pdf"


def uploaded(files, chat_id="c1", body=b"%PDF-1.7 hello", content_type=PDF, declared=None,
             stored_type=None):
    slot = files.upload_url(FakeChat(chat_id), "patron", {
        "filename": "notes.pdf", "content_type": content_type, "size": declared or len(body)})
    files.store.put(slot["key"], body, stored_type or content_type)
    return {"key": slot["key"], "name": "notes.pdf", "size": declared or len(body),
            "content_type": content_type}


def test_check_attachment_returns_what_s3_has(files):
    att = uploaded(files, declared=500)  # declared bigger than it turned out: the real size wins
    checked = files.check_attachment("c1", att)
    assert checked == {"key": att["key"], "name": "notes.pdf", "size": 14, "content_type": PDF}
    assert files.store.heads == [att["key"]]


def test_check_attachment_refusals(files):
    good = uploaded(files)
    other_chat = uploaded(files, chat_id="c2")
    too_big = uploaded(files, body=b"x" * 1001, declared=1000)
    bigger_than_declared = uploaded(files, body=b"x" * 50, declared=10)
    html = uploaded(files, content_type="text/plain", stored_type="text/html; charset=utf-8")
    swapped = uploaded(files, content_type="text/plain", stored_type=PDF)
    cases = [
        ({**good, "key": good["key"].replace("notes", "other")}, "not_found"),
        (too_big, "too_large"),
        (bigger_than_declared, "too_large"),
        (html, "bad_request"),
        (swapped, "bad_request"),
        (other_chat, "forbidden"),
        ({**good, "key": "chats/c1/../c2/" + other_chat["key"].split("/", 2)[2]}, "bad_request"),
        ({**good, "key": "chats/c1/notes.pdf"}, "bad_request"),
        ({**good, "key": 5}, "bad_request"),
        ({**good, "name": ""}, "bad_request"),
        ({**good, "name": "\x01\x02"}, "bad_request"),
        ({**good, "size": -1}, "bad_request"),
        ({**good, "size": 5000}, "too_large"),
        ({**good, "content_type": "text/html"}, "bad_request"),
        ({k: v for k, v in good.items() if k != "key"}, "bad_request"),
        ("chats/c1/x", "bad_request"),
    ]
    for attachment, code in cases:
        assert code_of(lambda: files.check_attachment("c1", attachment)) == code, attachment
    missing = code_of(lambda: files.check_attachment("c1", {**good, "key": good["key"] + "x"}))
    assert missing == "not_found"
    with pytest.raises(ServiceError) as err:
        files.check_attachment("c1", {**good, "key": good["key"].replace("notes", "other")})
    assert err.value.message == "the file was not uploaded"


def query_of(url: str) -> dict:
    return urllib.parse.parse_qs(urllib.parse.urlsplit(url).query)


def test_download_url_inline_images_attachment_otherwise(files):
    pdf = uploaded(files)
    png = uploaded(files, body=b"\x89PNG....", content_type="image/png")
    out = files.download_url("c1", pdf["key"])
    assert out["expires_in"] == 300
    query = query_of(out["url"])
    assert query["response-content-disposition"] == ['attachment; filename="notes.pdf"']
    assert query["response-content-type"] == [PDF]
    query = query_of(files.download_url("c1", png["key"])["url"])
    assert query["response-content-disposition"][0].startswith("inline;")
    # a type that slipped past an unenforced policy is never served as itself
    html = uploaded(files, content_type="text/plain", stored_type="text/html")
    query = query_of(files.download_url("c1", html["key"])["url"])
    assert query["response-content-type"] == ["application/octet-stream"]
    assert query["response-content-disposition"][0].startswith("attachment;")


def test_download_url_refusals(files):
    pdf = uploaded(files)
    other = uploaded(files, chat_id="c2")
    assert code_of(lambda: files.download_url("c1", other["key"])) == "forbidden"
    assert code_of(lambda: files.download_url("c1", pdf["key"] + "x")) == "not_found"
    assert code_of(lambda: files.download_url("c1", None)) == "bad_request"
    assert code_of(lambda: files.download_url("c1", "chats/c1/../c2/x")) == "bad_request"


# ------------------------------------------------------------ `send` on in-memory fakes


def claimed(h):
    h.operator("ann")
    h.connect_operator("o1", "ann")
    chat_id, token = h.new_chat()
    h.connect_patron("p1", token)
    h.frame("o1", action="claim", chat_id=chat_id)
    h.sender.clear()
    return chat_id


def test_send_with_attachment_and_no_text_reaches_both_sides(h):
    h.services.conversation.files = FilesService(MemoryFileStore(), max_bytes=1000)
    chat_id = claimed(h)
    att = uploaded(h.services.conversation.files, chat_id=chat_id)
    h.frame("p1", action="send", chat_id=chat_id, attachment=att, client_msg_id="f1")
    for conn in ("p1", "o1"):
        msg = h.sender.of(conn, "chat.message")[-1]["message"]
        assert "text" not in msg and msg["attachment"]["key"] == att["key"]
        assert msg["attachment"]["size"] == 14
    h.frame("o1", action="send", chat_id=chat_id, text="Got it", attachment=att)
    assert h.sender.of("p1", "chat.message")[-1]["message"]["text"] == "Got it"


def test_refused_attachment_stores_nothing(h):
    h.services.conversation.files = FilesService(MemoryFileStore(), max_bytes=1000)
    chat_id = claimed(h)
    att = uploaded(h.services.conversation.files, chat_id=chat_id)
    before = h.db.chats[chat_id].last_seq
    h.frame("p1", action="send", chat_id=chat_id, text="see file",
            attachment={**att, "key": att["key"] + "x"})
    assert h.sender.of("p1", "error")[-1]["code"] == "not_found"
    assert h.sender.of("o1", "chat.message") == []
    assert h.db.chats[chat_id].last_seq == before
    h.frame("p1", action="send", chat_id=chat_id)  # neither text nor attachment
    assert h.sender.of("p1", "error")[-1]["code"] == "bad_request"


def test_without_files_attachments_stay_refused(h):
    chat_id = claimed(h)
    h.frame("p1", action="send", chat_id=chat_id, text="x",
            attachment={"key": f"chats/{chat_id}/{'0' * 32}/a.pdf", "name": "a.pdf",
                        "size": 1, "content_type": PDF})
    assert h.sender.of("p1", "error")[-1]["code"] == "bad_request"
    assert h.db.chats[chat_id].last_seq == 1


# -------------------------------------------------------------- handlers on moto (mock_aws)

@pytest.fixture
def fflow(aws, ws_event, monkeypatch):
    """The Flow of tests/test_handlers.py with a files bucket, 1000 bytes max. The bucket is
    named as infra/ names it (`<prefix>-files-<account>-<region>`), so the IAM check of
    tests/plugins maps it onto the stages' bucket."""
    import os
    import boto3
    from chalicelib import wiring
    bucket = f"{os.environ['TABLE_PREFIX']}-files-123456789012-us-east-1"
    boto3.client("s3", region_name="us-east-1").create_bucket(Bucket=bucket)
    monkeypatch.setenv("FILES_BUCKET", bucket)
    monkeypatch.setenv("MAX_UPLOAD_BYTES", "1000")
    wiring.reset()
    aws.add_operator("ann", "Ann Archivist")
    aws.add_operator("bob", "Bob Binder")
    flow = Flow(aws, ws_event)
    flow.bucket = bucket
    return flow


def s3():
    import boto3
    return boto3.client("s3", region_name="us-east-1")


def upload(flow, chat_id, token, body=b"%PDF-1.7 atlas", content_type=PDF, filename="atlas.pdf",
           declared=None, stored_type=None):
    """Ask for a slot, then store the object under its key as the browser's POST would: under
    mock_aws only botocore's requests reach moto, so the true multipart POST is in the e2e test
    below, against the local runner's moto server."""
    status, slot = flow.post(f"/chats/{chat_id}/uploads", {
        "filename": filename, "content_type": content_type, "size": declared or len(body)}, token)
    assert status == 200, slot
    s3().put_object(Bucket=flow.bucket, Key=slot["key"], Body=body,
                    ContentType=stored_type or slot["fields"]["Content-Type"])
    return {"key": slot["key"], "name": filename, "size": declared or len(body),
            "content_type": content_type}


def last_seq(chat_id):
    from chalicelib import wiring
    return wiring.repositories().chats.get(chat_id).last_seq


def history(flow, chat_id, token):
    status, body = flow.get(f"/chats/{chat_id}/messages", token)
    assert status == 200
    return body["messages"]


def file_url(flow, chat_id, key, token):
    return flow.get(f"/chats/{chat_id}/files?" + urllib.parse.urlencode({"key": key}), token)


def test_upload_route_for_patron_and_the_chats_operator(fflow):
    chat_id, token, op_token = claimed_chat(fflow)
    body = {"filename": "atlas.pdf", "content_type": PDF, "size": 300}
    status, slot = fflow.post(f"/chats/{chat_id}/uploads", body, token)
    assert status == 200 and set(slot) == {"url", "fields", "key", "max_bytes", "expires_in"}
    assert slot["key"].startswith(f"chats/{chat_id}/") and slot["key"].endswith("/atlas.pdf")
    assert slot["max_bytes"] == 1000 and slot["expires_in"] == 300
    assert slot["url"].startswith("https://") and fflow.bucket in slot["url"]
    fields = slot["fields"]
    assert fields["key"] == slot["key"] and fields["Content-Type"] == PDF
    assert fields["x-amz-algorithm"] == "AWS4-HMAC-SHA256"  # SigV4, not the legacy SigV2
    policy = json.loads(base64.b64decode(fields["policy"]))
    assert {"key": slot["key"]} in policy["conditions"]
    assert {"bucket": fflow.bucket} in policy["conditions"]
    assert {"Content-Type": PDF} in policy["conditions"]
    assert ["content-length-range", 1, 300] in policy["conditions"]
    status, slot = fflow.post(f"/chats/{chat_id}/uploads", body, op_token)
    assert status == 200 and slot["key"].startswith(f"chats/{chat_id}/")


def test_upload_route_refusals(fflow):
    chat_id, token, _ = claimed_chat(fflow)
    _, other = fflow.post("/chats", {"question": "Another patron"})
    good = {"filename": "atlas.pdf", "content_type": PDF, "size": 300}
    # another chat's patron token, another operator, no token, a patron asking for another chat
    assert fflow.post(f"/chats/{chat_id}/uploads", good, other["token"])[0] == 403
    assert fflow.post(f"/chats/{other['chat_id']}/uploads", good, token)[0] == 403
    assert fflow.post(f"/chats/{chat_id}/uploads", good, fflow.aws.token("bob"))[0] == 403
    assert fflow.post(f"/chats/{chat_id}/uploads", good)[0] == 401
    for bad, status_code, code in (
            ({**good, "filename": ""}, 400, "bad_request"),
            ({**good, "filename": "a" * 201}, 400, "bad_request"),
            ({**good, "content_type": "text/html"}, 400, "bad_request"),
            ({**good, "content_type": "application/x-msdownload"}, 400, "bad_request"),
            ({**good, "size": 0}, 400, "bad_request"),
            ({**good, "size": "300"}, 400, "bad_request"),
            ({**good, "size": 1001}, 413, "too_large")):
        status, err = fflow.post(f"/chats/{chat_id}/uploads", bad, token)
        assert (status, err["error"]["code"]) == (status_code, code), bad
    fflow.frame("opconn1=", action="end", chat_id=chat_id)
    status, err = fflow.post(f"/chats/{chat_id}/uploads", good, token)
    assert status == 409 and err["error"]["code"] == "invalid_state"


def test_upload_route_when_files_are_off(flow_without_files):
    flow = flow_without_files
    _, created = flow.post("/chats", {"question": "Q"})
    status, err = flow.post(f"/chats/{created['chat_id']}/uploads",
                            {"filename": "a.pdf", "content_type": PDF, "size": 3}, created["token"])
    assert status == 400 and "not enabled" in err["error"]["message"]


@pytest.fixture
def flow_without_files(aws, ws_event):
    return Flow(aws, ws_event)


def test_send_with_attachment_stores_it_and_both_sides_get_it(fflow):
    chat_id, token, op_token = claimed_chat(fflow)
    att = upload(fflow, chat_id, token, declared=900)
    fflow.frame("patconn1=", action="send", chat_id=chat_id, attachment=att, client_msg_id="f-1")
    expected = {"key": att["key"], "name": "atlas.pdf", "size": 14, "content_type": PDF}
    for conn in ("patconn1=", "opconn1="):
        msg = [f for f in posted_frames(conn) if f["type"] == "chat.message"][-1]["message"]
        assert msg["attachment"] == expected and "text" not in msg and msg["seq"] == 2
    stored = history(fflow, chat_id, token)[-1]
    assert stored["attachment"] == expected
    # the operator sends one back, with text
    reply = upload(fflow, chat_id, op_token, body=b"a,b\n1,2\n", content_type="text/csv",
                   filename="hours.csv")
    fflow.frame("opconn1=", action="send", chat_id=chat_id, text="Here you are", attachment=reply)
    msg = [f for f in posted_frames("patconn1=") if f["type"] == "chat.message"][-1]["message"]
    assert (msg["text"], msg["attachment"]["name"], msg["seq"]) == ("Here you are", "hours.csv", 3)


def test_refused_attachments_store_no_message(fflow):
    chat_id, token, _ = claimed_chat(fflow)
    _, other = fflow.post("/chats", {"question": "Another patron"})
    good = upload(fflow, chat_id, token)
    too_big = upload(fflow, chat_id, token, body=b"x" * 1200, declared=1000)  # over the max
    over_declared = upload(fflow, chat_id, token, body=b"x" * 200, declared=20)
    html = upload(fflow, chat_id, token, content_type="text/plain", stored_type="text/html")
    exe = upload(fflow, chat_id, token, stored_type="application/x-msdownload")
    foreign = upload(fflow, other["chat_id"], other["token"])  # another chat's real file
    cases = [
        ({**good, "key": good["key"].replace("atlas", "never")}, "not_found"),
        (too_big, "too_large"),
        (over_declared, "too_large"),
        (html, "bad_request"),
        (exe, "bad_request"),
        (foreign, "forbidden"),
        ({**good, "content_type": "text/html"}, "bad_request"),
        ({**good, "size": 1001}, "too_large"),
        ("not an object", "bad_request"),
    ]
    before = history(fflow, chat_id, token)
    for attachment, code in cases:
        fflow.frame("patconn1=", action="send", chat_id=chat_id, text="see file",
                    attachment=attachment, request_id="r")
        error = [f for f in posted_frames("patconn1=") if f["type"] == "error"][-1]
        assert error["code"] == code, (attachment, error)
        assert history(fflow, chat_id, token) == before
        assert last_seq(chat_id) == 1
    assert not [f for f in posted_frames("opconn1=") if f["type"] == "chat.message"]
    missing = [f for f in posted_frames("patconn1=") if f["type"] == "error"][0]
    assert missing["message"] == "the file was not uploaded"


def test_send_with_attachment_keeps_the_send_budget(fflow, botocore_requests):
    chat_id, token, _ = claimed_chat(fflow)
    att = upload(fflow, chat_id, token)
    botocore_requests.clear()
    fflow.frame("patconn1=", action="send", chat_id=chat_id, attachment=att, client_msg_id="b-1")
    assert botocore_requests.ops() == ["GetItem", "TransactWriteItems"]
    assert botocore_requests.ops("s3") == ["HeadObject"]
    assert sorted(botocore_requests.posts()) == sorted(["patconn1%3D", "opconn1%3D"])


def test_download_route_only_for_that_chats_patron_and_operator(fflow):
    chat_id, token, op_token = claimed_chat(fflow)
    _, other = fflow.post("/chats", {"question": "Another patron"})
    att = upload(fflow, chat_id, token)
    for who in (token, op_token):
        status, out = file_url(fflow, chat_id, att["key"], who)
        assert status == 200 and set(out) == {"url", "expires_in"} and out["expires_in"] == 300
        url = urllib.parse.urlsplit(out["url"])
        query = urllib.parse.parse_qs(url.query)
        assert url.path.endswith(att["key"]) and query["X-Amz-Expires"] == ["300"]
        assert query["response-content-disposition"] == ['attachment; filename="atlas.pdf"']
    status, err = file_url(fflow, chat_id, att["key"], other["token"])  # another chat's patron
    assert status == 403 and err["error"]["code"] == "forbidden"
    status, err = file_url(fflow, other["chat_id"], att["key"], other["token"])  # its own chat id
    assert status == 403 and err["error"]["code"] == "forbidden"
    assert file_url(fflow, chat_id, att["key"], fflow.aws.token("bob"))[0] == 403
    assert file_url(fflow, chat_id, att["key"], None)[0] == 401
    status, err = file_url(fflow, chat_id, att["key"].replace("atlas", "nothing"), token)
    assert status == 404 and err["error"]["code"] == "not_found"
    status, err = fflow.get(f"/chats/{chat_id}/files", token)
    assert status == 400
    image = upload(fflow, chat_id, token, body=b"\x89PNG\r\n", content_type="image/png",
                   filename="map.png")
    status, out = file_url(fflow, chat_id, image["key"], token)
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(out["url"]).query)
    assert query["response-content-disposition"] == ['inline; filename="map.png"']


# ------------------------------------------------- end to end: the local runner (make run)


@pytest.fixture(scope="module")
def svc():
    from tests.e2e import LocalService
    service = LocalService()
    yield service
    assert service.stop() == 0, "".join(service.output[-40:])


def multipart(fields: dict, filename: str, content_type: str, data: bytes) -> tuple[bytes, str]:
    """A browser's form POST: the policy fields, then the file, last (S3 ignores what follows)."""
    boundary = uuid.uuid4().hex
    out = [f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
           for k, v in fields.items()]
    out.append(f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
               f'filename="{filename}"\r\nContent-Type: {content_type}\r\n\r\n'.encode()
               + data + b"\r\n")
    out.append(f"--{boundary}--\r\n".encode())
    return b"".join(out), f"multipart/form-data; boundary={boundary}"


def http(method, url, data=None, headers=None):
    req = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=15) as resp:
            return resp.status, resp.headers, resp.read()
    except urllib.error.HTTPError as err:
        return err.code, err.headers, err.read()


def test_e2e_upload_send_and_download_through_the_local_runner(svc):
    from tests.e2e import Client
    op = Client(svc.ws_url, svc.login("librarian"), hello={})
    op.wait("welcome")
    created = svc.new_chat("Can I send you a scan?")
    chat_id, token = created["chat_id"], created["token"]
    other = svc.new_chat("Someone else")
    patron = Client(created["ws_url"], token, hello={"chat_id": chat_id})
    patron.wait("welcome")
    op.send(action="claim", chat_id=chat_id)
    patron.wait("chat.claimed")

    data = b"%PDF-1.7\n" + bytes(range(256)) * 4
    status, slot = svc.request("POST", f"/api/chats/{chat_id}/uploads",
                               {"filename": "scan.pdf", "content_type": PDF, "size": len(data)},
                               token=token)
    assert status == 200, slot
    assert slot["url"].startswith(svc.aws_url)  # the embedded AWS, reachable from the page
    origin = svc.base_url
    # the page's preflight and POST are allowed by the bucket's CORS rules, as on AWS
    status, headers, _ = http("OPTIONS", slot["url"], headers={
        "Origin": origin, "Access-Control-Request-Method": "POST"})
    assert status == 200 and headers["Access-Control-Allow-Origin"] == origin
    status, _, _ = http("OPTIONS", slot["url"], headers={
        "Origin": "https://elsewhere.example", "Access-Control-Request-Method": "POST"})
    assert status == 403
    body, ctype = multipart(slot["fields"], "scan.pdf", PDF, data)
    status, headers, _ = http("POST", slot["url"], body, {"Content-Type": ctype, "Origin": origin})
    assert status == 204 and headers["Access-Control-Allow-Origin"] == origin

    patron.send(action="send", chat_id=chat_id, client_msg_id="scan-1",
                attachment={"key": slot["key"], "name": "scan.pdf", "size": len(data),
                            "content_type": PDF})
    for side in (patron, op):
        msg = side.wait("chat.message", chat_id=chat_id)["message"]
        assert msg["attachment"] == {"key": slot["key"], "name": "scan.pdf", "size": len(data),
                                     "content_type": PDF}

    status, link = svc.request("GET", f"/api/chats/{chat_id}/files?"
                               + urllib.parse.urlencode({"key": slot["key"]}),
                               token=svc.login("librarian"))
    assert status == 200, link
    status, headers, got = http("GET", link["url"], headers={"Origin": origin})
    assert status == 200 and got == data
    assert headers["Content-Disposition"] == 'attachment; filename="scan.pdf"'
    assert headers["Access-Control-Allow-Origin"] == origin
    status, _ = svc.request("GET", f"/api/chats/{chat_id}/files?"
                            + urllib.parse.urlencode({"key": slot["key"]}), token=other["token"])
    assert status == 403

    # a missing file is refused over the wire too, and nothing is stored
    patron.send(action="send", chat_id=chat_id, text="and this",
                attachment={"key": slot["key"].replace("scan", "nope"), "name": "nope.pdf",
                            "size": 10, "content_type": PDF})
    assert patron.wait("error")["code"] == "not_found"
    status, hist = svc.request("GET", f"/api/chats/{chat_id}/messages", token=token)
    assert [m["seq"] for m in hist["messages"]] == [1, 2]
    op.send(action="end", chat_id=chat_id)
    patron.wait("chat.ended")
    for c in (op, patron):
        c.close()
