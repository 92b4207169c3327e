#!/bin/sh
# Install Readiness for the current user, without root: the program in ~/.local/opt/readiness,
# `readiness` in ~/.local/bin, a menu entry, the icon, and .readiness bundles opening in it.
#
#   ./install.sh               from the unpacked Readiness folder (or packaging/linux/ after
#                              packaging/build.sh, which installs packaging/dist/Readiness)
#   ./install.sh --uninstall   removes all of that again
#
# The data folder (~/.local/share/Readiness: database, backups, attachments, logs) is never
# touched, by either.
#
# Each install copies the program into a folder of its own (~/.local/opt/readiness-<stamp>), and
# only once the copy is complete switches ~/.local/opt/readiness (a symbolic link) to it in one
# rename: an interrupted install leaves the previous version in place, and a partial copy left by
# one is cleared by the next. The previous version stays until the next install, so a Readiness
# that is running while you upgrade keeps its files.
set -eu
HERE="$(cd "$(dirname "$0")" && pwd)"
DATA_HOME="${XDG_DATA_HOME:-$HOME/.local/share}"
OPT="$HOME/.local/opt"
TARGET="$OPT/readiness"
BIN="$HOME/.local/bin"
APPS="$DATA_HOME/applications"
ICONS="$DATA_HOME/icons/hicolor"
MIME="$DATA_HOME/mime"

refresh() {
  command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database -q "$APPS" || true
  command -v update-mime-database >/dev/null 2>&1 && update-mime-database "$MIME" || true
  command -v gtk-update-icon-cache >/dev/null 2>&1 && gtk-update-icon-cache -q -t "$ICONS" || true
}

if [ "${1:-}" = "--uninstall" ]; then
  rm -rf "$TARGET" "$OPT"/readiness-* "$OPT"/.readiness-*
  [ -L "$BIN/readiness" ] && rm -f "$BIN/readiness"
  rm -f "$APPS/readiness.desktop" "$MIME/packages/readiness.xml"
  rm -f "$ICONS/scalable/apps/readiness.svg"
  for size in 16 24 32 48 64 128 256 512; do
    rm -f "$ICONS/${size}x${size}/apps/readiness.png"
  done
  refresh
  echo "Readiness removed. Your data in $DATA_HOME/Readiness is still there."
  exit 0
fi

if [ -x "$HERE/readiness" ]; then
  SOURCE="$HERE"
elif [ -x "$HERE/../dist/Readiness/readiness" ]; then
  SOURCE="$(cd "$HERE/../dist/Readiness" && pwd)"
else
  echo "install.sh: no Readiness program next to this script or in packaging/dist/" >&2
  exit 1
fi
SHARE="$HERE"
[ -f "$SHARE/readiness.desktop" ] || SHARE="$SOURCE"

mkdir -p "$OPT" "$BIN" "$APPS" "$MIME/packages" "$ICONS/scalable/apps"
# what an interrupted install may have left: partial copies, a half-made link
rm -rf "$OPT"/.readiness-* "$TARGET.new"
VERSION_DIR="$OPT/readiness-$(date +%Y%m%d%H%M%S)-$$"
PARTIAL="$OPT/.readiness-partial-$$"
cp -R "$SOURCE/." "$PARTIAL/"
mv "$PARTIAL" "$VERSION_DIR"
if [ -d "$TARGET" ] && [ ! -L "$TARGET" ]; then
  # installed by an older install.sh as a plain folder: it becomes the previous version
  mv "$TARGET" "$OPT/readiness-previous-$$"
fi
PREVIOUS="$(readlink "$TARGET" 2>/dev/null || true)"
ln -s "$VERSION_DIR" "$OPT/.readiness-link-$$"
mv -T "$OPT/.readiness-link-$$" "$TARGET"  # rename(2): the switch is atomic
for old in "$OPT"/readiness-*; do
  case "$old" in
    "$VERSION_DIR" | "$PREVIOUS" | "$OPT/readiness-previous-$$") ;;
    *) rm -rf "$old" ;;
  esac
done
ln -sf "$TARGET/readiness" "$BIN/readiness"

sed "s|^Exec=readiness |Exec=\"$TARGET/readiness\" |" "$SHARE/readiness.desktop" > "$APPS/readiness.desktop"
cp "$SHARE/readiness-mime.xml" "$MIME/packages/readiness.xml"
ICON_SOURCE="$TARGET/_internal/resources/icons"
[ -f "$ICON_SOURCE/readiness.svg" ] && cp "$ICON_SOURCE/readiness.svg" "$ICONS/scalable/apps/readiness.svg"
for size in 16 24 32 48 64 128 256 512; do
  if [ -f "$ICON_SOURCE/readiness-$size.png" ]; then
    mkdir -p "$ICONS/${size}x${size}/apps"
    cp "$ICON_SOURCE/readiness-$size.png" "$ICONS/${size}x${size}/apps/readiness.png"
  fi
done
refresh
echo "Readiness installed in $TARGET; start it from the menu or with: $BIN/readiness"
case ":${PATH:-}:" in
  *":$BIN:"*) ;;
  *) echo "Note: $BIN is not on your PATH, so typing 'readiness' in a terminal will not find it." \
          "Start it from the menu, or add this line to ~/.profile and log in again:" \
          "export PATH=\"\$HOME/.local/bin:\$PATH\"" ;;
esac
