#!/usr/bin/env bash
# Production window smoke test: the release binary opens its real window under Xvfb on a demo
# workspace; we wait for the window, take a screenshot and check it shows more than a blank surface.
# Then, with a small window manager to ask the window to close, we check that the window's size and
# position are remembered: resize and move it, close it, open the app again. Last, a workspace from a
# newer version must bring up an error dialog, not fail silently.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/xvfb.sh
start_xvfb 99
out=build/test/window
rm -rf "$out" && mkdir -p "$out/config"
export XDG_CONFIG_HOME="$PWD/$out/config" ROSTERDESK_WORKSPACE="$PWD/$out/workspace.db" ROSTERDESK_SECRETS=file
pids=()
trap 'kill "${pids[@]}" 2>/dev/null; stop_xvfb' EXIT
openbox >/dev/null 2>&1 &
pids+=($!)
build/bin/rosterdesk demo --users 300 >"$out/demo.log"

# open_window LOG: starts the app and sets app (its pid) and win (its visible window).
open_window() {
	build/bin/rosterdesk >"$1" 2>&1 &
	app=$!
	pids+=($app)
	win=""
	for _ in $(seq 100); do
		win=$(xdotool search --onlyvisible --name '^Rosterdesk$' 2>/dev/null | head -1) && [ -n "$win" ] && return
		kill -0 $app 2>/dev/null || { cat "$1"; echo "the app exited before showing its window"; exit 1; }
		sleep 0.2
	done
	cat "$1"
	echo "no visible Rosterdesk window after 20 s"
	exit 1
}

open_window "$out/app.log"
sleep 3 # let the front end render the dashboard
import -window root "$out/window.png"
# A blank or single-colour window has (almost) no variation in brightness.
spread=$(/usr/bin/convert "$out/window.png" -colorspace Gray -format '%[fx:standard_deviation]' info:)
echo "window $win captured to $out/window.png (brightness spread $spread)"
awk -v s="$spread" 'BEGIN { exit !(s > 0.02) }' || { echo "the window looks blank"; exit 1; }

wmctrl -i -r "$win" -e 0,120,90,1100,700
sleep 1
wmctrl -i -c "$win"
for _ in $(seq 50); do kill -0 $app 2>/dev/null || break; sleep 0.2; done
kill -0 $app 2>/dev/null && { echo "the window did not close when asked"; exit 1; }
saved="$out/config/Rosterdesk/settings.json"
for want in '"x": 120' '"y": 90' '"width": 1100' '"height": 700'; do
	grep -q "$want" "$saved" || { cat "$saved"; echo "the window geometry was not saved on close ($want)"; exit 1; }
done
open_window "$out/app2.log"
sleep 1
geometry=$(xdotool getwindowgeometry "$win")
echo "$geometry" | grep -q 'Geometry: 1100x700' || { echo "$geometry"; echo "the window did not reopen at its saved size"; exit 1; }
echo "window size and position remembered: $(echo "$geometry" | tr '\n' ' ')"
kill $app 2>/dev/null || true

newer="$out/newer.db"
build/bin/rosterdesk roster counts --workspace "$newer" >/dev/null
sqlite3 "$newer" 'PRAGMA user_version = 999'
build/bin/rosterdesk --workspace "$newer" >"$out/newer.log" 2>&1 &
app=$!
pids+=($app)
dialog=""
for _ in $(seq 100); do
	dialog=$(xdotool search --onlyvisible --name '^Rosterdesk cannot start$' 2>/dev/null | head -1) && [ -n "$dialog" ] && break
	sleep 0.2
done
[ -n "$dialog" ] || { cat "$out/newer.log"; echo "no error dialog for a workspace from a newer version"; exit 1; }
sleep 1
import -window root "$out/newer-workspace.png"
xdotool windowactivate --sync "$dialog" key Return
status=0
wait $app || status=$?
[ $status -ne 0 ] || { echo "the app exited 0 after refusing the workspace"; exit 1; }
echo "a workspace from a newer version brings up an error dialog (exit status $status)"
