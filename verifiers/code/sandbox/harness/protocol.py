# Frames with the server on fd 0 (requests) and fd 1 (responses): a 4-byte big-endian header
# length, a JSON header, then the raw blobs whose lengths the header lists in "blobs".
import json
import os
import struct

_dumps = json.dumps
_loads = json.loads


def read_exact(n):
    chunks = []
    while n > 0:
        b = os.read(0, min(n, 1 << 20))
        if not b:
            raise EOFError
        chunks.append(b)
        n -= len(b)
    return b"".join(chunks)


def read_frame():
    (size,) = struct.unpack(">I", read_exact(4))
    header = _loads(read_exact(size))
    return header, [read_exact(n) for n in header.get("blobs", [])]


def write_frame(header, blobs=()):
    header["blobs"] = [len(b) for b in blobs]
    data = _dumps(header).encode()
    view = memoryview(struct.pack(">I", len(data)) + data + b"".join(blobs))
    while view:
        view = view[os.write(1, view):]
