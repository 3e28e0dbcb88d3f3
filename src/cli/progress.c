/* progress.c - the progress line: drawn with a carriage return and "erase
 * to end of line" so that it overwrites itself, never wider than the
 * terminal (a wrapped line cannot be overwritten). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "cli/progress.h"
#include "cli/platform.h"

#define CLEAR "\r\033[K"

/* Milliseconds from any origin. C11's timespec_get is missing from some C
 * runtimes (Windows' older msvcrt); there whole seconds do: the line then
 * appears after one to two seconds and is redrawn once a second. */
static long long now_ms(void) {
#ifdef SLINK_HAVE_TIMESPEC_GET
  struct timespec ts;
  if (timespec_get(&ts, TIME_UTC) == TIME_UTC)
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
#endif
  return (long long)time(NULL) * 1000;
}

/* SLINK_PROGRESS_DELAY (milliseconds) replaces the one second's wait;
 * tests use 0. */
static long long delay(void) {
  const char *s = getenv("SLINK_PROGRESS_DELAY");
  if (s && *s) {
    char *end;
    long long v = strtoll(s, &end, 10);
    if (*end == '\0' && v >= 0)
      return v;
  }
  return 1000;
}

static int columns(void) {
  const char *s = getenv("COLUMNS");
  int c = s ? atoi(s) : 0;
  return c >= 20 && c <= 1000 ? c : 80;
}

void cli_progress_start(cli_progress *p) {
  memset(p, 0, sizeof *p);
  p->noun = "links";
  p->on = !cli_global.quiet && !cli_global.json && !cli_global.null &&
          cli_os_isatty(2);
  p->start_ms = p->on ? now_ms() : 0;
  p->delay_ms = delay();
}

/* Count what a terminal shows of S: one column per character (UTF-8
 * continuation bytes take none). */
static size_t width_of(const char *s, size_t n) {
  size_t w = 0;
  for (size_t i = 0; i < n; i++)
    if (((unsigned char)s[i] & 0xC0) != 0x80)
      w++;
  return w;
}

void cli_progress_format(char *buf, size_t size, int width, const char *verb,
                         unsigned long count, const char *noun,
                         const char *path) {
  int head = snprintf(buf, size, "%s: %lu%s%s, ", verb, count,
                      noun && *noun ? " " : "", noun ? noun : "");
  if (head < 0 || (size_t)head >= size) {
    buf[0] = '\0';
    return;
  }
  /* One column spare: a line filling the last column wraps on some
   * terminals. */
  long room = (long)width - 1 - head;
  char *q = cli_quote(path);
  const char *s = q ? q : "";
  size_t n = strlen(s);
  if (room < 4) {
    buf[head - 2] = '\0';
  } else if ((long)width_of(s, n) <= room) {
    snprintf(buf + head, size - (size_t)head, "%s", s);
  } else {
    /* Keep the end of the path, which says most, from a character's
     * first byte on. */
    const char *t = s + n;
    long w = 0;
    while (t > s && w < room - 3) {
      t--;
      if (((unsigned char)*t & 0xC0) != 0x80)
        w++;
    }
    while (t < s + n && ((unsigned char)*t & 0xC0) == 0x80)
      t++;
    snprintf(buf + head, size - (size_t)head, "...%s", t);
  }
  free(q);
}

void cli_progress_tick_at(cli_progress *p, long long now, const char *verb,
                          unsigned long count, const char *path) {
  if (!p->on)
    return;
  if (now - p->start_ms < p->delay_ms)
    return;
  if (p->last_ms && now - p->last_ms < 100)
    return;
  p->last_ms = now;
  char line[1024], noun[256];
  const char *what = p->noun;
  if (p->detail) {
    int k = snprintf(noun, sizeof noun, "%s, ", p->noun ? p->noun : "");
    if (k > 0 && (size_t)k < sizeof noun)
      p->detail(noun + k, sizeof noun - (size_t)k, now - p->start_ms,
                p->detail_ctx);
    what = noun;
  }
  cli_progress_format(line, sizeof line - sizeof CLEAR, columns(), verb,
                      count, what, path);
  char out[1040];
  int n = snprintf(out, sizeof out, CLEAR "%s", line);
  if (n > 0) {
    cli_os_write(2, out, strlen(out));
    cli_global.progress_shown = 1;
  }
}

void cli_progress_tick(cli_progress *p, const char *verb, unsigned long count,
                       const char *path) {
  if (!p->on)
    return;
  /* The first ticks and every 16th read the clock: cheap enough for a
   * walk over millions of entries, often enough for a slow one. */
  if (p->calls++ > 16 && (p->calls & 15) != 0)
    return;
  cli_progress_tick_at(p, now_ms(), verb, count, path);
}

void cli_progress_end(cli_progress *p) {
  (void)p;
  cli_progress_clear();
}
