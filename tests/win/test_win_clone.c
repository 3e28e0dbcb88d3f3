/*
 * test_win_clone.c - slink_clone() and slink_move() on Windows: hard-link
 * groups kept by --hard and --copy, times, read-only and hidden kept, the
 * 1,023-name limit turned into counted copies (a test hook lowers it),
 * moves within a volume and across filesystems, and the refusal of a SRC
 * another program holds open without delete sharing. What Wine cannot
 * make (junctions, alternate data streams, security descriptors it
 * cannot store) is tested where the system can, and skipped elsewhere
 * with the reason.
 *
 * Across filesystems: SLINK_TEST_OTHER_DIR names a directory on another
 * volume (the workflow attaches one); under Wine, Z:\dev\shm (a tmpfs)
 * when the scratch directory is elsewhere. SLINK_TEST_FAT_DIR names one
 * on FAT, which keeps no alternate data streams.
 */
#include <aclapi.h>
#include <sddl.h>

#include "scratch.h"

#include <winioctl.h>

static const char *wine;

static void mkdir_u(const char *name) {
  wchar_t *w;
  if (slink__win_path(name, &w) == 0) {
    CreateDirectoryW(w, NULL);
    free(w);
  }
}

static int hardlink_u(const char *link, const char *target) {
  wchar_t *wl, *wt;
  int ok = 0;
  if (slink__win_path(link, &wl) == 0) {
    if (slink__win_path(target, &wt) == 0) {
      ok = CreateHardLinkW(wl, wt, NULL) != 0;
      free(wt);
    }
    free(wl);
  }
  return ok;
}

/* NAME's file information (its own, links not followed); 0 if none. */
static int info_of(const char *name, BY_HANDLE_FILE_INFORMATION *fi) {
  wchar_t *w;
  HANDLE h;
  int ok = 0;
  if (slink__win_path(name, &w) < 0)
    return 0;
  h = CreateFileW(w, FILE_READ_ATTRIBUTES,
                  FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, NULL,
                  OPEN_EXISTING,
                  FILE_FLAG_BACKUP_SEMANTICS | FILE_FLAG_OPEN_REPARSE_POINT,
                  NULL);
  free(w);
  if (h != INVALID_HANDLE_VALUE) {
    ok = GetFileInformationByHandle(h, fi) != 0;
    CloseHandle(h);
  }
  return ok;
}

static int same_file(const char *a, const char *b) {
  BY_HANDLE_FILE_INFORMATION x, y;
  return info_of(a, &x) && info_of(b, &y) &&
         x.dwVolumeSerialNumber == y.dwVolumeSerialNumber &&
         x.nFileIndexHigh == y.nFileIndexHigh &&
         x.nFileIndexLow == y.nFileIndexLow;
}

static DWORD attrs_of(const char *name) {
  BY_HANDLE_FILE_INFORMATION fi;
  return info_of(name, &fi) ? fi.dwFileAttributes : INVALID_FILE_ATTRIBUTES;
}

static uint64_t mtime_of(const char *name) {
  BY_HANDLE_FILE_INFORMATION fi;
  if (!info_of(name, &fi))
    return 0;
  return ((uint64_t)fi.ftLastWriteTime.dwHighDateTime << 32) |
         fi.ftLastWriteTime.dwLowDateTime;
}

/* Set NAME's modification time to TICKS (100 ns since 1601). */
static int set_mtime(const char *name, uint64_t ticks) {
  wchar_t *w;
  HANDLE h;
  FILETIME ft;
  int ok = 0;
  if (slink__win_path(name, &w) < 0)
    return 0;
  h = CreateFileW(w, FILE_WRITE_ATTRIBUTES, FILE_SHARE_READ, NULL,
                  OPEN_EXISTING, FILE_FLAG_BACKUP_SEMANTICS, NULL);
  free(w);
  ft.dwLowDateTime = (DWORD)ticks;
  ft.dwHighDateTime = (DWORD)(ticks >> 32);
  if (h != INVALID_HANDLE_VALUE) {
    ok = SetFileTime(h, NULL, NULL, &ft) != 0;
    CloseHandle(h);
  }
  return ok;
}

static int set_attrs(const char *name, DWORD attrs) {
  wchar_t *w;
  int ok = 0;
  if (slink__win_path(name, &w) == 0) {
    ok = SetFileAttributesW(w, attrs) != 0;
    free(w);
  }
  return ok;
}

/* ROOT: a.txt and sub/b.txt one file, sub/c.txt, ro.txt read-only,
 * hid.txt hidden, empty/ an empty directory; times fixed. */
static void make_tree(const char *root) {
  char p[MAX_PATH], q[MAX_PATH];
  mkdir_u(root);
  snprintf(p, sizeof p, "%s\\sub", root);
  mkdir_u(p);
  snprintf(p, sizeof p, "%s\\empty", root);
  mkdir_u(p);
  snprintf(p, sizeof p, "%s\\a.txt", root);
  write_file(p, "group");
  snprintf(q, sizeof q, "%s\\sub\\b.txt", root);
  hardlink_u(q, p);
  snprintf(p, sizeof p, "%s\\sub\\c.txt", root);
  write_file(p, "single");
  set_mtime(p, UINT64_C(132223104000000000)); /* 2020-01-01 */
  snprintf(p, sizeof p, "%s\\ro.txt", root);
  write_file(p, "read-only");
  set_mtime(p, UINT64_C(132223104001234567));
  set_attrs(p, FILE_ATTRIBUTE_READONLY);
  snprintf(p, sizeof p, "%s\\hid.txt", root);
  write_file(p, "hidden");
  set_attrs(p, FILE_ATTRIBUTE_HIDDEN);
  snprintf(p, sizeof p, "%s\\sub", root);
  set_mtime(p, UINT64_C(132223104009999999));
}

