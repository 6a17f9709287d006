#!/usr/bin/env bash
# The Bytes clients of OpenKAT's boefjes, rocky and mula, imported unchanged from OpenKAT's source, exercised against
# Bytekeep started from its jar the way their services call them (compat/openkat/clients/test_*_client.py).
# Prints each client's pytest summary and a total line; exits non-zero if any call failed.
# Usage: compat/openkat/run-clients.sh [embedded|prod] [pytest arguments]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
mode=${1:-embedded}
[ $# -gt 0 ] && shift
[ -n "${OPENKAT_COMPAT_STARTED:-}" ] || "$here/setup.sh" >&2
. "$here/bytekeep.sh"
checkout=$(cat "$bk_work/checkout")

# ci.sh starts Bytekeep once for both suites and exports where it runs
[ "${OPENKAT_COMPAT_STARTED:-}" = "$mode" ] || bk_start "$mode"

# how OpenKAT's services are told where Bytes is (boefjes' and mula's settings, rocky's Django settings)
export BYTES_API=$BYTEKEEP_URL BYTES_USERNAME BYTES_PASSWORD PYTHONDONTWRITEBYTECODE=1
BYTES_USERNAME=$(bk_env_test BYTES_USERNAME)
BYTES_PASSWORD=$(bk_env_test BYTES_PASSWORD)

passed=0 failed=0 status=0
run() { # name, venv, python path, test file
  local log=$bk_work/run-$mode/clients-$1.log
  echo "== $1's Bytes client"
  (cd "$here/clients" && PYTHONPATH=$3:$here/clients "$bk_work/$2/bin/python" -m pytest -p no:cacheprovider -rfE \
    --tb=short -o console_output_style=classic --junitxml="$bk_work/run-$mode/clients-$1.xml" "$4" "${@:5}") \
    >"$log" 2>&1 || status=1
  grep -E '^(FAILED|ERROR) ' "$log" || true
  grep -E '^=+ .*(passed|failed|error).* in ' "$log" || { tail -n 30 "$log"; status=1; }
  passed=$((passed + $(grep -oE '[0-9]+ passed' "$log" | tail -n 1 | cut -d' ' -f1 || echo 0)))
  failed=$((failed + $(grep -oE '[0-9]+ (failed|error)' "$log" | cut -d' ' -f1 | paste -sd+ | bc 2>/dev/null || echo 0)))
}
run boefjes venv-bytes "$checkout/boefjes:$checkout/octopoes" test_boefjes_client.py "$@"
run rocky venv-bytes "$checkout/rocky:$checkout/octopoes" test_rocky_client.py "$@"
run mula venv-mula "$checkout/mula" test_mula_client.py "$@"
echo "clients: $passed passed, $failed failed"
exit $status
