/* clone-par.c - a clone on two threads. Making names is the kernel's
 * work (mkdirat, linkat, copy_file_range), and two directories can be
 * filled at once. Each thread walks SRC from its own handle on the root
 * with the one walker and its own levels, lists and statistics; the
 * root's entries are shared out by name, the first thread to claim one
 * doing all of it (its subtree too). What the threads share goes under
 * one lock: the callbacks, the hard-link groups (a group is found and
 * started under it, so it is never started twice) and the claims. The
 * root's own attributes are set once both are done. */
#include <stdlib.h>
#include <string.h>

#include "lib/atomic.h"
#include "lib/clone.h"
#include "lib/internal.h"

#define THREADS 2

struct slink__clone_par {
  slink__lock *lock;
  slink__clone *w[THREADS];
  slink__h *root[THREADS];
  slink__stat root_st;
  slink_clone_stats pub[THREADS]; /* each thread's counts, under the lock */
  slink_clone_stats sum;
  struct claim { char *name; int by; } *claims;
  size_t cap, used;
  slink__atomic_u64 next_id;
  slink__atomic_int stop;
  const char *display;
  unsigned flags;
  slink__tree_fn fn;
  int walk_rc[THREADS];
};

void slink__clone_lock(slink__clone *c) {
  if (c->par && c->holding++ == 0)
    slink__os_lock(c->par->lock);
}

void slink__clone_unlock(slink__clone *c) {
  if (c->par && --c->holding == 0)
    slink__os_unlock(c->par->lock);
}

int slink__clone_stopped(slink__clone *c) {
  if (!c->par)
    return c->stop;
  if (c->stop)
    slink__atomic_store_int(&c->par->stop, 1);
  return c->stop || slink__atomic_load_int(&c->par->stop);
}

/* TO += FROM, field by field: the one list of what a clone counts. */
static void add_stats(slink_clone_stats *to, const slink_clone_stats *from) {
#define ADD(f) to->f += from->f;
  ADD(dirs) ADD(files_linked) ADD(files_copied) ADD(files_reflinked)
  ADD(files_prev) ADD(bytes_copied) ADD(group_links) ADD(links_rewritten)
  ADD(links_inner) ADD(links_kept) ADD(links_dropped) ADD(special_made)
  ADD(special_skipped) ADD(limit_copies) ADD(errors) ADD(unrolled)
  ADD(unrolled_again)
#undef ADD
}

const slink_clone_stats *slink__clone_counts(slink__clone *c) {
  if (!c->par)
    return c->n;
  slink__clone_par *p = c->par;
  p->pub[c->worker] = *c->n;
  memset(&p->sum, 0, sizeof p->sum);
  for (int i = 0; i < THREADS; i++)
    add_stats(&p->sum, &p->pub[i]);
  return &p->sum;
}

slink__groups *slink__clone_groups(slink__clone *c) {
  return c->par ? &c->par->w[0]->groups : &c->groups;
}

static size_t hash_name(const char *s, size_t cap) {
  uint64_t h = 1469598103934665603ull;
  for (; *s; s++)
    h = (h ^ (unsigned char)*s) * 1099511628211ull;
  return (size_t)(h & (cap - 1));
}

static struct claim *claim_slot(struct claim *v, size_t cap, const char *n) {
  for (size_t i = hash_name(n, cap);; i = (i + 1) & (cap - 1))
    if (!v[i].name || strcmp(v[i].name, n) == 0)
      return &v[i];
}

int slink__clone_claim(slink__clone *c, const char *name, int is_dir) {
  slink__clone_par *p = c->par;
  int mine = 0;
  slink__clone_lock(c);
  if ((p->used + 1) * 2 > p->cap) {
    size_t cap = p->cap ? p->cap * 2 : 256;
    struct claim *v = calloc(cap, sizeof *v);
    if (!v)
      goto out;
    for (size_t i = 0; i < p->cap; i++)
      if (p->claims[i].name)
        *claim_slot(v, cap, p->claims[i].name) = p->claims[i];
    free(p->claims);
    p->claims = v;
    p->cap = cap;
  }
  struct claim *s = claim_slot(p->claims, p->cap, name);
  if (s->name) {
    mine = s->by == c->worker;
  } else if (is_dir || c->worker == 0) {
    /* The root's other entries are the first thread's: DEST's root is
     * then listed by it alone (clone-verify.c). */
    if ((s->name = slink__strdup(name)) != NULL) {
      s->by = c->worker;
      p->used++;
      mine = 1;
    }
  }
out:
  slink__clone_unlock(c);
  return mine;
}

