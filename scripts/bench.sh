#!/usr/bin/env bash
# make bench: fetch + import of a generated 100,000-student district (about 600,000 enrollments),
# against the sqlite3 shell's .import of the same CSV files as the reference, then a second source of
# the same district (half the people under that system's own ids) into the same roster. It prints
# figures and says whether the targets (the fresh import within 3x of sqlite3 and under 400 MB peak
# memory; the second source within 1.5x of the fresh import; duplicates found with precision ≥ 0.99
# and recall ≥ 0.95 by a scan of ≤ 10 s, no longer than the import, under 400 MB) are met; speed is
# never asserted in unit tests. Then field mapping and a push to a loopback API (≥ 100,000 records/s
# mapped, ≥ 500 records/s pushed with 429s injected). Last, the window: the development build on a
# copy of the 100,000-student roster, driven by Chromium (frontend/bench/ui.mjs), each action timed
# beside its target, and the memory of the app during an import the safety hold stops.
set -euo pipefail
cd "$(dirname "$0")/.."
STUDENTS=${STUDENTS:-100000}
out=build/bench
bin=build/bin/rosterdesk
rm -rf "$out" && mkdir -p "$out/csv"
export XDG_CONFIG_HOME="$PWD/$out/config"
ws="$out/workspace.db"

# timed NAME CMD...: runs CMD under /usr/bin/time and sets NAME_secs (wall) and NAME_mb (peak RSS).
timed() {
	local name=$1 secs kb
	shift
	/usr/bin/time -f '%e %M' -o "$out/$name.time" "$@" >"$out/$name.log" 2>&1 || { cat "$out/$name.log"; exit 1; }
	read -r secs kb <"$out/$name.time"
	printf -v "${name}_secs" '%s' "$secs"
	printf -v "${name}_mb" '%s' "$((kb / 1024))"
}

