#!/usr/bin/env bash
# The same requests to OpenKAT's real Bytes and to Bytekeep ([embedded|prod]) side by side (diff_bytes.py): prints
# every request whose answers differ, with both answers, and "diff: N same, M differ".
# Usage: compat/openkat/run-diff.sh [embedded|prod]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
mode=${1:-embedded}
"$here/setup.sh" >&2
. "$here/bytekeep.sh"
bk_start bytes
reference=$BYTEKEEP_URL
bk_start "$mode"
export REFERENCE_URL=$reference
BYTES_USERNAME=$(bk_env_test BYTES_USERNAME) BYTES_PASSWORD=$(bk_env_test BYTES_PASSWORD) \
  "$bk_work/venv-bytes/bin/python" "$here/diff_bytes.py"
