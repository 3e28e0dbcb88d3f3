/* copy.c - the file-level calls of clone and move (sys.h, "File copies")
 * on Windows: not written yet. Each answers SLINK_ENOTSUP so that clone
 * and move fail with a clear reason rather than half-work; the native
 * version (CopyFileExW without following, security descriptors,
 * alternate data streams, FlushFileBuffers, GetDiskFreeSpaceExW) goes
 * here. */
#include "sys.h"

int slink__os_f_open(slink__h *dir, const char *name,
                     const slink__stat *expect, slink__file **out,
                     slink__stat *st, int *os_err) {
  (void)dir, (void)name, (void)expect, (void)out, (void)st, (void)os_err;
  return SLINK_ENOTSUP;
}

int slink__os_f_create(slink__h *dir, const char *name, uint32_t mode,
                       slink__file **out, int *os_err) {
  (void)dir, (void)name, (void)mode, (void)out, (void)os_err;
  return SLINK_ENOTSUP;
}

int slink__os_f_read(slink__file *f, void *buf, size_t n, size_t *got,
                     int *os_err) {
  (void)f, (void)buf, (void)n, (void)got, (void)os_err;
  return SLINK_ENOTSUP;
}

int slink__os_f_write(slink__file *f, const void *buf, size_t n,
                      int *os_err) {
  (void)f, (void)buf, (void)n, (void)os_err;
  return SLINK_ENOTSUP;
}

int slink__os_f_copy(slink__file *from, slink__file *to, uint64_t *copied,
                     int *os_err) {
  (void)from, (void)to, (void)copied, (void)os_err;
  return SLINK_ENOTSUP;
}

int slink__os_f_reflink(slink__file *from, slink__file *to, int *os_err) {
  (void)from, (void)to, (void)os_err;
  return SLINK_ENOTSUP;
}

int slink__os_f_sync(slink__file *f, int *os_err) {
  (void)f, (void)os_err;
  return SLINK_ENOTSUP;
}

void slink__os_f_close(slink__file *f) { (void)f; }

int slink__os_f_set_meta(slink__file *f, const slink__stat *st,
                         unsigned what, int *os_err) {
  (void)f, (void)st, (void)what, (void)os_err;
  return SLINK_ENOTSUP;
}

int slink__os_h_set_meta(slink__h *dir, const char *name,
                         const slink__stat *st, unsigned what, int *os_err) {
  (void)dir, (void)name, (void)st, (void)what, (void)os_err;
  return SLINK_ENOTSUP;
}

int slink__os_f_copy_xattrs(slink__file *from, slink__file *to,
                            int *os_err) {
  (void)from, (void)to, (void)os_err;
  return SLINK_ENOTSUP;
}

int slink__os_h_copy_xattrs(slink__h *from, slink__h *to, int *os_err) {
  (void)from, (void)to, (void)os_err;
  return SLINK_ENOTSUP;
}

int slink__os_h_sync(slink__h *dir, int *os_err) {
  (void)dir, (void)os_err;
  return SLINK_ENOTSUP;
}

int slink__os_h_free_space(slink__h *dir, uint64_t *bytes, int *os_err) {
  (void)dir, (void)bytes, (void)os_err;
  return SLINK_ENOTSUP;
}

int slink__os_h_mkfifo(slink__h *dir, const char *name, uint32_t mode,
                       int *os_err) {
  (void)dir, (void)name, (void)mode, (void)os_err;
  return SLINK_ENOTSUP;
}
