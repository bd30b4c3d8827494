// Three arbiterd replicas as separate hosts (network namespaces; loopback where those cannot be
// made, with the reason printed), the C++ and the Python client spreading one batch round-robin
// over all three. Mid-load one replica is SIGKILLed and another cut off from the network; the
// test asserts that every replica served before the faults, that only calls in flight on the two
// faulty replicas were retried (and that some were), that every round completed with every
// result, and that every result equals a reference scoring of the same batch. See README.md.
#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/mutex.h"
#include "client/client.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/replicas/batch.h"
#include "tests/replicas/replica_set.h"

namespace arbiter::replicas {
namespace {

constexpr int kKilled = 0;  // the replica SIGKILLed mid-load
constexpr int kCut = 1;     // the replica cut off from the network mid-load
constexpr int kChunkGroups = 16;
constexpr int kConcurrency = 8;
constexpr absl::Duration kKeepalive = absl::Seconds(1);

struct RetrySeen {
  std::string code;
  std::string peer;
};

// What a client run reports while it runs; read by the fault driver from another thread.
class Progress {
 public:
  virtual ~Progress() = default;
  virtual std::vector<RetrySeen> Retries() = 0;
  virtual int RoundsDone() = 0;
};

std::string EnvOr(const char* name, const char* fallback) {
  const char* value = std::getenv(name);
  return value != nullptr && *value ? value : fallback;
}

// Polls `ready` every 50 ms up to `timeout`; true once it holds.
bool WaitUntil(absl::Duration timeout, const std::function<bool()>& ready) {
  const absl::Time deadline = absl::Now() + timeout;
  while (!ready()) {
    if (absl::Now() >= deadline) return false;
    absl::SleepFor(absl::Milliseconds(50));  // bounded poll: metrics and files have no signal
  }
  return true;
}

int CountPeer(const std::vector<RetrySeen>& retries, const std::string& peer) {
  int n = 0;
  for (const RetrySeen& r : retries) n += r.peer == peer;
  return n;
}

class ReplicasTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string arbiterd = EnvOr("ARBITER_BINARY_DIR", "build") + "/server/arbiterd";
    ReplicaSetOptions options{
        arbiterd, scratch_.path(), 3, {"--cache_entries=0", "--keepalive_min_client_interval=1s"}};
    absl::StatusOr<std::unique_ptr<ReplicaSet>> replicas = ReplicaSet::Start(options);
    ASSERT_TRUE(replicas.ok()) << replicas.status();
    replicas_ = *std::move(replicas);
    if (!replicas_->fallback_reason().empty()) {
      std::cout << "replicas on loopback ports, not network namespaces: "
                << replicas_->fallback_reason() << "\n";
    }
    absl::StatusOr<std::unique_ptr<integration::ServerProcess>> reference =
        integration::ServerProcess::Start(arbiterd, scratch_.path());
    ASSERT_TRUE(reference.ok()) << reference.status();
    reference_server_ = *std::move(reference);
    batch_ = MakeBatch(/*sat_groups=*/240, /*math_groups=*/240);
  }

