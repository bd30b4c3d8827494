#!/usr/bin/python3
"""Checks deploy/: every overlay renders with kustomize; every rendered object is valid against
the Kubernetes API schemas (strict, k8s_schemas.py); the objects agree with each other (selectors
match the pods, the HPA scales the Deployment on a metric arbiterd exports, ConfigMap keys are
real arbiterd flags, probes and ports agree, the drain fits the grace period) and with the sandbox's
pod requirements in deploy/README.md.

usage: check_manifests.py DEPLOY_DIR ARBITERD_BINARY
A missing kustomize or Go toolchain is a failure, not a skip: CI installs both."""
import pathlib
import re
import subprocess
import sys

import k8s_schemas
import render

root, arbiterd = pathlib.Path(sys.argv[1]), sys.argv[2]
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)


if render.kustomize_command() is None:
    sys.exit("FAIL: neither kubectl nor kustomize is installed (scripts/install-deps gets one)")

validator = k8s_schemas.Validator()
k8s_schemas._self_test(validator)

helpfull = subprocess.run([arbiterd, "--helpfull"], capture_output=True, text=True).stdout
flags = set(re.findall(r"^\s+--([a-z0-9_]+) \(", helpfull, re.M))
check(len(flags) > 10, f"could not read arbiterd's flags from --helpfull ({len(flags)} found)")
with render.Arbiterd(arbiterd) as server:
    exported = render.metric_names(server.scrape())


def duration_seconds(text):
    m = re.fullmatch(r"(\d+)(s|m)", text)
    return int(m.group(1)) * (60 if m.group(2) == "m" else 1) if m else None


def matches(selector, labels):
    wanted = (selector or {}).get("matchLabels", selector or {})
    return bool(wanted) and all(labels.get(k) == v for k, v in wanted.items())


