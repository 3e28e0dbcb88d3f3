/*
 * regress.c - runs a fuzz target once over every file of the corpus
 * directories given as arguments, without libFuzzer, so that `meson test`
 * keeps each input the fuzzer ever kept from regressing. Prints TAP.
 */
#include <dirent.h>
#include <string.h>

#include "fuzz.h"

static int run_file(const char *path) {
  FILE *f = fopen(path, "rb");
  unsigned char *buf = NULL;
  size_t len = 0, cap = 0;
  if (!f)
    return -1;
  for (;;) {
    if (len == cap) {
      unsigned char *nb = realloc(buf, cap = cap ? 2 * cap : 4096);
      if (!nb) {
        free(buf);
        fclose(f);
        return -1;
      }
      buf = nb;
    }
    size_t n = fread(buf + len, 1, cap - len, f);
    if (n == 0)
      break;
    len += n;
  }
  fclose(f);
  LLVMFuzzerTestOneInput(buf, len);
  free(buf);
  return 0;
}

int main(int argc, char **argv) {
  int count = 0, bad = 0;
  for (int i = 1; i < argc; i++) {
    DIR *d = opendir(argv[i]);
    struct dirent *e;
    if (!d) {
      printf("not ok %d - cannot open %s\n", ++count, argv[i]);
      bad = 1;
      continue;
    }
    while ((e = readdir(d))) {
      size_t n = strlen(argv[i]) + strlen(e->d_name) + 2;
      char *path;
      int rc;
      if (e->d_name[0] == '.')
        continue;
      path = malloc(n);
      if (!path)
        return 1;
      snprintf(path, n, "%s/%s", argv[i], e->d_name);
      rc = run_file(path);
      free(path);
      if (rc < 0) {
        printf("not ok %d - %s unreadable\n", ++count, e->d_name);
        bad = 1;
      } else {
        printf("ok %d - %s\n", ++count, e->d_name);
      }
    }
    closedir(d);
  }
  if (count == 0) {
    printf("not ok 1 - empty corpus\n");
    count = bad = 1;
  }
  printf("1..%d\n", count);
  return bad;
}
