# Rosterdesk's Windows installer. scripts/dist.sh compiles it with makensis (Debian's nsis package, or
# NSIS on Windows), warnings treated as errors:
#   makensis -WX -DVERSION=<git describe> -DWINVERSION=<a.b.c.d> -DEXE=<Rosterdesk.exe>
#            -DLAUNCHER=<Rosterdesk.com> -DWEBVIEW2SETUP=<MicrosoftEdgeWebview2Setup.exe>
#            -DOUTFILE=<installer.exe> project.nsi
# It installs for the current user only: no administrator prompt, files under
# %LOCALAPPDATA%\Programs\Rosterdesk, a Start-menu entry, and an uninstaller registered under HKCU so
# that Settings > Apps lists it. The workspace (%APPDATA%\Rosterdesk) is the registrar's data: neither
# the installer nor the uninstaller touches it.
# A 64-bit installer for a 64-bit program (32-bit Windows refuses to start either): it sees the
# registry and folders as Rosterdesk does, and Wine without 32-bit support can run it (dist-wine.sh).
Target amd64-unicode
ManifestDPIAware true
RequestExecutionLevel user
SetCompressor /SOLID lzma

!define PRODUCT "Rosterdesk"
!define COMPANY "Rosterdesk"
!define EXE_NAME "Rosterdesk.exe"
# The command line's Rosterdesk (build/windows/launcher): `rosterdesk` typed at a prompt runs it.
!define LAUNCHER_NAME "Rosterdesk.com"
!define UNINST_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\Rosterdesk"
# The WebView2 runtime's client id: its version ("pv") is set once the runtime is installed.
!define WEBVIEW2_KEY "Microsoft\EdgeUpdate\Clients\{F3017226-FE2A-4295-8BDF-00C3A9A7E4C5}"

!include "MUI2.nsh"
!include "LogicLib.nsh"
!include "WinVer.nsh"
!include "x64.nsh"
!include "FileFunc.nsh"

Name "${PRODUCT}"
OutFile "${OUTFILE}"
InstallDir "$LOCALAPPDATA\Programs\${PRODUCT}"
InstallDirRegKey HKCU "${UNINST_KEY}" "InstallLocation"
ShowInstDetails show
ShowUninstDetails show

# The file properties of the installer itself; the four-part number is what Windows compares.
VIProductVersion "${WINVERSION}"
VIFileVersion "${WINVERSION}"
VIAddVersionKey "CompanyName" "${COMPANY}"
VIAddVersionKey "FileDescription" "${PRODUCT} installer"
VIAddVersionKey "ProductName" "${PRODUCT}"
VIAddVersionKey "ProductVersion" "${VERSION}"
VIAddVersionKey "FileVersion" "${WINVERSION}"
VIAddVersionKey "LegalCopyright" "Copyright © Rosterdesk maintainers"

!define MUI_ICON "..\icon.ico"
!define MUI_UNICON "..\icon.ico"
!define MUI_ABORTWARNING
!define MUI_FINISHPAGE_RUN "$INSTDIR\${EXE_NAME}"
!define MUI_FINISHPAGE_RUN_TEXT "Open ${PRODUCT}"
!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "English"

Function .onInit
	${IfNot} ${AtLeastWin10}
		MessageBox MB_OK|MB_ICONSTOP "${PRODUCT} needs Windows 10 or later." /SD IDOK
		Abort
	${EndIf}
	${IfNot} ${IsNativeAMD64}
		MessageBox MB_OK|MB_ICONSTOP "${PRODUCT} needs 64-bit (x64) Windows." /SD IDOK
		Abort
	${EndIf}
FunctionEnd

# The window draws with Microsoft's WebView2 runtime, present on current Windows 10 and 11; where it
# is missing, Microsoft's small bootstrapper installs it for this user.
Function InstallWebView2
	SetRegView 64
	ReadRegStr $0 HKLM "SOFTWARE\WOW6432Node\${WEBVIEW2_KEY}" "pv"
	${If} $0 == ""
		ReadRegStr $0 HKCU "Software\${WEBVIEW2_KEY}" "pv"
	${EndIf}
	${If} $0 == ""
		DetailPrint "Installing the Microsoft WebView2 runtime"
		InitPluginsDir
		File "/oname=$PLUGINSDIR\MicrosoftEdgeWebview2Setup.exe" "${WEBVIEW2SETUP}"
		ExecWait '"$PLUGINSDIR\MicrosoftEdgeWebview2Setup.exe" /silent /install'
	${EndIf}
FunctionEnd

Section "Rosterdesk"
	SetShellVarContext current
	Call InstallWebView2
	SetOutPath "$INSTDIR"
	File "/oname=${EXE_NAME}" "${EXE}"
	File "/oname=${LAUNCHER_NAME}" "${LAUNCHER}"
	CreateShortcut "$SMPROGRAMS\${PRODUCT}.lnk" "$INSTDIR\${EXE_NAME}"
	WriteUninstaller "$INSTDIR\uninstall.exe"

	WriteRegStr HKCU "${UNINST_KEY}" "DisplayName" "${PRODUCT}"
	WriteRegStr HKCU "${UNINST_KEY}" "DisplayVersion" "${VERSION}"
	WriteRegStr HKCU "${UNINST_KEY}" "Publisher" "${COMPANY}"
	WriteRegStr HKCU "${UNINST_KEY}" "DisplayIcon" "$INSTDIR\${EXE_NAME}"
	WriteRegStr HKCU "${UNINST_KEY}" "InstallLocation" "$INSTDIR"
	WriteRegStr HKCU "${UNINST_KEY}" "UninstallString" "$\"$INSTDIR\uninstall.exe$\""
	WriteRegStr HKCU "${UNINST_KEY}" "QuietUninstallString" "$\"$INSTDIR\uninstall.exe$\" /S"
	WriteRegDWORD HKCU "${UNINST_KEY}" "NoModify" 1
	WriteRegDWORD HKCU "${UNINST_KEY}" "NoRepair" 1
	${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
	WriteRegDWORD HKCU "${UNINST_KEY}" "EstimatedSize" $0
SectionEnd

Section "Uninstall"
	SetShellVarContext current
	Delete "$SMPROGRAMS\${PRODUCT}.lnk"
	Delete "$INSTDIR\${EXE_NAME}"
	Delete "$INSTDIR\${LAUNCHER_NAME}"
	Delete "$INSTDIR\uninstall.exe"
	RMDir "$INSTDIR" # only if empty: never files the user put there
	RMDir /r "$APPDATA\${EXE_NAME}" # WebView2's cache for the window, not the workspace
	DeleteRegKey HKCU "${UNINST_KEY}"
SectionEnd
