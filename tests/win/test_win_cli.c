/*
 * test_win_cli.c - the slink program as a Windows user runs it: each case
 * starts slink.exe (path in argv[1]) in a scratch directory with its output
 * sent to files, then checks exit status, exact messages and what is on
 * disk. Under Wine, asking for a symbolic link or junction must end in a
 * clear error; on Windows the same cases make real links.
 */
#include "run.h"

static const char *wine;

static void test_basics(void) {
  run_result r;
  RUN(&r, "--version");
  TAP_INT(r.status, 0, "slink --version succeeds");
  TAP_STR(r.out, "slink " SLINK_VERSION_STRING "\n", "and prints the version");
  RUN(&r, "bogus");
  TAP_INT(r.status, 2, "an unknown command is a usage error");
  TAP_OK(contains(r.err, "slink: unknown command bogus"), "and says so");
}

static void test_hard_and_plain(void) {
  run_result r;
  write_file("f.txt", "data");
  CreateDirectoryW(L"dir", NULL);
  RUN(&r, "make", "-H", "h.txt", "f.txt");
  TAP_INT(r.status, 0, "make -H succeeds");
  TAP_STR(r.out, "made hard link h.txt (the file now has 2 names)\n",
          "and reports the names");
  TAP_STR(read_file("h.txt"), "data", "the new name holds the data");
  RUN(&r, "show", "f.txt");
  TAP_INT(r.status, 0, "show a file");
  TAP_OK(contains(r.out, "kind:      file") && contains(r.out, "names:     2"),
         "show says file with 2 names");
  RUN(&r, "show", "--json", "f.txt");
  TAP_OK(r.status == 0 && contains(r.out, "\"kind\":\"file\"") &&
             contains(r.out, "\"nlink\":2"),
         "show --json gives kind and nlink");
  RUN(&r, "ls");
  TAP_INT(r.status, 0, "ls a plain tree");
  TAP_OK(contains(r.out, "<DIR>          dir") &&
             contains(r.out, " f.txt (2 links)") &&
             contains(r.out, " h.txt (2 links)"),
         "ls marks the directory and the hard-link counts");
  RUN(&r, "rm", "h.txt");
  TAP_INT(r.status, 0, "rm one name of a hard-linked file");
  TAP_OK(!exists("h.txt") && strcmp(read_file("f.txt"), "data") == 0,
         "that name is gone, the data stays");
}

static void test_errors(void) {
  run_result r;
  RUN(&r, "rm", "dir");
  TAP_INT(r.status, 1, "rm of a directory fails");
  TAP_STR(r.err, "slink: rm: dir: is a directory, not a link\n",
          "with the message that says why");
  RUN(&r, "rm", "f.txt");
  TAP_STR(r.err, "slink: rm: f.txt: is not a link; nothing removed\n",
          "rm of a file's only name is refused");
  TAP_OK(exists("f.txt"), "and the file stays");
  RUN(&r, "rm", "missing");
  TAP_STR(r.err, "slink: rm: missing: no such file or directory\n",
          "rm of nothing says so");
  RUN(&r, "make", "-H", "nul", "f.txt");
  TAP_INT(r.status, 1, "a reserved link name fails");
  TAP_STR(r.err, "slink: make: nul: is a reserved name on Windows\n",
          "and names the reason");
  RUN(&r, "make", "-H", "x.", "f.txt");
  TAP_STR(r.err,
          "slink: make: x.: has a trailing dot or space, which Windows "
          "cannot keep\n",
          "a trailing dot is refused");
  RUN(&r, "make", "-H", "dlink", "dir");
  TAP_STR(r.err, "slink: make: dir: hard links to directories are not "
                 "allowed\n",
          "no hard link to a directory");
  RUN(&r, "make", "-H", "new.txt", "missing");
  TAP_STR(r.err, "slink: make: missing: the target does not exist\n",
          "no hard link to nothing");
}

static void test_unicode(void) {
  run_result r;
  const char *name = "\xc3\xa9t\xc3\xa9-\xe6\x97\xa5\xe6\x9c\xac.txt";
  RUN(&r, "make", "-H", name, "f.txt");
  TAP_INT(r.status, 0, "a non-ASCII argument reaches slink intact");
  TAP_STR(read_file(name), "data", "the file has exactly that name");
  RUN(&r, "ls");
  TAP_OK(contains(r.out, name), "ls writes the name as UTF-8 to a file");
}

