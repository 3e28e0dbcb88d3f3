/* The threaded walk (scan, dedupe) opens a directory as its parent listed
 * it and, on ext2/3/4, leaves the proof that it is that directory to the
 * "." entry of its own first listing (SLINK__H_LISTED), where elsewhere an
 * fstat gives it. Here, between the listing of tree and the open of
 * tree/a, the library's hook exchanges tree/a with the canary, a real
 * directory of links beside the tree, and puts it back as soon as the
 * walk looks at the name again: the walk must report tree/a as changed
 * and never one canary entry. On ext4 the open is made as listed and the
 * listing refuses it (so tree/a is opened a second time, and looked at);
 * on a tmpfs the look comes at once. A directory of each kind that can be
 * had without mounting is tried; one that cannot is skipped, saying why. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "lib/hook.h"
#include "slink.h"

#define EXT4_MAGIC 0xEF53
#define TMPFS_MAGIC 0x01021994

static const char *const canary_links[] = {"keep1", "keep2", "keep3"};
enum { NCANARY = sizeof canary_links / sizeof *canary_links };

typedef struct place {
  const char *name;
  long magic;
  const char *bases[4];
} place;

static const place places[] = {
    {"ext4", EXT4_MAGIC, {"TMPDIR", "/tmp", "/var/tmp", "."}},
    {"tmpfs", TMPFS_MAGIC, {"/dev/shm", "TMPDIR", "/tmp", NULL}},
};

typedef struct attack {
  char w[400];
  pthread_mutex_t m;
  int opens_of_a;   /* hook calls before an open of tree/a */
  int swapped, restored;
  ino_t canary_ino[NCANARY + 1];
} attack;

typedef struct seen {
  attack *a;
  pthread_mutex_t m;
  int canary;       /* canary entries handed over */
  int a_changed;    /* tree/a reported as changed */
  int links;        /* tree links handed over */
} seen;

static void exchange(attack *a) {
  char x[600], y[600];
  snprintf(x, sizeof x, "%s/tree/a", a->w);
  snprintf(y, sizeof y, "%s/canary", a->w);
  if (renameat2(AT_FDCWD, x, AT_FDCWD, y, RENAME_EXCHANGE) != 0)
    perror("renameat2");
}

/* The swap at the open of tree/a, the swap back at the first look. */
static void hook(int point, slink__h *dir, const char *name, void *ctx) {
  (void)dir;
  attack *a = ctx;
  if (!name || strcmp(name, "a") != 0)
    return;
  pthread_mutex_lock(&a->m);
  if (point == SLINK__HP_WALK_BEFORE_OPEN) {
    a->opens_of_a++;
    if (!a->swapped) {
      a->swapped = 1;
      exchange(a);
    }
  } else if (point == SLINK__HP_WALK_BEFORE_VERIFY && a->swapped &&
             !a->restored) {
    a->restored = 1;
    exchange(a);
  }
  pthread_mutex_unlock(&a->m);
}

static int on_entry(const slink_walk_entry *e, void *ctx) {
  seen *s = ctx;
  pthread_mutex_lock(&s->m);
  const char *base = strrchr(e->path, '/');
  base = base ? base + 1 : e->path;
  for (int i = 0; i < NCANARY; i++)
    if (strcmp(base, canary_links[i]) == 0 ||
        (e->ino && e->ino == (uint64_t)s->a->canary_ino[i]))
      s->canary++;
  if (e->error == SLINK_ECHANGED && strcmp(base, "a") == 0)
    s->a_changed++;
  if (!e->error && slink_kind_is_link(e->kind))
    s->links++;
  pthread_mutex_unlock(&s->m);
  return 0;
}

static void put_link(const char *w, const char *rel, const char *target) {
  char p[700];
  snprintf(p, sizeof p, "%s/%s", w, rel);
  assert_int_equal(symlink(target, p), 0);
}

static void put_dir(const char *w, const char *rel) {
  char p[700];
  snprintf(p, sizeof p, "%s/%s", w, rel);
  assert_int_equal(mkdir(p, 0755), 0);
}

