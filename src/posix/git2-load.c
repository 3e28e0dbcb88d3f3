/* git2-load.c - libgit2, loaded the first time slink convert reads a Git
 * index instead of at every start: linked, it and the dozen libraries it
 * pulls in (TLS, Kerberos, SSH) cost each command about 3.5 ms and 3.4 MiB
 * before main, for a library one command uses. The few functions
 * fake-git.c calls are defined here under libgit2's own names and forward
 * to the library's; the version script keeps them out of libslink's
 * exports. Every call but git_libgit2_init is made only after it
 * succeeded. */
#include <dlfcn.h>
#include <pthread.h>
#include <stddef.h>

#include <git2.h>

#ifndef SLINK_LIBGIT2_SONAME
#error "meson.build names the library to load"
#endif

static struct {
  int (*init)(void);
  int (*shutdown)(void);
  int (*index_add)(git_index *, const git_index_entry *);
  void (*index_free)(git_index *);
  const git_index_entry *(*index_get_bypath)(git_index *, const char *, int);
  int (*index_write)(git_index *);
  int (*odb_hash)(git_oid *, const void *, size_t, git_object_t);
  int (*oid_equal)(const git_oid *, const git_oid *);
  void (*repository_free)(git_repository *);
  int (*repository_index)(git_index **, git_repository *);
  int (*repository_open_ext)(git_repository **, const char *, unsigned int,
                             const char *);
  const char *(*repository_workdir)(const git_repository *);
} fn;

static pthread_once_t once = PTHREAD_ONCE_INIT;
static int loaded;

/* ISO C has no conversion from an object pointer to a function pointer:
 * the symbol's address is copied into the pointer's bytes instead. */
static int sym(void *lib, const char *name, void *slot, size_t size) {
  void *p = dlsym(lib, name);
  if (!p || size != sizeof p)
    return 0;
  unsigned char *dst = slot, *src = (unsigned char *)&p;
  for (size_t i = 0; i < size; i++)
    dst[i] = src[i];
  return 1;
}

#define SYM(lib, name, field) sym(lib, name, &fn.field, sizeof fn.field)

static void load(void) {
  void *lib = dlopen(SLINK_LIBGIT2_SONAME, RTLD_NOW | RTLD_LOCAL);
  if (!lib)
    return;
  loaded = SYM(lib, "git_libgit2_init", init) &&
           SYM(lib, "git_libgit2_shutdown", shutdown) &&
           SYM(lib, "git_index_add", index_add) &&
           SYM(lib, "git_index_free", index_free) &&
           SYM(lib, "git_index_get_bypath", index_get_bypath) &&
           SYM(lib, "git_index_write", index_write) &&
           SYM(lib, "git_odb_hash", odb_hash) &&
           SYM(lib, "git_oid_equal", oid_equal) &&
           SYM(lib, "git_repository_free", repository_free) &&
           SYM(lib, "git_repository_index", repository_index) &&
           SYM(lib, "git_repository_open_ext", repository_open_ext) &&
           SYM(lib, "git_repository_workdir", repository_workdir);
  /* The library stays loaded for the rest of the process. */
}

int git_libgit2_init(void) {
  pthread_once(&once, load);
  return loaded ? fn.init() : -1;
}
int git_libgit2_shutdown(void) { return fn.shutdown(); }
int git_index_add(git_index *index, const git_index_entry *e) {
  return fn.index_add(index, e);
}
void git_index_free(git_index *index) { fn.index_free(index); }
const git_index_entry *git_index_get_bypath(git_index *index,
                                            const char *path, int stage) {
  return fn.index_get_bypath(index, path, stage);
}
int git_index_write(git_index *index) { return fn.index_write(index); }
int git_odb_hash(git_oid *out, const void *data, size_t len,
                 git_object_t type) {
  return fn.odb_hash(out, data, len, type);
}
int git_oid_equal(const git_oid *a, const git_oid *b) {
  return fn.oid_equal(a, b);
}
void git_repository_free(git_repository *repo) { fn.repository_free(repo); }
int git_repository_index(git_index **out, git_repository *repo) {
  return fn.repository_index(out, repo);
}
int git_repository_open_ext(git_repository **out, const char *path,
                            unsigned int flags, const char *ceiling_dirs) {
  return fn.repository_open_ext(out, path, flags, ceiling_dirs);
}
const char *git_repository_workdir(const git_repository *repo) {
  return fn.repository_workdir(repo);
}
