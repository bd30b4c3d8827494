#!/usr/bin/python3
"""Checks arbiter's monitoring against the real tools, with a live arbiterd:

1. `promtool check metrics` passes on a scrape of arbiterd taken under load;
2. the PrometheusRule's rules pass `promtool check rules` and `promtool test rules`
   (deploy/prometheus/rules_test.yaml);
3. every Grafana panel query (deploy/grafana/arbiter.json) and the prometheus-adapter rule
   parse as PromQL and name only metrics arbiterd exports;
4. a real Prometheus server scrapes arbiterd while it scores math samples over the HTTP gateway,
   evaluates the recording rules, and reads back through its HTTP query API exactly the number of
   samples sent and a positive rate.

usage: check_monitoring.py DEPLOY_DIR ARBITERD_BINARY      (interpreter: /usr/bin/python3)
Needs promtool and prometheus (Debian package `prometheus`, installed by scripts/install-deps)."""
import json
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

import yaml

import render

root, arbiterd = pathlib.Path(sys.argv[1]), sys.argv[2]
for tool in ["promtool", "prometheus"]:
    if not shutil.which(tool):
        sys.exit(f"FAIL: {tool} is not installed (scripts/install-deps installs Debian's prometheus)")
work = pathlib.Path(tempfile.mkdtemp(prefix="arbiter-monitoring-"))
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
    return cond


def run(*args, stdin=None):
    return subprocess.run(args, input=stdin, capture_output=True, text=True, cwd=work)


def post(port, path, body):
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=json.dumps(body).encode(),
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=30) as r:
        return json.loads(r.read())


def get_json(url):
    with urllib.request.urlopen(url, timeout=10) as r:
        return json.loads(r.read())


# --- 2. rules -----------------------------------------------------------------------------------
rule_object = yaml.safe_load((root / "kustomize/base/prometheusrule.yaml").read_text())
(work / "rules.yaml").write_text(yaml.safe_dump(rule_object["spec"]))
shutil.copy(root / "prometheus/rules_test.yaml", work / "rules_test.yaml")
out = run("promtool", "check", "rules", "rules.yaml")
check(out.returncode == 0, f"promtool check rules: {out.stdout}{out.stderr}")
out = run("promtool", "test", "rules", "rules_test.yaml")
check(out.returncode == 0, f"promtool test rules: {out.stdout}{out.stderr}")

# --- 3. dashboard and adapter queries parse --------------------------------------------------------
dashboard = json.loads((root / "grafana/arbiter.json").read_text())
queries = {}
for panel in dashboard["panels"]:
    for target in panel.get("targets", []):
        # Grafana's own variables, replaced by values of the same type, so that promtool parses it.
        expr = (target["expr"].replace("$__rate_interval", "1m").replace('"$job"', '".*"'))
        queries[f"panel '{panel['title']}' {target['refId']}"] = expr
check(len(queries) >= 15, f"dashboard has only {len(queries)} queries")
adapter = yaml.safe_load((root / "prometheus/adapter-rules.yaml").read_text())
for k, rule in enumerate(adapter["rules"]):
    queries[f"adapter rule {k}"] = rule["seriesQuery"]
as_rules = {"groups": [{"name": "parse", "rules": [
    {"record": f"parse:q{k}", "expr": e} for k, e in enumerate(queries.values())]}]}
(work / "queries.yaml").write_text(yaml.safe_dump(as_rules))
out = run("promtool", "check", "rules", "queries.yaml")
check(out.returncode == 0, f"dashboard/adapter queries do not parse: {out.stdout}{out.stderr}")
PROMQL_WORDS = {"sum", "by", "rate", "max", "count", "histogram_quantile", "le", "without", "on",
                "ignoring", "min", "avg"}

