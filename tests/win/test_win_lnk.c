/*
 * test_win_lnk.c - the shortcut slink convert --to shortcut makes on
 * Windows, against what Cygwin's path.cc makes for winsymlinks:lnk: for a
 * target the shell can parse, the shell's ID list comes first
 * (HasLinkTargetIDList), and it is the one the shell gives here by itself
 * (SHParseDisplayName) for the Windows path the shortcut records, which
 * SHGetPathFromIDListW turns back into that path; slink reads the
 * shortcut back to its target and the ID list alone to the same path;
 * each conversion to another form and back gives the same bytes, through
 * a native symbolic link where the system makes one (not Wine, which
 * fakes them). A target the shell cannot parse gets no ID list, as
 * Cygwin. argv[1]: slink.exe. Prints TAP.
 */
#include "run.h"

#include <shlobj.h>

#define TARGET "../lib/libfoo.so.1"

typedef struct bytes {
  unsigned char b[65536];
  size_t n;
} bytes;

static bytes first, now;

static int read_all(const char *name, bytes *out) {
  FILE *f = open_utf8(name, L"rb");
  out->n = f ? fread(out->b, 1, sizeof out->b, f) : 0;
  return f && fclose(f) == 0 && out->n > 0;
}

static unsigned u16(const unsigned char *p) { return p[0] | p[1] << 8; }

static void put(bytes *o, const void *s, size_t n) {
  memcpy(o->b + o->n, s, n);
  o->n += n;
}

static void put_counted(bytes *o, const void *s, size_t n) {
  unsigned char c[2] = {(unsigned char)n, (unsigned char)(n >> 8)};
  put(o, c, 2);
  put(o, s, n);
}

/* path.cc's layout, written here from the format: the header (flags
 * HasName | HasRelativePath, and HasLinkTargetIDList with IDS), the ID
 * list, the POSIX target, the Windows path REL, the counted UTF-16 tail. */
static void cygwin_layout(bytes *o, const unsigned char *ids, size_t idn,
                          const char *target, const char *rel) {
  static const unsigned char clsid[16] = {1, 0x14, 2, 0, 0, 0, 0, 0,
                                          0xC0, 0, 0, 0, 0, 0, 0, 0x46};
  memset(o, 0, sizeof *o);
  o->b[0] = 0x4C;
  memcpy(o->b + 4, clsid, 16);
  o->b[0x14] = (unsigned char)(0x0C | (idn ? 1 : 0));
  o->b[0x3C] = 1; /* SW_SHOWNORMAL */
  o->n = 0x4C;
  if (idn)
    put_counted(o, ids, idn);
  put_counted(o, target, strlen(target));
  put_counted(o, rel, strlen(rel));
  unsigned char tail[1024];
  size_t t = 0;
  for (const char *c = target; *c; c++) {
    tail[t++] = (unsigned char)*c;
    tail[t++] = 0;
  }
  tail[t++] = 0;
  tail[t++] = 0;
  unsigned char c[4] = {(unsigned char)t, (unsigned char)(t >> 8), 0xFF, 0xFE};
  put(o, c, 4);
  put(o, tail, t);
}

/* A Cygwin sys file (SYSTEM) for TARGET, the form the cases start from. */
static int make_sys(const char *name, const char *target) {
  bytes o;
  o.n = 0;
  put(&o, "!<symlink>\xff\xfe", 12);
  for (const char *c = target; *c; c++) {
    put(&o, c, 1);
    put(&o, "", 1);
  }
  put(&o, "\0", 2);
  FILE *f = open_utf8(name, L"wb");
  if (!f || fwrite(o.b, 1, o.n, f) != o.n || fclose(f) != 0)
    return 0;
  wchar_t *w;
  if (slink__win_path(name, &w) < 0)
    return 0;
  int ok = SetFileAttributesW(w, FILE_ATTRIBUTE_SYSTEM) != 0;
  free(w);
  return ok;
}

/* The Windows path a shortcut records (its relative path, after the ID
 * list and the name), in REL. */
static int recorded_path(const bytes *s, char *rel, size_t cap) {
  size_t p = 0x4C;
  if (s->b[0x14] & 1)
    p += 2 + u16(s->b + p);
  p += 2 + u16(s->b + p);
  size_t rl = u16(s->b + p);
  if (p + 2 + rl > s->n || rl >= cap)
    return 0;
  memcpy(rel, s->b + p + 2, rl);
  rel[rl] = 0;
  return 1;
}

