/*
 * test_win_handle.c - the directory-handle contract of src/sys.h on the
 * Windows backend: opens relative to a directory handle (one component
 * never followed, FOLLOW, BENEATH), identity, listing, every field of a
 * stat, removal checked on the entry itself, rename, mkdir, hard links,
 * and the links Wine cannot make ending in an error, never in a false
 * success. Tests that guard a defect of issue 13 say which.
 */
#include "scratch.h"

#include "lib/hpath.h"
#include "lib/internal.h"
#include "win/nt.h"

static const char *wine;

static slink__h *open_dir(const char *path) {
  slink__h *h = NULL;
  if (slink__h_open_dir(path, &h, NULL, NULL) != 0)
    return NULL;
  return h;
}

static void test_open(void) {
  slink__h *top, *h = NULL;
  slink__stat st, other, ls;
  CreateDirectoryW(L"d", NULL);
  CreateDirectoryW(L"d\\sub", NULL);
  CreateDirectoryW(L"other", NULL);
  write_file("d\\file", "keep");
  top = open_dir(".");
  if (!TAP_OK(top != NULL, "open the scratch directory"))
    return;
  TAP_INT(slink__os_h_open(top, "d", 0, NULL, &h, &st, NULL), 0,
          "open one component relative to a handle");
  TAP_INT(st.kind, SLINK_KIND_DIR, "it is a directory");
  TAP_OK(st.ino != 0 && st.nlink >= 1, "with a file id and a link count");
  TAP_INT(slink__os_h_lstat(top, "d", &ls, NULL), 0, "lstat it by name");
  TAP_OK(slink__same_file(&st, &ls), "the handle and the entry are one file");
  slink__os_h_close(h);
  TAP_INT(slink__os_h_open(top, "d\\sub", SLINK__H_FOLLOW, NULL, &h, NULL,
                           NULL), 0, "FOLLOW takes a path of components");
  slink__os_h_close(h);
  TAP_INT(slink__os_h_open(top, "d/sub/../sub", SLINK__H_FOLLOW, NULL, &h,
                           NULL, NULL), 0, "FOLLOW resolves '..' as a typed path");
  slink__os_h_close(h);
  TAP_INT(slink__os_h_open(NULL, "d/sub", SLINK__H_FOLLOW, NULL, &h, NULL,
                           NULL), 0, "FOLLOW from the current directory");
  slink__os_h_close(h);
  TAP_INT(slink__os_h_open(top, "d/sub", SLINK__H_BENEATH, NULL, &h, NULL,
                           NULL), 0, "BENEATH opens a path below the handle");
  slink__os_h_close(h);
  TAP_OK(slink__os_h_open(top, "d/../other", SLINK__H_BENEATH, NULL, &h, NULL,
                          NULL) != 0, "BENEATH refuses '..'");
  TAP_STR(slink_err_name(slink__os_h_open(top, "d\\file", SLINK__H_BENEATH,
                                          NULL, &h, NULL, NULL)),
          "SLINK_ENOTDIR", "a file is no directory to open");
  TAP_STR(slink_err_name(slink__os_h_open(top, "none", 0, NULL, &h, NULL,
                                          NULL)),
          "SLINK_ENOENT", "a missing one is ENOENT");
  TAP_STR(slink_err_name(slink__os_h_open(top, "d\\sub", 0, NULL, &h, NULL,
                                          NULL)),
          "SLINK_EINVAL", "one component has no separator");
  slink__os_h_lstat(top, "other", &other, NULL);
  TAP_STR(slink_err_name(slink__os_h_open(top, "d", 0, &other, &h, NULL,
                                          NULL)),
          "SLINK_ECHANGED", "a directory that is not the one expected");
  TAP_INT(slink__os_h_open(top, "other", 0, &other, &h, NULL, NULL), 0,
          "the one expected opens");
  slink__os_h_close(h);
  TAP_OK(slink__os_path_max() >= 32000, "paths of 32000 bytes in one open");
  slink__os_h_close(top);
}

