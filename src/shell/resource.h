/*
 * resource.h - the numbers of slink-shell.dll's resources, shared by
 * shell.rc, the code and the tests that read the Link page's fields.
 */
#ifndef SLINK_SHELL_RESOURCE_H
#define SLINK_SHELL_RESOURCE_H

/* Icons, in the order GetOverlayInfo's index counts them. */
#define IDI_JUNCTION 101
#define IDI_SYMLINK 102
#define IDI_HARDLINK 103

#define IDD_LINK_PAGE 200
#define IDC_KIND 201
#define IDC_TARGET 202
#define IDC_RESOLVED 203
#define IDC_STATES 204
#define IDC_TAG 205
#define IDC_SUBSTITUTE 206
#define IDC_PRINT 207
#define IDC_NAMES 208
#define IDC_NOTE 209

#endif
