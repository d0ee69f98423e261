#!/usr/bin/env bash
# The macOS release, run on a Mac (it cannot be built on Linux): a universal Rosterdesk.app (Apple
# silicon and Intel), signed with a Developer ID, notarised by Apple and stapled, zipped into
# build/dist/ with its SHA-256. Needs Xcode's command line tools, Go, Node and the Wails CLI
# (make wails-cli), and:
#   DEVELOPER_ID    the signing identity, "Developer ID Application: NAME (TEAMID)"
#   NOTARY_PROFILE  a notarytool keychain profile, made once with
#                   xcrun notarytool store-credentials NAME --apple-id ID --team-id TEAMID
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$(uname)" = Darwin ] || { echo "run this on a Mac: a macOS app cannot be built on Linux" >&2; exit 1; }
: "${DEVELOPER_ID:?set DEVELOPER_ID to your Developer ID Application identity}"
: "${NOTARY_PROFILE:?set NOTARY_PROFILE to a notarytool keychain profile}"
VERSION=${VERSION:-$(git describe --tags --always --dirty)}
app=build/bin/Rosterdesk.app
zip=build/dist/rosterdesk-$VERSION-macos-universal.zip

rm -rf "$app" && mkdir -p build/dist
wails build -platform darwin/universal -trimpath -ldflags "-X github.com/rosterdesk/rosterdesk/backend/cli.Version=$VERSION"
# wails exits 0 even when it made no app: check for it.
[ -x "$app/Contents/MacOS/rosterdesk" ] || { echo "wails build made no $app" >&2; exit 1; }
plutil -replace CFBundleShortVersionString -string "$VERSION" "$app/Contents/Info.plist"
plutil -replace CFBundleVersion -string "$(scripts/dist-version.sh)" "$app/Contents/Info.plist"

# The hardened runtime and a secure timestamp are what notarisation requires.
codesign --force --deep --options runtime --timestamp --sign "$DEVELOPER_ID" "$app"
codesign --verify --strict --verbose=2 "$app"
ditto -c -k --keepParent "$app" "$zip"
xcrun notarytool submit "$zip" --keychain-profile "$NOTARY_PROFILE" --wait
# Stapling puts the notarisation ticket in the app, so Gatekeeper accepts it offline; zip it again.
xcrun stapler staple "$app"
spctl --assess --type execute --verbose "$app"
rm "$zip" && ditto -c -k --keepParent "$app" "$zip"
(cd build/dist && shasum -a 256 "$(basename "$zip")" | tee -a SHA256SUMS)