/* What every copy of make_tree() must show, under DEST. */
static void check_tree(const char *dest, const char *how) {
  char a[MAX_PATH], b[MAX_PATH];
  snprintf(a, sizeof a, "%s\\a.txt", dest);
  snprintf(b, sizeof b, "%s\\sub\\b.txt", dest);
  TAP_STR(read_file(a), "group", "%s: a.txt holds its bytes", how);
  TAP_OK(same_file(a, b), "%s: a.txt and sub/b.txt are still one file", how);
  snprintf(a, sizeof a, "%s\\sub\\c.txt", dest);
  TAP_STR(read_file(a), "single", "%s: sub/c.txt holds its bytes", how);
  TAP_OK(mtime_of(a) == UINT64_C(132223104000000000),
         "%s: sub/c.txt keeps its modification time", how);
  snprintf(a, sizeof a, "%s\\ro.txt", dest);
  TAP_OK(attrs_of(a) != INVALID_FILE_ATTRIBUTES &&
             (attrs_of(a) & FILE_ATTRIBUTE_READONLY),
         "%s: ro.txt stays read-only", how);
  TAP_OK(mtime_of(a) == UINT64_C(132223104001234567),
         "%s: ro.txt keeps its time to the 100 ns", how);
  snprintf(a, sizeof a, "%s\\hid.txt", dest);
  TAP_OK(attrs_of(a) != INVALID_FILE_ATTRIBUTES &&
             (attrs_of(a) & FILE_ATTRIBUTE_HIDDEN),
         "%s: hid.txt stays hidden", how);
  snprintf(a, sizeof a, "%s\\sub", dest);
  TAP_OK(mtime_of(a) == UINT64_C(132223104009999999),
         "%s: the directory sub keeps its time", how);
  snprintf(a, sizeof a, "%s\\empty", dest);
  TAP_INT(kind_of(a), SLINK_KIND_DIR, "%s: the empty directory is there", how);
}

static void test_clone(void) {
  slink_clone_stats n;
  slink_clone_opts o;
  make_tree("src");
  TAP_INT(slink_clone("src", "hard", NULL, &n), 0, "clone --hard succeeds");
  TAP_OK(same_file("hard\\sub\\c.txt", "src\\sub\\c.txt") &&
             same_file("hard\\a.txt", "src\\a.txt"),
         "--hard: every file is a name of the source's");
  TAP_INT(n.errors, 0, "--hard: no errors counted");
  memset(&o, 0, sizeof o);
  o.flags = SLINK_CLONE_COPY;
  TAP_INT(slink_clone("src", "copy", &o, &n), 0, "clone --copy succeeds");
  TAP_INT(n.files_copied, 4, "--copy: four files copied");
  TAP_INT(n.group_links, 1, "--copy: the second name joined its group");
  TAP_INT(n.bytes_copied, 5 + 6 + 9 + 6, "--copy: the bytes counted");
  check_tree("copy", "--copy");
  TAP_OK(!same_file("copy\\a.txt", "src\\a.txt"),
         "--copy: the group is a new file, not the source's");
  TAP_INT(slink_clone("src", "copy", &o, &n), SLINK_EEXIST,
          "clone to an existing DEST is refused");
  /* Read back (move's check) on a copy made with it. */
  o.flags = SLINK_CLONE_COPY | SLINK_CLONE_VERIFY | SLINK_CLONE_SYNC;
  TAP_INT(slink_clone("src", "verified", &o, &n), 0,
          "clone --copy with flush and read-back succeeds");
}

static int note_limit;
static int count_notes(const slink_clone_event *ev, void *ctx) {
  (void)ctx;
  if (ev->note && strstr(ev->note, "link limit"))
    note_limit++;
  return 0;
}

/* NTFS refuses a 1,024th name (ERROR_TOO_MANY_LINKS); the hook refuses
 * the 4th, so a file with 2 names in SRC gets one more and then a copy. */
static void test_link_limit(void) {
  slink_clone_stats n;
  slink_clone_opts o;
  memset(&o, 0, sizeof o);
  o.cb = count_notes;
  mkdir_u("lim");
  write_file("lim\\x.txt", "limit");
  hardlink_u("lim\\y.txt", "lim\\x.txt");
  write_file("lim\\z.txt", "alone");
  slink__win_test_link_max = 3;
  TAP_INT(slink_clone("lim", "lim1", &o, &n), 0,
          "clone --hard at the link limit succeeds");
  slink__win_test_link_max = 0;
  TAP_INT(n.limit_copies, 1, "one name was copied at the limit, and counted");
  TAP_INT(note_limit, 1, "and reported as a note");
  TAP_OK(same_file("lim1\\x.txt", "lim\\x.txt"),
         "the first name is a link to the source");
  TAP_OK(!same_file("lim1\\y.txt", "lim\\x.txt") &&
             strcmp(read_file("lim1\\y.txt"), "limit") == 0,
         "the name past the limit is a copy with the bytes");
  TAP_OK(same_file("lim1\\z.txt", "lim\\z.txt"),
         "a file below the limit is still linked");
}

