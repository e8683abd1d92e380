#!/usr/bin/env bash
# make deploy STAGE=prod ALLOWED_ORIGINS=https://www.library.example
#
# One deploy, every step idempotent (run it again to finish or to update):
#   1. the infra stack libchat-$STAGE (infra/template.yaml): tables, buckets, topic, user pool,
#      secret, CloudFront, log groups, alarms; its outputs go to build/deploy/$STAGE/outputs.json
#   2. those outputs into .chalice/config.json's stage (scripts/write_config.py)
#   3. the Lambda package, checked: under 1 MB, no boto3/botocore (scripts/package_check.py)
#   4. `chalice deploy --stage $STAGE`, with Chalice's deploy record kept in the stack's deploy
#      bucket, so a deploy from another clone updates instead of duplicating
#   5. the WebSocket URLs into the config (known only once the API exists) and, if they
#      changed, `chalice deploy` again so the REST Lambda can push
#   6. widget/ to the site bucket with a generated config.json (REST and WebSocket URLs); the
#      dashboard's chart library (`make vendor`) is checked before anything is deployed
#   7. a smoke test: GET <REST>/health
# docs/deploy.md explains each step, the settings below and what to do when one fails.
set -euo pipefail
cd "$(dirname "$0")/.."

: "${STAGE:?set STAGE, e.g. make deploy STAGE=prod}"
: "${ALLOWED_ORIGINS:?set ALLOWED_ORIGINS to the https:// origins of the library sites that embed the widget, comma-separated}"
RETENTION_DAYS="${RETENTION_DAYS:-30}"
LOG_RETENTION_DAYS="${LOG_RETENTION_DAYS:-30}"
ALARM_EMAIL="${ALARM_EMAIL:-}"
SITE_CONFIG="${SITE_CONFIG:-}"          # optional JSON merged into the widget's config.json
# shellcheck source=scripts/common.sh
. scripts/common.sh

if ! "$PYTHON" -c 'import json, sys; sys.exit(0 if sys.argv[1] in json.load(open(".chalice/config.json"))["stages"] else 1)' "$STAGE"; then
  echo "deploy: .chalice/config.json has no stage '$STAGE'; add it (copy 'prod') and its policy-$STAGE.json" >&2
  exit 2
fi

# The dashboard's vendored chart library (make vendor, which make deploy runs first): checked
# now, so a checkout without it stops before anything changes on AWS.
"$PYTHON" -m scripts.deploytool check-site --site-dir widget

step "1/7 infrastructure stack libchat-$STAGE"
"$PYTHON" -m scripts.deploytool infra --stage "$STAGE" --origins "$ALLOWED_ORIGINS" \
  --retention-days "$RETENTION_DAYS" --log-retention-days "$LOG_RETENTION_DAYS" \
  --alarm-email "$ALARM_EMAIL" --out "$OUTPUTS"

step "2/7 stack outputs -> .chalice/config.json ($STAGE)"
"$PYTHON" -m scripts.write_config --stage "$STAGE" --outputs "$OUTPUTS"

step "3/7 Lambda package"
# PIP_NO_DEPS: requirements.txt pins the whole closure; PynamoDB's botocore comes with Lambda.
# Chalice caches packages by a hash that ignores PIP_NO_DEPS, so never reuse a cached one.
export PIP_NO_DEPS=1 PIP_DISABLE_PIP_VERSION_CHECK=1
rm -rf .chalice/deployments "$BUILD/package"
find chalicelib -name __pycache__ -type d -prune -exec rm -rf {} +  # this machine's bytecode
"$CHALICE" package --stage "$STAGE" "$BUILD/package" >/dev/null
"$PYTHON" -m scripts.package_check "$BUILD/package/deployment.zip"

chalice_deploy() {
  "$PYTHON" -m scripts.deploytool state pull --stage "$STAGE" --outputs "$OUTPUTS"
  # Store the record even when the deploy fails half-way: it names what was created.
  trap '"$PYTHON" -m scripts.deploytool state push --stage "$STAGE" --outputs "$OUTPUTS"' EXIT
  "$CHALICE" deploy --stage "$STAGE"
  "$PYTHON" -m scripts.deploytool state push --stage "$STAGE" --outputs "$OUTPUTS"
  trap - EXIT
}

step "4/7 chalice deploy --stage $STAGE"
chalice_deploy

step "5/7 WebSocket endpoints -> .chalice/config.json"
endpoints="$("$PYTHON" -m scripts.write_config --stage "$STAGE" --outputs "$OUTPUTS" --deployed "$RECORD")"
if [ "$endpoints" = changed ]; then
  echo "WS_URL / WS_MANAGEMENT_ENDPOINT changed: deploying again so the Lambdas get them"
  chalice_deploy
else
  echo "unchanged"
fi

step "6/7 front ends"
merge=()
if [ -n "$SITE_CONFIG" ]; then merge=(--merge "$SITE_CONFIG"); fi
"$PYTHON" -m scripts.frontend_config --deployed "$RECORD" --out "$BUILD/site-config.json" ${merge[@]+"${merge[@]}"}
"$PYTHON" -m scripts.deploytool publish --outputs "$OUTPUTS" --site-config "$BUILD/site-config.json"

step "7/7 smoke test"
"$PYTHON" -m scripts.deploytool smoke --deployed "$RECORD"

site_url="$("$PYTHON" -c 'import json, sys; print(json.load(open(sys.argv[1]))["SiteUrl"])' "$OUTPUTS")"
cat <<EOF

Deployed stage $STAGE.
  Patron widget     : $site_url/patron/
  Operator dashboard: $site_url/dashboard/
  Embed snippet     : see docs/deploy.md ("Embedding the widget")
.chalice/config.json now holds this stage's settings: commit it.
First time? Create the first admin:
  $PYTHON -m scripts.create_operator --stage $STAGE --username admin --name "Your Name" --role admin
EOF
