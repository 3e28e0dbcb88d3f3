/*
 * test_win_fakeio.c - the Windows side of the calls slink convert reads
 * and makes its files with (src/win/fakeio.c) and runs Git with
 * (src/win/run.c): relative to a directory handle, nothing left behind
 * on failure, arguments that reach the program exactly, a program in
 * the current directory never run in place of one in PATH.
 *
 * Started with "--child CODE", the program is the one run: it prints its
 * arguments (one a line, UTF-8), then its standard input, writes noise to
 * standard error and exits with CODE.
 */
#include "scratch.h"

#include <fcntl.h>
#include <io.h>
#include <shellapi.h>

#include "lib/hpath.h"
#include "lib/internal.h"
#include "win/nt.h"

static int child(void) {
  int argc = 0;
  wchar_t **wargv = CommandLineToArgvW(GetCommandLineW(), &argc);
  HANDLE in = GetStdHandle(STD_INPUT_HANDLE);
  char buf[4096];
  DWORD n;
  _setmode(_fileno(stdout), _O_BINARY);
  for (int i = 3; i < argc; i++) {
    char *u = NULL;
    if (slink__win_to_utf8(wargv[i], wcslen(wargv[i]), &u, NULL) == 0)
      printf("%s\n", u);
    free(u);
  }
  fflush(stdout);
  while (ReadFile(in, buf, sizeof buf, &n, NULL) && n > 0)
    fwrite(buf, 1, n, stdout);
  fputs("noise on standard error\n", stderr);
  fflush(stdout);
  return _wtoi(wargv[2]);
}

static slink__h *here(void) {
  slink__h *h = NULL;
  return slink__h_open_dir(".", &h, NULL, NULL) == 0 ? h : NULL;
}

static void test_write_and_read(slink__h *d) {
  unsigned char *buf = NULL;
  size_t len = 0;
  slink__stat st;
  uint32_t attrs = 0;
  int has = 0;
  TAP_INT(slink__os_h_write_new(d, "a", "hello", 5, 0666, 0, NULL), 0,
          "write_new makes a file relative to the handle");
  TAP_STR(read_file("a"), "hello", "holding the bytes given");
  TAP_STR(slink_err_name(slink__os_h_write_new(d, "a", "other", 5, 0666, 0,
                                               NULL)),
          "SLINK_EEXIST", "an existing name is never replaced");
  TAP_STR(read_file("a"), "hello", "and keeps what it held");
  TAP_INT(slink__os_h_read_small(d, "a", 100, &buf, &len, &st, &has, NULL), 0,
          "read_small reads it");
  TAP_OK(buf && len == 5 && memcmp(buf, "hello", 6) == 0,
         "whole, with a NUL after the bytes");
  TAP_INT(st.kind, SLINK_KIND_FILE, "st describes a file");
  TAP_INT(st.size, 5, "of the size read");
  TAP_INT(has, 1, "and the attributes are known");
  TAP_OK(!(st.attrs & FILE_ATTRIBUTE_DIRECTORY), "no directory bit");
  free(buf);
  buf = NULL;
  TAP_STR(slink_err_name(slink__os_h_read_small(d, "a", 4, &buf, &len, &st,
                                                &has, NULL)),
          "SLINK_ETOOBIG", "a file larger than MAX is not read");
  TAP_OK(buf == NULL, "and nothing is handed back");
  CreateDirectoryW(L"dir", NULL);
  TAP_STR(slink_err_name(slink__os_h_read_small(d, "dir", 100, &buf, &len,
                                                &st, &has, NULL)),
          "SLINK_EINVAL", "a directory is no file to read");
  TAP_STR(slink_err_name(slink__os_h_read_small(d, "none", 100, &buf, &len,
                                                &st, &has, NULL)),
          "SLINK_ENOENT", "a missing file is ENOENT");
  TAP_INT(slink__os_h_attrs(d, "dir", &attrs, NULL), 0, "attrs of a directory");
  TAP_OK(attrs & FILE_ATTRIBUTE_DIRECTORY, "carry the directory bit");
  TAP_STR(slink_err_name(slink__os_h_attrs(d, "none", &attrs, NULL)),
          "SLINK_ENOENT", "attrs of a missing name is ENOENT");

  TAP_INT(slink__os_h_write_new(d, "ro", "x", 1, 0444, 0, NULL), 0,
          "write_new with no write permission");
  TAP_INT(slink__os_h_attrs(d, "ro", &attrs, NULL), 0, "attrs read back");
  TAP_OK(attrs & FILE_ATTRIBUTE_READONLY, "the file is read-only");
  TAP_INT(slink__os_h_write_new(d, "sys", "!<symlink>", 10, 0666,
                                FILE_ATTRIBUTE_SYSTEM, NULL), 0,
          "write_new with the SYSTEM attribute (a Cygwin link)");
  TAP_INT(slink__os_h_attrs(d, "sys", &attrs, NULL), 0, "attrs read back");
  TAP_OK(attrs & FILE_ATTRIBUTE_SYSTEM, "the file carries SYSTEM");
  TAP_INT(slink__os_h_read_small(d, "sys", 100, &buf, &len, &st, &has, NULL),
          0, "read_small of it");
  TAP_OK(has && (st.attrs & FILE_ATTRIBUTE_SYSTEM),
         "reports SYSTEM in st->attrs");
  free(buf);
  buf = NULL;

  char **names = NULL;
  size_t before = 0, after = 0;
  if (slink_list_dir(".", &names, &before) == 0)
    slink_names_free(names, before);
  TAP_STR(slink_err_name(slink__os_h_write_new(d, "nul", "x", 1, 0666, 0,
                                               NULL)),
          "SLINK_ERESERVED", "a device name is refused");
  TAP_STR(slink_err_name(slink__os_h_write_new(d, "a:s", "x", 1, 0666, 0,
                                               NULL)),
          "SLINK_EINVAL", "a stream name is refused");
  if (slink_list_dir(".", &names, &after) == 0)
    slink_names_free(names, after);
  TAP_INT(after, before, "and nothing is made for them");
}

