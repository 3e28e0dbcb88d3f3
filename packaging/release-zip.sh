#!/bin/sh
# The Windows release zip: slink.exe, the personalities (the same program
# under the names linkd, junction and ln, which it answers to), the
# Explorer extension (slink-shell.dll and its install script), the README
# and the licence notes, as slink-VERSION-win64.zip in OUTDIR; prints the
# zip's SHA-256 for packaging/scoop/slink.json and the winget installer.
#   sh packaging/release-zip.sh build-win [OUTDIR]
set -eu
build=${1:?usage: release-zip.sh WINDOWS-BUILD-DIR [OUTDIR]}
out=${2:-.}
src=$(cd "$(dirname "$0")/.." && pwd)
version=$(sed -n "s/^ *version : '\([^']*\)'.*/\1/p" "$src/meson.build" | head -1)
[ -f "$build/slink.exe" ] || { echo "release-zip: no $build/slink.exe" >&2; exit 1; }
# make check's build links the program with libslink's DLL; the zip holds
# the program alone, so it wants a build with the default static link.
if [ -f "$build/meson-info/intro-buildoptions.json" ] &&
   python3 -c 'import json, sys; sys.exit(not any(o["name"] == "program_link" and o["value"] == "shared" for o in json.load(open(sys.argv[1]))))' \
     "$build/meson-info/intro-buildoptions.json"; then
  echo "release-zip: $build links slink.exe with the DLL (-Dprogram_link=shared); use a build with the default static link" >&2
  exit 1
fi
python3 - "$build/slink.exe" "$src" "$out/slink-$version-win64.zip" <<'PY'
import hashlib, os, sys, zipfile
exe, src, dest = sys.argv[1:4]
# Fixed times and order: the same build gives the same zip.
def add(z, name, data):
    info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    z.writestr(info, data)
prog = open(exe, "rb").read()
with zipfile.ZipFile(dest, "w") as z:
    for name in ("slink.exe", "linkd.exe", "junction.exe", "ln.exe"):
        add(z, name, prog)
    # The Explorer extension, where the build made it.
    shell = os.path.join(os.path.dirname(exe), "src", "shell", "slink-shell.dll")
    if os.path.exists(shell):
        add(z, "slink-shell.dll", open(shell, "rb").read())
        add(z, "Install-SlinkShell.ps1", open(os.path.join(
            src, "packaging", "windows", "Install-SlinkShell.ps1"), "rb").read())
    for doc in ("README.md", "docs/json.md", "docs/compat.md"):
        path = os.path.join(src, doc)
        if os.path.exists(path):
            add(z, os.path.basename(doc) if doc != "README.md" else "README.md",
                open(path, "rb").read())
print(hashlib.sha256(open(dest, "rb").read()).hexdigest().upper(), dest)
PY
