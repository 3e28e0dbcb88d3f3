/*
 * test_win_swap.c - the deterministic attack on slink_clone() and
 * slink_move() on Windows: the test hook stops them between the look at
 * an entry and the act on it, and there the entry is renamed away and a
 * link to the outside directory put under its name. Nothing of the
 * outside may reach DEST, and the outside (the canary) must keep every
 * name and byte, also when the swap lands in the removal of a move's old
 * tree. A naive control (the same name opened by path at the same gap)
 * must reach the outside: otherwise the gap proves nothing.
 *
 * The link put there is what the system can make: a junction (or a file
 * symbolic link) on Windows; under Wine, which makes no reparse points,
 * a Linux symbolic link made by /bin/ln on the Linux side, which Wine
 * follows as Windows follows a junction. Either way the library must see
 * that the name no longer is the entry it looked at (file IDs, and
 * Wine's entry check). Across filesystems: SLINK_TEST_OTHER_DIR, or
 * Z:\dev\shm under Wine.
 */
#include "lib/hook.h"
#include "scratch.h"
#include "win/nt.h"

static const char *wine;
static char cwd[MAX_PATH * 4];

/* The Linux path of the Windows path W (Wine only), malloc'd by Wine's
 * heap, or NULL. */
static char *unix_path(const wchar_t *w) {
  typedef char *(CDECL * unix_fn)(LPCWSTR);
  FARPROC p = GetProcAddress(GetModuleHandleW(L"kernel32.dll"),
                             "wine_get_unix_file_name");
  unix_fn fn;
  if (!p)
    return NULL;
  memcpy(&fn, &p, sizeof fn);
  return fn(w);
}

/* Run /bin/ARGV0 with two path arguments on the Linux side, then wait
 * (Wine gives no exit status of a Linux process) until NAME exists
 * (WANT 1) or is gone (WANT 0). */
static int run_unix(const char *tool, const char *a, const char *b,
                    const wchar_t *name, int want) {
  char cmd[3 * MAX_PATH * 4];
  STARTUPINFOA si;
  PROCESS_INFORMATION pi;
  memset(&si, 0, sizeof si);
  si.cb = sizeof si;
  snprintf(cmd, sizeof cmd, "Z:\\bin\\%s %s \"%s\"%s%s%s", tool,
           b ? "-s" : "-f", a, b ? " \"" : "", b ? b : "", b ? "\"" : "");
  if (!CreateProcessA(NULL, cmd, NULL, NULL, FALSE, 0, NULL, NULL, &si, &pi))
    return 0;
  CloseHandle(pi.hThread);
  CloseHandle(pi.hProcess);
  for (int i = 0; i < 500; i++) {
    DWORD at = GetFileAttributesW(name);
    /* A dangling Linux link is "not there" to Wine: ask lstat's view. */
    int there = at != INVALID_FILE_ATTRIBUTES;
    if (there == want)
      return 1;
    Sleep(10);
  }
  return 0;
}

/* The links the attack made, removed from the Linux side at the end
 * (Wine removing a Linux link removes what it points to). */
static wchar_t made_links[16][MAX_PATH * 2];
static int n_made;

/* Put at the Windows path NAME (renamed away first) a link to the
 * directory or file TARGET (absolute). */
static int swap_in_link(const wchar_t *name, const wchar_t *target,
                        int is_dir) {
  wchar_t away[MAX_PATH * 2];
  swprintf(away, sizeof away / sizeof *away, L"%ls.away", name);
  if (!MoveFileW(name, away))
    return 0;
  if (wine) {
    char *to = unix_path(target), *at = unix_path(name);
    int ok = to && at && run_unix("ln", to, at, name, 1);
    if (ok && n_made < 16)
      wcscpy(made_links[n_made++], name);
    return ok;
  }
  char *at = NULL, *to = NULL;
  int rc = slink_utf16_to_utf8(name, wcslen(name), &at) == 0 &&
                   slink_utf16_to_utf8(target, wcslen(target), &to) == 0
               ? 0
               : -1;
  if (rc == 0) {
    slink_make_opts mo;
    slink_made made;
    memset(&mo, 0, sizeof mo);
    memset(&made, 0, sizeof made);
    mo.type = is_dir ? SLINK_MAKE_JUNCTION : SLINK_MAKE_SYMBOLIC;
    mo.flags = is_dir ? 0 : SLINK_MAKE_FILE;
    rc = slink_make(at, to, &mo, &made);
    slink_made_free(&made);
  }
  free(at);
  free(to);
  return rc == 0;
}

static void unmake_links(void) {
  for (int i = 0; i < n_made; i++) {
    char *at = unix_path(made_links[i]);
    if (at)
      run_unix("rm", at, NULL, made_links[i], 0);
  }
  n_made = 0;
}

