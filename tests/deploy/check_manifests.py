#!/usr/bin/python3
"""Static checks of deploy/: every manifest parses, kustomizations name files that exist, the
container's ports and probes agree with arbiterd's flags, and the sandbox's pod requirements
(deploy/README.md) are present. There is no cluster here to apply them to."""
import pathlib
import sys

import yaml

root = pathlib.Path(sys.argv[1])
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)


docs = {}
for path in sorted(root.rglob("*.yaml")):
    try:
        docs[path] = list(yaml.safe_load_all(path.read_text()))
    except yaml.YAMLError as e:
        failures.append(f"{path}: does not parse: {e}")
check(len(docs) >= 5, f"expected at least 5 manifests under {root}, found {len(docs)}")

for path, items in docs.items():
    if path.name == "kustomization.yaml":
        for res in items[0].get("resources", []):
            check((path.parent / res).exists(), f"{path}: resource {res} does not exist")

deployment = next(d for items in docs.values() for d in items if d and d.get("kind") == "Deployment")
spec = deployment["spec"]["template"]["spec"]
container = spec["containers"][0]
ports = {p["name"]: p["containerPort"] for p in container["ports"]}
check(ports.get("grpc") == 50051, "container grpc port is not 50051")
check(ports.get("metrics") == 9464, "container metrics port is not 9464")
check(container["readinessProbe"]["grpc"]["port"] == ports["grpc"], "readiness probe port")
check(spec.get("hostUsers") is False, "hostUsers: false is needed for bubblewrap's user namespaces")
sc = container["securityContext"]
check(sc.get("allowPrivilegeEscalation") is False, "privilege escalation must be off")
check(sc.get("capabilities", {}).get("drop") == ["ALL"], "all capabilities must be dropped")
check(sc.get("procMount") == "Unmasked", "procMount: Unmasked is needed for the sandbox's /proc")
grace = spec["terminationGracePeriodSeconds"]
check(any(a.startswith("--grace_period=") and int(a.split("=")[1].rstrip("s")) < grace
          for a in container.get("args", [])),
      "--grace_period must be shorter than terminationGracePeriodSeconds")

dockerfile = (root / "Dockerfile").read_text()
check("EXPOSE 50051 9464" in dockerfile, "Dockerfile must expose 50051 and 9464")
check("USER 10001" in dockerfile, "Dockerfile must drop root")

for f in failures:
    print("FAIL:", f)
print(f"{len(docs)} manifests checked, {len(failures)} problems")
sys.exit(1 if failures else 0)
