/* Attacks on slink convert: the test hook stops a conversion in each gap
 * between the check and the act and swaps the entry there (for another
 * file, or for new bytes in the same file, or the directory for a link to
 * an outside one). Nothing may be lost: a file that is no faked link is
 * never replaced, and the outside is never touched. A naive converter
 * (read, decide, rename over) run through the same gap must lose the
 * file, or the test proves nothing. A live racer then exchanges the names
 * with renameat2(RENAME_EXCHANGE) in a loop while conversions run. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common.h"
#include "lib/hook.h"
#include "slink.h"

static char w[256];
static const char precious[] = "precious data, no link\n";
static const char outside_data[] = "outside\n";

/* A Cygwin sys file to "target" (path.cc's layout). */
static void write_sys(const char *path) {
  static const unsigned char b[] = {
    '!', '<', 's', 'y', 'm', 'l', 'i', 'n', 'k', '>', 0xFF, 0xFE,
    't', 0, 'a', 0, 'r', 0, 'g', 0, 'e', 0, 't', 0, 0, 0};
  FILE *f = fopen(path, "wb");
  assert_non_null(f);
  assert_int_equal(fwrite(b, 1, sizeof b, f), sizeof b);
  fclose(f);
}

/* A Windows shortcut (MS-SHLLINK) found by its relative path "target":
 * HasRelativePath, IsUnicode, ForceNoLinkInfo; the path; a TerminalBlock. */
static void write_lnk(const char *path) {
  unsigned char b[0x4C + 2 + 12 + 4] = {0x4C, 0, 0, 0, 0x01, 0x14, 0x02, 0,
                                        0, 0, 0, 0, 0xC0, 0, 0, 0, 0, 0, 0,
                                        0x46, 0x88, 0x01, 0, 0};
  b[0x3C] = 1; /* SW_SHOWNORMAL */
  b[0x4C] = 6;
  for (int i = 0; i < 6; i++)
    b[0x4C + 2 + 2 * i] = (unsigned char)"target"[i];
  FILE *f = fopen(path, "wb");
  assert_non_null(f);
  assert_int_equal(fwrite(b, 1, sizeof b, f), sizeof b);
  fclose(f);
}

/* The faked link attacked: a Cygwin sys file, or a Windows shortcut. */
static const char *link_rel = "d/link", *real_rel = "d-real/link";
/* What the faked link is converted to: a symbolic link, or (the same gaps
 * for a file form) Cygwin's shortcut. */
static slink_convert_to conv_to = SLINK_TO_NATIVE;

static void write_text(const char *path, const char *s) {
  FILE *f = fopen(path, "wb");
  assert_non_null(f);
  fputs(s, f);
  fclose(f);
}

static int holds(const char *path, const char *s) {
  char buf[256];
  return attack_head(path, buf, sizeof buf) && strcmp(buf, s) == 0;
}

static char *at(const char *rel) {
  static char p[4][512];
  static int k;
  k = (k + 1) % 4;
  snprintf(p[k], sizeof p[k], "%s/%s", w, rel);
  return p[k];
}

static int temp_left(const char *dir) {
  DIR *d = opendir(dir);
  struct dirent *e;
  int n = 0;
  while (d && (e = readdir(d)))
    n += strncmp(e->d_name, ".slink-", 7) == 0;
  if (d)
    closedir(d);
  return n;
}

static void fresh(void) {
  char cmd[1024];
  snprintf(cmd, sizeof cmd, "rm -rf '%s/d' '%s/d-real' '%s/outside'", w, w,
           w);
  assert_int_equal(system(cmd), 0);
  assert_int_equal(mkdir(at("d"), 0755), 0);
  assert_int_equal(mkdir(at("outside"), 0755), 0);
  if (strstr(link_rel, ".lnk"))
    write_lnk(at(link_rel));
  else
    write_sys(at(link_rel));
  write_text(at("d/precious"), precious);
  write_text(at("outside/link"), outside_data);
}

typedef struct attack {
  int point;
  int what;     /* 0: exchange link and precious; 1: new bytes in place;
                   2: the directory for a link to outside */
  int fired;
} attack;

