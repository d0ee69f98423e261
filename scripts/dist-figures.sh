#!/usr/bin/env bash
# The release figures for the README: the size of each file in DIR (default build/dist; target under
# 25 MiB) and, under Xvfb, the time from launching the Linux binary to its first painted window (target
# under 1 s): RUNS launches (default 5) on a small demo workspace, each polled until the window is
# visible and shows more than its blank background; prints the best and the median, and the processor
# time taken by then with the load average: on a busy machine the clock says little, the work a lot.
# Beside it, launched in turn with it, the same for the floor (scripts/launchfloor): an empty window of
# the same toolkit, which the app cannot open faster than.
# Given a Linux binary instead of DIR, only its launch figures (to compare builds of the app).
set -euo pipefail
only=""
[ ! -f "${1:-}" ] || only=$(realpath "$1")
cd "$(dirname "$0")/.."
dir=${1:-build/dist}
runs=${RUNS:-5}
limit=$((25 * 1024 * 1024)) # 25 MiB
over=0
if [ -n "$only" ]; then
	bin=$only
else
	bin=$(ls "$dir"/rosterdesk-*-linux-amd64)
	echo "Sizes (target under 25 MiB):"
	for f in "$dir"/rosterdesk-*; do
		size=$(stat -c %s "$f")
		awk -v f="$(basename "$f")" -v s="$size" 'BEGIN { printf "  %-55s %6.1f MiB\n", f, s / 1048576 }'
		[ "$size" -lt $limit ] || over=1
	done
fi

. scripts/xvfb.sh
start_xvfb "${DIST_DISPLAY:-95}"
work=$(mktemp -d)
trap 'stop_xvfb; rm -rf "$work"' EXIT
export XDG_CONFIG_HOME="$work/config" ROSTERDESK_WORKSPACE="$work/workspace.db" ROSTERDESK_SECRETS=file
"$bin" demo --users 300 >/dev/null
floor=$work/launchfloor
${GO:-go} build -trimpath -tags "desktop,production,${TAGS:-webkit2_41}" -ldflags "-w -s" -o "$floor" ./scripts/launchfloor

# cpu_ms: the processor time the app and its WebKit processes have taken so far. Beside the time on
# the clock it shows the work a launch is, which a busy machine does not change much.
cpu_ms() {
	local ticks=0 p
	for p in $app $(pgrep -P $app); do
		[ -r /proc/$p/stat ] && ticks=$((ticks + $(awk '{ print $14 + $15 }' /proc/$p/stat)))
	done
	echo $((ticks * 1000 / $(getconf CLK_TCK)))
}

# painted_ms PROGRAM TITLE: launches PROGRAM and prints the milliseconds until its window, titled
# TITLE, shows more than a blank surface (a blank or single-colour window has almost no spread in
# brightness), and the processor milliseconds taken by then.
# A launch the display hung up on is launched again (at most 3 times), and counted in $work/refused:
# Xvfb 21.1 closes about 1 new connection in 20, unanswered, while another client connects and
# disconnects without pause, as the polling below does (xdpyinfo beside a loop of `xdotool search`:
# 20 of 400 could not open the display); GTK then says "failed to init GTK" and the program exits.
painted_ms() {
	local start win spread cpu tries=${3:-1}
	start=$(date +%s%N)
	"$1" >"$work/app.log" 2>&1 &
	app=$!
	while kill -0 $app 2>/dev/null; do
		if win=$(xdotool search --onlyvisible --name "^$2\$" 2>/dev/null | head -1) && [ -n "$win" ] &&
			cpu=$(cpu_ms) &&
			spread=$(import -silent -window "$win" -colorspace Gray -format '%[fx:standard_deviation]' info: 2>/dev/null) &&
			awk -v s="$spread" 'BEGIN { exit !(s > 0.02) }'; then
			echo "$((($(date +%s%N) - start) / 1000000)) $cpu"
			kill $app && wait $app 2>/dev/null || true
			return
		fi
		[ $((($(date +%s%N) - start) / 1000000000)) -lt 60 ] || break
	done
	kill $app 2>/dev/null
	if [ "$tries" -lt 3 ] && grep -q "failed to init GTK" "$work/app.log"; then
		echo "$1" >>"$work/refused"
		painted_ms "$1" "$2" $((tries + 1))
		return
	fi
	cat "$work/app.log" >&2
	echo "the window was not painted within 60 s" >&2
	return 1
}

times=() cpus=() floor_times=() floor_cpus=()
for _ in $(seq "$runs"); do
	painted=$(painted_ms "$floor" "Launch floor")
	read -r ms cpu <<<"$painted"
	floor_times+=("$ms") floor_cpus+=("$cpu")
	painted=$(painted_ms "$bin" Rosterdesk)
	read -r ms cpu <<<"$painted"
	times+=("$ms") cpus+=("$cpu")
done
# best and median of a list of numbers
stats() {
	local sorted
	sorted=$(printf '%s\n' "$@" | sort -n)
	echo "best $(echo "$sorted" | head -1) ms, median $(echo "$sorted" | sed -n "$((($# + 1) / 2))p") ms"
}
echo "Launch to first painted window under Xvfb (target under 1 s): $(stats "${times[@]}") over $runs runs ($(echo "${times[@]}" | sed 's/ /, /g') ms)"
echo "  processor time by then (the app and its WebKit processes): $(stats "${cpus[@]}"); load average $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
echo "  the floor, an empty window of the same toolkit (scripts/launchfloor): $(stats "${floor_times[@]}") ($(echo "${floor_times[@]}" | sed 's/ /, /g') ms), processor time $(stats "${floor_cpus[@]}")"
[ ! -s "$work/refused" ] || echo "  launched again after the display hung up on them (see painted_ms): $(wc -l <"$work/refused") of $((2 * runs)) launches"
[ $over -eq 0 ] || echo "a file is over 25 MiB"
