/* platform.h - what only the program needs from the system: its
 * arguments, the console or terminal it writes to. Not part of libslink
 * (the library never prints); platform-posix.c and platform-win.c. */
#ifndef SLINK_CLI_PLATFORM_H
#define SLINK_CLI_PLATFORM_H

#include <stddef.h>

/* The program's arguments as UTF-8 strings. POSIX: ARGV itself. Windows:
 * converted from GetCommandLineW(). The array lives until exit. */
int cli_os_args(int argc, char **argv, char ***utf8_argv);

/* Write LEN bytes of UTF-8 text to standard output (FD 1) or standard
 * error (FD 2) the way the terminal or console needs it (Windows consoles:
 * WriteConsoleW; pipes and files: the bytes). Returns 0 or an error. */
int cli_os_write(int fd, const char *s, size_t len);

/* Nonzero when FD (1 or 2) is a terminal or console. */
int cli_os_isatty(int fd);

/* The system's own error number where it is an errno, so that messages
 * carry the C library's words for it; 0 where OS_ERROR is another kind of
 * code (Windows: a Win32 code, and slink's own words are used). */
int cli_os_errno(int os_error);

/* Nonzero where names are POSIX paths, which ln -r and ln -t resolve as
 * GNU's canonicalize does; zero where they are Windows names (drives,
 * backslashes), which the library resolves itself. */
int cli_os_posix_names(void);

#endif
