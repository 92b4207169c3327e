#!/usr/bin/env bash
# Build the frozen one-folder Readiness app into packaging/dist/ and prove that it works.
#
#   packaging/build.sh            Linux: packaging/dist/Readiness/readiness
#                                 macOS: packaging/dist/Readiness.app (then macos/make_dmg.sh)
#   packaging/build.sh --archive  also packs the Linux folder as a .tar.gz beside it
#   Every build also writes the wheel (readiness-<version>-py3-none-any.whl, for a hub) and
#   SHA256SUMS, the checksums of every release file in packaging/dist/.
#
# Steps: a virtual environment of its own (packaging/.venv-build, refreshed when pyproject.toml,
# requirements/package.txt or this script changes) from requirements/package.txt (PySide6-Essentials and PyInstaller), the
# .ico/.icns icons from resources/icons/, PyInstaller with readiness.spec, a check of what the
# bundle holds (check_bundle.py), the newest glibc it needs (glibc_check.py, Linux), and the
# frozen app's own `--self-test` offscreen: it opens the
# demo in the real window and writes a PDF and an XLSX. Any failure exits non-zero.
# Windows has its own script: packaging/windows/build.ps1.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
PYTHON="${PYTHON:-python3}"
VENV="$HERE/.venv-build"
DIST="$HERE/dist"
WORK="$HERE/build"
ARCHIVE=0
for arg in "$@"; do
  case "$arg" in
    --archive) ARCHIVE=1 ;;
    *) echo "usage: packaging/build.sh [--archive]" >&2; exit 2 ;;
  esac
done
started=$(date +%s)
say() { printf '[build %3ss] %s\n' "$(( $(date +%s) - started ))" "$*"; }

say "build environment $VENV"
if [ ! -x "$VENV/bin/python" ]; then
  "$PYTHON" -m venv "$VENV"
fi
VPY="$VENV/bin/python"
STAMP="$VENV/.readiness-build.stamp"
WANT="$(cat "$ROOT/pyproject.toml" "$ROOT/requirements/package.txt" "$HERE/build.sh" | cksum)"
if [ ! -f "$STAMP" ] || [ "$(cat "$STAMP")" != "$WANT" ]; then
  mkdir -p "$WORK"
  # pip and setuptools talk a lot; their words go to a log shown only when they fail.
  # exact versions with hashes from the lock (scripts/lock), then the project itself
  if ! { "$VPY" -m pip install --disable-pip-version-check --require-hashes --no-deps \
           -r "$ROOT/requirements/package.txt" &&
         "$VPY" -m pip install --disable-pip-version-check --no-deps --no-build-isolation \
           -e "$ROOT"; } \
       >"$WORK/pip.log" 2>&1; then
    cat "$WORK/pip.log" >&2
    echo "build: installing the build environment failed" >&2
    exit 1
  fi
  echo "$WANT" > "$STAMP"
fi
if "$VPY" -m pip show --quiet PySide6-Addons >/dev/null 2>&1 || "$VPY" -m pip show --quiet PySide6 >/dev/null 2>&1; then
  echo "build: only PySide6-Essentials belongs in the build environment (found PySide6 or PySide6-Addons)" >&2
  exit 1
fi

say "icons"
"$VPY" "$HERE/make_icons.py" --source "$ROOT/resources/icons" --out "$WORK/icons"

say "PyInstaller"
# an earlier build's release files would otherwise be listed in this build's SHA256SUMS
rm -rf "$DIST/Readiness" "$DIST/Readiness.app" "$DIST/SHA256SUMS"
rm -f "$DIST"/*.tar.gz "$DIST"/*.whl "$DIST"/*.dmg
"$VPY" -m PyInstaller --noconfirm --log-level WARN \
  --distpath "$DIST" --workpath "$WORK/pyinstaller" "$HERE/readiness.spec"

case "$(uname -s)" in
  Darwin) BUNDLE="$DIST/Readiness.app"; PROGRAM="$BUNDLE/Contents/MacOS/Readiness" ;;
  *) BUNDLE="$DIST/Readiness"; PROGRAM="$BUNDLE/readiness" ;;
esac

if [ "$(uname -s)" = Linux ]; then
  # The per-user installer and its menu entry travel inside the folder (and the .tar.gz).
  cp "$HERE/linux/install.sh" "$HERE/linux/readiness.desktop" "$HERE/linux/readiness-mime.xml" "$BUNDLE/"
fi

say "bundle contents"
"$VPY" "$HERE/check_bundle.py" "$BUNDLE"

if [ "$(uname -s)" = Linux ]; then
  # The bundle carries the build machine's libraries: it starts only where glibc is at least as
  # new as the newest symbol version they need. The supported minimum is stated in
  # packaging/README.md and the user guides; a build that needs more fails here.
  say "glibc the bundle needs (supported: ${READINESS_MAX_GLIBC:=2.36} or newer)"
  "$VPY" "$HERE/glibc_check.py" --max "$READINESS_MAX_GLIBC" "$BUNDLE"
fi

say "self-test of the frozen app (offscreen)"
status=0
QT_QPA_PLATFORM=offscreen "$PROGRAM" --self-test || status=$?
if [ "$status" -ne 0 ]; then
  echo "build: the frozen app's self-test failed (exit $status)" >&2
  exit 1
fi

if [ "$ARCHIVE" = 1 ] && [ "$(uname -s)" = Linux ]; then
  VERSION="$("$PROGRAM" --version | awk '{print $2}')"
  TARBALL="$DIST/Readiness-$VERSION-linux-$(uname -m).tar.gz"
  say "archive $TARBALL"
  tar -C "$DIST" -czf "$TARBALL" Readiness
  du -h "$TARBALL"
fi

# The wheel (for installing a hub, docs/admin-guide.md), built from a clean copy of the sources
# so nothing stale from an earlier build can slip in. Nothing is downloaded.
say "wheel"
rm -rf "$WORK/wheel-src" "$DIST"/readiness-*.whl
mkdir -p "$WORK/wheel-src"
cp "$ROOT/pyproject.toml" "$ROOT/README.md" "$ROOT/LICENSE" "$WORK/wheel-src/"
cp -R "$ROOT/app" "$ROOT/forms" "$ROOT/resources" "$WORK/wheel-src/"
mkdir -p "$WORK/wheel-src/docs" && cp "$ROOT"/docs/user-guide*.md "$WORK/wheel-src/docs/"
find "$WORK/wheel-src" -name __pycache__ -prune -exec rm -rf {} +
"$VPY" -m pip wheel --quiet --disable-pip-version-check --no-deps --no-index --no-build-isolation \
  --wheel-dir "$DIST" "$WORK/wheel-src" >"$WORK/wheel.log" 2>&1 || { cat "$WORK/wheel.log" >&2; exit 1; }

# SHA256SUMS beside the release files (the archive, the wheel; the .dmg adds itself later)
say "checksums"
"$VPY" "$HERE/checksums.py" "$DIST"
"$VPY" "$HERE/checksums.py" --check "$DIST"

say "done: $BUNDLE ($(du -sh "$BUNDLE" | cut -f1))"
