# bash completion for slink: commands, options, kinds, states and paths.
# Commands and options are read from the program's own --help, so they
# always match the slink that is installed.

_slink_commands() {
  "$1" --help 2>/dev/null | awk '/^commands:/ { on = 1; next }
    on && /^  [a-z]/ { print $1 } on && /^$/ { on = 0 }'
}

# Every option a command's --help lists, plus those every command takes.
_slink_options() {
  local line
  while IFS= read -r line; do
    if [[ $line =~ ^\ +(-[[:alnum:]])?(,\ )?(--[[:alnum:]][-[:alnum:]]*)? ]]; then
      [[ -n ${BASH_REMATCH[1]} ]] && printf '%s\n' "${BASH_REMATCH[1]}"
      [[ -n ${BASH_REMATCH[3]} ]] && printf '%s\n' "${BASH_REMATCH[3]}"
    fi
  done < <("$1" "$2" --help 2>/dev/null)
  printf '%s\n' --color --quiet -q
}

_slink() {
  local cur prev prog cmd i
  COMPREPLY=()
  cur=${COMP_WORDS[COMP_CWORD]}
  prev=${COMP_WORDS[COMP_CWORD-1]}
  prog=${COMP_WORDS[0]}
  local kinds="symlink dir-symlink junction wsl-symlink app-link reparse"
  local states="ok dangling loop denied absolute relative messy lengthy cross-device escapes"

  # The command is the first word after the program that is not an option.
  cmd=
  for ((i = 1; i < COMP_CWORD; i++)); do
    if [[ ${COMP_WORDS[i]} != -* ]]; then
      cmd=${COMP_WORDS[i]}
      break
    fi
  done

  if [[ -z $cmd ]]; then
    if [[ $cur == -* ]]; then
      mapfile -t COMPREPLY < <(compgen -W "--help --version" -- "$cur")
    else
      mapfile -t COMPREPLY < <(compgen -W "$(_slink_commands "$prog")" -- "$cur")
    fi
    return 0
  fi

  # --color=WHEN: bash splits at "=", so the value is its own word.
  if [[ $cur == --color=* ]]; then
    mapfile -t COMPREPLY < <(compgen -W "auto always never" -- "${cur#--color=}")
    return 0
  fi
  if [[ $prev == = && ${COMP_WORDS[COMP_CWORD-2]} == --color ]] ||
     [[ $cur == = && $prev == --color ]]; then
    [[ $cur == = ]] && cur=
    mapfile -t COMPREPLY < <(compgen -W "auto always never" -- "$cur")
    return 0
  fi

  # Values of options: a comma-separated list of states or kinds, a
  # directory, or something only the user knows.
  local list=
  case $cmd:$prev in
    scan:-s | scan:--state) list=$states ;;
    scan:-k | scan:--kind) list=$kinds ;;
    hardlinks:-i | hardlinks:--in)
      compopt -o filenames 2>/dev/null
      mapfile -t COMPREPLY < <(compgen -d -- "$cur")
      return 0 ;;
    make:--drive | fix:--retarget) return 0 ;;
  esac
  if [[ -n $list ]]; then
    local head= word=$cur
    if [[ $cur == *,* ]]; then
      head=${cur%,*},
      word=${cur##*,}
    fi
    mapfile -t COMPREPLY < <(compgen -W "$list" -P "$head" -- "$word")
    compopt -o nospace 2>/dev/null
    return 0
  fi

  if [[ $cur == -* ]]; then
    mapfile -t COMPREPLY < <(compgen -W "$(_slink_options "$prog" "$cmd" | sort -u)" -- "$cur")
    return 0
  fi

  # Operands are paths; for scan, fix and ls, directories.
  compopt -o filenames 2>/dev/null
  case $cmd in
    scan | fix | ls) mapfile -t COMPREPLY < <(compgen -d -- "$cur") ;;
    *) mapfile -t COMPREPLY < <(compgen -f -- "$cur") ;;
  esac
  return 0
}

complete -F _slink slink