with render.Arbiterd(arbiterd, f"--http_address=127.0.0.1:0",
                     f"--http_port_file={work}/http_port") as server:
    http_port = int((work / "http_port").read_text().strip())
    exported = render.metric_names(server.scrape())
    for where, expr in queries.items():
        without_strings = re.sub(r'"[^"]*"', '""', expr)
        for name in set(re.findall(r"\b(arbiter_[a-z_]+)\b", without_strings)):
            check(name in exported, f"{where}: metric {name} is not exported by arbiterd")

    # --- 4. a real Prometheus ----------------------------------------------------------------------
    prom_port = render.free_port()
    (work / "prometheus.yml").write_text(yaml.safe_dump({
        "global": {"scrape_interval": "1s", "evaluation_interval": "1s"},
        "rule_files": [str(work / "rules.yaml")],
        "scrape_configs": [{"job_name": "arbiter", "static_configs": [
            {"targets": [f"127.0.0.1:{server.metrics_port}"]}]}]}))
    prom = subprocess.Popen(
        ["prometheus", f"--config.file={work}/prometheus.yml", f"--storage.tsdb.path={work}/tsdb",
         f"--web.listen-address=127.0.0.1:{prom_port}"],
        stdout=subprocess.DEVNULL, stderr=open(work / "prometheus.log", "w"))
    api = f"http://127.0.0.1:{prom_port}/api/v1"

    def query(q, at=None):
        params = {"query": q} | ({"time": f"{at:.3f}"} if at else {})
        body = get_json(f"{api}/query?{urllib.parse.urlencode(params)}")
        return [(r["metric"], float(r["value"][1])) for r in body["data"]["result"]]

    try:
        deadline = time.time() + 30
        while True:
            try:
                up = query('up{job="arbiter"}')
                if up and up[0][1] == 1:
                    break
            except OSError:
                pass
            if prom.poll() is not None or time.time() > deadline:
                sys.exit("FAIL: Prometheus did not come up and scrape arbiterd: " +
                         (work / "prometheus.log").read_text()[-2000:])
            time.sleep(0.25)

        # Score math samples for about 6 seconds: distinct completions, so nothing is cached.
        sent, k, start = 0, 0, time.time()
        while time.time() - start < 6:
            groups = [{"task": {"verifier": "math", "ground_truth": str(k + j)},
                       "samples": [{"completion": f"\\boxed{{{k + j + d}}}"} for d in range(4)]}
                      for j in range(8)]
            response = post(http_port, "/v1/score", {"groups": groups})
            sent += sum(len(g["samples"]) for g in response["groups"])
            k += 1000
        load_end = time.time()
        check(sent > 0, "no samples were scored")

        # Prometheus must see exactly what was sent, and a positive rate over the load.
        total, deadline = None, time.time() + 30
        while time.time() < deadline:
            result = query('sum(arbiter_items_total{verifier="math"})')
            total = result[0][1] if result else None
            if total == sent:
                break
            time.sleep(0.5)
        check(total == sent, f"Prometheus counted {total} math samples, {sent} were sent")
        correct = query('sum(arbiter_items_total{verifier="math",outcome="CORRECT"})')
        check(correct and correct[0][1] == sent / 4, f"CORRECT samples: {correct}, expected {sent / 4}")
        rate = query('sum(rate(arbiter_items_total{verifier="math"}[5s]))', at=load_end)
        measured = sent / (load_end - start)
        check(rate and 0.2 * measured < rate[0][1] < 5 * measured,
              f"rate through Prometheus {rate} vs {measured:.0f} samples/s sent")
        recorded = query('sum(arbiter:items:rate5m{verifier="math"})')
        check(recorded and recorded[0][1] > 0, f"recording rule arbiter:items:rate5m: {recorded}")
        print(f"Prometheus read back {total:.0f} samples (sent {sent}); rate at load end "
              f"{rate[0][1] if rate else 0:.0f}/s vs {measured:.0f}/s sent")
    finally:
        prom.terminate()
        prom.wait(timeout=30)

    # --- 1. promtool check metrics on a scrape under load -----------------------------------------
    scrape = server.scrape()
    out = run("promtool", "check", "metrics", stdin=scrape)
    check(out.returncode == 0, f"promtool check metrics: {out.stdout}{out.stderr}")

for f in failures:
    print("FAIL:", f)
print(f"{len(queries)} queries, rules and a live Prometheus checked; {len(failures)} problems")
shutil.rmtree(work, ignore_errors=True)
sys.exit(1 if failures else 0)
