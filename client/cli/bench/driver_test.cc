#include "client/cli/bench/driver.h"

#include <algorithm>
#include <deque>
#include <set>
#include <thread>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "gtest/gtest.h"

namespace arbiter::client::cli::bench {
namespace {

// A transport whose calls end on its own thread after `delay`, or inside Start (`inline_end`),
// recording the most calls it saw in flight and every call number.
class FakeTransport final : public Transport {
 public:
  explicit FakeTransport(bool inline_end, absl::Duration delay = absl::Microseconds(50))
      : inline_end_(inline_end), delay_(delay) {
    if (!inline_end_) worker_ = std::thread([this] { Work(); });
  }
  ~FakeTransport() override {
    {
      absl::MutexLock lock(&mu_);
      stopping_ = true;
    }
    if (worker_.joinable()) worker_.join();
  }

  void Start(uint64_t call, Done done) override {
    {
      absl::MutexLock lock(&mu_);
      calls_.insert(call);
      max_in_flight_ = std::max(max_in_flight_, ++in_flight_);
      if (!inline_end_) {
        queue_.emplace_back(absl::Now() + delay_, std::move(done));
        return;
      }
      --in_flight_;
    }
    CallOutcome ok;
    ok.items = 1;
    std::move(done)(std::move(ok));
  }
  bool reports_cached() const override { return false; }

  std::set<uint64_t> calls() {
    absl::MutexLock lock(&mu_);
    return calls_;
  }
  int max_in_flight() {
    absl::MutexLock lock(&mu_);
    return max_in_flight_;
  }

 private:
  void Work() {
    while (true) {
      std::pair<absl::Time, Done> next;
      {
        absl::MutexLock lock(&mu_);
        mu_.Await(absl::Condition(
            +[](FakeTransport* t) { return t->stopping_ || !t->queue_.empty(); }, this));
        if (queue_.empty()) return;
        next = std::move(queue_.front());
        queue_.pop_front();
      }
      absl::SleepFor(next.first - absl::Now());
      {
        absl::MutexLock lock(&mu_);
        --in_flight_;
      }
      CallOutcome ok;
      ok.items = 1;
      std::move(next.second)(std::move(ok));  // may Start the next call from here
    }
  }

  const bool inline_end_;
  const absl::Duration delay_;
  std::thread worker_;
  absl::Mutex mu_;
  std::deque<std::pair<absl::Time, Done>> queue_ ABSL_GUARDED_BY(mu_);
  std::set<uint64_t> calls_ ABSL_GUARDED_BY(mu_);
  int in_flight_ ABSL_GUARDED_BY(mu_) = 0;
  int max_in_flight_ ABSL_GUARDED_BY(mu_) = 0;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
};

std::set<uint64_t> Range(uint64_t first, uint64_t n) {
  std::set<uint64_t> s;
  for (uint64_t i = 0; i < n; ++i) s.insert(first + i);
  return s;
}

TEST(BenchDriver, ClosedLoopSendsEveryRequestOnceWithinTheConcurrency) {
  FakeTransport transport(/*inline_end=*/false);
  LoadPlan plan;
  plan.requests = 500;
  plan.concurrency = 7;
  plan.first_call = 1000;
  const LoadResult r = RunLoad(transport, plan);
  EXPECT_EQ(r.ok, 500);
  EXPECT_EQ(r.failed, 0);
  EXPECT_EQ(r.items, 500);
  EXPECT_EQ(r.latencies_ms.size(), 500u);
  EXPECT_EQ(transport.calls(), Range(1000, 500));
  EXPECT_EQ(transport.max_in_flight(), 7);
}

// Calls that end inside Start (as a transport failing at once may) must neither recurse without
// bound nor lose a call: the driver's thread takes over past a small depth.
TEST(BenchDriver, CallsEndingInsideStartAreAllSentWithoutDeepNesting) {
  FakeTransport transport(/*inline_end=*/true);
  LoadPlan plan;
  plan.requests = 200000;
  plan.concurrency = 1;
  const LoadResult r = RunLoad(transport, plan);
  EXPECT_EQ(r.ok, 200000);
  EXPECT_EQ(transport.calls().size(), 200000u);
}

TEST(BenchDriver, ClosedLoopStopsSendingAtTheDuration) {
  FakeTransport transport(/*inline_end=*/false, absl::Milliseconds(2));
  LoadPlan plan;
  plan.requests = 1000000;
  plan.concurrency = 2;
  plan.duration = absl::Milliseconds(100);
  const absl::Time start = absl::Now();
  const LoadResult r = RunLoad(transport, plan);
  EXPECT_LT(absl::Now() - start, absl::Seconds(2));
  EXPECT_GE(r.ok, 5);
  EXPECT_LT(r.ok, 200);  // ≤ 2 in flight × 100 ms / 2 ms each, with slack for a slow machine
}

TEST(BenchDriver, OpenLoopSendsAtTheRate) {
  FakeTransport transport(/*inline_end=*/false, absl::Microseconds(100));
  LoadPlan plan;
  plan.requests = 1000000;
  plan.concurrency = 64;
  plan.rate = 1000;
  plan.duration = absl::Milliseconds(300);
  const LoadResult r = RunLoad(transport, plan);
  // Slots at 0, 1, ..., 299 ms; a loaded machine may wake past the last one.
  EXPECT_GE(r.ok, 250);
  EXPECT_LE(r.ok, 300);
  EXPECT_LE(transport.max_in_flight(), 64);
}

}  // namespace
}  // namespace arbiter::client::cli::bench
