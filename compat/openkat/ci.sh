#!/usr/bin/env bash
# What .ci/run calls after the build: OpenKAT's Bytes tests and clients against Bytekeep in both modes, one start of
# Bytekeep per mode. Skips (exit 0, with a message) where OpenKAT's mirror or the local wheel directory is missing.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
mirror=${OPENKAT_MIRROR:-/work/.mirror/minvws+nl-kat-coordination/repo}
wheels=${OPENKAT_WHEELS:-file:///opt/pypi/simple}
if [ ! -d "$mirror" ] || [ ! -d "${wheels#file://}" ]; then
  echo "compat/openkat: skipped, OpenKAT's mirror ($mirror) or the wheel directory (${wheels#file://}) is not on this machine"
  exit 0
fi
"$here/setup.sh"
status=0
for mode in embedded prod; do
  (
    . "$here/bytekeep.sh"
    bk_start "$mode"
    export OPENKAT_COMPAT_STARTED=$mode
    s=0
    echo "== OpenKAT Bytes' integration tests against Bytekeep ($mode)"
    "$here/run-bytes-tests.sh" "$mode" -q --no-header -p no:warnings || s=1
    echo "== OpenKAT's Bytes clients against Bytekeep ($mode)"
    "$here/run-clients.sh" "$mode" || s=1
    exit $s
  ) || status=1
done
exit $status
