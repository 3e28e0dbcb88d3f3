/*
 * test_win_classify.c - issue 13.7: a rooted target ("\x", no drive) is
 * resolved on the drive of the link's directory, as Windows resolves the
 * link, not on the current drive. Wine cannot make symbolic links, so
 * the resolver (src/lib/classify.c) is given the link's target as
 * slink_read would; Wine's Z: drive is the Linux root, and the current
 * directory is on C:.
 */
#include "scratch.h"

#include "lib/classify.h"
#include "lib/internal.h"

/* Classify a symbolic link in DIR holding TARGET. */
static int classify(const char *dir, const char *target, slink_info *info) {
  slink__resolver r;
  int rc;
  memset(info, 0, sizeof *info);
  info->kind = SLINK_KIND_SYMLINK;
  info->target = slink__strdup(target);
  info->target_len = strlen(target);
  slink__resolver_init(&r, NULL, NULL);
  rc = slink__classify(&r, dir, 0, info);
  slink__resolver_free(&r);
  return rc;
}

static int starts_with(const char *s, const char *p) {
  return s && strncmp(s, p, strlen(p)) == 0;
}

int main(void) {
  wchar_t cwd[MAX_PATH + 1];
  slink_info info;
  const char *wine = tap_wine_version();
  if (wine)
    SetCurrentDirectoryW(L"C:\\");
  if (!wine || GetFileAttributesW(L"Z:\\usr") == INVALID_FILE_ATTRIBUTES ||
      !GetCurrentDirectoryW(MAX_PATH + 1, cwd) || cwd[0] == L'Z') {
    tap_skip("a rooted target on the link's drive",
             "needs Wine's Z: drive and a current directory on another one");
    return tap_done();
  }
  TAP_INT(classify("Z:\\usr\\bin", "\\usr", &info), 0,
          "classify a link on Z: to \\usr");
  TAP_OK(info.states & SLINK_STATE_OK, "it leads somewhere (Z:\\usr exists)");
  TAP_STR(info.resolved, "Z:/usr", "on the link's drive, not on %lc:",
          cwd[0]);
  TAP_INT(info.target_kind, SLINK_KIND_DIR, "a directory");
  slink_info_free(&info);

  TAP_INT(classify("Z:\\usr", "\\slink-no-such-13-7\\x", &info), 0,
          "classify a dangling rooted target");
  TAP_OK(info.states & SLINK_STATE_DANGLING, "it is dangling");
  TAP_OK(starts_with(info.resolved, "Z:"),
         "and would lead to the link's drive (%s)",
         info.resolved ? info.resolved : "(null)");
  slink_info_free(&info);

  TAP_INT(classify("Z:\\usr", "C:\\windows", &info), 0,
          "a target with its own drive");
  TAP_OK(starts_with(info.resolved, "C:"), "stays on that drive (%s)",
         info.resolved ? info.resolved : "(null)");
  slink_info_free(&info);
  return tap_done();
}