static void test_list_and_stat(void) {
  slink__h *d = open_dir("d");
  slink__dirent e;
  slink__stat st;
  slink_info info;
  int files = 0, dirs = 0, other = 0, rc;
  if (!TAP_OK(d != NULL, "open d"))
    return;
  while ((rc = slink__os_h_next(d, &e, NULL)) > 0) {
    if (strcmp(e.name, "file") == 0)
      files += e.ino != 0 && (e.kind == SLINK_KIND_FILE || e.kind == SLINK_KIND_NONE);
    else if (strcmp(e.name, "sub") == 0)
      dirs += e.kind == SLINK_KIND_DIR || e.kind == SLINK_KIND_NONE;
    else
      other++;
  }
  TAP_INT(rc, 0, "the listing ends");
  TAP_OK(files == 1 && dirs == 1 && other == 0,
         "it shows the file and the directory, no '.' or '..'");
  TAP_INT(slink__os_h_rewind(d, NULL), 0, "rewind");
  TAP_INT(slink__os_h_next(d, &e, NULL), 1, "and list again");
  TAP_INT(slink__os_h_lstat(d, "file", &st, NULL), 0, "lstat a file");
  TAP_INT(st.kind, SLINK_KIND_FILE, "a file");
  TAP_INT(st.size, 4, "its size");
  TAP_INT(st.nlink, 1, "one name");
  TAP_OK(st.dev != 0 && st.ino != 0, "a volume and a file id");
  TAP_OK(st.mtime > 1500000000 && st.ctime > 1500000000,
         "modification and change times");
  TAP_OK(st.mtime_ns >= 0 && st.mtime_ns < 1000000000, "nanoseconds in range");
  TAP_OK((st.attrs & FILE_ATTRIBUTE_DIRECTORY) == 0 && st.tag == 0,
         "its attributes, no reparse tag");
  TAP_OK((st.mode & 0170000u) == 0100000u, "a regular file's mode");
  TAP_INT(slink__os_h_stat(d, "file", &st, NULL), 0, "stat follows");
  TAP_INT(slink__os_h_lstat(d, NULL, &st, NULL), 0, "lstat of the handle");
  TAP_INT(st.kind, SLINK_KIND_DIR, "is its directory");
  memset(&info, 0, sizeof info);
  TAP_STR(slink_err_name(slink__os_h_readlink(d, "file", &info, NULL)),
          "SLINK_EINVAL", "a file is no link to read");
  slink_info_free(&info);
  /* Issue 13.7: ':' addresses an alternate data stream. */
  TAP_STR(slink_err_name(slink__os_h_lstat(d, "file:s", &st, NULL)),
          "SLINK_EINVAL", "13.7: a name with ':' is refused (no stream)");
  slink__os_h_close(d);
}

