/*
 * cmocka.h - a stand-in for the part of cmocka the unit tests use, for
 * Windows builds where no cmocka library is at hand (the mingw-w64 cross
 * build run under Wine, MSVC). Same macros, same TAP output shape: the
 * plan first, one "ok"/"not ok" line per test, "# SKIP" for skips. A
 * failed assertion ends its test at once, as cmocka's do.
 */
#ifndef SLINK_CMOCKA_STANDIN_H
#define SLINK_CMOCKA_STANDIN_H

#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

typedef void (*CMUnitTestFunction)(void **state);
typedef int (*CMFixtureFunction)(void **state);

struct CMUnitTest {
  const char *name;
  CMUnitTestFunction test_func;
  CMFixtureFunction setup_func;
  CMFixtureFunction teardown_func;
  void *initial_state;
};

#define cmocka_unit_test(f) {#f, f, NULL, NULL, NULL}
#define cmocka_unit_test_setup(f, setup) {#f, f, setup, NULL, NULL}
#define cmocka_unit_test_teardown(f, teardown) {#f, f, NULL, teardown, NULL}
#define cmocka_unit_test_setup_teardown(f, setup, teardown)                  \
  {#f, f, setup, teardown, NULL}
#define cmocka_unit_test_prestate(f, state) {#f, f, NULL, NULL, state}

enum { CM_PASS, CM_FAIL, CM_SKIP };
static jmp_buf cm_jump;

static inline void cm_fail(const char *file, int line, const char *fmt, ...) {
  va_list ap;
  printf("# %s:%d: ", file, line);
  va_start(ap, fmt);
  vprintf(fmt, ap);
  va_end(ap);
  printf("\n");
  longjmp(cm_jump, CM_FAIL);
}

static inline void cm_int(intmax_t a, intmax_t b, int want_equal,
                          const char *file, int line) {
  if ((a == b) != want_equal)
    cm_fail(file, line, "%" PRIdMAX " %s %" PRIdMAX, a,
            want_equal ? "!=" : "==", b);
}

static inline void cm_str(const char *a, const char *b, int want_equal,
                          const char *file, int line) {
  int equal = a && b ? strcmp(a, b) == 0 : a == b;
  if (equal != want_equal)
    cm_fail(file, line, "\"%s\" %s \"%s\"", a ? a : "(null)",
            want_equal ? "!=" : "==", b ? b : "(null)");
}

#define assert_true(c)                                                       \
  ((c) ? (void)0 : cm_fail(__FILE__, __LINE__, "%s is not true", #c))
#define assert_false(c)                                                      \
  (!(c) ? (void)0 : cm_fail(__FILE__, __LINE__, "%s is not false", #c))
#define assert_null(p)                                                       \
  ((p) == NULL ? (void)0 : cm_fail(__FILE__, __LINE__, "%s is not NULL", #p))
#define assert_non_null(p)                                                   \
  ((p) != NULL ? (void)0 : cm_fail(__FILE__, __LINE__, "%s is NULL", #p))
#define assert_int_equal(a, b)                                               \
  cm_int((intmax_t)(a), (intmax_t)(b), 1, __FILE__, __LINE__)
#define assert_int_not_equal(a, b)                                           \
  cm_int((intmax_t)(a), (intmax_t)(b), 0, __FILE__, __LINE__)
#define assert_string_equal(a, b) cm_str((a), (b), 1, __FILE__, __LINE__)
#define assert_string_not_equal(a, b) cm_str((a), (b), 0, __FILE__, __LINE__)
#define assert_memory_equal(a, b, n)                                         \
  (memcmp((a), (b), (n)) == 0                                                \
       ? (void)0                                                             \
       : cm_fail(__FILE__, __LINE__, "%s and %s differ", #a, #b))
#define fail() cm_fail(__FILE__, __LINE__, "failed")
#define fail_msg(...) cm_fail(__FILE__, __LINE__, __VA_ARGS__)
#define print_message(...) printf("# " __VA_ARGS__)
#define skip() longjmp(cm_jump, CM_SKIP)

static inline int cm_run_one(const struct CMUnitTest *t) {
  void *volatile state = t->initial_state;
  volatile int result = CM_PASS;
  int jumped = setjmp(cm_jump);
  if (jumped) {
    result = jumped;
  } else {
    void *s = state;
    if (t->setup_func && t->setup_func(&s) != 0)
      cm_fail(__FILE__, __LINE__, "setup of %s failed", t->name);
    state = s;
    t->test_func(&s);
    state = s;
  }
  if (t->teardown_func) {
    void *s = state;
    if (t->teardown_func(&s) != 0 && result == CM_PASS) {
      printf("# teardown of %s failed\n", t->name);
      result = CM_FAIL;
    }
  }
  return result;
}

static inline int cm_run_group(const struct CMUnitTest *tests, size_t n,
                               CMFixtureFunction setup,
                               CMFixtureFunction teardown) {
  void *group_state = NULL;
  int failed = 0;
  printf("1..%u\n", (unsigned)n);
  if (setup && setup(&group_state) != 0) {
    for (size_t i = 0; i < n; i++)
      printf("not ok %u - %s\n", (unsigned)(i + 1), tests[i].name);
    return (int)n;
  }
  for (size_t i = 0; i < n; i++) {
    struct CMUnitTest t = tests[i];
    int r;
    if (!t.initial_state)
      t.initial_state = group_state;
    r = cm_run_one(&t);
    if (r == CM_SKIP)
      printf("ok %u # SKIP %s\n", (unsigned)(i + 1), t.name);
    else
      printf("%s %u - %s\n", r == CM_PASS ? "ok" : "not ok",
             (unsigned)(i + 1), t.name);
    fflush(stdout);
    failed += r == CM_FAIL;
  }
  if (teardown)
    teardown(&group_state);
  return failed;
}

#define cmocka_run_group_tests(group, setup, teardown)                       \
  cm_run_group((group), sizeof(group) / sizeof((group)[0]), (setup),         \
               (teardown))
#define cmocka_run_group_tests_name(name, group, setup, teardown)            \
  cmocka_run_group_tests(group, setup, teardown)

#endif
