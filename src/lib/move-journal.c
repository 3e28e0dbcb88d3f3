/* move-journal.c - the journal of a move: a few lines of text, paths
 * written with their length so that any byte may be in them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/hook.h"
#include "lib/move.h"

#define MAGIC "slink-move 1\n"
#define MAX_JOURNAL (1u << 20)

char *slink__journal_name(const char *leaf) {
  size_t n = strlen(leaf);
  char *out = malloc(n + 13);
  if (out)
    snprintf(out, n + 13, ".%s.slink-move", leaf);
  return out;
}

/* The journal's temporary name is its own name and ".tmp", not a random
 * one: a kill between writing and renaming it leaves a name the next
 * write, resume or rollback knows to remove. */
static char *temp_of(const char *name) {
  size_t n = strlen(name);
  char *t = malloc(n + 5);
  if (t)
    snprintf(t, n + 5, "%s.tmp", name);
  return t;
}

void slink__journal_clear_temp(slink__h *dir, const char *name) {
  char *tmp = temp_of(name);
  if (tmp)
    slink__os_h_unlink(dir, tmp, NULL, 0, NULL);
  free(tmp);
}

static int put(char **buf, size_t *len, const char *key, const char *val) {
  size_t vl = strlen(val), kl = strlen(key);
  char *b = realloc(*buf, *len + kl + vl + 32);
  if (!b)
    return SLINK_ENOMEM;
  *buf = b;
  *len += (size_t)sprintf(b + *len, "%s %zu:", key, vl);
  memcpy(b + *len, val, vl);
  *len += vl;
  b[(*len)++] = '\n';
  return 0;
}

int slink__journal_write(slink__h *dir, const char *name,
                         const slink__journal *j, int *os_err) {
  char flags[64];
  snprintf(flags, sizeof flags, "%d %d %d %d %d", j->by_copy, j->leave,
           j->copied, j->removing, j->mounts);
  char *buf = NULL;
  size_t len = 0;
  int rc = put(&buf, &len, "slink-move", "1");
  if (rc == 0)
    rc = put(&buf, &len, "state", flags);
  if (rc == 0)
    rc = put(&buf, &len, "src", j->src);
  if (rc == 0)
    rc = put(&buf, &len, "dest", j->dest);
  if (rc == 0)
    rc = put(&buf, &len, "aside", j->aside);
  if (rc < 0) {
    free(buf);
    return rc;
  }
  char *tmp = temp_of(name);
  if (!tmp) {
    free(buf);
    return SLINK_ENOMEM;
  }
  slink__os_h_unlink(dir, tmp, NULL, 0, NULL);
  slink__file *f = NULL;
  rc = slink__os_f_create(dir, tmp, 0600, &f, os_err);
  if (rc == 0) {
    rc = slink__os_f_write(f, buf, len, os_err);
    if (rc == 0)
      rc = slink__os_f_sync(f, os_err);
    slink__os_f_close(f);
    SLINK__HOOK(SLINK__HP_MOVE_STEP, dir, "journal-temp");
    if (rc == 0)
      rc = slink__os_h_rename(dir, tmp, dir, name, 0, os_err);
    if (rc < 0)
      slink__os_h_unlink(dir, tmp, NULL, 0, NULL);
    else
      rc = slink__os_h_sync(dir, os_err);
  }
  free(tmp);
  free(buf);
  return rc;
}

/* The value of KEY at *P, advanced past it (malloc'd). */
static char *get(const char **p, const char *end, const char *key) {
  size_t kl = strlen(key);
  if ((size_t)(end - *p) < kl + 2 || memcmp(*p, key, kl) != 0 ||
      (*p)[kl] != ' ')
    return NULL;
  const char *q = *p + kl + 1;
  size_t n = 0;
  while (q < end && *q >= '0' && *q <= '9')
    n = n * 10 + (size_t)(*q++ - '0');
  if (q >= end || *q != ':' || (size_t)(end - q - 1) < n + 1 || q[1 + n] != '\n')
    return NULL;
  char *v = slink__strndup(q + 1, n);
  *p = q + 2 + n;
  return v;
}

/* The aside name is one entry of SRC's parent, never a way out of it. */
static int one_name(const char *s) {
  if (!*s || strlen(s) > SLINK__ASIDE_MAX || !strcmp(s, ".") ||
      !strcmp(s, ".."))
    return 0;
  for (; *s; s++)
    if (slink__os_is_sep(*s))
      return 0;
  return 1;
}

int slink__journal_read(slink__h *dir, const char *name, slink__journal *j,
                        int *os_err) {
  memset(j, 0, sizeof *j);
  slink__file *f = NULL;
  int rc = slink__os_f_open(dir, name, NULL, &f, NULL, os_err);
  if (rc < 0)
    return rc;
  char *buf = malloc(MAX_JOURNAL);
  size_t len = 0, got = 1;
  while (buf && rc == 0 && got && len < MAX_JOURNAL)
    if ((rc = slink__os_f_read(f, buf + len, MAX_JOURNAL - len, &got,
                               os_err)) == 0)
      len += got;
  slink__os_f_close(f);
  if (!buf)
    return SLINK_ENOMEM;
  const char *p = buf, *end = buf + len;
  char *magic = rc == 0 ? get(&p, end, "slink-move") : NULL;
  char *state = magic ? get(&p, end, "state") : NULL;
  j->src = state ? get(&p, end, "src") : NULL;
  j->dest = j->src ? get(&p, end, "dest") : NULL;
  char *aside = j->dest ? get(&p, end, "aside") : NULL;
  /* A journal of before -x has four numbers. */
  if (rc == 0 && (!aside || strcmp(magic, "1") != 0 || !one_name(aside) ||
                  sscanf(state, "%d %d %d %d %d", &j->by_copy, &j->leave,
                         &j->copied, &j->removing, &j->mounts) < 4))
    rc = SLINK_EINVAL;
  if (rc == 0)
    memcpy(j->aside, aside, strlen(aside) + 1);
  free(magic);
  free(state);
  free(aside);
  free(buf);
  if (rc < 0)
    slink__journal_free(j);
  return rc;
}

void slink__journal_free(slink__journal *j) {
  free(j->src);
  free(j->dest);
  j->src = j->dest = NULL;
}
