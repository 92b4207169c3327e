#!/usr/bin/env bash
# Pack packaging/dist/Readiness.app into a disk image a person drags to Applications. On a Mac:
#
#   packaging/build.sh && packaging/macos/make_dmg.sh
#
# Output: packaging/dist/Readiness-<version>-macos-<arch>.dmg (arm64 on Apple silicon, x86_64 on
# Intel: build on each for both). PyInstaller signs the app ad hoc, which Apple silicon needs to run
# it at all; for distribution set READINESS_CODESIGN_IDENTITY ("Developer ID Application: ...") to
# sign with hardened runtime, and READINESS_NOTARY_PROFILE (a `xcrun notarytool store-credentials`
# profile) to notarise and staple. Without them, people open it the first time with right-click >
# Open (README.md in this folder says more).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
DIST="$HERE/../dist"
APP="$DIST/Readiness.app"
if [ "$(uname -s)" != Darwin ]; then
  echo "make_dmg.sh: disk images are made on macOS (hdiutil)" >&2; exit 1
fi
if [ ! -d "$APP" ]; then
  echo "make_dmg.sh: $APP not found: run packaging/build.sh first" >&2; exit 1
fi
VERSION="$(/usr/libexec/PlistBuddy -c 'Print :CFBundleShortVersionString' "$APP/Contents/Info.plist")"
DMG="$DIST/Readiness-$VERSION-macos-$(uname -m).dmg"

if [ -n "${READINESS_CODESIGN_IDENTITY:-}" ]; then
  echo "signing with $READINESS_CODESIGN_IDENTITY"
  codesign --force --deep --options runtime --timestamp \
    --sign "$READINESS_CODESIGN_IDENTITY" "$APP"
fi
codesign --verify --deep --strict "$APP"

STAGE="$(mktemp -d)"
trap 'rm -rf "$STAGE"' EXIT
cp -R "$APP" "$STAGE/"
ln -s /Applications "$STAGE/Applications"
rm -f "$DMG"
hdiutil create -volname "Readiness $VERSION" -srcfolder "$STAGE" -fs HFS+ -format UDZO -ov "$DMG"
hdiutil verify "$DMG"

if [ -n "${READINESS_NOTARY_PROFILE:-}" ]; then
  xcrun notarytool submit "$DMG" --keychain-profile "$READINESS_NOTARY_PROFILE" --wait
  xcrun stapler staple "$DMG"
fi
echo "wrote $DMG ($(du -h "$DMG" | cut -f1))"
# the disk image is final (signed, stapled): list it in SHA256SUMS with the other release files
python3 "$(dirname "$0")/../checksums.py" "$DIST"
