/* json.c - JSON output that never loses a path: invalid UTF-8 bytes are
 * written as \udcXX (the surrogate-escape convention), so every line stays
 * valid JSON and the bytes can be recovered. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/internal.h"

static int reserve(char **buf, size_t *len, size_t *cap, size_t more) {
  if (*len + more + 1 <= *cap)
    return 0;
  size_t n = *cap ? *cap : 64;
  while (n < *len + more + 1)
    n *= 2;
  char *b = realloc(*buf, n);
  if (!b)
    return SLINK_ENOMEM;
  *buf = b;
  *cap = n;
  return 0;
}

static int append(char **buf, size_t *len, size_t *cap, const char *s,
                  size_t n) {
  if (reserve(buf, len, cap, n) < 0)
    return SLINK_ENOMEM;
  memcpy(*buf + *len, s, n);
  *len += n;
  (*buf)[*len] = '\0';
  return 0;
}

int slink_json_string(char **buf, size_t *len, size_t *cap, const char *str,
                      size_t n) {
  const unsigned char *s = (const unsigned char *)str;
  if (reserve(buf, len, cap, n * 6 + 2) < 0)
    return SLINK_ENOMEM;
  char *w = *buf + *len;
  *w++ = '"';
  for (size_t i = 0; i < n;) {
    size_t seq = slink__utf8_len(s + i, n - i);
    if (seq == 0) {
      w += sprintf(w, "\\udc%02x", s[i]);
      i++;
      continue;
    }
    if (seq > 1) {
      memcpy(w, s + i, seq);
      w += seq;
      i += seq;
      continue;
    }
    unsigned char c = s[i++];
    switch (c) {
    case '"': *w++ = '\\'; *w++ = '"'; break;
    case '\\': *w++ = '\\'; *w++ = '\\'; break;
    case '\n': *w++ = '\\'; *w++ = 'n'; break;
    case '\t': *w++ = '\\'; *w++ = 't'; break;
    case '\r': *w++ = '\\'; *w++ = 'r'; break;
    case '\b': *w++ = '\\'; *w++ = 'b'; break;
    case '\f': *w++ = '\\'; *w++ = 'f'; break;
    default:
      if (c < 0x20)
        w += sprintf(w, "\\u%04x", c);
      else
        *w++ = (char)c;
    }
  }
  *w++ = '"';
  *w = '\0';
  *len = (size_t)(w - *buf);
  return 0;
}

static int field(char **b, size_t *l, size_t *c, const char *name) {
  char tmp[64];
  int n = snprintf(tmp, sizeof tmp, ",\"%s\":", name);
  return append(b, l, c, tmp, (size_t)n);
}

static int field_str(char **b, size_t *l, size_t *c, const char *name,
                     const char *v, size_t vlen) {
  if (field(b, l, c, name) < 0)
    return SLINK_ENOMEM;
  if (!v)
    return append(b, l, c, "null", 4);
  return slink_json_string(b, l, c, v, vlen);
}

static int field_u64(char **b, size_t *l, size_t *c, const char *name,
                     uint64_t v) {
  char tmp[32];
  int n = snprintf(tmp, sizeof tmp, "%" PRIu64, v);
  if (field(b, l, c, name) < 0)
    return SLINK_ENOMEM;
  return append(b, l, c, tmp, (size_t)n);
}

char *slink_info_json(const char *path, const slink_info *in) {
  char *b = NULL;
  size_t l = 0, c = 0;
  int rc = append(&b, &l, &c, "{\"path\":", 8);
  rc |= slink_json_string(&b, &l, &c, path, strlen(path));
  const char *kind = slink_kind_name(in->kind);
  rc |= field_str(&b, &l, &c, "kind", kind, strlen(kind));
  int link = slink_kind_is_link(in->kind) ||
             in->kind >= SLINK_KIND_GIT_PLACEHOLDER; /* faked: a target */
  rc |= field_str(&b, &l, &c, "target", link ? in->target : NULL,
                  in->target_len);
  rc |= field_str(&b, &l, &c, "resolved", in->resolved,
                  in->resolved ? strlen(in->resolved) : 0);
  if (link) {
    const char *tk = slink_kind_name(in->target_kind);
    rc |= field_str(&b, &l, &c, "target_kind", tk, strlen(tk));
  }
  rc |= field(&b, &l, &c, "states");
  rc |= append(&b, &l, &c, "[", 1);
  int first = 1;
  for (unsigned i = 0; i < SLINK_STATE_COUNT; i++) {
    if (!(in->states & (1u << i)))
      continue;
    const char *sn = slink_state_name(1u << i);
    if (!first)
      rc |= append(&b, &l, &c, ",", 1);
    rc |= slink_json_string(&b, &l, &c, sn, strlen(sn));
    first = 0;
  }
  rc |= append(&b, &l, &c, "]", 1);
  rc |= field_u64(&b, &l, &c, "nlink", in->nlink);
  rc |= field_u64(&b, &l, &c, "dev", in->dev);
  rc |= field_u64(&b, &l, &c, "ino", in->ino);
  rc |= field_u64(&b, &l, &c, "size", in->size);
  char tmp[32];
  int n = snprintf(tmp, sizeof tmp, "%" PRId64, in->mtime);
  rc |= field(&b, &l, &c, "mtime");
  rc |= append(&b, &l, &c, tmp, (size_t)n);
  if (in->tag) {
    n = snprintf(tmp, sizeof tmp, "0x%08" PRIX32, in->tag);
    rc |= field_str(&b, &l, &c, "tag", tmp, (size_t)n);
    rc |= field_str(&b, &l, &c, "substitute_name", in->substitute_name,
                    in->substitute_name ? strlen(in->substitute_name) : 0);
    rc |= field_str(&b, &l, &c, "print_name", in->print_name,
                    in->print_name ? strlen(in->print_name) : 0);
  }
  rc |= append(&b, &l, &c, "}", 1);
  if (rc != 0) {
    free(b);
    return NULL;
  }
  return b;
}
