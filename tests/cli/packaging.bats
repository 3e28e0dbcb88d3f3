#!/usr/bin/env bats
# The packaging manifests keep in step with the version in meson.build:
# Scoop, winget, the Debian changelog, the header and the program itself.
# The release zip they point to is built by packaging/release-zip.sh.
load helpers

setup() {
  setup_dir
  P="$SLINK_SRC/packaging"
  VERSION=$(sed -n "s/^ *version : '\([^']*\)'.*/\1/p" "$SLINK_SRC/meson.build" | head -1)
}
teardown() { teardown_dir; }

@test "packaging: meson.build has a version" {
  [[ "$VERSION" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]]
}

@test "packaging: the program and the header say the same version" {
  run "$SLINK" --version
  [ "$output" = "slink $VERSION" ]
  grep -q "^#define SLINK_VERSION_STRING \"$VERSION\"" "$SLINK_SRC/include/slink.h"
}

@test "packaging: the Scoop manifest's version and URLs" {
  run python3 - "$P/scoop/slink.json" "$VERSION" <<'PY'
import json, re, sys
m = json.load(open(sys.argv[1]))
v = sys.argv[2]
assert m["version"] == v, ("version", m["version"], v)
url = m["architecture"]["64bit"]["url"]
assert url.endswith("/v%s/slink-%s-win64.zip" % (v, v)), url
assert re.fullmatch(r"[0-9a-fA-F]{64}", m["architecture"]["64bit"]["hash"])
assert "slink.exe" in m["bin"]
auto = m["autoupdate"]["architecture"]["64bit"]["url"]
assert "$version" in auto and v not in auto, auto
PY
  echo "$output"
  [ "$status" -eq 0 ]
}

@test "packaging: every winget manifest has the version, one identifier" {
  n=0
  for f in "$P"/winget/*.yaml; do
    n=$((n + 1))
    grep -qx "PackageVersion: $VERSION" "$f" || { echo "$f: not $VERSION"; return 1; }
    grep -qx "PackageIdentifier: Slink.Slink" "$f" || { echo "$f: identifier"; return 1; }
    grep -qE '^ManifestVersion: [0-9]+\.[0-9]+\.[0-9]+$' "$f"
  done
  [ "$n" -eq 3 ]
  grep -qx "    InstallerUrl: .*/v$VERSION/slink-$VERSION-win64.zip" "$P/winget/Slink.Slink.installer.yaml"
  grep -qE '^    InstallerSha256: [0-9A-Fa-f]{64}$' "$P/winget/Slink.Slink.installer.yaml"
  grep -qx "ManifestType: version" "$P/winget/Slink.Slink.yaml"
  grep -qx "ManifestType: installer" "$P/winget/Slink.Slink.installer.yaml"
  grep -qx "ManifestType: defaultLocale" "$P/winget/Slink.Slink.locale.en-US.yaml"
}

@test "packaging: the Debian changelog's newest version" {
  [ -f "$SLINK_SRC/debian/changelog" ] || skip "no debian/ directory"
  run sed -n '1s/^slink (\([^)]*\)).*/\1/p' "$SLINK_SRC/debian/changelog"
  [ "$output" = "$VERSION" ]
}

@test "packaging: the release zip holds the program, personalities and README" {
  mkdir build-win
  printf 'MZ not really a program\n' > build-win/slink.exe
  run sh "$SLINK_SRC/packaging/release-zip.sh" build-win "$T"
  [ "$status" -eq 0 ]
  zip="$T/slink-$VERSION-win64.zip"
  [ -f "$zip" ]
  hash=$(sha256sum "$zip" | cut -d' ' -f1 | tr a-f A-F)
  [ "$output" = "$hash $zip" ]
  run python3 -c 'import sys, zipfile; print(" ".join(zipfile.ZipFile(sys.argv[1]).namelist()))' "$zip"
  [ "$output" = "slink.exe linkd.exe junction.exe ln.exe README.md json.md compat.md" ]
  # the same input gives the same zip
  mv "$zip" first.zip
  sh "$SLINK_SRC/packaging/release-zip.sh" build-win "$T" >/dev/null
  cmp first.zip "$zip"
  # no program, no zip
  rm build-win/slink.exe
  run sh "$SLINK_SRC/packaging/release-zip.sh" build-win "$T"
  [ "$status" -eq 1 ]
}
