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
  mkdir -p build-win/src/shell
  printf 'MZ not really a program\n' > build-win/slink.exe
  printf 'MZ not really a DLL\n' > build-win/src/shell/slink-shell.dll
  run sh "$P/release-zip.sh" build-win "$T"
  [ "$status" -eq 0 ]
  run python3 -c 'import sys, zipfile; print(" ".join(zipfile.ZipFile(sys.argv[1]).namelist()))' "$T"/slink-*-win64.zip
  [ "$output" = "slink.exe linkd.exe junction.exe ln.exe slink-shell.dll Install-SlinkShell.ps1 README.md json.md compat.md" ]
  run python3 -c 'import sys, zipfile; sys.stdout.buffer.write(zipfile.ZipFile(sys.argv[1]).read("slink-shell.dll"))' "$T"/slink-*-win64.zip
  [ "$output" = "MZ not really a DLL" ]
}
