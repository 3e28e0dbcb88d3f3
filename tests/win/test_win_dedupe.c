/*
 * test_win_dedupe.c - slink dedupe's Windows backend against other
 * handles: a writer holding a duplicate open (with write sharing) makes it
 * skipped and reported; while a duplicate is compared and replaced no one
 * may open it for writing; and a file swapped in, a changed time or a name
 * taken in each gap between check and act is found and nothing is lost.
 * Built with the test hook (SLINK_TEST_HOOKS) in its own copy of the
 * replacement's sources, so the swaps happen exactly in those gaps. Files
 * and links are made with the Win32 calls (CreateHardLinkW); Wine enforces
 * share modes between handles as Windows does.
 */
#include "scratch.h"

#include "lib/hook.h"

#define SAME "the same bytes in every duplicate\n"

static void set_time(HANDLE h, int minutes) {
  /* 2024-01-02 03:04 plus MINUTES, as FILETIME. */
  ULARGE_INTEGER t;
  FILETIME ft;
  t.QuadPart = 133485134400000000ull + (unsigned long long)minutes * 600000000ull;
  ft.dwLowDateTime = t.LowPart;
  ft.dwHighDateTime = t.HighPart;
  SetFileTime(h, NULL, NULL, &ft);
}

static void put(const wchar_t *name, const char *text) {
  HANDLE h = CreateFileW(name, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS,
                         FILE_ATTRIBUTE_NORMAL, NULL);
  DWORD n = 0;
  WriteFile(h, text, (DWORD)strlen(text), &n, NULL);
  set_time(h, 0);
  CloseHandle(h);
}

static int content_is(const wchar_t *name, const char *text) {
  char buf[256];
  DWORD n = 0;
  HANDLE h = CreateFileW(name, GENERIC_READ,
                         FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
                         NULL, OPEN_EXISTING, 0, NULL);
  if (h == INVALID_HANDLE_VALUE)
    return 0;
  BOOL ok = ReadFile(h, buf, sizeof buf - 1, &n, NULL);
  CloseHandle(h);
  buf[ok ? n : 0] = 0;
  return ok && strcmp(buf, text) == 0;
}

/* The file's index, or 0 when it cannot be opened. */
static unsigned long long id_of(const wchar_t *name) {
  BY_HANDLE_FILE_INFORMATION fi;
  HANDLE h = CreateFileW(name, FILE_READ_ATTRIBUTES,
                         FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
                         NULL, OPEN_EXISTING, 0, NULL);
  unsigned long long id = 0;
  if (h == INVALID_HANDLE_VALUE)
    return 0;
  if (GetFileInformationByHandle(h, &fi))
    id = ((unsigned long long)fi.nFileIndexHigh << 32) | fi.nFileIndexLow;
  CloseHandle(h);
  return id;
}

/* How many entries of "t" are temporary names; *ID gets the last one's. */
static int temp_names(unsigned long long *id) {
  WIN32_FIND_DATAW fd;
  HANDLE f = FindFirstFileW(L"t\\.slink-*", &fd);
  int n = 0;
  if (f == INVALID_HANDLE_VALUE)
    return 0;
  do {
    wchar_t p[MAX_PATH];
    swprintf(p, MAX_PATH, L"t\\%ls", fd.cFileName);
    if (id)
      *id = id_of(p);
    n++;
  } while (FindNextFileW(f, &fd));
  FindClose(f);
  return n;
}

/* A fresh tree: t\a, t\b, t\c alike (a, the first, is kept). */
static void make(void) {
  scratch_clear(".");
  CreateDirectoryW(L"t", NULL);
  put(L"t\\a", SAME);
  put(L"t\\b", SAME);
  put(L"t\\c", SAME);
}

typedef struct seen {
  int linked, skipped;
  slink_dedupe_reason reason; /* of the last name skipped */
  char skipped_path[64];
} seen;

static int on_event(const slink_dedupe_event *ev, void *ctx) {
  seen *s = ctx;
  for (size_t i = 0; ev->type == SLINK_DEDUPE_EV_GROUP && i < ev->count; i++) {
    const slink_dedupe_name *nm = &ev->names[i];
    s->linked += nm->status == SLINK_DEDUPE_LINKED;
    if (nm->status == SLINK_DEDUPE_SKIPPED) {
      s->skipped++;
      s->reason = nm->reason;
      snprintf(s->skipped_path, sizeof s->skipped_path, "%s", nm->path);
    }
  }
  return 0;
}