/* A WSL symbolic link's reparse buffer (MS-FSCC 2.1.2.7): version 2, the
 * target in UTF-8. */
static size_t wsl_buffer(unsigned char *b, const char *target) {
  size_t tl = strlen(target), data = 4 + tl;
  uint32_t tag = SLINK__TAG_LX_SYMLINK, version = 2;
  memcpy(b, &tag, 4);
  b[4] = (unsigned char)data;
  b[5] = (unsigned char)(data >> 8);
  b[6] = b[7] = 0;
  memcpy(b + 8, &version, 4);
  memcpy(b + 12, target, tl);
  return 8 + data;
}

static void test_reparse(slink__h *d, const char *wine) {
  unsigned char b[64];
  size_t n = wsl_buffer(b, "../target");
  int rc = slink__os_h_reparse_new(d, "wsl", 0, b, n, NULL);
  if (wine && rc == SLINK_ENOTSUP) {
    tap_skip("reparse_new makes a WSL link",
             "Wine does not set reparse points (SLINK_ENOTSUP)");
    TAP_OK(!exists("wsl"), "and leaves no empty file behind");
    return;
  }
  TAP_INT(rc, 0, "reparse_new makes a WSL link");
  TAP_INT(kind_of("wsl"), SLINK_KIND_WSL_SYMLINK, "read back as one");
  TAP_STR(slink_err_name(slink__os_h_reparse_new(d, "wsl", 0, b, n, NULL)),
          "SLINK_EEXIST", "an existing name is never replaced");
}