static void test_unlink(void) {
  slink__h *d = open_dir("d");
  slink__stat f, g, sub;
  HANDLE held;
  wchar_t *w = NULL;
  if (!TAP_OK(d != NULL, "open d"))
    return;
  write_file("d\\g", "other");
  slink__os_h_lstat(d, "file", &f, NULL);
  slink__os_h_lstat(d, "g", &g, NULL);
  slink__os_h_lstat(d, "sub", &sub, NULL);
  TAP_STR(slink_err_name(slink__os_h_unlink(d, "file", &g, 0, NULL)),
          "SLINK_ECHANGED", "a file that is not the one expected stays");
  TAP_STR(read_file("d\\file"), "keep", "untouched");
  TAP_STR(slink_err_name(slink__os_h_unlink(d, "file", &f,
                                            SLINK__UNLINK_NOT_LAST, NULL)),
          "SLINK_ENOTLINK", "a file's last name is refused when asked");
  TAP_OK(CreateHardLinkW(L"d\\file2", L"d\\file", NULL), "a second name");
  TAP_INT(slink__os_h_unlink(d, "file2", &f, SLINK__UNLINK_NOT_LAST, NULL), 0,
          "a name that is not the last goes");
  TAP_OK(!exists("d\\file2") && exists("d\\file"), "only that name");
  TAP_STR(slink_err_name(slink__os_h_unlink(d, "sub", NULL, 0, NULL)),
          "SLINK_EISDIR", "a directory is no file to unlink");
  TAP_STR(slink_err_name(slink__os_h_unlink(d, "sub", &sub, 0, NULL)),
          "SLINK_ECHANGED", "nor with its own identity expected");
  /* Issue 13.6: a read-only file goes, also where only the classic
   * disposition exists (it is cleared first). */
  for (int classic = 0; classic < 2; classic++) {
    slink__win_classic_delete_only = classic;
    write_file("d\\ro", "r");
    SetFileAttributesW(L"d\\ro", FILE_ATTRIBUTE_READONLY);
    TAP_INT(slink__os_h_unlink(d, "ro", NULL, 0, NULL), 0,
            "13.6: a read-only file is removed (%s)",
            classic ? "classic delete" : "POSIX delete");
    TAP_OK(!exists("d\\ro"), "and gone");
  }
  slink__win_classic_delete_only = 0;
  /* Issue 13.5: a file another program holds without read sharing. */
  write_file("d\\busy", "b");
  slink__win_path("d\\busy", &w);
  held = CreateFileW(w, GENERIC_READ, FILE_SHARE_DELETE, NULL, OPEN_EXISTING,
                     0, NULL);
  free(w);
  TAP_INT(slink__os_h_unlink(d, "busy", NULL, 0, NULL), 0,
          "13.5: a file held open without read sharing is removed");
  CloseHandle(held);
  TAP_OK(!exists("d\\busy"), "and gone once it is closed");
  TAP_INT(slink__os_h_unlink(d, "g", &g, 0, NULL), 0, "the expected one goes");
  TAP_OK(!exists("d\\g"), "g is gone");
  /* Issue 13.7: "f:s" names a stream of f, never one entry. */
  write_file("d\\f", "data");
  TAP_OK(slink_remove("d\\f:s", 0, NULL) != 0,
         "13.7: rm of 'f:s' is refused");
  TAP_STR(read_file("d\\f"), "data", "and f keeps its data");
  slink__os_h_close(d);
}

static void test_rmdir_rename_mkdir(void) {
  slink__h *top = open_dir("."), *d = open_dir("d"), *o = open_dir("other");
  slink__stat st, sub;
  if (!TAP_OK(top && d && o, "open the directories"))
    return;
  TAP_INT(slink__os_h_mkdir(d, "new", 0755, NULL), 0, "mkdir relative");
  TAP_STR(slink_err_name(slink__os_h_mkdir(d, "new", 0755, NULL)),
          "SLINK_EEXIST", "mkdir of an existing name");
  TAP_STR(slink_err_name(slink__os_h_mkdir(d, "con", 0755, NULL)),
          "SLINK_ERESERVED", "a device name is refused");
  TAP_STR(slink_err_name(slink__os_h_mkdir(d, "a:b", 0755, NULL)),
          "SLINK_EINVAL", "a stream name is refused");
  write_file("d\\new\\x", "x");
  TAP_STR(slink_err_name(slink__os_h_rmdir(d, "new", NULL, NULL)),
          "SLINK_ENOTEMPTY", "rmdir of a full directory");
  TAP_STR(slink_err_name(slink__os_h_rmdir(d, "file", NULL, NULL)),
          "SLINK_ENOTDIR", "rmdir of a file");
  DeleteFileW(L"d\\new\\x");
  slink__os_h_lstat(d, "sub", &sub, NULL);
  TAP_STR(slink_err_name(slink__os_h_rmdir(d, "new", &sub, NULL)),
          "SLINK_ECHANGED", "rmdir of another directory than expected");
  TAP_INT(slink__os_h_lstat(d, "new", &st, NULL), 0, "it is still there");
  TAP_INT(slink__os_h_rmdir(d, "new", &st, NULL), 0, "rmdir the expected one");
  TAP_OK(!exists("d\\new"), "gone");

  write_file("d\\a", "A");
  write_file("d\\b", "B");
  TAP_STR(slink_err_name(slink__os_h_rename(d, "a", d, "b",
                                            SLINK__RENAME_NOREPLACE, NULL)),
          "SLINK_EEXIST", "NOREPLACE keeps an existing name");
  TAP_STR(read_file("d\\b"), "B", "b untouched");
  TAP_STR(slink_err_name(slink__os_h_rename(d, "a", d, "b",
                                            SLINK__RENAME_EXCHANGE, NULL)),
          "SLINK_ENOTSUP", "EXCHANGE is not on Windows");
  TAP_INT(slink__os_h_rename(d, "a", d, "b", 0, NULL), 0, "rename over");
  TAP_OK(!exists("d\\a") && strcmp(read_file("d\\b"), "A") == 0,
         "b has a's contents");
  TAP_INT(slink__os_h_rename(d, "b", o, "moved", SLINK__RENAME_NOREPLACE,
                             NULL), 0, "rename into another directory handle");
  TAP_STR(read_file("other\\moved"), "A", "it arrived");

  TAP_INT(slink__os_h_hardlink(o, "moved", d, "hl", NULL), 0,
          "hard link relative to two handles");
  TAP_INT(slink__os_h_lstat(d, "hl", &st, NULL), 0, "lstat it");
  TAP_INT(st.nlink, 2, "two names");
  TAP_STR(slink_err_name(slink__os_h_hardlink(top, "d", d, "hd", NULL)),
          "SLINK_EHARDLINKDIR", "no hard link to a directory");
  TAP_STR(slink_err_name(slink__os_h_hardlink(o, "moved", d, "hl", NULL)),
          "SLINK_EEXIST", "no hard link over a name");
  slink__os_h_close(top);
  slink__os_h_close(d);
  slink__os_h_close(o);
}

