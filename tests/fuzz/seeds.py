#!/usr/bin/env python3
"""seeds.py - writes the seed corpus of the fuzz targets (corpus/decode,
corpus/roundtrip): well-formed buffers of every kind slink knows, one buffer
of every malformed kind, and targets of every syntax the encoders sort."""
import os
import struct
import sys

MOUNT_POINT, SYMLINK, LX, APPEXEC = 0xA0000003, 0xA000000C, 0xA000001D, 0x8000001B
u = lambda s: s.encode("utf-16-le")


def junction(subst, prn):
    s, p = u(subst), u(prn)
    body = struct.pack("<4H", 0, len(s), len(s) + 2, len(p)) + s + b"\0\0" + p + b"\0\0"
    return struct.pack("<IHH", MOUNT_POINT, len(body), 0) + body


def symlink(subst, prn, flags):
    s, p = u(subst), u(prn)
    body = struct.pack("<4HI", len(p), len(s), 0, len(p), flags) + p + s
    return struct.pack("<IHH", SYMLINK, len(body), 0) + body


def raw(tag, body, dlen=None):
    return struct.pack("<IHH", tag, len(body) if dlen is None else dlen, 0) + body


decode = {
    "junction": junction("\\??\\C:\\orig", "C:\\orig"),
    "junction-noprint": junction("\\??\\C:\\orig", ""),
    "symlink-abs": symlink("\\??\\C:\\orig\\file.txt", "C:\\orig\\file.txt", 0),
    "symlink-rel": symlink("orig\\sub", "orig\\sub", 1),
    "symlink-unc": symlink("\\??\\UNC\\srv\\share\\x", "\\\\srv\\share\\x", 0),
    "symlink-lone-surrogate": raw(SYMLINK, struct.pack("<4HI", 2, 2, 0, 2, 1) + b"\x00\xd8\x00\xd8"),
    "wsl": raw(LX, struct.pack("<I", 2) + b"orig/file.txt"),
    "appexec": raw(APPEXEC, struct.pack("<I", 3) + u("Pkg_1\0Pkg_1!App\0C:\\x.exe\0")),
    "guid-tag": raw(0x00000099, b"\x11" * 16 + b"data", 4),
    "other-ms-tag": raw(0x80000017, b"wof"),
    "short": b"\x03\x00\x00\xa0",
    "bad-length": raw(MOUNT_POINT, b"\0" * 8, 9),
    "bad-offset": raw(MOUNT_POINT, struct.pack("<4H", 0, 40, 0, 0) + b"\0" * 8),
    "odd": raw(MOUNT_POINT, struct.pack("<4H", 0, 3, 0, 0) + b"abcd"),
    "bad-version": raw(LX, struct.pack("<I", 1) + b"x"),
    "bad-flags": raw(SYMLINK, struct.pack("<4HI", 0, 2, 0, 0, 2) + u("x")),
    "unterminated": raw(APPEXEC, struct.pack("<I", 3) + u("a\0b\0c")),
}
roundtrip = {
    "drive": b"C:\\orig",
    "drive-slash": b"D:/data/x",
    "win32-prefix": b"\\\\?\\C:\\x",
    "nt-prefix": b"\\??\\C:\\x",
    "unc": b"\\\\srv\\share\\dir",
    "unc-prefix": b"\\\\?\\UNC\\srv\\share",
    "unc-prefix-mixed-case": b"\\\\?\\UnC\\srv\\share",
    "relative": b"..\\orig\\file.txt",
    "rooted": b"\\orig",
    "utf8": "C:\\caf\u00e9\\\U0001F600".encode(),
    "escaped-surrogate": b"C:\\\xed\xa0\x80",
    "invalid-utf8": b"C:\\\xff",
}
root = os.path.dirname(os.path.abspath(sys.argv[0]))
for name, seeds in (("decode", decode), ("roundtrip", roundtrip)):
    d = os.path.join(root, "corpus", name)
    os.makedirs(d, exist_ok=True)
    for k, v in seeds.items():
        with open(os.path.join(d, k), "wb") as f:
            f.write(v)
