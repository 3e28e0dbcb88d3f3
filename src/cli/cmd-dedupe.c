/* cmd-dedupe.c - slink dedupe: identical files under the given
 * directories become one (hard links, or shared storage with --reflink).
 * The library finds, compares and replaces; this prints what it did. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cmd-dedupe.h"
#include "cli/progress.h"

static const char help_head[] =
    "usage: slink dedupe [-n] [--hardlink | --reflink] [--min-size N]\n"
    "                    [--max-links N] [--ignore-...] [--json] DIR...\n"
    "\n"
    "Make identical regular files under the DIRs one file: hard links by\n"
    "default, or shared storage (copy-on-write) with --reflink. Files are\n"
    "compared byte for byte before anything changes; a file changed since\n"
    "it was read, or open for writing elsewhere, is left alone and\n"
    "reported. Files whose owner, mode, times or xattrs differ are left\n"
    "alone unless an --ignore option says otherwise: a hard link has one\n"
    "set of metadata, the kept file's. Links, devices, empty files and\n"
    "other filesystems are never touched.\n";

static const char help_tail[] =
    "Exit status: 0 every duplicate merged, 1 something skipped or failed,\n"
    "2 usage error.\n";

enum {
  O_DRY = 1, O_HARD, O_REFLINK, O_MIN, O_MAXL, O_EMPTY, O_IMODE, O_IOWNER,
  O_ITIME, O_IXATTR, O_JSON, O_HELP
};
static const cli_opt options[] = {
  {'n', "dry-run", NULL, O_DRY,
   "show the plan: groups, the name kept, the bytes to be saved"},
  {0, "hardlink", NULL, O_HARD, "merge into hard links (the default)"},
  {0, "reflink", NULL, O_REFLINK,
   "share storage, each file keeping its own inode"},
  {0, "min-size", "N", O_MIN,
   "only files of at least N bytes (K, M, G: KiB, MiB, GiB)"},
  {0, "max-links", "N", O_MAXL,
   "at most N names per file (below the filesystem's limit)"},
  {0, "empty", NULL, O_EMPTY, "empty files too"},
  {0, "ignore-mode", NULL, O_IMODE, "merge files whose permissions differ"},
  {0, "ignore-owner", NULL, O_IOWNER,
   "merge files whose owner or group differ"},
  {0, "ignore-time", NULL, O_ITIME,
   "merge files whose modification times differ"},
  {0, "ignore-xattrs", NULL, O_IXATTR,
   "merge files whose xattrs or ACLs differ"},
  {0, "json", NULL, O_JSON, "one JSON object per group, then a summary"},
  {'h', "help", NULL, O_HELP, "show this help"},
  {0, NULL, NULL, 0, NULL}
};

const cli_help cli_help_dedupe = {help_head, options, help_tail};

typedef struct ctx {
  slink_dedupe_opts o;
  int json;
  cli_progress progress;
  char noun[96];        /* the progress line's words after the count */
  const char *where;    /* the first DIR, shown at the line's end */
} ctx;

/* "4096", "64K", "1M", "2G" as bytes; -1 when it is none of those. */
static int parse_size(const char *s, uint64_t *out) {
  if (!*s || *s < '0' || *s > '9')
    return -1;
  uint64_t v = 0;
  for (; *s >= '0' && *s <= '9'; s++) {
    if (v > (UINT64_MAX - 9) / 10)
      return -1;
    v = v * 10 + (uint64_t)(*s - '0');
  }
  int shift = 0;
  switch (*s) {
  case '\0': break;
  case 'k': case 'K': shift = 10; s++; break;
  case 'm': case 'M': shift = 20; s++; break;
  case 'g': case 'G': shift = 30; s++; break;
  default: return -1;
  }
  if (*s || (shift && v > (UINT64_MAX >> shift)))
    return -1;
  *out = v << shift;
  return 0;
}

static int on_opt(void *p, int id, const char *arg) {
  ctx *c = p;
  switch (id) {
  case O_DRY: c->o.flags |= SLINK_DEDUPE_DRY_RUN; break;
  case O_HARD: c->o.flags &= ~(unsigned)SLINK_DEDUPE_REFLINK; break;
  case O_REFLINK: c->o.flags |= SLINK_DEDUPE_REFLINK; break;
  case O_MIN:
    if (parse_size(arg, &c->o.min_size) < 0)
      return cli_usage_error("dedupe", "--min-size takes a number of bytes");
    break;
  case O_MAXL:
    if (parse_size(arg, &c->o.max_links) < 0 || c->o.max_links < 2)
      return cli_usage_error("dedupe", "--max-links takes a number from 2");
    break;
  case O_EMPTY: c->o.flags |= SLINK_DEDUPE_EMPTY; break;
  case O_IMODE: c->o.flags |= SLINK_DEDUPE_IGNORE_MODE; break;
  case O_IOWNER: c->o.flags |= SLINK_DEDUPE_IGNORE_OWNER; break;
  case O_ITIME: c->o.flags |= SLINK_DEDUPE_IGNORE_TIME; break;
  case O_IXATTR: c->o.flags |= SLINK_DEDUPE_IGNORE_XATTRS; break;
  case O_JSON: c->json = 1; break;
  case O_HELP: cli_help_print(&cli_help_dedupe); return -1;
  }
  return 0;
}

