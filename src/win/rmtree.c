/*
 * rmtree.c - removing a tree without ever following a link.
 *
 * Every entry is opened relative to its parent's handle (NtOpenFile with
 * RootDirectory), as itself (FILE_OPEN_REPARSE_POINT), and checked before
 * anything is done to it:
 *  - its name as the system sees it must be its parent's name plus its
 *    own: Wine ignores FILE_OPEN_REPARSE_POINT and opens a Linux symlink's
 *    target, which this check catches, so nothing outside the tree is
 *    touched;
 *  - a reparse point (junction, symlink, anything else) is removed as
 *    itself, and only after its reparse data was read through that
 *    handle; a directory is entered only when it is no reparse point.
 * Deleting goes through the same handle (delete disposition), never by
 * name again.
 */
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "win/nt.h"

#ifndef FILE_OPEN_REPARSE_POINT
#define FILE_OPEN_REPARSE_POINT 0x00200000
#endif
#ifndef FILE_OPEN_FOR_BACKUP_INTENT
#define FILE_OPEN_FOR_BACKUP_INTENT 0x00004000
#endif
#ifndef FILE_SYNCHRONOUS_IO_NONALERT
#define FILE_SYNCHRONOUS_IO_NONALERT 0x00000020
#endif

typedef struct tree {
  unsigned flags;
  slink_tree_cb cb;
  void *ctx;
  uint64_t top_dev;
  int first_error;
  int stop;           /* the callback's nonzero answer */
} tree;

typedef struct node {
  HANDLE h;
  wchar_t *sys_name;  /* the volume-relative name the system gives H */
  size_t sys_len;
} node;

static int report(tree *t, const char *path, slink_kind kind, int error,
                  DWORD os_error) {
  slink_tree_event ev;
  if (error && !t->first_error)
    t->first_error = error;
  if (!t->cb || t->stop)
    return 0;
  ev.path = path;
  ev.path_len = strlen(path);
  ev.kind = kind;
  ev.error = error;
  ev.os_error = (int)os_error;
  t->stop = t->cb(&ev, t->ctx);
  return 0;
}

static int system_name(HANDLE h, wchar_t **out, size_t *len, DWORD *err) {
  size_t size = sizeof(FILE_NAME_INFO) + 65536 * sizeof(wchar_t);
  FILE_NAME_INFO *ni = malloc(size);
  if (!ni)
    return SLINK_ENOMEM;
  if (!GetFileInformationByHandleEx(h, FileNameInfo, ni, (DWORD)size)) {
    *err = GetLastError();
    free(ni);
    return slink__win_error(*err);
  }
  *len = ni->FileNameLength / sizeof(wchar_t);
  *out = malloc((*len + 1) * sizeof **out);
  if (*out) {
    memcpy(*out, ni->FileName, *len * sizeof **out);
    (*out)[*len] = 0;
  }
  free(ni);
  return *out ? 0 : SLINK_ENOMEM;
}

static HANDLE open_child(HANDLE parent, const wchar_t *name, size_t len,
                         DWORD *err) {
  OBJECT_ATTRIBUTES oa;
  UNICODE_STRING us;
  IO_STATUS_BLOCK io;
  HANDLE h = INVALID_HANDLE_VALUE;
  /* What removal needs and no more (issue 13.5): a file another program
   * holds without read sharing still opens. Directories are listed
   * through a second handle. */
  ACCESS_MASK access = DELETE | FILE_READ_ATTRIBUTES | SYNCHRONIZE;
  NTSTATUS st;
  us.Buffer = (PWSTR)name;
  us.Length = (USHORT)(len * sizeof(wchar_t));
  us.MaximumLength = us.Length;
  InitializeObjectAttributes(&oa, &us, OBJ_CASE_INSENSITIVE, parent, NULL);
  st = NtOpenFile(&h, access, &oa, &io,
                  FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
                  FILE_OPEN_REPARSE_POINT | FILE_OPEN_FOR_BACKUP_INTENT |
                      FILE_SYNCHRONOUS_IO_NONALERT);
  if (st < 0) {
    *err = RtlNtStatusToDosError(st);
    return INVALID_HANDLE_VALUE;
  }
  return h;
}

static int same_name(const wchar_t *a, size_t alen, const wchar_t *b,
                     size_t blen) {
  return alen == blen && alen < 0x7fffffff &&
         CompareStringOrdinal(a, (int)alen, b, (int)blen, TRUE) == CSTR_EQUAL;
}

