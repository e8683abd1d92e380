"""Write the infra stack's outputs (and, once known, the WebSocket API's URLs) into a stage of
`.chalice/config.json`, so `chalice deploy` hands the Lambdas their settings.

Nothing is typed in by hand and nothing is guessed: each setting below comes from one named
stack output or from Chalice's own deploy record; a missing output is an error, not a default.
The settings a library tunes itself (QUEUES, PATRON_TOKEN_HOURS, STORE_PATRON_IP, MAIL_FROM,
LIBRARY_NAME, ...) are left as they are. The patron-token key is never written: the Lambda gets the secret's ARN
and reads the key from Secrets Manager (chalicelib/wiring.py).

Usage (scripts/deploy.sh runs both):
    python -m scripts.write_config --stage prod --outputs build/deploy/prod/outputs.json
    python -m scripts.write_config --stage prod --outputs ... --deployed .chalice/deployed/prod.json
It prints `changed` or `unchanged`: the deploy runs `chalice deploy` again only after a change.
"""
from __future__ import annotations

import argparse
import copy
import json
import sys
from pathlib import Path

from . import endpoints as ep

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / ".chalice" / "config.json"

# infra/template.yaml output -> Lambda environment variable
OUTPUT_ENV = {
    "Stage": "STAGE",
    "TablePrefix": "TABLE_PREFIX",
    "RetentionDays": "RETENTION_DAYS",
    "UserPoolId": "COGNITO_USER_POOL_ID",
    "UserPoolClientId": "COGNITO_CLIENT_ID",
    "PatronTokenSecretArn": "PATRON_TOKEN_SECRET_ARN",
    "FilesBucketName": "FILES_BUCKET",
    "OperatorsTopicArn": "OPERATORS_TOPIC_ARN",
    "DashboardUrl": "DASHBOARD_URL",
    "MailConfigurationSet": "MAIL_CONFIGURATION_SET",
    "PublicUrl": "PUBLIC_URL",
}
# Chalice's deploy record -> Lambda environment variable
ENDPOINT_ENV = ("WS_URL", "WS_MANAGEMENT_ENDPOINT")
FORBIDDEN = ("PATRON_TOKEN_SECRET",)  # must never sit in a file that lives in git


class ConfigError(ValueError):
    pass


def stage_environment(config: dict, stage: str) -> dict:
    try:
        return config["stages"][stage].setdefault("environment_variables", {})
    except KeyError:
        raise ConfigError(f".chalice/config.json has no stage {stage!r}") from None


def apply_outputs(config: dict, stage: str, outputs: dict[str, str]) -> dict:
    """A copy of `config` whose stage environment carries the stack's outputs."""
    if outputs.get("Stage") not in (None, stage):
        raise ConfigError(f"these outputs are stage {outputs['Stage']!r}'s, not {stage!r}'s")
    missing = sorted(set(OUTPUT_ENV) - set(outputs))
    if missing:
        raise ConfigError(f"the infra stack has no output {', '.join(missing)}: "
                          "is it deployed from this checkout's infra/template.yaml?")
    out = copy.deepcopy(config)
    env = stage_environment(out, stage)
    leaked = [name for name in FORBIDDEN if name in env]
    if leaked:
        raise ConfigError(f"{', '.join(leaked)} must not be in .chalice/config.json (it is in "
                          "git); the Lambda reads it from Secrets Manager. Remove it.")
    for output, variable in OUTPUT_ENV.items():
        env[variable] = str(outputs[output])
    return out


def apply_endpoints(config: dict, stage: str, endpoints: ep.Endpoints) -> dict:
    """A copy of `config` whose stage knows its WebSocket API: patrons get WS_URL, and REST
    calls push through WS_MANAGEMENT_ENDPOINT (its id exists only after the first deploy)."""
    out = copy.deepcopy(config)
    env = stage_environment(out, stage)
    env["WS_URL"] = endpoints.ws_url
    env["WS_MANAGEMENT_ENDPOINT"] = endpoints.ws_management_endpoint
    return out


def dumps(config: dict) -> str:
    return json.dumps(config, indent=2) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stage", required=True)
    parser.add_argument("--outputs", required=True, help="JSON object of the stack's outputs")
    parser.add_argument("--deployed", help=".chalice/deployed/<stage>.json, once deployed")
    parser.add_argument("--config", default=str(CONFIG))
    args = parser.parse_args(argv)
    path = Path(args.config)
    before = path.read_text()
    config = apply_outputs(json.loads(before), args.stage, json.loads(Path(args.outputs).read_text()))
    if args.deployed:
        config = apply_endpoints(config, args.stage, ep.endpoints(ep.load(args.deployed)))
    after = dumps(config)
    if after != before:
        path.write_text(after)
    print("changed" if after != before else "unchanged")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except (ConfigError, ep.DeployRecordError) as err:
        print(f"write_config: {err}", file=sys.stderr)
        sys.exit(2)
