/*
 * args.c - the program's arguments in UTF-8. The char **argv the C
 * runtime gives is in the ANSI code page and loses every character that
 * page lacks, so the arguments are taken again from the UTF-16 command
 * line.
 */
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "win/win.h"

#include <shellapi.h>

int slink__os_args(int argc, char **argv, char ***utf8_argv) {
  int n = 0, rc = 0, total;
  wchar_t **wargv = CommandLineToArgvW(GetCommandLineW(), &n);
  char **out;
  if (!wargv)
    return slink__win_last_error(NULL);
  /* The caller indexes by the runtime's argc; never hand back fewer. */
  total = n > argc ? n : argc;
  out = calloc((size_t)total + 1, sizeof *out);
  if (!out) {
    LocalFree(wargv);
    return SLINK_ENOMEM;
  }
  for (int i = 0; i < n && rc == 0; i++)
    rc = slink__win_to_utf8(wargv[i], wcslen(wargv[i]), &out[i], NULL);
  LocalFree(wargv);
  for (int i = n; i < argc && rc == 0; i++) {
    size_t len = strlen(argv[i]);
    out[i] = malloc(len + 1);
    if (!out[i])
      rc = SLINK_ENOMEM;
    else
      memcpy(out[i], argv[i], len + 1);
  }
  if (rc < 0) {
    for (int i = 0; i < total; i++)
      free(out[i]);
    free(out);
    return rc;
  }
  /* Kept until exit, as the C runtime keeps argv. */
  *utf8_argv = out;
  return 0;
}