/* Is CHILD (named NAME in PARENT) the entry itself? */
static int is_entry(const node *parent, const node *child, const wchar_t *name,
                    size_t len) {
  size_t plen = parent->sys_len;
  while (plen > 0 && parent->sys_name[plen - 1] == L'\\')
    plen--;
  return child->sys_len == plen + 1 + len &&
         same_name(child->sys_name, plen, parent->sys_name, plen) &&
         child->sys_name[plen] == L'\\' &&
         same_name(child->sys_name + plen + 1, len, name, len);
}

typedef struct names {
  wchar_t **v;
  size_t *len;
  size_t n, cap;
} names;

static void names_free(names *ns) {
  for (size_t i = 0; i < ns->n; i++)
    free(ns->v[i]);
  free(ns->v);
  free(ns->len);
}

static int names_add(names *ns, const wchar_t *s, size_t len) {
  if (ns->n == ns->cap) {
    size_t cap = ns->cap ? ns->cap * 2 : 16;
    wchar_t **v = realloc(ns->v, cap * sizeof *v);
    size_t *l = v ? realloc(ns->len, cap * sizeof *l) : NULL;
    if (v)
      ns->v = v;
    if (!v || !l)
      return SLINK_ENOMEM;
    ns->len = l;
    ns->cap = cap;
  }
  ns->v[ns->n] = malloc((len + 1) * sizeof(wchar_t));
  if (!ns->v[ns->n])
    return SLINK_ENOMEM;
  memcpy(ns->v[ns->n], s, len * sizeof(wchar_t));
  ns->v[ns->n][len] = 0;
  ns->len[ns->n++] = len;
  return 0;
}

/* Every name in the directory H, read before anything is removed. */
static int list(HANDLE h, names *ns, DWORD *err) {
  enum { SIZE = 65536 };
  unsigned char *buf = malloc(SIZE);
  FILE_INFO_BY_HANDLE_CLASS cls = FileIdBothDirectoryRestartInfo;
  int rc = 0;
  if (!buf)
    return SLINK_ENOMEM;
  while (rc == 0 && GetFileInformationByHandleEx(h, cls, buf, SIZE)) {
    size_t off = 0;
    cls = FileIdBothDirectoryInfo;
    for (;;) {
      FILE_ID_BOTH_DIR_INFO *fi = (FILE_ID_BOTH_DIR_INFO *)(buf + off);
      size_t len = fi->FileNameLength / sizeof(wchar_t);
      int dot = (len == 1 && fi->FileName[0] == L'.') ||
                (len == 2 && fi->FileName[0] == L'.' &&
                 fi->FileName[1] == L'.');
      if (!dot && (rc = names_add(ns, fi->FileName, len)) < 0)
        break;
      if (!fi->NextEntryOffset)
        break;
      off += fi->NextEntryOffset;
    }
  }
  if (rc == 0 && GetLastError() != ERROR_NO_MORE_FILES) {
    *err = GetLastError();
    rc = slink__win_error(*err);
  }
  free(buf);
  return rc;
}

static char *join(const char *dir, const wchar_t *name, size_t len) {
  char *u, *r;
  size_t dl = strlen(dir), ul;
  if (slink__win_to_utf8(name, len, &u, &ul) < 0)
    return NULL;
  r = malloc(dl + ul + 2);
  if (r) {
    memcpy(r, dir, dl);
    r[dl] = '\\';
    memcpy(r + dl + 1, u, ul + 1);
  }
  free(u);
  return r;
}


/* Remove NAME in PARENT and all below it. 1 when it is gone (or would
 * be, in a dry run), 0 when it stays (its failure already reported). */
