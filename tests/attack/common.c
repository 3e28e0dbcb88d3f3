/* common.c - the playground of the attack tests (see common.h). */
#include "common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char workdir[512];

const char *attack_workdir(void) {
  if (workdir[0])
    attack_cleanup();
  const char *bases[] = {"/dev/shm", getenv("TMPDIR"), "/tmp"};
  for (size_t i = 0; i < sizeof bases / sizeof *bases; i++) {
    if (!bases[i])
      continue;
    snprintf(workdir, sizeof workdir, "%s/slink-attack-XXXXXX", bases[i]);
    if (mkdtemp(workdir) && chmod(workdir, 0755) == 0)
      return workdir;
  }
  workdir[0] = '\0';
  return NULL;
}

void attack_cleanup(void) {
  if (!workdir[0])
    return;
  char cmd[1200];
  snprintf(cmd, sizeof cmd, "chmod -R u+rwx '%s' 2>/dev/null; rm -rf '%s'",
           workdir, workdir);
  if (system(cmd) != 0)
    fprintf(stderr, "# could not remove %s\n", workdir);
  workdir[0] = '\0';
}

static void put(const char *w, const char *rel, const char *text) {
  char p[600];
  snprintf(p, sizeof p, "%s/%s", w, rel);
  FILE *f = fopen(p, "w");
  if (!f) {
    perror(p);
    abort();
  }
  fputs(text, f);
  fclose(f);
}

static void dir(const char *w, const char *rel) {
  char p[600];
  snprintf(p, sizeof p, "%s/%s", w, rel);
  if (mkdir(p, 0755) != 0) {
    perror(p);
    abort();
  }
  chmod(p, 0755);
}

void attack_make_tree(const char *w) {
  dir(w, "tree");
  put(w, "tree/f1", "f1\n");
  dir(w, "tree/a");
  put(w, "tree/a/g1", "tree g1\n");
  put(w, "tree/a/g2", "tree g2\n");
  dir(w, "tree/a/b");
  put(w, "tree/a/b/h1", "tree h1\n");
  dir(w, "tree/c");
  put(w, "tree/c/i1", "i1\n");
}

void attack_restore_outside(const char *w) {
  char cmd[700];
  snprintf(cmd, sizeof cmd, "rm -rf '%s/outside'", w);
  if (system(cmd) != 0)
    abort();
  dir(w, "outside");
  put(w, "outside/keep", "keep\n");
  put(w, "outside/g1", "outside g1\n");
  put(w, "outside/g2", "outside g2\n");
  dir(w, "outside/b");
  put(w, "outside/b/h1", "outside h1\n");
}

void attack_make(const char *w) {
  attack_make_tree(w);
  attack_restore_outside(w);
}

int attack_head(const char *path, char *buf, size_t len) {
  FILE *f = fopen(path, "rb");
  if (!f)
    return 0;
  size_t n = fread(buf, 1, len - 1, f);
  fclose(f);
  buf[n] = '\0';
  return 1;
}

static int has(const char *w, const char *rel, const char *text) {
  char p[600], buf[64];
  snprintf(p, sizeof p, "%s/%s", w, rel);
  return attack_head(p, buf, sizeof buf) && strcmp(buf, text) == 0;
}

int attack_outside_intact(const char *w) {
  char p[600];
  struct stat st;
  snprintf(p, sizeof p, "%s/outside", w);
  if (lstat(p, &st) != 0 || !S_ISDIR(st.st_mode) || (st.st_mode & 07777) != 0755)
    return 0;
  return has(w, "outside/keep", "keep\n") &&
         has(w, "outside/g1", "outside g1\n") &&
         has(w, "outside/g2", "outside g2\n") &&
         has(w, "outside/b/h1", "outside h1\n");
}