/* What Cygwin writes for TARGET recording REL, with the ID list the shell
 * gives for REL now (SHParseDisplayName; none when it cannot parse it):
 * 1 with a list, 0 without. */
static int cygwin_now(bytes *want, const char *target, const char *rel) {
  wchar_t *w;
  PIDLIST_ABSOLUTE pidl = NULL;
  if (slink__win_to_utf16(rel, strlen(rel), &w, NULL) < 0)
    return 0;
  if (FAILED(SHParseDisplayName(w, NULL, &pidl, 0, NULL)))
    pidl = NULL;
  free(w);
  cygwin_layout(want, (const unsigned char *)pidl, pidl ? ILGetSize(pidl) : 0,
                target, rel);
  if (pidl)
    ILFree(pidl);
  return pidl != NULL;
}

static int same(const bytes *a, const bytes *b) {
  return a->n == b->n && memcmp(a->b, b->b, a->n) == 0;
}

/* After a round trip: the first shortcut's bytes again. The shell's items
 * carry each folder's times, which other programs may change meanwhile
 * (tests running beside this one in the temporary folder): then it must
 * be what Cygwin would write now. */
static void again(const char *rel, const char *what) {
  bytes want;
  if (!read_all("vi.lnk", &now)) {
    TAP_OK(0, "%s", what);
  } else if (same(&now, &first) || !cygwin_now(&want, TARGET, rel) ||
             same(&want, &first)) {
    TAP_OK(same(&now, &first), "%s", what);
  } else {
    tap_note("the shell's ID list changed meanwhile (a folder's times)");
    TAP_OK(same(&now, &want), "%s (as Cygwin would write it now)", what);
  }
}

/* The shell's answer for the target settled: its items carry the times of
 * the target and its folders, and an access time moves at the first read
 * after a change (Linux's relatime under Wine; NTFS where access times
 * are kept). Each is read until the answer stays the same. */
static void settle(void) {
  static const wchar_t *dirs[] = {L"..\\..\\*", L"..\\*", L"..\\lib\\*"};
  bytes a, b;
  wchar_t full[MAX_PATH];
  char rel[MAX_PATH * 3];
  GetFullPathNameW(L"..\\lib\\libfoo.so.1", MAX_PATH, full, NULL);
  WideCharToMultiByte(CP_UTF8, 0, full, -1, rel, sizeof rel, NULL, NULL);
  for (int i = 0; i < 5; i++) {
    cygwin_now(&a, TARGET, rel);
    for (size_t d = 0; d < sizeof dirs / sizeof *dirs; d++) {
      WIN32_FIND_DATAW fd;
      HANDLE h = FindFirstFileW(dirs[d], &fd);
      if (h != INVALID_HANDLE_VALUE) {
        while (FindNextFileW(h, &fd))
          ;
        FindClose(h);
      }
    }
    read_all("../lib/libfoo.so.1", &b);
    cygwin_now(&b, TARGET, rel);
    if (same(&a, &b))
      return;
  }
  tap_note("the shell's ID list for the target keeps changing");
}

