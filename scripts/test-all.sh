#!/usr/bin/env bash
# Runs every suite (Go, front end, browser end-to-end, window screenshot), even when one fails, then
# prints one plain "N passed, N failed" line over all of them. Logs go to build/test/.
set -uo pipefail
cd "$(dirname "$0")/.."
mkdir -p build/test
passed=0 failed=0 skipped=0 broken=()

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
if ! make --no-print-directory build build-dev >build/test/build.log 2>&1; then
	tail -40 build/test/build.log
	broken+=("build")
fi

echo "== Go tests"
go test -count=1 -timeout 30m -v ./... >build/test/go.log 2>&1
status=$?
grep -E '^(ok|FAIL|---|panic)|^\s+--- FAIL|_test.go:[0-9]+:' build/test/go.log | grep -v -- '--- PASS' | tail -60
add "$(grep -cE '^\s*--- PASS' build/test/go.log)" "$(grep -cE '^\s*--- FAIL' build/test/go.log)"
skips build/test/go.log
[ $status -eq 0 ] || broken+=("go")

echo "== Windows build (compiles and passes go vet for windows/amd64; make dist builds the installer)"
if make --no-print-directory test-windows >build/test/windows.log 2>&1; then add 1 0; echo "ok windows/amd64"; else add 0 1; tail -20 build/test/windows.log; broken+=("windows"); fi

echo "== keychain tests (a private GNOME Keyring)"
scripts/keychain-test.sh -v >build/test/keychain.log 2>&1
status=$?
grep -E '^(ok|FAIL|--- )' build/test/keychain.log
add "$(grep -cE '^\s*--- PASS' build/test/keychain.log)" "$(grep -cE '^\s*--- FAIL' build/test/keychain.log)"
skips build/test/keychain.log
[ $status -eq 0 ] || broken+=("keychain")

echo "== front-end tests (vitest)"
(cd frontend && npx vitest run --reporter=default --reporter=json --outputFile=../build/test/vitest.json) >build/test/vitest.log 2>&1
status=$?
tail -15 build/test/vitest.log
if [ -f build/test/vitest.json ]; then
	read -r p f s < <(node -e 'const r=require("./build/test/vitest.json");console.log(r.numPassedTests, r.numFailedTests, r.numPendingTests + r.numTodoTests)')
	add "$p" "$f"
	skipped=$((skipped + ${s:-0}))
fi
[ $status -eq 0 ] || broken+=("vitest")

if [[ " ${broken[*]} " != *" build "* ]]; then
	echo "== browser end-to-end tests (Chromium against the real Go backend)"
	scripts/e2e.sh >build/test/e2e.log 2>&1
	status=$?
	grep -E '^(not )?ok |^# (pass|fail)' build/test/e2e.log
	add "$(sed -n 's/^# pass //p' build/test/e2e.log | tail -1)" "$(sed -n 's/^# fail //p' build/test/e2e.log | tail -1)"
	skipped=$((skipped + $(sed -n 's/^# skip //p' build/test/e2e.log | tail -1 | grep . || echo 0)))
	[ $status -eq 0 ] || { tail -30 build/test/e2e.log; broken+=("e2e"); }

	echo "== production window screenshot under Xvfb"
	if scripts/window-smoke.sh >build/test/window.log 2>&1; then add 1 0; else add 0 1; tail -20 build/test/window.log; broken+=("window"); fi
	tail -3 build/test/window.log
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
echo "$passed passed, $failed failed, $skipped skipped"
[ ${#broken[@]} -eq 0 ]
