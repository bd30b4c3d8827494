// PreparedTaskCache and its use by CodeVerifier::PrepareTask: groups with the same large label
// share one preparation; mode, size threshold, byte bound and LRU order decide what is held;
// concurrent callers wait for the one preparation in flight (single flight).
#include "verifiers/code/prepared_task_cache.h"

#include <algorithm>
#include <atomic>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "verifiers/code/code_verifier.h"
#include "verifiers/code/sandbox/fake_runner.h"

namespace arbiter::code {
namespace {

// An APPS-form label of `tests` stdin tests, ~40 bytes each; `salt` makes labels differ.
std::string Label(int tests, int salt = 0) {
  nlohmann::json inputs = nlohmann::json::array(), outputs = nlohmann::json::array();
  for (int t = 0; t < tests; ++t) {
    inputs.push_back(absl::StrCat(salt, " ", t, " 1234567890 1234567890\n"));
    outputs.push_back(absl::StrCat(t * 2, "\n"));
  }
  return nlohmann::json{{"inputs", inputs}, {"outputs", outputs}}.dump();
}

v1::Task Task(const std::string& label, const std::string& mode = "") {
  v1::Task task;
  task.set_verifier("code");
  task.set_ground_truth(label);
  task.set_mode(mode);
  return task;
}

std::unique_ptr<CodeVerifier> Verifier(int64_t cache_bytes) {
  auto runner = std::make_shared<FakeRunner>(
      [](const SessionRequest&, size_t) { return FakeRunner::Exited(0, ""); });
  CodeVerifierOptions options{runner, RunLimits(), RunLimits()};
  options.prepared_cache_bytes = cache_bytes;
  return *CodeVerifier::Create(std::move(options));
}

TEST(PreparedTaskCache, GroupsWithTheSameLargeLabelShareOnePreparation) {
  auto verifier = Verifier(int64_t{64} << 20);
  const std::string label = Label(2000);
  ASSERT_GE(label.size(), PreparedTaskCache::kMinBytes);
  auto first = verifier->PrepareTask(Task(label));
  auto second = verifier->PrepareTask(Task(label));
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ((*first)->prepared.get(), (*second)->prepared.get());
  EXPECT_EQ((*first)->prepared->inputs.size(), 2000u);
  EXPECT_EQ(verifier->prepared_cache().misses(), 1);
  EXPECT_EQ(verifier->prepared_cache().hits(), 1);
  EXPECT_EQ(verifier->prepared_cache().size(), 1);
  EXPECT_GT(verifier->prepared_cache().bytes(), static_cast<int64_t>(label.size()));
}

TEST(PreparedTaskCache, ModeAndContentAreTheKey) {
  auto verifier = Verifier(int64_t{64} << 20);
  const std::string label = Label(2000);
  auto plain = verifier->PrepareTask(Task(label));
  auto exact = verifier->PrepareTask(Task(label, "exact"));
  auto other = verifier->PrepareTask(Task(Label(2000, 1)));
  ASSERT_TRUE(plain.ok() && exact.ok() && other.ok());
  EXPECT_NE((*plain)->prepared.get(), (*exact)->prepared.get());
  EXPECT_EQ((*exact)->prepared->task.tests(0).compare(), v1::CodeTest::COMPARE_EXACT);
  EXPECT_NE((*plain)->prepared->task.tests(0).compare(), v1::CodeTest::COMPARE_EXACT);
  EXPECT_NE((*plain)->prepared->inputs[0].stdin_data, (*other)->prepared->inputs[0].stdin_data);
  EXPECT_EQ(verifier->prepared_cache().hits(), 0);
  EXPECT_EQ(verifier->prepared_cache().size(), 3);
}

TEST(PreparedTaskCache, SmallLabelsAndDisabledCacheAreNotCached) {
  auto verifier = Verifier(int64_t{64} << 20);
  const std::string small = Label(3);
  ASSERT_LT(small.size(), PreparedTaskCache::kMinBytes);
  auto a = verifier->PrepareTask(Task(small));
  auto b = verifier->PrepareTask(Task(small));
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE((*a)->prepared.get(), (*b)->prepared.get());
  EXPECT_EQ(verifier->prepared_cache().size(), 0);

  auto disabled = Verifier(0);
  const std::string large = Label(2000);
  auto c = disabled->PrepareTask(Task(large));
  auto d = disabled->PrepareTask(Task(large));
  ASSERT_TRUE(c.ok() && d.ok());
  EXPECT_NE((*c)->prepared.get(), (*d)->prepared.get());
  EXPECT_EQ(disabled->prepared_cache().size(), 0);
}

TEST(PreparedTaskCache, InvalidLabelsAreNotCachedAndStayErrors) {
  auto verifier = Verifier(int64_t{64} << 20);
  const std::string bad = Label(2000) + "garbage";
  EXPECT_EQ(verifier->PrepareTask(Task(bad)).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(verifier->PrepareTask(Task(bad)).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(verifier->prepared_cache().size(), 0);
}

TEST(PreparedTaskCache, EvictsLeastRecentlyUsedToStayWithinItsBound) {
  auto verifier = Verifier(int64_t{64} << 20);
  std::vector<std::string> labels;
  std::vector<std::shared_ptr<const PreparedCodeTask>> prepared;
  for (int salt = 0; salt < 3; ++salt) {
    labels.push_back(Label(1000, salt));
    prepared.push_back((*verifier->PrepareTask(Task(labels.back())))->prepared);
  }
  const int64_t cost = PreparedTaskCache::Cost(labels[0], *prepared[0]);
  PreparedTaskCache cache(2 * cost + cost / 2);  // room for two
  cache.Insert("", labels[0], prepared[0]);
  cache.Insert("", labels[1], prepared[1]);
  ASSERT_NE(cache.Find("", labels[0]), nullptr);  // 0 is now the most recent
  cache.Insert("", labels[2], prepared[2]);       // evicts 1
  EXPECT_EQ(cache.Find("", labels[1]), nullptr);
  EXPECT_EQ(cache.Find("", labels[0]), prepared[0]);
  EXPECT_EQ(cache.Find("", labels[2]), prepared[2]);
  EXPECT_EQ(cache.size(), 2);
  EXPECT_LE(cache.bytes(), 2 * cost + cost / 2);

  PreparedTaskCache tiny(cost - 1);  // an entry larger than the bound is never held
  tiny.Insert("", labels[0], prepared[0]);
  EXPECT_EQ(tiny.size(), 0);
  EXPECT_EQ(tiny.bytes(), 0);
}

TEST(PreparedTaskCache, ConcurrentGroupsGetTheSameTests) {
  auto verifier = Verifier(int64_t{64} << 20);
  const std::string label = Label(2000);
  std::vector<std::shared_ptr<const PreparedCodeTask>> got(8);
  std::vector<std::thread> threads;
  threads.reserve(got.size());
  for (std::shared_ptr<const PreparedCodeTask>& slot : got) {
    threads.emplace_back([&] { slot = (*verifier->PrepareTask(Task(label)))->prepared; });
  }
  for (std::thread& thread : threads) thread.join();
  for (const auto& p : got) {
    ASSERT_NE(p, nullptr);
    EXPECT_EQ(p->inputs.size(), 2000u);
    EXPECT_EQ(p->inputs[1999].stdin_data, got[0]->inputs[1999].stdin_data);
  }
  EXPECT_EQ(verifier->prepared_cache().size(), 1);
  // One parse (single flight); the others waited for it or found it cached.
  EXPECT_EQ(verifier->prepared_cache().misses(), 1);
  EXPECT_EQ(verifier->prepared_cache().hits() + verifier->prepared_cache().shared(), 7);
}

// Single flight, on the cache alone: `prepare` is the test's, so it can hold a preparation open
// until the other callers wait for it.
class Flight : public ::testing::Test {
 protected:
  static constexpr absl::Duration kLong = absl::Seconds(60);  // a hang fails, not a slow machine

  // A prepare function that counts its runs; the first one (the flight's) waits until
  // `waiters` callers wait for it, then ends with `first`.
  PreparedTaskCache::Prepared Prepare(int waiters, const PreparedTaskCache::Prepared& first) {
    if (runs_.fetch_add(1) == 0) {
      EXPECT_TRUE(cache_.AwaitWaiting(waiters, kLong));
      return first;
    }
    return Task();
  }

  static std::shared_ptr<const PreparedCodeTask> Task() {
    auto task = std::make_shared<PreparedCodeTask>();
    task->inputs.emplace_back();
    return task;
  }

  // Runs `n` concurrent GetOrPrepare calls for label_; their results in call order.
  std::vector<PreparedTaskCache::Prepared> RunConcurrently(
      int n, const PreparedTaskCache::Prepared& first) {
    std::vector<PreparedTaskCache::Prepared> got(n, absl::UnknownError("not run"));
    std::vector<std::thread> threads;
    threads.reserve(n);
    for (PreparedTaskCache::Prepared& slot : got) {
      threads.emplace_back([&, n] {
        slot = cache_.GetOrPrepare("", label_, {}, [&] { return Prepare(n - 1, first); });
      });
    }
    for (std::thread& thread : threads) thread.join();
    return got;
  }

  PreparedTaskCache cache_{int64_t{64} << 20};
  const std::string label_ = Label(2000);
  std::atomic<int> runs_{0};
};

TEST_F(Flight, ConcurrentCallersForOneLabelRunOnePreparation) {
  const std::shared_ptr<const PreparedCodeTask> task = Task();
  const int n = 8;
  std::vector<PreparedTaskCache::Prepared> got = RunConcurrently(n, task);
  EXPECT_EQ(runs_.load(), 1);
  for (const PreparedTaskCache::Prepared& p : got) {
    ASSERT_TRUE(p.ok()) << p.status();
    EXPECT_EQ(p->get(), task.get());
  }
  EXPECT_EQ(cache_.misses(), 1);
  EXPECT_EQ(cache_.shared(), n - 1);
  EXPECT_EQ(cache_.Find("", label_), task);  // and kept for later callers
  EXPECT_EQ(cache_.waiting(), 0);
}

TEST_F(Flight, AWaiterWhoseDeadlinePassesOrWhoIsCancelledReturnsPromptly) {
  absl::Notification started, release;
  const std::shared_ptr<const PreparedCodeTask> task = Task();
  PreparedTaskCache::Prepared leader_got;
  std::thread leader([&] {
    leader_got = cache_.GetOrPrepare("", label_, {}, [&]() -> PreparedTaskCache::Prepared {
      started.Notify();
      release.WaitForNotification();
      return task;
    });
  });
  started.WaitForNotification();
  // A waiter whose deadline is 50 ms away, while the preparation goes on.
  sdk::VerifyContext short_deadline;
  short_deadline.deadline = absl::Now() + absl::Milliseconds(50);
  const absl::Time start = absl::Now();
  PreparedTaskCache::Prepared late =
      cache_.GetOrPrepare("", label_, short_deadline, [] { return Task(); });
  EXPECT_EQ(late.status().code(), absl::StatusCode::kDeadlineExceeded) << late.status();
  EXPECT_LT(absl::Now() - start, absl::Seconds(5));
  // A waiter without a deadline, cancelled by its caller.
  sdk::VerifyContext cancellable;
  auto token = std::make_shared<sdk::CancellationToken>();
  cancellable.cancellation = token;
  PreparedTaskCache::Prepared cancelled;
  std::thread waiter(
      [&] { cancelled = cache_.GetOrPrepare("", label_, cancellable, [] { return Task(); }); });
  ASSERT_TRUE(cache_.AwaitWaiting(1, kLong));
  token->Cancel();
  waiter.join();
  EXPECT_EQ(cancelled.status().code(), absl::StatusCode::kCancelled) << cancelled.status();
  // Neither waiter prepared; the preparation they left finishes for its own caller.
  release.Notify();
  leader.join();
  ASSERT_TRUE(leader_got.ok()) << leader_got.status();
  EXPECT_EQ(leader_got->get(), task.get());
  EXPECT_EQ(cache_.misses(), 1);
  EXPECT_EQ(cache_.shared(), 0);
}

TEST_F(Flight, ATransientFailureOrAThrowIsRetriedByTheWaitersNotShared) {
  const int n = 4;
  std::vector<PreparedTaskCache::Prepared> got =
      RunConcurrently(n, absl::UnavailableError("out of scratch space"));
  // The preparer gets its failure; one waiter prepared again and the others got that.
  EXPECT_EQ(runs_.load(), 2);
  int failed = 0;
  for (const PreparedTaskCache::Prepared& p : got) {
    if (!p.ok()) {
      ++failed;
      EXPECT_EQ(p.status().code(), absl::StatusCode::kUnavailable);
    }
  }
  EXPECT_EQ(failed, 1);

  // A preparation that throws lands its flight: the waiters do not hang, one prepares again.
  PreparedTaskCache cache(int64_t{64} << 20);
  std::atomic<int> runs{0};
  std::vector<PreparedTaskCache::Prepared> results(n, absl::UnknownError("not run"));
  std::vector<std::thread> threads;
  threads.reserve(n);
  for (PreparedTaskCache::Prepared& slot : results) {
    threads.emplace_back([&] {
      try {
        slot = cache.GetOrPrepare("", label_, {}, [&]() -> PreparedTaskCache::Prepared {
          if (runs.fetch_add(1) == 0) {
            EXPECT_TRUE(cache.AwaitWaiting(n - 1, kLong));
            throw std::runtime_error("prepare threw");
          }
          return Task();
        });
      } catch (const std::runtime_error&) {
        slot = absl::InternalError("threw");
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(runs.load(), 2);
  EXPECT_EQ(std::count_if(results.begin(), results.end(),
                          [](const PreparedTaskCache::Prepared& p) { return p.ok(); }),
            n - 1);
}

TEST_F(Flight, AVerdictOnTheLabelIsSharedWithItsWaitersButNeverKept) {
  const int n = 4;
  std::vector<PreparedTaskCache::Prepared> got =
      RunConcurrently(n, absl::InvalidArgumentError("no tests"));
  EXPECT_EQ(runs_.load(), 1);
  for (const PreparedTaskCache::Prepared& p : got) {
    EXPECT_EQ(p.status().code(), absl::StatusCode::kInvalidArgument) << p.status();
  }
  // A later caller prepares again (here successfully): the failure was not kept.
  PreparedTaskCache::Prepared later = cache_.GetOrPrepare("", label_, {}, [&] {
    runs_.fetch_add(1);
    return Task();
  });
  EXPECT_TRUE(later.ok()) << later.status();
  EXPECT_EQ(runs_.load(), 2);
}

}  // namespace
}  // namespace arbiter::code
