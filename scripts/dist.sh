#!/usr/bin/env bash
# make dist: the release files in build/dist/, from a built front end (frontend/dist):
#   rosterdesk-VERSION-linux-amd64              the Linux binary
#   rosterdesk-VERSION-windows-amd64.exe        the Windows program (icon, manifest, version in its properties)
#   rosterdesk-VERSION-windows-amd64-setup.exe  its per-user installer (NSIS), with Rosterdesk.com
#   SHA256SUMS                                  the checksum of each
# then checks them (scripts/dist-check.sh), installs and runs them under Wine when it is there
# (scripts/dist-wine.sh), and prints their figures (scripts/dist-figures.sh).
# VERSION is `git describe`; Windows also needs a number A.B.C.N (scripts/dist-version.sh).
# DIST_ONLY=windows (make test-windows, in make test): only the Windows program, built as released, into
# build/test/windows/, failing when it is not under 25 MiB: it is the largest file, close to the target.
set -euo pipefail
cd "$(dirname "$0")/.."
GO=${GO:-go}
TAGS=${TAGS:-webkit2_41}
VERSION=${VERSION:-$(git describe --tags --always --dirty 2>/dev/null || echo dev)}
# go-winres writes the Windows resources (icon, manifest, version) the linker embeds: the same
# library `wails build` uses, run on its own so that the version comes from git, not wails.json.
GOWINRES=github.com/tc-hib/go-winres@v0.3.3
only=${DIST_ONLY:-}
out=build/dist
[ "$only" != windows ] || out=build/test/windows
pack=build/dist/frontend # the front end, gzipped, while the programs build (assets_packed.go embeds it)
ldflags="-w -s -X github.com/rosterdesk/rosterdesk/backend/cli.Version=$VERSION"
# Smaller programs (the goal is under 25 MiB each), each feature kept:
# - nethttpomithttp2: web connections speak HTTP/1.1, which API servers answer and which the tests'
#   servers speak (httptest); Go's HTTP/2 client is 0.55 MiB.
# - no inlining (-l) in code that runs once per command, connection or click, never per record: the
#   command line and its parser, the window's plumbing, TLS handshakes and certificates, compiling a
#   mapping, the PDF report, net/http (once per request; a REST page carries hundreds of records;
#   0.08 MiB). 0.7 MiB; the inlined copies and their tables weigh more than the calls.
tags=desktop,production,packed,nethttpomithttp2
gcflags=()
for p in github.com/rosterdesk/rosterdesk/backend/cli github.com/spf13/... github.com/wailsapp/... golang.org/x/net/html/... \
	crypto/tls crypto/x509 github.com/expr-lang/expr/parser/... github.com/expr-lang/expr/checker/... \
	github.com/expr-lang/expr/compiler github.com/go-pdf/fpdf net/http; do
	gcflags+=("-gcflags=$p=-l")
done

WINVERSION=${WINVERSION:-$(scripts/dist-version.sh)}

[ -f frontend/dist/index.html ] || { echo "frontend/dist is not built: run make frontend (make dist and make test build it first)" >&2; exit 1; }
for tool in jq $([ "$only" = windows ] || echo makensis); do
	command -v $tool >/dev/null || { echo "$tool is missing: make dist installs it (make dist-deps)" >&2; exit 1; }
done

stage=$(mktemp -d)
syso=rosterdesk_windows_amd64.syso # only a windows/amd64 build links it
launcher_syso=build/windows/launcher/rosterdesk_windows_amd64.syso
# build/dist goes too when it was made only for the front end (DIST_ONLY=windows): rmdir leaves it if not empty.
trap 'rm -rf "$stage" "$syso" "$launcher_syso" "$pack"; rmdir build/dist 2>/dev/null || true' EXIT
rm -rf "$out" && mkdir -p "$out"
linux=rosterdesk-$VERSION-linux-amd64
exe=rosterdesk-$VERSION-windows-amd64.exe
setup=rosterdesk-$VERSION-windows-amd64-setup.exe
echo "Rosterdesk $VERSION (Windows file version $WINVERSION)"

# The front end goes in gzipped (-tags packed, assets_packed.go): 0.9 MB less in each program.
mkdir -p "$(dirname "$pack")" && cp -r frontend/dist "$pack"
find "$pack" -type f -exec sh -c 'gzip -9 -n -c "$1" >"$1.gz" && mv "$1.gz" "$1"' _ {} \;

if [ "$only" != windows ]; then
	echo "== Linux amd64"
	$GO build -trimpath "${gcflags[@]}" -tags $tags,$TAGS -ldflags "$ldflags" -o "$out/$linux" .
fi

