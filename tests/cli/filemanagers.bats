#!/usr/bin/env bats
# The Linux file managers' link verbs: each command line of Dolphin's
# service menu and of the Nautilus scripts run as the file manager runs
# it (the selection substituted for %F, or given as the arguments in the
# folder shown), against the built slink; and `meson install` puts them
# in the folders the file managers read.
load helpers

setup() {
  setup_dir
  FM="$SLINK_BUILD/packaging/linux"
  export SLINK_FILEMANAGER_SLINK="$SLINK" XDG_STATE_HOME="$T/state"
  unset DISPLAY WAYLAND_DISPLAY
  HELPER=$(sed -n 's/^Exec=\(.*\) pick %F$/\1/p' "$FM/slink.desktop")
  mkdir -p src dest
  echo data > src/file.txt
  mkdir src/folder
}
teardown() { teardown_dir; }

# dolphin ACTION ITEM...: the action's Exec line with %F made the items,
# the installed helper path made the build's.
dolphin() {
  local action=$1 line
  shift
  line=$(awk -v a="[Desktop Action $action]" '$0 == a { f = 1; next }
    /^\[/ { f = 0 } f && /^Exec=/ { sub(/^Exec=/, ""); print }' "$FM/slink.desktop")
  [ -n "$line" ] || { echo "no Exec for $action"; return 1; }
  line=${line/"$HELPER"/"sh $FM/slink-filemanager"}
  line=${line/"%F"/"$*"}
  sh -c "$line"
}

# nautilus SCRIPT DIR ITEM...: the script run in DIR with the items.
nautilus() {
  local script=$1 dir=$2
  shift 2
  (cd "$dir" && sed "s#exec \"$HELPER\"#exec sh \"$FM/slink-filemanager\"#" \
      "$FM/$script" | sh -s -- "$@")
}

@test "filemanagers: the service menu names four actions, each with its command" {
  grep -qx 'Actions=pick;dropSymbolic;dropHard;remove' "$FM/slink.desktop"
  [ "$(grep -c '^Exec=' "$FM/slink.desktop")" -eq 4 ]
  [ -n "$HELPER" ]
  [[ "$HELPER" == /*/slink-filemanager ]]
}

@test "filemanagers: Dolphin: Pick Link Source, then Drop As Symbolic Link" {
  run dolphin pick "$T/src/file.txt" "$T/src/folder"
  [ "$status" -eq 0 ]
  [ "$(cat "$T/state/slink/picked")" = "$T/src/file.txt
$T/src/folder" ]
  run dolphin dropSymbolic "$T/dest"
  [ "$status" -eq 0 ]
  [ "$(readlink dest/file.txt)" = "$T/src/file.txt" ]
  [ "$(readlink dest/folder)" = "$T/src/folder" ]
}

@test "filemanagers: Dolphin: Drop As Hard Link, on a file: into its folder" {
  echo other > dest/other.txt
  dolphin pick "$T/src/file.txt"
  run dolphin dropHard "$T/dest/other.txt"
  [ "$status" -eq 0 ]
  [ "$(stat -c %i dest/file.txt)" = "$(stat -c %i src/file.txt)" ]
  [ "$(stat -c %h src/file.txt)" -eq 2 ]
}

@test "filemanagers: Dolphin: Drop As Hard Link of a folder fails with slink's message" {
  dolphin pick "$T/src/folder"
  run dolphin dropHard "$T/dest"
  [ "$status" -eq 1 ]
  [[ "$output" == "slink: make: "*"hard links to directories are not allowed"* ]] || false
  [ ! -e dest/folder ]
}

@test "filemanagers: Dolphin: Remove Link keeps the target" {
  ln -s ../src/folder dest/link
  run dolphin remove "$T/dest/link"
  [ "$status" -eq 0 ]
  [ ! -L dest/link ]
  [ -d src/folder ]
  [ "$(cat src/file.txt)" = data ]
}

@test "filemanagers: Dolphin: Remove Link on a plain file refuses and keeps it" {
  run dolphin remove "$T/src/file.txt"
  [ "$status" -eq 1 ]
  [[ "$output" == "slink: rm: "*"is not a link; nothing removed" ]] || false
  [ "$(cat src/file.txt)" = data ]
}

@test "filemanagers: Drop As without a pick says so" {
  run dolphin dropSymbolic "$T/dest"
  [ "$status" -eq 1 ]
  [[ "$output" == *"nothing picked"* ]] || false
}

@test "filemanagers: Nautilus: the four scripts, with names relative to the folder shown" {
  for s in 'Pick Link Source' 'Drop As Symbolic Link' 'Drop As Hard Link' 'Remove Link'; do
    [ -f "$FM/$s" ] || { echo "no script $s"; return 1; }
  done
  run nautilus 'Pick Link Source' src file.txt
  [ "$status" -eq 0 ]
  [ "$(cat "$T/state/slink/picked")" = "$T/src/file.txt" ]
  # Nothing selected: the links go in the folder shown.
  run nautilus 'Drop As Hard Link' dest
  [ "$status" -eq 0 ]
  [ "$(stat -c %h src/file.txt)" -eq 2 ]
  run nautilus 'Drop As Symbolic Link' src folder
  [ "$status" -eq 0 ]
  [ "$(readlink src/folder/file.txt)" = "$T/src/file.txt" ]
  run nautilus 'Remove Link' src/folder file.txt
  [ "$status" -eq 0 ]
  [ ! -L src/folder/file.txt ]
  [ "$(cat src/file.txt)" = data ]
}

@test "filemanagers: meson install puts them where the file managers look" {
  run meson install -C "$SLINK_BUILD" --no-rebuild --destdir "$T/root"
  [ "$status" -eq 0 ]
  prefix=$(meson introspect --buildoptions "$SLINK_BUILD" |
    python3 -c 'import json,sys; print(next(o["value"] for o in json.load(sys.stdin) if o["name"] == "prefix"))')
  [ -x "$T/root$prefix/share/kio/servicemenus/slink.desktop" ]
  [ -x "$T/root$HELPER" ]
  [ -x "$T/root$prefix/share/slink/nautilus-scripts/Drop As Hard Link" ]
  grep -q "^slink=\${SLINK_FILEMANAGER_SLINK:-$prefix/bin/slink}" "$T/root$HELPER"
}
