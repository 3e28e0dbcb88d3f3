/*
 * utf16.h - strict UTF-8 <-> UTF-16 conversion for the reparse codec and
 * the Windows backend.
 *
 * The escape for what UTF-8 cannot hold: Windows names are sequences of
 * 16-bit units and may contain an unpaired surrogate (D800-DFFF). Decoding
 * such a unit writes it as the three bytes its code point would take in
 * UTF-8 (ED A0 80 .. ED BF BF), the "generalized UTF-8" that WTF-8 uses.
 * Valid UTF-8 never holds these bytes, so nothing real collides with them,
 * and slink__wtf8_to_utf16() turns them back into the same units: decode
 * then escape-aware encode gives the original UTF-16 exactly. The strict
 * encoder slink__utf8_to_utf16() refuses them (SLINK_EBADUTF16), because a
 * name given by a user or written into a new reparse buffer must be real
 * Unicode. A pair written as two escapes (high then low) is refused by both
 * encoders: decoding never produces it, so accepting it would make two
 * strings encode the same.
 *
 * Every output is malloc'd and NUL-terminated (a 0 unit or byte after the
 * counted length); the caller frees it. Lengths never include the NUL.
 */
#ifndef SLINK_LIB_UTF16_H
#define SLINK_LIB_UTF16_H

#include <stddef.h>
#include <stdint.h>

/* Strict UTF-8 (LEN bytes at S) to UTF-16. Invalid UTF-8 (overlong,
 * truncated, above U+10FFFF, stray bytes): SLINK_EBADUTF8; an encoded
 * surrogate: SLINK_EBADUTF16; SLINK_ENOMEM. */
int slink__utf8_to_utf16(const char *s, size_t len, uint16_t **out,
                         size_t *out_units);

/* As slink__utf8_to_utf16(), but an escaped lone surrogate becomes that
 * unit again: for names that came from slink__utf16_to_utf8() (a directory
 * listing, a reparse buffer) and must reach the same file. */
int slink__wtf8_to_utf16(const char *s, size_t len, uint16_t **out,
                         size_t *out_units);

/* UTF-16 (UNITS code units at S, host order) to UTF-8, unpaired
 * surrogates escaped as above. Fails only with SLINK_ENOMEM. */
int slink__utf16_to_utf8(const uint16_t *s, size_t units, char **out,
                         size_t *out_len);

/* The same from BYTES bytes of little-endian UTF-16 at any alignment (a
 * name inside a reparse buffer). An odd BYTES: SLINK_ERP_ODD. */
int slink__utf16le_to_utf8(const unsigned char *b, size_t bytes, char **out,
                           size_t *out_len);

/* Strict UTF-8 to little-endian UTF-16 bytes written at DST, which holds
 * CAP bytes; *BYTES gets the size needed (also when it does not fit:
 * SLINK_ETOOBIG). DST may be NULL with CAP 0 to measure. */
int slink__utf8_to_utf16le(const char *s, size_t len, unsigned char *dst,
                           size_t cap, size_t *bytes);

#endif
