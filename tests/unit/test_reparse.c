/*
 * The reparse codec against byte-exact vectors: the buffers that ntfs-3g
 * accepted and 7-Zip read back in the NTFS oracle, layouts from the field
 * tables of MS-FSCC 2.1.2 (which gives no hex examples of its own), and
 * one buffer for each way a buffer can be malformed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "slink.h"
#include "lib/internal.h"

/* Oracle: junction "\??\C:\orig" / "C:\orig" (Windows' layout). */
static const unsigned char junc[] = {
  0x03, 0x00, 0x00, 0xa0, 0x30, 0x00, 0x00, 0x00, 0x00, 0x00, 0x16, 0x00,
  0x18, 0x00, 0x0e, 0x00, 0x5c, 0x00, 0x3f, 0x00, 0x3f, 0x00, 0x5c, 0x00,
  0x43, 0x00, 0x3a, 0x00, 0x5c, 0x00, 0x6f, 0x00, 0x72, 0x00, 0x69, 0x00,
  0x67, 0x00, 0x00, 0x00, 0x43, 0x00, 0x3a, 0x00, 0x5c, 0x00, 0x6f, 0x00,
  0x72, 0x00, 0x69, 0x00, 0x67, 0x00, 0x00, 0x00,
};
/* Oracle: file symlink "\??\C:\orig\file.txt" (CreateSymbolicLinkW's
 * layout: print name first, no NULs). */
static const unsigned char sym_abs_file[] = {
  0x0c, 0x00, 0x00, 0xa0, 0x54, 0x00, 0x00, 0x00, 0x20, 0x00, 0x28, 0x00,
  0x00, 0x00, 0x20, 0x00, 0x00, 0x00, 0x00, 0x00, 0x43, 0x00, 0x3a, 0x00,
  0x5c, 0x00, 0x6f, 0x00, 0x72, 0x00, 0x69, 0x00, 0x67, 0x00, 0x5c, 0x00,
  0x66, 0x00, 0x69, 0x00, 0x6c, 0x00, 0x65, 0x00, 0x2e, 0x00, 0x74, 0x00,
  0x78, 0x00, 0x74, 0x00, 0x5c, 0x00, 0x3f, 0x00, 0x3f, 0x00, 0x5c, 0x00,
  0x43, 0x00, 0x3a, 0x00, 0x5c, 0x00, 0x6f, 0x00, 0x72, 0x00, 0x69, 0x00,
  0x67, 0x00, 0x5c, 0x00, 0x66, 0x00, 0x69, 0x00, 0x6c, 0x00, 0x65, 0x00,
  0x2e, 0x00, 0x74, 0x00, 0x78, 0x00, 0x74, 0x00,
};
/* Oracle: relative directory symlink "orig\sub", SYMLINK_FLAG_RELATIVE. */
static const unsigned char sym_rel_dir[] = {
  0x0c, 0x00, 0x00, 0xa0, 0x2c, 0x00, 0x00, 0x00, 0x10, 0x00, 0x10, 0x00,
  0x00, 0x00, 0x10, 0x00, 0x01, 0x00, 0x00, 0x00, 0x6f, 0x00, 0x72, 0x00,
  0x69, 0x00, 0x67, 0x00, 0x5c, 0x00, 0x73, 0x00, 0x75, 0x00, 0x62, 0x00,
  0x6f, 0x00, 0x72, 0x00, 0x69, 0x00, 0x67, 0x00, 0x5c, 0x00, 0x73, 0x00,
  0x75, 0x00, 0x62, 0x00,
};
/* MS-FSCC 2.1.2.7 (LX symlink): version 2, then the UTF-8 target. */
static const unsigned char wsl[] = {
  0x1d, 0x00, 0x00, 0xa0, 0x11, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00,
  'o', 'r', 'i', 'g', '/', 'f', 'i', 'l', 'e', '.', 't', 'x', 't',
};
/* MS-FSCC 2.1.2.5 lets the names lie in any order: print name first. */
static const unsigned char junc_print_first[] = {
  0x03, 0x00, 0x00, 0xa0, 0x18, 0x00, 0x00, 0x00, 0x04, 0x00, 0x0c, 0x00,
  0x00, 0x00, 0x04, 0x00, 'D', 0, ':', 0, '\\', 0, '?', 0, '?', 0, '\\', 0,
  'D', 0, ':', 0,
};
/* MS-FSCC 2.1.2.2: a third-party tag carries a GUID; data length 2. */
static const unsigned char guid_tag[] = {
  0x99, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 1, 2, 3, 4, 5, 6, 7, 8,
  9, 10, 11, 12, 13, 14, 15, 16, 0xAB, 0xCD,
};