static void test_links(void) {
  slink__h *d = open_dir("d");
  slink_kind made = SLINK_KIND_NONE;
  char *real = NULL;
  int rc;
  if (!TAP_OK(d != NULL, "open d"))
    return;
  rc = slink__os_h_symlink(d, "sl", "file", 0, NULL, NULL);
  if (getenv("SLINK_TEST_UNPRIVILEGED")) {
    /* Issue 13.7/13.8: run without symlink privilege (run-restricted,
     * Developer Mode off): the refusal must say why, so --fallback acts. */
    TAP_STR(slink_err_name(rc), "SLINK_ENOPRIV",
            "13.7: no privilege is reported as such");
    TAP_OK(!exists("d\\sl"), "and nothing is left");
  } else if (wine) {
    TAP_OK(rc != 0, "Wine: a symbolic link is not reported made (%s)",
           slink_err_name(rc));
    TAP_OK(!exists("d\\sl"), "and nothing is left");
  } else {
    TAP_INT(rc, 0, "a symbolic link relative to a handle");
    TAP_INT(kind_of("d\\sl"), SLINK_KIND_SYMLINK, "it reads back");
  }
  TAP_INT(slink__os_h_realpath(d, &real, NULL), 0, "realpath of a handle");
  if (!wine && !getenv("SLINK_TEST_UNPRIVILEGED") && real) {
    /* Issue 13.3: Windows stores "C:\\x\\d\\..\\d\\file" as
     * "\\??\\C:\\x\\d\\file"; verification must accept that. */
    size_t n = strlen(real) + 32;
    char *messy = malloc(n);
    snprintf(messy, n, "%s\\..\\d\\.\\file", real);
    TAP_INT(slink__os_h_symlink(d, "messy", messy, 0, NULL, NULL), 0,
            "13.3: a symbolic link to an absolute path with '..' and '.'");
    TAP_INT(kind_of("d\\messy"), SLINK_KIND_SYMLINK, "it is kept");
    free(messy);
  }
  rc = real ? slink__os_h_junction(d, "jn", real, NULL, &made, NULL) : -1;
  if (wine) {
    TAP_OK(rc != 0, "Wine: a junction is not reported made (%s)",
           slink_err_name(rc));
    TAP_OK(!exists("d\\jn"), "and nothing is left");
  } else {
    TAP_INT(rc, 0, "a junction relative to a handle");
    TAP_INT(kind_of("d\\jn"), SLINK_KIND_JUNCTION, "it reads back");
  }
  free(real);
  slink__os_h_close(d);
}