echo "== Windows amd64"
# The templates in build/windows take the names from wails.json and the versions from git.
info() { jq -r ".info.$1 // \"\"" wails.json; }
render() {
	sed -e "s|{{.Name}}|$(jq -r .name wails.json)|g" -e "s|{{.Info.CompanyName}}|$(info companyName)|g" \
		-e "s|{{.Info.ProductName}}|$(info productName)|g" -e "s|{{.Info.Comments}}|$(info comments)|g" \
		-e "s|{{.Info.Copyright}}|$(info copyright)|g" "$1"
}
render build/windows/wails.exe.manifest >"$stage/app.manifest"
cp build/windows/icon.ico "$stage/icon.ico"
# resources FILENAME DESCRIPTION SYSO: the icon, manifest and version (the file properties Windows
# shows, FILENAME as the original file name) as SYSO, which the linker embeds in its package.
resources() {
	render build/windows/info.json |
		jq --arg v "$VERSION" --arg w "$WINVERSION" --arg file "$1" --arg what "$2" \
			'.fixed.file_version = $w | .fixed.product_version = $w | .info["0000"] += {ProductVersion: $v, FileVersion: $w, OriginalFilename: $file, FileDescription: $what}' >"$stage/version.json"
	jq -n --slurpfile v "$stage/version.json" \
		'{RT_GROUP_ICON: {APP: {"0000": "icon.ico"}}, RT_MANIFEST: {"#1": {"0409": "app.manifest"}}, RT_VERSION: {"#1": {"0000": $v[0]}}}' >"$stage/winres.json"
	(cd "$stage" && GOFLAGS= $GO run $GOWINRES make --in winres.json --arch amd64 --out rsrc)
	mv "$stage/rsrc_windows_amd64.syso" "$3"
}
resources Rosterdesk.exe "$(info productName)" "$syso"
# -H windowsgui: a desktop program, no console window behind it (a command run from cmd attaches to
# cmd's console: console_windows.go). Never packed with UPX: antivirus programs flag packed programs.
CGO_ENABLED=0 GOOS=windows GOARCH=amd64 $GO build -trimpath "${gcflags[@]}" -tags $tags \
	-ldflags "$ldflags -H windowsgui" -o "$out/$exe" .
rm -rf "$syso" "$pack"
if [ "$only" = windows ]; then
	size=$(stat -c %s "$out/$exe")
	awk -v f="$exe" -v s="$size" 'BEGIN { printf "%s: %.2f MiB (%d bytes), target under 25 MiB\n", f, s / 1048576, s }'
	[ "$size" -lt $((25 * 1024 * 1024)) ] || { echo "the Windows program is over 25 MiB" >&2; exit 1; }
	exit 0
fi
# Rosterdesk.com, which `rosterdesk` typed at a prompt runs (build/windows/launcher): a console program,
# with the same icon and version in its file properties, described as the command line.
resources Rosterdesk.com "$(info productName) command line" "$launcher_syso"
CGO_ENABLED=0 GOOS=windows GOARCH=amd64 $GO build -trimpath -ldflags "-w -s" -o "$stage/Rosterdesk.com" ./build/windows/launcher
rm "$launcher_syso"

echo "== Windows installer"
webview2=$($GO list -m -f '{{.Dir}}' github.com/wailsapp/wails/v2)/internal/webview2runtime/MicrosoftEdgeWebview2Setup.exe
# -V4 lists every instruction compiled: dist-check.sh reads what the installer does from it.
makensis -WX -V4 -DVERSION="$VERSION" -DWINVERSION="$WINVERSION" -DEXE="$PWD/$out/$exe" -DLAUNCHER="$stage/Rosterdesk.com" \
	-DWEBVIEW2SETUP="$webview2" -DOUTFILE="$PWD/$out/$setup" build/windows/installer/project.nsi >"$stage/makensis.log" 2>&1 ||
	{ tail -30 "$stage/makensis.log"; exit 1; }

(cd "$out" && sha256sum "$linux" "$exe" "$setup" >SHA256SUMS)
echo "== checks"
VERSION=$VERSION WINVERSION=$WINVERSION NSIS_LOG=$stage/makensis.log LAUNCHER=$stage/Rosterdesk.com scripts/dist-check.sh "$out"
if command -v wine >/dev/null && command -v x86_64-w64-mingw32-gcc >/dev/null && command -v tmux >/dev/null; then
	echo "== installed under Wine"
	VERSION=$VERSION scripts/dist-wine.sh "$out"
else
	echo "== not installed under Wine: apt-get install wine wine64 gcc-mingw-w64-x86-64-win32 tmux for scripts/dist-wine.sh"
fi
echo "== figures"
scripts/dist-figures.sh "$out"
