/* dedupe.c - slink_dedupe(): collect, narrow, then merge class by class
 * (see dedupe.h for the parts). */
#include <stdlib.h>
#include <string.h>

#include "lib/dedupe.h"

const char *slink_dedupe_reason_name(slink_dedupe_reason r) {
  static const char *const names[] = {
    "", "changed", "busy", "differs", "mode", "owner", "time", "xattrs",
    "error"};
  return (unsigned)r < sizeof names / sizeof *names ? names[r] : "unknown";
}

int slink__dd_grow(void *pv, size_t *cap, size_t need, size_t size,
                   size_t first) {
  if (need <= *cap)
    return 0;
  size_t c = *cap ? *cap : first;
  while (c < need)
    c *= 2;
  void *old, *p;
  memcpy(&old, pv, sizeof old);
  if (c > SIZE_MAX / size || !(p = realloc(old, c * size)))
    return SLINK_ENOMEM;
  memcpy(pv, &p, sizeof p);
  *cap = c;
  return 0;
}

void slink__dd_emit(dd_run *run, slink_dedupe_event *ev) {
  ev->stats = &run->stats;
  if (run->cb && !run->stop)
    run->stop = run->cb(ev, run->ctx);
}

void slink__dd_error(dd_run *run, const char *path, int error, int os_error) {
  run->stats.errors++;
  if (!run->first_error)
    run->first_error = error;
  slink_dedupe_event ev;
  memset(&ev, 0, sizeof ev);
  ev.type = SLINK_DEDUPE_EV_ERROR;
  ev.path = path;
  ev.error = error;
  ev.os_error = os_error;
  slink__dd_emit(run, &ev);
}

void slink__dd_name_error(dd_run *run, uint32_t name, int error,
                          int os_error) {
  char *p = slink__dd_path(run, name);
  slink__dd_error(run, p ? p : "", error, os_error);
  free(p);
}

int slink_dedupe(const char *const *dirs, size_t ndirs,
                 const slink_dedupe_opts *opts, slink_dedupe_cb cb, void *ctx,
                 slink_dedupe_stats *stats) {
  dd_run run;
  memset(&run, 0, sizeof run);
  run.opts = opts;
  run.flags = opts ? opts->flags : 0;
  run.min_size = opts && opts->min_size ? opts->min_size : 1;
  run.cb = cb;
  run.ctx = ctx;
  if (!dirs || ndirs == 0)
    return SLINK_EINVAL;
  if (slink__os_lock_new(&run.lock) < 0)
    return SLINK_ENOMEM;
  int rc = 0;
  for (size_t i = 0; i < ndirs && !run.stop; i++) {
    int r = slink__dd_collect(&run, dirs[i]);
    if (r < 0 && !run.first_error)
      run.first_error = r;
    if (r > 0)
      run.stop = r;
  }
  /* Inodes are told apart by now: the table goes before the hashing
   * threads take their buffers (peak memory). */
  free(run.table);
  run.table = NULL;
  uint32_t *order = NULL;
  size_t n = 0;
  if (!run.stop)
    rc = slink__dd_hash(&run, &order, &n);
  for (size_t i = 0; rc == 0 && i < n && !run.stop;) {
    size_t j = i + 1;
    while (j < n && slink__dd_same_key(&run.files[order[i]],
                                       &run.files[order[j]]))
      j++;
    rc = slink__dd_group(&run, order + i, j - i);
    i = j;
  }
  if (!run.stop) {
    slink_dedupe_event ev;
    memset(&ev, 0, sizeof ev);
    ev.type = SLINK_DEDUPE_EV_PROGRESS;
    slink__dd_emit(&run, &ev);
  }
  free(order);
  slink__os_h_close(run.dups.h);
  slink__os_h_close(run.keeps.h);
  if (stats)
    *stats = run.stats;
  free(run.buf[0]);
  free(run.buf[1]);
  slink__dd_collect_free(&run);
  slink__os_lock_free(run.lock);
  if (run.stop)
    return run.stop;
  if (rc < 0)
    return rc;
  return run.first_error;
}
