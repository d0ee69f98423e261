#!/usr/bin/env bash
# make fuzz: runs every Go fuzz target for FUZZTIME each (default 60s; longer before a release), one
# after another since `go test -fuzz` takes one target per run, and prints a line per target. A crash
# is saved by Go under the package's testdata/fuzz/<Target>/: commit it as a regression input, with
# the fix. Exits non-zero when any target failed.
set -uo pipefail
cd "$(dirname "$0")/.."
FUZZTIME=${FUZZTIME:-60s}
targets=(
	backend/oneroster:FuzzReadUsers
	backend/oneroster:FuzzManifest
	backend/oneroster:FuzzOpenZip
	backend/connector/spreadsheet:FuzzOpenTable
	backend/sheets:FuzzReadSelection
	backend/connector/rest:FuzzPage
	backend/connector/xpress:FuzzStudents
	backend/mapping:FuzzCompileApply
)
logs=${TMPDIR:-/tmp}/rosterdesk-fuzz
mkdir -p "$logs"
failed=0
for t in "${targets[@]}"; do
	pkg=${t%%:*} name=${t#*:}
	log=$logs/$name.log
	# Minimising each new input for the default 60s would leave a minute's run no time to fuzz.
	if go test -run '^$' -fuzz "^$name\$" -fuzztime "$FUZZTIME" -fuzzminimizetime 1s "./$pkg" >"$log" 2>&1; then
		result=ok
	else
		result=FAILED failed=1
	fi
	execs=$(grep -o 'execs: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
	printf '%-20s %-32s %-6s %s execs in %s (log: %s)\n' "$name" "$pkg" "$result" "${execs:-0}" "$FUZZTIME" "$log"
done
exit $failed
