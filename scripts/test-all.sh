#!/usr/bin/env bash
# Runs every suite (Go, front end, browser end-to-end, window screenshot), even when one fails, then
# prints one plain "N passed, N failed" line over all of them. Logs go to build/test/. The suites that
# mostly wait (the Windows build, the keychain) run beside the browser tests, which mostly wait too;
# each suite's wall time is printed after its result.
set -uo pipefail
cd "$(dirname "$0")/.."
mkdir -p build/test
passed=0 failed=0 skipped=0 broken=()
began=$SECONDS

# took NAME SECONDS prints a suite's wall time.
took() { echo "   ($1: $2 s)"; }

# beside NAME COMMAND... runs a suite in the background, its output in build/test/NAME.log, its wall
# time in build/test/NAME.time; wait for its pid to get its status.
beside() {
	local name=$1
	shift
	(
		s=$SECONDS
		"$@" >"build/test/$name.log" 2>&1
		status=$?
		echo $((SECONDS - s)) >"build/test/$name.time"
		exit $status
	) &
}

add() { passed=$((passed + ${1:-0})); failed=$((failed + ${2:-0})); }

# skips lists the Go tests a log says were skipped, with their reason, and counts them: a test that
# cannot run here must say so, not pass unseen.
skips() {
	local n
	n=$(grep -cE '^\s*--- SKIP' "$1")
	[ "$n" -gt 0 ] || return 0
	skipped=$((skipped + n))
	echo "Skipped ($n):"
	grep -E -B1 '^\s*--- SKIP' "$1" | grep -vE '^(--|=== RUN.*)$' | sed 's/^/  /'
}

echo "== building the app (production and development binaries)"
t=$SECONDS
if ! make --no-print-directory build build-dev >build/test/build.log 2>&1; then
	tail -40 build/test/build.log
	broken+=("build")
fi
took build $((SECONDS - t))

# go test starts the packages' test binaries in the order listed, two at a time: the engine's (about
# 170 s, most of the run) goes first, so the others run beside it rather than before it. Every copy
# of origins a test reads is compared with its workspace (backend/store/origincopy.go).
echo "== Go tests"
t=$SECONDS
ROSTERDESK_CHECK_COPIES=1 go test -count=1 -timeout 30m -v ./backend/engine/ ./backend/cli/ ./... >build/test/go.log 2>&1
status=$?
grep -E '^(ok|FAIL|---|panic)|^\s+--- FAIL|_test.go:[0-9]+:' build/test/go.log | grep -v -- '--- PASS' | tail -60
add "$(grep -cE '^\s*--- PASS' build/test/go.log)" "$(grep -cE '^\s*--- FAIL' build/test/go.log)"
skips build/test/go.log
[ $status -eq 0 ] || broken+=("go")
took go $((SECONDS - t))

# Vitest takes one worker less than the cores by default (one, here): two keep both cores busy.
echo "== front-end tests (vitest)"
t=$SECONDS
(cd frontend && npx vitest run --maxWorkers=2 --reporter=default --reporter=json --outputFile=../build/test/vitest.json) >build/test/vitest.log 2>&1
status=$?
tail -15 build/test/vitest.log
if [ -f build/test/vitest.json ]; then
	read -r p f s < <(node -e 'const r=require("./build/test/vitest.json");console.log(r.numPassedTests, r.numFailedTests, r.numPendingTests + r.numTodoTests)')
	add "$p" "$f"
	skipped=$((skipped + ${s:-0}))
fi
[ $status -eq 0 ] || broken+=("vitest")
took vitest $((SECONDS - t))

beside windows make --no-print-directory test-windows
windows=$!
beside keychain scripts/keychain-test.sh -v
keychain=$!

if [[ " ${broken[*]} " != *" build "* ]]; then
	echo "== browser end-to-end tests (Chromium against the real Go backend; the Windows build and the keychain tests run beside)"
	t=$SECONDS
	scripts/e2e.sh >build/test/e2e.log 2>&1
	status=$?
	grep -E '^(not )?ok |^# (pass|fail)' build/test/e2e.log
	add "$(sed -n 's/^# pass //p' build/test/e2e.log | tail -1)" "$(sed -n 's/^# fail //p' build/test/e2e.log | tail -1)"
	skipped=$((skipped + $(sed -n 's/^# skip //p' build/test/e2e.log | tail -1 | grep . || echo 0)))
	[ $status -eq 0 ] || { tail -30 build/test/e2e.log; broken+=("e2e"); }
	took e2e $((SECONDS - t))
fi

echo "== Windows build (the program as released, under 25 MiB, and go vet for windows/amd64; make dist builds the installer)"
if wait $windows; then add 1 0; echo "ok windows/amd64, the program $(sed -n 's/.*: \([0-9.]* MiB\) (.*/\1/p' build/test/windows.log)"; else add 0 1; tail -20 build/test/windows.log; broken+=("windows"); fi
took windows "$(cat build/test/windows.time)"

echo "== keychain tests (a private GNOME Keyring)"
wait $keychain
status=$?
grep -E '^(ok|FAIL|--- )' build/test/keychain.log
add "$(grep -cE '^\s*--- PASS' build/test/keychain.log)" "$(grep -cE '^\s*--- FAIL' build/test/keychain.log)"
skips build/test/keychain.log
[ $status -eq 0 ] || broken+=("keychain")
took keychain "$(cat build/test/keychain.time)"

if [[ " ${broken[*]} " != *" build "* ]]; then
	echo "== production window screenshot under Xvfb"
	t=$SECONDS
	if scripts/window-smoke.sh >build/test/window.log 2>&1; then add 1 0; else add 0 1; tail -20 build/test/window.log; broken+=("window"); fi
	tail -3 build/test/window.log
	took window $((SECONDS - t))
fi

echo
if [ ${#broken[@]} -gt 0 ]; then
	echo "Failing suites: ${broken[*]} (logs in build/test/)"
	# The failures again, last, where a log cut to its end still shows them.
	for log in build/test/go.log build/test/keychain.log; do
		[ -f "$log" ] && grep -E -A25 '^\s*--- FAIL' "$log" | grep -vE '^\s*(=== |--- PASS)' | head -60
	done
	[ -f build/test/e2e.log ] && grep -E -A12 '^not ok ' build/test/e2e.log | head -60
	[ $failed -gt 0 ] || failed=1
fi
echo "(every suite: $((SECONDS - began)) s)"
echo "$passed passed, $failed failed, $skipped skipped"
[ ${#broken[@]} -eq 0 ]