static int remove_entry(tree *t, const node *parent, const wchar_t *name,
                        size_t len, const char *path, int top) {
  BY_HANDLE_FILE_INFORMATION fi;
  node self = {INVALID_HANDLE_VALUE, NULL, 0};
  slink__stat st;
  slink_kind kind = SLINK_KIND_NONE;
  DWORD err = 0;
  int gone = 0, rc;
  self.h = open_child(parent->h, name, len, &err);
  if (self.h == INVALID_HANDLE_VALUE) {
    rc = slink__win_error(err);
    /* Gone since it was listed: nothing left to do. */
    if (rc == SLINK_ENOENT && !top)
      return 1;
    return report(t, path, kind, rc, err);
  }
  if ((rc = slink__win_handle_stat(self.h, &st, &err)) < 0 ||
      !GetFileInformationByHandle(self.h, &fi) ||
      (rc = system_name(self.h, &self.sys_name, &self.sys_len, &err)) < 0) {
    if (rc == 0) {
      err = GetLastError();
      rc = slink__win_error(err);
    }
    report(t, path, kind, rc, err);
    goto done;
  }
  kind = st.kind;
  if (top)
    t->top_dev = st.dev;
  if (!is_entry(parent, &self, name, len)) {
    /* The system opened something else than the entry: a link it
     * follows whatever it is asked (Wine). */
    report(t, path, SLINK_KIND_REPARSE, SLINK_ENODATA, 0);
    goto done;
  }
  if (slink_kind_is_link(st.kind)) {
    unsigned char *buf;
    size_t blen;
    if (slink__win_get_reparse(self.h, &buf, &blen, &err) < 0) {
      report(t, path, kind, SLINK_ENODATA, err);
      goto done;
    }
    free(buf);
  } else if (st.kind == SLINK_KIND_DIR) {
    names ns = {NULL, NULL, 0, 0};
    int all = 1;
    if ((t->flags & SLINK_TREE_ONE_FS) && st.dev != t->top_dev) {
      report(t, path, kind, SLINK_EOTHERFS, 0);
      goto done;
    }
    HANDLE lh = INVALID_HANDLE_VALUE;
    DWORD le = slink__nt_open(self.h, L"", 0,
                              FILE_LIST_DIRECTORY | SYNCHRONIZE,
                              FILE_DIRECTORY_FILE | FILE_OPEN_REPARSE_POINT,
                              FILE_OPEN, &lh);
    if (le) {
      err = le;
      rc = slink__win_error(le);
    } else {
      rc = list(lh, &ns, &err);
      CloseHandle(lh);
    }
    if (rc < 0) {
      names_free(&ns);
      report(t, path, kind, rc, err);
      goto done;
    }
    for (size_t i = 0; i < ns.n && !t->stop; i++) {
      char *child = join(path, ns.v[i], ns.len[i]);
      if (!child) {
        report(t, path, kind, SLINK_ENOMEM, 0);
        all = 0;
        break;
      }
      all &= remove_entry(t, &self, ns.v[i], ns.len[i], child, 0);
      free(child);
    }
    names_free(&ns);
    if (!all || t->stop)
      goto done;
  }
  if (!(t->flags & SLINK_TREE_DRY_RUN) &&
      (rc = slink__win_delete_handle(self.h, &err)) < 0) {
    report(t, path, kind, rc, err);
    goto done;
  }
  gone = 1;
  if (t->flags & (SLINK_TREE_DRY_RUN | SLINK_TREE_VERBOSE))
    report(t, path, kind, 0, 0);
done:
  CloseHandle(self.h);
  free(self.sys_name);
  return gone;
}

/* "C:" alone, or any name with a separator or a stream's colon, is not
 * one entry of a directory. */
static int check_top_name(const wchar_t *w, size_t len) {
  if (len == 2 && w[1] == L':')
    return SLINK_EISROOT;
  for (size_t i = 0; i < len; i++)
    if (w[i] == L':' || w[i] == L'\\' || w[i] == L'/')
      return SLINK_EINVAL;
  return slink__win_check_name(w, len);
}

int slink__os_remove_tree(const char *parent, const char *name,
                          const char *display, unsigned flags,
                          slink_tree_cb cb, void *ctx) {
  tree t = {flags, cb, ctx, 0, 0, 0};
  node top = {INVALID_HANDLE_VALUE, NULL, 0};
  wchar_t *wparent = NULL, *wname = NULL;
  size_t nlen = 0;
  DWORD err = 0;
  int rc = slink__win_to_utf16(name, strlen(name), &wname, &nlen);
  if (rc == 0)
    rc = check_top_name(wname, nlen);
  if (rc == 0)
    rc = slink__win_path(parent, &wparent);
  if (rc == 0) {
    top.h = CreateFileW(wparent,
                        FILE_LIST_DIRECTORY | FILE_READ_ATTRIBUTES |
                            SYNCHRONIZE,
                        FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
                        NULL, OPEN_EXISTING, FILE_FLAG_BACKUP_SEMANTICS, NULL);
    if (top.h == INVALID_HANDLE_VALUE) {
      err = GetLastError();
      rc = slink__win_error(err);
    }
  }
  if (rc == 0)
    rc = system_name(top.h, &top.sys_name, &top.sys_len, &err);
  if (rc < 0)
    report(&t, display, SLINK_KIND_NONE, rc, err);
  else
    remove_entry(&t, &top, wname, nlen, display, 1);
  if (top.h != INVALID_HANDLE_VALUE)
    CloseHandle(top.h);
  free(top.sys_name);
  free(wparent);
  free(wname);
  return t.stop ? t.stop : t.first_error;
}