typedef struct attack {
  int point;
  const char *name;   /* the entry the hook waits for */
  const char *to;     /* what the link points to, below outside\ */
  int is_dir;
  const char *after;  /* only once this step of move has begun (NULL:
                         from the start) */
  int naive;          /* the control: read the name by path after it */
  volatile LONG fired;
  int armed, swapped, naive_lost;
} attack;

static attack *current;

/* Events about the swapped name: errors and notes (never silence). */
static int told;
static int on_event(const slink_clone_event *ev, void *ctx) {
  const attack *a = ctx;
  size_t n = strlen(a->name);
  if ((ev->error || ev->note) && ev->path_len >= n &&
      memcmp(ev->path + ev->path_len - n, a->name, n) == 0)
    told++;
  return 0;
}

/* The Windows path of the directory handle D, without "\\?\". */
/* The first CAP - 1 bytes of PATH as a string; "" when it cannot be read. */
static void read_head(const wchar_t *path, char *buf, size_t cap) {
  buf[0] = 0;
  FILE *f = _wfopen(path, L"rb");
  if (f) {
    size_t n = fread(buf, 1, cap - 1, f);
    buf[n] = 0;
    fclose(f);
  }
}

static int path_of(slink__h *d, wchar_t *out, size_t cap) {
  DWORD n = GetFinalPathNameByHandleW(d->h, out, (DWORD)cap,
                                      FILE_NAME_NORMALIZED | VOLUME_NAME_DOS);
  if (n == 0 || n >= cap)
    return 0;
  if (wcsncmp(out, L"\\\\?\\", 4) == 0 && out[5] == L':')
    memmove(out, out + 4, (n - 3) * sizeof *out);
  return 1;
}

static void hook(int point, slink__h *dir, const char *name, void *ctx) {
  attack *a = current;
  (void)ctx;
  if (!a)
    return;
  if (point == SLINK__HP_MOVE_STEP && name && a->after &&
      strcmp(name, a->after) == 0)
    a->armed = 1;
  if (point != a->point || !dir || !name || strcmp(name, a->name) != 0 ||
      (a->after && !a->armed) ||
      InterlockedCompareExchange(&a->fired, 1, 0) != 0)
    return;
  wchar_t at[MAX_PATH * 2], to[MAX_PATH * 2], wname[MAX_PATH];
  if (!path_of(dir, at, MAX_PATH * 2) ||
      MultiByteToWideChar(CP_UTF8, 0, name, -1, wname, MAX_PATH) == 0)
    return;
  wcscat(at, L"\\");
  wcscat(at, wname);
  swprintf(to, sizeof to / sizeof *to, L"%hs\\outside\\%hs", cwd, a->to);
  a->swapped = swap_in_link(at, to, a->is_dir);
  if (a->naive) {
    wchar_t probe[MAX_PATH * 2];
    swprintf(probe, sizeof probe / sizeof *probe, L"%ls%ls", at,
             a->is_dir ? L"\\h1" : L"");
    char buf[32];
    read_head(probe, buf, sizeof buf);
    a->naive_lost = strncmp(buf, "outside", 7) == 0;
  }
}

static void mkdir_u(const char *name) {
  wchar_t *w;
  if (slink__win_path(name, &w) == 0) {
    CreateDirectoryW(w, NULL);
    free(w);
  }
}

/* tree\a\g1, tree\a\g2, tree\b\h1; outside\g1, g2, sub\h1, empty\. */
static void make(void) {
  mkdir_u("tree");
  mkdir_u("tree\\a");
  mkdir_u("tree\\b");
  write_file("tree\\a\\g1", "tree g1");
  write_file("tree\\a\\g2", "tree g2");
  write_file("tree\\b\\h1", "tree h1");
  mkdir_u("outside");
  mkdir_u("outside\\sub");
  mkdir_u("outside\\empty");
  write_file("outside\\g1", "outside g1");
  write_file("outside\\g2", "outside g2");
  write_file("outside\\sub\\h1", "outside h1");
}

static int outside_intact(void) {
  return strcmp(read_file("outside\\g1"), "outside g1") == 0 &&
         strcmp(read_file("outside\\g2"), "outside g2") == 0 &&
         strcmp(read_file("outside\\sub\\h1"), "outside h1") == 0 &&
         kind_of("outside\\empty") == SLINK_KIND_DIR;
}

/* Nonzero when a file below DIR (links not followed: the library makes
 * none under Wine, and on Windows a reparse point is skipped) starts
 * with TEXT. */