static const char *why(const slink_dedupe_name *n) {
  switch (n->reason) {
  case SLINK_DEDUPE_R_CHANGED: return "changed since it was read";
  case SLINK_DEDUPE_R_BUSY: return "open for writing by another process";
  case SLINK_DEDUPE_R_DIFFERS: return "its bytes differ from the kept file's";
  case SLINK_DEDUPE_R_MODE: return "other permissions (--ignore-mode merges it)";
  case SLINK_DEDUPE_R_OWNER: return "other owner (--ignore-owner merges it)";
  case SLINK_DEDUPE_R_TIME:
    return "other modification time (--ignore-time merges it)";
  case SLINK_DEDUPE_R_XATTRS:
    return "other xattrs or ACLs (--ignore-xattrs merges it)";
  case SLINK_DEDUPE_R_ERROR: return slink_strerror(n->error);
  default: return "";
  }
}

/* 1536 as "1.5 KiB": the text output's sizes. */
static void human(char *buf, size_t size, uint64_t v) {
  static const char *const units[] = {"bytes", "KiB", "MiB", "GiB", "TiB"};
  double d = (double)v;
  int u = 0;
  while (d >= 1024 && u < 4) {
    d /= 1024;
    u++;
  }
  if (u == 0)
    snprintf(buf, size, "%" PRIu64 " bytes", v);
  else
    snprintf(buf, size, "%.1f %s", d, units[u]);
}

static void print_json(ctx *c, const slink_dedupe_event *ev) {
  static const char *const status[] = {"kept", "linked", "skipped"};
  char *b = NULL;
  size_t len = 0, cap = 0;
  int rc = 0;
  const char *kept = NULL;
  size_t kept_len = 0;
  for (size_t i = 0; i < ev->count; i++)
    if (ev->names[i].status == SLINK_DEDUPE_KEPT && !kept) {
      kept = ev->names[i].path;
      kept_len = ev->names[i].path_len;
    }
  char head[160];
  snprintf(head, sizeof head,
           "{\"size\":%" PRIu64 ",\"saved\":%" PRIu64
           ",\"dry_run\":%s,\"how\":\"%s\",\"metadata_from\":",
           ev->size, ev->saved,
           c->o.flags & SLINK_DEDUPE_DRY_RUN ? "true" : "false",
           c->o.flags & SLINK_DEDUPE_REFLINK ? "reflink" : "hardlink");
  cli_out(head);
  /* Reflinks keep every file's own metadata: none is chosen. */
  if (kept && !(c->o.flags & SLINK_DEDUPE_REFLINK))
    rc = slink_json_string(&b, &len, &cap, kept, kept_len);
  cli_out(rc == 0 && b ? b : "null");
  cli_out(",\"names\":[");
  for (size_t i = 0; i < ev->count; i++) {
    const slink_dedupe_name *n = &ev->names[i];
    len = 0;
    if (slink_json_string(&b, &len, &cap, n->path, n->path_len) < 0)
      break;
    cli_outf("%s{\"path\":%s,\"status\":\"%s\",\"reason\":", i ? "," : "", b,
             status[n->status]);
    if (n->status == SLINK_DEDUPE_SKIPPED)
      cli_outf("\"%s\"", slink_dedupe_reason_name(n->reason));
    else
      cli_out("null");
    if (n->reason == SLINK_DEDUPE_R_ERROR)
      cli_outf(",\"error\":\"%s\"", slink_err_name(n->error));
    cli_out("}");
  }
  cli_out("]}\n");
  free(b);
}