  // Before the faults every replica has served; then kill one (while it has calls in flight)
  // and wait for the client to retry them, cut another off and wait for the same, and let two
  // more rounds complete.
  void InjectFaults(Progress& progress) {
    for (int i = 0; i < replicas_->size(); ++i) {
      ASSERT_TRUE(
          WaitUntil(absl::Seconds(30),
                    [&] { return replicas_->Metric(i, "arbiter_items_total").value_or(0) > 0; }))
          << "replica " << i << " received no traffic: the client does not spread its load";
    }
    retries_before_faults_ = static_cast<int>(progress.Retries().size());
    ASSERT_TRUE(WaitUntil(absl::Seconds(10), [&] {
      return replicas_->Metric(kKilled, "arbiter_in_flight_requests").value_or(0) > 0;
    }));
    ASSERT_TRUE(replicas_->Kill(kKilled).ok());
    // The calls seen in flight may all have been answered between the scrape and the kill (short
    // calls, seen with the Python client): then nothing is left to retry, which is right too.
    if (!WaitUntil(absl::Seconds(5),
                   [&] { return CountPeer(progress.Retries(), replicas_->peer(kKilled)) > 0; })) {
      std::cout << "no call was in flight on the killed replica when it died\n";
    }
    const size_t before_cut = progress.Retries().size();
    ASSERT_TRUE(replicas_->CutOff(kCut).ok());
    const absl::Time cut = absl::Now();
    ASSERT_TRUE(WaitUntil(absl::Seconds(20), [&] {
      return progress.Retries().size() > before_cut;
    })) << "no call in flight on the cut-off replica was retried";
    std::cout << "the cut was noticed (first retry) after "
              << absl::FormatDuration(absl::Now() - cut) << "\n";
    const int rounds = progress.RoundsDone();
    ASSERT_TRUE(WaitUntil(absl::Seconds(30), [&] { return progress.RoundsDone() >= rounds + 2; }))
        << "the load stopped making progress after the faults";
  }

  // Only calls that ran on the two faulty replicas (or reached none) were retried, with a
  // retryable code, and some on each. Each fault fails at most the calls in flight on that
  // replica, and the client has at most kConcurrency in flight: 2 * kConcurrency in all (a
  // failed call is not sent to its replica again, which no longer counts as ready).
  void CheckRetries(const std::vector<RetrySeen>& retries,
                    const std::vector<std::string>& retryable) {
    std::cout << retries.size() << " retries; on the killed replica "
              << CountPeer(retries, replicas_->peer(kKilled)) << ", on the cut-off one "
              << CountPeer(retries, replicas_->peer(kCut)) << "\n";
    EXPECT_EQ(retries_before_faults_, 0) << "retries before any fault";
    EXPECT_GE(CountPeer(retries, replicas_->peer(kCut)), 1);  // its calls hang until keepalive
    EXPECT_LE(static_cast<int>(retries.size()), 2 * kConcurrency)
        << "more retries than calls that can have been in flight on the faulty replicas";
    for (const RetrySeen& r : retries) {
      // A call that reached no replica has no peer, or (gRPC C++, a pick that failed while the
      // policy had no ready replica) the whole address list: "ipv4:a:1,b:2,c:3" (seen once in
      // a CI run at load).
      const bool reached_none = r.peer.empty() || absl::StrContains(r.peer, ',');
      EXPECT_TRUE(reached_none || r.peer == replicas_->peer(kKilled) ||
                  r.peer == replicas_->peer(kCut))
          << "a call on a healthy replica was retried: " << r.peer << " " << r.code;
      EXPECT_NE(std::find(retryable.begin(), retryable.end(), r.code), retryable.end())
          << "retried a non-retryable code " << r.code;
    }
  }

  integration::TempDir scratch_;
  std::unique_ptr<ReplicaSet> replicas_;
  std::unique_ptr<integration::ServerProcess> reference_server_;
  std::vector<v1::Group> batch_;
  int retries_before_faults_ = 0;
};

// The C++ client: rounds of the batch in chunks of kChunkGroups over kConcurrency threads.
class CppLoad : public Progress {
 public:
  explicit CppLoad(const client::Client& client, const std::vector<v1::Group>& batch)
      : client_(client), batch_(batch) {}