static seen run(void) {
  const char *dirs[] = {"t"};
  slink_dedupe_opts o = {0, 0, 0, 1};
  seen s;
  memset(&s, 0, sizeof s);
  slink_dedupe(dirs, 1, &o, on_event, &s, NULL);
  return s;
}

enum { WRITE_OPEN, SWAP, TAKE_NAME, TOUCH };

typedef struct attack {
  int point, act, fired;
  DWORD result; /* WRITE_OPEN: the open's error (0: it opened) */
} attack;

static void hook(int point, slink__h *dir, const char *name, void *ctx) {
  attack *a = ctx;
  HANDLE h;
  (void)dir;
  if (point != a->point || a->fired || strcmp(name, "b") != 0)
    return;
  a->fired = 1;
  switch (a->act) {
  case WRITE_OPEN: /* someone wants to write the duplicate now */
    h = CreateFileW(L"t\\b", GENERIC_WRITE,
                    FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
                    NULL, OPEN_EXISTING, 0, NULL);
    a->result = h == INVALID_HANDLE_VALUE ? GetLastError() : 0;
    if (h != INVALID_HANDLE_VALUE)
      CloseHandle(h);
    break;
  case SWAP: /* another file takes the duplicate's name */
    a->result = MoveFileW(L"t\\b", L"t\\b-moved") ? 0 : GetLastError();
    put(L"t\\b", "victim\n");
    break;
  case TAKE_NAME: /* a new file appears under the name */
    put(L"t\\b", "intruder\n");
    break;
  case TOUCH: /* the duplicate's time changes (attributes, not data) */
    h = CreateFileW(L"t\\b", FILE_WRITE_ATTRIBUTES,
                    FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
                    NULL, OPEN_EXISTING, 0, NULL);
    a->result = h == INVALID_HANDLE_VALUE ? GetLastError() : 0;
    if (h != INVALID_HANDLE_VALUE) {
      set_time(h, 7);
      CloseHandle(h);
    }
    break;
  }
}

static seen attacked(attack *a) {
  slink__hook = hook;
  slink__hook_ctx = a;
  seen s = run();
  slink__hook = NULL;
  return s;
}

static void test_plain(void) {
  make();
  seen s = run();
  TAP_INT(s.linked, 2, "three alike: two names linked");
  TAP_OK(id_of(L"t\\a") == id_of(L"t\\b") && id_of(L"t\\a") == id_of(L"t\\c"),
         "all three are one file");
  TAP_OK(content_is(L"t\\b", SAME) && temp_names(NULL) == 0,
         "with its bytes, and no temporary name left");
}

static DWORD links_of(const wchar_t *name) {
  BY_HANDLE_FILE_INFORMATION fi;
  HANDLE h = CreateFileW(name, FILE_READ_ATTRIBUTES,
                         FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
                         NULL, OPEN_EXISTING, 0, NULL);
  DWORD n = 0;
  if (h != INVALID_HANDLE_VALUE && GetFileInformationByHandle(h, &fi))
    n = fi.nNumberOfLinks;
  if (h != INVALID_HANDLE_VALUE)
    CloseHandle(h);
  return n;
}

static void test_names_already_linked(void) {
  make();
  CreateDirectoryW(L"t\\sub", NULL);
  TAP_OK(CreateHardLinkW(L"t\\sub\\b2", L"t\\b", NULL) &&
             CreateHardLinkW(L"t\\b3", L"t\\b", NULL),
         "a duplicate with three names (CreateHardLinkW)");
  seen s = run();
  TAP_INT(s.linked, 2, "it is kept (fewest names to replace), two linked");
  TAP_INT(links_of(L"t\\sub\\b2"), 5, "one file of five names");
  TAP_OK(id_of(L"t\\sub\\b2") == id_of(L"t\\c") && temp_names(NULL) == 0,
         "the keeper's, and no temporary name left");
}

static void test_writer_holds_duplicate(void) {
  make();
  HANDLE w = CreateFileW(L"t\\b", GENERIC_WRITE,
                         FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
                         NULL, OPEN_EXISTING, 0, NULL);
  seen s = run();
  TAP_INT(s.skipped, 1, "a duplicate a writer holds open is skipped");
  TAP_INT(s.reason, SLINK_DEDUPE_R_BUSY, "reported busy");
  TAP_STR(s.skipped_path, "t/b", "naming it");
  TAP_OK(id_of(L"t\\a") == id_of(L"t\\c") && id_of(L"t\\a") != id_of(L"t\\b"),
         "the others are merged, it is not");
  DWORD n = 0;
  TAP_OK(WriteFile(w, "X", 1, &n, NULL) && n == 1,
         "the writer's handle still writes");
  CloseHandle(w);
}

