; Inno Setup script for Posko on Windows: installs dist\posko\ (PyInstaller's one-folder
; build of installer\windows\posko.spec) per user or for all users, with a Start-menu
; entry, an optional desktop icon and an uninstaller. The data folder
; (%LOCALAPPDATA%\Posko\posko) is never removed by the uninstaller.
;
; NOT BUILT OR TESTED: nobody has run this on Windows yet. Build steps: README.md here.
; Compile from the checkout's root after the PyInstaller build:
;     "C:\Program Files (x86)\Inno Setup 6\ISCC.exe" /DMyAppVersion=0.1.0 installer\windows\posko.iss
; Output: dist\posko-0.1.0-windows-x64-setup.exe

#ifndef MyAppVersion
  #define MyAppVersion "0.1.0"
#endif
#define MyAppName "Posko"
#define MyAppPublisher "Posko"
#define MyAppExeName "posko.exe"

[Setup]
; A fixed AppId: upgrades replace the earlier install instead of adding a second one.
AppId={{6F1C2B0E-8D47-4C5A-9B3E-2A7D5E4F1C90}
AppName={#MyAppName}
AppVersion={#MyAppVersion}
AppVerName={#MyAppName} {#MyAppVersion}
AppPublisher={#MyAppPublisher}
DefaultDirName={autopf}\{#MyAppName}
DefaultGroupName={#MyAppName}
DisableProgramGroupPage=yes
; Per user by default (no administrator needed); an administrator may choose all users.
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
; Qt 6.11 runs on Windows 10 (1809) or later.
MinVersion=10.0.17763
SourceDir=..\..
OutputDir=dist
OutputBaseFilename=posko-{#MyAppVersion}-windows-x64-setup
SetupIconFile=installer\windows\posko.ico
UninstallDisplayIcon={app}\{#MyAppExeName}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern

[Languages]
Name: "indonesian"; MessagesFile: "compiler:Languages\Indonesian.isl"
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "dist\posko\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[InstallDelete]
; An upgrade starts from a clean program folder: no library of an older Qt stays behind.
Type: filesandordirs; Name: "{app}\_internal"

[Icons]
Name: "{group}\{#MyAppName}"; Filename: "{app}\{#MyAppExeName}"
Name: "{group}\{cm:UninstallProgram,{#MyAppName}}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\{#MyAppName}"; Filename: "{app}\{#MyAppExeName}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#MyAppExeName}"; Description: "{cm:LaunchProgram,{#MyAppName}}"; Flags: nowait postinstall skipifsilent
