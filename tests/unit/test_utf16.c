/* UTF-8 <-> UTF-16: strict in, lossless out, and the escape of unpaired
 * surrogates round-trips exactly. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "slink.h"
#include "lib/utf16.h"

/* S (N bytes) to UTF-16 must give exactly the units WANT. */
static void to16(const char *s, size_t n, const uint16_t *want, size_t units) {
  uint16_t *w = NULL;
  size_t got = 99;
  assert_int_equal(slink__utf8_to_utf16(s, n, &w, &got), 0);
  assert_int_equal(got, units);
  assert_memory_equal(w, want, units * sizeof *w);
  assert_int_equal(w[units], 0);
  free(w);
}

static void to8(const uint16_t *w, size_t units, const char *want, size_t n) {
  char *s = NULL;
  size_t got = 99;
  assert_int_equal(slink__utf16_to_utf8(w, units, &s, &got), 0);
  assert_int_equal(got, n);
  assert_memory_equal(s, want, n);
  assert_int_equal(s[n], '\0');
  free(s);
}

static void strict_error(const char *s, size_t n, int want) {
  uint16_t *w = (uint16_t *)1;
  assert_int_equal(slink__utf8_to_utf16(s, n, &w, NULL), want);
  assert_null(w);
}

static void valid_utf8_of_every_length(void **state) {
  (void)state;
  static const uint16_t ascii[] = {'C', ':', '\\', 'x'};
  static const uint16_t two[] = {0x00E9};
  static const uint16_t three[] = {0x20AC, 0xFFFD};
  static const uint16_t four[] = {0xD83D, 0xDE00};
  static const uint16_t top[] = {0xDBFF, 0xDFFF};
  to16("C:\\x", 4, ascii, 4);
  to16("\xc3\xa9", 2, two, 1);
  to16("\xe2\x82\xac\xef\xbf\xbd", 6, three, 2);
  to16("\xf0\x9f\x98\x80", 4, four, 2);
  to16("\xf4\x8f\xbf\xbf", 4, top, 2);
  to16("", 0, ascii, 0);
  to8(four, 2, "\xf0\x9f\x98\x80", 4);
  to8(three, 2, "\xe2\x82\xac\xef\xbf\xbd", 6);
}

static void invalid_utf8_is_refused(void **state) {
  (void)state;
  strict_error("\xc0\x80", 2, SLINK_EBADUTF8);         /* overlong NUL */
  strict_error("\xc1\xbf", 2, SLINK_EBADUTF8);         /* overlong */
  strict_error("\xe0\x80\x80", 3, SLINK_EBADUTF8);     /* overlong */
  strict_error("\xf0\x80\x80\x80", 4, SLINK_EBADUTF8); /* overlong */
  strict_error("\xf4\x90\x80\x80", 4, SLINK_EBADUTF8); /* above U+10FFFF */
  strict_error("\xf5\x80\x80\x80", 4, SLINK_EBADUTF8);
  strict_error("\x80", 1, SLINK_EBADUTF8);             /* stray continuation */
  strict_error("a\xc3", 2, SLINK_EBADUTF8);            /* truncated */
  strict_error("\xe2\x82", 2, SLINK_EBADUTF8);
  strict_error("\xe2\x28\xa1", 3, SLINK_EBADUTF8);
  strict_error("\xff", 1, SLINK_EBADUTF8);
}

static void encoded_surrogates_are_refused_by_the_strict_encoder(void **state) {
  (void)state;
  strict_error("\xed\xa0\x80", 3, SLINK_EBADUTF16);   /* D800 */
  strict_error("x\xed\xbf\xbf", 4, SLINK_EBADUTF16);  /* DFFF */
  strict_error("\xed\xa0\xbd\xed\xb8\x80", 6, SLINK_EBADUTF16);
}

