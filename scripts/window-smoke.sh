#!/usr/bin/env bash
# Production window smoke test: the release binary opens its real window under Xvfb on a demo
# workspace; we wait for the window, take a screenshot and check it shows more than a blank surface.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/xvfb.sh
start_xvfb 99
out=build/test/window
rm -rf "$out" && mkdir -p "$out/config"
export XDG_CONFIG_HOME="$PWD/$out/config" ROSTERDESK_WORKSPACE="$PWD/$out/workspace.db"
build/bin/rosterdesk demo --users 300 >"$out/demo.log"
build/bin/rosterdesk >"$out/app.log" 2>&1 &
app=$!
trap 'kill $app 2>/dev/null; kill ${XVFB_PID:-0} 2>/dev/null' EXIT
win=""
for _ in $(seq 100); do
	win=$(xdotool search --onlyvisible --name '^Rosterdesk$' 2>/dev/null | head -1) && [ -n "$win" ] && break
	kill -0 $app 2>/dev/null || { cat "$out/app.log"; echo "the app exited before showing its window"; exit 1; }
	sleep 0.2
done
[ -n "$win" ] || { cat "$out/app.log"; echo "no visible Rosterdesk window after 20 s"; exit 1; }
sleep 3 # let the front end render the dashboard
import -window root "$out/window.png"
# A blank or single-colour window has (almost) no variation in brightness.
spread=$(/usr/bin/convert "$out/window.png" -colorspace Gray -format '%[fx:standard_deviation]' info:)
echo "window $win captured to $out/window.png (brightness spread $spread)"
awk -v s="$spread" 'BEGIN { exit !(s > 0.02) }' || { echo "the window looks blank"; exit 1; }