static void hook(int point, slink__h *dir, const char *name, void *ctx) {
  attack *a = ctx;
  (void)dir, (void)name;
  if (point != a->point || a->fired)
    return;
  a->fired = 1;
  if (a->what == 0) {
    assert_int_equal(renameat2(AT_FDCWD, at(link_rel), AT_FDCWD,
                               at("d/precious"), RENAME_EXCHANGE), 0);
  } else if (a->what == 1) {
    write_text(at(link_rel), precious); /* same inode, O_TRUNC */
  } else {
    assert_int_equal(rename(at("d"), at("d-real")), 0);
    assert_int_equal(symlink("outside", at("d")), 0);
  }
}

/* The control: what a converter without handles and checks does. */
static int naive(const char *link) {
  char tmp[600];
  snprintf(tmp, sizeof tmp, "%s.new", link);
  if (symlink("target", tmp) != 0)
    return -1;
  if (slink__hook)
    slink__hook(SLINK__HP_BEFORE_RENAME, NULL, tmp, slink__hook_ctx);
  return rename(tmp, link);
}

static void run_case(int point, int what, int use_naive) {
  fresh();
  attack a = {point, what, 0};
  slink__hook = hook;
  slink__hook_ctx = &a;
  slink_converted cv;
  int rc = use_naive ? naive(at(link_rel))
                     : slink_convert(NULL, at(link_rel), conv_to, 0, &cv);
  if (!use_naive)
    slink_converted_free(&cv);
  slink__hook = NULL;
  assert_true(a.fired);
  int lost;
  if (what == 0) {
    /* precious is under "link" now: it must still be there */
    lost = !holds(at(link_rel), precious) && !holds(at("d/precious"), precious);
    if (!use_naive)
      assert_int_equal(rc, SLINK_ECHANGED);
  } else if (what == 1) {
    lost = !holds(at(link_rel), precious);
    if (!use_naive)
      assert_int_equal(rc, SLINK_ECHANGED);
  } else {
    /* the handle kept the real directory; outside is untouched */
    lost = !holds(at("outside/link"), outside_data);
    if (!use_naive) {
      assert_int_equal(rc, 0);
      if (conv_to == SLINK_TO_SHORTCUT) {
        slink_fake f;
        assert_int_equal(slink_fake_read(NULL, at(real_rel), &f), 0);
        assert_int_equal(f.form, SLINK_FORM_LNK_CYGWIN);
        assert_string_equal(f.target, "target");
        slink_fake_free(&f);
      } else {
        char t[64] = "";
        assert_true(readlink(at(real_rel), t, sizeof t - 1) == 6);
        assert_string_equal(t, "target");
      }
    }
  }
  if (use_naive)
    assert_true(lost);
  else {
    assert_false(lost);
    assert_int_equal(temp_left(what == 2 ? at("d-real") : at("d")), 0);
  }
}

static void swap_file_before_rename(void **s) {
  (void)s;
  run_case(SLINK__HP_BEFORE_RENAME, 0, 0);
}
static void swap_file_before_rename_naive_loses(void **s) {
  (void)s;
  run_case(SLINK__HP_BEFORE_RENAME, 0, 1);
}
static void edit_in_place_before_rename(void **s) {
  (void)s;
  run_case(SLINK__HP_BEFORE_RENAME, 1, 0);
}
static void edit_in_place_naive_loses(void **s) {
  (void)s;
  run_case(SLINK__HP_BEFORE_RENAME, 1, 1);
}
static void swap_file_before_verify(void **s) {
  (void)s;
  run_case(SLINK__HP_BEFORE_VERIFY, 0, 0);
}
static void swap_dir_after_parent_open(void **s) {
  (void)s;
  run_case(SLINK__HP_PARENT_OPEN, 2, 0);
}

