# Build the hpt-gui app and its Windows installer from a clean virtual environment.
#
#     powershell -ExecutionPolicy Bypass -File packaging\build.ps1
#
# 1. creates a temporary venv with $env:PYTHON (default: `py -3.11`, else `python`),
# 2. pip installs the repository with its `packaging` extra (not editable),
# 3. runs PyInstaller with packaging\hpt_gui.spec -> packaging\dist\hpt-gui\ (with the icon
#    and the version resource) and prints the build time and the bundle size,
# 4. if Inno Setup 6 (ISCC.exe) is installed, compiles packaging\hpt-gui.iss into
#    packaging\dist\hpt-gui-<version>-windows-x64-setup.exe.
#
# Not tested: written on Linux, where nothing of it could be run (see packaging\README.md).
$ErrorActionPreference = "Stop"

$Root = (Resolve-Path (Join-Path $PSScriptRoot "..")).Path
Set-Location $Root
$Dist = Join-Path $Root "packaging\dist"
$Work = Join-Path $Root "packaging\build"

function Invoke-Checked {
    param([string]$Exe, [string[]]$Arguments)
    & $Exe @Arguments
    if ($LASTEXITCODE -ne 0) { throw "failed ($LASTEXITCODE): $Exe $($Arguments -join ' ')" }
}

if ($env:PYTHON) { $Py = @($env:PYTHON) }
elseif (Get-Command py -ErrorAction SilentlyContinue) { $Py = @("py", "-3.11") }
else { $Py = @("python") }
$PyExe = $Py[0]; $PyArgs = @($Py | Select-Object -Skip 1)

Invoke-Checked $PyExe ($PyArgs + @("-c", "import sys; sys.exit(sys.version_info < (3, 11))"))
$Version = (& $PyExe @PyArgs "packaging\version_info.py").Trim()
Write-Host "== hpt-gui $Version for Windows"

$Tmp = Join-Path ([System.IO.Path]::GetTempPath()) ("hpt-build-" + [guid]::NewGuid().ToString("N"))
$Venv = Join-Path $Tmp "venv"
$Start = Get-Date
try {
    Write-Host "== clean virtual environment in $Venv"
    Invoke-Checked $PyExe ($PyArgs + @("-m", "venv", $Venv))
    $VPy = Join-Path $Venv "Scripts\python.exe"
    Invoke-Checked $VPy @("-m", "pip", "install", "--quiet", "--upgrade", "pip")
    Invoke-Checked $VPy @("-m", "pip", "install", "--quiet", "$Root[packaging]")
    $Installed = Get-Date
    Write-Host ("   installed in {0:N0} s" -f ($Installed - $Start).TotalSeconds)

    Write-Host "== PyInstaller (packaging\hpt_gui.spec)"
    $Bundle = Join-Path $Dist "hpt-gui"
    if (Test-Path $Bundle) { Remove-Item -Recurse -Force $Bundle }
    Invoke-Checked $VPy @("-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN",
        "--workpath", $Work, "--distpath", $Dist, "packaging\hpt_gui.spec")
    $Built = Get-Date
    $Exe = Join-Path $Bundle "hpt-gui.exe"
    if (-not (Test-Path $Exe)) { throw "no $Exe" }
    Write-Host ("   PyInstaller took {0:N0} s" -f ($Built - $Installed).TotalSeconds)
    Invoke-Checked $Exe @("models") | Out-Null
    Write-Host "   the frozen 'hpt-gui models' runs"

    $Files = Get-ChildItem -Recurse -File $Bundle
    $SizeMB = ($Files | Measure-Object -Sum Length).Sum / 1MB
    Write-Host ("   bundle: {0}  {1:N0} MB, {2} files" -f $Bundle, $SizeMB, $Files.Count)

    $Iscc = (Get-Command iscc -ErrorAction SilentlyContinue).Source
    if (-not $Iscc) {
        foreach ($Dir in @(${env:ProgramFiles(x86)}, $env:ProgramFiles, "$env:LOCALAPPDATA\Programs")) {
            $Candidate = Join-Path $Dir "Inno Setup 6\ISCC.exe"
            if ($Dir -and (Test-Path $Candidate)) { $Iscc = $Candidate; break }
        }
    }
    if ($Iscc) {
        Write-Host "== installer (Inno Setup: $Iscc)"
        Invoke-Checked $Iscc @("/Q", "/DAppVersion=$Version", "packaging\hpt-gui.iss")
        $Setup = Join-Path $Dist "hpt-gui-$Version-windows-x64-setup.exe"
        Write-Host ("   installer: {0}  {1:N0} MB" -f $Setup, ((Get-Item $Setup).Length / 1MB))
    } else {
        Write-Host "Inno Setup 6 not found (https://jrsoftware.org/isdl.php): no installer made;"
        Write-Host "the one-folder app is in $Bundle"
    }
    Write-Host ("== done in {0:N0} s" -f ((Get-Date) - $Start).TotalSeconds)
}
finally {
    if ($env:KEEP_VENV -eq "1") { Write-Host "venv kept: $Venv" }
    elseif (Test-Path $Tmp) { Remove-Item -Recurse -Force $Tmp }
}
