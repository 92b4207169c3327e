# Shared by scripts/run and scripts/test: create (once) and refresh the project's virtual
# environment in .venv from a lock file of exact versions with hashes (requirements/NAME.txt).
#   source scripts/_venv.sh app    the desktop application (scripts/run)
#   source scripts/_venv.sh full   the application and everything the tests need (scripts/test)
# One install stamp records what .venv holds: "full" includes "app", so starting the
# application after the tests installs nothing. Reinstalls only when the lock or pyproject.toml
# changes. Sets ROOT and VPY.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PYTHON="${PYTHON:-python3}"
VENV="${READINESS_VENV:-$ROOT/.venv}"
LOCK_NAME="$1"

version_ok() { "$1" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null; }

if ! version_ok "$PYTHON"; then
  echo "Readiness needs Python 3.11 or newer; '$PYTHON' is $("$PYTHON" --version 2>&1 || echo missing)." \
       "Set PYTHON=/path/to/python3.11 and try again." >&2
  exit 1
fi
if [ -x "$VENV/bin/python" ]; then VPY="$VENV/bin/python"; else VPY="$VENV/Scripts/python.exe"; fi
if [ -x "$VPY" ] && ! version_ok "$VPY"; then
  echo "Recreating $VENV: it was made by $("$VPY" --version 2>&1), older than the Python 3.11 Readiness needs." >&2
  rm -rf "$VENV"
fi
if [ ! -x "$VENV/bin/python" ] && [ ! -x "$VENV/Scripts/python.exe" ]; then
  "$PYTHON" -m venv "$VENV"
fi
if [ -x "$VENV/bin/python" ]; then VPY="$VENV/bin/python"; else VPY="$VENV/Scripts/python.exe"; fi

STAMP="$VENV/.readiness-install.stamp"
lock_sum() { cat "$ROOT/requirements/$1.txt" "$ROOT/pyproject.toml" | cksum | awk '{print $1}'; }
have="$(cat "$STAMP" 2>/dev/null || true)"
satisfied=0
[ "$have" = "$LOCK_NAME $(lock_sum "$LOCK_NAME")" ] && satisfied=1
[ "$LOCK_NAME" = app ] && [ "$have" = "full $(lock_sum full)" ] && satisfied=1
if [ "$satisfied" = 0 ]; then
  echo "Installing Readiness into $VENV from requirements/$LOCK_NAME.txt (first use or after a change)..." >&2
  log="$VENV/install.log"
  if ! { "$VPY" -m pip install --disable-pip-version-check --require-hashes --no-deps \
           -r "$ROOT/requirements/$LOCK_NAME.txt" &&
         "$VPY" -m pip install --disable-pip-version-check --no-deps --no-build-isolation \
           -e "$ROOT"; } >"$log" 2>&1; then
    tail -n 40 "$log" >&2
    echo "Installing failed; the whole log is $log" >&2
    exit 1
  fi
  echo "$LOCK_NAME $(lock_sum "$LOCK_NAME")" > "$STAMP"
fi