static void test_misc(void) {
  slink__h *d;
  slink__sigsave a, b;
  char *real = NULL;
  wchar_t full[MAX_PATH + 1];
  char *want = NULL;
  DWORD attrs;
  CreateDirectoryW(L"rod", NULL);
  SetFileAttributesW(L"rod", FILE_ATTRIBUTE_READONLY);
  d = open_dir("rod");
  if (!TAP_OK(d != NULL, "open a read-only directory"))
    return;
  TAP_INT(slink__os_h_make_writable(d, NULL), 0, "make it writable");
  attrs = GetFileAttributesW(L"rod");
  TAP_OK(attrs != INVALID_FILE_ATTRIBUTES &&
             !(attrs & FILE_ATTRIBUTE_READONLY),
         "the read-only attribute is gone");
  TAP_INT(slink__os_h_may_change(d, NULL, NULL), 0,
          "the dry run may change it");
  TAP_INT(slink__os_h_realpath(d, &real, NULL), 0, "realpath");
  GetFullPathNameW(L"rod", MAX_PATH + 1, full, NULL);
  slink__win_to_utf8(full, wcslen(full), &want, NULL);
  TAP_OK(real && want && _stricmp(real, want) == 0,
         "it is the directory's full path (%s)", real ? real : "?");
  free(real);
  free(want);
  slink__os_h_close(d);
  slink__os_signals_hold(&a);
  slink__os_signals_hold(&b);
  slink__os_signals_release(&b);
  slink__os_signals_release(&a);
  TAP_OK(1, "control events held and released, nested");
}

/* Tree removal over files others hold and read-only files. */
static void test_tree(void) {
  HANDLE held;
  wchar_t *w = NULL;
  int rc;
  CreateDirectoryW(L"t", NULL);
  CreateDirectoryW(L"t\\.git", NULL);
  CreateDirectoryW(L"t\\.git\\objects", NULL);
  write_file("t\\.git\\objects\\pack", "p");
  SetFileAttributesW(L"t\\.git\\objects\\pack", FILE_ATTRIBUTE_READONLY);
  write_file("t\\busy", "b");
  slink__win_path("t\\busy", &w);
  held = CreateFileW(w, GENERIC_READ, FILE_SHARE_DELETE, NULL, OPEN_EXISTING,
                     0, NULL);
  free(w);
  TAP_OK(held != INVALID_HANDLE_VALUE, "a file held without read sharing");
  rc = slink_remove_tree("t\\busy", 0, NULL, NULL);
  TAP_INT(rc, 0, "13.5: rm -r of a file another program holds");
  CloseHandle(held);
  TAP_OK(!exists("t\\busy"), "it is gone once closed");
  slink__win_classic_delete_only = 1;
  TAP_INT(slink_remove_tree("t", 0, NULL, NULL), 0,
          "13.6: rm -r of a read-only file (a git checkout on exFAT)");
  slink__win_classic_delete_only = 0;
  TAP_OK(!exists("t"), "the tree is gone");
}

/* Issue 13.8's deep removal: 10,000 levels (about 20,000 characters of
 * path; 100 under Wine), made through handles, removed by rm -r with its depth on the
 * heap and a bounded number of handles open. */
static void test_deep(int levels) {
  slink__h *cur = open_dir("."), *next = NULL;
  int made = 0;
  if (!TAP_OK(cur != NULL, "open the scratch directory"))
    return;
  if (slink__os_h_mkdir(cur, "deep", 0755, NULL) == 0 &&
      slink__os_h_open(cur, "deep", 0, NULL, &next, NULL, NULL) == 0) {
    slink__os_h_close(cur);
    cur = next;
    for (made = 1; made < levels; made++) {
      if (slink__os_h_mkdir(cur, "d", 0755, NULL) != 0 ||
          slink__os_h_open(cur, "d", 0, NULL, &next, NULL, NULL) != 0)
        break;
      slink__os_h_close(cur);
      cur = next;
    }
  }
  if (cur) {
    HANDLE f;
    if (slink__nt_open(cur->h, L"leaf", 4, FILE_WRITE_DATA | SYNCHRONIZE,
                       FILE_NON_DIRECTORY_FILE, FILE_CREATE, &f) == 0)
      CloseHandle(f);
  }
  slink__os_h_close(cur);
  TAP_INT(made, levels, "a tree %d levels deep, made through handles", levels);
  TAP_INT(slink_remove_tree("deep", 0, NULL, NULL), 0,
          "rm -r removes it all");
  TAP_OK(!exists("deep"), "nothing is left");
}