/* A destination without hard links (FAT, exFAT; here the backend's
 * stand-in, which answers and refuses as FAT does): a group's second
 * name, and with --hard every file, is copied there and counted, never
 * an error; the dry run plans the same. */
static void test_no_links(void) {
  slink_clone_stats n, plan, h;
  slink_clone_opts o;
  memset(&o, 0, sizeof o);
  make_tree("nl");
  o.flags = SLINK_CLONE_COPY | SLINK_CLONE_DRY_RUN;
  slink__win_test_no_links = 1;
  int planned = slink_clone("nl", "nl-copy", &o, &plan);
  o.flags = SLINK_CLONE_COPY;
  int rc = slink_clone("nl", "nl-copy", &o, &n);
  int hard = slink_clone("nl", "nl-hard", NULL, &h);
  slink__win_test_no_links = 0;
  TAP_INT(rc, 0, "clone --copy with a group to a volume without hard "
                 "links succeeds");
  TAP_INT(n.limit_copies, 1, "the group's second name is a counted copy");
  TAP_INT(n.files_copied, 5, "so five files are copied");
  TAP_INT(n.group_links, 0, "and none joined a group");
  TAP_OK(!same_file("nl-copy\\a.txt", "nl-copy\\sub\\b.txt") &&
             strcmp(read_file("nl-copy\\sub\\b.txt"), "group") == 0,
         "the second name holds the bytes of its own copy");
  TAP_INT(planned, 0, "the dry run succeeds");
  TAP_OK(plan.limit_copies == n.limit_copies &&
             plan.files_copied == n.files_copied,
         "and plans the same copies at the limit (%llu, %llu)",
         (unsigned long long)plan.limit_copies,
         (unsigned long long)plan.files_copied);
  TAP_INT(hard, 0, "clone --hard where no link can be made succeeds");
  TAP_INT(h.limit_copies, 5, "every file a counted copy");
  TAP_OK(!same_file("nl-hard\\sub\\c.txt", "nl\\sub\\c.txt") &&
             strcmp(read_file("nl-hard\\sub\\c.txt"), "single") == 0,
         "with its bytes");
}

static void test_move_here(void) {
  slink_move_opts mo;
  slink_clone_stats n;
  memset(&mo, 0, sizeof mo);
  mo.leave = SLINK_LEAVE_NONE;
  make_tree("m1");
  TAP_INT(slink_move("m1", "m1moved", &mo, &n), 0,
          "move within a volume succeeds");
  TAP_OK(!exists("m1"), "SRC is gone (--leave none)");
  check_tree("m1moved", "move (rename)");
  TAP_OK(!exists(".m1moved.slink-move"), "no journal is left");
  /* The default of the program on Windows: a junction, which Wine
   * cannot make; there the move stops before the old tree is removed
   * and --rollback puts SRC back. */
  mo.leave = SLINK_LEAVE_JUNCTION;
  make_tree("m2");
  int rc = slink_move("m2", "m2moved", &mo, &n);
  if (wine) {
    TAP_OK(rc < 0, "Wine: move --leave junction fails at the link");
    TAP_OK(exists(".m2moved.slink-move"), "and the journal stays");
    TAP_INT(slink_move_rollback("m2moved", &mo), 0, "rollback succeeds");
    TAP_INT(kind_of("m2"), SLINK_KIND_DIR, "SRC is a directory again");
    check_tree("m2", "rolled back");
  } else {
    TAP_INT(rc, 0, "move --leave junction succeeds");
    TAP_INT(kind_of("m2"), SLINK_KIND_JUNCTION, "SRC is now a junction");
    TAP_STR(read_file("m2\\sub\\c.txt"), "single",
            "the files are reached through it");
    check_tree("m2moved", "move (junction left)");
  }
}

/* A directory on another filesystem, or NULL. */
static const char *other_dir(void) {
  static char dir[MAX_PATH];
  const char *env = getenv("SLINK_TEST_OTHER_DIR");
  if (env && *env) {
    snprintf(dir, sizeof dir, "%s", env);
    return dir;
  }
  if (wine && GetFileAttributesW(L"Z:\\dev\\shm") != INVALID_FILE_ATTRIBUTES) {
    snprintf(dir, sizeof dir, "Z:\\dev\\shm\\slink-clone-%lu-%lu",
             GetCurrentProcessId(), GetTickCount());
    mkdir_u(dir);
    return dir;
  }
  return NULL;
}

static void test_move_across(void) {
  const char *other = other_dir();
  char dest[MAX_PATH], journal[MAX_PATH];
  slink_move_opts mo;
  slink_clone_stats n;
  if (!other) {
    tap_skip("move across filesystems", "no second filesystem here");
    return;
  }
  memset(&mo, 0, sizeof mo);
  mo.leave = SLINK_LEAVE_NONE;
  snprintf(dest, sizeof dest, "%s\\moved", other);
  snprintf(journal, sizeof journal, "%s\\.moved.slink-move", other);
  make_tree("far");
  TAP_INT(slink_move("far", dest, &mo, &n), 0,
          "move across filesystems succeeds");
  TAP_OK(n.files_copied == 4 && n.group_links == 1,
         "it copied (four files, one group link)");
  TAP_OK(!exists("far"), "SRC is gone once the copy was verified");
  check_tree(dest, "move (copy)");
  TAP_OK(!exists(journal), "no journal is left");
  if (getenv("SLINK_TEST_OTHER_DIR"))
    slink_remove_tree(dest, SLINK_TREE_MAKE_WRITABLE, NULL, NULL);
  else
    slink_remove_tree(other, SLINK_TREE_MAKE_WRITABLE, NULL, NULL);
}

