/*
 * run.c - running a program and reading what it prints, for the one place
 * the library needs it: Git's own plumbing when the build has no libgit2.
 *
 * No shell: the program is found in PATH (never in the current directory,
 * which under slink convert is the repository being converted: a git.exe
 * there must not run) and started with CreateProcessW, its arguments
 * quoted so that the C runtime's parser gives them back exactly. Only the
 * three standard handles are inherited; standard error goes to NUL. The
 * input is written by a thread of its own, so a program that prints
 * before it has read everything cannot stall both sides.
 */
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "lib/internal.h"
#include "win/win.h"

static int has_sep(const wchar_t *s) {
  return wcschr(s, L'\\') || wcschr(s, L'/') || wcschr(s, L':');
}

/* A file (not a directory) at PATH. */
static int is_file(const wchar_t *path) {
  DWORD a = GetFileAttributesW(path);
  return a != INVALID_FILE_ATTRIBUTES && !(a & FILE_ATTRIBUTE_DIRECTORY);
}

/* DIR (LEN units) \ NAME EXT as a new string. */
static wchar_t *joined(const wchar_t *dir, size_t len, const wchar_t *name,
                       const wchar_t *ext) {
  size_t nl = wcslen(name), el = wcslen(ext);
  wchar_t *p = malloc((len + nl + el + 2) * sizeof *p);
  if (!p)
    return NULL;
  memcpy(p, dir, len * sizeof *p);
  if (len > 0 && dir[len - 1] != L'\\' && dir[len - 1] != L'/')
    p[len++] = L'\\';
  memcpy(p + len, name, nl * sizeof *p);
  memcpy(p + len + nl, ext, (el + 1) * sizeof *p);
  return p;
}

/* NAME with ".exe" added unless it names a file as it is, in DIR. */
static wchar_t *candidate(const wchar_t *dir, size_t len, const wchar_t *name) {
  static const wchar_t *const exts[] = {L"", L".exe", L".com"};
  for (size_t i = 0; i < sizeof exts / sizeof exts[0]; i++) {
    wchar_t *p = joined(dir, len, name, exts[i]);
    if (!p || is_file(p))
      return p;
    free(p);
  }
  return NULL;
}

/* The program NAME: as given when it holds a directory, else the first
 * in PATH. */
static int find_program(const wchar_t *name, wchar_t **out) {
  wchar_t *path;
  DWORD n;
  if (has_sep(name)) {
    *out = candidate(L"", 0, name);
    return *out ? 0 : SLINK_ENOENT;
  }
  n = GetEnvironmentVariableW(L"PATH", NULL, 0);
  if (n == 0)
    return SLINK_ENOENT;
  if (!(path = malloc((size_t)n * sizeof *path)))
    return SLINK_ENOMEM;
  GetEnvironmentVariableW(L"PATH", path, n);
  *out = NULL;
  for (wchar_t *p = path; *p && !*out;) {
    wchar_t *e = wcschr(p, L';');
    size_t len = e ? (size_t)(e - p) : wcslen(p);
    wchar_t *d = p;
    if (len >= 2 && d[0] == L'"' && d[len - 1] == L'"') {
      d++;
      len -= 2;
    }
    if (len > 0)
      *out = candidate(d, len, name);
    p += e ? (size_t)(e - p) + 1 : wcslen(p);
  }
  free(path);
  return *out ? 0 : SLINK_ENOENT;
}

/* ARGV as one command line, UTF-16. */
static int command_line(char *const argv[], wchar_t **out) {
  size_t n = 0;
  char *line, *p;
  int rc;
  for (size_t i = 0; argv[i]; i++)
    n += slink__win_quote_arg(argv[i], NULL) + 1;
  if (!(line = malloc(n + 1)))
    return SLINK_ENOMEM;
  p = line;
  for (size_t i = 0; argv[i]; i++) {
    if (i > 0)
      *p++ = ' ';
    p += slink__win_quote_arg(argv[i], p);
  }
  *p = 0;
  rc = slink__win_to_utf16(line, (size_t)(p - line), out, NULL);
  free(line);
  return rc;
}

typedef struct feed {
  HANDLE pipe;
  const char *data;
  size_t len;
} feed;

static DWORD WINAPI write_input(void *arg) {
  feed *f = arg;
  while (f->len > 0) {
    DWORD n = 0, want = f->len > 0x10000 ? 0x10000 : (DWORD)f->len;
    if (!WriteFile(f->pipe, f->data, want, &n, NULL) || n == 0)
      break; /* the program stopped reading: what it printed counts */
    f->data += n;
    f->len -= n;
  }
  CloseHandle(f->pipe);
  return 0;
}

/* Everything H gives until its writer closes it, NUL after. */
static int read_output(HANDLE h, char **out, size_t *out_len) {
  size_t cap = 4096, len = 0;
  char *b = malloc(cap + 1);
  if (!b)
    return SLINK_ENOMEM;
  for (;;) {
    DWORD n = 0;
    if (len == cap) {
      char *nb = realloc(b, 2 * cap + 1);
      if (!nb) {
        free(b);
        return SLINK_ENOMEM;
      }
      b = nb;
      cap *= 2;
    }
    if (!ReadFile(h, b + len, (DWORD)(cap - len > 0x10000 ? 0x10000 : cap - len),
                  &n, NULL)) {
      DWORD e = GetLastError();
      if (e == ERROR_BROKEN_PIPE)
        break; /* the program closed its end: all there is */
      free(b);
      return slink__win_error(e);
    }
    if (n == 0)
      break;
    len += n;
  }
  b[len] = 0;
  *out = b;
  *out_len = len;
  return 0;
}