  std::vector<RetrySeen> Retries() override {
    absl::MutexLock lock(&mu_);
    return retries_;
  }
  int RoundsDone() override {
    absl::MutexLock lock(&mu_);
    return static_cast<int>(rounds_.size());
  }
  void OnRetry(const client::RetryEvent& event) {
    absl::MutexLock lock(&mu_);
    retries_.push_back({absl::StatusCodeToString(event.status.code()), event.peer});
  }
  // Runs rounds of the whole batch until Stop(); rounds() has each one's results.
  void Run() {
    while (!stop_.load()) {
      std::vector<v1::GroupResult> results(batch_.size());
      std::atomic<size_t> next{0};
      std::vector<std::string> errors(kConcurrency);
      std::vector<std::thread> workers;
      workers.reserve(kConcurrency);
      for (int w = 0; w < kConcurrency; ++w) {
        workers.emplace_back([&, w] {
          for (size_t start; (start = next.fetch_add(kChunkGroups)) < batch_.size();) {
            v1::ScoreRequest request;
            const size_t end = std::min(batch_.size(), start + kChunkGroups);
            for (size_t i = start; i < end; ++i) *request.add_groups() = batch_[i];
            absl::StatusOr<v1::ScoreResponse> response = client_.Score(request);
            if (!response.ok()) {
              errors[w] = response.status().ToString();
              continue;
            }
            for (int i = 0; i < response->groups_size() && start + i < end; ++i) {
              results[start + i] = response->groups(i);
            }
          }
        });
      }
      for (std::thread& t : workers) t.join();
      absl::MutexLock lock(&mu_);
      rounds_.push_back({std::move(results), absl::StrJoin(errors, "")});
    }
  }
  void Stop() { stop_.store(true); }

  struct Round {
    std::vector<v1::GroupResult> results;
    std::string error;  // final RPC failures
  };
  std::vector<Round> rounds() {
    absl::MutexLock lock(&mu_);
    return rounds_;
  }

 private:
  const client::Client& client_;
  const std::vector<v1::Group>& batch_;
  std::atomic<bool> stop_{false};
  absl::Mutex mu_;
  std::vector<RetrySeen> retries_ ABSL_GUARDED_BY(mu_);
  std::vector<Round> rounds_ ABSL_GUARDED_BY(mu_);
};

TEST_F(ReplicasTest, CppClientSpreadsRoundRobinAndRetriesOnlyWhatTheFaultsCut) {
  client::ClientOptions reference_options;
  reference_options.server = reference_server_->address();
  auto reference_client = client::Client::Create(reference_options);
  ASSERT_TRUE(reference_client.ok());
  v1::ScoreRequest all;
  for (const v1::Group& g : batch_) *all.add_groups() = g;
  absl::StatusOr<v1::ScoreResponse> reference_response = (*reference_client)->Score(all);
  ASSERT_TRUE(reference_response.ok()) << reference_response.status();
  Reference reference;
  const absl::Status usable = MakeReference(batch_, *reference_response, &reference);
  ASSERT_TRUE(usable.ok()) << usable;

  CppLoad* load_ptr = nullptr;
  client::ClientOptions options;
  options.server = replicas_->target();
  options.keepalive_time = options.keepalive_timeout = kKeepalive;
  options.max_concurrent_rpcs = kConcurrency;
  options.retry.initial_backoff = absl::Milliseconds(20);
  options.retry.max_backoff = absl::Milliseconds(500);
  options.retry.max_attempts = 6;
  options.on_retry = [&](const client::RetryEvent& e) { load_ptr->OnRetry(e); };
  absl::StatusOr<std::unique_ptr<client::Client>> client = client::Client::Create(options);
  ASSERT_TRUE(client.ok()) << client.status();
  CppLoad load(**client, batch_);
  load_ptr = &load;
  std::thread runner([&] { load.Run(); });
  InjectFaults(load);
  load.Stop();
  runner.join();

  const std::vector<CppLoad::Round> rounds = load.rounds();
  std::cout << rounds.size() << " rounds of " << batch_.size() << " groups\n";
  for (size_t r = 0; r < rounds.size(); ++r) {
    EXPECT_EQ(rounds[r].error, "") << "round " << r;
    const absl::Status match = MatchesReference(batch_, rounds[r].results, reference);
    EXPECT_TRUE(match.ok()) << "round " << r << ": " << match;
  }
  CheckRetries(load.Retries(), {"UNAVAILABLE", "RESOURCE_EXHAUSTED"});
}

