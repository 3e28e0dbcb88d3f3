/*
 * tap.h - the little the Windows tests need to speak TAP: numbered
 * "ok"/"not ok" lines, skips with their reason, the plan at the end.
 * Header-only; each test program includes it once.
 */
#ifndef SLINK_TESTS_WIN_TAP_H
#define SLINK_TESTS_WIN_TAP_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif
#include <windows.h>

static int tap_count;
static int tap_failed;

/* One result. Returns COND so that a test can stop early. */
#define TAP_OK(cond, ...) tap_ok_at((cond) != 0, __FILE__, __LINE__, __VA_ARGS__)

static inline int tap_ok_at(int cond, const char *file, int line,
                            const char *fmt, ...) {
  va_list ap;
  printf("%s %d - ", cond ? "ok" : "not ok", ++tap_count);
  va_start(ap, fmt);
  vprintf(fmt, ap);
  va_end(ap);
  printf("\n");
  if (!cond) {
    printf("#   failed at %s:%d\n", file, line);
    tap_failed++;
  }
  fflush(stdout);
  return cond;
}

/* Two integers, shown when they differ. */
#define TAP_INT(got, want, ...)                                              \
  tap_int_at((long long)(got), (long long)(want), __FILE__, __LINE__,        \
             __VA_ARGS__)

static inline int tap_int_at(long long got, long long want, const char *file,
                             int line, const char *fmt, ...) {
  va_list ap;
  int cond = got == want;
  printf("%s %d - ", cond ? "ok" : "not ok", ++tap_count);
  va_start(ap, fmt);
  vprintf(fmt, ap);
  va_end(ap);
  printf("\n");
  if (!cond) {
    printf("#   failed at %s:%d: got %lld, want %lld\n", file, line, got,
           want);
    tap_failed++;
  }
  fflush(stdout);
  return cond;
}

/* Two strings (NULL allowed), shown when they differ. */
#define TAP_STR(got, want, ...)                                              \
  tap_str_at((got), (want), __FILE__, __LINE__, __VA_ARGS__)

static inline int tap_str_at(const char *got, const char *want,
                             const char *file, int line, const char *fmt,
                             ...) {
  va_list ap;
  int cond = got && want ? strcmp(got, want) == 0 : got == want;
  printf("%s %d - ", cond ? "ok" : "not ok", ++tap_count);
  va_start(ap, fmt);
  vprintf(fmt, ap);
  va_end(ap);
  printf("\n");
  if (!cond) {
    printf("#   failed at %s:%d\n#   got:  %s\n#   want: %s\n", file, line,
           got ? got : "(null)", want ? want : "(null)");
    tap_failed++;
  }
  fflush(stdout);
  return cond;
}

/* A test that cannot run here, with the reason. */
static inline void tap_skip(const char *name, const char *reason) {
  printf("ok %d - %s # SKIP %s\n", ++tap_count, name, reason);
  fflush(stdout);
}

static inline void tap_note(const char *fmt, ...) {
  va_list ap;
  printf("# ");
  va_start(ap, fmt);
  vprintf(fmt, ap);
  va_end(ap);
  printf("\n");
}

/* The plan goes last; the exit status says whether all passed. */
static inline int tap_done(void) {
  printf("1..%d\n", tap_count);
  fflush(stdout);
  return tap_failed ? 1 : 0;
}

/* Wine, and which version ("8.0"), or NULL on Windows itself. */
static inline const char *tap_wine_version(void) {
  typedef const char *(*version_fn)(void);
  HMODULE nt = GetModuleHandleW(L"ntdll.dll");
  FARPROC p = nt ? GetProcAddress(nt, "wine_get_version") : NULL;
  version_fn fn;
  if (!p)
    return NULL;
  memcpy(&fn, &p, sizeof fn);
  return fn();
}

#endif
