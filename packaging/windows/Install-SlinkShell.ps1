<#
.SYNOPSIS
  Installs slink's Explorer extension (slink-shell.dll) for the current user,
  or removes it again.

.DESCRIPTION
  Copies slink-shell.dll to %LOCALAPPDATA%\Programs\slink and registers it
  with `regsvr32 /s` under HKCU\Software\Classes: the context menu (Pick
  Link Source, Drop As, Remove Link, Go to Target), right-drag Drop As and
  the Link tab in Properties. No administrator is needed for these.

  Explorer reads icon overlays from HKLM only: -Overlays adds them with an
  elevated `regsvr32 /n /i:machine` (one UAC prompt).

  -Uninstall unregisters (both scopes) and deletes the copy. A copy that
  Explorer still has loaded is renamed and deleted at the next install.

.EXAMPLE
  .\Install-SlinkShell.ps1 -Path .\slink-shell.dll -Overlays
.EXAMPLE
  .\Install-SlinkShell.ps1 -Uninstall
#>
[CmdletBinding()]
param(
  [string]$Path = (Join-Path $PSScriptRoot 'slink-shell.dll'),
  [switch]$Overlays,
  [switch]$Uninstall
)
$ErrorActionPreference = 'Stop'
$dir = Join-Path $env:LOCALAPPDATA 'Programs\slink'
$dll = Join-Path $dir 'slink-shell.dll'
$overlayKey = 'HKLM:\Software\Microsoft\Windows\CurrentVersion\Explorer\ShellIconOverlayIdentifiers\ slink junction'

function Invoke-Regsvr32([string[]]$Arguments, [switch]$Elevated) {
  $p = @{ FilePath = 'regsvr32.exe'; ArgumentList = $Arguments; Wait = $true; PassThru = $true }
  if ($Elevated) { $p.Verb = 'RunAs' }
  $r = Start-Process @p
  if ($r.ExitCode -ne 0) { throw "regsvr32 $($Arguments -join ' ') failed ($($r.ExitCode))" }
}

# Copies left by earlier installs that Explorer had loaded.
Get-ChildItem -Path $dir -Filter 'slink-shell.dll.old-*' -ErrorAction SilentlyContinue |
  Remove-Item -Force -ErrorAction SilentlyContinue

if ($Uninstall) {
  if (Test-Path $dll) {
    if (Test-Path $overlayKey) {
      Invoke-Regsvr32 @('/s', '/u', '/n', '/i:machine', "`"$dll`"") -Elevated
    }
    Invoke-Regsvr32 @('/s', '/u', "`"$dll`"")
    try { Remove-Item $dll -Force }
    catch { Rename-Item $dll ("slink-shell.dll.old-" + [DateTime]::UtcNow.Ticks) }
  }
  Write-Host 'slink-shell.dll removed; restart Explorer to drop a loaded copy.'
  return
}

if (-not (Test-Path $Path)) { throw "no slink-shell.dll at $Path" }
New-Item -ItemType Directory -Force -Path $dir | Out-Null
# A DLL that Explorer holds cannot be overwritten, but it can be renamed.
if (Test-Path $dll) {
  try { Remove-Item $dll -Force }
  catch { Rename-Item $dll ("slink-shell.dll.old-" + [DateTime]::UtcNow.Ticks) }
}
Copy-Item $Path $dll
Invoke-Regsvr32 @('/s', "`"$dll`"")
if ($Overlays) {
  Invoke-Regsvr32 @('/s', '/n', '/i:machine', "`"$dll`"") -Elevated
  Write-Host 'Overlays registered for every user; they appear after Explorer restarts.'
}
Write-Host "slink-shell.dll installed for $env:USERNAME in $dir."
