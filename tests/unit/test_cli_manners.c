/* Terminal manners of the program: colour choice and LS_COLORS, the
 * progress line, --quiet and the options every command takes. */
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "cli/cli.h"
#include "cli/color.h"
#include "cli/progress.h"

/* Standard output or error sent to a file while FN runs; its bytes. */
typedef struct capture {
  int fd, saved;
  char path[64];
} capture;

static void capture_start(capture *c, int fd) {
  strcpy(c->path, "/tmp/slink-manners.XXXXXX");
  int tmp = mkstemp(c->path);
  assert_true(tmp >= 0);
  c->fd = fd;
  c->saved = dup(fd);
  assert_true(dup2(tmp, fd) >= 0);
  close(tmp);
}

static char *capture_end(capture *c) {
  dup2(c->saved, c->fd);
  close(c->saved);
  FILE *f = fopen(c->path, "rb");
  assert_non_null(f);
  char *buf = calloc(1, 65536);
  size_t n = fread(buf, 1, 65535, f);
  buf[n] = '\0';
  fclose(f);
  unlink(c->path);
  return buf;
}

static int reset(void **state) {
  (void)state;
  memset(&cli_global, 0, sizeof cli_global);
  unsetenv("LS_COLORS");
  unsetenv("NO_COLOR");
  unsetenv("TERM");
  cli_color_set(CLI_COLOR_AUTO);
  return 0;
}

static void color_words(void **state) {
  (void)state;
  assert_int_equal(cli_color_parse(NULL), CLI_COLOR_ALWAYS);
  assert_int_equal(cli_color_parse("always"), CLI_COLOR_ALWAYS);
  assert_int_equal(cli_color_parse("force"), CLI_COLOR_ALWAYS);
  assert_int_equal(cli_color_parse("auto"), CLI_COLOR_AUTO);
  assert_int_equal(cli_color_parse("tty"), CLI_COLOR_AUTO);
  assert_int_equal(cli_color_parse("never"), CLI_COLOR_NEVER);
  assert_int_equal(cli_color_parse("none"), CLI_COLOR_NEVER);
  assert_int_equal(cli_color_parse("sometimes"), -1);
  assert_int_equal(cli_color_parse(""), -1);
}

static void when_colour_is_on(void **state) {
  (void)state;
  /* The tests' standard output is not a terminal: auto is off. */
  cli_color_set(CLI_COLOR_AUTO);
  if (!isatty(1))
    assert_false(cli_color_on());
  cli_color_set(CLI_COLOR_NEVER);
  assert_false(cli_color_on());
  assert_string_equal(cli_color_name("d", SLINK_KIND_DIR, NULL), "");
  cli_color_set(CLI_COLOR_ALWAYS);
  assert_true(cli_color_on());
  /* NO_COLOR turns auto off; an explicit --color=always wins over it. */
  setenv("NO_COLOR", "1", 1);
  cli_color_set(CLI_COLOR_ALWAYS);
  assert_true(cli_color_on());
  cli_color_set(CLI_COLOR_AUTO);
  assert_false(cli_color_on());
  /* JSON and NUL-separated output are never coloured. */
  unsetenv("NO_COLOR");
  cli_global.json = 1;
  cli_color_set(CLI_COLOR_ALWAYS);
  assert_false(cli_color_on());
  cli_global.json = 0;
  cli_global.null = 1;
  cli_color_set(CLI_COLOR_ALWAYS);
  assert_false(cli_color_on());
}

static void builtin_colours_are_gnu_ls_ones(void **state) {
  (void)state;
  cli_color_set(CLI_COLOR_ALWAYS);
  const char *on = cli_color_name("d", SLINK_KIND_DIR, NULL);
  assert_string_equal(on, "\033[01;34m");
  assert_string_equal(cli_color_end(on), "\033[0m");
  assert_string_equal(cli_color_name("l", SLINK_KIND_SYMLINK, NULL),
                      "\033[01;36m");
  assert_string_equal(cli_color_name("j", SLINK_KIND_JUNCTION, NULL),
                      "\033[01;36m");
  slink_info exe = {0};
  exe.kind = SLINK_KIND_FILE;
  exe.mode = 0755;
  exe.nlink = 1;
  assert_string_equal(cli_color_name("run", SLINK_KIND_FILE, &exe),
                      "\033[01;32m");
  exe.mode = 0644;
  assert_string_equal(cli_color_name("plain", SLINK_KIND_FILE, &exe), "");
  assert_string_equal(cli_color_end(""), "");
  assert_string_equal(cli_color_state(SLINK_STATE_OK), "\033[32m");
  assert_string_equal(cli_color_state(SLINK_STATE_DANGLING), "\033[01;31m");
  assert_string_equal(cli_color_state(SLINK_STATE_RELATIVE), "");
}

