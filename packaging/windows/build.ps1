# Build Readiness for Windows: the frozen app, its self-test, and the installer.
#
#   powershell -ExecutionPolicy Bypass -File packaging\windows\build.ps1 [-NoInstaller]
#
# Needs Python 3.11+ (python.org installer, "py" launcher) and, for the installer, Inno Setup 6.
# Output: packaging\dist\Readiness\ (Readiness.exe, readiness-cli.exe, _internal\),
#         packaging\dist\Readiness-<version>-setup.exe and packaging\dist\SHA256SUMS
#
# Code signing (optional): set READINESS_SIGN_CERT to the SHA-1 thumbprint of a code-signing
# certificate in the certificate store (a token's or the user's), and signtool.exe (Windows SDK)
# on PATH or in READINESS_SIGNTOOL. Optional READINESS_SIGN_TIMESTAMP (default DigiCert's
# RFC 3161 server). Order: the two executables are signed, then ISCC packs them and signs the
# uninstaller and the setup program through its SignTool setting. Without READINESS_SIGN_CERT
# nothing is signed and the build says so.
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
# exact versions with hashes from the lock (scripts/lock), as packaging/build.sh does
& $Py -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r (Join-Path $Root "requirements\package.txt"); Check "installing requirements\package.txt"
& $Py -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e $Root; Check "installing Readiness"
& $Py -c "import importlib.metadata as m, sys; sys.exit(any(d.metadata['Name'] in ('PySide6', 'PySide6-Addons', 'PySide6_Addons') for d in m.distributions()))"
if ($LASTEXITCODE -ne 0) { throw "build: only PySide6-Essentials belongs in the build environment" }

Step "icons"
& $Py (Join-Path $Packaging "make_icons.py") --source (Join-Path $Root "resources\icons") --out (Join-Path $Work "icons")
Check "make_icons.py"

Step "PyInstaller"
# an earlier build's files would otherwise be listed in this build's SHA256SUMS
foreach ($old in @((Join-Path $Dist "Readiness"), (Join-Path $Dist "SHA256SUMS"))) { if (Test-Path $old) { Remove-Item -Recurse -Force $old } }
Get-ChildItem -Path $Dist -Filter "Readiness-*-setup.exe" -ErrorAction SilentlyContinue | Remove-Item -Force
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

$Sign = [bool]$env:READINESS_SIGN_CERT
if ($Sign) {
    $SignTool = if ($env:READINESS_SIGNTOOL) { $env:READINESS_SIGNTOOL } else { (Get-Command signtool.exe -ErrorAction Stop).Source }
    $Timestamp = if ($env:READINESS_SIGN_TIMESTAMP) { $env:READINESS_SIGN_TIMESTAMP } else { "http://timestamp.digicert.com" }
    $SignArgs = @("sign", "/fd", "SHA256", "/tr", $Timestamp, "/td", "SHA256", "/sha1", $env:READINESS_SIGN_CERT)
    Step "signing the executables"
    $Exes = @((Join-Path $Dist "Readiness\Readiness.exe"), (Join-Path $Dist "Readiness\readiness-cli.exe"))
    & $SignTool @SignArgs @Exes; Check "signtool sign"
    & $SignTool verify /pa @Exes; Check "signtool verify"
} else {
    Step "not signing (READINESS_SIGN_CERT is not set): SmartScreen will warn about the setup"
}

if ($NoInstaller) { Step "done (no installer)"; exit 0 }

# The list of the new version's files: after an upgrade, setup removes what an older version
# left in _internal and this one no longer has (readiness.iss, CurStepChanged).
$Bundle = Join-Path $Dist "Readiness"
$Files = @(Get-ChildItem -Recurse -File $Bundle | Where-Object { $_.Name -ne "readiness-files.txt" } |
    ForEach-Object { $_.FullName.Substring($Bundle.Length + 1) })
# without a byte-order mark (Set-Content -Encoding UTF8 writes one): setup compares whole lines
[System.IO.File]::WriteAllLines((Join-Path $Bundle "readiness-files.txt"), [string[]]$Files)

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
$IsccArgs = @("/DAppVersion=$Version")
if ($Sign) {
    # ISCC replaces $f with the quoted file name, $q with a quote
    $IsccArgs += "/DSign"
    $IsccArgs += "/Sreadiness=`$q$SignTool`$q " + (($SignArgs | ForEach-Object { $_ }) -join " ") + " `$f"
}
& $Iscc @IsccArgs (Join-Path $Here "readiness.iss"); Check "ISCC"
$Setup = Join-Path $Dist "Readiness-$Version-setup.exe"
if ($Sign) { & $SignTool verify /pa $Setup; Check "signtool verify of the setup" }

Step "checksums"
& $Py (Join-Path $Packaging "checksums.py") $Dist; Check "checksums.py"
Step "done: $Setup"
