#!/usr/bin/env bash
# Prints the release's numeric version A.B.C.N, four numbers of at most 65535 each, as Windows file
# properties (and a Mac's CFBundleVersion) need; `git describe` (make's VERSION) is the name people
# read. From the newest tag vA.B.C, N counts the commits since that tag, so a tagged release is
# A.B.C.0 and every build after it counts up; with no tag yet it is 0.0.0.N, N the commits in the
# history (a shallow clone counts fewer: build releases from a full clone).
set -euo pipefail
cd "$(dirname "$0")/.."
tag=$(git describe --tags --abbrev=0 --match 'v[0-9]*' 2>/dev/null || true)
if [ -n "$tag" ]; then
	base=${tag#v} && base=${base%%[-+]*}
	n=$(git rev-list --count "$tag"..HEAD)
else
	base=0.0.0
	n=$(git rev-list --count HEAD)
fi
[[ $base =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || { echo "the tag $tag is not vA.B.C: Windows needs a numeric version" >&2; exit 1; }
v=$base.$n
for part in ${v//./ }; do
	[ "$part" -le 65535 ] || { echo "version $v: Windows allows at most 65535 in each part" >&2; exit 1; }
done
echo "$v"