static void test_writer_holds_keeper(void) {
  make();
  HANDLE w = CreateFileW(L"t\\a", GENERIC_WRITE,
                         FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
                         NULL, OPEN_EXISTING, 0, NULL);
  seen s = run();
  CloseHandle(w);
  TAP_OK(s.skipped == 1 && s.reason == SLINK_DEDUPE_R_BUSY,
         "a keeper a writer holds open is skipped as busy");
  TAP_OK(id_of(L"t\\b") == id_of(L"t\\c") && id_of(L"t\\a") != id_of(L"t\\b"),
         "the next file keeps the rest");
}

static void test_reader_denies_delete(void) {
  make();
  HANDLE r = CreateFileW(L"t\\b", GENERIC_READ, FILE_SHARE_READ, NULL,
                         OPEN_EXISTING, 0, NULL);
  seen s = run();
  CloseHandle(r);
  TAP_OK(s.skipped == 1 && s.reason == SLINK_DEDUPE_R_BUSY,
         "a duplicate a reader holds without delete sharing: skipped as busy");
  TAP_OK(id_of(L"t\\a") != id_of(L"t\\b") && content_is(L"t\\b", SAME) &&
             temp_names(NULL) == 0,
         "it is left as it was, and no temporary name stays");
}

static void test_no_writer_while_replaced(void) {
  make();
  attack a = {SLINK__HP_DEDUPE_BEFORE_RENAME, WRITE_OPEN, 0, 0};
  seen s = attacked(&a);
  TAP_OK(a.fired, "the hook ran between compare and replace");
  TAP_INT(a.result, ERROR_SHARING_VIOLATION,
          "no one may open the compared duplicate for writing");
  TAP_OK(s.linked == 2 && id_of(L"t\\a") == id_of(L"t\\b"),
         "and it is replaced all the same");
  make();
  a = (attack){SLINK__HP_DEDUPE_WIN_ASIDE, WRITE_OPEN, 0, 0};
  s = attacked(&a);
  TAP_OK(a.fired && a.result == ERROR_FILE_NOT_FOUND && s.linked == 2,
         "while it is aside its name is absent: an open finds no file");
}

static void test_swap(int point, const char *gap) {
  make();
  attack a = {point, SWAP, 0, 0};
  seen s = attacked(&a);
  TAP_OK(a.fired && a.result == 0, "%s: the duplicate moved away", gap);
  TAP_OK(s.skipped == 1 && s.reason == SLINK_DEDUPE_R_CHANGED,
         "%s: its name is skipped as changed", gap);
  TAP_OK(content_is(L"t\\b", "victim\n") && content_is(L"t\\b-moved", SAME),
         "%s: the file swapped in and the duplicate are intact", gap);
  TAP_OK(id_of(L"t\\b") != id_of(L"t\\a") && temp_names(NULL) == 0,
         "%s: neither was replaced; no temporary name left", gap);
}

static void test_name_taken_while_aside(void) {
  make();
  attack a = {SLINK__HP_DEDUPE_WIN_ASIDE, TAKE_NAME, 0, 0};
  seen s = attacked(&a);
  unsigned long long aside = 0;
  TAP_OK(a.fired && s.skipped == 1 && s.reason == SLINK_DEDUPE_R_CHANGED,
         "a name taken while the duplicate is aside: skipped as changed");
  TAP_OK(content_is(L"t\\b", "intruder\n"), "the new file keeps the name");
  TAP_OK(temp_names(&aside) == 1 && aside != id_of(L"t\\a"),
         "the duplicate stays, under its aside name, and the keeper's "
         "temporary name is gone");
}

static void test_time_changed(int point, const char *gap) {
  make();
  attack a = {point, TOUCH, 0, 0};
  seen s = attacked(&a);
  TAP_OK(a.fired && a.result == 0, "%s: the duplicate's time changed", gap);
  TAP_OK(s.skipped == 1 && s.reason == SLINK_DEDUPE_R_CHANGED &&
             id_of(L"t\\b") != id_of(L"t\\a") && temp_names(NULL) == 0,
         "%s: the recheck skips it as changed", gap);
  TAP_OK(content_is(L"t\\b", SAME), "%s: and leaves it as it was", gap);
}

