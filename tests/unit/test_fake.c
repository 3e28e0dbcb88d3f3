/*
 * The faked-link decoders (Cygwin's files, shortcuts) on the committed
 * fixtures, then on every truncation of each and on bytes flipped at
 * random: a decoder must never read outside its buffer (AddressSanitizer
 * watches), never take a cut-short file for a link it is not, and give
 * Cygwin's sys form back byte for byte.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "lib/fake.h"

static unsigned char *slurp(const char *rel, size_t *n) {
  char path[1024];
  snprintf(path, sizeof path, "%s/tests/fixtures/%s", SLINK_SRC_DIR, rel);
  FILE *f = fopen(path, "rb");
  assert_non_null(f);
  unsigned char *b = malloc(1 << 16);
  assert_non_null(b);
  *n = fread(b, 1, 1 << 16, f);
  fclose(f);
  return b;
}

typedef int (*decoder)(const unsigned char *, size_t, slink_fake_form *,
                       char **, size_t *);

/* Decode a copy of exactly N bytes, so that ASan sees any overread. */
static int decode_exact(decoder fn, const unsigned char *b, size_t n,
                        slink_fake_form *form, char **t, size_t *tn) {
  unsigned char *copy = malloc(n ? n : 1);
  assert_non_null(copy);
  memcpy(copy, b, n);
  int rc = fn(copy, n, form, t, tn);
  free(copy);
  return rc;
}

/* What a shortcut of exactly N bytes names, for ASan likewise. */
static void object_exact(const unsigned char *b, size_t n) {
  unsigned char *copy = malloc(n ? n : 1);
  assert_non_null(copy);
  memcpy(copy, b, n);
  assert_non_null(slink__lnk_object(copy, n));
  free(copy);
}

static void expect(decoder fn, const char *rel, int want_rc,
                   slink_fake_form want_form, const char *want) {
  size_t n, tn;
  unsigned char *b = slurp(rel, &n);
  slink_fake_form form = SLINK_FORM_NONE;
  char *t = NULL;
  int rc = decode_exact(fn, b, n, &form, &t, &tn);
  assert_int_equal(rc, want_rc);
  if (rc > 0) {
    assert_int_equal(form, want_form);
    assert_string_equal(t, want);
    assert_int_equal(tn, strlen(want));
  }
  free(t);
  free(b);
}

static void cygwin_fixtures(void **s) {
  (void)s;
  expect(slink__cygwin_decode, "cygwin/sys-relative", 1,
         SLINK_FORM_CYGWIN_SYS, "../lib/libfoo.so.1");
  expect(slink__cygwin_decode, "cygwin/sys-unicode", 1,
         SLINK_FORM_CYGWIN_SYS, "r\xc3\xa9sum\xc3\xa9/\xe6\x97\xa5\xe6\x9c\xac");
  expect(slink__cygwin_decode, "cygwin/sys-8bit", 1, SLINK_FORM_CYGWIN_8BIT,
         "old/target");
  expect(slink__cygwin_decode, "cygwin/interix", 1, SLINK_FORM_INTERIX,
         "/bin/sh");
  expect(slink__cygwin_decode, "cygwin/bad-unterminated",
         SLINK_EFAKE_UNTERMINATED, 0, NULL);
  expect(slink__cygwin_decode, "cygwin/bad-surrogate", SLINK_EBADUTF16, 0,
         NULL);
  expect(slink__cygwin_decode, "cygwin/bad-empty", SLINK_EFAKE_EMPTY, 0,
         NULL);
  expect(slink__cygwin_decode, "lnk/example.lnk", 0, 0, NULL);
}