static void ls_colors_is_read_as_ls_reads_it(void **state) {
  (void)state;
  setenv("LS_COLORS",
         "di=00;33:ln=35:or=\\e[5m\\x41^[:ex=0:*.tar=01;31:*.TXT=36:"
         "*README=4:zz=1:fi=",
         1);
  cli_color_set(CLI_COLOR_ALWAYS);
  assert_string_equal(cli_color_name("d", SLINK_KIND_DIR, NULL),
                      "\033[00;33m");
  slink_info dangling = {0};
  dangling.kind = SLINK_KIND_SYMLINK;
  dangling.states = SLINK_STATE_DANGLING;
  assert_string_equal(cli_color_name("l", SLINK_KIND_SYMLINK, &dangling),
                      "\033[\033[5mA\033m");
  slink_info ok = {0};
  ok.kind = SLINK_KIND_SYMLINK;
  ok.states = SLINK_STATE_OK;
  assert_string_equal(cli_color_name("l", SLINK_KIND_SYMLINK, &ok),
                      "\033[35m");
  /* "ex=0" switches executables off; patterns then decide. */
  slink_info f = {0};
  f.kind = SLINK_KIND_FILE;
  f.mode = 0755;
  f.nlink = 1;
  assert_string_equal(cli_color_name("a.tar", SLINK_KIND_FILE, &f),
                      "\033[01;31m");
  f.mode = 0644;
  assert_string_equal(cli_color_name("b.tar", SLINK_KIND_FILE, &f),
                      "\033[01;31m");
  assert_string_equal(cli_color_name("c.TXT", SLINK_KIND_FILE, &f),
                      "\033[36m");
  assert_string_equal(cli_color_name("c.txt", SLINK_KIND_FILE, &f),
                      "\033[36m");
  assert_string_equal(cli_color_name("README", SLINK_KIND_FILE, &f),
                      "\033[4m");
  assert_string_equal(cli_color_name("tar", SLINK_KIND_FILE, &f), "");
  /* The dangling state word takes "or" too. */
  assert_string_equal(cli_color_state(SLINK_STATE_DANGLING),
                      "\033[\033[5mA\033m");
}

static void ln_target_colours_a_link_as_its_target(void **state) {
  (void)state;
  setenv("LS_COLORS", "ln=target:di=01;34:or=31", 1);
  cli_color_set(CLI_COLOR_ALWAYS);
  slink_info in = {0};
  in.kind = SLINK_KIND_DIR_SYMLINK;
  in.states = SLINK_STATE_OK;
  in.resolved = "/somewhere";
  in.target_kind = SLINK_KIND_DIR;
  assert_string_equal(cli_color_name("l", in.kind, &in), "\033[01;34m");
  in.states = SLINK_STATE_DANGLING;
  in.target_kind = SLINK_KIND_NONE;
  assert_string_equal(cli_color_name("l", in.kind, &in), "\033[31m");
  /* Without what it leads to, a link has no colour of its own. */
  assert_string_equal(cli_color_name("l", SLINK_KIND_SYMLINK, NULL), "");
}

static void ec_lc_rc_frame_every_colour(void **state) {
  (void)state;
  setenv("LS_COLORS", "lc=<:rc=>:ec=</>:di=x", 1);
  cli_color_set(CLI_COLOR_ALWAYS);
  const char *on = cli_color_name("d", SLINK_KIND_DIR, NULL);
  assert_string_equal(on, "<x>");
  assert_string_equal(cli_color_end(on), "</>");
}

