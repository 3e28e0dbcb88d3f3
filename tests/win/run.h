/*
 * run.h - starting slink.exe from a Windows test program as a user would:
 * the arguments quoted for CommandLineToArgvW, standard output and error
 * sent to files in the temporary folder (named after the test and its
 * process, so programs running side by side keep apart, and never in a
 * folder a test looks at) and read back. The program's path (absolute,
 * taken before the scratch directory becomes the current one) and those
 * names are set by run_begin(), which also makes the scratch directory.
 */
#ifndef SLINK_TESTS_WIN_RUN_H
#define SLINK_TESTS_WIN_RUN_H

#include "scratch.h"

static wchar_t slink_path[32768];
static wchar_t run_out[MAX_PATH + 64], run_err[MAX_PATH + 64];

typedef struct run_result {
  DWORD status;
  char out[8192];
  char err[4096];
} run_result;

/* One argument quoted so that CommandLineToArgvW gives it back. */
static void append_arg(wchar_t *cmd, size_t cap, const wchar_t *arg) {
  size_t n = wcslen(cmd);
  int quote = arg[0] == 0 || wcspbrk(arg, L" \t\"") != NULL;
  if (n && n + 1 < cap)
    cmd[n++] = L' ';
  if (quote && n + 1 < cap)
    cmd[n++] = L'"';
  for (const wchar_t *p = arg;; p++) {
    size_t slashes = 0;
    while (*p == L'\\') {
      p++;
      slashes++;
    }
    /* Backslashes are doubled only before a quote (or the closing one). */
    if (*p == 0 || *p == L'"')
      slashes = *p == L'"' || quote ? slashes * 2 : slashes;
    while (slashes-- && n + 1 < cap)
      cmd[n++] = L'\\';
    if (*p == 0)
      break;
    if (*p == L'"' && n + 1 < cap)
      cmd[n++] = L'\\';
    if (n + 1 < cap)
      cmd[n++] = *p;
  }
  if (quote && n + 1 < cap)
    cmd[n++] = L'"';
  cmd[n] = 0;
}

static void slurp(HANDLE h, char *buf, size_t cap) {
  DWORD got = 0;
  SetFilePointer(h, 0, NULL, FILE_BEGIN);
  if (!ReadFile(h, buf, (DWORD)cap - 1, &got, NULL))
    got = 0;
  buf[got] = '\0';
}

static HANDLE capture_file(const wchar_t *name) {
  SECURITY_ATTRIBUTES sa = {sizeof sa, NULL, TRUE};
  return CreateFileW(name, GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ, &sa,
                     CREATE_ALWAYS, FILE_ATTRIBUTE_TEMPORARY, NULL);
}

/* Run PROGRAM (slink.exe, or a copy under another name) with the UTF-8
 * arguments ARGS (NULL-terminated). */
static int run_as(const wchar_t *program, run_result *r, const char **args) {
  static wchar_t cmd[32768];
  STARTUPINFOW si;
  PROCESS_INFORMATION pi;
  HANDLE out = capture_file(run_out);
  HANDLE err = capture_file(run_err);
  int ok;
  cmd[0] = 0;
  append_arg(cmd, 32768, program);
  for (; *args; args++) {
    wchar_t *w;
    size_t n;
    if (slink__win_to_utf16(*args, strlen(*args), &w, &n) < 0)
      return 0;
    append_arg(cmd, 32768, w);
    free(w);
  }
  memset(&si, 0, sizeof si);
  si.cb = sizeof si;
  si.dwFlags = STARTF_USESTDHANDLES;
  si.hStdInput = GetStdHandle(STD_INPUT_HANDLE);
  si.hStdOutput = out;
  si.hStdError = err;
  ok = CreateProcessW(program, cmd, NULL, NULL, TRUE, 0, NULL, NULL, &si,
                      &pi);
  if (ok) {
    WaitForSingleObject(pi.hProcess, 60000);
    GetExitCodeProcess(pi.hProcess, &r->status);
    CloseHandle(pi.hThread);
    CloseHandle(pi.hProcess);
    slurp(out, r->out, sizeof r->out);
    slurp(err, r->err, sizeof r->err);
  }
  CloseHandle(out);
  CloseHandle(err);
  return ok;
}

#define RUN(r, ...)                                                          \
  do {                                                                       \
    const char *args_[] = {__VA_ARGS__, NULL};                               \
    if (!run_as(slink_path, (r), args_))                                     \
      (r)->status = 9999;                                                    \
  } while (0)

static int contains(const char *hay, const char *needle) {
  return strstr(hay, needle) != NULL;
}

/* The start of a test program test-win-NAME: argv[1] (UTF-8) is the
 * slink.exe RUN starts; then the scratch directory NAME. -1 to go on,
 * else the exit status. */
static int run_begin(int argc, char **argv, const char *name) {
  wchar_t *w;
  DWORD n = 0;
  if (argc >= 2 && !slink__win_to_utf16(argv[1], strlen(argv[1]), &w, NULL)) {
    n = GetFullPathNameW(w, 32768, slink_path, NULL);
    free(w);
  }
  if (n == 0 || n >= 32768) {
    printf("usage: test-win-%s PATH-TO-SLINK.EXE\n", name);
    return 2;
  }
  wchar_t tmp[MAX_PATH + 1];
  n = GetTempPathW(MAX_PATH + 1, tmp);
  if (n == 0 || n > MAX_PATH)
    return 2;
  swprintf(run_out, MAX_PATH + 64, L"%lsslink-%hs-%lu-out.txt", tmp, name,
           GetCurrentProcessId());
  swprintf(run_err, MAX_PATH + 64, L"%lsslink-%hs-%lu-err.txt", tmp, name,
           GetCurrentProcessId());
  const char *wine = tap_wine_version();
  if (wine)
    tap_note("running under Wine %s", wine);
  if (!TAP_OK(scratch_begin(name), "a scratch directory"))
    return tap_done();
  return -1;
}

static void run_end(void) {
  DeleteFileW(run_out);
  DeleteFileW(run_err);
}

#endif