/* scan, fix, hardlinks and rm -r on a tree without symbolic links. */
static void test_tree_commands(void) {
  run_result r;
  RUN(&r, "hardlinks", "f.txt");
  TAP_INT(r.status, 0, "hardlinks of a file with two names");
  TAP_OK(contains(r.out, "f.txt\n") &&
             contains(r.out, "\xc3\xa9t\xc3\xa9-\xe6\x97\xa5\xe6\x9c\xac.txt\n"),
         "lists both names");
  RUN(&r, "scan", ".");
  TAP_INT(r.status, 0, "scan of a tree without links finds no problem");
  TAP_STR(r.out, "", "and reports nothing");
  RUN(&r, "fix", "-n", "--delete-dangling", ".");
  TAP_INT(r.status, 0, "fix -n finds nothing to do");
  CreateDirectoryW(L"gone", NULL);
  CreateDirectoryW(L"gone\\sub", NULL);
  write_file("gone\\sub\\x.txt", "x");
  RUN(&r, "rm", "-r", "-n", "gone");
  TAP_OK(r.status == 0 && contains(r.out, "gone") && exists("gone\\sub\\x.txt"),
         "rm -r -n says what it would remove and removes nothing");
  RUN(&r, "rm", "-r", "gone");
  TAP_OK(r.status == 0 && !exists("gone"), "rm -r removes the tree");
}

static void test_links(void) {
  run_result r;
  CreateDirectoryW(L"tdir", NULL);
  write_file("tdir\\in.txt", "in");
  RUN(&r, "make", "-s", "sl", "f.txt");
  if (wine) {
    TAP_INT(r.status, 1, "Wine: make -s fails");
    TAP_STR(r.err,
            "slink: make: sl: the system reported success but no link "
            "exists\n",
            "Wine: because verification found no link");
    TAP_STR(r.out, "", "Wine: and nothing claims it was made");
    TAP_OK(!exists("sl"), "Wine: nothing is at the link's name");
    RUN(&r, "make", "-j", "jn", "tdir");
    TAP_INT(r.status, 1, "Wine: make -j fails");
    TAP_OK(contains(r.err, "slink: make: jn: "), "Wine: with a message");
    TAP_OK(!exists("jn"), "Wine: and leaves no directory behind");
    tap_skip("rm of a symbolic link and a junction",
             "Wine cannot make symbolic links or junctions");
    return;
  }
  if (r.status == 1 && contains(r.err, "privilege")) {
    tap_skip("make -s", "no privilege for symbolic links (Developer Mode)");
  } else {
    TAP_INT(r.status, 0, "make -s makes a symbolic link");
    RUN(&r, "show", "sl");
    TAP_OK(contains(r.out, "kind:      symlink") &&
               contains(r.out, "target:    f.txt"),
           "show reads it back");
    RUN(&r, "make", "-s", "sld", "tdir");
    TAP_INT(r.status, 0, "make -s to a directory");
    RUN(&r, "ls");
    TAP_OK(contains(r.out, "<SYMLINKD>") && contains(r.out, "<SYMLINK>"),
           "ls marks both kinds as dir does");
    RUN(&r, "rm", "sld\\");
    TAP_OK(r.status == 0 && !exists("sld") &&
               strcmp(read_file("tdir\\in.txt"), "in") == 0,
           "rm 'sld\\' removes the link, not the directory's contents");
    RUN(&r, "rm", "sl");
    TAP_OK(r.status == 0 && !exists("sl") && exists("f.txt"),
           "rm removes a file symbolic link, not its target");
  }
  RUN(&r, "make", "-s", "dang", "nothere");
  if (r.status == 0) {
    RUN(&r, "scan", ".");
    TAP_OK(r.status == 1 && contains(r.out, "dang") &&
               contains(r.out, "dangling"),
           "scan finds the dangling link");
    RUN(&r, "fix", "--delete-dangling", ".");
    TAP_OK(r.status == 0 && !exists("dang"), "fix --delete-dangling removes it");
  } else {
    tap_skip("scan and fix of a dangling link",
             "no privilege for symbolic links (Developer Mode)");
  }
  RUN(&r, "make", "-j", "jn", "tdir");
  TAP_INT(r.status, 0, "make -j makes a junction");
  RUN(&r, "ls");
  TAP_OK(contains(r.out, "<JUNCTION>"), "ls marks it <JUNCTION>");
  RUN(&r, "rm", "jn");
  TAP_OK(r.status == 0 && !exists("jn") &&
             strcmp(read_file("tdir\\in.txt"), "in") == 0,
         "rm removes the junction, the target stays full");
}