static HANDLE hold(const char *name, DWORD share) {
  wchar_t *w;
  HANDLE h;
  if (slink__win_path(name, &w) < 0)
    return INVALID_HANDLE_VALUE;
  h = CreateFileW(w, GENERIC_READ, share, NULL, OPEN_EXISTING,
                  FILE_FLAG_BACKUP_SEMANTICS, NULL);
  free(w);
  return h;
}

static char busy_path[MAX_PATH], busy_note[128];
static int busy_event(const slink_clone_event *ev, void *ctx) {
  (void)ctx;
  if (ev->error == SLINK_EBUSY) {
    snprintf(busy_path, sizeof busy_path, "%.*s", (int)ev->path_len,
             ev->path);
    snprintf(busy_note, sizeof busy_note, "%s", ev->note ? ev->note : "");
  }
  return 0;
}

/* Across filesystems a file held open without delete sharing would be
 * copied while written and stop the old tree's removal halfway. */
static void test_open_files(void) {
  const char *other = other_dir();
  char dest[MAX_PATH];
  slink_move_opts mo;
  slink_clone_stats n;
  if (!other) {
    tap_skip("open files refused", "no second filesystem here");
    return;
  }
  snprintf(dest, sizeof dest, "%s\\heldmoved", other);
  memset(&mo, 0, sizeof mo);
  mo.leave = SLINK_LEAVE_NONE;
  mo.cb = busy_event;
  make_tree("held");
  HANDLE h = hold("held\\sub\\c.txt", FILE_SHARE_READ | FILE_SHARE_WRITE);
  TAP_OK(h != INVALID_HANDLE_VALUE, "a file held open without delete sharing");
  TAP_INT(slink_move("held", dest, &mo, &n), SLINK_EBUSY,
          "move refuses a SRC with a file held open");
  TAP_OK(strstr(busy_path, "c.txt") != NULL, "and names the file (%s)",
         busy_path);
  TAP_OK(strstr(busy_note, "open by another process") != NULL,
         "and says why (%s)", busy_note);
  TAP_OK(!exists(dest), "nothing was made");
  check_tree("held", "refused");
  CloseHandle(h);
  /* The question itself: only a holder without delete sharing counts
   * (a holder with it lets the removal go on, on Windows). */
  slink__h *d = NULL;
  uint64_t pid = 0;
  h = hold("held\\sub\\c.txt",
           FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE);
  int rc = slink__os_h_open(NULL, "held\\sub", SLINK__H_FOLLOW, NULL, &d, NULL,
                            NULL);
  TAP_INT(rc == 0 ? slink__os_h_file_busy(d, "c.txt", NULL, &pid, NULL) : rc,
          0, "a file held with delete sharing is not busy");
  CloseHandle(h);
  slink__os_h_close(d);
  TAP_INT(slink_move("held", dest, &mo, &n), 0,
          "once the file is let go, the move goes on");
  check_tree(dest, "moved after release");
  slink_remove_tree(getenv("SLINK_TEST_OTHER_DIR") ? dest : other,
                    SLINK_TREE_MAKE_WRITABLE, NULL, NULL);
}

/* The access list of NAME in SDDL (malloc'd by the system), or NULL. */
static wchar_t *dacl_of(const char *name) {
  wchar_t *w, *s = NULL;
  PSECURITY_DESCRIPTOR sd = NULL;
  if (slink__win_path(name, &w) < 0)
    return NULL;
  if (GetNamedSecurityInfoW(w, SE_FILE_OBJECT, DACL_SECURITY_INFORMATION,
                            NULL, NULL, NULL, NULL, &sd) == ERROR_SUCCESS) {
    ConvertSecurityDescriptorToStringSecurityDescriptorW(
        sd, SDDL_REVISION_1, DACL_SECURITY_INFORMATION, &s, NULL);
    LocalFree(sd);
  }
  free(w);
  return s;
}

static int set_dacl(const char *name, const wchar_t *sddl) {
  wchar_t *w;
  PSECURITY_DESCRIPTOR sd = NULL;
  int ok = 0;
  if (slink__win_path(name, &w) < 0)
    return 0;
  if (ConvertStringSecurityDescriptorToSecurityDescriptorW(
          sddl, SDDL_REVISION_1, &sd, NULL)) {
    ok = SetFileSecurityW(w, DACL_SECURITY_INFORMATION, sd) != 0;
    LocalFree(sd);
  }
  free(w);
  return ok;
}

