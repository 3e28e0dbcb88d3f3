/* shape_driver.c - runs one removal between two marker calls, for
 * shape.sh to read the system calls in between under strace:
 *   shape-driver slink|naive PATH */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "naive.h"
#include "slink.h"

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: shape-driver slink|naive PATH\n");
    return 2;
  }
  int naive = strcmp(argv[1], "naive") == 0;
  /* The markers: calls that fail harmlessly and are easy to find. */
  (void)access("slink-shape-begin", F_OK);
  int rc = naive ? naive_remove_tree(argv[2], 0, NULL, NULL)
                 : slink_remove_tree(argv[2], 0, NULL, NULL);
  (void)access("slink-shape-end", F_OK);
  return rc == 0 ? 0 : 1;
}
