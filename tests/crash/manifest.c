/* manifest.c - the crash test's manifest of a tree, written as
 * move_crash.py's manifest() writes it (names as Python writes bytes), so
 * that the two can be compared line for line, at the cost of the system
 * calls alone: the crash test reads the 170k-file tree twice per kill.
 *
 * manifest ROOT ALIAS: one line per entry below ROOT, names sorted at
 * each level; a link's target at or below ALIAS written ROOT/...; a file
 * with more names named by the first path of its group. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <nettle/sha2.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *alias;
static size_t alias_len;

/* The files of more than one name: (dev, ino) -> the first path. */
typedef struct {
  dev_t dev;
  ino_t ino;
  char *path;
} first_t;
static first_t *firsts;
static size_t nfirst, capfirst;

static void die(const char *what, const char *path) {
  fprintf(stderr, "manifest: %s: %s: %s\n", what, path, strerror(errno));
  exit(2);
}

static void *grow(void *p, size_t n) {
  void *q = realloc(p, n);
  if (!q) {
    fputs("manifest: out of memory\n", stderr);
    exit(2);
  }
  return q;
}

/* Python's repr() of a bytes object. */
static void repr(const char *s, size_t n) {
  int q = '\'';
  if (memchr(s, '\'', n) && !memchr(s, '"', n))
    q = '"';
  putchar('b');
  putchar(q);
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c == q || c == '\\')
      printf("\\%c", c);
    else if (c == '\t')
      fputs("\\t", stdout);
    else if (c == '\n')
      fputs("\\n", stdout);
    else if (c == '\r')
      fputs("\\r", stdout);
    else if (c < 0x20 || c >= 0x7f)
      printf("\\x%02x", c);
    else
      putchar(c);
  }
  putchar(q);
}

static const char *group_of(const struct stat *st, const char *rel) {
  for (size_t i = 0; i < nfirst; i++)
    if (firsts[i].dev == st->st_dev && firsts[i].ino == st->st_ino)
      return firsts[i].path;
  if (nfirst == capfirst) {
    capfirst = capfirst ? 2 * capfirst : 1024;
    firsts = grow(firsts, capfirst * sizeof *firsts);
  }
  char *p = strdup(rel);
  if (!p)
    die("strdup", rel);
  firsts[nfirst++] = (first_t){st->st_dev, st->st_ino, p};
  return p;
}

static int open_file(int dir, const char *name, const char *rel) {
  int fd = openat(dir, name, O_RDONLY | O_NOFOLLOW | O_NOATIME);
  if (fd < 0 && errno == EPERM)
    fd = openat(dir, name, O_RDONLY | O_NOFOLLOW);
  if (fd < 0)
    die("open", rel);
  return fd;
}

static void hash(int fd, const char *rel, char hex[65]) {
  struct sha256_ctx ctx;
  sha256_init(&ctx);
  static uint8_t buf[1 << 16];
  ssize_t got;
  while ((got = read(fd, buf, sizeof buf)) > 0)
    sha256_update(&ctx, (size_t)got, buf);
  if (got < 0)
    die("read", rel);
  close(fd);
  uint8_t d[SHA256_DIGEST_SIZE];
  sha256_digest(&ctx, sizeof d, d);
  for (int i = 0; i < SHA256_DIGEST_SIZE; i++)
    sprintf(hex + 2 * i, "%02x", d[i]);
}