static void unpaired_surrogates_are_escaped_on_decode(void **state) {
  (void)state;
  static const uint16_t high[] = {'a', 0xD800, 'b'};
  static const uint16_t low[] = {0xDC00};
  static const uint16_t high_at_end[] = {'a', 0xDBFF};
  static const uint16_t reversed[] = {0xDC00, 0xD800};
  static const uint16_t two_highs[] = {0xD800, 0xD83D, 0xDE00};
  to8(high, 3, "a\xed\xa0\x80" "b", 5);
  to8(low, 1, "\xed\xb0\x80", 3);
  to8(high_at_end, 2, "a\xed\xaf\xbf", 4);
  to8(reversed, 2, "\xed\xb0\x80\xed\xa0\x80", 6);
  to8(two_highs, 3, "\xed\xa0\x80\xf0\x9f\x98\x80", 7);
}

/* Every escaped form comes back as the very same units. */
static void escapes_round_trip(void **state) {
  (void)state;
  static const uint16_t cases[][4] = {
    {'a', 0xD800, 'b', 0}, {0xDC00, 0xD800, 0, 0}, {0xD800, 0xD83D, 0xDE00, 0},
    {0xDFFF, 0xDBFF, 'x', 0xDC00},
  };
  static const size_t lens[] = {3, 2, 3, 4};
  for (size_t i = 0; i < sizeof lens / sizeof lens[0]; i++) {
    char *s;
    size_t n, units;
    uint16_t *w;
    assert_int_equal(slink__utf16_to_utf8(cases[i], lens[i], &s, &n), 0);
    assert_int_equal(slink__wtf8_to_utf16(s, n, &w, &units), 0);
    assert_int_equal(units, lens[i]);
    assert_memory_equal(w, cases[i], units * sizeof *w);
    free(w);
    free(s);
  }
}

/* Two escapes that form a pair are not what decoding writes: refused, so
 * that one UTF-16 string has one escaped form. */
static void escaped_pair_is_refused(void **state) {
  (void)state;
  uint16_t *w;
  assert_int_equal(slink__wtf8_to_utf16("\xed\xa0\xbd\xed\xb8\x80", 6, &w, NULL),
                   SLINK_EBADUTF8);
  assert_null(w);
  assert_int_equal(slink__wtf8_to_utf16("\xff", 1, &w, NULL), SLINK_EBADUTF8);
}

static void little_endian_bytes(void **state) {
  (void)state;
  /* At an odd address on purpose: names inside a buffer are unaligned. */
  static const unsigned char raw[] = {0xEE, 'C', 0, ':', 0, 0x00, 0xD8, 0xE9, 0};
  char *s;
  size_t n;
  unsigned char out[8];
  size_t bytes;
  assert_int_equal(slink__utf16le_to_utf8(raw + 1, 8, &s, &n), 0);
  assert_int_equal(n, 7);
  assert_memory_equal(s, "C:\xed\xa0\x80\xc3\xa9", 7);
  free(s);
  assert_int_equal(slink__utf16le_to_utf8(raw + 1, 7, &s, &n), SLINK_ERP_ODD);
  assert_null(s);

  assert_int_equal(slink__utf8_to_utf16le("C:\xc3\xa9", 4, NULL, 0, &bytes),
                   SLINK_ETOOBIG);
  assert_int_equal(bytes, 6);
  assert_int_equal(slink__utf8_to_utf16le("C:\xc3\xa9", 4, out, sizeof out,
                                          &bytes), 0);
  assert_int_equal(bytes, 6);
  assert_memory_equal(out, "C\0:\0\xe9\0", 6);
  assert_int_equal(slink__utf8_to_utf16le("\xed\xa0\x80", 3, out, sizeof out,
                                          &bytes), SLINK_EBADUTF16);
  assert_int_equal(slink__utf8_to_utf16le("a\xff", 2, out, sizeof out, &bytes),
                   SLINK_EBADUTF8);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(valid_utf8_of_every_length),
    cmocka_unit_test(invalid_utf8_is_refused),
    cmocka_unit_test(encoded_surrogates_are_refused_by_the_strict_encoder),
    cmocka_unit_test(unpaired_surrogates_are_escaped_on_decode),
    cmocka_unit_test(escapes_round_trip),
    cmocka_unit_test(escaped_pair_is_refused),
    cmocka_unit_test(little_endian_bytes),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
