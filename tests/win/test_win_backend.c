/*
 * test_win_backend.c - the library on a real Windows filesystem (or Wine's
 * view of a Linux one): hard links, plain trees, error paths, and
 * verification of every link made. What Wine cannot do (symbolic links,
 * junctions) must end in an error there, never in a false success; on
 * Windows the same tests check the real links.
 */
#include "scratch.h"

static const char *wine;

static int mk(const char *link, const char *target, slink_make_type type,
              unsigned flags, slink_made *made) {
  slink_make_opts o = {type, flags, NULL};
  memset(made, 0, sizeof *made);
  return slink_make(link, target, &o, made);
}

static int mk_simple(const char *link, const char *target,
                     slink_make_type type, unsigned flags) {
  slink_made made;
  int rc = mk(link, target, type, flags, &made);
  slink_made_free(&made);
  return rc;
}

static void test_plain(void) {
  slink_info info;
  char **names;
  size_t count;
  int rc;
  CreateDirectoryW(L"tree", NULL);
  CreateDirectoryW(L"tree\\sub", NULL);
  write_file("tree\\a.txt", "alpha");
  write_file("tree\\\xc3\xa9t\xc3\xa9.txt", "summer");

  rc = slink_read("tree\\a.txt", SLINK_READ_RESOLVE, &info);
  TAP_INT(rc, 0, "read a plain file");
  TAP_STR(slink_kind_name(info.kind), "file", "a plain file is a file");
  TAP_INT(info.nlink, 1, "with one name");
  TAP_INT(info.size, 5, "and its size");
  TAP_OK(info.target == NULL && info.states == 0, "and no target or state");
  TAP_OK(info.ino != 0, "and a file ID");
  slink_info_free(&info);

  rc = slink_read("tree/sub/", 0, &info);
  TAP_INT(rc, 0, "read a directory given with '/'");
  TAP_STR(slink_kind_name(info.kind), "dir", "a directory is a dir");
  slink_info_free(&info);

  TAP_STR(slink_err_name(slink_read("tree\\none", 0, &info)), "SLINK_ENOENT",
          "a missing file is ENOENT");
  TAP_STR(slink_err_name(slink_read("tree\\a.txt\\x", 0, &info)),
          "SLINK_ENOTDIR", "a file used as a directory is ENOTDIR, as on POSIX");

  rc = slink_list_dir("tree", &names, &count);
  TAP_INT(rc, 0, "list a directory");
  TAP_OK(count == 3 && strcmp(names[0], "a.txt") == 0 &&
             strcmp(names[1], "sub") == 0 &&
             strcmp(names[2], "\xc3\xa9t\xc3\xa9.txt") == 0,
         "three names in byte order, UTF-8 kept");
  if (rc == 0)
    slink_names_free(names, count);
}

static void test_hard_links(void) {
  slink_info a, h;
  slink_made made;
  slink_removed removed;
  int rc;
  write_file("data.txt", "one file");
  CreateDirectoryW(L"adir", NULL);

  rc = mk("copy.txt", "data.txt", SLINK_MAKE_HARD, 0, &made);
  TAP_INT(rc, 0, "make a hard link");
  TAP_STR(slink_kind_name(made.kind), "file", "it is reported as a file");
  slink_made_free(&made);
  slink_read("data.txt", 0, &a);
  slink_read("copy.txt", 0, &h);
  TAP_INT(h.nlink, 2, "the file has two names");
  TAP_OK(a.ino == h.ino && a.dev == h.dev, "both names are one file");
  slink_info_free(&a);
  slink_info_free(&h);
  TAP_STR(read_file("copy.txt"), "one file", "the new name reads the data");
  write_file("copy.txt", "changed");
  TAP_STR(read_file("data.txt"), "changed", "a write shows through both");

  rc = slink_remove("copy.txt", SLINK_REMOVE_DRY_RUN, &removed);
  TAP_OK(rc == 0 && exists("copy.txt"), "a dry run removes nothing");
  rc = slink_remove("copy.txt", 0, &removed);
  TAP_INT(rc, 0, "remove one name of a hard-linked file");
  TAP_INT(removed.names_left, 1, "one name is left");
  TAP_OK(!exists("copy.txt") && exists("data.txt"), "only that name went");
  TAP_STR(slink_err_name(slink_remove("data.txt", 0, &removed)),
          "SLINK_ENOTLINK", "the last name of a file is not removed");
  TAP_STR(read_file("data.txt"), "changed", "and the data is intact");

  TAP_STR(slink_err_name(mk_simple("dlink", "adir", SLINK_MAKE_HARD, 0)),
          "SLINK_EHARDLINKDIR", "no hard link to a directory");
  TAP_STR(slink_err_name(mk_simple("x", "missing", SLINK_MAKE_HARD, 0)),
          "SLINK_ENOTARGET", "no hard link to nothing");
  write_file("other.txt", "other");
  TAP_STR(slink_err_name(mk_simple("other.txt", "data.txt", SLINK_MAKE_HARD,
                                   0)),
          "SLINK_EEXIST", "an existing name is not replaced");
  TAP_STR(read_file("other.txt"), "other", "and stays as it was");
  rc = mk("other.txt", "data.txt", SLINK_MAKE_HARD, SLINK_MAKE_FORCE, &made);
  TAP_INT(rc, 0, "--force replaces a file with a hard link");
  TAP_OK(made.warnings & SLINK_WARN_REPLACED, "and says it replaced it");
  slink_made_free(&made);
  TAP_STR(read_file("other.txt"), "changed", "the name now holds the data");
  TAP_STR(slink_err_name(mk_simple("adir", "data.txt", SLINK_MAKE_HARD,
                                   SLINK_MAKE_FORCE)),
          "SLINK_EDIRNOTREPLACED", "--force never replaces a directory");
  TAP_STR(slink_err_name(mk_simple("nowhere\\x", "data.txt", SLINK_MAKE_HARD,
                                   0)),
          "SLINK_ENOPARENT", "a link needs an existing directory");
  rc = mk("\xe6\x97\xa5\xe6\x9c\xac-\xc3\xa9.txt", "data.txt",
          SLINK_MAKE_HARD, 0, &made);
  slink_made_free(&made);
  TAP_OK(rc == 0 && strcmp(read_file("\xe6\x97\xa5\xe6\x9c\xac-\xc3\xa9.txt"),
                           "changed") == 0,
         "a hard link with a non-ASCII name");
}

