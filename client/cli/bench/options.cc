#include "client/cli/bench/options.h"

#include <unistd.h>

#include <cstring>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace arbiter::client::cli::bench {

const char kBenchDescription[] =
    "A load generator for reward traffic (ghz's model, GRPO's shapes), against a server on this\n"
    "machine only. Each call re-sends one of a few request templates with a fresh tag in every\n"
    "completion, so the server's result cache cannot answer from memory (`cached` counts it).\n"
    "\n"
    "Load: closed loop by default (--concurrency calls in flight; the next is sent when one\n"
    "ends). --rate=N makes it open loop: N calls per second on a fixed schedule whatever the\n"
    "server does, latency measured from each call's *scheduled* time (so queueing shows), at\n"
    "most --concurrency in flight (a send that waits for room is counted late). The run stops\n"
    "after --requests calls or --duration, whichever comes first; --warmup calls go first,\n"
    "unmeasured.\n"
    "\n"
    "Workloads (--workload): sat (Saturn rows from --input or the team data, else generated),\n"
    "code (APPS-style stdin tests, --tests per task), beam (BeamPERL gold lists from the beam\n"
    "generator), math (Math-Verify-style golds), shaping (sat + unlikeliness/z-score shaping),\n"
    "null (transport only: arbiterd has no no-op verifier, so sat on the formula \"A\" with a\n"
    "tiny completion stands in), mixed (sat, math, beam, code groups in every request),\n"
    "pathological (code with infinite loops, memory bombs, fork bombs and output floods mixed\n"
    "in), replay (the groups of --replay, one arbiter.v1.Group per line, as `arbiter score`\n"
    "reads). Within a group samples cycle correct / correct / wrong / no answer.\n"
    "\n"
    "Shape: a request holds --prompts groups of --group_size completions of about\n"
    "--completion_bytes (--batch=N sets --prompts to N / --group_size).\n"
    "\n"
    "Transports (--transport): grpc (Score RPCs to --server, a generic async stub over\n"
    "--connections HTTP/2 connections); slime and openrlhf (one POST per *sample* to the HTTP\n"
    "gateway at --http, as those trainers send them: slime on keep-alive connections,\n"
    "OpenRLHF a new connection per request; a call is then one sample, each in flight on its\n"
    "own connection, driven by --http_threads event loops).\n"
    "\n"
    "Report: RPC/s, groups/s, items/s, items/s per CPU, latency p50/p90/p95/p99/p99.9/max,\n"
    "errors by code, outcomes, cache hits, the load average at the start, client CPU and (with\n"
    "--server_pid) server CPU. --json or --csv for machines; --sweep=KEY:V1,V2,... repeats the\n"
    "run for each value (keys: concurrency, rate, connections, prompts, group_size, tests,\n"
    "completion_bytes) and prints one row per point: a throughput/latency curve. A progress\n"
    "line is drawn on stderr when it is a terminal. Exit 1 when any call failed.";

const char kBenchExample[] =
    "  arbiter bench --workload=sat --prompts=32 --group_size=8 --requests=400 --concurrency=4\n"
    "  arbiter bench --workload=null --prompts=1 --group_size=1 --rate=5000 --duration=10s "
    "--concurrency=256\n"
    "  arbiter bench --transport=slime --http=127.0.0.1:8080 --workload=math --concurrency=64\n"
    "  arbiter bench --workload=code --tests=10 --sweep=concurrency:1,2,4,8 --csv";

void AddBenchFlags(FlagSet* flags, BenchOptions* o) {
  AddServerFlag(flags, &o->server);
  flags->String("http", &o->http, "the HTTP gateway HOST:PORT (--transport=slime|openrlhf)");
  flags->String("transport", &o->transport, "grpc, slime or openrlhf");
  flags->String("workload", &o->workload, absl::StrCat("one of: ", WorkloadNames()));
  flags->Int("prompts", &o->prompts, "groups per request");
  flags->Int("group_size", &o->group_size, "samples per group (GRPO's G)");
  flags->Int("tests", &o->tests, "unit tests per code task");
  flags->Int("completion_bytes", &o->completion_bytes, "approximate bytes per completion");
  flags->Int("batch", &o->batch, "samples per request; sets --prompts to batch / group_size");
  flags->Int("requests", &o->requests, "measured calls, at most (1..1000000)");
  flags->Duration("duration", &o->duration, "time cap of the measured phase");
  flags->Int("warmup", &o->warmup, "unmeasured calls sent first");
  flags->Int("concurrency", &o->concurrency, "calls in flight (open loop: at most)");
  flags->Double("rate", &o->rate, "open loop: calls per second; 0 = closed loop");
  flags->Int("connections", &o->connections, "gRPC channels (HTTP/2 connections)");
  flags->Int("http_threads", &o->http_threads,
             "slime/openrlhf: the load generator's I/O threads (event loops)");
  flags->Duration("deadline", &o->deadline, "deadline of each call");
  flags->String("input", &o->input, "Saturn JSONL file or directory (sat, shaping, mixed)");
  flags->String("replay", &o->replay, "JSON Lines of groups to replay (--workload=replay)");
  flags->Int("templates", &o->templates, "distinct request templates");
  flags->Int("server_pid", &o->server_pid, "the server's pid, to report its CPU time");
  flags->Bool("json", &o->json, "print the report as JSON");
  flags->Bool("csv", &o->csv, "print the report as CSV (header + one row per point)");
  flags->String("sweep", &o->sweep, "KEY:V1,V2,... one run per value (see above)");
}

