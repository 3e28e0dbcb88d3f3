/* tree.c - the tree walker of tree.h. Every race check of a tree
 * operation is here: an entry listed as a directory is looked at, then
 * opened relative to its parent's handle without following, and the open
 * fails unless it found the object looked at; a parent whose handle was
 * given up is reopened through ".." of its child and must be the
 * directory it was. Depth costs heap: the levels live in an array, and
 * only the deepest few keep their handle. */
#include <stdlib.h>
#include <string.h>

#include "lib/hook.h"
#include "lib/tree.h"
#include "sys.h"

/* The handles kept open by default: deep enough that reopening through
 * ".." is rare, few enough for `ulimit -n 64`. */
#define WINDOW 16
/* An entry that keeps changing between file and directory is given up on
 * after this many looks. */
#define MAX_RETYPES 4

#ifdef SLINK_TEST_HOOKS
unsigned slink__tree_window = WINDOW;
#define WINDOW_NOW ((size_t)slink__tree_window)
#else
#define WINDOW_NOW ((size_t)WINDOW)
#endif

/* One directory being walked. Its listing is read whole before any entry
 * is visited, as records: 8 bytes ino, 1 byte kind, the name, NUL; ORDER
 * points at the names in the order they are visited. */
typedef struct level {
  slink__h *h;          /* NULL while given up to spare handles */
  slink__stat st;       /* its identity, as opened */
  const char *name;     /* in the parent's listing, or the operand's */
  char *list;
  size_t list_len, list_cap;
  const char **order;
  size_t n, order_cap, next;
  /* SLINK__TREE_ENTRIES_FIRST: the subdirectories to enter once every
   * entry was visited, with what their look said. */
  struct sub { const char *name; slink__stat st; int loose; } *subs;
  size_t nsubs, subs_cap, next_sub;
  size_t path_len;      /* its display path: t->path[0..path_len) */
  unsigned marks;       /* the visitor's */
  unsigned rounds;      /* times listed */
} level;

typedef struct tree {
  unsigned flags;
  slink__tree_fn fn;
  void *ctx;
  int stop;             /* nonzero: the walk ends with this */
  slink__h *top;        /* the operand's parent (NULL: a walk from a handle) */
  unsigned top_marks;
  uint64_t root_dev;
  level *lv;
  size_t depth, cap;
  size_t lo;            /* levels [lo, depth) hold a handle */
  size_t keep;          /* levels below this are the caller's: never given up */
  char *path;
  size_t path_cap, display_len;
} tree;

static int path_reserve(tree *t, size_t need) {
  if (need <= t->path_cap)
    return 0;
  size_t cap = t->path_cap * 2;
  if (cap < need)
    cap = need;
  char *p = realloc(t->path, cap);
  if (!p)
    return SLINK_ENOMEM;
  t->path = p;
  t->path_cap = cap;
  return 0;
}

/* The display path of NAME below the path that ends at BASE. */
static int path_at(tree *t, size_t base, const char *name, size_t *len) {
  size_t n = strlen(name);
  if (path_reserve(t, base + n + 2) < 0)
    return SLINK_ENOMEM;
  size_t at = base;
  if (base > 0 && !slink__os_is_sep(t->path[base - 1]))
    t->path[at++] = '/';
  memcpy(t->path + at, name, n + 1);
  *len = at + n;
  return 0;
}

static void path_end(tree *t, size_t len) { t->path[len] = '\0'; }

static int call(tree *t, int visit, slink__tree_ent *e) {
  int a = t->fn(visit, e, t->ctx);
  if (a == SLINK__TA_STOP && !t->stop)
    t->stop = SLINK__TA_STOP;
  return a;
}

/* Give up the handle of the shallowest level that holds one, never the
 * deepest's. Returns 0 when there was none to give. */
static int shed(tree *t) {
  if (t->lo < t->keep)
    t->lo = t->keep;
  if (t->lo + 1 >= t->depth)
    return 0;
  slink__os_h_close(t->lv[t->lo].h);
  t->lv[t->lo].h = NULL;
  t->lo++;
  return 1;
}