/* Every name of a file from the filesystem's own list. */
static void test_file_names(void) {
  char **names = NULL;
  size_t count = 0;
  int rc;
  write_file("fn-a.txt", "n");
  mk_simple("fn-b.txt", "fn-a.txt", SLINK_MAKE_HARD, 0);
  rc = slink_file_names("fn-a.txt", &names, &count);
  if (wine) {
    TAP_STR(slink_err_name(rc), "SLINK_ENOTSUP",
            "Wine has no FindFirstFileNameW: the caller is told to walk");
  } else {
    size_t hits = 0;
    TAP_INT(rc, 0, "list a file's names");
    TAP_INT(count, 2, "both names");
    for (size_t i = 0; rc == 0 && i < count; i++) {
      size_t l = strlen(names[i]);
      hits += l > 9 && (strcmp(names[i] + l - 9, "\\fn-a.txt") == 0 ||
                        strcmp(names[i] + l - 9, "\\fn-b.txt") == 0) &&
              names[i][1] == ':';
    }
    TAP_INT(hits, 2, "as full paths with the drive");
  }
  if (rc == 0)
    slink_names_free(names, count);
}

static void test_names(void) {
  static const char *const reserved[] = { "nul", "CON.txt", "com1", "aux.c" };
  static const char *const bad[] = { "dot.", "space " };
  char **names;
  size_t before = 0, after = 0;
  write_file("n.txt", "n");
  if (slink_list_dir(".", &names, &before) == 0)
    slink_names_free(names, before);
  for (size_t i = 0; i < sizeof reserved / sizeof *reserved; i++)
    TAP_STR(slink_err_name(mk_simple(reserved[i], "n.txt", SLINK_MAKE_HARD,
                                     0)),
            "SLINK_ERESERVED", "link name '%s' is refused", reserved[i]);
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
    TAP_STR(slink_err_name(mk_simple(bad[i], "n.txt", SLINK_MAKE_HARD, 0)),
            "SLINK_EBADNAME", "link name '%s' is refused", bad[i]);
  TAP_STR(slink_err_name(mk_simple("bad\xff", "n.txt", SLINK_MAKE_HARD, 0)),
          "SLINK_EBADUTF8", "a name that is not UTF-8 is refused");
  if (slink_list_dir(".", &names, &after) == 0)
    slink_names_free(names, after);
  TAP_INT(after, before, "and nothing was made for any of them");
  TAP_STR(slink_err_name(slink_remove("nul", 0, NULL)), "SLINK_ERESERVED",
          "rm of a device name is refused, not sent to the device");
}