/* Start PROGRAM with LINE, its standard handles STD (in, out, err), which
 * alone it inherits. */
static int start(const wchar_t *program, wchar_t *line, HANDLE std[3],
                 PROCESS_INFORMATION *pi) {
  STARTUPINFOEXW si;
  SIZE_T size = 0;
  LPPROC_THREAD_ATTRIBUTE_LIST list = NULL;
  BOOL ok;
  memset(&si, 0, sizeof si);
  si.StartupInfo.cb = sizeof si;
  si.StartupInfo.dwFlags = STARTF_USESTDHANDLES;
  si.StartupInfo.hStdInput = std[0];
  si.StartupInfo.hStdOutput = std[1];
  si.StartupInfo.hStdError = std[2];
  InitializeProcThreadAttributeList(NULL, 1, 0, &size);
  if (size && (list = malloc(size)) != NULL &&
      InitializeProcThreadAttributeList(list, 1, 0, &size)) {
    if (UpdateProcThreadAttribute(list, 0, PROC_THREAD_ATTRIBUTE_HANDLE_LIST,
                                  std, 3 * sizeof(HANDLE), NULL, NULL))
      si.lpAttributeList = list;
  }
  /* Without the list (which Wine may lack) every inheritable handle of
   * this process is inherited: only ours are made inheritable anyway. */
  ok = CreateProcessW(program, line, NULL, NULL, TRUE,
                      CREATE_NO_WINDOW | CREATE_UNICODE_ENVIRONMENT |
                          (si.lpAttributeList ? EXTENDED_STARTUPINFO_PRESENT
                                              : 0),
                      NULL, NULL, &si.StartupInfo, pi);
  DWORD e = ok ? 0 : GetLastError();
  if (list) {
    if (si.lpAttributeList)
      DeleteProcThreadAttributeList(list);
    free(list);
  }
  if (!ok && si.lpAttributeList && e == ERROR_INVALID_PARAMETER) {
    si.StartupInfo.cb = sizeof si.StartupInfo;
    ok = CreateProcessW(program, line, NULL, NULL, TRUE,
                        CREATE_NO_WINDOW | CREATE_UNICODE_ENVIRONMENT, NULL,
                        NULL, &si.StartupInfo, pi);
    e = ok ? 0 : GetLastError();
  }
  return ok ? 0 : slink__win_error(e);
}

int slink__os_run(char *const argv[], const void *in, size_t in_len,
                  char **out, size_t *out_len, int *status) {
  SECURITY_ATTRIBUTES inherit = {sizeof inherit, NULL, TRUE};
  HANDLE in_r = NULL, in_w = NULL, out_r = NULL, out_w = NULL, nul;
  PROCESS_INFORMATION pi;
  wchar_t *name = NULL, *program = NULL, *line = NULL;
  HANDLE writer = NULL;
  feed f;
  DWORD code = 0;
  int rc;
  *out = NULL;
  *out_len = 0;
  *status = -1;
  if (!argv || !argv[0])
    return SLINK_EINVAL;
  rc = slink__win_to_utf16(argv[0], strlen(argv[0]), &name, NULL);
  if (rc == 0)
    rc = find_program(name, &program);
  free(name);
  if (rc == 0)
    rc = command_line(argv, &line);
  if (rc < 0) {
    free(program);
    return rc;
  }
  nul = CreateFileW(L"NUL", GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE,
                    &inherit, OPEN_EXISTING, 0, NULL);
  if (nul == INVALID_HANDLE_VALUE || !CreatePipe(&in_r, &in_w, &inherit, 0) ||
      !CreatePipe(&out_r, &out_w, &inherit, 0)) {
    rc = slink__win_last_error(NULL);
  } else {
    /* This side's ends stay here. */
    SetHandleInformation(in_w, HANDLE_FLAG_INHERIT, 0);
    SetHandleInformation(out_r, HANDLE_FLAG_INHERIT, 0);
    HANDLE std[3] = {in_r, out_w, nul};
    rc = start(program, line, std, &pi);
  }
  free(program);
  free(line);
  if (in_r)
    CloseHandle(in_r);
  if (out_w)
    CloseHandle(out_w);
  if (nul != INVALID_HANDLE_VALUE)
    CloseHandle(nul);
  if (rc < 0) {
    if (in_w)
      CloseHandle(in_w);
    if (out_r)
      CloseHandle(out_r);
    return rc;
  }
  CloseHandle(pi.hThread);
  f.pipe = in_w;
  f.data = in;
  f.len = in ? in_len : 0;
  if (!(writer = CreateThread(NULL, 0, write_input, &f, 0, NULL)))
    write_input(&f); /* no thread: the input is small, write it here */
  rc = read_output(out_r, out, out_len);
  CloseHandle(out_r);
  if (writer) {
    WaitForSingleObject(writer, INFINITE);
    CloseHandle(writer);
  }
  WaitForSingleObject(pi.hProcess, INFINITE);
  if (GetExitCodeProcess(pi.hProcess, &code))
    /* An NTSTATUS for an exit code is a crash or a kill. */
    *status = code >= 0xC0000000u ? -1 : (int)code;
  CloseHandle(pi.hProcess);
  if (rc < 0) {
    free(*out);
    *out = NULL;
    *out_len = 0;
  }
  return rc;
}
