; Inno Setup 6 script: the Windows installer of the business-clinic desktop app.
;
; Build the frozen app first (on Windows):   make dist      (or the pyinstaller command in README.md)
; then compile:                               iscc installer\clinic_app.iss
; which writes dist\clinic-app-setup-<version>.exe. The version is read from pyproject.toml ([project]
; version); `iscc /DAppVersion=1.2.3 installer\clinic_app.iss` overrides it.
;
; The installer is in Persian (with English as a second choice): it needs Farsi.isl, Inno Setup's
; user-contributed Farsi translation, beside this file (installer\Farsi.isl); README.md says where to get it.
;
; Per-machine install under Program Files (administrator rights). The uninstaller removes the program
; files only: every user's data (database, attachments, backups, settings, logs) lives in that user's
; %LOCALAPPDATA%\BusinessClinics\ClinicApp, outside the install folder, and is never touched; a backup
; folder chosen in the settings (a USB disk, a share) is not touched either. Reinstalling or upgrading
; finds the data where it was.
;
; This file is UTF-8 with a byte-order mark: Inno Setup reads the Persian text below correctly only so.

#define AppId "A04E156C-AFE7-49BD-8038-FC9EF88FA7A0"
#define AppExe "ClinicApp.exe"
#define CliExe "clinic-app.exe"
#ifndef AppVersion
  ; Inno Setup reads pyproject.toml's [project] table as an INI section; the quotes around the value are
  ; dropped by Windows' INI reader, and removed here too in case they are not.
  #define AppVersion StringChange(ReadIni(AddBackslash(SourcePath) + "..\pyproject.toml", "project", "version", "0.0.0"), '"', "")
#endif
#define DistDir AddBackslash(SourcePath) + "..\dist\clinic-app"

[Setup]
AppId={{{#AppId}}
AppName=سامانهٔ کلینیک کسب‌وکار
AppVersion={#AppVersion}
AppVerName=سامانهٔ کلینیک کسب‌وکار {#AppVersion}
AppPublisher=Business Clinics
VersionInfoVersion={#AppVersion}
VersionInfoProductName=Clinic App
DefaultDirName={autopf}\ClinicApp
DefaultGroupName=کلینیک کسب‌وکار
DisableProgramGroupPage=auto
PrivilegesRequired=admin
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
OutputDir=..\dist
OutputBaseFilename=clinic-app-setup-{#AppVersion}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
; Persian always (English with /LANG=english on the command line, for a support person).
ShowLanguageDialog=no
LanguageDetectionMethod=none
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName=سامانهٔ کلینیک کسب‌وکار
; The app must not be running while its files are replaced or removed.
CloseApplications=yes
RestartApplications=no

[Languages]
; The first entry is the default language: Persian, whatever the Windows UI language.
Name: "farsi"; MessagesFile: "Farsi.isl"
Name: "english"; MessagesFile: "compiler:Default.isl"

[CustomMessages]
farsi.AppTitle=کلینیک کسب‌وکار
english.AppTitle=Business Clinic
farsi.SelfCheckTitle=خودآزمایی کلینیک کسب‌وکار
english.SelfCheckTitle=Business Clinic self-check
farsi.SelfCheckRunning=بررسی سلامت برنامهٔ نصب‌شده...
english.SelfCheckRunning=Checking the installed program...
farsi.SelfCheckFailed=برنامه نصب شد، ولی خودآزمایی آن شکست خورد. از منوی شروع «خودآزمایی کلینیک کسب‌وکار» را اجرا کنید و خروجی آن را برای پشتیبانی بفرستید.
english.SelfCheckFailed=The program was installed, but its self-check failed. Run "Business Clinic self-check" from the Start menu and send its output to support.
farsi.DataKept=برنامه حذف شد. داده‌های شما (پایگاه داده، پیوست‌ها، پشتیبان‌ها و تنظیمات) پاک نشده‌اند و در پوشهٔ %LOCALAPPDATA%\BusinessClinics\ClinicApp هر کاربر مانده‌اند؛ با نصب دوبارهٔ برنامه همه سر جایشان هستند.
english.DataKept=The program was removed. Your data (database, attachments, backups and settings) was not deleted: it stays in each user's %LOCALAPPDATA%\BusinessClinics\ClinicApp folder, and a reinstall finds it there.

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"

[Files]
; The whole PyInstaller folder: ClinicApp.exe (no console, for the shortcuts), clinic-app.exe (console:
; the command line, --self-check, doctor, backup, restore) and _internal\.
Source: "{#DistDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[InstallDelete]
; An upgrade replaces the bundle whole: libraries of the old version must not linger beside the new ones.
Type: filesandordirs; Name: "{app}\_internal"

[Icons]
Name: "{group}\{cm:AppTitle}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"
Name: "{group}\{cm:SelfCheckTitle}"; Filename: "{cmd}"; Parameters: "/k """"{app}\{#CliExe}"" --self-check"""; WorkingDir: "{app}"
Name: "{group}\{cm:UninstallProgram,{cm:AppTitle}}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\{cm:AppTitle}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"; Tasks: desktopicon

[Run]
; As the user who started the installer, not the administrator account: the app makes its data folder
; in the %LOCALAPPDATA% of whoever runs it.
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{cm:AppTitle}}"; Flags: nowait postinstall skipifsilent runasoriginaluser

; No [UninstallDelete] section on purpose: only the files installed above are removed.

[Code]
{ After the files are in place, run the installed program's self-check (a scratch database in the temp
  folder: it never touches anyone's data) and say so when it fails, e.g. a missing system library. }
procedure CurStepChanged(CurStep: TSetupStep);
var
  ResultCode: Integer;
begin
  if CurStep = ssPostInstall then
  begin
    WizardForm.StatusLabel.Caption := CustomMessage('SelfCheckRunning');
    if not Exec(ExpandConstant('{app}\{#CliExe}'), '--self-check', ExpandConstant('{app}'), SW_HIDE,
      ewWaitUntilTerminated, ResultCode) or (ResultCode <> 0) then
      SuppressibleMsgBox(CustomMessage('SelfCheckFailed'), mbError, MB_OK, IDOK);
  end;
end;

procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
begin
  if CurUninstallStep = usPostUninstall then
    SuppressibleMsgBox(CustomMessage('DataKept'), mbInformation, MB_OK, IDOK);
end;