/* A growing test buffer, little-endian, built field by field. */
typedef struct tb {
  unsigned char b[20000];
  size_t n;
} tb;
static tb buf_;
static void t_reset(void) { buf_.n = 0; }
static void t16(unsigned v) {
  buf_.b[buf_.n++] = (unsigned char)(v & 0xFF);
  buf_.b[buf_.n++] = (unsigned char)(v >> 8);
}
static void t32(uint32_t v) {
  t16(v & 0xFFFF);
  t16(v >> 16);
}
static void tbytes(const void *p, size_t n) {
  memcpy(buf_.b + buf_.n, p, n);
  buf_.n += n;
}
/* ASCII S as UTF-16LE. */
static void twide(const char *s) {
  for (; *s; s++)
    t16((unsigned char)*s);
}
/* Header with the data length that makes the buffer consistent. */
static void t_fix_length(void) {
  buf_.b[4] = (unsigned char)((buf_.n - 8) & 0xFF);
  buf_.b[5] = (unsigned char)((buf_.n - 8) >> 8);
}

/* A mount point with offsets and lengths as given and the bytes of
 * PATHS after them. */
static void t_junction(unsigned so, unsigned sl, unsigned po, unsigned pl,
                       const char *paths) {
  t_reset();
  t32(SLINK_REPARSE_TAG_MOUNT_POINT);
  t32(0);
  t16(so);
  t16(sl);
  t16(po);
  t16(pl);
  twide(paths);
  t_fix_length();
}

static void t_symlink(unsigned so, unsigned sl, unsigned po, unsigned pl,
                      uint32_t flags, const char *paths) {
  t_reset();
  t32(SLINK_REPARSE_TAG_SYMLINK);
  t32(0);
  t16(so);
  t16(sl);
  t16(po);
  t16(pl);
  t32(flags);
  twide(paths);
  t_fix_length();
}

static int decode_err(const void *b, size_t n) {
  slink_reparse rp;
  int rc = slink_reparse_decode(b, n, &rp);
  slink_reparse_free(&rp);
  return rc;
}

static void encodes_to(int junction, const char *target, const void *want,
                       size_t want_len) {
  unsigned char *b = NULL;
  size_t n = 0;
  int rc = junction ? slink_reparse_encode_junction(target, &b, &n)
                    : slink_reparse_encode_symlink(target, &b, &n);
  assert_int_equal(rc, 0);
  assert_int_equal(n, want_len);
  assert_memory_equal(b, want, n);
  free(b);
}

static void encode_refused(int junction, const char *target, int want) {
  unsigned char *b = (unsigned char *)1;
  size_t n = 0;
  int rc = junction ? slink_reparse_encode_junction(target, &b, &n)
                    : slink_reparse_encode_symlink(target, &b, &n);
  assert_int_equal(rc, want);
  assert_null(b);
}

static void oracle_junction(void **state) {
  (void)state;
  slink_reparse rp;
  char *t;
  encodes_to(1, "C:\\orig", junc, sizeof junc);
  encodes_to(1, "\\\\?\\C:\\orig", junc, sizeof junc);
  encodes_to(1, "\\??\\C:\\orig", junc, sizeof junc);
  encodes_to(1, "C:/orig", junc, sizeof junc);
  assert_int_equal(slink_reparse_decode(junc, sizeof junc, &rp), 0);
  assert_int_equal(rp.tag, 0xA0000003u);
  assert_int_equal(rp.kind, SLINK_KIND_JUNCTION);
  assert_int_equal(rp.data_len, 0x30);
  assert_string_equal(rp.substitute_name, "\\??\\C:\\orig");
  assert_int_equal(rp.substitute_len, 11);
  assert_string_equal(rp.print_name, "C:\\orig");
  assert_int_equal(rp.print_len, 7);
  assert_int_equal(slink_reparse_target(&rp, &t), 0);
  assert_string_equal(t, "C:\\orig");
  free(t);
  slink_reparse_free(&rp);
  assert_null(rp.substitute_name);
}

