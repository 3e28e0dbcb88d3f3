/* clone-group.c - the hard-link groups of a clone: the only state kept
 * per file, and only for files with more than one name. */
#include <stdlib.h>
#include <string.h>

#include "lib/clone.h"
#include "lib/internal.h"

struct slink__group {
  uint64_t dev, ino, ino_hi;
  uint64_t names;       /* a dry run's count (slink__groups_names) */
  char *rel;            /* NULL: a free slot */
};

static size_t hash(const slink__stat *st, size_t cap) {
  uint64_t h = st->ino * 0x9e3779b97f4a7c15ull ^ st->dev ^ st->ino_hi;
  h ^= h >> 29;
  return (size_t)(h & (cap - 1));
}

static struct slink__group *slot_of(const slink__groups *g,
                                    const slink__stat *st) {
  for (size_t i = hash(st, g->cap);; i = (i + 1) & (g->cap - 1)) {
    struct slink__group *s = &g->slot[i];
    if (!s->rel || (s->dev == st->dev && s->ino == st->ino &&
                    s->ino_hi == st->ino_hi))
      return s;
  }
}

const char *slink__groups_find(const slink__groups *g, const slink__stat *st) {
  return g->cap ? slot_of(g, st)->rel : NULL;
}

static int grow(slink__groups *g) {
  size_t cap = g->cap ? g->cap * 2 : 256;
  slink__groups bigger = {calloc(cap, sizeof *g->slot), cap, g->used};
  if (!bigger.slot)
    return SLINK_ENOMEM;
  for (size_t i = 0; i < g->cap; i++)
    if (g->slot[i].rel) {
      slink__stat k = {0};
      k.dev = g->slot[i].dev;
      k.ino = g->slot[i].ino;
      k.ino_hi = g->slot[i].ino_hi;
      *slot_of(&bigger, &k) = g->slot[i];
    }
  free(g->slot);
  *g = bigger;
  return 0;
}

int slink__groups_put(slink__groups *g, const slink__stat *st,
                      const char *rel) {
  if ((g->used + 1) * 2 > g->cap && grow(g) < 0)
    return SLINK_ENOMEM;
  char *copy = slink__strdup(rel);
  if (!copy)
    return SLINK_ENOMEM;
  struct slink__group *s = slot_of(g, st);
  if (s->rel)
    free(s->rel);
  else
    g->used++;
  s->dev = st->dev;
  s->ino = st->ino;
  s->ino_hi = st->ino_hi;
  s->rel = copy;
  s->names = 0;
  return 0;
}

uint64_t *slink__groups_names(const slink__groups *g, const slink__stat *st) {
  if (!g->cap)
    return NULL;
  struct slink__group *s = slot_of(g, st);
  return s->rel ? &s->names : NULL;
}

void slink__groups_free(slink__groups *g) {
  for (size_t i = 0; i < g->cap; i++)
    free(g->slot[i].rel);
  free(g->slot);
  memset(g, 0, sizeof *g);
}