/* clone and move as a user runs them (issue 17.4): exit status, the one
 * message per failure, move's default link. */
static void test_clone_move(void) {
  run_result r;
  CreateDirectoryW(L"cm", NULL);
  CreateDirectoryW(L"cm\\sub", NULL);
  write_file("cm\\sub\\f.txt", "moved");
  write_file("cm\\h.txt", "group");
  CreateHardLinkW(L"cm\\sub\\g.txt", L"cm\\h.txt", NULL);
  RUN(&r, "clone", "--copy", "--json", "cm", "cm2");
  TAP_INT(r.status, 0, "clone --copy succeeds");
  TAP_OK(contains(r.out, "\"files_copied\":2") &&
             contains(r.out, "\"group_links\":1"),
         "and counts two copies and one group link");
  TAP_STR(read_file("cm2\\sub\\g.txt"), "group", "the copy holds the bytes");
  RUN(&r, "clone", "cm", "cm2");
  TAP_INT(r.status, 1, "clone onto an existing DEST fails");
  TAP_STR(r.err, "slink: clone: cm2: already exists\n", "and says so once");
  /* Across filesystems (Wine: its Z:\dev\shm; the workflow: another
   * volume), a file held open without delete sharing is refused. */
  char other[MAX_PATH] = "";
  const char *env = getenv("SLINK_TEST_OTHER_DIR");
  if (env && *env)
    snprintf(other, sizeof other, "%s\\cli-held", env);
  else if (wine && GetFileAttributesW(L"Z:\\dev\\shm") != INVALID_FILE_ATTRIBUTES)
    snprintf(other, sizeof other, "Z:\\dev\\shm\\slink-cli-%lu-%lu",
             GetCurrentProcessId(), GetTickCount());
  if (*other) {
    HANDLE h = CreateFileW(L"cm\\sub\\f.txt", GENERIC_READ,
                           FILE_SHARE_READ | FILE_SHARE_WRITE, NULL,
                           OPEN_EXISTING, 0, NULL);
    RUN(&r, "move", "cm", other);
    CloseHandle(h);
    TAP_INT(r.status, 1, "move of a tree with a file held open fails");
    TAP_OK(strncmp(r.err, "slink: move: cm/sub/f.txt: open by another process",
                   50) == 0,
           "naming the file and the reason");
    TAP_OK(!exists(other) && exists("cm\\sub\\f.txt"), "nothing moved");
  } else {
    tap_skip("move refuses open files", "no second filesystem here");
  }
  RUN(&r, "move", "cm", "cm3");
  if (wine) {
    /* The default is a junction, which Wine cannot make: the move stops
     * with the tree safe at DEST, and --rollback puts it back. */
    TAP_INT(r.status, 1, "Wine: move stops at the junction it cannot make");
    TAP_OK(contains(r.err, "operation not supported"),
           "a junction (not a symbolic link) was asked for");
    RUN(&r, "move", "--rollback", "cm3");
    TAP_INT(r.status, 0, "move --rollback succeeds");
    TAP_STR(read_file("cm\\sub\\f.txt"), "moved", "SRC is back");
  } else {
    TAP_INT(r.status, 0, "move succeeds");
    TAP_INT(kind_of("cm"), SLINK_KIND_JUNCTION,
            "and leaves a junction by default");
    TAP_STR(read_file("cm\\sub\\f.txt"), "moved", "the files are reached");
  }
}

int main(int argc, char **argv) {
  int rc = run_begin(argc, argv, "cli");
  if (rc >= 0)
    return rc;
  wine = tap_wine_version();
  test_basics();
  test_hard_and_plain();
  test_errors();
  test_unicode();
  test_tree_commands();
  test_links();
  test_clone_move();
  scratch_end();
  run_end();
  return tap_done();
}
