#!/usr/bin/env bash
# make destroy STAGE=dev                  takes the service down, keeps the data
# make destroy STAGE=dev DELETE_DATA=yes  deletes everything, data and operator accounts included
#
# Without DELETE_DATA: `chalice delete` removes the Lambdas, both APIs and their role, and the
# front ends are unpublished; the infra stack stays (tables, files, user pool, secret, topic,
# alarms), so `make deploy` brings the same service back with its chats and operators.
# With DELETE_DATA=yes the stack goes too, and with it the tables, the files bucket and the
# user pool it otherwise retains. On a terminal you are asked to type the stage name first.
set -euo pipefail
cd "$(dirname "$0")/.."

: "${STAGE:?set STAGE, e.g. make destroy STAGE=dev}"
DELETE_DATA="${DELETE_DATA:-no}"
# shellcheck source=scripts/common.sh
. scripts/common.sh

case "$DELETE_DATA" in
  yes)
    if [ -t 0 ]; then
      printf 'This deletes every chat, message, file and operator account of stage %s.\nType the stage name to go on: ' "$STAGE"
      read -r answer
      if [ "$answer" != "$STAGE" ]; then echo "destroy: not confirmed; nothing deleted" >&2; exit 1; fi
    fi ;;
  no) ;;
  *) echo "destroy: DELETE_DATA must be yes or no, not '$DELETE_DATA'" >&2; exit 2 ;;
esac

step "1/3 infra stack outputs"
found=0
"$PYTHON" -m scripts.deploytool outputs --stage "$STAGE" --out "$OUTPUTS" || found=$?
if [ "$found" -eq 3 ]; then
  echo "No infra stack for $STAGE: nothing was deployed with make deploy, or it is gone already."
  exit 0
elif [ "$found" -ne 0 ]; then
  exit "$found"
fi

step "2/3 chalice delete --stage $STAGE"
"$PYTHON" -m scripts.deploytool state pull --stage "$STAGE" --outputs "$OUTPUTS"
if [ -f "$RECORD" ] && "$PYTHON" -c 'import json, sys; sys.exit(0 if json.load(open(sys.argv[1])).get("resources") else 1)' "$RECORD"; then
  "$CHALICE" delete --stage "$STAGE"
  "$PYTHON" -m scripts.deploytool state push --stage "$STAGE" --outputs "$OUTPUTS"
else
  echo "no Lambdas or APIs recorded for $STAGE"
fi

step "3/3 front ends and data"
"$PYTHON" -m scripts.deploytool unpublish --outputs "$OUTPUTS"
if [ "$DELETE_DATA" = yes ]; then
  "$PYTHON" -m scripts.deploytool delete-stack --stage "$STAGE" --delete-data
  rm -f "$RECORD"
  echo "Stage $STAGE is gone, data included."
else
  echo "Stage $STAGE is down. Kept: the infra stack libchat-$STAGE with its tables, files,"
  echo "operator accounts and secret. make deploy STAGE=$STAGE brings it back;"
  echo "make destroy STAGE=$STAGE DELETE_DATA=yes deletes them too."
fi