/* The live racer: names moved about at random, never replacing, while
 * dedupe runs on 16 duplicates and 4 victims that differ from them (and
 * from each other), so no victim may ever become the keeper's. */
#define RACE_DUPS 16
#define RACE_VICTIMS 4
#define RACE_NAMES (RACE_DUPS + 2 * RACE_VICTIMS)
static volatile LONG racing;
static wchar_t race_name[RACE_NAMES][16];

static DWORD WINAPI racer(void *arg) {
  unsigned r = 7;
  (void)arg;
  while (racing) {
    r = r * 1103515245u + 12345u;
    MoveFileW(race_name[(r >> 8) % RACE_NAMES],
              race_name[(r >> 16) % RACE_NAMES]);
    Sleep(1); /* a few hundred moves a second: dedupe gets on too */
  }
  return 0;
}

/* Every name in "t": how often each victim's bytes are found (*SEEN), and
 * whether a name holds anything else than the duplicates' bytes or a
 * victim's, or a victim is one file with the keeper. */
static int census(int seen_v[RACE_VICTIMS], unsigned long long keeper) {
  WIN32_FIND_DATAW fd;
  HANDLE f = FindFirstFileW(L"t\\*", &fd);
  int bad = 0;
  memset(seen_v, 0, RACE_VICTIMS * sizeof *seen_v);
  if (f == INVALID_HANDLE_VALUE)
    return 1;
  do {
    wchar_t p[MAX_PATH];
    char v[32];
    int found = 0;
    if (fd.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY)
      continue;
    swprintf(p, MAX_PATH, L"t\\%ls", fd.cFileName);
    for (int i = 0; i < RACE_VICTIMS && !found; i++) {
      snprintf(v, sizeof v, "victim %d\n", i);
      if ((found = content_is(p, v)) != 0) {
        seen_v[i]++;
        bad |= id_of(p) == keeper;
      }
    }
    if (!found && !content_is(p, SAME))
      bad = 1;
  } while (FindNextFileW(f, &fd));
  FindClose(f);
  return bad;
}

static void test_live_racer(void) {
  int rounds = 0, lost = 0, wrong = 0, linked = 0;
  for (int i = 0; i < RACE_NAMES; i++)
    swprintf(race_name[i], 16, L"t\\%lc%d", i < RACE_DUPS ? L'd' : L'v',
             i < RACE_DUPS ? i : i - RACE_DUPS);
  DWORD until = GetTickCount() + 4000;
  while (GetTickCount() < until || rounds < 5) {
    int seen_v[RACE_VICTIMS];
    scratch_clear(".");
    CreateDirectoryW(L"t", NULL);
    put(L"t\\a", SAME);
    for (int i = 0; i < RACE_DUPS; i++)
      put(race_name[i], SAME);
    for (int i = 0; i < RACE_VICTIMS; i++) {
      char v[32];
      snprintf(v, sizeof v, "victim %d\n", i);
      put(race_name[RACE_DUPS + i], v); /* the last four names stay free */
    }
    racing = 1;
    HANDLE th = CreateThread(NULL, 0, racer, NULL, 0, NULL);
    seen s = run();
    racing = 0;
    WaitForSingleObject(th, INFINITE);
    CloseHandle(th);
    linked += s.linked;
    wrong |= census(seen_v, id_of(L"t\\a"));
    for (int i = 0; i < RACE_VICTIMS; i++)
      lost += seen_v[i] != 1;
    rounds++;
  }
  tap_note("%d rounds, %d names linked under the racer", rounds, linked);
  TAP_INT(lost, 0, "live racer: no victim is lost or doubled");
  TAP_INT(wrong, 0, "live racer: every name holds the bytes it held, and no "
                    "victim is the keeper's");
}

int main(void) {
  if (!scratch_begin("dedupe"))
    return tap_done();
  test_plain();
  test_names_already_linked();
  test_writer_holds_duplicate();
  test_writer_holds_keeper();
  test_reader_denies_delete();
  test_no_writer_while_replaced();
  test_swap(SLINK__HP_DEDUPE_BEFORE_RENAME, "before the rename");
  test_swap(SLINK__HP_DEDUPE_WIN_BEFORE_ASIDE, "before the step aside");
  test_name_taken_while_aside();
  test_time_changed(SLINK__HP_DEDUPE_BEFORE_RENAME, "before the rename");
  test_time_changed(SLINK__HP_DEDUPE_WIN_BEFORE_ASIDE, "before the step aside");
  test_live_racer();
  scratch_end();
  return tap_done();
}
