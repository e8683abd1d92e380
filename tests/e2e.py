"""End-to-end helpers: the real local runner (`python -m local`, what `make run` starts) in a
subprocess, and real WebSocket clients (the `websockets` package) talking to its gateway."""
from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

from websockets.sync.client import connect

ROOT = Path(__file__).resolve().parent.parent
DEMO_PASSWORD = "E2e-Demo-Password-1"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LocalService:
    """`python -m local` on a free port; its output is drained and kept for failure reports."""

    def __init__(self, idle_timeout: float = 600.0) -> None:
        self.port = free_port()
        env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}  # as a fresh shell
        env.update({"PORT": str(self.port), "DEMO_PASSWORD": DEMO_PASSWORD,
                    "IDLE_TIMEOUT": str(idle_timeout), "PYTHONUNBUFFERED": "1"})
        self.proc = subprocess.Popen([sys.executable, "-m", "local"], cwd=ROOT, env=env,
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.output: list[str] = []
        self._ready = threading.Event()
        threading.Thread(target=self._drain, daemon=True).start()
        if not self._ready.wait(90) or self.proc.poll() is not None:
            self.stop()
            raise RuntimeError("local runner did not start:\n" + "".join(self.output[-50:]))
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.ws_url = f"ws://127.0.0.1:{self.port}/ws"
        match = re.search(r"Embedded AWS endpoint\s*:\s*(\S+)", "".join(self.output))
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
        return body


class Client:
    """A WebSocket client that keeps every frame it receives and lets a test wait for one."""

    def __init__(self, url: str, token: str, hello: dict | None = None) -> None:
        sep = "&" if "?" in url else "?"
        self.ws = connect(f"{url}{sep}token={token}", open_timeout=10, max_size=2**20)
        self.pending: list[dict] = []
        if hello is not None:
            self.send(action="hello", **hello)

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

    def wait(self, type_: str, timeout: float = 10.0, where=None, **match) -> dict:
        """The first not-yet-taken frame of that type (and field values, and `where(frame)`);
        other frames stay queued for later waits."""
        deadline = time.monotonic() + timeout
        while True:
            for i, frame in enumerate(self.pending):
                if frame.get("type") == type_ and all(frame.get(k) == v for k, v in match.items()) \
                        and (where is None or where(frame)):
                    return self.pending.pop(i)
            left = deadline - time.monotonic()
            if left <= 0 or not self._pull(left):
                raise AssertionError(f"no {type_} {match or ''} within {timeout}s; got {self.pending}")

    def drain(self, quiet: float = 0.5) -> list[dict]:
        """Everything that arrives until the connection has been quiet for `quiet` seconds."""
        while self._pull(quiet):
            pass
        frames, self.pending = self.pending, []
        return frames

    def close(self) -> None:
        self.ws.close()


def aws_client(svc: LocalService, name: str):
    """A boto3 client on the runner's embedded AWS, to look at what the service stored."""
    import boto3
    return boto3.client(name, region_name="us-east-1", endpoint_url=svc.aws_url,
                        aws_access_key_id="local", aws_secret_access_key="local")
