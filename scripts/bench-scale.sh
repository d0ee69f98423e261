#!/usr/bin/env bash
# make bench-scale (and the end of make bench): memory as the roster grows. For each size in
# SCALE_STUDENTS (default 100,000 and 1,000,000 students), a generated district goes through what a
# registrar does with it, each step a process of its own timed by /usr/bin/time (wall seconds, peak
# RSS): generate; fetch + import into a new workspace; re-import unchanged; the import's plan, then
# again (reading the copies of the origins the first plan left, backend/store/origincopy.go); the
# selection wizard's first opening (the shape of the fetch, computed as the window computes it); an
# import of half the schools, which the safety hold stops; choosing half the schools of a target;
# the bulk export of them to a folder. Target: every step under 400 MB at every size, so memory stays
# about flat however large the roster. A 1,000,000-student workspace takes some 5 GB of disk while it
# is measured; each size's files are removed once its steps are done (SCALE_KEEP=1 keeps them).
# BIN is the program measured (build/bin/rosterdesk), SCALE_OUT where its files go (build/bench-scale).
# SCALE_STEPS="held plan" times just those steps again, on the workspaces an earlier SCALE_KEEP=1 run
# left in SCALE_OUT (any step after the fresh import; re-imports, plans, the wizard and held imports
# leave a workspace as it was, apart from their run's record).
set -euo pipefail
cd "$(dirname "$0")/.."
SCALE_STUDENTS=${SCALE_STUDENTS:-100000 1000000}
bin=${BIN:-build/bin/rosterdesk}
out=$(realpath -m "${SCALE_OUT:-build/bench-scale}")
limit_mb=400
export XDG_CONFIG_HOME="$out/config"

steps=(generate import reimport plan replan wizard held select export)
again=(${SCALE_STEPS:-})
if [ ${#again[@]} -gt 0 ]; then
	for step in "${again[@]}"; do
		case " reimport plan replan wizard held select export " in *" $step "*) ;; *) echo "SCALE_STEPS: $step cannot be timed again (one of reimport plan replan wizard held select export)"; exit 2 ;; esac
	done
	steps=("${again[@]}")
else
	rm -rf "$out" && mkdir -p "$out"
fi
declare -A label=(
	[generate]="generate district"
	[import]="fetch + import (fresh)"
	[reimport]="re-import, unchanged"
	[plan]="import plan (--plan)"
	[replan]="import plan again (its copies)"
	[wizard]="wizard's first opening"
	[held]="import held (half the schools)"
	[select]="choose half the schools"
	[export]="export bulk to a folder"
)
declare -A secs cpu mb

# timed N STEP CMD...: runs CMD under /usr/bin/time and keeps its wall time, processor time (user and
# system: the figure to compare when other work shares the cores) and peak RSS. The held import must
# end held (exit status 3); every other step must succeed.
timed() {
	local n=$1 step=$2 s user sys kb rc=0 want=0
	shift 2
	[ "$step" != held ] || want=3
	/usr/bin/time -f '%e %U %S %M' -o "$out/$n/$step.time" "$@" >"$out/$n/$step.log" 2>&1 || rc=$?
	[ "$rc" -eq "$want" ] || { echo "${label[$step]} at $n students: exit status $rc, want $want"; cat "$out/$n/$step.log"; exit 1; }
	read -r s user sys kb < <(tail -1 "$out/$n/$step.time") # a failed command adds a line before
	secs[$n.$step]=$s
	cpu[$n.$step]=$(awk "BEGIN { printf \"%.1f\", $user + $sys }")
	mb[$n.$step]=$((kb / 1024))
	printf '  %-7s %-32s %8s s %8s s CPU %6s MB\n' "$n" "${label[$step]}" "$s" "${cpu[$n.$step]}" "$((kb / 1024))" >&2
}

