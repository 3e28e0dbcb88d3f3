/* JSON output: valid for any bytes, exact fields. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "slink.h"

static void check(const char *in, size_t len, const char *want) {
  char *b = NULL;
  size_t l = 0, c = 0;
  assert_int_equal(slink_json_string(&b, &l, &c, in, len), 0);
  assert_string_equal(b, want);
  assert_int_equal(l, strlen(want));
  free(b);
}

static void strings(void **state) {
  (void)state;
  check("plain", 5, "\"plain\"");
  check("a\"b\\c", 5, "\"a\\\"b\\\\c\"");
  check("new\nline\t", 9, "\"new\\nline\\t\"");
  check("\x01", 1, "\"\\u0001\"");
  check("\xff\xfe", 2, "\"\\udcff\\udcfe\"");
  check("caf\xc3\xa9", 5, "\"caf\xc3\xa9\"");
  check("a\0b", 3, "\"a\\u0000b\"");
}

static void appends(void **state) {
  (void)state;
  char *b = NULL;
  size_t l = 0, c = 0;
  assert_int_equal(slink_json_string(&b, &l, &c, "a", 1), 0);
  assert_int_equal(slink_json_string(&b, &l, &c, "b", 1), 0);
  assert_string_equal(b, "\"a\"\"b\"");
  free(b);
}

static void info_object(void **state) {
  (void)state;
  slink_info in;
  memset(&in, 0, sizeof in);
  in.kind = SLINK_KIND_JUNCTION;
  in.target = (char *)"/x/original";
  in.target_len = strlen(in.target);
  in.resolved = (char *)"/x/original";
  in.target_kind = SLINK_KIND_DIR;
  in.states = SLINK_STATE_OK | SLINK_STATE_ABSOLUTE;
  in.nlink = 1;
  in.dev = 2049;
  in.ino = 77;
  in.mtime = 1700000000;
  in.tag = 0xA0000003u;
  in.substitute_name = (char *)"\\??\\C:\\original";
  in.print_name = (char *)"C:\\original";
  char *j = slink_info_json("sym\xfflinked", &in);
  assert_non_null(j);
  assert_string_equal(j,
    "{\"path\":\"sym\\udcfflinked\",\"kind\":\"junction\","
    "\"target\":\"/x/original\",\"resolved\":\"/x/original\","
    "\"target_kind\":\"dir\",\"states\":[\"ok\",\"absolute\"],"
    "\"nlink\":1,\"dev\":2049,\"ino\":77,\"size\":0,\"mtime\":1700000000,"
    "\"tag\":\"0xA0000003\",\"substitute_name\":\"\\\\??\\\\C:\\\\original\","
    "\"print_name\":\"C:\\\\original\"}");
  free(j);
  memset(&in, 0, sizeof in);
  in.kind = SLINK_KIND_FILE;
  in.nlink = 2;
  j = slink_info_json("f", &in);
  assert_string_equal(j,
    "{\"path\":\"f\",\"kind\":\"file\",\"target\":null,\"resolved\":null,"
    "\"states\":[],\"nlink\":2,\"dev\":0,\"ino\":0,\"size\":0,\"mtime\":0}");
  free(j);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(strings),
    cmocka_unit_test(appends),
    cmocka_unit_test(info_object),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