// The Python client (tests/replicas/python_load.py) in a child process, observed through files.
class PythonLoad : public Progress {
 public:
  explicit PythonLoad(std::string dir) : dir_(std::move(dir)) {}
  std::vector<RetrySeen> Retries() override {
    std::vector<RetrySeen> retries;
    for (const nlohmann::json& line : Lines("retries.jsonl")) {
      retries.push_back({line.value("code", ""), line.value("peer", "")});
    }
    return retries;
  }
  int RoundsDone() override { return static_cast<int>(Lines("rounds.jsonl").size()); }
  std::vector<nlohmann::json> Lines(const std::string& file) {
    std::vector<nlohmann::json> lines;
    const std::string text = integration::ReadFileToString(dir_ + "/" + file).value_or("");
    for (absl::string_view line : absl::StrSplit(text, '\n')) {
      // The last line may be half-written: only whole lines count.
      nlohmann::json parsed =
          nlohmann::json::parse(std::string(line), nullptr, /*allow_exceptions=*/false);
      if (!parsed.is_discarded()) lines.push_back(std::move(parsed));
    }
    return lines;
  }

 private:
  std::string dir_;
};

std::string PythonWithGrpc(std::string* why) {
  const char* chosen = std::getenv("ARBITER_PYTHON");
  std::string python = chosen != nullptr && *chosen ? chosen : "/usr/bin/python3";
  integration::TempDir scratch;
  absl::StatusOr<integration::RunResult> probe = integration::RunProcess(
      {python, "-c", "import grpc, google.protobuf"}, scratch.path(), absl::Seconds(30));
  if (!probe.ok() || probe->exit_code != 0) {
    *why = absl::StrCat(python, " cannot import grpc and protobuf (set ARBITER_PYTHON): ",
                        probe.ok() ? probe->err : probe.status().ToString());
    return "";
  }
  return python;
}

TEST_F(ReplicasTest, PythonClientSpreadsRoundRobinAndRetriesOnlyWhatTheFaultsCut) {
  std::string why;
  const std::string python = PythonWithGrpc(&why);
  if (python.empty()) GTEST_SKIP() << why;
  const std::string batch_path = scratch_.path() + "/batch.jsonl";
  ASSERT_TRUE(WriteJsonLines(batch_, batch_path).ok());
  const std::string source = EnvOr("ARBITER_SOURCE_DIR", ".");
  setenv("PYTHONPATH", (source + "/client/python").c_str(), 1);
  integration::SpawnOptions spawn;
  spawn.argv = {python,
                source + "/tests/replicas/python_load.py",
                "--target=" + replicas_->target(),
                "--reference=" + reference_server_->address(),
                "--batch=" + batch_path,
                "--dir=" + scratch_.path(),
                absl::StrCat("--keepalive=", absl::ToDoubleSeconds(kKeepalive)),
                absl::StrCat("--max_in_flight=", kConcurrency)};
  spawn.stdout_path = scratch_.path() + "/python.out";
  spawn.stderr_path = scratch_.path() + "/python.err";
  absl::StatusOr<integration::Subprocess> child = integration::Subprocess::Spawn(spawn);
  ASSERT_TRUE(child.ok()) << child.status();
  PythonLoad load(scratch_.path());
  InjectFaults(load);
  std::ofstream(scratch_.path() + "/stop").put('\n');
  absl::StatusOr<int> code = child->Wait(absl::Seconds(60));
  const std::string err = integration::ReadFileToString(spawn.stderr_path).value_or("");
  ASSERT_TRUE(code.ok()) << "python_load.py did not stop: " << err;

  const std::vector<nlohmann::json> rounds = load.Lines("rounds.jsonl");
  std::cout << rounds.size() << " rounds of " << batch_.size() << " groups\n";
  EXPECT_GE(rounds.size(), 3u);
  for (const nlohmann::json& round : rounds) {
    EXPECT_EQ(round.value("error", "?"), "") << round.dump();
    EXPECT_EQ(round.value("groups", 0), static_cast<int>(batch_.size()));
  }
  EXPECT_EQ(*code, 0) << err;
  CheckRetries(load.Retries(), {"UNAVAILABLE", "RESOURCE_EXHAUSTED", "CANCELLED"});
}

}  // namespace
}  // namespace arbiter::replicas