static void test_security(void) {
  /* Protected, nothing inherited: full control for the owner, nothing
   * for anyone else (unlike what a new file gets). */
  static const wchar_t want[] = L"D:P(A;;FA;;;OW)";
  slink_clone_opts o;
  slink_clone_stats n;
  mkdir_u("sec");
  write_file("sec\\f.txt", "acl");
  write_file("sec\\fresh.txt", "new");
  wchar_t *before = set_dacl("sec\\f.txt", want) ? dacl_of("sec\\f.txt") : NULL;
  wchar_t *fresh = dacl_of("sec\\fresh.txt");
  int kept = before && fresh && wcscmp(before, fresh) != 0;
  if (fresh)
    LocalFree(fresh);
  if (!kept) {
    tap_skip("security descriptors copied",
             "this system does not keep the access list set");
    if (before)
      LocalFree(before);
    return;
  }
  set_dacl("sec", L"D:P(A;OICI;FA;;;OW)(A;OICI;FR;;;WD)");
  wchar_t *dir_before = dacl_of("sec");
  memset(&o, 0, sizeof o);
  o.flags = SLINK_CLONE_COPY;
  TAP_INT(slink_clone("sec", "sec2", &o, &n), 0, "clone --copy of it");
  wchar_t *after = dacl_of("sec2\\f.txt");
  wchar_t *dir_after = dacl_of("sec2");
  TAP_OK(after && wcscmp(before, after) == 0,
         "a file's access list is copied (%ls)", after ? after : L"none");
  TAP_OK(dir_before && dir_after && wcscmp(dir_before, dir_after) == 0,
         "a directory's access list is copied (%ls)",
         dir_after ? dir_after : L"none");
  LocalFree(before);
  if (after)
    LocalFree(after);
  if (dir_before)
    LocalFree(dir_before);
  if (dir_after)
    LocalFree(dir_after);
}

/* The first bytes of the file W (a stream name allowed), or "". */
static const char *read_w(const wchar_t *w) {
  static char buf[64];
  size_t n = 0;
  FILE *f = _wfopen(w, L"rb");
  if (f) {
    n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
  }
  buf[n] = 0;
  return buf;
}

static int write_w(const wchar_t *w, const char *text) {
  FILE *f = _wfopen(w, L"wb");
  if (!f)
    return 0;
  fputs(text, f);
  return fclose(f) == 0;
}

static void test_streams(void) {
  slink_clone_opts o;
  slink_clone_stats n;
  mkdir_u("ads");
  write_file("ads\\f.txt", "main");
  /* Wine makes a file named "f.txt:extra" beside it instead. */
  char **names = NULL;
  size_t count = 0;
  int streams = write_w(L"ads\\f.txt:extra", "stream") &&
                strcmp(read_w(L"ads\\f.txt:extra"), "stream") == 0 &&
                slink_list_dir("ads", &names, &count) == 0 && count == 1;
  if (names)
    slink_names_free(names, count);
  if (!streams) {
    _wremove(L"ads\\f.txt:extra");
    tap_skip("alternate data streams copied",
             "this filesystem keeps no named streams");
    return;
  }
  memset(&o, 0, sizeof o);
  o.flags = SLINK_CLONE_COPY;
  TAP_INT(slink_clone("ads", "ads2", &o, &n), 0, "clone --copy of a file "
                                                 "with a named stream");
  TAP_STR(read_w(L"ads2\\f.txt:extra"), "stream", "the stream is copied");
  TAP_STR(read_file("ads2\\f.txt"), "main", "and the main data");
  const char *fat = getenv("SLINK_TEST_FAT_DIR");
  if (!fat || !*fat) {
    tap_skip("streams refused by FAT", "SLINK_TEST_FAT_DIR not set");
    return;
  }
  char dest[MAX_PATH];
  snprintf(dest, sizeof dest, "%s\\ads-fat", fat);
  TAP_INT(slink_clone("ads", dest, &o, &n), SLINK_ESTREAMS,
          "to FAT, a file with a stream is an error, not a silent loss");
  snprintf(dest, sizeof dest, "%s\\ads-fat\\f.txt", fat);
  TAP_OK(!exists(dest), "and no partial copy is left");
  snprintf(dest, sizeof dest, "%s\\ads-fat", fat);
  slink_remove_tree(dest, SLINK_TREE_MAKE_WRITABLE, NULL, NULL);
  /* FAT has no hard links either: a tree without groups. */
  mkdir_u("plain");
  mkdir_u("plain\\sub");
  write_file("plain\\sub\\c.txt", "single");
  snprintf(dest, sizeof dest, "%s\\plain", fat);
  TAP_INT(slink_clone("plain", dest, &o, &n), 0,
          "clone --copy of a tree without streams to FAT succeeds");
  snprintf(dest, sizeof dest, "%s\\plain\\sub\\c.txt", fat);
  TAP_STR(read_file(dest), "single", "with the bytes");
  snprintf(dest, sizeof dest, "%s\\plain", fat);
  slink_remove_tree(dest, SLINK_TREE_MAKE_WRITABLE, NULL, NULL);
}

/* FAT and exFAT keep no hard links: a group's second name is copied
 * there and counted, by clone --copy and by a move across volumes,
 * never an error (the volume's flags decide, as test_no_links fakes). */