/* W/tree/{l0, a/{l1, b/{l2}}, c/{l3}} and W/canary/{keep1..3}. */
static void make(attack *a) {
  const char *w = a->w;
  put_dir(w, "tree");
  put_dir(w, "tree/a");
  put_dir(w, "tree/a/b");
  put_dir(w, "tree/c");
  put_link(w, "tree/l0", "x");
  put_link(w, "tree/a/l1", "x");
  put_link(w, "tree/a/b/l2", "x");
  put_link(w, "tree/c/l3", "x");
  put_dir(w, "canary");
  for (int i = 0; i < NCANARY; i++) {
    char rel[100], p[700];
    snprintf(rel, sizeof rel, "canary/%s", canary_links[i]);
    put_link(w, rel, "KEEP");
    snprintf(p, sizeof p, "%s/%s", w, rel);
    struct stat st;
    assert_int_equal(lstat(p, &st), 0);
    a->canary_ino[i] = st.st_ino;
  }
}

/* A new directory on a filesystem of kind P, in *W; 0 if there is none. */
static int workdir(const place *p, char *w, size_t size) {
  for (int i = 0; i < 4 && p->bases[i]; i++) {
    const char *b = p->bases[i];
    if (strcmp(b, "TMPDIR") == 0 && !(b = getenv("TMPDIR")))
      continue;
    struct statfs sf;
    if (statfs(b, &sf) != 0 || (long)sf.f_type != p->magic)
      continue;
    snprintf(w, size, "%s/slink-listed-XXXXXX", b);
    if (mkdtemp(w))
      return 1;
  }
  return 0;
}

static void rm_rf(const char *w) {
  char cmd[600];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", w);
  if (system(cmd) != 0)
    fprintf(stderr, "# could not remove %s\n", w);
}

static const unsigned modes[] = {
    SLINK_WALK_PARALLEL,
    SLINK_WALK_PARALLEL | SLINK_WALK_CLASSIFY,
    SLINK_WALK_PARALLEL | SLINK_WALK_ALL | SLINK_WALK_UNORDERED,
};

static void swapped_dir_refused(void **state) {
  const place *p = *state;
  for (size_t m = 0; m < sizeof modes / sizeof *modes; m++) {
    attack a;
    memset(&a, 0, sizeof a);
    if (!workdir(p, a.w, sizeof a.w)) {
      printf("# no directory on %s here; skipped\n", p->name);
      skip();
    }
    pthread_mutex_init(&a.m, NULL);
    make(&a);
    seen s = {&a, PTHREAD_MUTEX_INITIALIZER, 0, 0, 0};
    char tree[600];
    snprintf(tree, sizeof tree, "%s/tree", a.w);
    slink__hook = hook;
    slink__hook_ctx = &a;
    int rc = slink_walk(tree, modes[m], on_entry, &s);
    slink__hook = NULL;
    printf("# %s, mode %zu: tree/a opened %d times, %s back, %d links, "
           "%d canary entries\n", p->name, m, a.opens_of_a,
           a.restored ? "swapped" : "not swapped", s.links, s.canary);
    assert_int_equal(s.canary, 0);
    /* l0 and l3; nothing of tree/a, which was never proven. */
    assert_int_equal(s.links, 2);
    assert_int_equal(s.a_changed, 1);
    assert_int_equal(rc, SLINK_ECHANGED);
    assert_int_equal(a.swapped, 1);
    assert_int_equal(a.restored, 1);
    /* On ext4 the open left the proof to the listing, which refused it:
     * opened again, then looked at. Elsewhere the open looked. */
    assert_int_equal(a.opens_of_a, p->magic == EXT4_MAGIC ? 2 : 1);
    rm_rf(a.w);
    pthread_mutex_destroy(&a.m);
  }
}

int main(void) {
  struct CMUnitTest tests[sizeof places / sizeof *places];
  for (size_t i = 0; i < sizeof places / sizeof *places; i++) {
    struct CMUnitTest t =
        cmocka_unit_test_prestate(swapped_dir_refused, (void *)&places[i]);
    t.name = places[i].name;
    tests[i] = t;
  }
  return cmocka_run_group_tests(tests, NULL, NULL);
}
