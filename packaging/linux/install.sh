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
set -eu
HERE="$(cd "$(dirname "$0")" && pwd)"
DATA_HOME="${XDG_DATA_HOME:-$HOME/.local/share}"
TARGET="$HOME/.local/opt/readiness"
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
  rm -rf "$TARGET"
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

mkdir -p "$TARGET.new" "$BIN" "$APPS" "$MIME/packages" "$ICONS/scalable/apps"
cp -R "$SOURCE/." "$TARGET.new/"
rm -rf "$TARGET"
mv "$TARGET.new" "$TARGET"
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