/* The same gaps with a Windows shortcut as the faked link. */
static void run_lnk_case(int point, int what, int use_naive) {
  link_rel = "d/link.lnk";
  real_rel = "d-real/link.lnk";
  run_case(point, what, use_naive);
  link_rel = "d/link";
  real_rel = "d-real/link";
}
static void lnk_swap_file_before_rename(void **s) {
  (void)s;
  run_lnk_case(SLINK__HP_BEFORE_RENAME, 0, 0);
}
static void lnk_swap_file_before_rename_naive_loses(void **s) {
  (void)s;
  run_lnk_case(SLINK__HP_BEFORE_RENAME, 0, 1);
}
static void lnk_edit_in_place_before_rename(void **s) {
  (void)s;
  run_lnk_case(SLINK__HP_BEFORE_RENAME, 1, 0);
}
static void lnk_swap_file_before_verify(void **s) {
  (void)s;
  run_lnk_case(SLINK__HP_BEFORE_VERIFY, 0, 0);
}
static void lnk_swap_dir_after_parent_open(void **s) {
  (void)s;
  run_lnk_case(SLINK__HP_PARENT_OPEN, 2, 0);
}

/* The same gaps where a Windows shortcut becomes Cygwin's (a file made
 * beside it, not a link). */
static void run_shortcut_case(int point, int what) {
  conv_to = SLINK_TO_SHORTCUT;
  run_lnk_case(point, what, 0);
  conv_to = SLINK_TO_NATIVE;
}
static void shortcut_swap_file_before_rename(void **s) {
  (void)s;
  run_shortcut_case(SLINK__HP_BEFORE_RENAME, 0);
}
static void shortcut_edit_in_place_before_rename(void **s) {
  (void)s;
  run_shortcut_case(SLINK__HP_BEFORE_RENAME, 1);
}
static void shortcut_swap_file_before_verify(void **s) {
  (void)s;
  run_shortcut_case(SLINK__HP_BEFORE_VERIFY, 0);
}
static void shortcut_swap_dir_after_parent_open(void **s) {
  (void)s;
  run_shortcut_case(SLINK__HP_PARENT_OPEN, 2);
}

/* ---- the live racer ---- */
static volatile int stop;

static void *racer(void *p) {
  (void)p;
  while (!stop)
    renameat2(AT_FDCWD, at(link_rel), AT_FDCWD, at("d/precious"),
              RENAME_EXCHANGE);
  return NULL;
}

static void live_exchange(void **s) {
  (void)s;
  int converted = 0, refused = 0;
  for (int round = 0; round < 200; round++) {
    fresh();
    stop = 0;
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, racer, NULL), 0);
    slink_converted cv;
    int rc = slink_convert(NULL, at(link_rel), SLINK_TO_NATIVE, 0, &cv);
    slink_converted_free(&cv);
    stop = 1;
    pthread_join(t, NULL);
    converted += rc == 0;
    refused += rc != 0;
    /* precious survives under one of the two names, as it was */
    assert_true(holds(at(link_rel), precious) ||
                holds(at("d/precious"), precious));
    assert_int_equal(temp_left(at("d")), 0);
  }
  print_message("# %d converted, %d refused while racing\n", converted,
                refused);
}

int main(void) {
  snprintf(w, sizeof w, "%s/slink-convert-attack.XXXXXX",
           getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
  if (!mkdtemp(w))
    return 1;
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(swap_file_before_rename),
    cmocka_unit_test(swap_file_before_rename_naive_loses),
    cmocka_unit_test(edit_in_place_before_rename),
    cmocka_unit_test(edit_in_place_naive_loses),
    cmocka_unit_test(swap_file_before_verify),
    cmocka_unit_test(swap_dir_after_parent_open),
    cmocka_unit_test(lnk_swap_file_before_rename),
    cmocka_unit_test(lnk_swap_file_before_rename_naive_loses),
    cmocka_unit_test(lnk_edit_in_place_before_rename),
    cmocka_unit_test(lnk_swap_file_before_verify),
    cmocka_unit_test(lnk_swap_dir_after_parent_open),
    cmocka_unit_test(shortcut_swap_file_before_rename),
    cmocka_unit_test(shortcut_edit_in_place_before_rename),
    cmocka_unit_test(shortcut_swap_file_before_verify),
    cmocka_unit_test(shortcut_swap_dir_after_parent_open),
    cmocka_unit_test(live_exchange),
  };
  int rc = cmocka_run_group_tests(tests, NULL, NULL);
  char cmd[1024];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", w);
  if (system(cmd) != 0)
    rc = 1;
  return rc;
}