expected_kinds = {
    "dev": {"ConfigMap", "Service", "Deployment", "NetworkPolicy", "ServiceMonitor",
            "PrometheusRule"},
    "prod": {"ConfigMap", "Service", "Deployment", "NetworkPolicy", "ServiceMonitor",
             "PrometheusRule", "PodDisruptionBudget", "HorizontalPodAutoscaler"},
    "gvisor": {"RuntimeClass", "Deployment", "HorizontalPodAutoscaler"},
}
for overlay, kinds in expected_kinds.items():
    where = f"overlays/{overlay}"
    try:
        objects = render.render(root / "kustomize" / where)
    except RuntimeError as e:
        failures.append(f"{where}: {e}")
        continue
    for obj in objects:
        failures.extend(f"{where}: {e}" for e in validator.errors(obj))
    by_kind = {}
    for obj in objects:
        by_kind.setdefault(obj["kind"], []).append(obj)
    check(kinds <= set(by_kind), f"{where}: missing {sorted(kinds - set(by_kind))}")

    deployment = by_kind["Deployment"][0]
    pod = deployment["spec"]["template"]
    pod_labels = pod["metadata"]["labels"]
    spec = pod["spec"]
    container = spec["containers"][0]
    check(matches(deployment["spec"]["selector"], pod_labels), f"{where}: Deployment selector")
    for svc in by_kind.get("Service", []):
        check(matches(svc["spec"]["selector"], pod_labels), f"{where}: Service {svc['metadata']['name']} selects no pod")
    for kind in ["PodDisruptionBudget"]:
        for obj in by_kind.get(kind, []):
            check(matches(obj["spec"]["selector"], pod_labels), f"{where}: {kind} selects no pod")
    for np in by_kind.get("NetworkPolicy", []):
        check(matches(np["spec"]["podSelector"], pod_labels), f"{where}: NetworkPolicy must select arbiter pods only")
        check(np["spec"].get("egress") == [] and "Egress" in np["spec"]["policyTypes"],
              f"{where}: NetworkPolicy must deny all egress")
    for sm in by_kind.get("ServiceMonitor", []):
        check(any(matches(sm["spec"]["selector"], s["metadata"].get("labels", {})) and
                  any(p["name"] == "metrics" for p in s["spec"]["ports"])
                  for s in by_kind["Service"]), f"{where}: ServiceMonitor selects no metrics Service")
    for hpa in by_kind.get("HorizontalPodAutoscaler", []):
        ref = hpa["spec"]["scaleTargetRef"]
        check(ref["kind"] == "Deployment" and ref["name"] == deployment["metadata"]["name"],
              f"{where}: HPA does not scale the Deployment")
        for m in hpa["spec"]["metrics"]:
            if m["type"] == "Pods":
                name = m["pods"]["metric"]["name"]
                check(name in exported, f"{where}: HPA metric {name} is not exported by arbiterd")
    for rc in by_kind.get("RuntimeClass", []):
        check(spec.get("runtimeClassName") == rc["metadata"]["name"], f"{where}: runtimeClassName")

    config = {}
    for cm in by_kind.get("ConfigMap", []):
        config.update(cm.get("data", {}))
    for key in config:
        name = key.removeprefix("ARBITER_").lower()
        check(key.startswith("ARBITER_") and name in flags, f"{where}: ConfigMap key {key} is no arbiterd flag")
    ports = {p["name"]: p["containerPort"] for p in container["ports"]}
    check(config.get("ARBITER_ADDRESS", "").endswith(f":{ports.get('grpc')}"), f"{where}: gRPC port")
    check(config.get("ARBITER_METRICS_ADDRESS", "").endswith(f":{ports.get('metrics')}"), f"{where}: metrics port")
    tls = "ARBITER_TLS_CERT_FILE" in config
    for probe in ["startupProbe", "readinessProbe", "livenessProbe"]:
        p = container.get(probe, {})
        if tls:  # the kubelet's gRPC probe speaks no TLS: the gateway's /healthz instead
            port = p.get("httpGet", {}).get("port")
            check(p.get("httpGet", {}).get("path") == "/healthz" and
                  p.get("httpGet", {}).get("scheme") == "HTTPS" and
                  ports.get(port, port) == ports.get("http") and
                  config.get("ARBITER_HTTP_ADDRESS", "").endswith(f":{ports.get('http')}"),
                  f"{where}: {probe} must be httpGet /healthz on the gateway's port under TLS")
        else:
            check(p.get("grpc", {}).get("port") == ports.get("grpc"), f"{where}: {probe}")
    grace = duration_seconds(config.get("ARBITER_GRACE_PERIOD", "30s"))
    check(grace is not None and grace + 10 <= spec["terminationGracePeriodSeconds"],
          f"{where}: arbiterd's drain (--grace_period) must end 10 s before the pod is killed")
    check(spec.get("hostUsers") is False, f"{where}: hostUsers: false (bubblewrap's user namespaces)")
    sc = container["securityContext"]
    check(sc.get("allowPrivilegeEscalation") is False, f"{where}: privilege escalation must be off")
    check(sc.get("capabilities", {}).get("drop") == ["ALL"], f"{where}: drop all capabilities")
    check(sc.get("procMount") == "Unmasked", f"{where}: procMount: Unmasked (the sandbox's /proc)")
    mounts = {m["mountPath"]: m["name"] for m in container.get("volumeMounts", [])}
    volumes = {v["name"] for v in spec.get("volumes", [])}
    check(set(mounts.values()) <= volumes, f"{where}: a volumeMount names no volume")
    for key, value in config.items():
        if key.endswith("_FILE") or key.endswith("_DIR"):
            check(any(value.startswith(m + "/") for m in mounts), f"{where}: {key}={value} is not on a mounted volume")
    secured = [k for k in ("ARBITER_TLS_CERT_FILE", "ARBITER_TLS_CLIENT_CA_FILE", "ARBITER_AUTH_TOKENS_FILE") if k in config]
    check(overlay == "dev" or len(secured) == 3, f"{where}: TLS, client certificates and tokens must be on outside dev")

dockerfile = (root / "Dockerfile").read_text()
check("EXPOSE 50051 9464" in dockerfile, "Dockerfile must expose 50051 and 9464")
check("USER 10001" in dockerfile, "Dockerfile must drop root")

for f in failures:
    print("FAIL:", f)
print(f"{len(expected_kinds)} overlays rendered and validated against Kubernetes "
      f"{k8s_schemas.KUBERNETES_VERSION} schemas; {len(failures)} problems")
sys.exit(1 if failures else 0)
