; Inno Setup script: per-user install, no administrator rights, .spie files open with the application.
; Build on Windows after PyInstaller:  iscc packaging\windows\spie-desktop.iss
#define AppName "SPIE Desktop"
#define AppVersion "0.1.0"
#define AppExe "spie-desktop.exe"

[Setup]
AppId={{5B0E2C7A-3F4D-4E8B-9A21-6C1D2E3F4A5B}
AppName={#AppName}
AppVersion={#AppVersion}
AppPublisher=SPIE Desktop
DefaultDirName={localappdata}\Programs\SPIE Desktop
DefaultGroupName={#AppName}
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
DisableProgramGroupPage=yes
OutputDir=..\..\dist
OutputBaseFilename=spie-desktop-{#AppVersion}-installation
SetupIconFile=..\..\resources\icons\spie-desktop.ico
UninstallDisplayIcon={app}\{#AppExe}
Compression=lzma2
SolidCompression=yes
WizardStyle=modern
ChangesAssociations=yes

[Languages]
Name: "french"; MessagesFile: "compiler:Languages\French.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "..\..\dist\spie-desktop\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{userprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"
Name: "{userdesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Registry]
; per-user file association (HKCU, no administrator rights)
Root: HKCU; Subkey: "Software\Classes\.spie"; ValueType: string; ValueName: ""; ValueData: "SpieDesktop.Dossier"; Flags: uninsdeletevalue
Root: HKCU; Subkey: "Software\Classes\SpieDesktop.Dossier"; ValueType: string; ValueName: ""; ValueData: "Dossier SPIE"; Flags: uninsdeletekey
Root: HKCU; Subkey: "Software\Classes\SpieDesktop.Dossier\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\{#AppExe},0"
Root: HKCU; Subkey: "Software\Classes\SpieDesktop.Dossier\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\{#AppExe}"" ""%1"""

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent
