"""The shipped descriptor set is current with proto/ and loads beside conflicting protos."""
import hashlib
import json
import pathlib
import shutil
import subprocess
import sys

import pytest

PY = pathlib.Path(__file__).resolve().parents[2] / "client" / "python"
REPO = PY.parents[1]
SHIPPED = PY / "arbiter_client" / "_descriptors"


def test_sources_unchanged_since_regeneration():
    shipped = json.loads((SHIPPED / "sources.json").read_text())
    assert "proto/arbiter/v1/arbiter.proto" in shipped and len(shipped) >= 6
    for rel, digest in shipped.items():
        now = hashlib.sha256((REPO / rel).read_bytes()).hexdigest()
        assert now == digest, f"{rel} changed: run python3 client/python/tools/regen_descriptors.py"


def test_every_repo_proto_is_covered():
    shipped = json.loads((SHIPPED / "sources.json").read_text())
    for proto in list(REPO.glob("verifiers/*/*.proto")) + list(REPO.glob("proto/**/*.proto")):
        rel = proto.relative_to(REPO).as_posix()
        assert rel in shipped, f"{rel} is not in the shipped descriptor set: regenerate"


@pytest.mark.skipif(shutil.which("protoc") is None, reason="protoc not installed")
def test_regenerated_set_equals_shipped():
    result = subprocess.run([sys.executable, str(PY / "tools" / "regen_descriptors.py"), "--check"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_loads_beside_a_conflicting_google_rpc_status_in_the_default_pool():
    # googleapis-common-protos registers its own google/rpc/status.proto in the default pool; the
    # client's private pool must not clash with it, whichever is imported first.
    code = """
from google.protobuf import descriptor_pb2, descriptor_pool
f = descriptor_pb2.FileDescriptorProto(name="google/rpc/status.proto", package="google.rpc")
m = f.message_type.add(name="Status")
m.field.add(name="other", number=9, type=9, label=1)
descriptor_pool.Default().Add(f)
import arbiter_client.messages as m2
r = m2.GroupResult(); r.status.code = 3
print(m2.GroupResult.FromString(r.SerializeToString()).status.code)
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "3"
