/* progress.h - a progress line on standard error for work that takes
 * more than a second, shown only when standard error is a terminal and
 * the output is not for a program (--json, --null) or silenced (--quiet).
 *
 * Use: cli_progress_start(&p) before the work (then p.noun = "entries"
 * if COUNT does not count links); for each item
 * cli_progress_tick(&p, "scan", count, path); cli_progress_end(&p) when
 * done. Ticks are cheap: the clock is read every few calls and the line
 * redrawn at most ten times a second. Anything printed through out.c
 * meanwhile first clears the line, so output and progress never mix. */
#ifndef SLINK_CLI_PROGRESS_H
#define SLINK_CLI_PROGRESS_H

typedef struct cli_progress {
  int on;               /* this run may show a line */
  const char *noun;     /* what COUNT counts: "links" unless set */
  long long start_ms;
  long long last_ms;    /* when the line was last drawn */
  long long delay_ms;   /* quiet for this long first */
  unsigned long calls;
  /* May be set: more words after the count when the line is drawn
   * (ELAPSED_MS since the start), e.g. bytes, a rate, the time left. */
  void (*detail)(char *buf, size_t size, long long elapsed_ms, void *ctx);
  void *detail_ctx;
} cli_progress;

void cli_progress_start(cli_progress *p);
/* "VERB: COUNT NOUN, PATH" on one line of the terminal's width. */
void cli_progress_tick(cli_progress *p, const char *verb, unsigned long count,
                       const char *path);
/* Clear the line; the next tick draws it again. */
void cli_progress_end(cli_progress *p);

/* The same with the time given, for tests: NOW_MS since any origin. */
void cli_progress_tick_at(cli_progress *p, long long now_ms, const char *verb,
                          unsigned long count, const char *path);
/* The line for VERB, COUNT, NOUN and PATH fitted to WIDTH columns
 * (PATH shortened from the left, "..." in front), into BUF of SIZE. */
void cli_progress_format(char *buf, size_t size, int width, const char *verb,
                         unsigned long count, const char *noun,
                         const char *path);

#endif
