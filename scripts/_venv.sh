# Shared by scripts/run and scripts/test: create (once) and refresh the project's virtual
# environment in .venv with the given extras. Reinstalls only when pyproject.toml changes.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PYTHON="${PYTHON:-python3}"
VENV="${READINESS_VENV:-$ROOT/.venv}"
EXTRAS="$1"
if [ ! -x "$VENV/bin/python" ] && [ ! -x "$VENV/Scripts/python.exe" ]; then
  "$PYTHON" -m venv "$VENV"
fi
if [ -x "$VENV/bin/python" ]; then VPY="$VENV/bin/python"; else VPY="$VENV/Scripts/python.exe"; fi
STAMP="$VENV/.readiness-$EXTRAS.stamp"
WANT="$(cat "$ROOT/pyproject.toml" | cksum)"
if [ ! -f "$STAMP" ] || [ "$(cat "$STAMP")" != "$WANT" ]; then
  "$VPY" -m pip install --quiet --upgrade pip >/dev/null
  "$VPY" -m pip install --quiet -e "$ROOT[$EXTRAS]"
  echo "$WANT" > "$STAMP"
fi
