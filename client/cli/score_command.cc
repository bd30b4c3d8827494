// `arbiter score`: JSON Lines of Groups in, JSON Lines of GroupResults out, same order.
#include <unistd.h>

#include <cmath>
#include <fstream>
#include <iostream>
#include <memory>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "client/cli/commands.h"
#include "client/jsonl.h"
#include "client/score_pipeline.h"
#include "client/score_summary.h"
#include "client/suite_references.h"

namespace arbiter::client::cli {
namespace {

constexpr char kDescription[] =
    "Scores a JSON Lines file of groups: one arbiter.v1.Group per line (proto3 JSON; snake_case\n"
    "or lowerCamel names) in, one arbiter.v1.GroupResult per line out, in the same order. Use -\n"
    "for stdin/stdout. A dataset row is not a Group: wrap it as {\"task\": {\"verifier\": NAME,\n"
    "\"ground_truth\": <the row's label column>}, \"samples\": [{\"completion\": ...}, ...]}.\n"
    "A line that is not a valid Group gets a GroupResult with status INVALID_ARGUMENT naming its\n"
    "line, and the rest of the file is still scored; blank lines are skipped; group_index is the\n"
    "group's 0-based position in the input and a failed group's message names its input line.\n"
    "\n"
    "Pacing: batches of --batch_groups go out one at a time at first, then up to --concurrency\n"
    "at once while the server keeps up; a group that runs out of time in the server's queue is\n"
    "sent again alone (up to 5 tries) and the window halves, so long files finish with the\n"
    "defaults. RESOURCE_EXHAUSTED and UNAVAILABLE are retried with backoff.\n"
    "\n"
    "On a terminal (or with --progress) a progress line shows groups done, rate and ETA; at the\n"
    "end a summary on stderr gives groups scored and failed, samples per outcome, the mean score\n"
    "and pass@k for each k of --pass_at (unbiased estimator; INFRA_ERROR samples left out).\n"
    "Exit 0 when at least one group was scored (per-group errors are in the output), 1 when none\n"
    "was, the server is unreachable or the output cannot be written, 2 on bad flags.";

constexpr char kExample[] =
    "  printf '%s\\n' '{\"group_id\":\"g1\",\"task\":{\"verifier\":\"sat\",\"ground_truth\":"
    "\"!A!BC & A!BD & AB!C & BCD\"},\"samples\":[{\"completion\":\"so \\\\boxed{1010}\"},"
    "{\"completion\":\"no idea\"}]}' > groups.jsonl\n"
    "  arbiter score --server=127.0.0.1:50051 --input=groups.jsonl --output=- --pass_at=1\n"
    "  arbiter score --input=groups.jsonl --output=results.jsonl "
    "--shaping='{\"normalizer\":\"NORMALIZER_MEAN_ONLY\"}'";

// Counts non-blank lines, for the progress line's total. -1 when unknown (stdin).
int64_t CountGroups(const std::string& path) {
  if (path == "-") return -1;
  std::ifstream in(path);
  int64_t n = 0;
  std::string line;
  while (std::getline(in, line)) n += IsBlankLine(line) ? 0 : 1;
  return n;
}

// Prints "done/total groups, rate" at most every 2 s.
class Progress {
 public:
  explicit Progress(int64_t total) : total_(total), start_(absl::Now()), last_(start_) {}
  void Update(int64_t done) {
    absl::MutexLock lock(&mu_);
    const absl::Time now = absl::Now();
    if (now - last_ < absl::Seconds(2)) return;
    last_ = now;
    Print(done, now);
  }
  void Finish(int64_t done) {
    absl::MutexLock lock(&mu_);
    Print(done, absl::Now());
    std::cerr << "\n";
  }

