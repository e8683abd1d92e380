# Shared by deploy.sh and destroy.sh (sourced after STAGE is checked): where things live for a
# stage, which Python and Chalice to use, and how a step is announced.
# boto3, Chalice and the AWS CLI all read AWS_DEFAULT_REGION; accept AWS_REGION too.
if [ -n "${AWS_REGION:-}" ] && [ -z "${AWS_DEFAULT_REGION:-}" ]; then export AWS_DEFAULT_REGION="$AWS_REGION"; fi
PYTHON="${PYTHON:-.venv/bin/python}"
CHALICE="${CHALICE:-.venv/bin/chalice}"
BUILD="build/deploy/$STAGE"
OUTPUTS="$BUILD/outputs.json"
RECORD=".chalice/deployed/$STAGE.json"
mkdir -p "$BUILD"

step() { printf '\n==> %s\n' "$*"; }
