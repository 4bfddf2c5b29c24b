# Windows zip: the dist/ layout with Qt bundled by windeployqt. Not run on this project's
# Linux build machines; written to the Linux script's shape and untested.
# Usage: powershell -File make-zip.ps1 [-BuildDir DIR]   (prints the zip's path last)
param([string]$BuildDir = "")
$ErrorActionPreference = "Stop"
$root = (Resolve-Path "$PSScriptRoot\..\..").Path
$version = (Select-String -Path "$root\common.pri" -Pattern 'TMAIL_VERSION=\\+"([0-9.]+)').Matches[0].Groups[1].Value
$name = "tmail-$version-windows-x86_64"
if (-not $BuildDir) {
    $BuildDir = "$root\build-zip"
    New-Item -ItemType Directory -Force $BuildDir | Out-Null
    Push-Location $BuildDir
    qmake -r "$root\tmail.pro"; nmake
    Pop-Location
}
$stage = Join-Path $env:TEMP ([guid]::NewGuid())
$dist = "$stage\$name"
foreach ($dir in "conf", "ssl", "tpl", "db", "store") { New-Item -ItemType Directory -Force "$dist\$dir" | Out-Null }
Copy-Item "$BuildDir\server\tmail.exe", "$BuildDir\gui\tmail-manager.exe" $dist
Copy-Item "$root\resources\tmail.cfg.base" "$dist\conf\"
Copy-Item "$root\resources\tpl\*.tpl" "$dist\tpl\"
# The service: `tmail service install` registers `tmail.exe service run` with the SCM.
windeployqt --no-translations --no-compiler-runtime --libdir "$dist\lib" --plugindir "$dist\plugins" `
    "$dist\tmail.exe" "$dist\tmail-manager.exe"
# Windows finds DLLs beside the executable, not in lib\: move them back next to it.
Move-Item "$dist\lib\*.dll" $dist
"[Paths]`nPrefix=.`nPlugins=plugins`n" | Set-Content "$dist\qt.conf"
$zip = Join-Path $(if ($env:OUT_DIR) { $env:OUT_DIR } else { $root }) "$name.zip"
Compress-Archive -Force -Path $dist -DestinationPath $zip
Remove-Item -Recurse -Force $stage
Write-Output $zip
