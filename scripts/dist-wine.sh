#!/usr/bin/env bash
# Installs the Windows release in DIR (default build/dist) under Wine, as far as Linux can try it:
# in a new 64-bit Wine prefix, the installer run silently (/S) installs per user (the files under the
# user's AppData\Local\Programs\Rosterdesk, the Start-menu shortcut, the uninstaller registered under
# HKCU and nothing under HKLM); the installed Rosterdesk.com says its version, runs a headless
# generate, connection add (a secret piped, and one typed at Wine's console, through the launcher into
# Wine's Credential Manager), import and roster counts on the default workspace (AppData\Roaming\Rosterdesk), and passes
# a failing command's exit code back; the silent uninstaller removes the program, its shortcut and
# its registration and keeps the workspace.
# Not tried: the window (Wine has no WebView2), Ctrl+C, cmd and PowerShell, real Windows.
# Needs wine (Debian's wine and wine64) and, as Debian 12's Wine 8 lacks the bcryptprimitives.dll Go
# programs need, the MinGW-w64 C compiler to build one for the prefix (build/windows/wine).
# make dist runs it when both are installed; VERSION is the version the programs say.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-build/dist}
: "${VERSION:?VERSION (git describe) is needed}"
setup=$(realpath "$dir/rosterdesk-$VERSION-windows-amd64-setup.exe")
for tool in wine x86_64-w64-mingw32-gcc tmux; do
	command -v $tool >/dev/null || { echo "$tool is missing: apt-get install wine wine64 gcc-mingw-w64-x86-64-win32 tmux" >&2; exit 1; }
done
# The 64-bit loader: the installer and the program are 64-bit, and a machine without 32-bit support
# (this kernel's ia32 emulation may be off) cannot start Debian's 32-bit one.
wine64=$(command -v wine64 || echo /usr/lib/wine/wine64)

tmp=$(mktemp -d)
export WINEPREFIX=$tmp/prefix WINEARCH=win64 WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml=" DISPLAY=
trap 'wineserver -k 2>/dev/null || true; rm -rf "$tmp"' EXIT
problems=0
fail() { echo "FAIL $*"; problems=$((problems + 1)); }
# stop: after a failed step the next ones would only fail for the same reason.
stop() { [ $problems -eq 0 ] || { echo "$problems problems under Wine (its files are in $tmp)"; trap - EXIT; exit 1; }; }
win() { timeout 300 "$wine64" "$@"; }

echo "a new Wine prefix ($("$wine64" --version))"
win wineboot -i >"$tmp/wineboot.log" 2>&1
win winecfg -v win10 >>"$tmp/wineboot.log" 2>&1 # a prefix says Windows 7, which the installer refuses
sys32=$WINEPREFIX/drive_c/windows/system32
[ -f "$sys32/bcryptprimitives.dll" ] || x86_64-w64-mingw32-gcc -O2 -shared -nostdlib -Wl,--entry,0 -o "$sys32/bcryptprimitives.dll" \
	build/windows/wine/bcryptprimitives.c build/windows/wine/bcryptprimitives.def -ladvapi32
# The window's WebView2 runtime is taken as there, so that the installer does not run Microsoft's
# bootstrapper, which would download it.
win reg add 'HKCU\Software\Microsoft\EdgeUpdate\Clients\{F3017226-FE2A-4295-8BDF-00C3A9A7E4C5}' /v pv /d 1.0.0.0 /f >/dev/null 2>&1

user=${USER:-$(id -un)} # Wine's name for the user, as it names the profile
home=$WINEPREFIX/drive_c/users/$user
installdir=$home/AppData/Local/Programs/Rosterdesk
workspace=$home/AppData/Roaming/Rosterdesk/workspace.db
shortcut="$home/AppData/Roaming/Microsoft/Windows/Start Menu/Programs/Rosterdesk.lnk"
key='HKCU\Software\Microsoft\Windows\CurrentVersion\Uninstall\Rosterdesk'
rd() { win "C:\\users\\$user\\AppData\\Local\\Programs\\Rosterdesk\\Rosterdesk.com" "$@"; }

echo "installer /S"
win "$setup" /S >"$tmp/setup.log" 2>&1 || fail "the installer exited with $?: $(tail -3 "$tmp/setup.log")"
wineserver -w
for f in Rosterdesk.exe Rosterdesk.com uninstall.exe; do
	[ -f "$installdir/$f" ] || fail "the installer did not install $f in AppData\\Local\\Programs\\Rosterdesk"