static int holds(const wchar_t *dir, const char *text) {
  wchar_t pat[MAX_PATH * 2];
  WIN32_FIND_DATAW fd;
  int found = 0;
  swprintf(pat, sizeof pat / sizeof *pat, L"%ls\\*", dir);
  HANDLE h = FindFirstFileW(pat, &fd);
  if (h == INVALID_HANDLE_VALUE)
    return 0;
  do {
    wchar_t p[MAX_PATH * 2];
    if (!wcscmp(fd.cFileName, L".") || !wcscmp(fd.cFileName, L"..") ||
        (fd.dwFileAttributes & FILE_ATTRIBUTE_REPARSE_POINT))
      continue;
    swprintf(p, sizeof p / sizeof *p, L"%ls\\%ls", dir, fd.cFileName);
    if (fd.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY) {
      found |= holds(p, text);
    } else {
      char buf[16];
      read_head(p, buf, sizeof buf);
      found |= strncmp(buf, text, strlen(text)) == 0;
    }
  } while (!found && FindNextFileW(h, &fd));
  FindClose(h);
  return found;
}

static int holds_outside(const wchar_t *dir) { return holds(dir, "outside"); }

/* Every file SRC had is in DEST or still on this side (nothing lost). */
static int nothing_lost(const wchar_t *dest) {
  static const char *const texts[] = {"tree g1", "tree g2", "tree h1"};
  for (int i = 0; i < 3; i++)
    if (!holds(dest, texts[i]) && !holds(L"tree", texts[i]) &&
        !holds(L".", texts[i]))
      return 0;
  return 1;
}

static void clear(void) {
  unmake_links();
  scratch_clear(".");
}

static const char *point_name(int point) {
  switch (point) {
  case SLINK__HP_WALK_BEFORE_OPEN: return "before the open";
  case SLINK__HP_WALK_BEFORE_ACT: return "before the act";
  case SLINK__HP_WALK_BEFORE_RMDIR: return "before the rmdir";
  default: return "at a gap";
  }
}

/* A fresh tree and outside, and the attack on NAME at POINT (after the
 * step AFTER of move, or NULL). */
static attack armed(int point, const char *name, const char *to, int is_dir,
                    const char *after) {
  attack a;
  memset(&a, 0, sizeof a);
  a.point = point;
  a.name = name;
  a.to = to;
  a.is_dir = is_dir;
  a.after = after;
  make();
  return a;
}

/* slink_clone() attacked at POINT on NAME; then the control. */
static void clone_swapped(unsigned flags, int point, const char *name,
                          const char *to, int is_dir) {
  const char *how = flags & SLINK_CLONE_COPY ? "--copy" : "--hard";
  for (int naive = 0; naive <= 1; naive++) {
    attack a = armed(point, name, to, is_dir, NULL);
    slink_clone_opts o;
    slink_clone_stats n;
    a.naive = naive;
    memset(&o, 0, sizeof o);
    o.flags = flags;
    o.cb = on_event;
    o.ctx = &a;
    told = 0;
    current = &a;
    slink__hook = hook;
    int rc = slink_clone("tree", "dest", &o, &n);
    slink__hook = NULL;
    current = NULL;
    if (!a.swapped) {
      tap_skip("clone swap", "no link could be put in place here");
      clear();
      return;
    }
    if (naive) {
      TAP_OK(a.naive_lost, "clone %s, %s swapped %s: a look by path there "
                           "reaches the outside (the gap is real)",
             how, name, point_name(point));
    } else {
      /* A file opened for its copy is checked against the look (an
       * error); a directory, or a file linked, is looked at again and
       * taken as what is there now (a link: kept, or left out with a
       * note), never entered or followed. */
      if ((flags & SLINK_CLONE_COPY) && !is_dir)
        TAP_OK(rc < 0, "clone %s, %s swapped %s: the change is an error "
                       "(%s)", how, name, point_name(point),
               slink_strerror(rc));
      else
        TAP_OK(rc < 0 || told > 0 || n.links_kept > 0,
               "clone %s, %s swapped %s: the link there is reported or "
               "kept as a link (%s)", how, name, point_name(point),
               slink_strerror(rc));
      TAP_OK(!holds_outside(L"dest"),
             "clone %s, %s swapped %s: nothing of the outside in DEST", how,
             name, point_name(point));
      TAP_OK(outside_intact(), "clone %s, %s swapped %s: the outside is "
                               "intact", how, name, point_name(point));
    }
    clear();
  }
}

/* A directory on another filesystem (made, and its path in DIR), or 0. */
static int other_dir(char *dir, size_t cap) {
  const char *env = getenv("SLINK_TEST_OTHER_DIR");
  if (env && *env) {
    snprintf(dir, cap, "%s\\swap-%lu", env, GetTickCount());
  } else if (wine &&
             GetFileAttributesW(L"Z:\\dev\\shm") != INVALID_FILE_ATTRIBUTES) {
    snprintf(dir, cap, "Z:\\dev\\shm\\slink-swap-%lu-%lu",
             GetCurrentProcessId(), GetTickCount());
  } else {
    return 0;
  }
  mkdir_u(dir);
  return 1;
}

