#!/bin/sh
# Install the Debian packages listed in deps/debian-packages.txt that are
# missing. As root this runs apt-get; as anyone else it prints the command.
set -eu
list=${1:-$(dirname "$0")/../deps/debian-packages.txt}
if ! command -v dpkg-query >/dev/null 2>&1; then
  echo "deps: not a Debian system; install the equivalents of: $(tr '\n' ' ' < "$list")" >&2
  exit 0
fi
missing=""
for p in $(grep -v '^#' "$list"); do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  case "$status" in
    *"install ok installed"*) ;;
    *) missing="$missing $p" ;;
  esac
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "deps: missing Debian packages; as root, run:" >&2
  echo "  apt-get update && apt-get install -y$missing" >&2
  exit 1
fi
echo "deps: installing$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
