# persona-ln-lib.bash - run command lines under GNU coreutils' ln and under
# slink's ln personality, each in a fresh directory prepared the same way,
# and compare the trees they leave, their exit codes and their messages.
#
# A test lists its rows with `compare SETUP ARGS [STDIN [ENV]]` (ENV: the
# assignments put before the command) and checks them
# all with `compare_all`: each side runs every row in one shell, and the
# two reports are compared once (starting programs is the slow part).

# LN_WORK: where the rows run ($BATS_TEST_TMPDIR unless set before).
# LN_AS: a command the runs are prefixed with (e.g. setpriv to another
# user); the start trees are then given to LN_OWNER.
ln_setup_bins() {
  LN_WORK=${LN_WORK:-$BATS_TEST_TMPDIR}
  GNU_LN=$(command -v ln)
  BIN_GNU="$LN_WORK/bin-gnu"
  BIN_SLINK="$LN_WORK/bin-slink"
  mkdir -p "$BIN_GNU" "$BIN_SLINK"
  "$GNU_LN" -sf "$GNU_LN" "$BIN_GNU/ln"
  if [ -n "${LN_AS:-}" ]; then
    cp "$SLINK" "$BIN_SLINK/ln"  # where the other user can run it
  else
    "$GNU_LN" -sf "$SLINK" "$BIN_SLINK/ln"
  fi
  # Both run as plain "ln", so their messages start alike; the locale is
  # fixed because GNU's quoting depends on it.
  export LC_ALL=C.UTF-8
  unset VERSION_CONTROL SIMPLE_BACKUP_SUFFIX POSIXLY_CORRECT
  ROWS_SETUP=()
  ROWS_ARGS=()
  ROWS_INPUT=()
  ROWS_ENV=()
}

compare() {
  ROWS_SETUP+=("$1")
  ROWS_ARGS+=("$2")
  ROWS_INPUT+=("${3-}")
  ROWS_ENV+=("${4-}")
}

# A tree as lines: path, type, link target, link count and a number per
# inode (in order of first appearance), so shared inodes show.
ln_tree() {
  (cd "$1" && find . -mindepth 1 -printf '%i\t%p\t%y\t%l\t%n\n') |
    LC_ALL=C sort -t$'\t' -k2 |
    awk -F'\t' 'BEGIN { OFS = "\t" } { if (!($1 in g)) g[$1] = ++n; print $2, $3, $4, $5, "inode#" g[$1] }'
}

# ln_prepare BASE: every row's starting directory as BASE/<n>, made once
# and copied for each side (starting programs is the slow part).
ln_prepare() {
  local base=$1 i setup
  mkdir -p "$base"
  for i in "${!ROWS_ARGS[@]}"; do
    setup=${ROWS_SETUP[$i]%%|root|*}
    if [ -n "${LN_FIXTURE:-}" ] && [ "${setup%%;*}" = fixture ]; then
      cp -a "$LN_FIXTURE" "$base/$i"
      setup=${setup#fixture}
    else
      mkdir "$base/$i"
    fi
    if [ -n "${setup#;}" ]; then
      (cd "$base/$i" && eval "${setup#;}") >/dev/null 2>&1 || true
    fi
  done
}

# ln_side BIN BASE: run every row in BASE/<n>, the report in BASE.report.
ln_side() {
  local bin=$1 base=$2 i rc out err
  for i in "${!ROWS_ARGS[@]}"; do
    printf '%s' "${ROWS_INPUT[$i]}" >"$base.in"
    rc=0
    (cd "$base/$i" && PATH="$bin:$PATH" eval "${ROWS_ENV[$i]} ${LN_AS:-} ln ${ROWS_ARGS[$i]}") \
      <"$base.in" >"$base.out" 2>"$base.err" || rc=$?
    out= err=
    IFS= read -r -d '' out <"$base.out" || true
    IFS= read -r -d '' err <"$base.err" || true
    # GNU prints argv[0] as typed: the same here, normalised anyway so
    # that only the messages themselves are compared.
    err=${err//"$bin/ln: "/"ln: "}
    printf '### row %s: [%s] %s ln %s\nexit %s\n--- stdout\n%s--- stderr\n%s' \
      "$i" "${ROWS_SETUP[$i]}" "${ROWS_ENV[$i]}" "${ROWS_ARGS[$i]}" "$rc" "$out" "$err"
  done >"$base.report"
  ln_tree "$base" >>"$base.report"
}

compare_all() {
  local g="$LN_WORK/gnu" s="$LN_WORK/slink"
  ln_prepare "$LN_WORK/start"
  if [ -n "${LN_OWNER:-}" ]; then
    # The owner changes, the modes stay: a 555 directory stays read-only.
    chown -R -h "$LN_OWNER" "$LN_WORK/start"
    # What follows "|root|" in a setup runs after that, as root: entries
    # the user does not own.
    local i after
    for i in "${!ROWS_SETUP[@]}"; do
      after=${ROWS_SETUP[$i]}
      [ "$after" = "${after#*|root|}" ] && continue
      (cd "$LN_WORK/start/$i" && eval "${after#*|root|}") >/dev/null 2>&1 || true
    done
  fi
  cp -a "$LN_WORK/start" "$g"
  cp -a "$LN_WORK/start" "$s"
  ln_side "$BIN_GNU" "$g"
  ln_side "$BIN_SLINK" "$s"
  diff -U8 --label gnu --label slink "$g.report" "$s.report"
}