static int by_name(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static void walk(int dir, const char *rel) {
  DIR *d = fdopendir(dir);
  if (!d)
    die("fdopendir", rel);
  char **names = NULL;
  size_t n = 0, cap = 0;
  struct dirent *e;
  while ((errno = 0, e = readdir(d))) {
    if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
      continue;
    if (n == cap) {
      cap = cap ? 2 * cap : 64;
      names = grow(names, cap * sizeof *names);
    }
    if (!(names[n++] = strdup(e->d_name)))
      die("strdup", rel);
  }
  if (errno)
    die("readdir", rel);
  qsort(names, n, sizeof *names, by_name);
  size_t rl = strlen(rel);
  /* The tree sits on a loop device: a file read waits for its worker, so
   * the next AHEAD files are stated, opened and asked for ahead
   * (POSIX_FADV_WILLNEED starts their reads without waiting for them). */
  enum { AHEAD = 64 };
  struct stat *sts = grow(NULL, (n ? n : 1) * sizeof *sts);
  int *fds = grow(NULL, (n ? n : 1) * sizeof *fds);
  size_t ahead = 0;
  for (size_t i = 0; i < n; i++) {
    size_t nl = strlen(names[i]);
    char *r = grow(NULL, rl + nl + 2);
    if (rl)
      sprintf(r, "%s/%s", rel, names[i]);
    else
      strcpy(r, names[i]);
    for (; ahead < n && ahead < i + AHEAD; ahead++) {
      fds[ahead] = -1;
      if (fstatat(dirfd(d), names[ahead], &sts[ahead], AT_SYMLINK_NOFOLLOW) < 0)
        die("lstat", names[ahead]);
      if (S_ISREG(sts[ahead].st_mode)) {
        fds[ahead] = open_file(dirfd(d), names[ahead], names[ahead]);
        (void)posix_fadvise(fds[ahead], 0, 0, POSIX_FADV_WILLNEED);
      }
    }
    struct stat st = sts[i];
    size_t len = strlen(r);
    repr(r, len);
    if (S_ISLNK(st.st_mode)) {
      char *t = grow(NULL, (size_t)st.st_size + 2);
      ssize_t tl = readlinkat(dirfd(d), names[i], t, (size_t)st.st_size + 1);
      if (tl < 0)
        die("readlink", r);
      fputs(" l ", stdout);
      if ((size_t)tl >= alias_len && !memcmp(t, alias, alias_len) &&
          ((size_t)tl == alias_len || t[alias_len] == '/')) {
        char *u = grow(NULL, (size_t)tl - alias_len + 5);
        memcpy(u, "ROOT", 4);
        memcpy(u + 4, t + alias_len, (size_t)tl - alias_len);
        repr(u, (size_t)tl - alias_len + 4);
        free(u);
      } else {
        repr(t, (size_t)tl);
      }
      free(t);
      putchar('\n');
    } else if (S_ISDIR(st.st_mode)) {
      printf(" d %o %u:%u\n", (unsigned)st.st_mode, (unsigned)st.st_uid,
             (unsigned)st.st_gid);
      int sub = openat(dirfd(d), names[i],
                       O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
      if (sub < 0)
        die("open", r);
      walk(sub, r);
    } else if (S_ISREG(st.st_mode)) {
      char hex[65];
      hash(fds[i], r, hex);
      printf(" f %o %u:%u %lld %lld %s ", (unsigned)st.st_mode,
             (unsigned)st.st_uid, (unsigned)st.st_gid,
             (long long)st.st_size,
             (long long)st.st_mtim.tv_sec * 1000000000LL + st.st_mtim.tv_nsec,
             hex);
      const char *g = st.st_nlink > 1 ? group_of(&st, r) : r;
      repr(g, strlen(g));
      putchar('\n');
    } else {
      printf(" s %o %u:%u\n", (unsigned)st.st_mode, (unsigned)st.st_uid,
             (unsigned)st.st_gid);
    }
    free(r);
    free(names[i]);
  }
  free(sts);
  free(fds);
  free(names);
  closedir(d);
}

int main(int argc, char **argv) {
  if (argc != 3) {
    fputs("usage: manifest ROOT ALIAS\n", stderr);
    return 2;
  }
  alias = argv[2];
  alias_len = strlen(alias);
  int root = open(argv[1], O_RDONLY | O_DIRECTORY);
  if (root < 0)
    die("open", argv[1]);
  walk(root, "");
  if (fflush(stdout) != 0)
    die("write", "stdout");
  return 0;
}