static void oracle_symlinks(void **state) {
  (void)state;
  slink_reparse rp;
  char *t;
  encodes_to(0, "C:\\orig\\file.txt", sym_abs_file, sizeof sym_abs_file);
  encodes_to(0, "\\\\?\\C:\\orig\\file.txt", sym_abs_file, sizeof sym_abs_file);
  encodes_to(0, "orig\\sub", sym_rel_dir, sizeof sym_rel_dir);
  encodes_to(0, "orig/sub", sym_rel_dir, sizeof sym_rel_dir);

  assert_int_equal(slink_reparse_decode(sym_abs_file, sizeof sym_abs_file, &rp), 0);
  assert_int_equal(rp.kind, SLINK_KIND_SYMLINK);
  assert_int_equal(rp.flags, 0);
  assert_string_equal(rp.substitute_name, "\\??\\C:\\orig\\file.txt");
  assert_string_equal(rp.print_name, "C:\\orig\\file.txt");
  slink_reparse_free(&rp);

  assert_int_equal(slink_reparse_decode(sym_rel_dir, sizeof sym_rel_dir, &rp), 0);
  assert_int_equal(rp.flags, SLINK_REPARSE_SYMLINK_RELATIVE);
  assert_string_equal(rp.substitute_name, "orig\\sub");
  assert_string_equal(rp.print_name, "orig\\sub");
  assert_int_equal(slink_reparse_target(&rp, &t), 0);
  assert_string_equal(t, "orig\\sub");
  free(t);
  slink_reparse_free(&rp);
}

/* The rest of the oracle's links, built from their fields. */
static void oracle_other_links(void **state) {
  (void)state;
  /* junc_sub: case kept as given; each name followed by a NUL */
  t_junction(0, 30, 32, 22, "\\??\\c:\\ORIG\\SUB");
  t16(0);
  twide("c:\\ORIG\\SUB");
  t16(0);
  t_fix_length();
  encodes_to(1, "c:\\ORIG\\SUB", buf_.b, buf_.n);
  /* top/sym_up and sym_rootrel: relative, as given */
  t_symlink(32, 32, 0, 32, 1, "..\\orig\\file.txt..\\orig\\file.txt");
  encodes_to(0, "..\\orig\\file.txt", buf_.b, buf_.n);
  t_symlink(28, 28, 0, 28, 1, "\\orig\\file.txt\\orig\\file.txt");
  encodes_to(0, "\\orig\\file.txt", buf_.b, buf_.n);
}

static void unc_symlink(void **state) {
  (void)state;
  slink_reparse rp;
  char *t;
  unsigned char *b;
  size_t n;
  t_symlink(30, 42, 0, 30, 0,
            "\\\\srv\\share\\dir\\??\\UNC\\srv\\share\\dir");
  encodes_to(0, "\\\\srv\\share\\dir", buf_.b, buf_.n);
  encodes_to(0, "//srv/share/dir", buf_.b, buf_.n);
  encodes_to(0, "\\\\?\\UNC\\srv\\share\\dir", buf_.b, buf_.n);
  encodes_to(0, "\\\\?\\unc\\srv\\share\\dir", buf_.b, buf_.n);
  assert_int_equal(slink_reparse_encode_symlink("\\\\srv\\share\\dir", &b, &n), 0);
  assert_int_equal(slink_reparse_decode(b, n, &rp), 0);
  assert_int_equal(slink_reparse_target(&rp, &t), 0);
  assert_string_equal(t, "\\\\srv\\share\\dir");
  free(t);
  free(b);
  slink_reparse_free(&rp);
}

