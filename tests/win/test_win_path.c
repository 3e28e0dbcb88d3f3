/*
 * test_win_path.c - the Windows backend's path rules, error table and
 * UTF-16 conversion, without touching any file.
 */
#include <wchar.h>

#include "tap.h"
#include "win/win.h"

/* slink__win_path(PATH) in UTF-8, or the error's name. */
static char *conv(const char *path) {
  wchar_t *w;
  char *u;
  int rc = slink__win_path(path, &w);
  if (rc < 0) {
    const char *name = slink_err_name(rc);
    u = malloc(strlen(name) + 1);
    memcpy(u, name, strlen(name) + 1);
    return u;
  }
  slink__win_to_utf8(w, wcslen(w), &u, NULL);
  free(w);
  return u;
}

static void is_conv(const char *path, const char *want) {
  char *got = conv(path);
  TAP_STR(got, want, "path '%s'", path);
  free(got);
}

static void test_forms(void) {
  char *cwd, *want;
  size_t n;
  is_conv("C:\\x\\y", "\\\\?\\C:\\x\\y");
  is_conv("C:/x/y/", "\\\\?\\C:\\x\\y");
  is_conv("C:\\x\\..\\y\\.\\z", "\\\\?\\C:\\y\\z");
  is_conv("c:\\", "\\\\?\\c:\\");
  is_conv("\\\\server\\share\\dir\\f", "\\\\?\\UNC\\server\\share\\dir\\f");
  is_conv("//server/share/f", "\\\\?\\UNC\\server\\share\\f");
  /* Already verbatim: kept as given, names included. */
  is_conv("\\\\?\\C:\\odd.", "\\\\?\\C:\\odd.");
  is_conv("\\??\\C:\\dir", "\\\\?\\C:\\dir");
  is_conv("//?/C:/dir", "\\\\?\\C:\\dir");
  is_conv("", "SLINK_EEMPTYPATH");
  is_conv("bad\xff", "SLINK_EBADUTF8");

  /* Relative to the current directory. */
  if (slink__os_getcwd(&cwd, NULL) == 0) {
    n = strlen(cwd);
    want = malloc(n + 32);
    sprintf(want, "\\\\?\\%s%sa\\b", cwd, cwd[n - 1] == '\\' ? "" : "\\");
    is_conv("a/b", want);
    free(want);
    free(cwd);
  } else {
    TAP_OK(0, "getcwd");
  }
  /* Drive-relative: against that drive's own directory. */
  {
    char *got = conv("C:rel");
    TAP_OK(strncmp(got, "\\\\?\\C:\\", 7) == 0 &&
               strcmp(got + strlen(got) - 4, "\\rel") == 0,
           "drive-relative C:rel becomes '%s'", got);
    free(got);
  }
  /* Longer than MAX_PATH: still one absolute \\?\ path. */
  {
    char long_path[700];
    char *got;
    strcpy(long_path, "C:");
    for (int i = 0; i < 20; i++)
      strcat(long_path, "\\abcdefghijklmnopqrstuvwxyz0123");
    got = conv(long_path);
    TAP_OK(strncmp(got, "\\\\?\\C:\\abc", 10) == 0 &&
               strlen(got) == strlen(long_path) + 4,
           "a %zu-byte path keeps every byte", strlen(long_path));
    free(got);
  }
}

static void test_names(void) {
  static const char *const reserved[] = {
    "nul", "NUL", "NUL.txt", "dir/CON", "c:\\x\\aux", "com1", "COM9.log",
    "lpt1", "LPT0", "prn.tar.gz", "conin$", "CONOUT$", "aux .txt",
    "COM\xc2\xb9", "lpt\xc2\xb3.x"
  };
  static const char *const fine[] = {
    "console", "nul1", "com10", "auxiliary", "lpt", "comx", "a.nul",
    "x/./y", "x/../y", ".hidden", "a..b"
  };
  static const char *const bad[] = { "x.", "x ", "dir./y", "...", "a/b. ",
                                     "end ." };
  char *got;
  for (size_t i = 0; i < sizeof reserved / sizeof *reserved; i++)
    is_conv(reserved[i], "SLINK_ERESERVED");
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
    is_conv(bad[i], "SLINK_EBADNAME");
  for (size_t i = 0; i < sizeof fine / sizeof *fine; i++) {
    got = conv(fine[i]);
    TAP_OK(strncmp(got, "\\\\?\\", 4) == 0, "'%s' is an ordinary name",
           fine[i]);
    free(got);
  }
}

static void is_user(const wchar_t *w, const char *want) {
  char *got = NULL;
  slink__win_user_path(w, wcslen(w), &got);
  TAP_STR(got, want, "shown as '%s'", want);
  free(got);
}

