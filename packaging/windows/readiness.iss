; Inno Setup 6 script: the Readiness installer for Windows (per user by default, no administrator
; rights; per machine when chosen).
;
; Build it with packaging\windows\build.ps1, which freezes the app first and passes the version:
;   ISCC.exe /DAppVersion=0.1.0 packaging\windows\readiness.iss
; With a code-signing certificate, build.ps1 also passes /DSign and /Sreadiness=<signtool command>:
; setup then signs the uninstaller and the setup program itself (the executables inside were
; signed before ISCC ran).
; Output: packaging\dist\Readiness-<version>-setup.exe
;
; What it does:
; - installs into %LOCALAPPDATA%\Programs\Readiness (no UAC prompt), Start-menu entry, optional
;   desktop icon, "Open with Readiness" for .readiness bundle files (current user only); or, when
;   the person chooses "for all users" (or IT passes /ALLUSERS), into Program Files for everyone;
; - neither setup nor the uninstaller runs while Readiness is open (AppMutex: the window holds
;   that mutex, app/common/app_mutex.py); they ask to close it;
; - an upgrade writes the new files over the old ones, and only once all are in place removes
;   the files the new version no longer has (readiness-files.txt lists the new version's files);
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
; "Install for me only" (default) or "for all users"; also /CURRENTUSER and /ALLUSERS for IT
PrivilegesRequiredOverridesAllowed=dialog commandline
; The window holds this mutex (app/common/app_mutex.py): never change one without the other
AppMutex=Readiness.Running
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
#ifdef Sign
; the tool "readiness" is defined on ISCC's command line by build.ps1 (/Sreadiness=...)
SignTool=readiness
SignedUninstaller=yes
#endif

[Languages]
Name: "en"; MessagesFile: "compiler:Default.isl"
Name: "es"; MessagesFile: "compiler:Languages\Spanish.isl"
Name: "fr"; MessagesFile: "compiler:Languages\French.isl"
Name: "pt"; MessagesFile: "compiler:Languages\Portuguese.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

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

[Code]
{ After an upgrade has written every new file: delete what an older version left in _internal
  and the new one no longer has. Nothing is deleted before the new files are in place, so an
  upgrade that fails half-way leaves a working older version. }
var
  Keep: TStringList;

procedure DeleteStale(const Dir, Rel: String);
var
  Found: TFindRec;
begin
  if FindFirst(Dir + '\*', Found) then
  try
    repeat
      if (Found.Name <> '.') and (Found.Name <> '..') then
      begin
        if (Found.Attributes and FILE_ATTRIBUTE_DIRECTORY) <> 0 then
        begin
          DeleteStale(Dir + '\' + Found.Name, Rel + Found.Name + '\');
          RemoveDir(Dir + '\' + Found.Name);  { only when it is empty now }
        end
        else if Keep.IndexOf(Lowercase(Rel + Found.Name)) < 0 then
          DeleteFile(Dir + '\' + Found.Name);
      end;
    until not FindNext(Found);
  finally
    FindClose(Found);
  end;
end;

procedure CurStepChanged(CurStep: TSetupStep);
var
  Lines: TArrayOfString;
  I: Integer;
begin
  if CurStep <> ssPostInstall then
    exit;
  if not LoadStringsFromFile(ExpandConstant('{app}\readiness-files.txt'), Lines) then
    exit;  { no list: delete nothing }
  Keep := TStringList.Create;
  try
    for I := 0 to GetArrayLength(Lines) - 1 do
      Keep.Add(Lowercase(Trim(Lines[I])));
    DeleteStale(ExpandConstant('{app}\_internal'), '_internal\');
  finally
    Keep.Free;
  end;
end;

[UninstallDelete]
; The program folder only. The data folder %LOCALAPPDATA%\Readiness is the user's: it stays.
Type: filesandordirs; Name: "{app}\_internal"
Type: dirifempty; Name: "{app}"