/* slink__os_h_open, giving up handles while the process has too many. */
static int open_dir(tree *t, slink__h *dir, const char *rel, unsigned how,
                    const slink__stat *expect, slink__h **out,
                    slink__stat *st, int *os_err) {
  for (;;) {
    int rc = slink__os_h_open(dir, rel, how, expect, out, st, os_err);
    if (rc != SLINK_EMFILE || !shed(t))
      return rc;
  }
}

static int cmp_names(const void *a, const void *b) {
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int list_add(level *L, const slink__dirent *d) {
  size_t need = L->list_len + 9 + d->name_len + 1;
  if (need > L->list_cap) {
    size_t cap = L->list_cap ? L->list_cap * 2 : 512;
    while (cap < need)
      cap *= 2;
    char *p = realloc(L->list, cap);
    if (!p)
      return SLINK_ENOMEM;
    L->list = p;
    L->list_cap = cap;
  }
  char *r = L->list + L->list_len;
  memcpy(r, &d->ino, 8);
  r[8] = (char)d->kind;
  memcpy(r + 9, d->name, d->name_len);
  r[9 + d->name_len] = '\0';
  L->list_len = need;
  L->n++;
  return 0;
}

/* Read the whole directory of L. Returns 0, SLINK_ENOMEM, or the error
 * that cut the listing short (what was read is still walked). */
static int read_listing(tree *t, level *L, int *os_err) {
  L->list_len = 0;
  L->n = L->next = 0;
  L->nsubs = L->next_sub = 0;
  int rc = 0;
  if (L->rounds++ > 0)
    rc = slink__os_h_rewind(L->h, os_err);
  while (rc == 0) {
    slink__dirent d;
    rc = slink__os_h_next(L->h, &d, os_err);
    if (rc <= 0)
      break;
    rc = list_add(L, &d);
  }
  if (L->n > L->order_cap) {
    const char **o = realloc(L->order, L->n * sizeof *o);
    if (!o)
      return SLINK_ENOMEM;
    L->order = o;
    L->order_cap = L->n;
  }
  size_t off = 0;
  for (size_t i = 0; i < L->n; i++) {
    L->order[i] = L->list + off + 9;
    off += 9 + strlen(L->order[i]) + 1;
  }
  if ((t->flags & SLINK__TREE_SORTED) && L->n > 1)
    qsort(L->order, L->n, sizeof *L->order, cmp_names);
  return rc;
}

static void drop_level(tree *t) {
  level *L = &t->lv[--t->depth];
  if (L->h && t->depth >= t->keep)
    slink__os_h_close(L->h);
  free(L->list);
  free(L->order);
  free(L->subs);
  if (t->lo > t->depth)
    t->lo = t->depth;
}

static void list_error(tree *t, level *L, int rc, int os_err) {
  path_end(t, L->path_len);
  slink__tree_ent e = {0};
  e.dir = NULL;
  e.name = L->name;
  e.self = L->h;
  e.path = t->path;
  e.path_len = L->path_len;
  e.depth = t->depth - 1;
  e.kind = SLINK_KIND_DIR;
  e.st = &L->st;
  e.dir_marks = t->depth >= 2 ? &t->lv[t->depth - 2].marks : &t->top_marks;
  e.self_marks = &L->marks;
  e.err = rc;
  e.os_err = os_err;
  call(t, SLINK__TV_ERROR, &e);
}

/* Make a new deepest level for the verified directory H, which it then
 * owns, visit it, and read it. */
static int push_level(tree *t, slink__h *h, const slink__stat *st,
                      const char *name, size_t path_len, slink__tree_ent *e) {
  if (t->depth == t->cap) {
    size_t cap = t->cap ? t->cap * 2 : 64;
    level *p = realloc(t->lv, cap * sizeof *p);
    if (!p) {
      if (t->depth >= t->keep)
        slink__os_h_close(h);
      return SLINK_ENOMEM;
    }
    t->lv = p;
    t->cap = cap;
  }
  level *L = &t->lv[t->depth++];
  memset(L, 0, sizeof *L);
  L->h = h;
  L->st = *st;
  L->name = name;
  L->path_len = path_len;
  while (t->depth - t->lo > WINDOW_NOW && shed(t))
    ;
  e->self = h;
  e->self_marks = &L->marks;
  e->st = &L->st;
  path_end(t, path_len);
  e->path = t->path;
  if (call(t, SLINK__TV_DIR, e) == SLINK__TA_SKIP || t->stop)
    return 0; /* the level stays: its POST visit comes next */
  SLINK__HOOK(SLINK__HP_WALK_BEFORE_LIST, h, NULL);
  int os_err = 0;
  int rc = read_listing(t, L, &os_err);
  if (rc == SLINK_ENOMEM)
    return rc;
  if (rc < 0)
    list_error(t, L, rc, os_err);
  return 0;
}

static void error_visit(tree *t, slink__tree_ent *e, int err, int os_err) {
  e->err = err;
  e->os_err = os_err;
  call(t, SLINK__TV_ERROR, e);
}

static int take(tree *t, const char *name, slink_kind kind, uint64_t ino,
                int now);

/* enter(): no longer a directory, look again. */
#define RETYPE 1

/* Open the directory NAME of the deepest level (DEPTH 0: the operand),
 * looked at as *ST, and make it the new deepest level. LOOSE: it was not
 * looked at, and *ST is only what the listing said (the parent's device,
 * the entry's inode); a directory opened that is not that one must be
 * what a look at NAME finds now (a mount point lists the inode below it).
 * Returns 0, RETYPE or SLINK_ENOMEM. */
static int enter(tree *t, slink__tree_ent *e, const slink__stat *st,
                 int loose) {
  slink__h *dir = e->dir;
  const char *name = e->name;
  size_t d = e->depth;
  if ((t->flags & SLINK__TREE_ONE_FS) && st->dev != t->root_dev && !loose) {
    error_visit(t, e, SLINK_EOTHERFS, 0);
    return 0;
  }
  SLINK__HOOK(SLINK__HP_WALK_BEFORE_OPEN, dir, name);
  slink__h *h = NULL;
  slink__stat now;
  int os_err = 0;
  int rc = open_dir(t, dir, name, 0, loose ? NULL : st, &h, &now, &os_err);
  if (rc == 0 && loose && !slink__same_file(&now, st)) {
    slink__stat here;
    SLINK__HOOK(SLINK__HP_WALK_BEFORE_VERIFY, dir, name);
    if (slink__os_h_lstat(dir, name, &here, NULL) != 0 ||
        !slink__same_file(&here, &now)) {
      slink__os_h_close(h);
      rc = SLINK_ECHANGED;
    }
  }
  if (rc == 0 && (t->flags & SLINK__TREE_ONE_FS) && now.dev != t->root_dev) {
    slink__os_h_close(h);
    error_visit(t, e, SLINK_EOTHERFS, 0);
    return 0;
  }
  if (rc == SLINK_ENOENT && d > 0)
    return 0;
  if (rc == SLINK_ENOTDIR) {
    /* No longer a directory: a link or a file sits there now, to be
     * visited as itself. */
    SLINK__HOOK(SLINK__HP_WALK_BEFORE_RETYPE, dir, name);
    return RETYPE;
  }
  if (rc < 0) {
    error_visit(t, e, rc, os_err);
    return 0;
  }
  if ((t->flags & SLINK__TREE_NO_MOUNTS) && d > 0 &&
      slink__os_h_is_mount_root(h)) {
    slink__os_h_close(h);
    error_visit(t, e, SLINK_EOTHERFS, 0);
    return 0;
  }
  return push_level(t, h, &now, name, e->path_len, e);
}

static slink__tree_ent entry_of(tree *t, const char *name, size_t len) {
  size_t d = t->depth;
  level *P = d ? &t->lv[d - 1] : NULL;
  slink__tree_ent e = {0};
  e.dir = P ? P->h : t->top;
  e.name = name;
  e.depth = d;
  e.dir_marks = P ? &P->marks : &t->top_marks;
  path_end(t, len);
  e.path = t->path;
  e.path_len = len;
  return e;
}

/* Visit the entry NAME of the deepest level (DEPTH 0: the operand in
 * t->top), listed as KIND with INO; a directory is entered at once, or
 * with SLINK__TREE_ENTRIES_FIRST unless NOW, noted to be entered after
 * its siblings. Returns 0 or SLINK_ENOMEM. */
static int take(tree *t, const char *name, slink_kind kind, uint64_t ino,
                int now) {
  size_t d = t->depth;
  level *P = d ? &t->lv[d - 1] : NULL;
  size_t len = t->display_len;
  if (P && path_at(t, P->path_len, name, &len) < 0)
    return SLINK_ENOMEM;
  slink__stat st;
  slink__tree_ent e = entry_of(t, name, len);
  e.ino = ino;
  /* A directory the listing names with its inode is not looked at: its
   * open is checked against the listing instead (enter()). */
  int look = d == 0 || kind == SLINK_KIND_NONE ||
             (kind == SLINK_KIND_DIR && ino == 0) ||
             (t->flags & SLINK__TREE_LOOK_ALL);
  for (int tries = 0; tries < MAX_RETYPES; tries++) {
    e.st = NULL;
    e.kind = kind;
    SLINK__HOOK(SLINK__HP_WALK_LISTED, e.dir, name);
    int loose = !look;
    if (loose) {
      memset(&st, 0, sizeof st);
      st.kind = kind;
      st.dev = P->st.dev;
      st.ino = ino;
    } else {
      int os_err = 0;
      int rc = slink__os_h_lstat(e.dir, name, &st, &os_err);
      if (rc == SLINK_ENOENT && d > 0)
        return 0; /* gone already */
      if (rc < 0) {
        error_visit(t, &e, rc, os_err);
        return 0;
      }
      e.kind = kind = st.kind;
      e.st = &st;
    }
    if (d == 0 && kind == SLINK_KIND_DIR)
      t->root_dev = st.dev;
    int a = call(t, SLINK__TV_ENTRY, &e);
    if (a == SLINK__TA_RETYPE) {
      look = 1;
      continue;
    }
    if (kind != SLINK_KIND_DIR || a != SLINK__TA_GO || t->stop)
      return 0;
    if (P && !now && (t->flags & SLINK__TREE_ENTRIES_FIRST)) {
      if (P->nsubs == P->subs_cap) {
        size_t cap = P->subs_cap ? P->subs_cap * 2 : 4;
        struct sub *s = realloc(P->subs, cap * sizeof *s);
        if (!s)
          return SLINK_ENOMEM;
        P->subs = s;
        P->subs_cap = cap;
      }
      P->subs[P->nsubs].name = name;
      P->subs[P->nsubs].st = st;
      P->subs[P->nsubs].loose = loose;
      P->nsubs++;
      return 0;
    }
    int rc = enter(t, &e, &st, loose);
    if (rc != RETYPE)
      return rc;
    look = 1;
  }
  error_visit(t, &e, SLINK_ECHANGED, 0);
  return 0;
}

/* SLINK__TREE_ENTRIES_FIRST: enter the next noted subdirectory of the
 * deepest level. */
static int enter_sub(tree *t) {
  level *P = &t->lv[t->depth - 1];
  struct sub *s = &P->subs[P->next_sub++];
  size_t len;
  if (path_at(t, P->path_len, s->name, &len) < 0)
    return SLINK_ENOMEM;
  slink__tree_ent e = entry_of(t, s->name, len);
  e.kind = SLINK_KIND_DIR;
  slink__stat st = s->st;
  e.st = s->loose ? NULL : &st;
  int rc = enter(t, &e, &st, s->loose);
  return rc == RETYPE ? take(t, s->name, SLINK_KIND_NONE, 0, 1) : rc;
}

/* The handle of the parent of level I, reopened through ".." of level I
 * if it was given up. NULL (after an ERROR visit) when that is no longer
 * the directory it was. */
static slink__h *parent_of(tree *t, size_t i) {
  if (i == 0)
    return t->top;
  level *P = &t->lv[i - 1];
  if (P->h)
    return P->h;
  SLINK__HOOK(SLINK__HP_WALK_BEFORE_DOTDOT, t->lv[i].h, "..");
  int os_err = 0;
  int rc = open_dir(t, t->lv[i].h, "..", SLINK__H_FOLLOW, &P->st, &P->h, NULL,
                    &os_err);
  if (rc < 0) {
    P->h = NULL;
    path_end(t, P->path_len);
    slink__tree_ent e = {0};
    e.name = P->name;
    e.path = t->path;
    e.path_len = P->path_len;
    e.depth = i - 1;
    e.kind = SLINK_KIND_DIR;
    e.st = &P->st;
    e.dir_marks = i >= 2 ? &t->lv[i - 2].marks : &t->top_marks;
    error_visit(t, &e, rc, os_err);
    return NULL;
  }
  t->lo = i - 1;
  return P->h;
}

/* The deepest level has no entries left: its POST visit, then it goes,
 * unless the visitor has it listed again. */
static int finish(tree *t) {
  size_t i = t->depth - 1;
  slink__h *up = NULL;
  if (i >= t->keep) {
    up = parent_of(t, i);
    if (!up) {
      t->stop = SLINK_ECHANGED; /* no verified way back up */
      return 0;
    }
  }
  level *L = &t->lv[i];
  slink__tree_ent e = {0};
  e.dir = up;
  e.name = L->name;
  e.self = L->h;
  e.depth = i;
  e.kind = SLINK_KIND_DIR;
  e.st = &L->st;
  e.dir_marks = i >= 1 ? &t->lv[i - 1].marks : &t->top_marks;
  e.self_marks = &L->marks;
  for (;;) {
    path_end(t, L->path_len);
    e.path = t->path;
    e.path_len = L->path_len;
    e.rounds = L->rounds;
    if (call(t, SLINK__TV_POST, &e) != SLINK__TA_AGAIN || t->stop)
      break;
    int os_err = 0;
    int rc = read_listing(t, L, &os_err);
    if (rc == SLINK_ENOMEM)
      return rc;
    if (rc < 0) {
      list_error(t, L, rc, os_err);
      break;
    }
    if (L->n > 0)
      return 0; /* filled behind our back: walk it again */
  }
  drop_level(t);
  return 0;
}

int slink__tree_walk(slink__h *parent, const char *name,
                     const slink__stat *root_st, const char *display,
                     unsigned flags, slink__tree_fn fn, void *ctx) {
  tree t;
  memset(&t, 0, sizeof t);
  t.flags = flags;
  t.fn = fn;
  t.ctx = ctx;
  t.display_len = strlen(display);
  t.path_cap = t.display_len + 256;
  if (!(t.path = malloc(t.path_cap)))
    return SLINK_ENOMEM;
  memcpy(t.path, display, t.display_len + 1);
  int rc;
  if (name) {
    t.top = parent;
    rc = take(&t, name, SLINK_KIND_NONE, 0, 1);
  } else {
    t.keep = 1;
    t.lo = 0;
    t.root_dev = root_st->dev;
    slink__tree_ent e = {0};
    e.kind = SLINK_KIND_DIR;
    e.path_len = t.display_len;
    e.dir_marks = &t.top_marks;
    rc = push_level(&t, parent, root_st, display, t.display_len, &e);
  }
  while (rc == 0 && t.depth > 0 && !t.stop) {
    level *L = &t.lv[t.depth - 1];
    if (L->next >= L->n) {
      rc = L->next_sub < L->nsubs ? enter_sub(&t) : finish(&t);
      continue;
    }
    const char *n = L->order[L->next++];
    uint64_t ino;
    memcpy(&ino, n - 9, 8);
    rc = take(&t, n, (slink_kind)(unsigned char)n[-1], ino, 0);
  }
  while (t.depth > 0)
    drop_level(&t);
  free(t.lv);
  free(t.path);
  if (rc < 0)
    return rc;
  return t.stop == SLINK__TA_STOP ? 0 : t.stop;
}
