/*
 * run_restricted.c - run a command as a user without administrator rights
 * would: with the Administrators group deny-only and every privilege but
 * SeChangeNotifyPrivilege removed (so no SeCreateSymbolicLinkPrivilege).
 * GitHub's runners are administrators with UAC off; this is how the
 * workflow reaches slink's unprivileged paths (issue 13.8). A restricted
 * copy of one's own token needs no extra privilege to start a process.
 *   run-restricted PROGRAM [ARG...]   exits with PROGRAM's status
 */
#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif
#include <windows.h>

#include <stdio.h>
#include <stdlib.h>
#include <wchar.h>

int main(void) {
  const wchar_t *cmd = GetCommandLineW();
  HANDLE mine = NULL, restricted = NULL;
  SID_IDENTIFIER_AUTHORITY nt = {SECURITY_NT_AUTHORITY};
  SID_AND_ATTRIBUTES deny;
  PSID admins = NULL;
  STARTUPINFOW si;
  PROCESS_INFORMATION pi;
  DWORD status = 1;
  int in_quote = 0;
  /* The command line after our own name, as it was typed. */
  while (*cmd && (in_quote || (*cmd != L' ' && *cmd != L'\t'))) {
    if (*cmd == L'"')
      in_quote = !in_quote;
    cmd++;
  }
  while (*cmd == L' ' || *cmd == L'\t')
    cmd++;
  if (!*cmd) {
    fprintf(stderr, "usage: run-restricted PROGRAM [ARG...]\n");
    return 2;
  }
  if (!OpenProcessToken(GetCurrentProcess(), TOKEN_ALL_ACCESS, &mine) ||
      !AllocateAndInitializeSid(&nt, 2, SECURITY_BUILTIN_DOMAIN_RID,
                                DOMAIN_ALIAS_RID_ADMINS, 0, 0, 0, 0, 0, 0,
                                &admins)) {
    fprintf(stderr, "run-restricted: no token (%lu)\n", GetLastError());
    return 2;
  }
  deny.Sid = admins;
  deny.Attributes = 0;
  if (!CreateRestrictedToken(mine, DISABLE_MAX_PRIVILEGE, 1, &deny, 0, NULL,
                             0, NULL, &restricted)) {
    fprintf(stderr, "run-restricted: CreateRestrictedToken (%lu)\n",
            GetLastError());
    return 2;
  }
  memset(&si, 0, sizeof si);
  si.cb = sizeof si;
  wchar_t *line = _wcsdup(cmd);
  if (!line ||
      !CreateProcessAsUserW(restricted, NULL, line, NULL, NULL, TRUE, 0, NULL,
                            NULL, &si, &pi)) {
    fprintf(stderr, "run-restricted: CreateProcessAsUser (%lu)\n",
            GetLastError());
    return 2;
  }
  WaitForSingleObject(pi.hProcess, INFINITE);
  GetExitCodeProcess(pi.hProcess, &status);
  CloseHandle(pi.hThread);
  CloseHandle(pi.hProcess);
  free(line);
  FreeSid(admins);
  CloseHandle(restricted);
  CloseHandle(mine);
  return (int)status;
}