static void lnk_fixtures(void **s) {
  (void)s;
  expect(slink__lnk_decode, "cygwin/cygwin-shortcut.lnk", 1,
         SLINK_FORM_LNK_CYGWIN, "../share/man");
  expect(slink__lnk_decode, "cygwin/cygwin-shortcut-idlist.lnk", 1,
         SLINK_FORM_LNK_CYGWIN, "../share/man");
  expect(slink__lnk_decode, "lnk/NeroInfoTool.lnk", 1, SLINK_FORM_LNK_WINDOWS,
         "C:\\Program Files (x86)\\Nero\\Nero 9\\Nero InfoTool\\InfoTool.exe");
  expect(slink__lnk_decode, "lnk/example.lnk", 1, SLINK_FORM_LNK_WINDOWS,
         ".\\migwiz\\migwiz.exe");
  expect(slink__lnk_decode, "lnk/unpaired_surrogate.lnk", SLINK_EBADUTF16, 0,
         NULL);
  expect(slink__lnk_decode, "cygwin/sys-relative", 0, 0, NULL);
  /* made from MS-SHLLINK by tests/fixtures/lnk/make.py */
  expect(slink__lnk_decode, "lnk/win-local.lnk", 1, SLINK_FORM_LNK_WINDOWS,
         "C:\\data\\target.txt");
  expect(slink__lnk_decode, "lnk/win-dir.lnk", 1, SLINK_FORM_LNK_WINDOWS,
         "C:\\data\\r\xc3\xa9sum\xc3\xa9");
  expect(slink__lnk_decode, "lnk/win-relative.lnk", 1, SLINK_FORM_LNK_WINDOWS,
         "..\\docs\\readme.txt");
  expect(slink__lnk_decode, "lnk/win-unc.lnk", 1, SLINK_FORM_LNK_WINDOWS,
         "\\\\server\\share\\dir\\file.txt");
  /* written by Windows (EricZimmerman/Lnk's test files, SOURCE.md) */
  expect(slink__lnk_decode, "lnk/xp-local-file.lnk", 1,
         SLINK_FORM_LNK_WINDOWS, "C:\\WINDOWS\\desktop.ini");
  expect(slink__lnk_decode, "lnk/win7-local-dir.lnk", 1,
         SLINK_FORM_LNK_WINDOWS, "C:\\Users\\Administrator");
  expect(slink__lnk_decode, "lnk/ws2012-idlist-file.lnk", 1,
         SLINK_FORM_LNK_WINDOWS,
         "C:\\WINDOWS\\system32\\WindowsPowerShell\\v1.0\\powershell.exe");
  /* 8-bit names: in the code page a ConsoleFEDataBlock records, else
   * their bytes, said to be in an unknown code page (2) */
  expect(slink__lnk_decode, "lnk/xp-remote-file.lnk", 2,
         SLINK_FORM_LNK_WINDOWS,
         "\\\\ALS-FICHIERS3\\QUALIT\xc9\\Archives\\M\xe9thodologie WAS"
         "\\Norme de d\xe9veloppement JAVA.doc");
  expect(slink__lnk_decode, "lnk/win-cp1252.lnk", 1, SLINK_FORM_LNK_WINDOWS,
         "\\\\server\\donn\xc3\xa9" "es\\caf\xc3\xa9.txt");
  expect(slink__lnk_decode, "lnk/win-cp932.lnk", 1, SLINK_FORM_LNK_WINDOWS,
         "C:\\\xe6\x97\xa5\xe6\x9c\xac\\a.txt");
  expect(slink__lnk_decode, "lnk/win-ansi.lnk", 2, SLINK_FORM_LNK_WINDOWS,
         "C:\\caf\xe9.txt");
  expect(slink__lnk_decode, "lnk/win7-control-panel.lnk", SLINK_ENOTPATH, 0,
         NULL);
  expect(slink__lnk_decode, "lnk/xp-internet.lnk", SLINK_ENOTPATH, 0, NULL);
  expect(slink__lnk_decode, "lnk/win10-documents.lnk", SLINK_ENOTPATH, 0,
         NULL);
}

