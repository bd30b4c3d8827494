#!/usr/bin/env python3
"""Regenerates the descriptor set the arbiter_client package ships.

The package carries no generated ``_pb2`` code: it ships one serialized FileDescriptorSet
(``arbiter_client/_descriptors/arbiter.binpb``) compiled by protoc from the repository's protos
(``proto/arbiter/v1/arbiter.proto`` and everything it imports) plus the gRPC health proto kept in
``client/python/proto``, and ``sources.json``, the SHA-256 of every source file that went in.
``tests/python/test_descriptors.py`` fails when either is stale.

Usage (from anywhere; Debian's /usr/bin/python3 with python3-protobuf, and ``protoc`` from protobuf-compiler):
    /usr/bin/python3 client/python/tools/regen_descriptors.py          # rewrite the shipped files
    /usr/bin/python3 client/python/tools/regen_descriptors.py --check  # exit 1 if they are stale
"""
import argparse
import hashlib
import json
import pathlib
import shutil
import subprocess
import sys
import tempfile

PY_ROOT = pathlib.Path(__file__).resolve().parents[1]  # client/python
REPO_ROOT = PY_ROOT.parents[1]
OUT_DIR = PY_ROOT / "arbiter_client" / "_descriptors"
# (include dir, file relative to it). arbiter.proto pulls in the verifiers' protos and
# google/rpc/status.proto through its imports; --include_imports adds them to the set.
INCLUDE_DIRS = [REPO_ROOT / "proto", REPO_ROOT, PY_ROOT / "proto"]
# Verifiers added after sat/code/beam are not imported by arbiter.proto (their messages travel in
# google.protobuf.Any slots): every verifiers/<name>/*.proto is a root too, so the package can
# unpack their tasks and details.
ROOTS = (["arbiter/v1/arbiter.proto", "grpc/health/v1/health.proto"] +
         sorted(str(p.relative_to(REPO_ROOT)) for p in (REPO_ROOT / "verifiers").glob("*/*.proto")))


def _protoc() -> str:
    path = shutil.which("protoc")
    if path is None:
        raise SystemExit("protoc not found: install Debian's protobuf-compiler (scripts/install-deps)")
    return path


def compile_set() -> bytes:
    """Runs protoc and returns the serialized FileDescriptorSet (no source info)."""
    with tempfile.TemporaryDirectory() as tmp:
        out = pathlib.Path(tmp) / "set.binpb"
        cmd = [_protoc(), *[f"--proto_path={d}" for d in INCLUDE_DIRS], "--include_imports",
               f"--descriptor_set_out={out}", *ROOTS]
        subprocess.run(cmd, check=True, cwd=REPO_ROOT)
        return out.read_bytes()


def _source_path(name: str):
    for d in INCLUDE_DIRS:
        if (d / name).is_file():
            return d / name
    return None  # protoc's own well-known types (google/protobuf/*.proto)


def source_hashes(descriptor_set: bytes) -> dict:
    """Maps each project-owned source file in the set (repo-relative) to its SHA-256."""
    from google.protobuf import descriptor_pb2  # only needed by the tool and the tests

    fds = descriptor_pb2.FileDescriptorSet.FromString(descriptor_set)
    hashes = {}
    for f in fds.file:
        path = _source_path(f.name)
        if path is not None:
            rel = path.relative_to(REPO_ROOT).as_posix()
            hashes[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
    return dict(sorted(hashes.items()))


def current_hashes() -> dict:
    """SHA-256 of the files listed in the shipped sources.json, read from the work tree now."""
    shipped = json.loads((OUT_DIR / "sources.json").read_text())
    return {rel: hashlib.sha256((REPO_ROOT / rel).read_bytes()).hexdigest()
            if (REPO_ROOT / rel).is_file() else "missing" for rel in shipped}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 when the shipped files are stale")
    args = parser.parse_args()
    data = compile_set()
    hashes = source_hashes(data)
    manifest = json.dumps(hashes, indent=2) + "\n"
    if args.check:
        stale = ((OUT_DIR / "arbiter.binpb").read_bytes() != data
                 or (OUT_DIR / "sources.json").read_text() != manifest)
        if stale:
            print("stale: run python3 client/python/tools/regen_descriptors.py", file=sys.stderr)
        return 1 if stale else 0
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    (OUT_DIR / "arbiter.binpb").write_bytes(data)
    (OUT_DIR / "sources.json").write_text(manifest)
    print(f"wrote {OUT_DIR / 'arbiter.binpb'} ({len(data)} bytes) and sources.json")
    return 0


if __name__ == "__main__":
    sys.exit(main())
