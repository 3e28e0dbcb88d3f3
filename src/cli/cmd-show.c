/* cmd-show.c - slink show: what each path is, in words or JSON. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/color.h"

static const char help_head[] =
    "usage: slink show [--json] PATH...\n"
    "\n"
    "Say what each PATH is, without following it: its kind (symlink,\n"
    "dir-symlink, junction, wsl-symlink, app-link, reparse, file, dir, ...),\n"
    "the target exactly as stored, the absolute path it resolves to, its\n"
    "states (ok, dangling, loop, denied, absolute, relative, ...), its number\n"
    "of names (hard links), device and inode. \"link/\" shows the link.\n";

static const char help_tail[] =
    "Exit status: 0 all shown, 1 a path could not be read, 2 usage error.\n";

enum { O_JSON = 1, O_HELP };
static const cli_opt options[] = {
  {0, "json", NULL, O_JSON, "one JSON object per path"},
  {0, "color", "[=WHEN]", CLI_O_COLOR,
   "colour the path by kind and the states by how bad they are: auto (on "
   "a terminal, the default), always or never"},
  {'q', "quiet", NULL, CLI_O_QUIET,
   "print nothing: the exit status says whether every path could be read"},
  {'h', "help", NULL, O_HELP, "show this help"},
  {0, NULL, NULL, 0, NULL}
};

const cli_help cli_help_show = {help_head, options, help_tail};

static int on_opt(void *p, int id, const char *arg) {
  (void)arg;
  if (id == O_HELP) {
    cli_help_print(&cli_help_show);
    return -1;
  }
  *(int *)p = 1;
  return 0;
}

static void states_text(unsigned states, char *buf, size_t size) {
  buf[0] = '\0';
  int first = 1;
  for (unsigned i = 0; i < SLINK_STATE_COUNT; i++) {
    if (!(states & (1u << i)))
      continue;
    if (!first)
      strncat(buf, ", ", size - strlen(buf) - 1);
    first = 0;
    const char *on = cli_color_state(1u << i);
    strncat(buf, on, size - strlen(buf) - 1);
    strncat(buf, slink_state_name(1u << i), size - strlen(buf) - 1);
    strncat(buf, cli_color_end(on), size - strlen(buf) - 1);
  }
}

static void show_text(const char *path, const slink_info *in) {
  char *q = cli_quote(path);
  const char *on = cli_color_name(path, in->kind, in);
  cli_outf("%s%s%s\n  kind:      %s\n", on, q, cli_color_end(on),
           slink_kind_name(in->kind));
  free(q);
  if (slink_kind_is_link(in->kind)) {
    if (in->target && in->target_len > 0) {
      q = slink_quote(in->target, in->target_len);
      cli_outf("  target:    %s\n", q);
      free(q);
    }
    if (in->resolved) {
      q = cli_quote(in->resolved);
      cli_outf("  resolved:  %s (%s)\n", q, slink_kind_name(in->target_kind));
      free(q);
    }
    char st[512];
    states_text(in->states, st, sizeof st);
    cli_outf("  states:    %s\n", st);
  }
  if (in->tag) {
    cli_outf("  tag:       0x%08" PRIX32 "\n", in->tag);
    if (in->substitute_name) {
      q = cli_quote(in->substitute_name);
      cli_outf("  substitute name: %s\n", q);
      free(q);
    }
    if (in->print_name) {
      q = cli_quote(in->print_name);
      cli_outf("  print name:      %s\n", q);
      free(q);
    }
  }
  cli_outf("  names:     %" PRIu64 "\n  device:    %" PRIu64
           "\n  inode:     %" PRIu64 "\n",
           in->nlink, in->dev, in->ino);
}

int cmd_show(int argc, char **argv) {
  int json = 0;
  cli_args a;
  int rc = cli_parse("show", argc, argv, options, on_opt, &json, &a);
  if (rc != 0) {
    cli_args_free(&a);
    return rc == -1 ? CLI_OK : rc;
  }
  if (a.count == 0) {
    cli_args_free(&a);
    return cli_usage_error("show", "expected at least one PATH");
  }
  int status = CLI_OK;
  for (int i = 0; i < a.count; i++) {
    slink_info info;
    int err = slink_read(a.operands[i], SLINK_READ_RESOLVE, &info);
    if (err < 0) {
      cli_error("show", a.operands[i], slink_strerror(err));
      status = CLI_FAIL;
      continue;
    }
    if (json) {
      char *j = slink_info_json(a.operands[i], &info);
      if (j)
        cli_outf("%s\n", j);
      else
        status = CLI_FAIL;
      free(j);
    } else {
      if (i > 0)
        cli_out("\n");
      show_text(a.operands[i], &info);
    }
    slink_info_free(&info);
  }
  cli_args_free(&a);
  return status;
}