static void progress_line_fits_the_terminal(void **state) {
  (void)state;
  char buf[512];
  cli_progress_format(buf, sizeof buf, 80, "scan", 12, "links", "a/b");
  assert_string_equal(buf, "scan: 12 links, a/b");
  char path[200];
  memset(path, 'x', sizeof path - 1);
  path[sizeof path - 1] = '\0';
  path[0] = 'S';
  cli_progress_format(buf, sizeof buf, 40, "rm", 7, "entries", path);
  assert_int_equal(strlen(buf), 39);
  assert_memory_equal(buf, "rm: 7 entries, ...xxx", 21);
  /* Never cut a character in half: "é" is two bytes, one column. */
  cli_progress_format(buf, sizeof buf, 30, "scan", 1, "",
                      "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
                      "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
                      "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
                      "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9");
  assert_memory_equal(buf, "scan: 1, ...\xc3\xa9", 14);
  assert_int_equal(strlen(buf), 12 + 2 * 17);
}

static void progress_waits_then_redraws_at_most_ten_times_a_second(void **state) {
  (void)state;
  cli_progress p;
  memset(&p, 0, sizeof p);
  p.on = 1;
  p.noun = "links";
  p.start_ms = 10000;
  p.delay_ms = 1000;
  capture c;
  capture_start(&c, 2);
  cli_progress_tick_at(&p, 10500, "scan", 1, "early");
  cli_progress_tick_at(&p, 11000, "scan", 2, "first");
  cli_progress_tick_at(&p, 11050, "scan", 3, "skipped");
  cli_progress_tick_at(&p, 11100, "scan", 4, "second");
  assert_true(cli_global.progress_shown);
  cli_progress_end(&p);
  assert_false(cli_global.progress_shown);
  cli_progress_end(&p);
  char *got = capture_end(&c);
  assert_string_equal(got, "\r\033[Kscan: 2 links, first"
                           "\r\033[Kscan: 4 links, second"
                           "\r\033[K");
  free(got);
}

static void progress_is_off_in_a_pipe_and_for_programs(void **state) {
  (void)state;
  cli_progress p;
  capture c;
  capture_start(&c, 2); /* standard error is a file, not a terminal */
  cli_progress_start(&p);
  assert_false(p.on);
  cli_progress_tick_at(&p, 1000000, "scan", 1, "x");
  char *got = capture_end(&c);
  assert_string_equal(got, "");
  free(got);
  /* Even on a terminal, --json, --null and --quiet keep it off. The
   * terminal here is whatever standard error is: only "off" can be
   * asserted. */
  cli_global.json = 1;
  cli_progress_start(&p);
  assert_false(p.on);
  cli_global.json = 0;
  cli_global.quiet = 1;
  cli_progress_start(&p);
  assert_false(p.on);
}

static void output_clears_the_progress_line_first(void **state) {
  (void)state;
  capture e, o;
  capture_start(&e, 2);
  capture_start(&o, 1);
  cli_global.progress_shown = 1;
  cli_out("result\n");
  char *out = capture_end(&o);
  char *err = capture_end(&e);
  assert_string_equal(out, "result\n");
  assert_string_equal(err, "\r\033[K");
  assert_false(cli_global.progress_shown);
  free(out);
  free(err);
}

static void quiet_keeps_standard_output_empty(void **state) {
  (void)state;
  capture e, o;
  capture_start(&e, 2);
  capture_start(&o, 1);
  cli_global.quiet = 1;
  cli_out("a\n");
  cli_outf("%s\n", "b");
  cli_write("c\0", 2);
  cli_error("ls", "x", "no such file or directory");
  char *out = capture_end(&o);
  char *err = capture_end(&e);
  assert_string_equal(out, "");
  assert_string_equal(err, "slink: ls: x: no such file or directory\n");
  free(out);
  free(err);
}

static int seen_id;
static int on_opt(void *ctx, int id, const char *arg) {
  (void)ctx;
  (void)arg;
  seen_id = id;
  return 0;
}

static int parse(const char *a1, const char *a2) {
  static const cli_opt opts[] = {
    {0, "json", NULL, 1, "j"}, {'0', "null", NULL, 2, "n"},
    {'a', "all", NULL, 3, "a"}, {0, NULL, NULL, 0, NULL}
  };
  char *argv[] = {(char *)"test", (char *)a1, (char *)a2, NULL};
  cli_args a;
  capture e;
  capture_start(&e, 2);
  int rc = cli_parse("test", a2 ? 3 : 2, argv, opts, on_opt, NULL, &a);
  free(capture_end(&e));
  cli_args_free(&a);
  return rc;
}

