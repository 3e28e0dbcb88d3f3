/* single.c - see single.h. */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/internal.h"
#include "single.h"

static char work[512];

const char *single_workdir(void) {
  const char *bases[] = {"/dev/shm", getenv("TMPDIR"), "/tmp"};
  for (size_t i = 0; i < sizeof bases / sizeof bases[0]; i++) {
    if (!bases[i])
      continue;
    snprintf(work, sizeof work, "%s/slink-single.XXXXXX", bases[i]);
    if (mkdtemp(work))
      return work;
  }
  return NULL;
}

static void rm_rf(const char *path) {
  struct stat sb;
  if (lstat(path, &sb) != 0)
    return;
  if (S_ISDIR(sb.st_mode)) {
    DIR *d = opendir(path);
    struct dirent *e;
    while (d && (e = readdir(d)) != NULL) {
      if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
        continue;
      char sub[1024];
      snprintf(sub, sizeof sub, "%s/%s", path, e->d_name);
      rm_rf(sub);
    }
    if (d)
      closedir(d);
    rmdir(path);
  } else {
    unlink(path);
  }
}

void single_cleanup(void) {
  if (work[0])
    rm_rf(work);
  work[0] = '\0';
}

const char *single_at(const char *w, const char *x) {
  static char buf[4][600];
  static int next;
  char *b = buf[next++ & 3];
  snprintf(b, sizeof buf[0], "%s/%s", w, x);
  return b;
}

const char *single_real_p(const char *w) {
  struct stat sb;
  return lstat(single_at(w, "p"), &sb) == 0 && S_ISDIR(sb.st_mode)
             ? single_at(w, "p") : single_at(w, "s");
}

void single_reset(const char *w) {
  struct stat sb;
  if (lstat(single_at(w, "p"), &sb) == 0 && S_ISLNK(sb.st_mode))
    single_exchange(single_at(w, "p"), single_at(w, "s"));
  rm_rf(single_at(w, "p"));
  rm_rf(single_at(w, "q"));
  rm_rf(single_at(w, "s"));
  mkdir(single_at(w, "p"), 0755);
  mkdir(single_at(w, "q"), 0755);
  if (symlink("q", single_at(w, "s")) != 0)
    perror("symlink");
}

void single_write(const char *path, const char *data) {
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0)
    return;
  if (write(fd, data, strlen(data)) < 0)
    perror("write");
  close(fd);
}

int single_is_victim(const char *path) {
  struct stat sb;
  if (lstat(path, &sb) != 0 || !S_ISREG(sb.st_mode) || sb.st_nlink != 1)
    return 0;
  char buf[64];
  int fd = open(path, O_RDONLY);
  if (fd < 0)
    return 0;
  ssize_t n = read(fd, buf, sizeof buf);
  close(fd);
  return n == (ssize_t)strlen(VICTIM) && memcmp(buf, VICTIM, (size_t)n) == 0;
}

int single_is_link(const char *path, const char *target) {
  char buf[256];
  ssize_t n = readlink(path, buf, sizeof buf);
  return n == (ssize_t)strlen(target) && memcmp(buf, target, (size_t)n) == 0;
}

int single_temps(const char *dir) {
  DIR *d = opendir(dir);
  int n = 0;
  struct dirent *e;
  while (d && (e = readdir(d)) != NULL) {
    if (!slink__is_temp_name(e->d_name, strlen(e->d_name)))
      continue;
    /* What an attacker in the same directory moved onto slink's
     * temporary name (the victim, or the old link that was to be
     * replaced) is not slink's to remove: it stays there, whole. */
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
    n += !single_is_victim(path) && !single_is_link(path, "old");
  }
  if (d)
    closedir(d);
  return n;
}

int single_victim_in(const char *dir) {
  DIR *d = opendir(dir);
  int n = 0;
  struct dirent *e;
  while (d && (e = readdir(d)) != NULL) {
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
    n += single_is_victim(path);
  }
  if (d)
    closedir(d);
  return n;
}

int single_exchange(const char *a, const char *b) {
  return renameat2(AT_FDCWD, a, AT_FDCWD, b, RENAME_EXCHANGE);
}