/* Issue 13.2 on real NTFS: a WOF-compressed file (compact /exe) is a
 * reparse point with a tag that is no link; it must stay a file. */
static void test_wof(void) {
  slink__h *d;
  slink__stat st;
  int rc;
  if (wine) {
    tap_skip("13.2: a WOF-compressed file is a file",
             "Wine has no reparse points");
    return;
  }
  write_file("wof.bin", "compressible compressible compressible");
  rc = system("compact /c /exe:xpress4k /q wof.bin >NUL 2>NUL");
  d = open_dir(".");
  if (!d || slink__os_h_lstat(d, "wof.bin", &st, NULL) != 0 ||
      !(st.attrs & FILE_ATTRIBUTE_REPARSE_POINT)) {
    tap_skip("13.2: a WOF-compressed file is a file",
             rc ? "compact /exe failed" : "this volume does not compress");
    slink__os_h_close(d);
    return;
  }
  TAP_OK(st.tag == 0x80000017u, "13.2: compact made a WOF reparse point");
  TAP_INT(st.kind, SLINK_KIND_FILE, "13.2: a WOF-compressed file is a file");
  TAP_STR(slink_err_name(slink__os_h_unlink(d, "wof.bin", &st,
                                            SLINK__UNLINK_NOT_LAST, NULL)),
          "SLINK_ENOTLINK", "13.2: and its last name is not removed as a link");
  TAP_OK(slink_remove("wof.bin", 0, NULL) != 0 && exists("wof.bin"),
         "13.2: rm refuses it");
  slink__os_h_close(d);
}

/* Issue 13.3: what CreateSymbolicLinkW stores for each form of target
 * (RtlDosPathNameToNtPathName_U, which Wine implements too). */
static void test_expected_forms(void) {
  static const struct {
    const wchar_t *target;
    const char *stored;
    int relative;
  } cases[] = {
    {L"C:\\a\\..\\b", "\\??\\C:\\b", 0},
    {L"C:\\a\\.\\b", "\\??\\C:\\a\\b", 0},
    {L"C:\\a\\\\b", "\\??\\C:\\a\\b", 0},
    {L"C:\\a\\b.", "\\??\\C:\\a\\b", 0},
    {L"\\\\srv\\share\\..\\x", "\\??\\UNC\\srv\\share\\x", 0},
    {L"\\??\\C:\\x", "\\??\\C:\\x", 1},
    {L"rel\\x", "rel\\x", 1},
    {L"..\\up", "..\\up", 1},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    char *sub = NULL;
    int relative = -1;
    int rc = slink__win_symlink_expect(cases[i].target, &sub, &relative);
    TAP_OK(rc == 0 && sub && strcmp(sub, cases[i].stored) == 0 &&
               relative == cases[i].relative,
           "13.3: %ls is stored as %s%s (got %s)", cases[i].target,
           cases[i].stored, cases[i].relative ? ", relative" : "",
           sub ? sub : "?");
    free(sub);
  }
  {
    /* Drive-relative: absolute on that drive's current directory. */
    char *sub = NULL;
    int relative = -1;
    wchar_t cwd[MAX_PATH + 1];
    char *want = NULL, *u = NULL;
    GetCurrentDirectoryW(MAX_PATH + 1, cwd);
    wchar_t t[MAX_PATH + 8];
    swprintf(t, MAX_PATH + 8, L"%lc:rel", cwd[0]);
    slink__win_symlink_expect(t, &sub, &relative);
    slink__win_to_utf8(cwd, wcslen(cwd), &u, NULL);
    want = u ? malloc(strlen(u) + 16) : NULL;
    if (want)
      sprintf(want, "\\??\\%s\\rel", u);
    TAP_OK(sub && want && relative == 0 && _stricmp(sub, want) == 0,
           "13.3: C:rel is stored absolute (%s)", sub ? sub : "?");
    free(sub);
    free(want);
    free(u);
  }
}

