/* persona-ln.h - what the parts of the GNU ln personality share. */
#ifndef SLINK_CLI_PERSONA_LN_H
#define SLINK_CLI_PERSONA_LN_H

#include <stddef.h>
#include <stdint.h>

#include "slink.h"

typedef enum {
  LN_BACKUP_NONE = 0,
  LN_BACKUP_SIMPLE,
  LN_BACKUP_EXISTING,   /* numbered if numbered backups exist, else simple */
  LN_BACKUP_NUMBERED
} ln_backup;

/* A name this run made as a hard link: it is never replaced again. */
typedef struct ln_made {
  char *path;
  uint64_t dev, ino;
} ln_made;

typedef struct ln_ctx {
  const char *prog;          /* argv[0] as typed, as GNU prints it */
  int symbolic, force, interactive, no_deref, no_target_dir, relative;
  int logical, verbose, hard_dir, make_backups;
  int fallback;              /* --fallback (slink's addition) */
  const char *backup_arg;    /* --backup=CONTROL, NULL when not given */
  const char *suffix;        /* -S, NULL when not given */
  const char *target_dir;    /* -t, or the last operand when a directory */
  ln_backup backup;
  const char *simple_suffix;
  int utf8;                  /* quote as in a UTF-8 locale */
  int dest_set;              /* GNU notes the names it hard-links */
  ln_made *made;
  size_t made_count, made_cap;
} ln_ctx;

/* What stat()/lstat() would say, learnt through slink_read(). */
typedef struct ln_stat {
  slink_kind kind;
  uint64_t dev, ino, nlink;
  char *resolved;            /* followed links: where they led, else NULL */
} ln_stat;

/* Describe PATH, following a final link when FOLLOW (or when PATH ends in
 * a slash, as the system does). Returns 0 or an SLINK_E... code. */
int ln_stat_path(const char *path, int follow, ln_stat *st);
void ln_stat_free(ln_stat *st);

/* "The link was not tried yet", for ln_link(). */
#define LN_UNTRIED (-1000000)

/* Make the link DEST to SOURCE (one operand, GNU's do_link), acting on AT
 * (DEST in the target directory looked up once). LINK_ERRNO: LN_UNTRIED,
 * or what a first try gave (0 made, an errno, an SLINK_E... code).
 * 0 or 1. */
int ln_link(ln_ctx *c, const char *source, const char *dest, const char *at,
            int link_errno);
/* The first try of GNU's atomic_link(): 0, an error, or LN_UNTRIED. */
int ln_try_link(ln_ctx *c, const char *source, const char *at);

/* ---- -r (persona-ln-rel.c) ---- */
/* NAME with every link followed and missing parts kept, absolute
 * (GNU's canonicalize_filename_mode with CAN_MISSING); NULL on failure. */
char *ln_canonical(const char *name);
/* SOURCE written relative to DEST's directory, as ln -r stores it. */
char *ln_relative(const char *source, const char *dest);

/* ---- backups (persona-ln-backup.c) ---- */
/* Parse CONTROL (abbreviations allowed); WHAT names it in messages
 * ("backup type" or "$VERSION_CONTROL"). Prints GNU's complaint and
 * returns -1 when it is invalid or ambiguous. */
int ln_backup_parse(ln_ctx *c, const char *control, const char *what,
                    ln_backup *out);
/* Choose backups and suffix from the options and the environment. */
int ln_backup_setup(ln_ctx *c);
/* The name (no directory part, malloc'd) the backup of BASE in DIR
 * gets, or NULL. */
char *ln_backup_name(const ln_ctx *c, const char *dir, const char *base);

/* ---- messages (persona-ln-quote.c) ---- */
/* GNU's shell-escape quoting: ALWAYS quotes every name (quoteaf), else
 * only names that need it (quotef). Caller frees. */
char *ln_quote(const ln_ctx *c, const char *s, int always);
/* ln_quote(ALWAYS) as GNU's quoteaf_n(SLOT): the same text, but for the
 * one case where GNU's slot buffer cuts it short (see the source). */
char *ln_quote_n(const ln_ctx *c, int slot, const char *s);
/* GNU's locale quoting for option arguments: 'x' or, in UTF-8, the
 * typographic quotes. Caller frees. */
char *ln_quote_locale(const ln_ctx *c, const char *s);
/* The C library's message for the error behind CODE, as glibc words it. */
const char *ln_errno_text(int code);
/* "PROG: " + message + ": " error text when CODE is nonzero (an errno
 * when positive, an SLINK_E... code when negative) + newline. */
void ln_error(const ln_ctx *c, int code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
/* "Try 'PROG --help' for more information." */
void ln_try_help(const ln_ctx *c);

/* A directory separator, as GNU's ISSLASH. */
static inline int ln_is_sep(char ch) {
  return slink_path_is_sep(ch);
}

/* The last component of PATH as GNU's last_component() finds it, and its
 * length without trailing slashes. */
const char *ln_last_component(const char *path, size_t *len);

#endif