bool IsLoopbackTarget(const std::string& target) {
  std::string t = target;
  for (const char* scheme : {"dns:///", "dns:", "ipv4:", "ipv6:"}) {
    if (absl::StartsWith(t, scheme)) t = t.substr(std::strlen(scheme));
  }
  if (absl::StartsWith(t, "unix:")) return true;
  if (absl::StartsWith(t, "127.")) return true;
  if (absl::StartsWith(t, "localhost:") || t == "localhost") return true;
  return absl::StartsWith(t, "[::1]") || t == "::1";
}

absl::Status Validate(const BenchOptions& o) {
  auto bad = [](auto... parts) { return absl::InvalidArgumentError(absl::StrCat(parts...)); };
  if (o.transport == "grpc" && !IsLoopbackTarget(o.server)) {
    return bad("refusing non-loopback --server=", o.server, " (load tests stay on this machine)");
  }
  if (o.transport != "grpc") {
    if (o.http.empty()) return bad("--transport=", o.transport, " needs --http=HOST:PORT");
    if (!IsLoopbackTarget(o.http)) {
      return bad("refusing non-loopback --http=", o.http, " (load tests stay on this machine)");
    }
  }
  if (o.prompts < 1 || o.group_size < 1 || o.tests < 1 || o.completion_bytes < 0) {
    return bad("--prompts, --group_size and --tests must be >= 1, --completion_bytes >= 0");
  }
  if (o.prompts * o.group_size > 1000000 || o.tests > 1000 || o.completion_bytes > (1 << 20)) {
    return bad("at most 1,000,000 samples per request, 1000 tests, 1 MiB per completion");
  }
  if (o.requests < 1 || o.requests > 1000000) return bad("--requests must be in 1..1000000");
  if (o.concurrency < 1 || o.concurrency > 4096) return bad("--concurrency must be in 1..4096");
  if (o.connections < 1 || o.connections > 64) return bad("--connections must be in 1..64");
  if (o.http_threads < 1 || o.http_threads > 64) return bad("--http_threads must be in 1..64");
  if (o.rate < 0 || o.rate > 1e6) return bad("--rate must be in 0..1000000 calls per second");
  if (o.warmup < 0 || o.warmup > 100000) return bad("--warmup must be in 0..100000");
  if (o.templates < 1 || o.templates > 1024) return bad("--templates must be in 1..1024");
  if (o.duration <= absl::ZeroDuration()) return bad("--duration must be positive");
  if (o.json && o.csv) return bad("--json and --csv exclude each other");
  if (o.workload == "replay" && o.replay.empty()) return bad("--workload=replay needs --replay");
  return ParseSweep(o.sweep).status();
}

absl::StatusOr<Sweep> ParseSweep(const std::string& text) {
  Sweep sweep;
  if (text.empty()) return sweep;
  const std::vector<std::string> parts = absl::StrSplit(text, absl::MaxSplits(':', 1));
  static const char* const kKeys[] = {"concurrency", "rate",  "connections",     "prompts",
                                      "group_size",  "tests", "completion_bytes"};
  if (parts.size() != 2 ||
      std::find(std::begin(kKeys), std::end(kKeys), parts[0]) == std::end(kKeys)) {
    return absl::InvalidArgumentError(
        absl::StrCat("--sweep=", text,
                     ": want KEY:V1,V2,... with KEY one of concurrency, rate, connections, "
                     "prompts, group_size, tests, completion_bytes"));
  }
  sweep.key = parts[0];
  for (absl::string_view v : absl::StrSplit(parts[1], ',')) {
    double value;
    if (!absl::SimpleAtod(v, &value) || value < 0) {
      return absl::InvalidArgumentError(absl::StrCat("--sweep: \"", v, "\" is not a number"));
    }
    sweep.values.push_back(value);
  }
  if (sweep.values.size() > 64) return absl::InvalidArgumentError("--sweep: at most 64 values");
  return sweep;
}

BenchOptions WithSweepValue(BenchOptions o, const std::string& key, double value) {
  const auto n = static_cast<int64_t>(value);
  if (key == "concurrency") o.concurrency = n;
  if (key == "rate") o.rate = value;
  if (key == "connections") o.connections = n;
  if (key == "prompts") o.prompts = n;
  if (key == "group_size") o.group_size = n;
  if (key == "tests") o.tests = n;
  if (key == "completion_bytes") o.completion_bytes = n;
  return o;
}

WorkloadSpec SpecOf(const BenchOptions& o) {
  WorkloadSpec spec;
  spec.name = o.workload;
  spec.shape = {static_cast<int>(o.prompts), static_cast<int>(o.group_size),
                static_cast<int>(o.tests), static_cast<int>(o.completion_bytes)};
  if (!o.input.empty()) spec.sat_inputs = {o.input};
  spec.replay_path = o.replay;
  spec.templates = static_cast<int>(o.templates);
  return spec;
}

TransportOptions TransportOf(const BenchOptions& o) {
  TransportOptions t;
  t.kind = o.transport;
  t.address = o.transport == "grpc" ? o.server : o.http;
  t.deadline = o.deadline;
  t.connections = static_cast<int>(o.connections);
  t.max_in_flight = static_cast<int>(o.concurrency);
  t.http_threads = static_cast<int>(o.http_threads);
  return t;
}

LoadPlan PlanOf(const BenchOptions& o) {
  LoadPlan plan;
  plan.requests = o.requests;
  plan.duration = o.duration;
  plan.concurrency = static_cast<int>(o.concurrency);
  plan.rate = o.rate;
  plan.progress = isatty(STDERR_FILENO) == 1;
  return plan;
}

}  // namespace arbiter::client::cli::bench