static void worker(void *arg) {
  slink__clone_par *p = arg;
  uint64_t id = slink__atomic_add_u64(&p->next_id, 1);
  if (id >= THREADS)
    return;
  p->walk_rc[id] = slink__tree_walk(p->root[id], NULL, &p->root_st,
                                    p->display, p->flags, p->fn, p->w[id]);
}

int slink__clone_walk(slink__clone *c, slink__h *sh, const slink__stat *sst,
                      const char *display, unsigned flags, slink__tree_fn fn) {
  /* One thread for a dry run and for --outer unroll: their tables
   * (dry_src, the link limit asked, the unrolled targets) and the nested
   * walks are not shared out between threads. */
  if (c->dry || (c->flags & SLINK_CLONE_OUTER_UNROLL) ||
      slink__os_cpu_count() < 2)
    return slink__tree_walk(sh, NULL, sst, display, flags, fn, c);
  slink__clone_par p;
  memset(&p, 0, sizeof p);
  slink__clone two;
  slink_clone_stats n2;
  memset(&n2, 0, sizeof n2);
  int rc = slink__os_lock_new(&p.lock);
  slink__h *warm = NULL;
  if (rc == 0)
    rc = slink__os_h_open(sh, ".", SLINK__H_FOLLOW, sst, &p.root[0],
                          &p.root_st, NULL);
  if (rc == 0)
    rc = slink__os_h_open(sh, ".", SLINK__H_FOLLOW, sst, &p.root[1], NULL,
                          NULL);
  /* What a handle learns of its filesystem on first use is learnt here,
   * before two threads use the shared ones. */
  if (rc == 0 &&
      slink__os_h_open(c->droot, ".", SLINK__H_FOLLOW, NULL, &warm, NULL,
                       NULL) == 0)
    slink__os_h_close(warm);
  if (rc == 0 && c->lv[0].prev &&
      slink__os_h_open(c->lv[0].prev, ".", SLINK__H_FOLLOW, NULL, &warm, NULL,
                       NULL) == 0)
    slink__os_h_close(warm);
  two = *c;
  two.n = &n2;
  two.lv = NULL;
  two.nlv = 0;
  two.src_abs = NULL;
  memset(&two.groups, 0, sizeof two.groups);
  memset(&two.scratch, 0, sizeof two.scratch);
  if (rc == 0 && slink__clone_levels(&two) < 0)
    rc = SLINK_ENOMEM;
  if (rc < 0) {
    slink__os_h_close(p.root[0]);
    slink__os_h_close(p.root[1]);
    slink__os_lock_free(p.lock);
    slink__clone_end(&two);
    return slink__tree_walk(sh, NULL, sst, display, flags, fn, c);
  }
  two.lv[0] = c->lv[0];
  two.lv[0].pend = NULL;
  two.lv[0].pend_len = two.lv[0].pend_cap = two.lv[0].npend = 0;
  p.w[0] = c;
  p.w[1] = &two;
  p.display = display;
  p.flags = flags;
  p.fn = fn;
  slink__atomic_init_u64(&p.next_id, 0);
  slink__atomic_init_int(&p.stop, 0);
  c->par = two.par = &p;
  c->worker = 0;
  two.worker = 1;
  slink__os_run_threads(THREADS, worker, &p);
  c->par = NULL;
  /* Everything below the root is made: now the root's own attributes,
   * as a walk on one thread sets them in its POST visit. */
  if (!c->stop && two.stop)
    c->stop = two.stop;
  if (!c->first_err)
    c->first_err = two.first_err;
  two.lv[0].dst = two.lv[0].prev = NULL;  /* c's */
  slink__clone_end(&two);
  free(two.src_abs);
  add_stats(c->n, &n2);
  if (!c->stop) {
    slink__tree_ent e = {0};
    e.self = p.root[0];
    e.name = display;
    e.path = display;
    e.path_len = strlen(display);
    e.kind = SLINK_KIND_DIR;
    e.st = &p.root_st;
    fn(SLINK__TV_POST, &e, c);
  }
  for (size_t i = 0; i < p.cap; i++)
    free(p.claims[i].name);
  free(p.claims);
  slink__os_h_close(p.root[0]);
  slink__os_h_close(p.root[1]);
  slink__os_lock_free(p.lock);
  return p.walk_rc[0] ? p.walk_rc[0] : p.walk_rc[1];
}