static void test_fat_groups(void) {
  static const char *const envs[] = {"SLINK_TEST_FAT_DIR",
                                     "SLINK_TEST_EXFAT_DIR"};
  for (int i = 0; i < 2; i++) {
    const char *fat = getenv(envs[i]);
    char dest[MAX_PATH], b[MAX_PATH + 16];
    slink_clone_opts o;
    slink_move_opts mo;
    slink_clone_stats n;
    if (!fat || !*fat) {
      tap_skip("hard-link groups copied to a volume without hard links",
               envs[i]);
      continue;
    }
    make_tree("fg");
    memset(&o, 0, sizeof o);
    o.flags = SLINK_CLONE_COPY;
    snprintf(dest, sizeof dest, "%s\\fg-copy", fat);
    TAP_INT(slink_clone("fg", dest, &o, &n), 0,
            "%s: clone --copy of a tree with a group succeeds", fat);
    TAP_OK(n.limit_copies == 1 && n.files_copied == 5 && n.errors == 0,
           "%s: the second name is a counted copy (%llu, %llu)", fat,
           (unsigned long long)n.limit_copies,
           (unsigned long long)n.files_copied);
    snprintf(b, sizeof b, "%s\\sub\\b.txt", dest);
    TAP_STR(read_file(b), "group", "%s: with the bytes", fat);
    slink_remove_tree(dest, SLINK_TREE_MAKE_WRITABLE, NULL, NULL);
    memset(&mo, 0, sizeof mo);
    mo.leave = SLINK_LEAVE_NONE;
    snprintf(dest, sizeof dest, "%s\\fg-moved", fat);
    TAP_INT(slink_move("fg", dest, &mo, &n), 0,
            "%s: a move of it there succeeds", fat);
    TAP_OK(n.limit_copies == 1 && !exists("fg"),
           "%s: the group's second name copied, counted, SRC gone", fat);
    snprintf(b, sizeof b, "%s\\sub\\b.txt", dest);
    TAP_STR(read_file(b), "group", "%s: with the bytes", fat);
    slink_remove_tree(dest, SLINK_TREE_MAKE_WRITABLE, NULL, NULL);
  }
}

/* Nonzero when A and B, followed, are the same directory. */
static int same_followed(const char *a, const char *b) {
  BY_HANDLE_FILE_INFORMATION x, y;
  const char *names[2] = {a, b};
  BY_HANDLE_FILE_INFORMATION *out[2] = {&x, &y};
  for (int i = 0; i < 2; i++) {
    wchar_t *w;
    HANDLE h;
    int ok = 0;
    if (slink__win_path(names[i], &w) < 0)
      return 0;
    h = CreateFileW(w, FILE_READ_ATTRIBUTES,
                    FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
                    NULL, OPEN_EXISTING, FILE_FLAG_BACKUP_SEMANTICS, NULL);
    free(w);
    if (h != INVALID_HANDLE_VALUE) {
      ok = GetFileInformationByHandle(h, out[i]) != 0;
      CloseHandle(h);
    }
    if (!ok)
      return 0;
  }
  return x.dwVolumeSerialNumber == y.dwVolumeSerialNumber &&
         x.nFileIndexHigh == y.nFileIndexHigh &&
         x.nFileIndexLow == y.nFileIndexLow;
}

static int make_junction(const char *link, const char *target) {
  slink_make_opts mo;
  slink_made made;
  memset(&mo, 0, sizeof mo);
  mo.type = SLINK_MAKE_JUNCTION;
  memset(&made, 0, sizeof made);
  int rc = slink_make(link, target, &mo, &made);
  slink_made_free(&made);
  return rc;
}

/* The target of the junction NAME as stored, in "C:\x" form. */
static const char *junction_target(const char *name) {
  static char t[MAX_PATH * 4];
  slink_info info;
  t[0] = 0;
  if (slink_read(name, 0, &info) == 0) {
    if (info.target)
      snprintf(t, sizeof t, "%s", info.target);
    slink_info_free(&info);
  }
  return t;
}

static void test_junctions(void) {
  char cwd[MAX_PATH * 4], want[MAX_PATH * 4], out[MAX_PATH * 4];
  wchar_t wcwd[MAX_PATH];
  slink_clone_opts o;
  slink_clone_stats n;
  mkdir_u("jsrc");
  mkdir_u("jsrc\\zdir");
  write_file("jsrc\\zdir\\f.txt", "inside");
  mkdir_u("jout");
  GetCurrentDirectoryW(MAX_PATH, wcwd);
  snprintf(cwd, sizeof cwd, "%ls", wcwd);
  snprintf(want, sizeof want, "%s\\jsrc\\zdir", cwd);
  snprintf(out, sizeof out, "%s\\jout", cwd);
  /* "a" sorts before its target: made before the target exists. */
  if (make_junction("jsrc\\a", want) != 0 ||
      make_junction("jsrc\\out", out) != 0) {
    tap_skip("junctions recreated with rewritten targets",
             wine ? "Wine makes no junctions" : "no junctions here");
    return;
  }
  memset(&o, 0, sizeof o);
  TAP_INT(slink_clone("jsrc", "jdst", &o, &n), 0,
          "clone of a tree with junctions");
  TAP_INT(kind_of("jdst\\a"), SLINK_KIND_JUNCTION, "the inner one is a junction");
  TAP_OK(same_followed("jdst\\a", "jdst\\zdir"),
         "pointing into DEST (%s)", junction_target("jdst\\a"));
  TAP_STR(read_file("jdst\\a\\f.txt"), "inside", "and resolving there");
  TAP_OK(same_followed("jdst\\out", "jout"),
         "the outer one keeps its target (%s)", junction_target("jdst\\out"));
  TAP_INT(n.links_rewritten, 1, "one link rewritten");
  TAP_INT(n.links_kept, 1, "one kept");
  o.flags = SLINK_CLONE_OUTER_DROP;
  TAP_INT(slink_clone("jsrc", "jdrop", &o, &n), 0, "clone --outer drop");
  TAP_OK(!exists("jdrop\\out") && n.links_dropped == 1,
         "drops the outer junction");
  /* A rename within the volume: the inner junction follows the tree. */
  slink_move_opts mo;
  memset(&mo, 0, sizeof mo);
  mo.leave = SLINK_LEAVE_NONE;
  TAP_INT(slink_move("jdst", "jmoved", &mo, &n), 0, "move of it (rename)");
  TAP_OK(same_followed("jmoved\\a", "jmoved\\zdir"),
         "the inner junction points into the moved tree (%s)",
         junction_target("jmoved\\a"));
}