 private:
  void Print(int64_t done, absl::Time now) {
    const double seconds = std::max(1e-9, absl::ToDoubleSeconds(now - start_));
    if (total_ >= 0) {
      const double rate = done / seconds;
      const std::string eta =
          rate > 0 && done < total_
              ? absl::StrCat(", ETA ", absl::FormatDuration(
                                           absl::Seconds(std::llround((total_ - done) / rate))))
              : "";
      std::cerr << absl::StrFormat("\r[arbiter score] %d/%d groups (%.1f%%), %.1f groups/s%s   ",
                                   done, total_, total_ ? 100.0 * done / total_ : 100.0, rate, eta);
    } else {
      std::cerr << absl::StrFormat("\r[arbiter score] %d groups, %.0f groups/s", done,
                                   done / seconds);
    }
  }
  absl::Mutex mu_;
  const int64_t total_;
  const absl::Time start_;
  absl::Time last_ ABSL_GUARDED_BY(mu_);
};

}  // namespace

int RunScore(const std::vector<std::string>& args) {
  std::string server, input, output = "-", shaping_json, pass_at = "";
  int64_t batch_groups = 64, concurrency = 4, suite_min_bytes = 0;
  absl::Duration deadline = absl::Seconds(60);
  bool progress = false;
  FlagSet flags("score",
                "arbiter score --server=HOST:PORT --input=FILE|- --output=FILE|- "
                "[--batch_groups=64] [--concurrency=4] [--shaping=JSON] [--deadline=60s] "
                "[--pass_at=1,8] [--suite_min_bytes=65536]",
                kDescription, kExample);
  AddServerFlag(&flags, &server);
  flags.String("input", &input, "JSON Lines of Groups; - for stdin (required)");
  flags.String("output", &output, "where GroupResults go; - for stdout");
  flags.Int("batch_groups", &batch_groups, "groups per Score RPC");
  flags.Int("concurrency", &concurrency, "RPCs in flight");
  flags.String("shaping", &shaping_json,
               "an arbiter.v1.Shaping in JSON, the default shaping of every group");
  flags.Duration("deadline", &deadline, "deadline of each RPC, retries included");
  flags.Bool("progress", &progress, "print progress on stderr even when it is not a terminal");
  flags.String("pass_at", &pass_at, "comma-separated k's for the pass@k summary, e.g. 1,8");
  flags.Int("suite_min_bytes", &suite_min_bytes,
            "send ground truths of at least this many bytes by reference (RegisterSuite once, "
            "then Task.ground_truth_ref); 0 = all inline");
  if (int code = ParseOrExit(flags, args); code >= 0) return code;
  if (input.empty()) {
    std::cerr << "arbiter score: --input is required (use - for stdin)\n" << flags.Usage();
    return kExitUsage;
  }
  if (batch_groups < 1 || concurrency < 1 || suite_min_bytes < 0) {
    std::cerr << "arbiter score: --batch_groups and --concurrency must be >= 1, "
                 "--suite_min_bytes >= 0\n";
    return kExitUsage;
  }
  std::vector<int> ks;
  for (absl::string_view k : absl::StrSplit(pass_at, ',', absl::SkipEmpty())) {
    int value = 0;
    if (!absl::SimpleAtoi(k, &value) || value < 1) {
      std::cerr << "arbiter score: --pass_at takes positive integers, e.g. 1,8 (got \"" << k
                << "\")\n";
      return kExitUsage;
    }
    ks.push_back(value);
  }
  v1::Shaping shaping;
  if (!shaping_json.empty()) {
    if (absl::Status s = ParseJsonMessage(shaping_json, &shaping); !s.ok()) {
      std::cerr << "arbiter score: --shaping: " << s.message() << "\n";
      return kExitUsage;
    }
  }
  std::ifstream file;
  if (input != "-") {
    file.open(input);
    if (!file) {
      std::cerr << "arbiter score: cannot open --input=" << input << "\n";
      return kExitFailure;
    }
  }
  std::istream& in = input == "-" ? std::cin : file;
  auto out = OpenOutput(output);
  if (out == nullptr) return kExitFailure;

  auto client = Connect(server, deadline, static_cast<int>(concurrency));
  if (!client.ok()) return Fail("score", client.status());
  const Client* c = client->get();
  ScorePipelineOptions options;
  options.batch_groups = static_cast<int>(batch_groups);
  options.concurrency = static_cast<int>(concurrency);
  ScoreSummary summary(ks);
  options.on_result = [&summary](const v1::GroupResult& result) { summary.Add(result); };
  std::unique_ptr<Progress> meter;
  if (progress || isatty(STDERR_FILENO)) {
    meter = std::make_unique<Progress>(CountGroups(input));
    options.on_progress = [&meter](int64_t done) { meter->Update(done); };
  }
  std::unique_ptr<SuiteReferences> suites;
  if (suite_min_bytes > 0) suites = std::make_unique<SuiteReferences>(c, suite_min_bytes);
  ScoreRequestFn score = [c](const v1::ScoreRequest& r) { return c->Score(r); };
  if (suites != nullptr) score = [&suites](const v1::ScoreRequest& r) { return suites->Score(r); };
  const auto stats = ScoreJsonl(in, *out, options, MakeBatchScorer(std::move(score), shaping));
  if (meter != nullptr) meter->Finish(stats.ok() ? stats->groups_written : 0);
  if (!stats.ok()) {
    if (stats.status().code() == absl::StatusCode::kUnavailable) {
      std::cerr << "arbiter score: cannot reach the server at " << server << "\n";
    }
    return Fail("score", stats.status());
  }
  std::cerr << summary.Report();
  if (stats->malformed_lines > 0) {
    std::cerr << "arbiter score: " << stats->malformed_lines
              << " malformed input line(s); their results carry INVALID_ARGUMENT\n";
  }
  if (stats->rpc_failed_groups > 0) {
    std::cerr << "arbiter score: " << stats->rpc_failed_groups
              << " group(s) failed at the RPC level; their results carry the RPC status\n";
  }
  if (suites != nullptr) {
    std::cerr << "arbiter score: " << suites->groups_by_reference()
              << " group(s) sent their ground truth by reference, "
              << suites->groups_resent_inline() << " re-sent inline\n";
  }
  if (stats->retried_groups > 0) {
    std::cerr << "arbiter score: " << stats->retried_groups
              << " group send(s) repeated after running out of time in the server's queue\n";
  }
  if (summary.groups_ok() == 0 && summary.groups_failed() > 0) {
    std::cerr << "arbiter score: no group was scored\n";
    return kExitFailure;
  }
  return kExitOk;
}

}  // namespace arbiter::client::cli
