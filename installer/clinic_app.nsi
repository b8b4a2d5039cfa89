; NSIS 3 script of the Windows installer of the business-clinic desktop app (see README.md beside it).
;
; It wraps a Windows build folder made by PyInstaller on Windows (clinic_app.spec) and compiles with
; makensis 3 on Windows or on Linux (Debian's `nsis` package), so any machine can make the installer:
;   make installer BUILD_DIR=dist/clinic-app
;   makensis -WX -DAPP_VERSION=0.1.0 -DBUILD_DIR=/abs/dist/clinic-app -DOUT_DIR=/abs/dist installer/clinic_app.nsi
; (the second is what the first runs). It writes OUT_DIR/clinic-app-setup-<version>.exe (OUT_DIR: dist/
; by default). makensis changes into this folder first, so relative BUILD_DIR and OUT_DIR are taken from
; installer/: pass absolute paths.
; APP_VERSION defaults to clinic_app/__init__.py's __version__, the one place the project keeps it.
;
; Command line of the installer (for deployment tools):
;   /S              silent
;   /NOSELFCHECK    do not run the installed program's self-check
;   /LANG=english   English wizard (for a support person); Persian otherwise, whatever the Windows language
;   /D=C:\path      install folder (must be last, no quotes)
; Exit status: 0 installed; 1 cancelled; 2 aborted (not an administrator, not 64-bit Windows 10+, the
; program still running); 3 installed, but the self-check failed.
;
; Per-machine install under Program Files (administrator rights). The uninstaller removes only what the
; installer put there: each user's data (database, attachments, backups, settings, logs) lives in that
; user's %LOCALAPPDATA%\BusinessClinics\ClinicApp, outside the install folder, and stays; a reinstall or
; an upgrade finds it there.
;
; UTF-8 with a byte-order mark: makensis reads the Persian text below as UTF-8 only so, on every system.

Unicode true
ManifestDPIAware true
ManifestSupportedOS all
SetCompressor /SOLID lzma
RequestExecutionLevel admin

!define APP_ID "{A04E156C-AFE7-49BD-8038-FC9EF88FA7A0}"
!define APP_EXE "ClinicApp.exe"
!define CLI_EXE "clinic-app.exe"
!define UNINSTALLER "uninstall.exe"
!define UNINST_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\${APP_ID}"
!define PUBLISHER "Business Clinics"
!define PRODUCT_NAME "سامانهٔ کلینیک کسب‌وکار"
; Shortcut names are Persian in every wizard language, so the uninstaller finds the ones the installer made.
!define MENU_FOLDER "کلینیک کسب‌وکار"
!define APP_LINK "کلینیک کسب‌وکار.lnk"
!define SELFCHECK_LINK "خودآزمایی کلینیک کسب‌وکار.lnk"
!define UNINSTALL_LINK "حذف کلینیک کسب‌وکار.lnk"
!define SELFCHECK_FAILED_EXIT 3
; Left-to-right marks around a Windows path in Persian text keep its % and \ in place when shown
; right to left.
!define LRM "${U+200E}"

!ifndef APP_VERSION
  !searchparse /file "..\clinic_app\__init__.py" `__version__ = "` APP_VERSION `"`
!endif
!ifndef BUILD_DIR
  !define BUILD_DIR "..\dist\clinic-app"
!endif
!ifndef OUT_DIR
  !define OUT_DIR "..\dist"
!endif

; The build folder must be a Windows one: a Linux build (or none) would make an installer of nothing.
!if ! /FileExists "${BUILD_DIR}\${CLI_EXE}"
  !error "${BUILD_DIR} has no ${CLI_EXE}: build the app on Windows first (pyinstaller installer\clinic_app.spec, see installer/README.md) and pass its folder as BUILD_DIR"
!endif
!if ! /FileExists "${BUILD_DIR}\${APP_EXE}"
  !error "${BUILD_DIR} has no ${APP_EXE}: build the app on Windows first (pyinstaller installer\clinic_app.spec, see installer/README.md) and pass its folder as BUILD_DIR"
!endif
!if ! /FileExists "${BUILD_DIR}\_internal\*"
  !error "${BUILD_DIR} has no _internal folder: it is not a PyInstaller one-folder build of installer\clinic_app.spec"
!endif

; Windows wants four numbers in the file version: the digits of a PEP 440 version before any suffix
; (0.2.0rc1, 0.2.0.dev3, 0.2.0+local); the whole version stays in ProductVersion and DisplayVersion.
!searchparse /noerrors "${APP_VERSION}" `` VER_MAJOR `.` VER_MINOR `.` VER_PATCH
!define /IfNDef VER_MINOR 0
!define /IfNDef VER_PATCH 0
!searchparse /noerrors "${VER_PATCH}" `` VER_PATCH `.`
!searchparse /noerrors "${VER_PATCH}" `` VER_PATCH `+`
!searchparse /noerrors "${VER_PATCH}" `` VER_PATCH `a`
!searchparse /noerrors "${VER_PATCH}" `` VER_PATCH `b`
!searchparse /noerrors "${VER_PATCH}" `` VER_PATCH `rc`

Name "${PRODUCT_NAME}"
OutFile "${OUT_DIR}\clinic-app-setup-${APP_VERSION}.exe"
InstallDir "$PROGRAMFILES64\ClinicApp"
BrandingText "${PRODUCT_NAME} ${APP_VERSION}"
ShowInstDetails show
ShowUninstDetails show

!include MUI2.nsh
!include LogicLib.nsh
!include FileFunc.nsh
!include x64.nsh
!include WinVer.nsh

Var SkipSelfCheck

!define MUI_ABORTWARNING
!define MUI_UNABORTWARNING
!define MUI_COMPONENTSPAGE_SMALLDESC

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_COMPONENTS
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!define MUI_FINISHPAGE_RUN
!define MUI_FINISHPAGE_RUN_TEXT "$(LaunchApp)"
!define MUI_FINISHPAGE_RUN_FUNCTION LaunchAsShellUser
!insertmacro MUI_PAGE_FINISH

!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!define MUI_FINISHPAGE_TEXT "$(DataKept)"
!insertmacro MUI_UNPAGE_FINISH

; The first language is the default one; .onInit picks Persian whatever the Windows UI language.
!insertmacro MUI_LANGUAGE "Farsi"
!insertmacro MUI_LANGUAGE "English"

LangString SecAppName ${LANG_FARSI} "برنامهٔ کلینیک کسب‌وکار"
LangString SecAppName ${LANG_ENGLISH} "Business Clinic program"
LangString SecAppDesc ${LANG_FARSI} "برنامه، منوی شروع (برنامه، خودآزمایی، حذف برنامه) و ثبت در «برنامه‌ها و ویژگی‌ها»."
LangString SecAppDesc ${LANG_ENGLISH} "The program, its Start-menu folder (the program, self-check, uninstall) and its Apps & features entry."
LangString SecDesktopName ${LANG_FARSI} "میان‌بر روی میز کار"
LangString SecDesktopName ${LANG_ENGLISH} "Desktop shortcut"
LangString SecDesktopDesc ${LANG_FARSI} "میان‌بر برنامه روی میز کار همهٔ کاربران."
LangString SecDesktopDesc ${LANG_ENGLISH} "A shortcut to the program on every user's desktop."
LangString LaunchApp ${LANG_FARSI} "اجرای کلینیک کسب‌وکار"
LangString LaunchApp ${LANG_ENGLISH} "Run Business Clinic"
LangString SelfCheckRunning ${LANG_FARSI} "بررسی سلامت برنامهٔ نصب‌شده..."
LangString SelfCheckRunning ${LANG_ENGLISH} "Checking the installed program..."
LangString SelfCheckSkipped ${LANG_FARSI} "خودآزمایی به درخواست شما (/NOSELFCHECK) اجرا نشد."
LangString SelfCheckSkipped ${LANG_ENGLISH} "Self-check skipped (/NOSELFCHECK)."
LangString SelfCheckPassed ${LANG_FARSI} "خودآزمایی: درست است."
LangString SelfCheckPassed ${LANG_ENGLISH} "Self-check: passed."
LangString SelfCheckFailed ${LANG_FARSI} "برنامه نصب شد، ولی خودآزمایی آن شکست خورد. از منوی شروع «خودآزمایی کلینیک کسب‌وکار» را اجرا کنید و خروجی آن را برای پشتیبانی بفرستید."
LangString SelfCheckFailed ${LANG_ENGLISH} 'The program was installed, but its self-check failed. Run "Business Clinic self-check" from the Start menu and send its output to support.'
LangString DataKept ${LANG_FARSI} "برنامه حذف شد. داده‌های شما (پایگاه داده، پیوست‌ها، پشتیبان‌ها و تنظیمات) پاک نشده‌اند و در پوشهٔ ${LRM}%LOCALAPPDATA%\BusinessClinics\ClinicApp${LRM} هر کاربر مانده‌اند؛ با نصب دوبارهٔ برنامه همه سر جایشان هستند."
LangString DataKept ${LANG_ENGLISH} "The program was removed. Your data (database, attachments, backups and settings) was not deleted: it stays in each user's %LOCALAPPDATA%\BusinessClinics\ClinicApp folder, and a reinstall finds it there."
LangString AppRunning ${LANG_FARSI} "کلینیک کسب‌وکار هنوز باز است. آن را ببندید (در همهٔ حساب‌های کاربری) و «تلاش دوباره» را بزنید."
LangString AppRunning ${LANG_ENGLISH} "Business Clinic is still running. Close it (in every user account) and press Retry."
LangString NeedsAdmin ${LANG_FARSI} "برای نصب یا حذف این برنامه دسترسی مدیر سیستم (Administrator) لازم است."
LangString NeedsAdmin ${LANG_ENGLISH} "Installing or removing this program needs administrator rights."
LangString NeedsWin10x64 ${LANG_FARSI} "این برنامه به ویندوز ۱۰ یا تازه‌تر، نسخهٔ ۶۴ بیتی، نیاز دارد."
LangString NeedsWin10x64 ${LANG_ENGLISH} "This program needs 64-bit Windows 10 or later."

VIProductVersion "${VER_MAJOR}.${VER_MINOR}.${VER_PATCH}.0"
VIFileVersion "${VER_MAJOR}.${VER_MINOR}.${VER_PATCH}.0"
VIAddVersionKey /LANG=${LANG_ENGLISH} "ProductName" "Clinic App"
VIAddVersionKey /LANG=${LANG_ENGLISH} "ProductVersion" "${APP_VERSION}"
VIAddVersionKey /LANG=${LANG_ENGLISH} "FileVersion" "${APP_VERSION}"
VIAddVersionKey /LANG=${LANG_ENGLISH} "FileDescription" "Business Clinic ${APP_VERSION} setup"
VIAddVersionKey /LANG=${LANG_ENGLISH} "CompanyName" "${PUBLISHER}"
VIAddVersionKey /LANG=${LANG_ENGLISH} "LegalCopyright" "${PUBLISHER}"

; Persian unless /LANG=english; the same for the uninstaller.
!macro PICK_LANGUAGE
  ${GetParameters} $R0
  ClearErrors
  ${GetOptions} $R0 "/LANG=" $R1
  ${If} $R1 == "english"
    StrCpy $LANGUAGE ${LANG_ENGLISH}
  ${Else}
    StrCpy $LANGUAGE ${LANG_FARSI}
  ${EndIf}
!macroend

!macro REQUIRE_ADMIN
  UserInfo::GetAccountType
  Pop $R2
  ${If} $R2 != "admin"
    MessageBox MB_OK|MB_ICONSTOP "$(NeedsAdmin)" /SD IDOK
    SetErrorLevel 2
    Quit
  ${EndIf}
!macroend

; A running program keeps its .exe files locked: replacing or deleting the bundle under it would fail
; halfway and leave a broken install. Opening an .exe for writing fails exactly while it runs.
!macro WAIT_UNTIL_CLOSED un
  Function ${un}WaitUntilClosed
    retry:
    StrCpy $R3 0
    ${If} ${FileExists} "$INSTDIR\${APP_EXE}"
      ClearErrors
      FileOpen $R4 "$INSTDIR\${APP_EXE}" a
      ${If} ${Errors}
        StrCpy $R3 1
      ${Else}
        FileClose $R4
      ${EndIf}
    ${EndIf}
    ${If} ${FileExists} "$INSTDIR\${CLI_EXE}"
      ClearErrors
      FileOpen $R4 "$INSTDIR\${CLI_EXE}" a
      ${If} ${Errors}
        StrCpy $R3 1
      ${Else}
        FileClose $R4
      ${EndIf}
    ${EndIf}
    ${If} $R3 = 1
      MessageBox MB_RETRYCANCEL|MB_ICONEXCLAMATION "$(AppRunning)" /SD IDCANCEL IDRETRY retry
      SetErrorLevel 2
      Abort
    ${EndIf}
  FunctionEnd
!macroend
!insertmacro WAIT_UNTIL_CLOSED ""
!insertmacro WAIT_UNTIL_CLOSED "un."

Function .onInit
  !insertmacro PICK_LANGUAGE
  ${IfNot} ${RunningX64}
  ${OrIfNot} ${AtLeastBuild} 10240
    MessageBox MB_OK|MB_ICONSTOP "$(NeedsWin10x64)" /SD IDOK
    SetErrorLevel 2
    Quit
  ${EndIf}
  !insertmacro REQUIRE_ADMIN
  SetShellVarContext all
  SetRegView 64
  ; An upgrade goes where the installed version is, unless /D= chose another folder.
  ${If} $INSTDIR == "$PROGRAMFILES64\ClinicApp"
    ReadRegStr $R5 HKLM "${UNINST_KEY}" "InstallLocation"
    ${If} $R5 != ""
      StrCpy $INSTDIR $R5
    ${EndIf}
  ${EndIf}
  ClearErrors
  ${GetOptions} $R0 "/NOSELFCHECK" $R1
  ${If} ${Errors}
    StrCpy $SkipSelfCheck 0
  ${Else}
    StrCpy $SkipSelfCheck 1
  ${EndIf}
FunctionEnd

Section "!$(SecAppName)" SecApp
  SectionIn RO
  Call WaitUntilClosed
  SetOutPath "$INSTDIR"
  ; An upgrade replaces the bundle whole: libraries of the old version must not linger beside the new ones.
  RMDir /r "$INSTDIR\_internal"
  ; The layout of PyInstaller's one-folder build, named one by one so the uninstaller can remove exactly
  ; these: ClinicApp.exe (no console window, for the shortcuts), clinic-app.exe (console: the command
  ; line, --self-check, doctor, backup, restore) and _internal\ (Python, Qt, the app, resources\).
  File "${BUILD_DIR}\${APP_EXE}"
  File "${BUILD_DIR}\${CLI_EXE}"
  File /r "${BUILD_DIR}\_internal"
  WriteUninstaller "$INSTDIR\${UNINSTALLER}"

  CreateDirectory "$SMPROGRAMS\${MENU_FOLDER}"
  CreateShortcut "$SMPROGRAMS\${MENU_FOLDER}\${APP_LINK}" "$INSTDIR\${APP_EXE}"
  ; cmd /k keeps the window open so the user can read the result (and send it to support).
  CreateShortcut "$SMPROGRAMS\${MENU_FOLDER}\${SELFCHECK_LINK}" "$SYSDIR\cmd.exe" \
    '/k ""$INSTDIR\${CLI_EXE}" --self-check"' "$INSTDIR\${CLI_EXE}" 0
  CreateShortcut "$SMPROGRAMS\${MENU_FOLDER}\${UNINSTALL_LINK}" "$INSTDIR\${UNINSTALLER}"

  WriteRegStr HKLM "${UNINST_KEY}" "DisplayName" "${PRODUCT_NAME}"
  WriteRegStr HKLM "${UNINST_KEY}" "DisplayVersion" "${APP_VERSION}"
  WriteRegStr HKLM "${UNINST_KEY}" "Publisher" "${PUBLISHER}"
  WriteRegStr HKLM "${UNINST_KEY}" "DisplayIcon" "$INSTDIR\${APP_EXE},0"
  WriteRegStr HKLM "${UNINST_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKLM "${UNINST_KEY}" "UninstallString" '"$INSTDIR\${UNINSTALLER}"'
  WriteRegStr HKLM "${UNINST_KEY}" "QuietUninstallString" '"$INSTDIR\${UNINSTALLER}" /S'
  WriteRegDWORD HKLM "${UNINST_KEY}" "NoModify" 1
  WriteRegDWORD HKLM "${UNINST_KEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $R6 $R7 $R8
  WriteRegDWORD HKLM "${UNINST_KEY}" "EstimatedSize" $R6
SectionEnd

Section "$(SecDesktopName)" SecDesktop
  SetOutPath "$INSTDIR"
  CreateShortcut "$DESKTOP\${APP_LINK}" "$INSTDIR\${APP_EXE}"
SectionEnd

; Last, once everything is in place: a missing system library or a damaged copy shows here, not when a
; consultant first opens the program. It works on a scratch database in the temp folder, never on anyone's
; data.
Section "-SelfCheck"
  ${If} $SkipSelfCheck = 1
    DetailPrint "$(SelfCheckSkipped)"
    Return
  ${EndIf}
  DetailPrint "$(SelfCheckRunning)"
  SetOutPath "$INSTDIR"
  nsExec::ExecToLog /TIMEOUT=600000 '"$INSTDIR\${CLI_EXE}" --self-check'
  Pop $R9
  ${If} $R9 == "0"
    DetailPrint "$(SelfCheckPassed)"
  ${Else}
    DetailPrint "$(SelfCheckFailed) ($R9)"
    MessageBox MB_OK|MB_ICONEXCLAMATION "$(SelfCheckFailed)" /SD IDOK
    SetErrorLevel ${SELFCHECK_FAILED_EXIT}
  ${EndIf}
SectionEnd

!insertmacro MUI_FUNCTION_DESCRIPTION_BEGIN
  !insertmacro MUI_DESCRIPTION_TEXT ${SecApp} "$(SecAppDesc)"
  !insertmacro MUI_DESCRIPTION_TEXT ${SecDesktop} "$(SecDesktopDesc)"
!insertmacro MUI_FUNCTION_DESCRIPTION_END

; Started through Explorer, the program runs as the signed-in user rather than elevated: it makes its data
; folder in the %LOCALAPPDATA% of whoever runs it, which must not be the administrator's when an
; administrator's password was typed into the elevation prompt.
Function LaunchAsShellUser
  Exec '"$WINDIR\explorer.exe" "$INSTDIR\${APP_EXE}"'
FunctionEnd

Function un.onInit
  !insertmacro PICK_LANGUAGE
  !insertmacro REQUIRE_ADMIN
  SetShellVarContext all
  SetRegView 64
FunctionEnd

; Only what the installer made. No recursive delete of $INSTDIR: a file someone put in the install folder
; survives, and the folder stays with it.
Section "Uninstall"
  Call un.WaitUntilClosed
  Delete "$DESKTOP\${APP_LINK}"
  Delete "$SMPROGRAMS\${MENU_FOLDER}\${APP_LINK}"
  Delete "$SMPROGRAMS\${MENU_FOLDER}\${SELFCHECK_LINK}"
  Delete "$SMPROGRAMS\${MENU_FOLDER}\${UNINSTALL_LINK}"
  RMDir "$SMPROGRAMS\${MENU_FOLDER}"
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\${APP_EXE}"
  Delete "$INSTDIR\${CLI_EXE}"
  Delete "$INSTDIR\${UNINSTALLER}"
  RMDir "$INSTDIR"
  DeleteRegKey HKLM "${UNINST_KEY}"
  DetailPrint "$(DataKept)"
SectionEnd
