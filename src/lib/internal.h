/* internal.h - helpers shared inside the library (names slink__...). */
#ifndef SLINK_INTERNAL_H
#define SLINK_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "slink.h"

char *slink__strdup(const char *s);
char *slink__strndup(const char *s, size_t n);

/* DIR joined to NAME with one separator ("." + NAME gives NAME). */
char *slink__path_join(const char *dir, const char *name);
/* The directory part of PATH ("." when there is none; "/" for "/x"). */
char *slink__path_dirname(const char *path);
/* The last component of PATH (a pointer into PATH; PATH has no trailing
 * separator). */
const char *slink__path_basename(const char *path);
/* PATH without trailing separators (the root stays the root). */
char *slink__path_strip_trailing(const char *path);
/* Resolve "." and ".." of an absolute path by text alone. */
char *slink__path_lexical(const char *abs);

/* Nonzero when a reparse point with TAG and the substitute name SUBST
 * (UTF-8) is a volume mounted in a folder: a mount point whose target is
 * a volume by its GUID ("\??\Volume{...}\"), another filesystem as a
 * mount is on POSIX; a junction to a path is a link. */
int slink__reparse_is_volume(uint32_t tag, const char *subst);

/* The absolute, canonical form of PATH (relative to the current
 * directory): every existing component resolved as realpath() does, the
 * missing rest appended by text ("ln -r" semantics). */
int slink__canonical(const char *path, char **out, int *os_err);

/* The length (1..4) of the valid UTF-8 sequence at S (N bytes left), or 0
 * when the byte at S does not start one (overlong forms, surrogates and
 * values above U+10FFFF are not valid). */
size_t slink__utf8_len(const unsigned char *s, size_t n);

/* The temporary names slink makes beside a link while replacing it, and
 * while removing one (".slink-" 16 hex digits ".tmp"): one documented
 * pattern, so a leftover from a killed run is recognised (scan reports
 * it, fix --clean-temp removes it). OUT gets a fresh random one. */
#define SLINK__TEMP_LEN 27
void slink__temp_name(char out[SLINK__TEMP_LEN + 1]);
int slink__is_temp_name(const char *name, size_t len);

/* read.c: what a stat of an entry says, as slink_read reports it (kind,
 * counts, times, mode, and the reparse tag also of a reparse point that
 * is no link). */
struct slink__stat;
void slink__info_from_stat(slink_info *info, const struct slink__stat *st);

#endif