/* An NT path with no drive letter keeps its long form both ways. */
static void volume_guid_symlink(void **state) {
  (void)state;
  slink_reparse rp;
  char *t;
  t_symlink(30, 30, 0, 30, 0, "\\\\?\\Volume{g}\\x\\??\\Volume{g}\\x");
  encodes_to(0, "\\\\?\\Volume{g}\\x", buf_.b, buf_.n);
  assert_int_equal(slink_reparse_decode(buf_.b, buf_.n, &rp), 0);
  assert_string_equal(rp.substitute_name, "\\??\\Volume{g}\\x");
  assert_int_equal(slink_reparse_target(&rp, &t), 0);
  assert_string_equal(t, "\\\\?\\Volume{g}\\x");
  free(t);
  slink_reparse_free(&rp);
  encode_refused(1, "\\\\?\\Volume{g}\\x", SLINK_ERELJUNCTION);
}

static void junction_refusals(void **state) {
  (void)state;
  encode_refused(1, "orig", SLINK_ERELJUNCTION);
  encode_refused(1, "..\\orig", SLINK_ERELJUNCTION);
  encode_refused(1, "\\orig", SLINK_ERELJUNCTION);
  encode_refused(1, "C:orig", SLINK_ERELJUNCTION);
  encode_refused(1, "C:", SLINK_ERELJUNCTION);
  encode_refused(1, "\\\\srv\\share", SLINK_ERELJUNCTION);
  encode_refused(1, "\\\\?\\UNC\\srv\\share", SLINK_ERELJUNCTION);
  encode_refused(1, "C:\\a\\..\\b", SLINK_EINVAL);
  encode_refused(1, "C:\\a\\.", SLINK_EINVAL);
  encode_refused(1, "", SLINK_EEMPTYPATH);
  encode_refused(0, "", SLINK_EEMPTYPATH);
  encode_refused(1, "C:\\\xff", SLINK_EBADUTF8);
  encode_refused(0, "C:\\\xed\xa0\x80", SLINK_EBADUTF16);
  encode_refused(0, "x\xc0\x80", SLINK_EBADUTF8);
}

/* 16 KiB in all: 28 + 4n bytes for a target of n characters. */
static void size_limit(void **state) {
  (void)state;
  char *t = malloc(4100);
  unsigned char *b;
  size_t n;
  memcpy(t, "C:\\", 3);
  memset(t + 3, 'a', 4086);
  t[4089] = '\0';
  assert_int_equal(slink_reparse_encode_junction(t, &b, &n), 0);
  assert_int_equal(n, 16384);
  free(b);
  assert_int_equal(slink_reparse_encode_symlink(t, &b, &n), 0);
  assert_int_equal(n, 16384);
  free(b);
  t[4089] = 'a';
  t[4090] = '\0';
  encode_refused(1, t, SLINK_ETOOBIG);
  encode_refused(0, t, SLINK_ETOOBIG);
  free(t);
}

static void wsl_and_app_links(void **state) {
  (void)state;
  slink_reparse rp;
  char *t;
  unsigned char *b;
  size_t n;
  assert_int_equal(slink_reparse_decode(wsl, sizeof wsl, &rp), 0);
  assert_int_equal(rp.kind, SLINK_KIND_WSL_SYMLINK);
  assert_int_equal(rp.version, 2);
  assert_string_equal(rp.wsl_target, "orig/file.txt");
  assert_int_equal(rp.wsl_target_len, 13);
  assert_int_equal(slink_reparse_target(&rp, &t), 0);
  assert_string_equal(t, "orig/file.txt");
  free(t);
  assert_int_equal(slink_reparse_encode(&rp, &b, &n), 0);
  assert_int_equal(n, sizeof wsl);
  assert_memory_equal(b, wsl, n);
  free(b);
  slink_reparse_free(&rp);

  t_reset();
  t32(SLINK_REPARSE_TAG_APPEXECLINK);
  t32(0);
  t32(3);
  tbytes("P\0k\0g\0\0\0P\0!\0A\0\0\0C\0:\0\\\0a\0.\0e\0x\0e\0\0\0", 34);
  t_fix_length();
  assert_int_equal(slink_reparse_decode(buf_.b, buf_.n, &rp), 0);
  assert_int_equal(rp.kind, SLINK_KIND_APP_LINK);
  assert_string_equal(rp.app_package, "Pkg");
  assert_string_equal(rp.app_id, "P!A");
  assert_string_equal(rp.app_target, "C:\\a.exe");
  assert_int_equal(slink_reparse_target(&rp, &t), 0);
  assert_string_equal(t, "C:\\a.exe");
  free(t);
  assert_int_equal(slink_reparse_encode(&rp, &b, &n), SLINK_ERP_TAG);
  slink_reparse_free(&rp);
}