/* --link-dest: a file unchanged since the last snapshot becomes a name
 * of that snapshot's copy. */
static void test_link_dest(void) {
  slink_clone_opts o;
  slink_clone_stats n;
  memset(&o, 0, sizeof o);
  o.flags = SLINK_CLONE_COPY;
  make_tree("snapsrc");
  TAP_INT(slink_clone("snapsrc", "snap1", &o, &n), 0, "a first snapshot");
  write_file("snapsrc\\sub\\c.txt", "changed");
  o.link_dest = "snap1";
  TAP_INT(slink_clone("snapsrc", "snap2", &o, &n), 0,
          "a second one with --link-dest");
  TAP_INT(n.files_prev, 3, "the three unchanged files link to the first");
  TAP_OK(same_file("snap2\\hid.txt", "snap1\\hid.txt") &&
             same_file("snap2\\ro.txt", "snap1\\ro.txt"),
         "as names of its copies");
  TAP_OK(!same_file("snap2\\sub\\c.txt", "snap1\\sub\\c.txt") &&
             strcmp(read_file("snap2\\sub\\c.txt"), "changed") == 0,
         "the changed file is copied anew");
}

/* NTFS itself at 1,023 names: a source file that has them all is
 * copied once, and its names join the copy. */
static void test_real_limit(void) {
  slink_clone_stats n;
  char name[64];
  if (wine) {
    tap_skip("NTFS's own 1,023-name limit", "Wine's filesystems allow more");
    return;
  }
  mkdir_u("full");
  write_file("full\\n0000", "full");
  int made = 1;
  for (int i = 1; i < 1023; i++) {
    snprintf(name, sizeof name, "full\\n%04d", i);
    made += hardlink_u(name, "full\\n0000");
  }
  if (made != 1023 || hardlink_u("full\\one-more", "full\\n0000")) {
    tap_skip("NTFS's own 1,023-name limit", "this filesystem has another");
    return;
  }
  TAP_INT(slink_clone("full", "full2", NULL, &n), 0,
          "clone --hard of a file with 1,023 names succeeds");
  TAP_INT(n.limit_copies, 1, "one copy made at the limit, and counted");
  TAP_INT(n.group_links, 1022, "the other names join that copy");
  TAP_OK(same_file("full2\\n0000", "full2\\n1022") &&
             !same_file("full2\\n0000", "full\\n0000"),
         "all of them one new file");
}

/* Symbolic links (privilege or Developer Mode): an inner absolute one is
 * pointed into DEST, a relative one kept as it is. */
static void test_symlinks(void) {
  char cwd[MAX_PATH * 4], t[MAX_PATH * 4];
  wchar_t wcwd[MAX_PATH];
  slink_make_opts mo;
  slink_made made;
  slink_clone_opts o;
  slink_clone_stats n;
  mkdir_u("ssrc");
  mkdir_u("ssrc\\zdir");
  write_file("ssrc\\zdir\\f.txt", "via link");
  GetCurrentDirectoryW(MAX_PATH, wcwd);
  snprintf(cwd, sizeof cwd, "%ls", wcwd);
  snprintf(t, sizeof t, "%s\\ssrc\\zdir", cwd);
  memset(&mo, 0, sizeof mo);
  mo.type = SLINK_MAKE_SYMBOLIC;
  mo.flags = SLINK_MAKE_DIR;
  memset(&made, 0, sizeof made);
  int rc = slink_make("ssrc\\abs", t, &mo, &made);
  slink_made_free(&made);
  mo.flags = SLINK_MAKE_FILE;
  memset(&made, 0, sizeof made);
  if (rc == 0)
    rc = slink_make("ssrc\\rel", "zdir\\f.txt", &mo, &made);
  slink_made_free(&made);
  if (rc != 0) {
    tap_skip("symbolic links recreated", wine ? "Wine makes no symbolic links"
                                              : "no privilege to make them");
    return;
  }
  memset(&o, 0, sizeof o);
  o.flags = SLINK_CLONE_COPY;
  TAP_INT(slink_clone("ssrc", "sdst", &o, &n), 0,
          "clone --copy of a tree with symbolic links");
  TAP_OK(same_followed("sdst\\abs", "sdst\\zdir"),
         "the absolute inner one points into DEST (%s)",
         junction_target("sdst\\abs"));
  TAP_STR(junction_target("sdst\\rel"), "zdir\\f.txt",
          "the relative one is kept as it is");
  TAP_STR(read_file("sdst\\rel"), "via link", "and resolves in DEST");
  TAP_INT(n.links_rewritten, 1, "one link rewritten");
  TAP_INT(n.links_inner, 1, "one inner link kept");
}

