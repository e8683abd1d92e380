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
    try:
        stack.start()
    except OSError as err:
        print(f"Cannot start on {host}:{port}: {err}. Try `make run PORT=8001`.", file=sys.stderr)
        stack.stop()
        return 1
    print(stack.banner(), flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    stop.wait()
    print("Stopping...", flush=True)
    stack.stop()
    print("Stopped.", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