static void test_errors(void) {
  CreateDirectoryW(L"edir", NULL);
  TAP_STR(slink_err_name(slink_remove("edir", 0, NULL)), "SLINK_EISDIR",
          "rm refuses a directory");
  TAP_OK(kind_of("edir") == SLINK_KIND_DIR, "and it is still there");
  TAP_STR(slink_err_name(slink_remove("none", 0, NULL)), "SLINK_ENOENT",
          "rm of nothing is ENOENT");
  TAP_STR(slink_err_name(slink_remove("", 0, NULL)), "SLINK_EEMPTYPATH",
          "rm of an empty path");
  TAP_STR(slink_err_name(mk_simple("j", "none", SLINK_MAKE_JUNCTION, 0)),
          "SLINK_ENOTARGET", "a junction needs its target");
  write_file("f.txt", "f");
  TAP_STR(slink_err_name(mk_simple("j", "f.txt", SLINK_MAKE_JUNCTION, 0)),
          "SLINK_ETARGETNOTDIR", "a junction's target is a directory");
  TAP_OK(!exists("j"), "no junction was left behind");
}

/* Under Wine, CreateSymbolicLinkW says yes and makes nothing: the read
 * back must turn that into an error. */
static void test_symlinks(void) {
  slink_made made;
  slink_info info;
  slink_removed removed;
  int rc;
  write_file("target.txt", "t");
  CreateDirectoryW(L"tdir", NULL);
  write_file("tdir\\inside.txt", "inside");

  rc = mk("sl", "target.txt", SLINK_MAKE_SYMBOLIC, 0, &made);
  if (wine) {
    TAP_STR(slink_err_name(rc), "SLINK_ENOTVERIFIED",
            "Wine: a symbolic link it claims to make is reported unmade");
    TAP_STR(slink_strerror(rc),
            "the system reported success but no link exists",
            "with the message that says so");
    TAP_OK(!exists("sl"), "and there is nothing at the link's name");
    slink_made_free(&made);
    rc = mk("sld", "tdir", SLINK_MAKE_SYMBOLIC, 0, &made);
    TAP_STR(slink_err_name(rc), "SLINK_ENOTVERIFIED",
            "Wine: the same for a directory symbolic link");
    slink_made_free(&made);
    rc = mk("jn", "tdir", SLINK_MAKE_JUNCTION, 0, &made);
    TAP_OK(rc < 0, "Wine: a junction cannot be made (%s)",
           slink_err_name(rc));
    TAP_OK(!exists("jn"), "and no directory is left half-made");
    slink_made_free(&made);
    tap_skip("remove a symbolic link, keep its target",
             "Wine cannot make symbolic links or junctions");
    tap_skip("remove a junction, keep its target",
             "Wine cannot make symbolic links or junctions");
    return;
  }
  if (rc == SLINK_ENOPRIV) {
    slink_made_free(&made);
    tap_skip("symbolic links",
             "no privilege to create symbolic links (turn on Developer Mode)");
  } else {
    TAP_INT(rc, 0, "make a file symbolic link");
    TAP_STR(slink_kind_name(made.kind), "symlink", "reported as symlink");
    slink_made_free(&made);
    rc = slink_read("sl", SLINK_READ_RESOLVE, &info);
    TAP_OK(rc == 0 && info.kind == SLINK_KIND_SYMLINK &&
               info.tag == SLINK_REPARSE_TAG_SYMLINK,
           "read back: a symlink reparse point");
    TAP_STR(info.target, "target.txt", "storing the target as given");
    TAP_OK(info.states & SLINK_STATE_OK, "which resolves");
    slink_info_free(&info);
    rc = mk("sld", "tdir", SLINK_MAKE_SYMBOLIC, 0, &made);
    TAP_INT(rc, 0, "make a directory symbolic link");
    TAP_STR(slink_kind_name(made.kind), "dir-symlink",
            "the directory flag follows the target");
    slink_made_free(&made);
    TAP_STR(read_file("sld\\inside.txt"), "inside", "it leads to the target");
    rc = slink_remove("sld", 0, &removed);
    TAP_INT(rc, 0, "remove the directory symbolic link");
    TAP_OK(!exists("sld") &&
               strcmp(read_file("tdir\\inside.txt"), "inside") == 0,
           "the link is gone, the target's contents are intact");
    rc = slink_remove("sl/", 0, &removed);
    TAP_OK(rc == 0 && !exists("sl") && exists("target.txt"),
           "'sl/' removes the link itself, never the target");
  }
  rc = mk("jn", "tdir", SLINK_MAKE_JUNCTION, 0, &made);
  TAP_INT(rc, 0, "make a junction");
  slink_made_free(&made);
  rc = slink_read("jn", 0, &info);
  TAP_OK(rc == 0 && info.kind == SLINK_KIND_JUNCTION &&
             info.tag == SLINK_REPARSE_TAG_MOUNT_POINT,
         "read back: a mount point");
  TAP_OK(info.substitute_name && strncmp(info.substitute_name, "\\??\\", 4) == 0,
         "its substitute name is an NT path");
  TAP_OK(info.print_name && info.print_name[0] && info.print_name[1] == ':',
         "its print name a drive path");
  slink_info_free(&info);
  TAP_STR(read_file("jn\\inside.txt"), "inside", "the junction leads there");
  CreateDirectoryW(L"tdir2", NULL);
  write_file("tdir2\\inside.txt", "second");
  rc = mk("jn", "tdir2", SLINK_MAKE_JUNCTION, SLINK_MAKE_FORCE, &made);
  TAP_INT(rc, 0, "--force puts a new junction in place of the old one");
  TAP_OK(made.warnings & SLINK_WARN_REPLACED, "and says it replaced it");
  slink_made_free(&made);
  TAP_OK(strcmp(read_file("jn\\inside.txt"), "second") == 0 &&
             strcmp(read_file("tdir\\inside.txt"), "inside") == 0,
         "it leads to the new target; the old target is untouched");
  {
    char **left;
    size_t n = 0, stray = 0;
    if (slink_list_dir(".", &left, &n) == 0) {
      for (size_t i = 0; i < n; i++)
        stray += strstr(left[i], ".slink-") != NULL;
      slink_names_free(left, n);
    }
    TAP_INT(stray, 0, "no temporary name is left behind");
  }
  rc = slink_remove("jn", 0, &removed);
  TAP_INT(rc, 0, "remove the junction");
  TAP_OK(!exists("jn") &&
             strcmp(read_file("tdir\\inside.txt"), "inside") == 0,
         "the junction is gone, the target's contents are intact");
}

