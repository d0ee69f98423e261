#!/usr/bin/env bash
# Runs the keychain tests against a real Secret Service: a private D-Bus session with GNOME Keyring
# unlocked by a throwaway password in a throwaway home, so the user's own keyring is never touched.
set -euo pipefail
cd "$(dirname "$0")/.."
export GOMODCACHE=$(go env GOMODCACHE) GOCACHE=$(go env GOCACHE) GOPATH=$(go env GOPATH)
home=$(mktemp -d)
trap 'rm -rf "$home"' EXIT
HOME=$home XDG_DATA_HOME=$home/.local/share dbus-run-session 2>/dev/null -- bash -c '
	printf "test-only\n" | gnome-keyring-daemon --unlock --components=secrets >/dev/null
	go test -count=1 -run Keychain "$@" ./backend/secrets/
' _ "$@"
