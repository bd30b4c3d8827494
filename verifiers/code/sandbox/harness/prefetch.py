# Learnt prefetch, a performance measure only (README "Learnt prefetch"): the first Python test
# children of a forker report the pages they wrote; the supervisor checks the list and hands it to
# the forker, whose later children break those pages' copy-on-write sharing in bulk (forker.c).
# Nothing here decides a result; a failure here only costs time.
import ctypes
import os
import resource
import struct

PREFETCH = b""  # in the supervisor: the validated list, packed for forker.c
MAX_RANGES = 256
MAX_PAGES = 2048  # 8 MiB with 4 KiB pages
MAX_ATTEMPTS = 3
_attempts = 0  # in the supervisor: learning requests made so far


def should_learn(python):
    # Whether the next child should report its pages (counted as an attempt).
    global _attempts
    learn = python and not PREFETCH and _attempts < MAX_ATTEMPTS
    _attempts += learn
    return learn


def written_pages():
    # In a test child about to exit: the pages it wrote in the mappings it shares with the forker,
    # present and mapped by this process alone (pagemap bits 63 and 56).
    page = resource.getpagesize()
    # pagemap is closed to a non-dumpable process (inherited from the harness). This child is
    # the candidate's own and about to exit: making it dumpable exposes it only to its own test.
    ctypes.CDLL(None).prctl(4, 1, 0, 0, 0)  # PR_SET_DUMPABLE, 1
    with open("/proc/self/maps", "rb") as f:
        maps = f.read().split(b"\n")
    ranges = []
    fd = os.open("/proc/self/pagemap", os.O_RDONLY)
    try:
        for line in maps:
            fields = line.split()
            if len(fields) < 2 or fields[1][1:2] != b"w" or fields[1][3:4] != b"p":
                continue
            lo, hi = (int(x, 16) for x in fields[0].split(b"-"))
            count = (hi - lo) // page
            if count > 1 << 16:  # a large reservation: not the interpreter's working set
                continue
            data = os.pread(fd, count * 8, lo // page * 8)
            start = None
            for i, entry in enumerate(struct.unpack("=%dQ" % (len(data) // 8), data) + (0,)):
                written = entry >> 63 & 1 and entry >> 56 & 1
                if written and start is None:
                    start = i
                elif not written and start is not None:
                    ranges.append([lo + start * page, (i - start) * page])
                    start = None
    finally:
        os.close(fd)
    return ranges


def learn(record):
    # The supervisor's side: a child's page list is untrusted data (the candidate shares the
    # child and can write the result pipe), so it is bounded and checked before it is used. At
    # worst a forged list makes this program's own later tests slower or hit their memory limit.
    global PREFETCH
    pages = record.get("pages")
    if not isinstance(pages, list) or not pages or len(pages) > MAX_RANGES:
        return
    page, packed, total = resource.getpagesize(), [], 0
    for item in pages:
        if (not isinstance(item, list) or len(item) != 2 or
                not all(isinstance(v, int) and v > 0 for v in item) or
                item[0] % page or item[1] % page or item[0] + item[1] >= 1 << 63):
            return
        total += item[1] // page
        packed.append(struct.pack("=QQ", *item))
    if total <= MAX_PAGES:
        PREFETCH = b"".join(packed)