static void test_run(const char *self) {
  char *argv[16], *out = NULL;
  size_t len = 0;
  int status = 0;
  char *args[] = {"plain", "two words", "", "say \"hi\"", "back\\slash",
                  "trail\\", "trail space\\", "q\\\"x", "\xc3\xa9t\xc3\xa9"};
  const char *want = "plain\ntwo words\n\nsay \"hi\"\nback\\slash\ntrail\\\n"
                     "trail space\\\nq\\\"x\n\xc3\xa9t\xc3\xa9\ninput bytes";
  size_t k = 0;
  argv[k++] = (char *)self;
  argv[k++] = "--child";
  argv[k++] = "7";
  for (size_t i = 0; i < sizeof args / sizeof *args; i++)
    argv[k++] = args[i];
  argv[k] = NULL;
  TAP_INT(slink__os_run(argv, "input bytes", 11, &out, &len, &status), 0,
          "run starts a program by its path");
  TAP_STR(out, want, "each argument arrives exactly, then the input; "
                     "standard error is not in the output");
  TAP_INT(len, out ? strlen(out) : 0, "the length is the output's");
  TAP_INT(status, 7, "the exit status is the program's");
  free(out);
  out = NULL;

  argv[0] = "cmd";
  argv[1] = "/c";
  argv[2] = "exit 3";
  argv[3] = NULL;
  TAP_INT(slink__os_run(argv, NULL, 0, &out, &len, &status), 0,
          "a program is found in PATH");
  TAP_INT(status, 3, "and its exit status comes back");
  free(out);
  out = NULL;

  /* A copy of this program here, under a name PATH does not have. */
  {
    wchar_t *w = NULL;
    if (slink__win_path(self, &w) == 0)
      CopyFileW(w, L"slink-probe-here.exe", FALSE);
    free(w);
  }
  argv[0] = "slink-probe-here";
  argv[1] = "--child";
  argv[2] = "0";
  argv[3] = NULL;
  TAP_STR(slink_err_name(slink__os_run(argv, NULL, 0, &out, &len, &status)),
          "SLINK_ENOENT", "a program in the current directory is not run");
  TAP_OK(out == NULL, "and nothing is handed back");
  DeleteFileW(L"slink-probe-here.exe");
}

/* Linux entries made by wine-unix-fakeio.sh in DIR, seen through Wine,
 * which opens a Linux symlink's target whatever it is asked: the target
 * is never read as the file, nor written through the link, and a FIFO
 * never blocks. */
static int unix_entries(const char *dir) {
  unsigned char *buf = NULL;
  size_t len = 0;
  slink__stat st;
  uint32_t attrs = 0;
  int has = 0;
  slink__h *d = NULL;
  if (!TAP_INT(slink__h_open_dir(dir, &d, NULL, NULL), 0,
               "open the directory of Linux entries"))
    return tap_done();
  TAP_STR(slink_err_name(slink__os_h_read_small(d, "file-link", 100, &buf,
                                                &len, &st, &has, NULL)),
          "SLINK_EINVAL", "read_small of a Linux symlink refuses it");
  TAP_OK(buf == NULL, "and hands back nothing of its target");
  TAP_STR(slink_err_name(slink__os_h_read_small(d, "fifo", 100, &buf, &len,
                                                &st, &has, NULL)),
          "SLINK_EINVAL", "read_small of a FIFO returns, refusing it");
  TAP_INT(slink__os_h_read_small(d, "plain", 100, &buf, &len, &st, &has,
                                 NULL), 0, "a plain Linux file is read");
  TAP_OK(buf && len == 5 && memcmp(buf, "data\n", 5) == 0, "whole");
  free(buf);
  TAP_STR(slink_err_name(slink__os_h_write_new(d, "file-link", "x", 1, 0666,
                                               0, NULL)),
          "SLINK_EEXIST", "write_new never writes through a Linux symlink");
  TAP_INT(slink__os_h_attrs(d, "file-link", &attrs, NULL), 0,
          "attrs of a Linux symlink");
  TAP_OK(attrs & FILE_ATTRIBUTE_REPARSE_POINT, "say it is no plain file");
  slink__os_h_close(d);
  return tap_done();
}

int main(int argc, char **argv) {
  const char *wine = tap_wine_version();
  slink__h *d;
  char *self = NULL;
  wchar_t exe[MAX_PATH + 1];
  if (argc >= 3 && strcmp(argv[1], "--child") == 0)
    return child();
  if (argc == 3 && strcmp(argv[1], "--unix-entries") == 0)
    return unix_entries(argv[2]);
  (void)argc;
  if (GetModuleFileNameW(NULL, exe, MAX_PATH + 1) == 0 ||
      slink__win_to_utf8(exe, wcslen(exe), &self, NULL) < 0)
    return 1;
  if (wine)
    tap_note("running under Wine %s", wine);
  if (!TAP_OK(scratch_begin("fakeio"), "a scratch directory"))
    return tap_done();
  d = here();
  if (TAP_OK(d != NULL, "a handle on it")) {
    test_write_and_read(d);
    test_reparse(d, wine);
    slink__os_h_close(d);
  }
  test_run(self);
  free(self);
  scratch_end();
  return tap_done();
}