done
cmp -s "$installdir/Rosterdesk.exe" "$dir/rosterdesk-$VERSION-windows-amd64.exe" || fail "the installed Rosterdesk.exe is not the release's"
[ -f "$shortcut" ] || fail "no Start-menu shortcut"
win reg query "$key" >"$tmp/uninst" 2>&1 || fail "no uninstaller registered under HKCU"
grep -q "DisplayVersion.*$VERSION" "$tmp/uninst" || fail "the registered DisplayVersion is not $VERSION: $(tr -d '\r' <"$tmp/uninst")"
grep -qi 'UninstallString.*uninstall\.exe' "$tmp/uninst" || fail "no UninstallString"
! win reg query 'HKLM\Software\Microsoft\Windows\CurrentVersion\Uninstall\Rosterdesk' >/dev/null 2>&1 || fail "registered under HKLM"
stop

echo "Rosterdesk.com version, generate, connection add, import, roster counts"
got=$(rd version 2>&1 | tr -d '\r') || true
[ "$got" = "rosterdesk $VERSION" ] || fail "Rosterdesk.com version said: $got"
export ROSTERDESK_SECRETS=keychain # Windows' Credential Manager, as Wine has it; never the fallback file
rd generate --out 'C:\district.zip' --users 200 >"$tmp/generate" 2>&1 || fail "generate: $(tr -d '\r' <"$tmp/generate")"
rd connection add District --kind oneroster-csv --set 'path=C:\district.zip' >"$tmp/add" 2>&1 || fail "connection add: $(tr -d '\r' <"$tmp/add")"
echo 's3cret-from-a-pipe' | rd connection add Drop --kind oneroster-sftp --set host=sftp.example.org --set username=registrar \
	--set remotePath=/exports/oneroster.zip --secret password >"$tmp/add-sftp" 2>&1 || fail "connection add --secret: $(tr -d '\r' <"$tmp/add-sftp")"
rd connection show Drop >"$tmp/show" 2>&1 || fail "connection show: $(tr -d '\r' <"$tmp/show")"
grep -q 'secrets: password (kept in the system keychain)' "$tmp/show" || fail "connection show Drop: $(tr -d '\r' <"$tmp/show")"
# A secret typed at the console: Wine's console in a terminal, which tmux types into (its own server,
# so that the command has this environment).
tmux -L "rosterdesk-wine-$$" new-session -d -x 200 -y 20 "$(printf '%q ' "$wine64" "C:\\users\\$user\\AppData\\Local\\Programs\\Rosterdesk\\Rosterdesk.com" \
	connection add Typed --kind oneroster-sftp --set host=sftp.example.org --set username=registrar --set remotePath=/x.zip --secret password); echo \$? >$tmp/typed"
sleep 5
tmux -L "rosterdesk-wine-$$" send-keys 's3cret-typed' C-m
for _ in $(seq 60); do [ -s "$tmp/typed" ] && break; sleep 1; done
tmux -L "rosterdesk-wine-$$" kill-server 2>/dev/null || true
[ "$(cat "$tmp/typed" 2>/dev/null)" = 0 ] || fail "connection add with a secret typed at the console did not finish with 0: $(cat "$tmp/typed" 2>/dev/null)"
rd connection show Typed 2>&1 | grep -q 'secrets: password (kept in the system keychain)' || fail "the secret typed at the console was not kept"
rd import District >"$tmp/import" 2>&1 || fail "import: $(tail -5 "$tmp/import" | tr -d '\r')"
rd roster counts --json >"$tmp/counts" 2>&1 || fail "roster counts: $(tr -d '\r' <"$tmp/counts")"
grep -qE '"users": [1-9]' "$tmp/counts" || fail "roster counts after the import: $(tr -d '\r' <"$tmp/counts")"
[ -f "$workspace" ] || fail "no workspace in AppData\\Roaming\\Rosterdesk"
code=0
rd runs show 999999 >"$tmp/missing" 2>&1 || code=$?
[ $code -ne 0 ] || fail "runs show of a missing run exited 0 through Rosterdesk.com"
stop

echo "uninstaller /S"
win "$installdir/uninstall.exe" /S >"$tmp/uninstall.log" 2>&1 || fail "the uninstaller exited with $?"
wineserver -w # it runs from a copy of itself, which it starts and leaves to finish
[ ! -e "$installdir" ] || fail "the uninstaller left $(ls "$installdir" | tr '\n' ' ')in the program's folder"
[ ! -e "$shortcut" ] || fail "the uninstaller left the Start-menu shortcut"
! win reg query "$key" >/dev/null 2>&1 || fail "the uninstaller left its registration"
[ -f "$workspace" ] || fail "the uninstaller removed the workspace"

stop
echo "under Wine: installed per user (AppData\\Local\\Programs\\Rosterdesk, Start menu, HKCU), Rosterdesk.com said $VERSION, generated, added connections (secrets piped and typed), imported, passed an exit code back; uninstalled, workspace kept"