static void other_tags_are_reported_not_refused(void **state) {
  (void)state;
  slink_reparse rp;
  char *t;
  assert_int_equal(slink_reparse_decode(guid_tag, sizeof guid_tag, &rp), 0);
  assert_int_equal(rp.kind, SLINK_KIND_REPARSE);
  assert_int_equal(rp.tag, 0x99);
  assert_int_equal(rp.data_len, 2);
  assert_int_equal(slink_reparse_target(&rp, &t), SLINK_ERP_TAG);
  assert_null(t);
  slink_reparse_free(&rp);
  t_reset();
  t32(0x80000017u); /* WOF-compressed file */
  t32(0);
  t32(1);
  t_fix_length();
  assert_int_equal(slink_reparse_decode(buf_.b, buf_.n, &rp), 0);
  assert_int_equal(rp.kind, SLINK_KIND_REPARSE);
  assert_int_equal(rp.tag, 0x80000017u);
  slink_reparse_free(&rp);
}

static void names_found_by_offset(void **state) {
  (void)state;
  slink_reparse rp;
  unsigned char b[sizeof junc_print_first];
  assert_int_equal(slink_reparse_decode(junc_print_first,
                                        sizeof junc_print_first, &rp), 0);
  assert_string_equal(rp.substitute_name, "\\??\\D:");
  assert_string_equal(rp.print_name, "D:");
  slink_reparse_free(&rp);
  /* Reserved is ignored, as MS-FSCC says. */
  memcpy(b, junc_print_first, sizeof b);
  b[6] = 0x34;
  assert_int_equal(decode_err(b, sizeof b), 0);
}

static void lone_surrogate_escaped_and_not_reencoded(void **state) {
  (void)state;
  slink_reparse rp;
  unsigned char *b;
  size_t n;
  t_symlink(0, 4, 0, 4, 1, "");
  t16(0xD800);
  t16('x');
  t_fix_length();
  assert_int_equal(slink_reparse_decode(buf_.b, buf_.n, &rp), 0);
  assert_int_equal(rp.substitute_len, 4);
  assert_memory_equal(rp.substitute_name, "\xed\xa0\x80x", 5);
  assert_int_equal(slink_reparse_encode(&rp, &b, &n), SLINK_EBADUTF16);
  assert_null(b);
  slink_reparse_free(&rp);
}

static void encode_from_fields(void **state) {
  (void)state;
  slink_reparse rp;
  unsigned char *b;
  size_t n;
  memset(&rp, 0, sizeof rp);
  rp.tag = SLINK_REPARSE_TAG_MOUNT_POINT;
  rp.substitute_name = "\\??\\C:\\orig";
  rp.print_name = "C:\\orig";
  assert_int_equal(slink_reparse_encode(&rp, &b, &n), 0);
  assert_int_equal(n, sizeof junc);
  assert_memory_equal(b, junc, n);
  free(b);
  rp.tag = SLINK_REPARSE_TAG_SYMLINK;
  rp.substitute_name = rp.print_name = "orig\\sub";
  rp.flags = 1;
  assert_int_equal(slink_reparse_encode(&rp, &b, &n), 0);
  assert_int_equal(n, sizeof sym_rel_dir);
  assert_memory_equal(b, sym_rel_dir, n);
  free(b);
  rp.flags = 2;
  assert_int_equal(slink_reparse_encode(&rp, &b, &n), SLINK_ERP_FLAGS);
  rp.flags = 0;
  rp.substitute_name = "";
  assert_int_equal(slink_reparse_encode(&rp, &b, &n), SLINK_EEMPTYPATH);
  rp.tag = 0x80000017u;
  assert_int_equal(slink_reparse_encode(&rp, &b, &n), SLINK_ERP_TAG);
}