# step N STEP: times one step after the fresh import on the workspace of N students.
step() {
	local n=$1 ws=$out/$1/work/workspace.db
	case $2 in
	reimport) timed "$n" reimport "$bin" import District --workspace "$ws" ;;
	plan) timed "$n" plan "$bin" import District --plan --workspace "$ws" ;;
	replan) timed "$n" replan "$bin" import District --plan --workspace "$ws" ;;
	# The wizard of the source opened for the first time: its shape read from the fetch, the counts shown.
	wizard) timed "$n" wizard "$bin" select District --workspace "$ws" ;;
	held) timed "$n" held "$bin" import District --workspace "$ws" ;;
	select) timed "$n" select "$bin" select Vendor orgs --ids "$(half "$ws")" --workspace "$ws" ;;
	export) timed "$n" export "$bin" export Vendor --mode bulk --workspace "$ws" ;;
	esac
}

# half WS: the first half of the workspace's schools, by sourcedId, comma-separated.
half() {
	local schools
	schools=$(sqlite3 "$1" "SELECT \"sourcedId\" FROM roster_orgs WHERE type = 'school' ORDER BY 1")
	echo "$schools" | head -n $(($(echo "$schools" | wc -l) / 2)) | paste -sd,
}

for n in $SCALE_STUDENTS; do
	dir="$out/$n"
	work="$dir/work"
	ws="$work/workspace.db"
	if [ ${#again[@]} -gt 0 ]; then
		[ -f "$ws" ] || { echo "SCALE_STEPS: no workspace of $n students in $out (run with SCALE_KEEP=1 first)"; exit 2; }
		for s in "${again[@]}"; do step "$n" "$s"; done
		continue
	fi
	mkdir -p "$work/export"
	timed "$n" generate "$bin" generate --out "$work/district.zip" --users "$n" --seed 1
	"$bin" connection add District --kind oneroster-csv --set path="$work/district.zip" --workspace "$ws" >/dev/null
	"$bin" duplicates settings --after-import off --workspace "$ws" >/dev/null # the scan is make bench's own figure
	timed "$n" import "$bin" import District --workspace "$ws"
	step "$n" reimport
	step "$n" plan
	step "$n" replan
	step "$n" wizard
	"$bin" select District orgs --ids "$(half "$ws")" --workspace "$ws" >/dev/null
	step "$n" held
	"$bin" connection add Vendor --kind oneroster-csv --role target --set path="$work/export" --workspace "$ws" >/dev/null
	step "$n" select
	step "$n" export
	du -sh "$work" | cut -f1 >"$dir/disk"
	[ -n "${SCALE_KEEP:-}" ] || rm -rf "$work"
done

sizes=($SCALE_STUDENTS)
{
	printf '\nMemory as the roster grows — each step a process of its own: wall time, processor time, peak RSS\n'
	printf '  %-32s' step
	for n in "${sizes[@]}"; do printf ' %36s' "$(printf "%'d students" "$n")"; done
	echo
	missed=()
	for step in "${steps[@]}"; do
		printf '  %-32s' "${label[$step]}"
		for n in "${sizes[@]}"; do
			printf ' %9s s %8s s CPU %6s MB' "${secs[$n.$step]}" "${cpu[$n.$step]}" "${mb[$n.$step]}"
			[ "${mb[$n.$step]}" -lt "$limit_mb" ] || missed+=("${label[$step]} at $n (${mb[$n.$step]} MB)")
		done
		echo
	done
	if [ ${#again[@]} -eq 0 ]; then
		printf '  %-32s' "workspace on disk"
		for n in "${sizes[@]}"; do printf ' %36s' "$(cat "$out/$n/disk")"; done
		echo
	fi
	if [ ${#missed[@]} -eq 0 ]; then
		echo "  targets met (every step under $limit_mb MB at every size)"
	else
		echo "  TARGETS MISSED (every step under $limit_mb MB): $(printf '%s; ' "${missed[@]}")"
	fi
} | tee "$out/table.txt"
