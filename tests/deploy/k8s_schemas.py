"""Validation of rendered Kubernetes objects against the API's own schemas, strictly.

The schemas come from the Go module proxy (no cluster, no GitHub needed): the OpenAPI v2 document
that ships in the k8s.io/kubernetes module (api/openapi-spec/swagger.json) for built-in kinds,
and prometheus-operator's CustomResourceDefinitions for ServiceMonitor and PrometheusRule. Unknown
fields are errors, as with `kubectl apply --validate=strict`: the schemas are closed
(additionalProperties: false) wherever they list properties and do not preserve unknown fields.
Needs: `go` (any version that has `go mod download`), /usr/bin/python3 with python3-jsonschema.
"""
import copy
import json
import os
import pathlib
import re
import subprocess

import jsonschema
import yaml

KUBERNETES_VERSION = "v1.32.4"
PROMETHEUS_OPERATOR_VERSION = "v0.79.2"
CRD_FILES = ["monitoring.coreos.com_servicemonitors.yaml", "monitoring.coreos.com_prometheusrules.yaml"]

# resource.Quantity's serialised form (k8s.io/apimachinery/pkg/api/resource).
QUANTITY = r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)(([KMGTPE]i)|[numkMGTPE]|([eE][+-]?[0-9]+))?$"


def module_dir(module, version):
    """Downloads a module through the Go proxy into a cache under ~/.cache and returns its dir."""
    gopath = pathlib.Path.home() / ".cache" / "arbiter" / "go"
    env = dict(os.environ, GOPATH=str(gopath), GOFLAGS="-mod=mod", GO111MODULE="on")
    out = subprocess.run(["go", "mod", "download", "-json", f"{module}@{version}"], env=env,
                         cwd="/", capture_output=True, text=True, check=False)
    info = json.loads(out.stdout or "{}")
    if out.returncode != 0 or "Dir" not in info:
        raise RuntimeError(f"go mod download {module}@{version} failed: {out.stderr or info}")
    return pathlib.Path(info["Dir"])


def close(schema, preserve_key="x-kubernetes-preserve-unknown-fields"):
    """Returns the schema with every object that lists properties closed to others."""
    if isinstance(schema, list):
        return [close(s, preserve_key) for s in schema]
    if not isinstance(schema, dict):
        return schema
    out = {k: close(v, preserve_key) for k, v in schema.items()}
    if "properties" in out and "additionalProperties" not in out and not out.get(preserve_key):
        out["additionalProperties"] = False
    if out.get("x-kubernetes-int-or-string"):
        out.pop("type", None)
        out["anyOf"] = [{"type": "integer"}, {"type": "string"}]
    return out


class Validator:
    def __init__(self):
        spec = json.loads((module_dir("k8s.io/kubernetes", KUBERNETES_VERSION) /
                           "api/openapi-spec/swagger.json").read_text())
        definitions = close(spec["definitions"])
        definitions["io.k8s.apimachinery.pkg.util.intstr.IntOrString"] = {
            "anyOf": [{"type": "integer"}, {"type": "string"}]}
        definitions["io.k8s.apimachinery.pkg.api.resource.Quantity"] = {
            "anyOf": [{"type": "number"}, {"type": "string", "pattern": QUANTITY}]}
        self.root = {"definitions": definitions}
        self.builtin = {}
        for name, d in definitions.items():
            for gvk in d.get("x-kubernetes-group-version-kind", []):
                group = gvk["group"]
                api_version = f"{group}/{gvk['version']}" if group else gvk["version"]
                self.builtin[(api_version, gvk["kind"])] = name
        self.crds = {}
        crd_dir = module_dir("github.com/prometheus-operator/prometheus-operator",
                             PROMETHEUS_OPERATOR_VERSION) / "example/prometheus-operator-crd"
        for f in CRD_FILES:
            crd = yaml.safe_load((crd_dir / f).read_text())
            for v in crd["spec"]["versions"]:
                schema = close(copy.deepcopy(v["schema"]["openAPIV3Schema"]))
                # The CRD leaves metadata open; the API server checks it as ObjectMeta.
                schema["properties"]["metadata"] = {
                    "$ref": "#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"}
                schema["definitions"] = definitions
                api_version = f"{crd['spec']['group']}/{v['name']}"
                self.crds[(api_version, crd["spec"]["names"]["kind"])] = schema

    def kinds(self):
        return set(self.builtin) | set(self.crds)

    def errors(self, obj):
        """The schema violations of one object, as readable strings (empty when valid)."""
        key = (obj.get("apiVersion"), obj.get("kind"))
        if key in self.builtin:
            schema = dict(self.root, **{"$ref": f"#/definitions/{self.builtin[key]}"})
            cls = jsonschema.Draft4Validator
        elif key in self.crds:
            schema, cls = self.crds[key], jsonschema.Draft7Validator
        else:
            return [f"{key[1]} {key[0]}: no such kind in Kubernetes {KUBERNETES_VERSION} "
                    f"or the known CRDs"]
        found = []
        for e in cls(schema).iter_errors(obj):
            where = "/".join(str(p) for p in e.absolute_path) or "(root)"
            found.append(f"{key[1]}/{obj['metadata'].get('name')}: {where}: {e.message[:300]}")
        return found


def _self_test(v):
    """The validator must reject what the API server rejects, or a pass means nothing."""
    bad = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "x"},
           "spec": {"ports": [{"port": 1, "targetport": "grpc"}]}}
    assert any("targetport" in e for e in v.errors(bad)), "unknown field not caught"
    bad = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "x"},
           "spec": {"selector": {}, "template": {"spec": {"containers": [
               {"name": "c", "resources": {"limits": {"memory": "2Gb"}}}]}}}}
    assert any("2Gb" in e for e in v.errors(bad)), "malformed quantity not caught"
    bad = {"apiVersion": "monitoring.coreos.com/v1", "kind": "ServiceMonitor",
           "metadata": {"name": "x"}, "spec": {"endpoints": [{"prot": "metrics"}], "selector": {}}}
    assert any("prot" in e for e in v.errors(bad)), "unknown CRD field not caught"