/* slink_move() across filesystems attacked at POINT on NAME, in the
 * copy of SRC or (AFTER_REMOVE) in the removal of the old tree. */
static void move_swapped(int point, const char *name, const char *to,
                         int is_dir, int after_remove) {
  char other[MAX_PATH], dest[MAX_PATH];
  const char *where = after_remove ? "the old tree's removal" : "the copy";
  if (!other_dir(other, sizeof other)) {
    tap_skip("move swap", "no second filesystem here");
    return;
  }
  snprintf(dest, sizeof dest, "%s\\moved", other);
  attack a = armed(point, name, to, is_dir,
                   after_remove ? "remove" : "copy");
  slink_move_opts mo;
  slink_clone_stats n;
  memset(&mo, 0, sizeof mo);
  mo.leave = SLINK_LEAVE_NONE;
  current = &a;
  slink__hook = hook;
  int rc = slink_move("tree", dest, &mo, &n);
  slink__hook = NULL;
  current = NULL;
  if (!a.swapped) {
    tap_skip("move swap", "no link could be put in place here");
  } else {
    wchar_t wdest[MAX_PATH];
    swprintf(wdest, MAX_PATH, L"%hs", dest);
    if (!after_remove && !is_dir) {
      /* A file is opened for its copy and checked against the look. */
      TAP_OK(rc < 0, "move, %s swapped %s in %s: the move stops (%s)", name,
             point_name(point), where, slink_strerror(rc));
      TAP_OK(!holds_outside(wdest),
             "move, %s swapped %s in %s: nothing of the outside in DEST",
             name, point_name(point), where);
      TAP_OK(strcmp(read_file("tree\\b\\h1"), "tree h1") == 0,
             "move, %s swapped %s in %s: SRC is still there", name,
             point_name(point), where);
      slink_move_rollback(dest, &mo);
    } else if (!after_remove) {
      /* A directory is looked at again: the link there is a link (kept,
       * or under Wine an unknown reparse point left out with a note);
       * the directory renamed away was never listed by the copy, so the
       * move stops before the old tree is touched. */
      TAP_OK(rc < 0, "move, %s swapped %s in %s: the move stops (%s)", name,
             point_name(point), where, slink_strerror(rc));
      TAP_OK(!holds_outside(wdest),
             "move, %s swapped %s in %s: nothing of the outside in DEST",
             name, point_name(point), where);
      slink_move_rollback(dest, &mo);
    } else {
      char h1[MAX_PATH + 8];
      snprintf(h1, sizeof h1, "%s\\b\\h1", dest);
      TAP_STR(read_file(h1), "tree h1",
              "move, %s swapped %s in %s: DEST holds the tree", name,
              point_name(point), where);
    }
    TAP_OK(outside_intact(), "move, %s swapped %s in %s: the outside is "
                             "intact", name, point_name(point), where);
    TAP_OK(nothing_lost(wdest), "move, %s swapped %s in %s: every file of "
                                "SRC is in DEST or still here", name,
           point_name(point), where);
  }
  unmake_links();
  slink_remove_tree(other, SLINK_TREE_MAKE_WRITABLE, NULL, NULL);
  clear();
}

int main(void) {
  wchar_t wcwd[MAX_PATH * 2];
  wine = tap_wine_version();
  if (!TAP_OK(scratch_begin("swap"), "a scratch directory"))
    return tap_done();
  GetCurrentDirectoryW(MAX_PATH * 2, wcwd);
  snprintf(cwd, sizeof cwd, "%ls", wcwd);
  /* A directory swapped between its look and its open, a file between
   * its look and its copy or link. */
  clone_swapped(SLINK_CLONE_COPY, SLINK__HP_WALK_BEFORE_OPEN, "a", "sub", 1);
  clone_swapped(0, SLINK__HP_WALK_BEFORE_OPEN, "a", "sub", 1);
  clone_swapped(SLINK_CLONE_COPY, SLINK__HP_WALK_BEFORE_ACT, "g1", "g1", 0);
  clone_swapped(0, SLINK__HP_WALK_BEFORE_ACT, "g1", "g1", 0);
  /* move across filesystems: in its copy, and in the removal of the old
   * tree (a directory before it is entered, a file before its unlink,
   * an emptied directory before its rmdir). */
  move_swapped(SLINK__HP_WALK_BEFORE_OPEN, "a", "sub", 1, 0);
  move_swapped(SLINK__HP_WALK_BEFORE_ACT, "g1", "g1", 0, 0);
  move_swapped(SLINK__HP_WALK_BEFORE_OPEN, "a", "sub", 1, 1);
  move_swapped(SLINK__HP_WALK_BEFORE_ACT, "g1", "g1", 0, 1);
  move_swapped(SLINK__HP_WALK_BEFORE_RMDIR, "a", "empty", 1, 1);
  scratch_end();
  return tap_done();
}
