"""End-to-end helpers: the real local runner (`python -m local`, what `make run` starts) in a
subprocess, and real WebSocket clients (the `websockets` package) talking to its gateway.

No quiet periods: to know that the service has sent a connection everything an action caused,
use a barrier (`Client.barrier`, `barrier`, `settle`): `ping` on a connection is answered with
`pong` on that connection, frames on one connection arrive in order, and a handler posts its
pushes to other connections before it returns. So a ping/pong round trip on the acting
connection after an action proves the action's pushes were posted, and one more on an observing
connection proves they have arrived there.

One runner serves the whole session (tests/browser.py `local_service`); `LocalService.tidy`
puts back, after each test, what a test may leave behind that would disturb the next ones.
"""
from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import weakref
from pathlib import Path

from websockets.sync.client import connect

ROOT = Path(__file__).resolve().parent.parent
DEMO_PASSWORD = "E2e-Demo-Password-1"
# the demo operators as `python -m local` seeds them (local/runner.py): id -> max_chats
DEMO_OPERATORS = {"admin": 3, "librarian": 3, "trainee": 1}


class LocalService:
    """`python -m local` on a port the OS picks (PORT=0: choosing a free port here and handing
    it over would race with the embedded AWS binding its own); the banner says which. Its
    output is drained and kept for failure reports."""

    def __init__(self, idle_timeout: float = 600.0, env: dict | None = None) -> None:
        """`env`: extra settings for this runner (e.g. ABANDON_AFTER_SECONDS), on top of a
        fresh shell's environment."""
        extra = dict(env or {})
        env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}  # as a fresh shell
        # one machine asks hundreds of chats in a test session: the new-chat limit (proved on
        # moto in tests/test_guards.py) is off unless a test sets it
        env.setdefault("CHAT_RATE_LIMIT", "0")
        env.update(extra)
        env.update({"PORT": "0", "DEMO_PASSWORD": DEMO_PASSWORD,
                    "IDLE_TIMEOUT": str(idle_timeout), "PYTHONUNBUFFERED": "1"})
        self.proc = subprocess.Popen([sys.executable, "-m", "local"], cwd=ROOT, env=env,
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.output: list[str] = []
        self.created: list[dict] = []  # every chat new_chat() made, for tidy()
        self._tokens: dict[str, str] = {}
        self._ready = threading.Event()
        threading.Thread(target=self._drain, daemon=True).start()
        if not self._ready.wait(90) or self.proc.poll() is not None:
            self.stop()
            raise RuntimeError("local runner did not start:\n" + "".join(self.output[-50:]))
        banner = "".join(self.output)
        self.port = int(re.search(r"WebSocket\s*:\s*ws://127\.0\.0\.1:(\d+)/", banner).group(1))
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.ws_url = f"ws://127.0.0.1:{self.port}/ws"
        match = re.search(r"Embedded AWS endpoint\s*:\s*(\S+)", banner)
        self.aws_url = match.group(1) if match else None

    def _drain(self) -> None:
        for line in self.proc.stdout:
            self.output.append(line)
            if "Press Ctrl-C to stop" in line:
                self._ready.set()

    def stop(self) -> int | None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        return self.proc.returncode

    # REST
    def request(self, method: str, path: str, body: dict | None = None,
                token: str | None = None) -> tuple[int, dict]:
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(self.base_url + path, data=data, method=method)
        req.add_header("Content-Type", "application/json")
        if token:
            req.add_header("Authorization", f"Bearer {token}")
        try:
            with urllib.request.urlopen(req, timeout=15) as resp:
                return resp.status, json.loads(resp.read() or b"{}")
        except urllib.error.HTTPError as err:
            return err.code, json.loads(err.read() or b"{}")

    def login(self, username: str) -> str:
        status, body = self.request("POST", "/api/auth/login",
                                    {"username": username, "password": DEMO_PASSWORD})
        assert status == 200, body
        return body["token"]

    def new_chat(self, question: str = "Do you have the 1902 county atlas?", **extra) -> dict:
        status, body = self.request("POST", "/api/chats", {"question": question, **extra})
        assert status == 201, body
        self.created.append({**body, "question": question})
        return body

    def alive(self) -> bool:
        return self.proc.poll() is None

    def operator_token(self, username: str) -> str:
        """A token for housekeeping (tidy), signed in once per runner; tests sign in themselves."""
        if username not in self._tokens:
            self._tokens[username] = self.login(username)
        return self._tokens[username]

    def tidy(self) -> list[str]:
        """Put back what a test may leave behind that would disturb the tests after it (the
        runner is shared by the session): chats made with new_chat() that are still open are
        ended by their patron; an operator who still holds chats (active, or ended and not
        closed) gets them ended and closed; status, own limit and max_chats go back to the demo
        values. Tests end and close what they open and restore what they change; this keeps a
        failing test from failing the next ones. It looks first (GET /api/operators and the
        patron's welcome) and connects as an operator only when there is something to do.
        Chats a browser made are the test's own business. Returns what it did."""
        done: list[str] = []
        to_visit: set[str] = set()
        for created in self.created:
            try:
                patron = Client(created["ws_url"], created["token"], hello={"chat_id": created["chat_id"]})
            except Exception:  # refused: the chat is gone, nothing to end
                continue
            try:
                welcome = patron.wait(("welcome", "error"))
                chat = welcome.get("chat") or {}
                if chat.get("status") in ("queued", "active"):
                    patron.send(action="end", chat_id=created["chat_id"])
                    patron.barrier()  # the end (and its pushes) went through
                    done.append(f"ended chat {created['chat_id']} ({created['question']!r})")
                if chat.get("status") in ("active", "ended") and chat.get("operator"):
                    to_visit.add(chat["operator"]["id"])  # to close it
            finally:
                patron.close()
        self.created.clear()
        admin = self.operator_token("admin")
        code, body = self.request("GET", "/api/operators", token=admin)
        assert code == 200, body
        operators = {o["id"]: o for o in body["operators"]}
        for user, max_chats in DEMO_OPERATORS.items():
            me = operators[user]
            if me["max_chats"] != max_chats:
                code, body = self.request("PUT", f"/api/operators/{user}", {"max_chats": max_chats},
                                          token=admin)
                assert code == 200, body
                done.append(f"{user}: max_chats {me['max_chats']} -> {max_chats}")
            if me.get("active_chats") or me.get("chat_limit") or me.get("availability", "available") != "available":
                to_visit.add(user)
        for user in sorted(to_visit & set(DEMO_OPERATORS)):
            op = Client(self.ws_url, self.operator_token(user), hello={})
            try:
                welcome = op.wait("welcome")
                for chat in welcome["mine"]:
                    if chat["status"] == "active":
                        op.send(action="end", chat_id=chat["chat_id"])
                    if chat["status"] != "closed":
                        op.send(action="close", chat_id=chat["chat_id"], request_id="tidy")
                        done.append(f"{user}: closed chat {chat['chat_id']} ({chat['status']})")
                me = welcome["operator"]
                status = {}
                if me.get("availability", "available") != "available":
                    status["state"] = "available"
                if me.get("chat_limit"):
                    status["chat_limit"] = None
                if status:
                    op.send(action="status", **status)
                    done.append(f"{user}: status {status}")
                errors = [f for f in op.barrier() if f["type"] == "error"]
                assert not errors, f"tidy as {user}: {errors}"
            finally:
                op.close()
        return done


class Client:
    """A WebSocket client that keeps every frame it receives and lets a test wait for one."""

    opened: "weakref.WeakSet[Client]" = weakref.WeakSet()  # still open: closed after each test

    def __init__(self, url: str, token: str, hello: dict | None = None) -> None:
        sep = "&" if "?" in url else "?"
        self.ws = connect(f"{url}{sep}token={token}", open_timeout=10, max_size=2**20)
        self.pending: list[dict] = []
        Client.opened.add(self)
        if hello is not None:
            self.send(action="hello", **hello)

    @classmethod
    def close_all(cls) -> None:
        for client in list(cls.opened):
            client.close()

    def send(self, **frame) -> None:
        self.ws.send(json.dumps(frame))

    def send_raw(self, data: str) -> None:
        self.ws.send(data)

    def _pull(self, timeout: float) -> bool:
        try:
            self.pending.append(json.loads(self.ws.recv(timeout=timeout)))
            return True
        except TimeoutError:
            return False

    def wait(self, type_: str | tuple[str, ...], timeout: float = 10.0, where=None,
             drop_older: bool = False, **match) -> dict:
        """The first not-yet-taken frame of that type (or one of those types; and field values,
        and `where(frame)`); other frames stay queued for later waits. `drop_older`: frames of
        the same type that came before it are taken too (they are out of date)."""
        types = (type_,) if isinstance(type_, str) else type_
        deadline = time.monotonic() + timeout
        while True:
            for i, frame in enumerate(self.pending):
                if frame.get("type") in types and all(frame.get(k) == v for k, v in match.items()) \
                        and (where is None or where(frame)):
                    if drop_older:
                        self.pending = [f for f in self.pending[:i] if f.get("type") != frame["type"]] \
                            + self.pending[i + 1:]
                        return frame
                    return self.pending.pop(i)
            left = deadline - time.monotonic()
            if left <= 0 or not self._pull(left):
                raise AssertionError(f"no {type_} {match or ''} within {timeout}s; got {self.pending}")

    def barrier(self, timeout: float = 10.0) -> list[dict]:
        """`ping`, then wait for its `pong`: everything the service sent this connection before
        it handled the ping has arrived. Returns (and takes) every frame not yet taken."""
        return barrier(self, timeout=timeout)[0]

    def close(self) -> None:
        Client.opened.discard(self)
        try:
            self.ws.close()
        except Exception:
            pass


def barrier(*clients: Client, timeout: float = 10.0) -> list[list[dict]]:
    """Client.barrier on several connections at once (each pings, then each waits for its pong):
    for each, the frames not yet taken. The connections must not depend on one another's
    barrier; for an action on one connection observed on others, use settle()."""
    for client in clients:
        client.send(action="ping")
    frames = []
    for client in clients:
        client.wait("pong", timeout=timeout)
        frames.append(client.pending)
        client.pending = []
    return frames


def settle(acting: Client, *observers: Client) -> list[list[dict]]:
    """After an action on `acting`: a barrier there (the action's handler has returned, so its
    pushes were posted), then on each observer (they have arrived). Frames not yet taken, for
    `acting` first, then each observer. What is not among them was not sent."""
    return barrier(acting) + (barrier(*observers) if observers else [])


def aws_client(svc: LocalService, name: str):
    """A boto3 client on the runner's embedded AWS, to look at what the service stored."""
    import boto3
    return boto3.client(name, region_name="us-east-1", endpoint_url=svc.aws_url,
                        aws_access_key_id="local", aws_secret_access_key="local")