static void print_text(ctx *c, const slink_dedupe_event *ev) {
  int dry = c->o.flags & SLINK_DEDUPE_DRY_RUN;
  int reflink = c->o.flags & SLINK_DEDUPE_REFLINK;
  char sz[32], sv[32];
  human(sz, sizeof sz, ev->size);
  human(sv, sizeof sv, ev->saved);
  cli_outf("%" PRIu64 " %s of %s, %s %s:\n", (uint64_t)ev->count,
           ev->count == 1 ? "file" : "files", sz, sv,
           dry ? "to be saved" : "saved");
  for (size_t i = 0; i < ev->count; i++) {
    const slink_dedupe_name *n = &ev->names[i];
    char *q = slink_quote(n->path, n->path_len);
    const char *p = q ? q : "";
    if (n->status == SLINK_DEDUPE_KEPT)
      cli_outf("  %-11s %s%s\n", "kept", p,
               reflink ? "" : " (its owner, mode, times and xattrs stay)");
    else if (n->status == SLINK_DEDUPE_LINKED)
      cli_outf("  %-11s %s\n",
               reflink ? (dry ? "would share" : "shared")
                       : (dry ? "would link" : "linked"),
               p);
    else
      cli_outf("  %-11s %s: %s\n", "left alone", p, why(n));
    free(q);
  }
}

static int on_event(const slink_dedupe_event *ev, void *p) {
  ctx *c = p;
  if (ev->type == SLINK_DEDUPE_EV_ERROR) {
    cli_error("dedupe", ev->path, slink_strerror(ev->error));
    return 0;
  }
  if (ev->type == SLINK_DEDUPE_EV_PROGRESS) {
    char rd[32], sv[32];
    human(rd, sizeof rd, ev->stats->bytes_read);
    human(sv, sizeof sv, ev->stats->bytes_saved);
    snprintf(c->noun, sizeof c->noun, "files hashed, %s read, %s saved", rd,
             sv);
    c->progress.noun = c->noun;
    cli_progress_tick(&c->progress, "dedupe",
                      (unsigned long)ev->stats->files_hashed, c->where);
    return 0;
  }
  for (size_t i = 0; i < ev->count; i++)
    if (ev->names[i].reason == SLINK_DEDUPE_R_ERROR)
      cli_error("dedupe", ev->names[i].path,
                slink_strerror(ev->names[i].error));
  if (c->json)
    print_json(c, ev);
  else
    print_text(c, ev);
  return 0;
}

static void summary(ctx *c, const slink_dedupe_stats *s) {
  int dry = c->o.flags & SLINK_DEDUPE_DRY_RUN;
  if (c->json) {
    cli_outf("{\"summary\":true,\"dry_run\":%s,\"files\":%" PRIu64
             ",\"files_hashed\":%" PRIu64 ",\"bytes_read\":%" PRIu64
             ",\"groups\":%" PRIu64 ",\"linked\":%" PRIu64
             ",\"skipped\":%" PRIu64 ",\"bytes_saved\":%" PRIu64
             ",\"errors\":%" PRIu64 "}\n",
             dry ? "true" : "false", s->files, s->files_hashed, s->bytes_read,
             s->groups, s->linked, s->skipped, s->bytes_saved, s->errors);
    return;
  }
  char sv[32];
  human(sv, sizeof sv, s->bytes_saved);
  cli_outf("%" PRIu64 " files, %" PRIu64 " groups, %" PRIu64 " names %s, "
           "%s %s, %" PRIu64 " left alone, %" PRIu64 " errors\n",
           s->files, s->groups, s->linked,
           c->o.flags & SLINK_DEDUPE_REFLINK
               ? (dry ? "to share storage" : "sharing storage")
               : (dry ? "to be linked" : "linked"),
           sv, dry ? "to be saved" : "saved", s->skipped, s->errors);
}

int cmd_dedupe(int argc, char **argv) {
  ctx c;
  memset(&c, 0, sizeof c);
  cli_args a;
  int rc = cli_parse("dedupe", argc, argv, options, on_opt, &c, &a);
  if (rc != 0) {
    cli_args_free(&a);
    return rc == -1 ? CLI_OK : rc;
  }
  if (a.count < 1) {
    cli_args_free(&a);
    return cli_usage_error("dedupe", "missing DIR");
  }
  for (int i = 0; i < a.count; i++) {
    slink_info in;
    int r = slink_read(a.operands[i], 0, &in);
    int kind = r == 0 ? (int)in.kind : SLINK_KIND_NONE;
    if (r == 0)
      slink_info_free(&in);
    if (r < 0 || kind != SLINK_KIND_DIR) {
      cli_error("dedupe", a.operands[i],
                slink_strerror(r < 0 ? r : SLINK_ENOTDIR));
      cli_args_free(&a);
      return CLI_FAIL;
    }
  }
  cli_progress_start(&c.progress);
  c.progress.noun = "files hashed";
  c.where = a.operands[0];
  slink_dedupe_stats s;
  memset(&s, 0, sizeof s);
  rc = slink_dedupe((const char *const *)a.operands, (size_t)a.count, &c.o,
                    on_event, &c, &s);
  cli_progress_end(&c.progress);
  summary(&c, &s);
  cli_args_free(&a);
  return rc < 0 || s.skipped || s.errors ? CLI_FAIL : CLI_OK;
}
