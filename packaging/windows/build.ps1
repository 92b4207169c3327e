# Build Readiness for Windows: the frozen app, its self-test, and the installer.
#
#   powershell -ExecutionPolicy Bypass -File packaging\windows\build.ps1 [-NoInstaller]
#
# Needs Python 3.11+ (python.org installer, "py" launcher) and, for the installer, Inno Setup 6.
# Output: packaging\dist\Readiness\ (Readiness.exe, readiness-cli.exe, _internal\) and
#         packaging\dist\Readiness-<version>-setup.exe
# The same steps as packaging/build.sh: its own environment (packaging\.venv-build), icons,
# PyInstaller with readiness.spec, check_bundle.py, and the frozen app's --self-test offscreen.
param([switch]$NoInstaller)
$ErrorActionPreference = "Stop"

$Here = Split-Path -Parent $MyInvocation.MyCommand.Path
$Packaging = Split-Path -Parent $Here
$Root = Split-Path -Parent $Packaging
$Venv = Join-Path $Packaging ".venv-build"
$Py = Join-Path $Venv "Scripts\python.exe"
$Dist = Join-Path $Packaging "dist"
$Work = Join-Path $Packaging "build"

function Step($text) { Write-Host "[build] $text" }
function Check($what) { if ($LASTEXITCODE -ne 0) { throw "build: $what failed (exit $LASTEXITCODE)" } }

Step "build environment $Venv"
if (-not (Test-Path $Py)) {
    if (Get-Command py -ErrorAction SilentlyContinue) { py -3 -m venv $Venv } else { python -m venv $Venv }
    Check "creating the virtual environment"
}
& $Py -m pip install --quiet --disable-pip-version-check --upgrade pip; Check "pip upgrade"
& $Py -m pip install --quiet --disable-pip-version-check -e "$Root[gui,package]"; Check "installing .[gui,package]"
& $Py -c "import importlib.metadata as m, sys; sys.exit(any(d.metadata['Name'] in ('PySide6', 'PySide6-Addons', 'PySide6_Addons') for d in m.distributions()))"
if ($LASTEXITCODE -ne 0) { throw "build: only PySide6-Essentials belongs in the build environment" }

Step "icons"
& $Py (Join-Path $Packaging "make_icons.py") --source (Join-Path $Root "resources\icons") --out (Join-Path $Work "icons")
Check "make_icons.py"

Step "PyInstaller"
foreach ($old in @((Join-Path $Dist "Readiness"))) { if (Test-Path $old) { Remove-Item -Recurse -Force $old } }
& $Py -m PyInstaller --noconfirm --log-level WARN --distpath $Dist --workpath (Join-Path $Work "pyinstaller") (Join-Path $Packaging "readiness.spec")
Check "PyInstaller"

Step "bundle contents"
& $Py (Join-Path $Packaging "check_bundle.py") (Join-Path $Dist "Readiness"); Check "check_bundle.py"

Step "self-test of the frozen app (offscreen)"
$env:QT_QPA_PLATFORM = "offscreen"
try {
    & (Join-Path $Dist "Readiness\readiness-cli.exe") --self-test
    Check "the frozen app's self-test"
} finally {
    Remove-Item Env:QT_QPA_PLATFORM -ErrorAction SilentlyContinue
}

if ($NoInstaller) { Step "done (no installer)"; exit 0 }

Step "installer (Inno Setup)"
$Iscc = @(
    (Get-Command ISCC.exe -ErrorAction SilentlyContinue | Select-Object -ExpandProperty Source),
    (Join-Path $env:LOCALAPPDATA "Programs\Inno Setup 6\ISCC.exe"),
    (Join-Path ${env:ProgramFiles(x86)} "Inno Setup 6\ISCC.exe"),
    (Join-Path $env:ProgramFiles "Inno Setup 6\ISCC.exe")
) | Where-Object { $_ -and (Test-Path $_) } | Select-Object -First 1
if (-not $Iscc) { throw "build: Inno Setup 6 (ISCC.exe) not found; install it from jrsoftware.org or use -NoInstaller" }
Push-Location $Root
try { $Version = (& $Py -c "from app import __version__; print(__version__)").Trim() } finally { Pop-Location }
& $Iscc "/DAppVersion=$Version" (Join-Path $Here "readiness.iss"); Check "ISCC"
Step "done: $(Join-Path $Dist "Readiness-$Version-setup.exe")"
