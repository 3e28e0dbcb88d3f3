#!/usr/bin/env bats
# slink-shell.dll's packaging: the Scoop manifest registers and
# unregisters it, the release zip carries it with its install script, and
# that script registers per user and needs elevation only for overlays.
load helpers

setup() { setup_dir; P="$SLINK_SRC/packaging"; }
teardown() { teardown_dir; }

@test "explorer packaging: Scoop registers the extension and unregisters it first on removal" {
  run python3 - "$P/scoop/slink.json" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))
dll = '"$dir\\slink-shell.dll"'
assert m["post_install"] == ["regsvr32 /s %s | Out-Null" % dll], m["post_install"]
assert m["pre_uninstall"] == ["regsvr32 /s /u %s | Out-Null" % dll], m["pre_uninstall"]
assert "/i:machine" in m["notes"]
PY
  echo "$output"
  [ "$status" -eq 0 ]
}

@test "explorer packaging: the install script: per-user regsvr32, elevation only for overlays" {
  s="$P/windows/Install-SlinkShell.ps1"
  grep -q "Invoke-Regsvr32 @('/s', \"\`\"\$dll\`\"\")$" "$s"
  grep -q "Invoke-Regsvr32 @('/s', '/n', '/i:machine', \"\`\"\$dll\`\"\") -Elevated" "$s"
  grep -q "Invoke-Regsvr32 @('/s', '/u', \"\`\"\$dll\`\"\")$" "$s"
  [ "$(grep -c -- '-Elevated$' "$s")" -eq 2 ]
}

@test "explorer packaging: the release zip carries slink-shell.dll and its script" {
  build="$SLINK_SRC/build-win"
  [ -f "$build/src/shell/slink-shell.dll" ] || skip "no Windows build with the extension"
  run sh "$P/release-zip.sh" "$build" "$T"
  [ "$status" -eq 0 ]
  run python3 -c 'import sys, zipfile; print(" ".join(zipfile.ZipFile(sys.argv[1]).namelist()))' "$T"/slink-*-win64.zip
  [[ " $output " == *" slink-shell.dll "* ]] || false
  [[ " $output " == *" Install-SlinkShell.ps1 "* ]] || false
}
