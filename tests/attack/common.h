/* common.h - the playground of the attack tests: a tree to remove and,
 * beside it, an "outside" directory whose files must all survive. The
 * outside holds the same names as tree/a, so a removal that follows a
 * link from tree/a into it finds something to delete. */
#ifndef SLINK_TEST_ATTACK_COMMON_H
#define SLINK_TEST_ATTACK_COMMON_H

#include <stddef.h>

/* A fresh, empty work directory (a tmpfs when there is one: the tests
 * make and remove thousands of directories). Returns its path. */
const char *attack_workdir(void);
/* Remove the work directory and everything in it. */
void attack_cleanup(void);

/* W/tree = {f1, a/{g1, g2, b/{h1}}, c/{i1}} and W/outside = {keep, g1, g2,
 * b/{h1}}; every directory 0755. */
void attack_make(const char *w);
/* Only W/tree, for a new round (W/outside is left as it is). */
void attack_make_tree(const char *w);
/* Nonzero when every file of W/outside is there with its content and the
 * directory kept its mode 0755. */
int attack_outside_intact(const char *w);
/* The first LEN - 1 bytes of PATH into BUF, as a string: how the tests
 * tell their small files apart. 0 when PATH cannot be opened. */
int attack_head(const char *path, char *buf, size_t len);
/* Put W/outside back as attack_make() made it. */
void attack_restore_outside(const char *w);

#endif
