"""`python -m local` (what `make run` runs): start everything, print URLs and logins, stop on
Ctrl-C or SIGTERM."""
from __future__ import annotations

import logging
import os
import signal
import sys
import threading

from local.runner import DEFAULT_DEMO_PASSWORD, LocalStack


def main() -> int:
    logging.basicConfig(level=os.environ.get("LOG_LEVEL", "INFO"),
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    for noisy in ("werkzeug", "botocore", "urllib3", "aiohttp.access", "pynamodb"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    port = int(os.environ.get("PORT", "8000"))
    host = os.environ.get("HOST", "127.0.0.1")
    stack = LocalStack(host=host, port=port,
                       demo_password=os.environ.get("DEMO_PASSWORD") or DEFAULT_DEMO_PASSWORD,
                       idle_timeout=float(os.environ.get("IDLE_TIMEOUT", "600")))
    stop = threading.Event()
    # Handlers first, so a Ctrl-C during start-up is not lost; then wait with a timeout, so
    # the main thread wakes up to run them even if the signal landed on another thread.
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    try:
        stack.start()
    except OSError as err:
        print(f"Cannot start on {host}:{port}: {err}. Try `make run PORT=8001`.", file=sys.stderr)
        stack.stop()
        return 1
    if not stop.is_set():
        print(stack.banner(), flush=True)
    while not stop.wait(0.5):
        pass
    print("Stopping...", flush=True)
    # A stuck connection must not keep a developer's terminal (or CI) waiting.
    watchdog = threading.Timer(15.0, lambda: os._exit(3))
    watchdog.daemon = True
    watchdog.start()
    stack.stop()
    watchdog.cancel()
    print("Stopped.", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
