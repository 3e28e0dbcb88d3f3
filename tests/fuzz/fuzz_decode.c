/*
 * fuzz_decode.c - any bytes into slink_reparse_decode(). Beyond "no crash,
 * no read outside the buffer" (the sanitizers' part), what decodes must
 * mean one thing: its names hold no NUL, their lengths are right, and a
 * junction or symbolic link encoded again from the decoded names decodes
 * to the same names.
 */
#include <string.h>

#include "slink.h"
#include "fuzz.h"

static void same_names(const slink_reparse *a, const slink_reparse *b) {
  FUZZ_CHECK(a->tag == b->tag && a->kind == b->kind && a->flags == b->flags);
  if (!a->substitute_name) {
    FUZZ_CHECK(!b->substitute_name && !a->print_name && !b->print_name);
    return;
  }
  FUZZ_CHECK(a->substitute_len == b->substitute_len &&
             memcmp(a->substitute_name, b->substitute_name,
                    a->substitute_len) == 0);
  FUZZ_CHECK(a->print_len == b->print_len &&
             memcmp(a->print_name, b->print_name, a->print_len) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  slink_reparse rp, again;
  unsigned char *buf = NULL;
  size_t len = 0;
  char *target = NULL;
  int rc = slink_reparse_decode(data, size, &rp);
  FUZZ_CHECK(rc <= 0);
  if (rc < 0) {
    FUZZ_CHECK(strcmp(slink_err_name(rc), "SLINK_EUNKNOWN") != 0);
    slink_reparse_free(&rp);
    return 0;
  }
  FUZZ_CHECK(size <= SLINK_REPARSE_MAX_SIZE);
  if (rp.substitute_name) {
    FUZZ_CHECK(strlen(rp.substitute_name) == rp.substitute_len);
    FUZZ_CHECK(rp.substitute_len > 0);
    FUZZ_CHECK(strlen(rp.print_name) == rp.print_len);
  }
  if (rp.wsl_target)
    FUZZ_CHECK(strlen(rp.wsl_target) == rp.wsl_target_len);
  rc = slink_reparse_target(&rp, &target);
  FUZZ_CHECK(rc == 0 || (rp.kind == SLINK_KIND_REPARSE && rc == SLINK_ERP_TAG));
  free(target);

  rc = slink_reparse_encode(&rp, &buf, &len);
  if (rc == 0) {
    FUZZ_CHECK(len <= SLINK_REPARSE_MAX_SIZE);
    FUZZ_CHECK(slink_reparse_decode(buf, len, &again) == 0);
    same_names(&rp, &again);
    FUZZ_CHECK(again.wsl_target_len == rp.wsl_target_len &&
               (!rp.wsl_target || memcmp(again.wsl_target, rp.wsl_target,
                                         rp.wsl_target_len) == 0));
    slink_reparse_free(&again);
  } else {
    /* Only a name with an escaped lone surrogate, or a tag slink does not
     * write, may be refused. */
    FUZZ_CHECK(rc == SLINK_EBADUTF16 || rc == SLINK_ERP_TAG);
  }
  free(buf);
  slink_reparse_free(&rp);
  return 0;
}
