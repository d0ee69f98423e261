#!/usr/bin/env bash
# Checks the release files in DIR (default build/dist) as far as Linux allows: checksums; the Linux
# binary runs and says its version; the Windows program, a 64-bit desktop (GUI) program, and the
# console launcher LAUNCHER (Rosterdesk.com) each have the icon, a manifest that never asks for
# administrator rights, and VERSION/WINVERSION in their file properties; the installer (read with
# 7-Zip; what it does from makensis' listing), a 64-bit program, installs the same program and
# launcher per user under %LOCALAPPDATA%\Programs\Rosterdesk, adds a Start-menu entry and registers
# its uninstaller under HKCU, without touching HKLM. scripts/dist-wine.sh installs it under Wine;
# real Windows is not run here.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-build/dist}
: "${VERSION:?VERSION (git describe) is needed}" "${WINVERSION:?WINVERSION (A.B.C.N) is needed}" "${NSIS_LOG:?NSIS_LOG (makensis -V4 output) is needed}" \
	"${LAUNCHER:?LAUNCHER (the Rosterdesk.com built) is needed}"
linux=$dir/rosterdesk-$VERSION-linux-amd64
exe=$dir/rosterdesk-$VERSION-windows-amd64.exe
setup=$dir/rosterdesk-$VERSION-windows-amd64-setup.exe
tmp=$(mktemp -d)
problems=0
# resource LISTING PE PATTERN: prints the resource of PE whose path in LISTING (7z l -slt) matches.
resource() {
	local path
	path=$(sed -n 's/^Path = //p' "$1" | grep -E -m1 -- "$3") && 7z e -so -tPE "$2" "$path" 2>/dev/null
}
# expect WHAT FILE PATTERN...: each extended regular expression must match a line of FILE.
expect() {
	local what=$1 file=$2 p
	shift 2
	for p in "$@"; do
		grep -qE -- "$p" "$file" || { echo "FAIL $what: no line matches /$p/"; problems=$((problems + 1)); }
	done
}

(cd "$dir" && sha256sum --quiet -c SHA256SUMS) || { echo "FAIL checksums"; problems=$((problems + 1)); }

"$linux" version >"$tmp/linux-version" 2>&1 || true
expect "Linux binary" "$tmp/linux-version" "^rosterdesk $VERSION\$"

v=${WINVERSION//./\\.}
# program WHAT FILE NAME SUBSYSTEM: FILE is a 64-bit program of SUBSYSTEM (GUI, CUI: console) with
# the app's icon, a manifest that never asks for administrator rights, and the version in its file
# properties, NAME as its original file name.
program() {
	local what=$1 file=$2 name=$3 listing=$tmp/$3
	7z l -slt -tPE "$file" >"$listing" 2>&1 || true
	expect "$what" "$listing" '^CPU = x64' "^Subsystem = Windows $4\$" "^FileVersion: $v\$" "^ProductVersion: $v\$" \
		'^Path = \.rsrc/.*GROUP_ICON/' '^Path = \.rsrc/.*MANIFEST/1$'
	resource "$listing" "$file" '^\.rsrc/.*MANIFEST/1$' >"$listing.manifest" || true
	expect "$what's manifest" "$listing.manifest" 'requestedExecutionLevel level="asInvoker"'
	# 7-Zip shows the version resource as UTF-16 text.
	resource "$listing" "$file" '^\.rsrc/.*version\.txt$' | iconv -f UTF-16LE -t UTF-8 >"$listing.version" || true
	expect "$what's properties" "$listing.version" "ProductVersion.*\"$VERSION\"" "FileVersion.*\"$v\"" \
		'ProductName.*"Rosterdesk"' 'CompanyName.*"Rosterdesk"' "OriginalFilename.*\"${name//./\\.}\""
	# The icon: as many images as build/windows/icon.ico holds.
	local want got
	want=$(identify build/windows/icon.ico | wc -l)
	got=$(grep -cE '^Path = \.rsrc/.*/ICON/' "$listing" || true)
	[ "$got" -eq "$want" ] || { echo "FAIL $what: $got icon images, build/windows/icon.ico has $want"; problems=$((problems + 1)); }
}
program "Windows program" "$exe" Rosterdesk.exe GUI
program "Rosterdesk.com (the console launcher)" "$LAUNCHER" Rosterdesk.com CUI

7z l -slt -tPE "$setup" >"$tmp/setup-pe" 2>&1 || true
expect "installer" "$tmp/setup-pe" '^CPU = x64' "^FileVersion: $v\$" '^Subsystem = Windows GUI'
resource "$tmp/setup-pe" "$setup" '^\.rsrc/.*MANIFEST/1$' >"$tmp/setup-manifest" || true
expect "installer's manifest (no administrator prompt)" "$tmp/setup-manifest" 'requestedExecutionLevel level="asInvoker"'
7z l -slt "$setup" >"$tmp/setup" 2>&1 || true
expect "installer's files" "$tmp/setup" '^Path = Rosterdesk\.exe$' '^Path = Rosterdesk\.com$' '^Path = \$PLUGINSDIR/MicrosoftEdgeWebview2Setup\.exe$'
7z e -so "$setup" Rosterdesk.exe >"$tmp/installed.exe" 2>/dev/null || true
cmp -s "$tmp/installed.exe" "$exe" || { echo "FAIL installer: its Rosterdesk.exe is not $exe"; problems=$((problems + 1)); }
7z e -so "$setup" Rosterdesk.com >"$tmp/installed.com" 2>/dev/null || true
cmp -s "$tmp/installed.com" "$LAUNCHER" || { echo "FAIL installer: its Rosterdesk.com is not $LAUNCHER"; problems=$((problems + 1)); }
# What the installer does, as makensis compiled it (scripts/dist.sh keeps its -V4 listing in NSIS_LOG):
# this 7-Zip does not decompile an NSIS 3 script.
key='HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\Rosterdesk'
expect "installer's script" "$NSIS_LOG" '^InstallDir: "\$LOCALAPPDATA\\Programs\\Rosterdesk"' \
	'^CreateShortcut: "\$SMPROGRAMS\\Rosterdesk\.lnk"->"\$INSTDIR\\Rosterdesk\.exe"' '^WriteUninstaller: "\$INSTDIR\\uninstall\.exe"' \
	'^Delete: "\$INSTDIR\\Rosterdesk\.com"' \
	"^WriteRegStr: $key\\\\UninstallString=" "^WriteRegStr: $key\\\\DisplayVersion=$VERSION\$" "^DeleteRegKey: $key"
! grep -E '^(WriteReg|DeleteReg)[A-Za-z]*: HKLM' "$NSIS_LOG" || { echo "FAIL installer: writes to HKLM (needs administrator rights)"; problems=$((problems + 1)); }

[ $problems -eq 0 ] || { echo "$problems problems in the release files (their listings were in $tmp)"; exit 1; }
rm -rf "$tmp"
echo "release files checked: checksums; Linux binary says $VERSION; Windows program x64 GUI and Rosterdesk.com x64 console, each with icon, asInvoker manifest, version $WINVERSION ($VERSION); 64-bit installer per user (%LOCALAPPDATA%\\Programs\\Rosterdesk, Start menu, uninstaller under HKCU), same program inside"
