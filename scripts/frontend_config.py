"""The front ends' `config.json`: where the deployed REST and WebSocket APIs are.

The patron widget (widget/patron/config.js `fromFile`) and the operator dashboard
(widget/dashboard/logic.js `resolveConfig`) both fetch `config.json` from the root of the
published folder and read `restUrl` and `wsUrl`; without it they fall back to their own origin,
which is right for `make run` and wrong on AWS. The URLs come from Chalice's deploy record
(scripts/endpoints.py). A library may add its own settings for the widget (the `offline`
contact shown when nobody is online) in a JSON file passed with --merge; the URLs always win.

Usage (scripts/deploy.sh runs it):
    python -m scripts.frontend_config --deployed .chalice/deployed/prod.json --out site-config.json
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from . import endpoints as ep

SITE_PATH = "config.json"  # at the root of widget/, where both front ends look for it


def frontend_config(deployed: dict, extra: dict | None = None) -> dict:
    urls = ep.endpoints(deployed)
    config = dict(extra or {})
    config.update({"restUrl": urls.rest_url, "wsUrl": urls.ws_url})
    return config


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--deployed", required=True, help=".chalice/deployed/<stage>.json")
    parser.add_argument("--out", required=True)
    parser.add_argument("--merge", help="JSON object of extra widget settings (e.g. offline)")
    args = parser.parse_args(argv)
    extra = json.loads(Path(args.merge).read_text()) if args.merge else None
    if extra is not None and not isinstance(extra, dict):
        raise ValueError(f"{args.merge} must hold a JSON object")
    config = frontend_config(ep.load(args.deployed), extra)
    Path(args.out).write_text(json.dumps(config, indent=2) + "\n")
    print(f"front ends: REST {config['restUrl']}  WebSocket {config['wsUrl']}")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except (ValueError, ep.DeployRecordError) as err:
        print(f"frontend_config: {err}", file=sys.stderr)
        sys.exit(2)