typedef struct events {
  int removed, failed, first_error;
  char last[512];
} events;

static int count_event(const slink_tree_event *ev, void *ctx) {
  events *e = ctx;
  if (ev->error) {
    e->failed++;
    if (!e->first_error)
      e->first_error = ev->error;
  } else {
    e->removed++;
  }
  snprintf(e->last, sizeof e->last, "%s", ev->path);
  return 0;
}

static void test_tree(void) {
  events e;
  slink_info info;
  int rc;
  CreateDirectoryW(L"t", NULL);
  CreateDirectoryW(L"t\\sub", NULL);
  CreateDirectoryW(L"t\\sub\\deeper", NULL);
  CreateDirectoryW(L"outside", NULL);
  write_file("t\\a.txt", "a");
  write_file("t\\sub\\b.txt", "b");
  write_file("t\\sub\\deeper\\c.txt", "c");
  write_file("outside\\keep.txt", "keep");
  mk_simple("t\\sub\\hl", "outside\\keep.txt", SLINK_MAKE_HARD, 0);

  memset(&e, 0, sizeof e);
  rc = slink_remove_tree("t", SLINK_TREE_DRY_RUN, count_event, &e);
  TAP_INT(rc, 0, "rm -r -n of a plain tree");
  TAP_INT(e.removed, 7, "reports the 7 entries it would remove");
  TAP_STR(e.last, "t", "the directory itself last");
  TAP_OK(exists("t\\sub\\deeper\\c.txt"), "and removes nothing");

  memset(&e, 0, sizeof e);
  rc = slink_remove_tree("t/", SLINK_TREE_VERBOSE, count_event, &e);
  TAP_INT(rc, 0, "rm -r of the tree");
  TAP_OK(e.removed == 7 && e.failed == 0, "every entry reported removed");
  TAP_OK(!exists("t"), "the tree is gone");
  rc = slink_read("outside\\keep.txt", 0, &info);
  TAP_OK(rc == 0 && info.nlink == 1 &&
             strcmp(read_file("outside\\keep.txt"), "keep") == 0,
         "a hard link's other name outside the tree is intact");
  if (rc == 0)
    slink_info_free(&info);

  memset(&e, 0, sizeof e);
  TAP_STR(slink_err_name(slink_remove_tree("t", 0, count_event, &e)),
          "SLINK_ENOENT", "rm -r of nothing");
  TAP_INT(e.failed, 1, "is reported once");
  TAP_STR(slink_err_name(slink_remove_tree("outside\\.", 0, NULL, NULL)),
          "SLINK_EISDOT", "rm -r of '.' is refused");
  TAP_STR(slink_err_name(slink_remove_tree("C:", 0, NULL, NULL)),
          "SLINK_EISROOT", "rm -r of a bare drive is refused");
  TAP_STR(slink_err_name(slink_remove_tree("\\", 0, NULL, NULL)),
          "SLINK_EISROOT", "rm -r of the root is refused");
  TAP_OK(exists("outside\\keep.txt"), "and nothing was removed");

  if (wine) {
    tap_skip("rm -r of a tree holding a junction",
             "Wine cannot make junctions (tests/win/wine-unix-links.sh checks "
             "Linux symlinks instead)");
    return;
  }
  CreateDirectoryW(L"t2", NULL);
  write_file("t2\\own.txt", "own");
  rc = mk_simple("t2\\jn", "outside", SLINK_MAKE_JUNCTION, 0);
  TAP_INT(rc, 0, "a junction inside a tree, to a directory outside it");
  rc = mk_simple("t2\\sl", "..\\outside", SLINK_MAKE_SYMBOLIC, SLINK_MAKE_DIR);
  if (rc == SLINK_ENOPRIV)
    tap_skip("a directory symbolic link inside the tree",
             "no privilege to create symbolic links (Developer Mode)");
  else
    TAP_INT(rc, 0, "and a directory symbolic link beside it");
  rc = slink_remove_tree("t2", 0, NULL, NULL);
  TAP_INT(rc, 0, "rm -r of that tree");
  TAP_OK(!exists("t2") && strcmp(read_file("outside\\keep.txt"), "keep") == 0,
         "the tree is gone, the links' target is untouched");
}

