#!/usr/bin/env bash
# Prepares what compat/openkat/run-bytes-tests.sh and run-clients.sh need to run OpenKAT's own code against Bytekeep:
#   - an OpenKAT checkout (default: a git worktree of the local mirror at the commit the compatibility claims are
#     about, under target/openkat/; OpenKAT's code is never copied into Bytekeep's repository),
#   - two Python 3.11 virtualenvs over Debian's python3 (--system-site-packages): venv-bytes for Bytes' tests and the
#     boefjes and rocky clients (Bytes pins SQLAlchemy 1.4, from Debian), venv-mula for mula's client (mula needs
#     SQLAlchemy 2). Packages come from Debian (apt) and the local wheel directory, never from PyPI.
# Idempotent: a second run only checks. Usage: compat/openkat/setup.sh [OPENKAT_CHECKOUT]
# Environment: OPENKAT_MIRROR (bare mirror, default /work/.mirror/minvws+nl-kat-coordination/repo), OPENKAT_COMMIT,
# OPENKAT_WORK (default target/openkat), OPENKAT_WHEELS (default file:///opt/pypi/simple).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
work=${OPENKAT_WORK:-$root/target/openkat}
mirror=${OPENKAT_MIRROR:-/work/.mirror/minvws+nl-kat-coordination/repo}
commit=${OPENKAT_COMMIT:-cae5e263ecdc}
wheels=${OPENKAT_WHEELS:-file:///opt/pypi/simple}
checkout=${1:-$work/nl-kat-coordination}
mkdir -p "$work"

# --- OpenKAT's source ---
# A clone that borrows the mirror's objects (--shared: nothing copied, nothing written into the mirror). The mirror
# lacks a few large blobs that none of this needs; a sparse checkout leaves exactly those out.
if [ -z "${1:-}" ] && [ ! -f "$checkout/bytes/tests/integration/test_bytes_api.py" ]; then
  [ -d "$mirror" ] || { echo "setup: no OpenKAT mirror at $mirror (set OPENKAT_MIRROR, or pass a checkout)" >&2; exit 2; }
  rm -rf "$checkout"
  git clone -q --shared --no-checkout "$mirror" "$checkout"
  patterns=('/*')
  tree=$(git -C "$checkout" ls-tree -r --format='%(objectname) %(path)' "$commit")
  for missing in $(cut -d' ' -f1 <<<"$tree" | git -C "$checkout" cat-file --batch-check 2>/dev/null | awk '$2 == "missing" {print $1}'); do
    patterns+=("!/$(awk -v o="$missing" '$1 == o {print substr($0, length(o) + 2)}' <<<"$tree")")
  done
  git -C "$checkout" sparse-checkout set --no-cone "${patterns[@]}"
  git -C "$checkout" checkout -q --detach "$commit"
fi
for f in bytes/tests/conftest.py boefjes/boefjes/clients/bytes_client.py rocky/rocky/bytes_client.py \
         mula/scheduler/clients/http/external/bytes.py; do
  [ -f "$checkout/$f" ] || { echo "setup: $checkout is not an OpenKAT checkout (no $f)" >&2; exit 2; }
done
echo "$checkout" > "$work/checkout"

# --- Debian packages (those shared/fixtures/bytes/RUNNING-BYTES.md lists for Bytes; jsonschema for boefjes and
# octopoes' models; retry, uvicorn and tz for mula) ---
debs=(python3-venv python3-pip python3-sqlalchemy python3-alembic python3-psycopg2 python3-pika python3-nacl
      python3-prometheus-client python3-cachetools python3-passlib python3-bcrypt python3-jwt python3-boto3
      python3-rfc3161ng python3-dotenv python3-retry python3-dateutil python3-requests python3-jsonschema
      python3-uvicorn python3-tz)
missing=()
for d in "${debs[@]}"; do
  dpkg-query -W -f='${Status}' "$d" 2>/dev/null | grep -q "ok installed" || missing+=("$d")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing[*]}"
  apt-get install -y -q "${missing[@]}" >/dev/null || (apt-get update -q >/dev/null && apt-get install -y -q "${missing[@]}" >/dev/null)
fi

# --- wheels: what Debian lacks or has too old (pydantic 2, FastAPI, structlog, httpx 0.28, Django 5, pytest 8) ---
common=(pydantic==2.13.5 pydantic-core==2.46.5 pydantic-settings==2.15.0 typing-extensions==4.16.0
        annotated-types==0.8.0 typing-inspection==0.4.4 structlog==26.1.0 httpx==0.28.1 httpcore==1.0.9 h11==0.16.0
        anyio==4.15.1 sniffio==1.3.1 idna==3.20 certifi pytest==8.4.2 pluggy==1.6.0 iniconfig==2.3.0 packaging==26.3
        croniter==6.2.4)
bytes_wheels=("${common[@]}" fastapi==0.142.2 starlette==1.7.0 annotated-doc==0.0.5 python-multipart==0.0.32
              opentelemetry-api==1.45.0 importlib-metadata==8.7.1 zipp==3.23.0 django==5.2.17 asgiref==3.12.1
              sqlparse==0.6.0)
mula_wheels=("${common[@]}" sqlalchemy==2.0.54 mmh3==5.3.0 fastapi==0.142.2 starlette==1.7.0 annotated-doc==0.0.5
             opentelemetry-api==1.45.0 importlib-metadata==8.7.1 zipp==3.23.0)

make_venv() { # name, wheels...
  local venv=$work/$1; shift
  local stamp
  stamp=$(printf '%s\n' "$@" | cksum | cut -d' ' -f1)
  if [ -f "$venv/.bytekeep-setup" ] && [ "$(cat "$venv/.bytekeep-setup")" = "$stamp" ]; then
    return 0
  fi
  rm -rf "$venv"
  /usr/bin/python3 -m venv --system-site-packages "$venv"
  "$venv/bin/pip" --isolated install -q --no-deps --index-url "$wheels" "$@"
  # import-only stand-ins for the OpenTelemetry exporter/instrumentation modules the wheel directory lacks: Bytes'
  # api module imports them and uses them only when SPAN_EXPORT_GRPC_ENDPOINT is set (never here)
  local site
  site=$("$venv/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
  echo "$here/stubs" > "$site/bytekeep-openkat-stubs.pth"
  echo "$stamp" > "$venv/.bytekeep-setup"
  echo "setup: made $venv"
}
make_venv venv-bytes "${bytes_wheels[@]}"
make_venv venv-mula "${mula_wheels[@]}"

"$work/venv-bytes/bin/python" - "$checkout" <<'PY'
import sys
sys.path[:0] = [sys.argv[1] + "/bytes"]
import pydantic, fastapi, structlog, httpx, django, pytest  # noqa: F401
print(f"setup: venv-bytes ready (pydantic {pydantic.VERSION}, httpx {httpx.__version__}, pytest {pytest.__version__})")
PY
"$work/venv-mula/bin/python" -c 'import sqlalchemy, mmh3, retry; print(f"setup: venv-mula ready (SQLAlchemy {sqlalchemy.__version__})")'
echo "setup: OpenKAT checkout $checkout"
