#!/usr/bin/env bash
# OpenKAT Bytes' own API integration tests (bytes/tests/integration/test_bytes_api.py, and test_event.py, which talks
# only to the broker) against Bytekeep started from its jar, with only their server set-up changed
# (bytes_integration_conftest.py). Prints pytest's summary; exits with pytest's status.
# Usage: compat/openkat/run-bytes-tests.sh [embedded|prod] [pytest arguments, e.g. -k test_raw]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
mode=${1:-embedded}
[ $# -gt 0 ] && shift
[ -n "${OPENKAT_COMPAT_STARTED:-}" ] || "$here/setup.sh" >&2
. "$here/bytekeep.sh"
checkout=$(cat "$bk_work/checkout")
bytes=$checkout/bytes

# the override sits beside the tests (pytest prefers the nearer conftest); nothing of OpenKAT's own is changed
cp "$here/bytes_integration_conftest.py" "$bytes/tests/integration/conftest.py"
changed=$(git -C "$checkout" status --porcelain 2>/dev/null | grep -v '^?? bytes/tests/integration/conftest.py$' || true)
if [ -n "$changed" ]; then
  echo "run-bytes-tests: the OpenKAT checkout has changes besides the server set-up:" >&2
  echo "$changed" >&2
  exit 2
fi

# ci.sh starts Bytekeep once for both suites and exports where it runs
[ "${OPENKAT_COMPAT_STARTED:-}" = "$mode" ] || bk_start "$mode"

# the test process gets Bytes' CI environment (.ci/.env.test, as its docker-compose env_file gives it), except the
# container paths: the data directory and the log file of the Bytes modules it imports
set -a
. "$bytes/.ci/.env.test"
set +a
export BYTES_DATA_DIR=$bk_work/run-$mode/bytes-data BYTES_LOG_FILE=$bk_work/run-$mode/bytes-tests.log
mkdir -p "$BYTES_DATA_DIR"

cd "$bytes"
status=0
# -o addopts=: Bytes' pyproject adds coverage options (pytest-cov is not needed to run the tests)
"$bk_work/venv-bytes/bin/python" -m pytest -o addopts= -p no:cacheprovider -vv -rfE --tb=short \
  --junitxml="$bk_work/run-$mode/bytes-tests.xml" \
  tests/integration/test_bytes_api.py tests/integration/test_event.py "$@" || status=$?
exit $status