/* One buffer for every defect, each with its own code. */
static void malformed_buffers(void **state) {
  (void)state;
  unsigned char big[SLINK_REPARSE_MAX_SIZE + 1];
  /* shorter than a header */
  assert_int_equal(decode_err(junc, 7), SLINK_ERP_SHORT);
  assert_int_equal(decode_err(junc, 0), SLINK_ERP_SHORT);
  /* data length and size disagree, both ways */
  assert_int_equal(decode_err(junc, sizeof junc - 2), SLINK_ERP_LENGTH);
  memcpy(big, junc, sizeof junc);
  big[sizeof junc] = 0;
  assert_int_equal(decode_err(big, sizeof junc + 1), SLINK_ERP_LENGTH);
  /* over 16 KiB */
  memset(big, 0, sizeof big);
  assert_int_equal(decode_err(big, sizeof big), SLINK_ETOOBIG);
  /* mount point data shorter than its offsets */
  t_reset();
  t32(SLINK_REPARSE_TAG_MOUNT_POINT);
  t32(0);
  t16(0);
  t16(0);
  t16(0);
  t_fix_length();
  assert_int_equal(decode_err(buf_.b, buf_.n), SLINK_ERP_SHORT);
  /* symbolic link without its flags */
  t_junction(0, 2, 0, 2, "x");
  buf_.b[0] = 0x0C;
  assert_int_equal(decode_err(buf_.b, buf_.n), SLINK_ERP_SHORT);
  /* a third-party tag without its GUID */
  assert_int_equal(decode_err(guid_tag, 20), SLINK_ERP_SHORT);
  assert_int_equal(decode_err(guid_tag, sizeof guid_tag - 1), SLINK_ERP_LENGTH);
  /* names outside the buffer: substitute, print, and at the 16-bit ends */
  t_junction(0, 4, 0, 2, "ab");
  assert_int_equal(decode_err(buf_.b, buf_.n), 0);
  t_junction(0, 6, 0, 2, "ab");
  assert_int_equal(decode_err(buf_.b, buf_.n), SLINK_ERP_OFFSET);
  t_junction(0, 2, 2, 4, "ab");
  assert_int_equal(decode_err(buf_.b, buf_.n), SLINK_ERP_OFFSET);
  t_junction(0xFFFE, 2, 0, 2, "ab");
  assert_int_equal(decode_err(buf_.b, buf_.n), SLINK_ERP_OFFSET);
  t_junction(2, 0xFFFE, 0, 2, "ab");
  assert_int_equal(decode_err(buf_.b, buf_.n), SLINK_ERP_OFFSET);
  /* odd lengths and offsets */
  t_junction(0, 3, 0, 2, "ab");
  assert_int_equal(decode_err(buf_.b, buf_.n), SLINK_ERP_ODD);
  t_junction(1, 2, 0, 2, "ab");
  assert_int_equal(decode_err(buf_.b, buf_.n), SLINK_ERP_ODD);
  t_symlink(0, 2, 0, 1, 0, "ab");
  assert_int_equal(decode_err(buf_.b, buf_.n), SLINK_ERP_ODD);
  /* a NUL inside a name (a trailing one counted in the length, too) */
  t_junction(0, 6, 0, 2, "a");
  t16(0);
  t16('b');
  t_fix_length();
  assert_int_equal(decode_err(buf_.b, buf_.n), SLINK_ERP_NUL);
  t_junction(0, 4, 0, 2, "a");
  t16(0);
  t_fix_length();
  assert_int_equal(decode_err(buf_.b, buf_.n), SLINK_ERP_NUL);
  /* no target */
  t_junction(0, 0, 0, 2, "ab");
  assert_int_equal(decode_err(buf_.b, buf_.n), SLINK_ERP_EMPTY);
  t_reset();
  t32(SLINK_REPARSE_TAG_LX_SYMLINK);
  t32(0);
  t32(2);
  t_fix_length();
  assert_int_equal(decode_err(buf_.b, buf_.n), SLINK_ERP_EMPTY);
  /* unknown symbolic link flags */
  t_symlink(0, 2, 0, 2, 0x80000001u, "a");
  assert_int_equal(decode_err(buf_.b, buf_.n), SLINK_ERP_FLAGS);
  /* versions: WSL other than 2, AppExecLink with fewer than 3 strings */
  memcpy(big, wsl, sizeof wsl);
  big[8] = 1;
  assert_int_equal(decode_err(big, sizeof wsl), SLINK_ERP_VERSION);
  assert_int_equal(decode_err(wsl, 11), SLINK_ERP_LENGTH);
  t_reset();
  t32(SLINK_REPARSE_TAG_LX_SYMLINK);
  t32(0);
  t16(2);
  t_fix_length();
  assert_int_equal(decode_err(buf_.b, buf_.n), SLINK_ERP_SHORT);
  t_reset();
  t32(SLINK_REPARSE_TAG_APPEXECLINK);
  t32(0);
  t32(2);
  tbytes("a\0\0\0b\0\0\0", 8);
  t_fix_length();
  assert_int_equal(decode_err(buf_.b, buf_.n), SLINK_ERP_VERSION);
  /* AppExecLink strings not terminated, odd, or empty target */
  buf_.b[8] = 3;
  assert_int_equal(decode_err(buf_.b, buf_.n), SLINK_ERP_UNTERMINATED);
  tbytes("c", 1);
  t_fix_length();
  assert_int_equal(decode_err(buf_.b, buf_.n), SLINK_ERP_ODD);
  tbytes("\0", 1);
  t_fix_length();
  assert_int_equal(decode_err(buf_.b, buf_.n), SLINK_ERP_UNTERMINATED);
  t16(0);
  t_fix_length();
  assert_int_equal(decode_err(buf_.b, buf_.n), 0);
  buf_.n -= 4;
  t16(0);
  t_fix_length();
  assert_int_equal(decode_err(buf_.b, buf_.n), SLINK_ERP_EMPTY);
  /* reserved tags */
  t_junction(0, 2, 0, 2, "a");
  buf_.b[0] = 0, buf_.b[3] = 0;
  assert_int_equal(decode_err(buf_.b, buf_.n), SLINK_ERP_TAG);
  buf_.b[0] = 1;
  assert_int_equal(decode_err(buf_.b, buf_.n), SLINK_ERP_TAG);
}