timed generate "$bin" generate --out "$out/district.zip" --users "$STUDENTS" --seed 1
unzip -q "$out/district.zip" -d "$out/csv"
rows=$(for f in "$out"/csv/*.csv; do [ "$(basename "$f")" = manifest.csv ] || tail -n +2 "$f" | wc -l; done | awk '{s += $1} END {print s}')

# The reference: the sqlite3 shell importing the same CSV files into tables it creates from the headers.
{
	echo "PRAGMA journal_mode=WAL;"
	for f in "$out"/csv/*.csv; do
		[ "$(basename "$f")" = manifest.csv ] || echo ".import --csv $f $(basename "$f" .csv)"
	done
} >"$out/reference.sql"

# The fresh import and the reference are timed RUNS times each, alternating, and the fastest of each
# is compared: one run on a shared 2-core machine can be a second slower for reasons of its own.
RUNS=${RUNS:-5}
for i in $(seq "$RUNS"); do
	rm -rf "$ws" "$ws"-wal "$ws"-shm "$ws".staging "$out/reference.db"
	"$bin" connection add District --kind oneroster-csv --set path="$out/district.zip" --workspace "$ws" >/dev/null
	"$bin" duplicates settings --after-import off --workspace "$ws" >/dev/null # measured on its own below
	timed ingest "$bin" import District --workspace "$ws"
	echo "$ingest_secs $ingest_mb" >>"$out/ingest.runs"
	timed reference sqlite3 "$out/reference.db" ".read $out/reference.sql"
	echo "$reference_secs $reference_mb" >>"$out/reference.runs"
done
for name in ingest reference; do
	printf -v "${name}_secs" '%s' "$(cut -d' ' -f1 "$out/$name.runs" | sort -n | head -1)"
	printf -v "${name}_mb" '%s' "$(cut -d' ' -f2 "$out/$name.runs" | sort -n | tail -1)"
	printf -v "${name}_all" '%s' "$(cut -d' ' -f1 "$out/$name.runs" | paste -sd' ')"
done
timed reimport "$bin" import District --workspace "$ws"

# A second source into the same roster: the same district from another system, which shares half the
# people by id and has its own ids for the other half. Each of the RUNS starts from a copy of the
# roster the first source left, so the workspace the exports below use keeps one source.
"$bin" generate --out "$out/district-second.zip" --users "$STUDENTS" --seed 1 --other-ids 0.5 >/dev/null
sqlite3 "$ws" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
second="$out/second.db"
for i in $(seq "$RUNS"); do
	rm -rf "$second" "$second"-wal "$second"-shm "$second".staging
	cp "$ws" "$second"
	"$bin" connection add Second --kind oneroster-csv --set path="$out/district-second.zip" --workspace "$second" >/dev/null
	timed second "$bin" import Second --workspace "$second"
	echo "$second_secs $second_mb" >>"$out/second.runs"
done
second_secs=$(cut -d' ' -f1 "$out/second.runs" | sort -n | head -1)
second_mb=$(cut -d' ' -f2 "$out/second.runs" | sort -n | tail -1)
second_all=$(cut -d' ' -f1 "$out/second.runs" | paste -sd' ')

# The same district with GUID sourcedIds in no order, as many SIS exports number their records.
"$bin" generate --out "$out/district-guids.zip" --users "$STUDENTS" --seed 1 --guids >/dev/null
"$bin" connection add Guids --kind oneroster-csv --set path="$out/district-guids.zip" --workspace "$out/guids.db" >/dev/null
"$bin" duplicates settings --after-import off --workspace "$out/guids.db" >/dev/null
timed guids "$bin" import Guids --workspace "$out/guids.db"

# Selective export: half the schools to a OneRoster ZIP in a folder, then the same export as a delta,
# which must find nothing changed and write no file.
mkdir -p "$out/export"
"$bin" connection add Vendor --kind oneroster-csv --role target --set path="$PWD/$out/export" --workspace "$ws" >/dev/null
schools=$(sqlite3 "$ws" "SELECT \"sourcedId\" FROM roster_orgs WHERE type = 'school' ORDER BY 1")
half=$(echo "$schools" | head -n $(( $(echo "$schools" | wc -l) / 2 )) | paste -sd,)
timed select "$bin" select Vendor orgs --ids "$half" --workspace "$ws"
timed export "$bin" export Vendor --mode bulk --workspace "$ws"
timed reexport "$bin" export Vendor --mode delta --workspace "$ws"
exported=$(awk '/^ +enrollments / { print $2 }' "$out/export.log")
files=$(ls "$out/export" | wc -l)

# The driver's floor: the same key-less load through modernc.org/sqlite, the SQLite Rosterdesk uses.
floor_secs=$(FLOOR_CSV_DIR="$PWD/$out/csv" go test ./backend/store/ -run '^$' -bench DriverFloor -benchtime 1x |
	awk '/^BenchmarkDriverFloor/ { printf "%.2f", $3 / 1e9 }')

# Duplicates: the same district with 2 % of its students entered twice (typos, swapped names,
# nicknames, transposed dates, another system's ids), the true pairs beside the ZIP. Blocking recall
# is measured on the imported roster before any scan; precision and recall on the pairs the default
# domains find (waiting for review or merged by the unattended one). Then the import as a registrar
# runs it by default, ending with the scan.
"$bin" generate --out "$out/district-dups.zip" --users "$STUDENTS" --seed 1 --duplicates 0.02 >/dev/null
truth="$out/district-dups.duplicates.csv"
dws="$out/dups.db"
"$bin" connection add Dups --kind oneroster-csv --set path="$out/district-dups.zip" --workspace "$dws" >/dev/null
"$bin" duplicates settings --after-import off --workspace "$dws" >/dev/null
timed dupimport "$bin" import Dups --workspace "$dws"
go build -o "$out/dupquality" ./scripts/dupquality
blocking=$("$out/dupquality" blocking "$dws" "$truth")
timed dupscan "$bin" duplicates scan --workspace "$dws"
quality=$("$out/dupquality" pairs "$dws" "$truth")
rm -rf "$out/dups2.db"*
"$bin" connection add Dups --kind oneroster-csv --set path="$out/district-dups.zip" --workspace "$out/dups2.db" >/dev/null
timed dupboth "$bin" import Dups --workspace "$out/dups2.db"

ratio=$(awk -v a="$ingest_secs" -v b="$reference_secs" 'BEGIN { printf "%.2f", a / b }')
second_ratio=$(awk -v a="$second_secs" -v b="$ingest_secs" 'BEGIN { printf "%.2f", a / b }')
rate=$(awk -v r="$rows" -v s="$ingest_secs" 'BEGIN { printf "%.0f", r / s }')
cat <<REPORT

Rosterdesk ingest benchmark — $STUDENTS students, $rows CSV rows ($(du -h "$out/district.zip" | cut -f1) zip)
  generate district          ${generate_secs} s   peak ${generate_mb} MB
  fetch + import (fresh)     ${ingest_secs} s   peak ${ingest_mb} MB   ${rate} rows/s   (fastest of: ${ingest_all})
  re-import, unchanged       ${reimport_secs} s   peak ${reimport_mb} MB
  fetch + import, GUID ids   ${guids_secs} s   peak ${guids_mb} MB   (the same district, ids in no order; one run)
  sqlite3 shell .import      ${reference_secs} s   peak ${reference_mb} MB   (fastest of: ${reference_all})
  same load through modernc  ${floor_secs} s   (key-less tables: the driver's floor)
  ratio to sqlite3           ${ratio}x   (target ≤ 3x, aim 1.5x)
  ratio to the driver floor  $(awk -v a="$ingest_secs" -v b="$floor_secs" 'BEGIN { printf "%.2f", a / b }')x
  peak memory                ${ingest_mb} MB   (target < 400 MB, aim 256 MB)
  second source, same roster ${second_secs} s   peak ${second_mb} MB   ${second_ratio}x the fresh import (target ≤ 1.5x)   (fastest of: ${second_all})
REPORT
grep -E '^ +(users|enrollments) ' "$out/reimport.log" | sed 's/^/  re-import /' || true
echo "  re-import wrote $(sqlite3 "$ws" "SELECT COUNT(*) FROM run_records WHERE run_id = 2") run records (must be 0)"
grep -E '^ +(users|enrollments) ' "$out/second.log" | sed 's/^/  second source /' || true
awk -v r="$ratio" -v m="$ingest_mb" -v s="$second_ratio" \
	'BEGIN { if (r <= 3 && m < 400 && s <= 1.5) print "  targets met"; else print "  TARGETS MISSED" }'
cat <<REPORT

Selective export — half of the $(echo "$schools" | wc -l) schools to a OneRoster 1.2 ZIP
  choose the schools         ${select_secs} s   peak ${select_mb} MB
  export (bulk)              ${export_secs} s   peak ${export_mb} MB   ${exported} enrollments, $(du -h "$out"/export/*.zip | cut -f1) zip
  re-export, unchanged delta ${reexport_secs} s   peak ${reexport_mb} MB   $(sed -n 1p "$out/reexport.log" | sed 's/.*succeeded. //')
  files in the target folder ${files} (the unchanged delta must add none)
REPORT

precision=$(echo "$quality" | awk '{ print $2 }')
recall=$(echo "$quality" | awk '{ print $4 }')
cat <<REPORT

Duplicate people — the same district with 2 % of students entered twice ($(($(wc -l <"$truth") - 1)) true pairs)
  import (no scan)           ${dupimport_secs} s   peak ${dupimport_mb} MB
  ${blocking}
  duplicates scan            ${dupscan_secs} s   peak ${dupscan_mb} MB   $(sed -n 1p "$out/dupscan.log")
  ${quality}
  import ending with a scan  ${dupboth_secs} s   peak ${dupboth_mb} MB   (the default)
REPORT
awk -v p="$precision" -v r="$recall" -v s="$dupscan_secs" -v i="$dupimport_secs" -v m="$dupscan_mb" \
	'BEGIN { if (p >= 0.99 && r >= 0.95 && s <= 10 && s <= i && m < 400) print "  targets met (precision ≥ 0.99, recall ≥ 0.95, scan ≤ 10 s and ≤ the import, < 400 MB)"; else print "  TARGETS MISSED (precision ≥ 0.99, recall ≥ 0.95, scan ≤ 10 s and ≤ the import, < 400 MB)" }'

echo
echo "Source connectors staging a 10,000-student district from local test servers"
go test -run '^$' -bench 'BenchmarkStage' -benchtime 3x ./backend/connector/rest/ 2>&1 | grep -E '^Benchmark' | sed 's/^/  oneroster-rest  /'

# Field mapping and the rest-push target. The plan of an export to an API target maps every user of
# the 100,000-student roster with a 12-field students mapping (reading each user's demographics, roles
# and school) and compares it with what the target has: what a registrar waits for before a push.
# Then a real push of a smaller district's users to the loopback test API, which answers every 50th
# request 429 (Retry-After: 0, so the figure is Rosterdesk's, not the wait).
cat >"$out/students.json" <<'MAPPING'
{"entity": "users", "fields": [
  {"to": "student_number", "type": "transformation", "expr": "coalesce(identifier, sourcedId)", "key": true},
  {"to": "first_name", "type": "direct", "from": "givenName"},
  {"to": "last_name", "type": "transformation", "expr": "upper(familyName)"},
  {"to": "full_name", "type": "transformation", "expr": "title(familyName) + \", \" + givenName"},
  {"to": "email", "type": "direct", "from": "email", "overwrite": false},
  {"to": "gender", "type": "codes", "from": "demographics.sex", "codes": {"female": "F", "male": "M"}, "unmatched": "default", "default": "U"},
  {"to": "birth_date", "type": "transformation", "expr": "formatDate(demographics.birthDate, \"MM/DD/YYYY\")"},
  {"to": "grade", "type": "direct", "from": "grades"},
  {"to": "school_name", "type": "direct", "from": "school.name"},
  {"to": "school_code", "type": "direct", "from": "school.identifier"},
  {"to": "role", "type": "codes", "from": "role", "codes": {"student": "S", "teacher": "T", "guardian": "G", "parent": "G"}, "unmatched": "blank"},
  {"to": "username", "type": "direct", "from": "username"}]}
MAPPING
go build -o "$out/pushapi" ./backend/internal/pushtest/pushapi
"$out/pushapi" -addr 127.0.0.1:0 -apikey bench-key -key-field student_number >"$out/pushapi-plan.url" &
plan_api=$!
"$out/pushapi" -addr 127.0.0.1:0 -apikey bench-key -key-field student_number -throttle 50 -retry-after 0 >"$out/pushapi.url" &
push_api=$!
trap 'kill $plan_api $push_api 2>/dev/null || true' EXIT
for f in "$out/pushapi-plan.url" "$out/pushapi.url"; do
	for _ in $(seq 50); do [ -s "$f" ] && break; sleep 0.1; done
done
export ROSTERDESK_SECRET_APIKEY=bench-key
"$bin" connection add SIS --kind rest-push --role target --set baseUrl="$(head -1 "$out/pushapi-plan.url")" --set auth=apikey \
	--set endpoints='{"users": "/api/students"}' --secret apiKey --workspace "$ws" >/dev/null
"$bin" mapping set SIS --entity users --file "$out/students.json" --workspace "$ws" >/dev/null
timed mapplan "$bin" export SIS --plan --json --workspace "$ws"
mapped=$(sqlite3 "$ws" "SELECT COUNT(*) FROM roster_users WHERE status IS NOT 'tobedeleted'")
map_rate=$(awk -v n="$mapped" -v s="$mapplan_secs" 'BEGIN { printf "%.0f", n / s }')
apply_rate=$(go test -run '^$' -bench 'BenchmarkApply' -benchtime 200000x ./backend/mapping/ 2>&1 | awk '/^BenchmarkApply/ { for (i = 1; i <= NF; i++) if ($i == "records/s") print $(i-1) }' | head -1)

pws="$out/push.db"
"$bin" generate --out "$out/district-push.zip" --users 7400 --seed 2 >/dev/null
"$bin" connection add District --kind oneroster-csv --set path="$out/district-push.zip" --workspace "$pws" >/dev/null
"$bin" duplicates settings --after-import off --workspace "$pws" >/dev/null
"$bin" import District --workspace "$pws" >/dev/null
"$bin" connection add SIS --kind rest-push --role target --set baseUrl="$(head -1 "$out/pushapi.url")" --set auth=apikey \
	--set endpoints='{"users": "/api/students"}' --secret apiKey --workspace "$pws" >/dev/null
"$bin" mapping set SIS --entity users --file "$out/students.json" --workspace "$pws" >/dev/null
timed push "$bin" export SIS --workspace "$pws"
pushed=$(awk '$1 == "users" { print $2 }' "$out/push.log")
push_rate=$(awk -v n="$pushed" -v s="$push_secs" 'BEGIN { printf "%.0f", n / s }')
timed repush "$bin" export SIS --workspace "$pws"
kill $plan_api $push_api 2>/dev/null || true
cat <<REPORT

Field mapping and the rest-push target
  mapping alone (BenchmarkApply)  ${apply_rate} records/s   (12 fields; target ≥ 100,000/s)
  export plan to an API target     ${mapplan_secs} s   peak ${mapplan_mb} MB   ${mapped} users mapped and compared: ${map_rate} users/s
  push to the loopback API         ${push_secs} s   peak ${push_mb} MB   ${pushed} users created, a 429 every 50 requests: ${push_rate} records/s (target ≥ 500/s)
  re-export, unchanged             ${repush_secs} s   $(sed -n 1p "$out/repush.log" | sed 's/.*succeeded. //')
REPORT
awk -v a="$apply_rate" -v p="$push_rate" 'BEGIN { if (a >= 100000 && p >= 500) print "  targets met"; else print "  TARGETS MISSED" }'

printf '\nTwo-way sync of the whole district with a folder (a copy of the roster; TestSyncBench)\n'; SYNC_BENCH_WORKSPACE="$PWD/$ws" go test ./backend/engine/ -run '^TestSyncBench$' -count=1 -v | grep -E '^  '

# The window at this size: the development build (make bench builds it) on a copy of the roster the
# first source left, with its snapshot, driven by headless Chromium. The app's own log goes to ui.log.
ui="$PWD/$out/ui"
mkdir -p "$ui"
sqlite3 "$ws" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
cp "$ws" "$ui/workspace.db"
cp -r "$ws.staging" "$ui/workspace.db.staging"
. scripts/xvfb.sh
start_xvfb 98
(cd frontend && E2E_BIN="$PWD/../build/bin/rosterdesk-dev" E2E_DIST="$PWD/dist" node bench/ui.mjs "$ui" 2>"$ui.log") ||
	{ tail -30 "$ui.log"; exit 1; }