/* Linux symlinks seen through Wine (made by wine-unix-handles.sh in DIR):
 * Wine opens their targets even when asked not to follow, so every call
 * must see a link it cannot read and change nothing it leads to. */
static int unix_links(const char *dir) {
  slink__h *d = NULL, *x = NULL;
  slink__stat st;
  slink_info info;
  int rc;
  SetCurrentDirectoryA(dir);
  d = open_dir(".");
  if (!TAP_OK(d != NULL, "open the directory with the Linux symlinks"))
    return tap_done();
  TAP_INT(slink__os_h_lstat(d, "file-link", &st, NULL), 0, "lstat file-link");
  TAP_INT(st.kind, SLINK_KIND_REPARSE, "13.4 (Wine): a link, not its target");
  TAP_INT(slink__os_h_lstat(d, "dir-link", &st, NULL), 0, "lstat dir-link");
  TAP_INT(st.kind, SLINK_KIND_REPARSE, "a link, not a directory");
  TAP_STR(slink_err_name(slink__os_h_open(d, "dir-link", 0, NULL, &x, NULL,
                                          NULL)),
          "SLINK_ENOTDIR", "a symlink to a directory is never entered");
  TAP_STR(slink_err_name(slink__os_h_open(d, "dir-link/x", SLINK__H_BENEATH,
                                          NULL, &x, NULL, NULL)),
          "SLINK_ENOTDIR", "nor passed through with BENEATH");
  memset(&info, 0, sizeof info);
  rc = slink__os_h_readlink(d, "dir-link", &info, NULL);
  TAP_OK(rc == 0 && info.kind == SLINK_KIND_REPARSE && !info.target,
         "its data cannot be read");
  slink_info_free(&info);
  TAP_OK(slink__os_h_unlink(d, "file-link", NULL, 0, NULL) != 0,
         "unlink of a symlink to a file is refused");
  TAP_OK(slink__os_h_unlink(d, "dir-link", NULL, 0, NULL) != 0,
         "unlink of a symlink to a directory is refused");
  TAP_OK(slink__os_h_rmdir(d, "empty-link", NULL, NULL) != 0,
         "rmdir of a symlink to an empty directory is refused");
  TAP_OK(slink__os_h_rename(d, "file-link", d, "moved", 0, NULL) != 0,
         "rename of a symlink is refused (it would move the target)");
  TAP_OK(slink__os_h_hardlink(d, "file-link", d, "hl", NULL) != 0,
         "a hard link to what Wine opened through is refused");
  TAP_STR(read_file("target.txt"), "data\n", "the file pointed to is intact");
  TAP_STR(read_file("target-dir\\inside.txt"), "inside\n",
          "the directory pointed to is intact");
  TAP_OK(GetFileAttributesW(L"empty-dir") != INVALID_FILE_ATTRIBUTES,
         "the empty directory pointed to is still there");
  slink__os_h_close(d);
  return tap_done();
}

int main(int argc, char **argv) {
  wine = tap_wine_version();
  if (argc == 3 && strcmp(argv[1], "--unix-links") == 0)
    return unix_links(argv[2]);
  if (!TAP_OK(scratch_begin("handle"), "a scratch directory"))
    return tap_done();
  test_open();
  test_list_and_stat();
  test_unlink();
  test_rmdir_rename_mkdir();
  test_links();
  test_misc();
  test_tree();
  test_wof();
  /* Wine works out a handle's Unix path (and from it the volume) again
   * for every open and every query, so time grows with the square of the
   * depth there: 100 levels under Wine, 10,000 on Windows. */
  test_deep(getenv("SLINK_DEEP_LEVELS") ? atoi(getenv("SLINK_DEEP_LEVELS"))
            : wine ? 100 : 10000);
  test_expected_forms();
  scratch_end();
  return tap_done();
}