/* Issue 17: a mount point whose target is a volume by its GUID is a
 * volume mounted in a folder (move refuses SRC holding one); a junction
 * to a drive path, a symbolic link to a volume, are links. */
static void volume_mount_points(void **state) {
  (void)state;
  const char *vol = "\\??\\Volume{0b5a3c3e-1c2d-4e5f-8a9b-0c1d2e3f4a5b}\\";
  assert_true(slink__reparse_is_volume(SLINK_REPARSE_TAG_MOUNT_POINT, vol));
  assert_true(slink__reparse_is_volume(SLINK_REPARSE_TAG_MOUNT_POINT,
                                       "\\??\\VOLUME{x}\\"));
  assert_false(slink__reparse_is_volume(SLINK_REPARSE_TAG_SYMLINK, vol));
  assert_false(slink__reparse_is_volume(SLINK_REPARSE_TAG_MOUNT_POINT,
                                        "\\??\\D:\\"));
  assert_false(slink__reparse_is_volume(SLINK_REPARSE_TAG_MOUNT_POINT,
                                        "\\??\\C:\\Volume{x}"));
  assert_false(slink__reparse_is_volume(SLINK_REPARSE_TAG_MOUNT_POINT,
                                        "\\??\\Vol"));
  assert_false(slink__reparse_is_volume(SLINK_REPARSE_TAG_MOUNT_POINT, NULL));
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(oracle_junction),
    cmocka_unit_test(oracle_symlinks),
    cmocka_unit_test(oracle_other_links),
    cmocka_unit_test(unc_symlink),
    cmocka_unit_test(volume_guid_symlink),
    cmocka_unit_test(junction_refusals),
    cmocka_unit_test(size_limit),
    cmocka_unit_test(wsl_and_app_links),
    cmocka_unit_test(other_tags_are_reported_not_refused),
    cmocka_unit_test(names_found_by_offset),
    cmocka_unit_test(lone_surrogate_escaped_and_not_reencoded),
    cmocka_unit_test(encode_from_fields),
    cmocka_unit_test(malformed_buffers),
    cmocka_unit_test(volume_mount_points),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