static void test_with_idlist(const char *wine) {
  run_result r;
  char rel[1024];
  TAP_OK(make_sys("vi.lnk", TARGET), "a Cygwin sys file to an existing file");
  RUN(&r, "convert", "--to", "shortcut", "vi.lnk");
  TAP_INT(r.status, 0, "convert --to shortcut");
  if (!TAP_OK(read_all("vi.lnk", &first) && first.n > 0x4E, "read it back"))
    return;
  TAP_INT(first.b[0x14], 0x0D,
          "HasLinkTargetIDList joins HasName and HasRelativePath");
  if (!TAP_OK(recorded_path(&first, rel, sizeof rel),
              "it records a Windows path"))
    return;
  bytes want;
  TAP_OK(cygwin_now(&want, TARGET, rel), "the shell parses that path (%s)",
         rel);
  TAP_OK(same(&want, &first),
         "byte for byte path.cc's layout with the ID list the shell gives "
         "for it (%u bytes)", u16(first.b + 0x4C));
  wchar_t *wrel, back[MAX_PATH];
  if (slink__win_to_utf16(rel, strlen(rel), &wrel, NULL) < 0)
    return;
  TAP_OK(SHGetPathFromIDListW((PCIDLIST_ABSOLUTE)(first.b + 0x4E), back) &&
             _wcsicmp(back, wrel) == 0,
         "SHGetPathFromIDListW turns the stored list into that path");
  free(wrel);
  RUN(&r, "show", "vi.lnk");
  TAP_OK(r.status == 0 && contains(r.out, "kind:      shortcut") &&
             contains(r.out, "target:    " TARGET "\n"),
         "slink reads the shortcut back to its POSIX target");
  /* The ID list alone, as a Windows shortcut holds it: slink's own reader
   * of ID lists (fake-lnk-idlist.c) on the shell's items. */
  bytes w;
  memcpy(&w, &first, 0x4C);
  w.b[0x14] = 1;
  w.n = 0x4C;
  put(&w, first.b + 0x4C, 2 + u16(first.b + 0x4C));
  put(&w, "\0\0\0\0", 4);
  FILE *f = open_utf8("idlist.lnk", L"wb");
  TAP_OK(f && fwrite(w.b, 1, w.n, f) == w.n && fclose(f) == 0,
         "a shortcut holding only that ID list");
  RUN(&r, "show", "idlist.lnk");
  const char *at = strstr(r.out, "target:    ");
  TAP_OK(at && contains(at, rel),
         "slink reads the ID list to the same path");
  RUN(&r, "convert", "--to", "cygwin", "vi.lnk");
  TAP_INT(r.status, 0, "to a Cygwin sys file");
  RUN(&r, "convert", "--to", "shortcut", "vi.lnk");
  TAP_INT(r.status, 0, "and back to a shortcut");
  again(rel, "the same bytes, ID list and all");
  if (wine) {
    tap_skip("through a native symbolic link and back",
             "Wine fakes CreateSymbolicLinkW");
    return;
  }
  RUN(&r, "convert", "vi.lnk");
  TAP_OK(r.status == 0 && kind_of("vi.lnk") == SLINK_KIND_SYMLINK,
         "the read-only shortcut becomes a native symbolic link");
  RUN(&r, "convert", "--to", "shortcut", "vi.lnk");
  TAP_INT(r.status, 0, "and back to a shortcut");
  again(rel, "the same bytes, ID list and all");
}

static void test_without_idlist(void) {
  run_result r;
  char rel[1024];
  TAP_OK(make_sys("gone.lnk", "../lib/missing"),
         "a Cygwin sys file to nothing");
  RUN(&r, "convert", "--to", "shortcut", "gone.lnk");
  TAP_INT(r.status, 0, "convert --to shortcut");
  if (!TAP_OK(read_all("gone.lnk", &now) && recorded_path(&now, rel, sizeof rel),
              "read it back"))
    return;
  TAP_INT(now.b[0x14], 0x0C, "no ID list for what the shell cannot parse");
  bytes want;
  TAP_OK(!cygwin_now(&want, "../lib/missing", rel) && same(&want, &now),
         "byte for byte path.cc's layout without one");
}

int main(int argc, char **argv) {
  int rc = run_begin(argc, argv, "lnk");
  if (rc >= 0)
    return rc;
  /* The shell's own calls here, as slink makes them (src/win/shell.c). */
  CoInitializeEx(NULL, COINIT_APARTMENTTHREADED | COINIT_DISABLE_OLE1DDE);
  /* The shell's items carry each folder's times: the tree goes right
   * below the drive's root (a volume item has none), away from the
   * temporary folder other tests change, where it can. */
  wchar_t top[MAX_PATH + 64];
  swprintf(top, MAX_PATH + 64, L"%.3lsslink-lnk-%lu-%lu", scratch_dir,
           GetCurrentProcessId(), GetTickCount());
  int own_top = CreateDirectoryW(top, NULL) && SetCurrentDirectoryW(top);
  if (!own_top)
    tap_note("no folder at the drive's root: the tree is in the scratch one");
  CreateDirectoryW(L"usr", NULL);
  CreateDirectoryW(L"usr\\lib", NULL);
  CreateDirectoryW(L"usr\\bin", NULL);
  write_file("usr\\lib\\libfoo.so.1", "x");
  SetCurrentDirectoryW(L"usr\\bin");
  settle();
  test_with_idlist(tap_wine_version());
  test_without_idlist();
  /* Read-only files are not deleted. */
  SetFileAttributesW(L"vi.lnk", FILE_ATTRIBUTE_NORMAL);
  SetFileAttributesW(L"gone.lnk", FILE_ATTRIBUTE_NORMAL);
  SetCurrentDirectoryW(L"..\\..");
  if (own_top) {
    scratch_clear(".");
    SetCurrentDirectoryW(scratch_dir);
    RemoveDirectoryW(top);
  }
  scratch_end();
  run_end();
  return tap_done();
}
