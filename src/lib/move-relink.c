/* move-relink.c - after a rename, the absolute links inside the moved
 * tree that named SRC name DEST: each replaced atomically (a temporary
 * link beside it, renamed over it; a junction's data rewritten in place)
 * through its directory's verified handle. Only links still naming SRC are touched, so running it again
 * after a kill finds the rest. */
#include <stdlib.h>
#include <string.h>

#include "lib/hook.h"
#include "lib/move.h"
#include "lib/tree.h"

typedef struct relink {
  const char *src, *dest;
  size_t src_len;
  int first_err;
} relink;

static int fix_one(relink *r, const slink__tree_ent *e) {
  slink_info info;
  memset(&info, 0, sizeof info);
  if (slink__os_h_readlink(e->dir, e->name, &info, NULL) < 0)
    return SLINK__TA_GO;
  /* Compared as text in "/" form (Windows stores "C:\\x"). */
  char *t = info.target && strlen(info.target) == info.target_len
                ? slink__path_lexical(info.target)
                : NULL;
  if (!t || strncmp(t, r->src, r->src_len) != 0 ||
      (t[r->src_len] != '\0' && t[r->src_len] != '/')) {
    free(t);
    slink_info_free(&info);
    return SLINK__TA_GO;
  }
  size_t dl = strlen(r->dest), rl = strlen(t + r->src_len);
  char *fresh = malloc(dl + rl + 1);
  int rc = fresh ? 0 : SLINK_ENOMEM;
  if (fresh && e->kind == SLINK_KIND_JUNCTION) {
    /* A directory cannot be renamed over: its data is rewritten. */
    memcpy(fresh, r->dest, dl);
    memcpy(fresh + dl, t + r->src_len, rl + 1);
    SLINK__HOOK(SLINK__HP_WALK_BEFORE_ACT, e->dir, e->name);
    rc = slink__os_h_junction_retarget(e->dir, e->name, fresh, NULL);
  } else if (fresh) {
    memcpy(fresh, r->dest, dl);
    memcpy(fresh + dl, t + r->src_len, rl + 1);
    char tmp[SLINK__TEMP_LEN + 1];
    slink__temp_name(tmp);
    slink__sigsave saved;
    slink__os_signals_hold(&saved);
    rc = slink__os_h_symlink(e->dir, tmp, fresh, 0, NULL, NULL);
    if (rc == 0) {
      SLINK__HOOK(SLINK__HP_WALK_BEFORE_ACT, e->dir, e->name);
      rc = slink__os_h_rename(e->dir, tmp, e->dir, e->name, 0, NULL);
      if (rc < 0)
        slink__os_h_unlink(e->dir, tmp, NULL, 0, NULL);
    }
    slink__os_signals_release(&saved);
  }
  free(fresh);
  free(t);
  slink_info_free(&info);
  if (rc < 0 && !r->first_err)
    r->first_err = rc;
  return SLINK__TA_GO;
}

static int visit(int what, const slink__tree_ent *e, void *ctx) {
  if (what == SLINK__TV_ENTRY && e->depth > 0 &&
      (e->kind == SLINK_KIND_SYMLINK || e->kind == SLINK_KIND_DIR_SYMLINK ||
       e->kind == SLINK_KIND_JUNCTION))
    return fix_one(ctx, e);
  return SLINK__TA_GO;
}

int slink__move_relink(slink__h *dir, const char *name, const char *src,
                       const char *dest) {
  relink r = {src, dest, strlen(src), 0};
  int rc = slink__tree_walk(dir, name, NULL, dest, SLINK__TREE_ONE_FS, visit,
                            &r);
  return r.first_err ? r.first_err : rc;
}