static void every_command_takes_color_and_quiet(void **state) {
  (void)state;
  assert_int_equal(parse("--color=never", NULL), 0);
  assert_false(cli_color_on());
  assert_int_equal(parse("--color", NULL), 0);
  assert_true(cli_color_on());
  assert_int_equal(parse("--color=sometimes", NULL), CLI_USAGE);
  assert_int_equal(parse("--quiet=1", NULL), CLI_USAGE);
  assert_false(cli_global.quiet);
  assert_int_equal(parse("-aq", NULL), 0);
  assert_int_equal(seen_id, 3);
  assert_true(cli_global.quiet);
  cli_global.quiet = 0;
  assert_int_equal(parse("--quiet", NULL), 0);
  assert_true(cli_global.quiet);
  /* A command's --json and --null tell colour and progress. */
  assert_int_equal(parse("--json", NULL), 0);
  assert_true(cli_global.json);
  assert_int_equal(parse("-0", NULL), 0);
  assert_true(cli_global.null);
  assert_int_equal(seen_id, 2);
  /* Options no table has are still refused. */
  assert_int_equal(parse("--colour", NULL), CLI_USAGE);
  assert_int_equal(parse("-Z", NULL), CLI_USAGE);
}

/* --help is made from the table: another name on the line of the first,
 * the common options before -h, a long text wrapped under its column,
 * a label too long for the column with its text on the next line. */
static void help_is_made_from_the_table(void **state) {
  (void)state;
  static const cli_opt opts[] = {
    {'r', "recursive", NULL, 1, "remove directories and their contents"},
    {'R', NULL, NULL, 1, NULL},
    {0, "retarget-everything", "OLD=NEW", 2,
     "targets starting with OLD start with NEW instead, and this text is "
     "long enough to need a second line"},
    {'h', "help", NULL, 3, "show this help"},
    {0, NULL, NULL, 0, NULL}
  };
  static const cli_help h = {"usage: test [-r] PATH...\n", opts, "Exit.\n"};
  capture o;
  capture_start(&o, 1);
  cli_help_print(&h);
  char *out = capture_end(&o);
  const char *want =
      "usage: test [-r] PATH...\n"
      "\n"
      "  -r, -R, --recursive  remove directories and their contents\n"
      "      --retarget-everything OLD=NEW\n"
      "                       targets starting with OLD start with NEW instead, and\n"
      "                       this text is long enough to need a second line\n"
      "      --color[=WHEN]   colour names by kind and state, as ls does: auto (only\n";
  assert_memory_equal(out, want, strlen(want));
  const char *q = strstr(out, "  -q, --quiet");
  const char *help = strstr(out, "  -h, --help           show this help\n");
  assert_non_null(q);
  assert_non_null(help);
  assert_true(q < help);
  assert_string_equal(help + strlen("  -h, --help           show this help\n"),
                      "\nExit.\n");
  free(out);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup(help_is_made_from_the_table, reset),
    cmocka_unit_test_setup(color_words, reset),
    cmocka_unit_test_setup(when_colour_is_on, reset),
    cmocka_unit_test_setup(builtin_colours_are_gnu_ls_ones, reset),
    cmocka_unit_test_setup(ls_colors_is_read_as_ls_reads_it, reset),
    cmocka_unit_test_setup(ln_target_colours_a_link_as_its_target, reset),
    cmocka_unit_test_setup(ec_lc_rc_frame_every_colour, reset),
    cmocka_unit_test_setup(progress_line_fits_the_terminal, reset),
    cmocka_unit_test_setup(progress_waits_then_redraws_at_most_ten_times_a_second, reset),
    cmocka_unit_test_setup(progress_is_off_in_a_pipe_and_for_programs, reset),
    cmocka_unit_test_setup(output_clears_the_progress_line_first, reset),
    cmocka_unit_test_setup(quiet_keeps_standard_output_empty, reset),
    cmocka_unit_test_setup(every_command_takes_color_and_quiet, reset),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
