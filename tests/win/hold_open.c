/*
 * hold_open.c - hold-open FILE FLAG: another Windows process that opens
 * FILE for writing (sharing read, write and delete, as editors and logs
 * do), creates FLAG once it holds it, and keeps it until FLAG is removed.
 * Lets wine-unix-dedupe.sh run slink.exe against a writer of its own.
 */
#include <windows.h>

int main(int argc, char **argv) {
  if (argc != 3)
    return 2;
  HANDLE h = CreateFileA(argv[1], GENERIC_WRITE,
                         FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
                         NULL, OPEN_EXISTING, 0, NULL);
  if (h == INVALID_HANDLE_VALUE)
    return 1;
  HANDLE r = CreateFileA(argv[2], GENERIC_WRITE, 0, NULL, CREATE_NEW, 0, NULL);
  if (r == INVALID_HANDLE_VALUE)
    return 1;
  CloseHandle(r);
  /* A minute at most, whatever happens to the test. */
  for (int i = 0; i < 1200 && GetFileAttributesA(argv[2]) !=
                                  INVALID_FILE_ATTRIBUTES; i++)
    Sleep(50);
  CloseHandle(h);
  return 0;
}
