// `arbiter bench`: a bounded load generator replaying GRPO-shaped SAT batches on a loopback
// server, reporting throughput and latency percentiles.
#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <thread>

#include "absl/strings/str_format.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "client/cli/bench_workload.h"
#include "client/cli/commands.h"

namespace arbiter::client::cli {
namespace {

constexpr char kDescription[] =
    "Replays GRPO-shaped SAT batches against a server on this machine and reports items/s,\n"
    "RPC/s and Score latency p50/p90/p99. Each request holds --batch samples in groups of\n"
    "--group_size (one Saturn task, G completions of about --completion_bytes: half box the\n"
    "planted solution, a quarter a wrong one, a quarter no answer). Every request's completions\n"
    "carry a unique tag, so the server's result cache cannot short-cut the work (the `cached`\n"
    "count is reported). Tasks come from --input (Saturn JSONL files or directories; default\n"
    "../shared/data/saturn/test or $ARBITER_SHARED_DIR/data/saturn/test), else from Generate.\n"
    "The run is bounded by --requests and --duration; only loopback servers are accepted.";

struct Tally {
  absl::Mutex mu;
  std::vector<double> latencies_ms ABSL_GUARDED_BY(mu);
  int64_t failed ABSL_GUARDED_BY(mu) = 0;
  std::string first_error ABSL_GUARDED_BY(mu);
  int64_t outcomes[5] ABSL_GUARDED_BY(mu) = {0, 0, 0, 0, 0};
  int64_t cached ABSL_GUARDED_BY(mu) = 0;
  int64_t group_errors ABSL_GUARDED_BY(mu) = 0;
};

std::vector<std::string> DefaultInputs() {
  std::vector<std::string> candidates = {"../shared/data/saturn/test"};
  if (const char* shared = std::getenv("ARBITER_SHARED_DIR"); shared != nullptr) {
    candidates.push_back(std::string(shared) + "/data/saturn/test");
  }
  for (const std::string& c : candidates) {
    std::error_code ec;
    if (std::filesystem::is_directory(c, ec)) return {c};
  }
  return {};
}

absl::StatusOr<std::vector<SatRow>> GeneratedRows(const Client& client) {
  v1::GenerateRequest request;
  request.set_kind("sat");
  request.mutable_sat()->set_n(3);
  request.mutable_sat()->set_k(7);
  request.mutable_sat()->set_l(40);
  request.mutable_sat()->set_count(128);
  request.mutable_sat()->set_seed(1);
  auto response = client.Generate(request);
  if (!response.ok()) return response.status();
  std::vector<SatRow> rows;
  for (const v1::GeneratedTask& t : response->tasks()) {
    rows.push_back(
        {t.sat().id(), t.sat().n_sat(), t.sat().k(), t.sat().solution(), t.sat().clause()});
  }
  if (rows.empty()) return absl::NotFoundError("Generate returned no tasks");
  return rows;
}

void Record(const absl::StatusOr<v1::ScoreResponse>& response, double ms, Tally& tally) {
  absl::MutexLock lock(&tally.mu);
  if (!response.ok()) {
    if (tally.failed++ == 0) tally.first_error = response.status().ToString();
    return;
  }
  tally.latencies_ms.push_back(ms);
  for (const v1::GroupResult& g : response->groups()) {
    if (g.status().code() != 0) ++tally.group_errors;
    for (const v1::SampleResult& s : g.samples()) {
      const int o = static_cast<int>(s.outcome());
      if (o >= 0 && o < 5) ++tally.outcomes[o];
      if (s.cached()) ++tally.cached;
    }
  }
}

// Sends up to `requests` RPCs from `concurrency` threads until done or `duration` has passed;
// returns the wall time in seconds.
double RunLoad(const Client& c, const std::vector<v1::ScoreRequest>& templates, int64_t requests,
               int concurrency, absl::Duration duration, Tally& tally) {
  std::atomic<int64_t> issued{0};
  const absl::Time start = absl::Now();
  const absl::Time stop = start + duration;
  const uint64_t run_tag = static_cast<uint64_t>(absl::ToUnixMicros(start)) << 20;
  std::vector<std::thread> threads;
  for (int t = 0; t < concurrency; ++t) {
    threads.emplace_back([&] {
      // Each thread re-stamps its own copies in place: copying 512 KB per request would cost the
      // client more than the RPC itself.
      std::vector<v1::ScoreRequest> mine = templates;
      while (absl::Now() < stop) {
        const int64_t i = issued.fetch_add(1);
        if (i >= requests) return;
        v1::ScoreRequest& request = mine[static_cast<size_t>(i) % mine.size()];
        StampNonce(run_tag + static_cast<uint64_t>(i), &request);
        const absl::Time sent = absl::Now();
        const absl::StatusOr<v1::ScoreResponse> response = c.Score(request);
        Record(response, absl::ToDoubleMilliseconds(absl::Now() - sent), tally);
      }
    });
  }
  for (std::thread& t : threads) t.join();
  return absl::ToDoubleSeconds(absl::Now() - start);
}

}  // namespace

int RunBench(const std::vector<std::string>& args) {
  std::string server = DefaultServer(), verifier = "sat", input;
  int64_t batch = 256, group_size = 8, requests = 200, concurrency = 4, completion_bytes = 2048,
          warmup = 8;
  absl::Duration duration = absl::Seconds(60), deadline = absl::Seconds(30);
  bool ground_truth = false;
  FlagSet flags("bench",
                "arbiter bench --server=HOST:PORT --verifier=sat --batch=256 --requests=N "
                "--concurrency=C [--input=FILE|DIR]",
                kDescription,
                "  arbiter bench --server=127.0.0.1:50051 --batch=256 --requests=400 "
                "--concurrency=4");
  flags.String("server", &server, "loopback server address HOST:PORT (env ARBITER_SERVER)");
  flags.String("verifier", &verifier, "verifier to load (sat)");
  flags.Int("batch", &batch, "samples per Score RPC");
  flags.Int("group_size", &group_size, "samples per group (GRPO's G)");
  flags.Int("requests", &requests, "measured RPCs in total (upper bound)");
  flags.Int("concurrency", &concurrency, "RPCs in flight");
  flags.Int("completion_bytes", &completion_bytes, "approximate bytes per completion");
  flags.Int("warmup", &warmup, "unmeasured RPCs sent first");
  flags.Duration("duration", &duration, "time cap of the measured phase");
  flags.Duration("deadline", &deadline, "deadline of each RPC");
  flags.String("input", &input, "Saturn JSONL file or directory of them");
  flags.Bool("ground_truth", &ground_truth,
             "send tasks as ground_truth row JSON instead of typed SatTask");
  if (int code = ParseOrExit(flags, args); code >= 0) return code;
  if (verifier != "sat") {
    std::cerr << "arbiter bench: only --verifier=sat is implemented\n";
    return kExitUsage;
  }
  if (!IsLoopbackTarget(server)) {
    std::cerr << "arbiter bench: refusing non-loopback --server=" << server
              << " (load tests stay on this machine)\n";
    return kExitUsage;
  }
  if (batch < 1 || group_size < 1 || requests < 1 || concurrency < 1 || requests > 1000000) {
    std::cerr << "arbiter bench: --batch, --group_size, --concurrency >= 1; 1 <= --requests "
                 "<= 1000000\n";
    return kExitUsage;
  }
  auto client = Connect(server, deadline, static_cast<int>(concurrency));
  if (!client.ok()) return Fail("bench", client.status());
  const Client& c = **client;

  const std::vector<std::string> inputs =
      input.empty() ? DefaultInputs() : std::vector<std::string>{input};
  absl::StatusOr<std::vector<SatRow>> rows =
      inputs.empty() ? GeneratedRows(c) : ReadSaturnRows(inputs);
  if (!rows.ok()) return Fail("bench", rows.status());

  WorkloadOptions workload{static_cast<int>(batch), static_cast<int>(group_size),
                           static_cast<int>(completion_bytes), ground_truth};
  const size_t groups_per_request = static_cast<size_t>(std::max<int64_t>(1, batch / group_size));
  std::vector<v1::ScoreRequest> templates;
  for (size_t first = 0; first < rows->size() && templates.size() < 16;
       first += groups_per_request) {
    templates.push_back(BuildRequest(*rows, first, workload));
  }
  int64_t items_per_request = 0;
  for (const v1::Group& g : templates[0].groups()) items_per_request += g.samples_size();

  for (int64_t i = 0; i < warmup; ++i) {  // warm-up tags have the top bit set: never reused
    v1::ScoreRequest request = templates[static_cast<size_t>(i) % templates.size()];
    StampNonce(static_cast<uint64_t>(i) | (uint64_t{1} << 63), &request);
    if (auto r = c.Score(request); !r.ok()) return Fail("bench (warm-up)", r.status());
  }

  Tally tally;
  const double seconds =
      RunLoad(c, templates, requests, static_cast<int>(concurrency), duration, tally);

  absl::MutexLock lock(&tally.mu);
  const int64_t ok = static_cast<int64_t>(tally.latencies_ms.size());
  const double items = static_cast<double>(ok * items_per_request);
  std::cout << absl::StrFormat(
      "arbiter bench: verifier=sat batch=%d (%d groups x %d) completion~%d B concurrency=%d "
      "task=%s rows=%d\n",
      items_per_request, groups_per_request, group_size, completion_bytes, concurrency,
      ground_truth ? "ground_truth" : "typed", rows->size());
  std::cout << absl::StrFormat("  rpcs ok %d, failed %d; wall %.3f s\n", ok, tally.failed, seconds);
  std::cout << absl::StrFormat("  throughput: %.0f items/s, %.1f RPC/s\n", items / seconds,
                               static_cast<double>(ok) / seconds);
  std::vector<double>& lat = tally.latencies_ms;
  std::cout << absl::StrFormat("  latency ms: p50 %.2f  p90 %.2f  p99 %.2f  max %.2f\n",
                               Percentile(lat, 0.50), Percentile(lat, 0.90), Percentile(lat, 0.99),
                               Percentile(lat, 1.0));
  std::cout << absl::StrFormat(
      "  outcomes: correct %d, incorrect %d, no_answer %d, infra_error %d; cached %d; group "
      "errors %d\n",
      tally.outcomes[1], tally.outcomes[2], tally.outcomes[3], tally.outcomes[4], tally.cached,
      tally.group_errors);
  if (tally.failed > 0) {
    std::cerr << "arbiter bench: " << tally.failed << " RPC(s) failed; first: " << tally.first_error
              << "\n";
    return kExitFailure;
  }
  return ok > 0 ? kExitOk : kExitFailure;
}

}  // namespace arbiter::client::cli