/* What a shortcut to no file points at, by its ID list. */
static void lnk_objects(void **s) {
  (void)s;
  static const struct {
    const char *rel, *object;
  } cases[] = {
    {"lnk/win7-control-panel.lnk", "Control Panel"},
    {"lnk/xp-internet.lnk", "a URL"},
    {"lnk/win10-documents.lnk", "a shell folder"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    size_t n;
    unsigned char *b = slurp(cases[i].rel, &n);
    assert_string_equal(slink__lnk_object(b, n), cases[i].object);
    free(b);
  }
}

/* The shortcut Cygwin writes, against the one made from path.cc's layout
 * by tests/fixtures/cygwin/make.py; the Interix file likewise. */
static void encoders(void **s) {
  (void)s;
  static const struct {
    const char *rel, *target, *win;
  } cases[] = {
    {"cygwin/cygwin-shortcut.lnk", "../share/man", "..\\share\\man"},
    {"cygwin/cygwin-shortcut-abs.lnk", "../share/man",
     "C:\\cygwin64\\usr\\share\\man"},
    {"cygwin/cygwin-shortcut-unicode.lnk",
     "r\xc3\xa9sum\xc3\xa9/\xe6\x97\xa5\xe6\x9c\xac",
     "r\xc3\xa9sum\xc3\xa9\\\xe6\x97\xa5\xe6\x9c\xac"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    size_t n, m;
    unsigned char *want = slurp(cases[i].rel, &n), *got;
    assert_int_equal(slink__lnk_encode(cases[i].target,
                                       strlen(cases[i].target), cases[i].win,
                                       &got, &m),
                     0);
    assert_int_equal(m, n);
    assert_memory_equal(got, want, n);
    free(got);
    free(want);
  }
  /* With the shell's ID list, as Cygwin writes it where the shell parses
   * the target (Windows; on POSIX there is none: the -abs case above). */
  size_t fn, ln, pn = 0;
  unsigned char *fix = slurp("cygwin/cygwin-shortcut-idlist.lnk", &fn), *lb;
  size_t idn = (size_t)fix[0x4C] | (size_t)fix[0x4D] << 8;
  assert_int_equal(slink__lnk_layout("../share/man", 12,
                                     "C:\\cygwin64\\usr\\share\\man",
                                     fix + 0x4E, idn, &lb, &ln),
                   0);
  assert_int_equal(ln, fn);
  assert_memory_equal(lb, fix, fn);
  free(lb);
  char *p = NULL;
  assert_int_equal(slink__lnk_idlist_path(fix + 0x4E, idn, &p, &pn), 1);
  assert_string_equal(p, "C:\\cygwin64\\usr\\share\\man");
  free(p);
  free(fix);
  /* the Windows path recorded: absolute where the directory has a drive,
   * as Cygwin's path_conv gives it; else the target, "\\" for "/" */
  char *w;
  assert_int_equal(slink__lnk_winpath("C:\\cygwin64\\usr\\bin",
                                      "../share/man", &w), 0);
  assert_string_equal(w, "C:\\cygwin64\\usr\\share\\man");
  free(w);
  assert_int_equal(slink__lnk_winpath("\\\\srv\\share\\a", "../.././x/", &w),
                   0);
  assert_string_equal(w, "\\\\srv\\share\\x");
  free(w);
  assert_int_equal(slink__lnk_winpath("C:\\a", "../../b", &w), 0);
  assert_string_equal(w, "C:\\b");
  free(w);
  assert_int_equal(slink__lnk_winpath("C:\\", "..", &w), 0);
  assert_string_equal(w, "C:\\");
  free(w);
  assert_int_equal(slink__lnk_winpath("/usr/bin", "../share/man", &w), 0);
  assert_string_equal(w, "..\\share\\man");
  free(w);
  size_t n, m;
  unsigned char *want = slurp("cygwin/interix", &n), *got;
  assert_int_equal(slink__interix_encode("/bin/sh", 7, &got, &m), 0);
  assert_int_equal(m, n);
  assert_memory_equal(got, want, n);
  free(got);
  free(want);
}

/* Every prefix of every fixture, and bytes flipped at random. */
static void truncated_and_flipped(void **s) {
  (void)s;
  static const char *const files[] = {
    "cygwin/sys-relative", "cygwin/sys-8bit", "cygwin/interix",
    "cygwin/cygwin-shortcut.lnk", "cygwin/cygwin-shortcut-idlist.lnk",
    "lnk/NeroInfoTool.lnk", "lnk/example.lnk",
    "lnk/unpaired_surrogate.lnk", "lnk/win-local.lnk", "lnk/win-dir.lnk",
    "lnk/win-relative.lnk", "lnk/win-unc.lnk", "lnk/xp-local-file.lnk",
    "lnk/win7-local-dir.lnk", "lnk/ws2012-idlist-file.lnk",
    "lnk/win7-control-panel.lnk", "lnk/xp-internet.lnk",
    "lnk/win10-documents.lnk", "cygwin/cygwin-shortcut-long.lnk",
    "lnk/xp-remote-file.lnk", "lnk/win-cp1252.lnk", "lnk/win-cp932.lnk",
    "lnk/win-ansi.lnk",
  };
  static const decoder fns[] = {slink__cygwin_decode, slink__lnk_decode};
  unsigned seed = 12345;
  for (size_t f = 0; f < sizeof files / sizeof files[0]; f++) {
    size_t n, tn;
    unsigned char *b = slurp(files[f], &n);
    for (size_t d = 0; d < 2; d++) {
      slink_fake_form form;
      char *t = NULL;
      for (size_t k = 0; k < n; k++) {
        int rc = decode_exact(fns[d], b, k, &form, &t, &tn);
        object_exact(b, k);
        /* a sys file cut short loses its terminator: never a link */
        if (rc == 1 && strstr(files[f], "sys-"))
          fail_msg("%s cut to %zu bytes decoded as a link", files[f], k);
        free(t);
        t = NULL;
      }
      unsigned char *m = malloc(n);
      for (int round = 0; round < 2000; round++) {
        memcpy(m, b, n);
        for (int j = 0; j < 3; j++) {
          seed = seed * 1103515245u + 12345u;
          m[(seed >> 8) % n] ^= (unsigned char)(1u << ((seed >> 4) % 8));
        }
        decode_exact(fns[d], m, n, &form, &t, &tn);
        object_exact(m, n);
        free(t);
        t = NULL;
      }
      free(m);
    }
    free(b);
  }
}

static void sys_round_trip(void **s) {
  (void)s;
  static const char *const targets[] = {
    "a", "../lib/libfoo.so.1", "/usr/share/doc",
    "r\xc3\xa9sum\xc3\xa9/\xe6\x97\xa5\xe6\x9c\xac", "\xf0\x9f\x98\x80/x y",
  };
  for (size_t i = 0; i < sizeof targets / sizeof targets[0]; i++) {
    unsigned char *b;
    size_t n, tn;
    assert_int_equal(
        slink__cygwin_encode(targets[i], strlen(targets[i]), &b, &n), 0);
    slink_fake_form form;
    char *t;
    assert_int_equal(slink__cygwin_decode(b, n, &form, &t, &tn), 1);
    assert_int_equal(form, SLINK_FORM_CYGWIN_SYS);
    assert_string_equal(t, targets[i]);
    free(t);
    free(b);
  }
  size_t n, fn;
  unsigned char *b, *fix = slurp("cygwin/sys-relative", &fn);
  assert_int_equal(slink__cygwin_encode("../lib/libfoo.so.1", 18, &b, &n), 0);
  assert_int_equal(n, fn);
  assert_memory_equal(b, fix, n);
  free(b);
  free(fix);
  /* not UTF-8: refused, never written half */
  assert_int_equal(slink__cygwin_encode("\xff", 1, &b, &n), SLINK_EBADUTF8);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(cygwin_fixtures),
    cmocka_unit_test(lnk_fixtures),
    cmocka_unit_test(lnk_objects),
    cmocka_unit_test(encoders),
    cmocka_unit_test(truncated_and_flipped),
    cmocka_unit_test(sys_round_trip),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