/* Paths longer than MAX_PATH work without any setting: \\?\ is added. */
static void test_long_paths(void) {
  char path[1200] = "long";
  wchar_t *w;
  slink_info info;
  int rc, made_dirs = 1;
  for (int i = 0; i < 8 && made_dirs; i++) {
    strcat(path, "\\abcdefghijklmnopqrstuvwxyz-0123456789");
    made_dirs = slink__win_path(i == 0 ? "long" : path, &w) == 0;
    if (made_dirs) {
      if (i == 0)
        CreateDirectoryW(w, NULL);
      free(w);
    }
    made_dirs = made_dirs && slink__win_path(path, &w) == 0 &&
                (CreateDirectoryW(w, NULL) ||
                 GetLastError() == ERROR_ALREADY_EXISTS);
    if (made_dirs)
      free(w);
  }
  if (!TAP_OK(made_dirs, "a directory %zu characters deep", strlen(path)))
    return;
  strcat(path, "\\file.txt");
  write_file(path, "deep");
  {
    char link[1300];
    snprintf(link, sizeof link, "%s.link", path);
    rc = mk_simple(link, path, SLINK_MAKE_HARD, 0);
    TAP_INT(rc, 0, "a hard link %zu characters deep", strlen(link));
    rc = slink_read(link, 0, &info);
    TAP_OK(rc == 0 && info.nlink == 2, "read back with both names");
    if (rc == 0)
      slink_info_free(&info);
    TAP_INT(slink_remove(link, 0, NULL), 0, "and removed again");
    if (wine) {
      tap_skip("a junction and a symbolic link past MAX_PATH",
               "Wine cannot make symbolic links or junctions");
      return;
    }
    snprintf(link, sizeof link, "%s.junction", path);
    rc = mk_simple(link, "long", SLINK_MAKE_JUNCTION, 0);
    TAP_INT(rc, 0, "a junction %zu characters deep", strlen(link));
    TAP_OK(kind_of(link) == SLINK_KIND_JUNCTION, "reads back as a junction");
    TAP_INT(slink_remove(link, 0, NULL), 0, "and is removed as itself");
    snprintf(link, sizeof link, "%s.symlink", path);
    rc = mk_simple(link, "file.txt", SLINK_MAKE_SYMBOLIC, 0);
    if (rc == SLINK_ENOPRIV) {
      tap_skip("a symbolic link past MAX_PATH",
               "no privilege for symbolic links (Developer Mode)");
    } else {
      TAP_INT(rc, 0, "a symbolic link %zu characters deep", strlen(link));
      TAP_STR(read_file(link), "deep", "which leads to its target");
      TAP_INT(slink_remove(link, 0, NULL), 0, "and is removed as itself");
    }
    TAP_STR(read_file(path), "deep", "the target is intact");
  }
}

int main(void) {
  wine = tap_wine_version();
  if (wine)
    tap_note("running under Wine %s: symbolic links and junctions must "
             "fail verification", wine);
  if (!TAP_OK(scratch_begin("backend"), "a scratch directory"))
    return tap_done();
  test_plain();
  test_hard_links();
  test_names();
  test_file_names();
  test_errors();
  test_symlinks();
  test_tree();
  test_long_paths();
  scratch_end();
  return tap_done();
}
