; Inno Setup 6 script: the Readiness installer for Windows (per user, no administrator rights).
;
; Build it with packaging\windows\build.ps1, which freezes the app first and passes the version:
;   ISCC.exe /DAppVersion=0.1.0 packaging\windows\readiness.iss
; Output: packaging\dist\Readiness-<version>-setup.exe
;
; What it does:
; - installs into %LOCALAPPDATA%\Programs\Readiness (no UAC prompt), Start-menu entry, optional
;   desktop icon, "Open with Readiness" for .readiness bundle files (current user only);
; - an upgrade replaces the program files and closes a running Readiness first;
; - the uninstaller removes the program and its registry entries and nothing else: the data
;   folder %LOCALAPPDATA%\Readiness (database, backups, attachments, logs) and the settings in
;   %APPDATA%\Readiness stay, so a reinstall finds every assessment where it was.

#define AppName "Readiness"
#define AppExe "Readiness.exe"
#define DistDir AddBackslash(SourcePath) + "..\dist\Readiness"
#ifndef AppVersion
  #define AppVersion GetVersionNumbersString(DistDir + "\" + AppExe)
#endif

[Setup]
; The AppId identifies the product for upgrades and the uninstaller: never change it.
AppId={{6F1E2A94-3C5B-4D7E-9A18-B2C4D6E8F031}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher={#AppName}
AppCopyright=Licensed under the Apache License 2.0
VersionInfoVersion={#AppVersion}
VersionInfoProductName={#AppName}
VersionInfoDescription={#AppName} installer
PrivilegesRequired=lowest
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
UsePreviousAppDir=yes
LicenseFile=..\..\LICENSE
OutputDir=..\dist
OutputBaseFilename=Readiness-{#AppVersion}-setup
SetupIconFile=..\build\icons\readiness.ico
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName} {#AppVersion}
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
ChangesAssociations=yes
CloseApplications=yes
RestartApplications=no
ShowLanguageDialog=auto

[Languages]
Name: "en"; MessagesFile: "compiler:Default.isl"
Name: "es"; MessagesFile: "compiler:Languages\Spanish.isl"
Name: "fr"; MessagesFile: "compiler:Languages\French.isl"
Name: "pt"; MessagesFile: "compiler:Languages\Portuguese.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[InstallDelete]
; An upgrade replaces the libraries wholesale, so files an older version had do not linger.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#DistDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Registry]
; .readiness bundles (answers sent by email or on a USB stick) open in Readiness.
; HKA is HKEY_CURRENT_USER for a per-user install: no administrator rights needed.
Root: HKA; Subkey: "Software\Classes\.readiness"; ValueType: string; ValueName: ""; ValueData: "Readiness.Bundle"; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\.readiness\OpenWithProgids"; ValueType: string; ValueName: "Readiness.Bundle"; ValueData: ""; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\Readiness.Bundle"; ValueType: string; ValueName: ""; ValueData: "Readiness bundle"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\Readiness.Bundle\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\{#AppExe},0"
Root: HKA; Subkey: "Software\Classes\Readiness.Bundle\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\{#AppExe}"" gui ""%1"""
Root: HKA; Subkey: "Software\Classes\Applications\{#AppExe}\SupportedTypes"; ValueType: string; ValueName: ".readiness"; ValueData: ""; Flags: uninsdeletekey

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

[UninstallDelete]
; The program folder only. The data folder %LOCALAPPDATA%\Readiness is the user's: it stays.
Type: filesandordirs; Name: "{app}\_internal"
Type: dirifempty; Name: "{app}"