/* A sparse file: 64 MiB long, one byte written in its middle. Its copy
 * is sparse too, holds that byte, and takes little room. */
static void test_sparse(void) {
  const LONGLONG size = 64ll << 20, at = 32ll << 20;
  slink_clone_opts o;
  slink_clone_stats n;
  DWORD got = 0;
  mkdir_u("sp");
  HANDLE h = CreateFileW(L"sp\\big", GENERIC_READ | GENERIC_WRITE, 0, NULL,
                         CREATE_NEW, 0, NULL);
  FILE_END_OF_FILE_INFO eof;
  eof.EndOfFile.QuadPart = size;
  LARGE_INTEGER pos;
  pos.QuadPart = at;
  int ok = h != INVALID_HANDLE_VALUE &&
           DeviceIoControl(h, FSCTL_SET_SPARSE, NULL, 0, NULL, 0, &got, NULL) &&
           SetFileInformationByHandle(h, FileEndOfFileInfo, &eof, sizeof eof) &&
           SetFilePointerEx(h, pos, NULL, FILE_BEGIN) &&
           WriteFile(h, "x", 1, &got, NULL);
  if (h != INVALID_HANDLE_VALUE)
    CloseHandle(h);
  if (!ok || !(attrs_of("sp\\big") & FILE_ATTRIBUTE_SPARSE_FILE)) {
    tap_skip("sparse files copied as sparse", "no sparse files here");
    return;
  }
  memset(&o, 0, sizeof o);
  o.flags = SLINK_CLONE_COPY;
  TAP_INT(slink_clone("sp", "sp2", &o, &n), 0, "clone --copy of a sparse file");
  TAP_OK(attrs_of("sp2\\big") & FILE_ATTRIBUTE_SPARSE_FILE,
         "the copy is sparse");
  DWORD high = 0, low = GetCompressedFileSizeW(L"sp2\\big", &high);
  uint64_t alloc = ((uint64_t)high << 32) | low;
  TAP_OK(low != INVALID_FILE_SIZE && alloc < (uint64_t)(4 << 20),
         "and takes little room (%llu bytes)", (unsigned long long)alloc);
  TAP_OK(n.bytes_copied < (uint64_t)size, "only the data was copied (%llu)",
         (unsigned long long)n.bytes_copied);
  char c = 0;
  h = CreateFileW(L"sp2\\big", GENERIC_READ, FILE_SHARE_READ, NULL,
                  OPEN_EXISTING, 0, NULL);
  LARGE_INTEGER len = {0};
  ok = h != INVALID_HANDLE_VALUE && GetFileSizeEx(h, &len) &&
       SetFilePointerEx(h, pos, NULL, FILE_BEGIN) &&
       ReadFile(h, &c, 1, &got, NULL) && got == 1;
  if (h != INVALID_HANDLE_VALUE)
    CloseHandle(h);
  TAP_OK(ok && c == 'x' && len.QuadPart == size,
         "with its length and its byte in place");
}

/* move's free-space check: the backend's answer is the system's. */
static void test_free_space(void) {
  slink__h *d = NULL;
  uint64_t got = 0;
  ULARGE_INTEGER avail;
  int rc = slink__os_h_open(NULL, ".", SLINK__H_FOLLOW, NULL, &d, NULL, NULL);
  if (rc == 0)
    rc = slink__os_h_free_space(d, &got, NULL);
  slink__os_h_close(d);
  TAP_INT(rc, 0, "the free space of a directory's volume is read");
  if (GetDiskFreeSpaceExW(L".\\", &avail, NULL, NULL)) {
    uint64_t want = avail.QuadPart, diff = got > want ? got - want : want - got;
    TAP_OK(got > 0 && diff <= want / 100 + (64u << 20),
           "as GetDiskFreeSpaceExW says (%llu, %llu)",
           (unsigned long long)got, (unsigned long long)want);
  }
}

int main(void) {
  wine = tap_wine_version();
  if (!TAP_OK(scratch_begin("clone"), "a scratch directory"))
    return tap_done();
  test_clone();
  test_link_limit();
  test_no_links();
  test_move_here();
  test_move_across();
  test_open_files();
  test_security();
  test_streams();
  test_fat_groups();
  test_junctions();
  test_link_dest();
  test_real_limit();
  test_symlinks();
  test_free_space();
  test_sparse();
  /* Read-only files stop a plain removal: the trees go as slink rm -r. */
  char **names = NULL;
  size_t count = 0;
  if (slink_list_dir(".", &names, &count) == 0) {
    for (size_t i = 0; i < count; i++) {
      char p[MAX_PATH];
      if (kind_of(names[i]) != SLINK_KIND_DIR)
        continue;
      set_dacl(names[i], L"D:(A;OICI;FA;;;WD)");
      snprintf(p, sizeof p, "%s\\f.txt", names[i]);
      set_dacl(p, L"D:(A;;FA;;;WD)");
      snprintf(p, sizeof p, "%s\\ro.txt", names[i]);
      set_attrs(p, FILE_ATTRIBUTE_NORMAL);
      slink_remove_tree(names[i], SLINK_TREE_MAKE_WRITABLE, NULL, NULL);
    }
    slink_names_free(names, count);
  }
  scratch_end();
  return tap_done();
}
