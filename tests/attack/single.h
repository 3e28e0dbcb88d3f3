/* single.h - the playground of the single-path attack tests (rm LINK,
 * make, make -f). W/p is the directory the operand is in; W/q is another
 * directory holding a victim of the same name; W/s is a link to q, which
 * an attacker exchanges with p so that W/p/NAME names q's entry. Inside p,
 * the victim f is a regular file with a single name that an attacker
 * exchanges with the link. */
#ifndef SLINK_TEST_ATTACK_SINGLE_H
#define SLINK_TEST_ATTACK_SINGLE_H

#include <stddef.h>

#define VICTIM "victim data\n"

/* A fresh work directory (tmpfs where there is one); its path. */
const char *single_workdir(void);
void single_cleanup(void);

/* W/p and W/q empty, W/s -> q (p and s exchanged back if needed). */
void single_reset(const char *w);
/* W/X (X relative to W) as a path. */
const char *single_at(const char *w, const char *x);
/* The real directory p, whichever name it has now (W/p or W/s). */
const char *single_real_p(const char *w);

void single_write(const char *path, const char *data);
/* Nonzero when PATH is a regular file with one name holding VICTIM. */
int single_is_victim(const char *path);
/* Nonzero when PATH is a symbolic link storing TARGET. */
int single_is_link(const char *path, const char *target);
/* How many names in DIR have slink's temporary pattern (the victim or the
 * old link "old", moved onto one by an attacker in the same directory, is
 * not counted: slink leaves what is not its own alone). */
int single_temps(const char *dir);
/* How many names in DIR hold the victim. */
int single_victim_in(const char *dir);
/* Exchange two paths (renameat2 RENAME_EXCHANGE); 0 or -1. */
int single_exchange(const char *a, const char *b);

#endif