static void test_user_paths(void) {
  is_user(L"\\\\?\\C:\\x\\y", "C:\\x\\y");
  is_user(L"\\\\?\\UNC\\srv\\share\\x", "\\\\srv\\share\\x");
  is_user(L"\\\\?\\Volume{1234}\\x", "\\\\?\\Volume{1234}\\x");
  is_user(L"D:\\", "D:\\");
  TAP_INT(slink__os_is_absolute("C:\\x"), 1, "C:\\x is absolute");
  TAP_INT(slink__os_is_absolute("c:/x"), 1, "c:/x is absolute");
  TAP_INT(slink__os_is_absolute("\\\\srv\\share"), 1, "UNC is absolute");
  TAP_INT(slink__os_is_absolute("C:x"), 0, "C:x is drive-relative");
  TAP_INT(slink__os_is_absolute("x\\y"), 0, "x\\y is relative");
  TAP_INT(slink__os_is_absolute("\\x"), 1, "\\x is from the drive's root");
  TAP_INT(slink__os_is_absolute("/tmp/x"), 1, "so is /tmp/x");
  TAP_INT(slink__os_is_sep('/') && slink__os_is_sep('\\'), 1,
          "both separators");
  TAP_INT(slink__os_is_sep(':'), 0, "':' is no separator");
}

static void test_errors(void) {
  static const struct { DWORD win; int want; } map[] = {
    {ERROR_FILE_NOT_FOUND, SLINK_ENOENT}, {ERROR_PATH_NOT_FOUND, SLINK_ENOENT},
    {ERROR_ACCESS_DENIED, SLINK_EACCES}, {ERROR_ALREADY_EXISTS, SLINK_EEXIST},
    {ERROR_FILE_EXISTS, SLINK_EEXIST}, {ERROR_PRIVILEGE_NOT_HELD, SLINK_ENOPRIV},
    {ERROR_NOT_SUPPORTED, SLINK_ENOTSUP}, {ERROR_NOT_SAME_DEVICE, SLINK_EXDEV},
    {ERROR_DIR_NOT_EMPTY, SLINK_ENOTEMPTY}, {ERROR_CANT_RESOLVE_FILENAME, SLINK_ELOOP},
    {ERROR_NOT_A_REPARSE_POINT, SLINK_EINVAL}, {ERROR_TOO_MANY_LINKS, SLINK_EMLINK},
    {ERROR_SHARING_VIOLATION, SLINK_EBUSY}, {ERROR_DISK_FULL, SLINK_ENOSPC},
    {ERROR_FILENAME_EXCED_RANGE, SLINK_ENAMETOOLONG}, {ERROR_DIRECTORY, SLINK_ENOTDIR},
    {ERROR_WRITE_PROTECT, SLINK_EROFS}, {99999, SLINK_EUNKNOWN}, {0, 0}
  };
  for (size_t i = 0; i < sizeof map / sizeof *map; i++)
    TAP_STR(slink_err_name(slink__win_error(map[i].win)),
            slink_err_name(map[i].want), "Win32 error %lu",
            (unsigned long)map[i].win);
}

static void test_utf16(void) {
  static const wchar_t lone[] = { L'a', 0xD800, L'b', 0xDC01, 0 };
  static const wchar_t pair[] = { 0xD83D, 0xDE00, 0 }; /* U+1F600 */
  wchar_t *back = NULL;
  char *u = NULL;
  size_t n = 0;
  slink__win_to_utf8(lone, 4, &u, NULL);
  TAP_OK(u && slink__win_to_utf16(u, strlen(u), &back, &n) == 0 && n == 4 &&
             memcmp(back, lone, sizeof lone) == 0,
         "a name with unpaired surrogates comes back unchanged");
  free(u);
  free(back);
  slink__win_to_utf8(pair, 2, &u, NULL);
  TAP_STR(u, "\xf0\x9f\x98\x80", "a surrogate pair is one UTF-8 character");
  free(u);
  TAP_INT(slink__win_to_utf16("\xc3\xa9", 2, &back, &n), 0, "UTF-8 e-acute");
  TAP_OK(n == 1 && back[0] == 0xE9, "is one unit, U+00E9");
  free(back);
  TAP_STR(slink_err_name(slink__win_to_utf16("\xc0\x80", 2, &back, &n)),
          "SLINK_EBADUTF8", "an overlong NUL is refused");
}

int main(void) {
  const char *wine = tap_wine_version();
  if (wine)
    tap_note("running under Wine %s", wine);
  test_forms();
  test_names();
  test_user_paths();
  test_errors();
  test_utf16();
  return tap_done();
}
