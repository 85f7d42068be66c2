; Inno Setup 6 script for the hpt-gui Windows installer (Inno Setup 6.3 or later).
;
; Build the one-folder app first (packaging\dist\hpt-gui\), then compile; build.ps1 does
; both and passes the version:
;     iscc /DAppVersion=0.1.0 packaging\hpt-gui.iss
; Without /DAppVersion the version is read from hpt-gui.exe's version resource
; (ProductVersion), which packaging\hpt_gui.spec wrote from hpt_gui.__version__.
; Output: packaging\dist\hpt-gui-<version>-windows-x64-setup.exe
; Not tested: written on Linux (see packaging\README.md).

#define AppName "hpt-gui"
#define AppExe "hpt-gui.exe"
#define BundleDir AddBackslash(SourcePath) + "dist\hpt-gui"
#ifndef AppVersion
  #define AppVersion GetStringFileInfo(BundleDir + "\" + AppExe, "ProductVersion")
#endif
; The numeric form (0.1.0.0) of the same resource, for the installer's own file version.
#define AppVersionNumbers GetVersionNumbersString(BundleDir + "\" + AppExe)

[Setup]
; AppId identifies the installation for upgrades and the uninstaller: never change it.
AppId={{6F1D2C3A-8B4E-4F7A-9C2D-3E5B7A1F0D42}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=hpt-gui contributors
AppComments=Tune the hyperparameters of scikit-learn models, offline
VersionInfoVersion={#AppVersionNumbers}
; Program Files for an administrator install; the dialog also offers "only for me".
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
SetupIconFile=icons\hpt-gui.ico
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName} {#AppVersion}
OutputDir=dist
OutputBaseFilename={#AppName}-{#AppVersion}-windows-x64-setup
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
; Ask to close a running hpt-gui before its files are replaced.
CloseApplications=yes

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[InstallDelete]
; Files of an older version must not linger next to the new ones.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"; Comment: "Tune scikit-learn hyperparameters"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

[UninstallDelete]
; Python may write __pycache__ folders next to the app; remove whatever is left in {app}.
Type: filesandordirs; Name: "{app}\_internal"
