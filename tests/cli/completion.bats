#!/usr/bin/env bats
# Shell completion: bash driven through COMP_WORDS/COMP_CWORD as bash does
# on Tab, fish through its own "complete -C", zsh with the completion
# system's functions stood in for.
load helpers

setup() {
  setup_dir
  mkdir -p bin adir alpha.d
  ln -s "$SLINK" bin/slink
  touch alpha.txt beta
  PATH="$T/bin:$PATH"
  BASH_COMPLETION="$SLINK_SRC/completions/slink.bash"
}
teardown() { teardown_dir; }

# Candidates bash offers for the words given, the last being the one
# under the cursor; one per line, sorted.
complete_bash() {
  bash -c '
    source "$1"; shift
    COMP_WORDS=("$@"); COMP_CWORD=$(( $# - 1 ))
    COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
    _slink
    printf "%s\n" "${COMPREPLY[@]}" | LC_ALL=C sort' _ "$BASH_COMPLETION" "$@"
}

@test "completion: bash registers _slink for slink" {
  run bash -c 'source "$1"; complete -p slink' _ "$BASH_COMPLETION"
  [ "$status" -eq 0 ]
  [ "$output" = "complete -F _slink slink" ]
}

@test "completion: bash offers every command slink --help lists" {
  want=$("$SLINK" --help | awk '/^commands:/ {on=1; next} on && /^  [a-z]/ {print $1}' | LC_ALL=C sort)
  [ -n "$want" ]
  run complete_bash slink ""
  [ "$status" -eq 0 ]
  [ "$output" = "$want" ]
  run complete_bash slink ma
  [ "$output" = "make" ]
  run complete_bash slink h
  [ "$output" = "hardlinks" ]
  run complete_bash slink --v
  [ "$output" = "--version" ]
}

@test "completion: bash offers every option of every command's --help" {
  for cmd in $("$SLINK" --help | awk '/^commands:/ {on=1; next} on && /^  [a-z]/ {print $1}'); do
    offered=$(complete_bash slink "$cmd" -)
    opts=$("$SLINK" "$cmd" --help | grep -oE '^ +(-[[:alnum:]])?(, )?(--[[:alnum:]][-[:alnum:]]*)?' |
      grep -oE -- '-[-[:alnum:]]+')
    [ -n "$opts" ]
    for o in $opts --color --quiet -q; do
      grep -qxe "$o" <<<"$offered" || { echo "slink $cmd: $o not offered"; return 1; }
    done
  done
}

@test "completion: bash completes the options of the command given" {
  run complete_bash slink make --ju
  [ "$output" = "--junction" ]
  run complete_bash slink rm --dry
  [ "$output" = "--dry-run" ]
  # an option before the operand does not hide the command
  run complete_bash slink scan -x --unord
  [ "$output" = "--unordered" ]
}

@test "completion: bash completes states and kinds, also after a comma" {
  run complete_bash slink scan --state dan
  [ "$output" = "dangling" ]
  run complete_bash slink scan -s ok,lo
  [ "$output" = "ok,loop" ]
  run complete_bash slink scan --state ""
  [ "${#lines[@]}" -eq 10 ]
  run complete_bash slink scan --kind jun
  [ "$output" = "junction" ]
  run complete_bash slink scan -k symlink,dir
  [ "$output" = "symlink,dir-symlink" ]
}

@test "completion: bash completes --color's values" {
  # bash splits "--color=al" into "--color" "=" "al"
  run complete_bash slink ls --color = al
  [ "$output" = "always" ]
  run complete_bash slink ls --color = ""
  [ "$output" = "$(printf 'always\nauto\nnever')" ]
}

@test "completion: bash completes paths, directories where only they fit" {
  run complete_bash slink show al
  [ "$output" = "$(printf 'alpha.d\nalpha.txt')" ]
  run complete_bash slink scan al
  [ "$output" = "alpha.d" ]
  run complete_bash slink hardlinks --in a
  [ "$output" = "$(printf 'adir\nalpha.d')" ]
  run complete_bash slink make newlink be
  [ "$output" = "beta" ]
}

@test "completion: fish completes commands, options, states and paths" {
  command -v fish >/dev/null || skip "fish is not installed"
  fc() { fish -c "source '$SLINK_SRC/completions/slink.fish'; complete -C '$1'" | cut -f1 | LC_ALL=C sort; }
  run fc "slink ma"
  [ "$output" = "make" ]
  run fc "slink make --ju"
  [ "$output" = "--junction" ]
  run fc "slink scan --state ok,da"
  [ "$output" = "ok,dangling" ]
  run fc "slink scan -k jun"
  [ "$output" = "junction" ]
  run fc "slink ls --color=n"
  [ "$output" = "--color=never" ]
  run fc "slink show alpha.t"
  [ "$output" = "alpha.txt" ]
}

@test "completion: zsh's function offers commands, options, states and paths" {
  command -v zsh >/dev/null || skip "zsh is not installed"
  run zsh -n "$SLINK_SRC/completions/_slink"
  [ "$status" -eq 0 ]
  [ "$(head -1 "$SLINK_SRC/completions/_slink")" = "#compdef slink" ]
  # The completion system's functions stood in for by ones that print
  # what they were given; then _slink runs as on Tab.
  cat > zc.zsh <<'ZSH'
src=$1; shift
compadd() { while [[ $1 != -- ]]; do shift; done; shift; print -l -- "$@"; }
_describe() { local -a a; a=("${(@P)4}"); print -l -- "${a[@]%%:*}"; }
_values() { shift 2; print -l -- "values:$1" "${@[2,-1]}"; }
_files() { print FILES; }
_directories() { print DIRS; }
_message() { print MSG; }
compset() { [[ $1 == -P && $PREFIX == ${~2}* ]] && { PREFIX=${PREFIX#${~2}}; return 0; }; return 1; }
source $src > /dev/null 2>&1
words=("$@"); CURRENT=$#; PREFIX=${words[CURRENT]}
_slink
ZSH
  zc() { zsh -f zc.zsh "$SLINK_SRC/completions/_slink" "$@" | tr '\n' ' '; }
  want=$("$SLINK" --help | awk '/^commands:/ {on=1; next} on && /^  [a-z]/ {printf "%s ", $1}')
  [ "$(zc slink '')" = "$want" ]
  [[ " $(zc slink make --s) " == *" --symbolic "* ]]
  [[ " $(zc slink make --s) " == *" --color "* ]]
  [ "$(zc slink scan --state '')" = "values:state ok dangling loop denied absolute relative messy lengthy cross-device escapes " ]
  [ "$(zc slink scan -k '')" = "values:kind symlink dir-symlink junction wsl-symlink app-link reparse " ]
  [ "$(zc slink show x)" = "FILES " ]
  [ "$(zc slink scan x)" = "DIRS " ]
  [ "$(zc slink ls --color=a)" = "auto always never " ]
}
