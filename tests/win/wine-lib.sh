# wine-lib.sh - what the wine-unix-*.sh tests share, sourced with `set -u`:
#   wine_abs PATH    prints PATH made absolute (the scripts cd away)
#   wine_setup NAME  skips (TAP) without Wine, sets Wine's environment,
#                    makes a scratch directory, cds into it and removes it
#                    (after making it writable) at exit
#   ok STATUS NAME   one TAP line; on failure the last out.txt/err.txt
n=0
failed=0

wine_abs() {
  case $1 in /*) printf '%s\n' "$1" ;; *) printf '%s\n' "$PWD/$1" ;; esac
}

wine_setup() {
  if ! command -v wine >/dev/null 2>&1; then
    echo "1..0 # SKIP Wine is not installed"
    exit 0
  fi
  export WINEDEBUG=-all LC_ALL=C.UTF-8
  export WINEPREFIX="${WINEPREFIX:-${TMPDIR:-/tmp}/slink-wine-$(id -u)}"
  unset DISPLAY WAYLAND_DISPLAY
  dir=$(mktemp -d "${TMPDIR:-/tmp}/slink-unix-$1-XXXXXX")
  trap 'chmod -R u+w "$dir" 2>/dev/null; rm -rf "$dir"' EXIT
  cd "$dir" || exit 1
}

ok() {
  n=$((n + 1))
  if [ "$1" -eq 0 ]; then
    echo "ok $n - $2"
  else
    echo "not ok $n - $2"
    sed 's/^/#   out: /' out.txt 2>/dev/null
    sed 's/^/#   err: /' err.txt 2>/dev/null
    failed=1
  fi
}
