/*
 * dragdrop.c - the right-drag handler (shellex\DragDropHandlers). Explorer
 * builds it like a context menu, but IShellExtInit::Initialize gets the
 * folder dropped on and the dragged items: those are the sources of
 * "Drop As", with no pick needed, and only the Drop As items are shown.
 */
#include "shell.h"

HRESULT shell_dragdrop_create(REFIID iid, void **out) {
  return shell_menu_create(1, iid, out);
}
