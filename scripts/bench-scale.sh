#!/usr/bin/env bash
# make bench-scale (and the end of make bench): memory as the roster grows. For each size in
# SCALE_STUDENTS (default 100,000 and 1,000,000 students), a generated district goes through what a
# registrar does with it, each step a process of its own timed by /usr/bin/time (wall seconds, peak
# RSS): generate; fetch + import into a new workspace; re-import unchanged; the import's plan; the
# selection wizard's first opening (the shape of the fetch, computed as the window computes it); an
# import of half the schools, which the safety hold stops; choosing half the schools of a target;
# the bulk export of them to a folder. Target: every step under 400 MB at every size, so memory stays
# about flat however large the roster. A 1,000,000-student workspace takes some 5 GB of disk while it
# is measured; each size's files are removed once its steps are done (SCALE_KEEP=1 keeps them).
# BIN is the program measured (build/bin/rosterdesk), SCALE_OUT where its files go (build/bench-scale).
set -euo pipefail
cd "$(dirname "$0")/.."
SCALE_STUDENTS=${SCALE_STUDENTS:-100000 1000000}
bin=${BIN:-build/bin/rosterdesk}
out=$(realpath -m "${SCALE_OUT:-build/bench-scale}")
limit_mb=400
rm -rf "$out" && mkdir -p "$out"
export XDG_CONFIG_HOME="$out/config"

steps=(generate import reimport plan wizard held select export)
declare -A label=(
	[generate]="generate district"
	[import]="fetch + import (fresh)"
	[reimport]="re-import, unchanged"
	[plan]="import plan (--plan)"
	[wizard]="wizard's first opening"
	[held]="import held (half the schools)"
	[select]="choose half the schools"
	[export]="export bulk to a folder"
)
declare -A secs mb

# timed N STEP CMD...: runs CMD under /usr/bin/time and keeps its wall time and peak RSS. The held
# import must end held (exit status 3); every other step must succeed.
timed() {
	local n=$1 step=$2 s kb rc=0 want=0
	shift 2
	[ "$step" != held ] || want=3
	/usr/bin/time -f '%e %M' -o "$out/$n/$step.time" "$@" >"$out/$n/$step.log" 2>&1 || rc=$?
	[ "$rc" -eq "$want" ] || { echo "${label[$step]} at $n students: exit status $rc, want $want"; cat "$out/$n/$step.log"; exit 1; }
	read -r s kb < <(tail -1 "$out/$n/$step.time") # a failed command adds a line before
	secs[$n.$step]=$s
	mb[$n.$step]=$((kb / 1024))
	printf '  %-7s %-32s %8s s %6s MB\n' "$n" "${label[$step]}" "$s" "$((kb / 1024))" >&2
}

for n in $SCALE_STUDENTS; do
	dir="$out/$n"
	work="$dir/work"
	mkdir -p "$work/export"
	ws="$work/workspace.db"
	timed "$n" generate "$bin" generate --out "$work/district.zip" --users "$n" --seed 1
	"$bin" connection add District --kind oneroster-csv --set path="$work/district.zip" --workspace "$ws" >/dev/null
	"$bin" duplicates settings --after-import off --workspace "$ws" >/dev/null # the scan is make bench's own figure
	timed "$n" import "$bin" import District --workspace "$ws"
	timed "$n" reimport "$bin" import District --workspace "$ws"
	timed "$n" plan "$bin" import District --plan --workspace "$ws"
	# The wizard of the source opened for the first time: its shape read from the fetch, the counts shown.
	timed "$n" wizard "$bin" select District --workspace "$ws"
	schools=$(sqlite3 "$ws" "SELECT \"sourcedId\" FROM roster_orgs WHERE type = 'school' ORDER BY 1")
	half=$(echo "$schools" | head -n $(($(echo "$schools" | wc -l) / 2)) | paste -sd,)
	"$bin" select District orgs --ids "$half" --workspace "$ws" >/dev/null
	timed "$n" held "$bin" import District --workspace "$ws"
	"$bin" connection add Vendor --kind oneroster-csv --role target --set path="$work/export" --workspace "$ws" >/dev/null
	timed "$n" select "$bin" select Vendor orgs --ids "$half" --workspace "$ws"
	timed "$n" export "$bin" export Vendor --mode bulk --workspace "$ws"
	du -sh "$work" | cut -f1 >"$dir/disk"
	[ -n "${SCALE_KEEP:-}" ] || rm -rf "$work"
done

sizes=($SCALE_STUDENTS)
{
	printf '\nMemory as the roster grows — each step a process of its own: wall time, peak RSS\n'
	printf '  %-32s' step
	for n in "${sizes[@]}"; do printf ' %21s' "$(printf "%'d students" "$n")"; done
	echo
	missed=()
	for step in "${steps[@]}"; do
		printf '  %-32s' "${label[$step]}"
		for n in "${sizes[@]}"; do
			printf ' %9s s %6s MB' "${secs[$n.$step]}" "${mb[$n.$step]}"
			[ "${mb[$n.$step]}" -lt "$limit_mb" ] || missed+=("${label[$step]} at $n (${mb[$n.$step]} MB)")
		done
		echo
	done
	printf '  %-32s' "workspace on disk"
	for n in "${sizes[@]}"; do printf ' %21s' "$(cat "$out/$n/disk")"; done
	echo
	if [ ${#missed[@]} -eq 0 ]; then
		echo "  targets met (every step under $limit_mb MB at every size)"
	else
		echo "  TARGETS MISSED (every step under $limit_mb MB): $(printf '%s; ' "${missed[@]}")"
	fi
} | tee "$out/table.txt"
