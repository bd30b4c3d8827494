#include "server/http/coalescer.h"

#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "server/sandbox_admission.h"
#include "server/testing/fake_verifier.h"

namespace arbiter::server::http {
namespace {

using testing::FakeVerifier;

v1::Group OneSample(const std::string& truth, const std::string& completion,
                    const std::string& verifier = "fake") {
  v1::Group group;
  group.mutable_task()->set_verifier(verifier);
  group.mutable_task()->set_ground_truth(truth);
  group.add_samples()->set_completion(completion);
  return group;
}

// Collects one submission's answer.
struct Answer {
  absl::Notification done;
  absl::StatusOr<std::vector<v1::GroupResult>> result;
  Coalescer::Done Callback() {
    return [this](absl::StatusOr<std::vector<v1::GroupResult>> r) {
      result = std::move(r);
      done.Notify();
    };
  }
};

struct Fixture {
  explicit Fixture(CoalescerOptions coalescer_options, ServerOptions options = {}) {
    options.cache_entries = 0;  // a `cached` sample can then only be in-batch dedup
    auto owned = std::make_unique<FakeVerifier>("fake");
    fake = owned.get();
    EXPECT_TRUE(registry.Register(std::move(owned)).ok());
    auto created = Dispatcher::Create(options, &registry, nullptr);
    EXPECT_TRUE(created.ok()) << created.status();
    dispatcher = *std::move(created);
    coalescer = std::make_unique<Coalescer>(dispatcher.get(), coalescer_options, nullptr);
  }
  sdk::VerifierRegistry registry;
  FakeVerifier* fake = nullptr;
  std::unique_ptr<Dispatcher> dispatcher;
  std::unique_ptr<Coalescer> coalescer;
};

absl::Time Later() { return absl::Now() + absl::Seconds(30); }

TEST(Coalescer, MergesSubmissionsOfOneWindowAndAnswersEachItsOwn) {
  Fixture t({absl::Milliseconds(200), 1000, /*flush_when_idle=*/false});
  Answer a, b, c;
  t.coalescer->Submit({OneSample("x", "x")}, Later(), a.Callback());
  t.coalescer->Submit({OneSample("x", "x"), OneSample("y", "n")}, Later(), b.Callback());
  t.coalescer->Submit({OneSample("z", "z")}, Later(), c.Callback());
  a.done.WaitForNotification();
  b.done.WaitForNotification();
  c.done.WaitForNotification();
  ASSERT_TRUE(a.result.ok() && b.result.ok() && c.result.ok());
  ASSERT_EQ(a.result->size(), 1u);
  ASSERT_EQ(b.result->size(), 2u);
  ASSERT_EQ(c.result->size(), 1u);
  EXPECT_EQ((*a.result)[0].samples(0).outcome(), v1::CORRECT);
  EXPECT_EQ((*b.result)[1].samples(0).outcome(), v1::INCORRECT);
  EXPECT_EQ((*b.result)[1].group_index(), 1);
  EXPECT_EQ((*c.result)[0].samples(0).outcome(), v1::CORRECT);
  // With the cache off, b's copy of a's item is answered by in-batch dedup: one batch.
  EXPECT_TRUE((*a.result)[0].samples(0).cached() != (*b.result)[0].samples(0).cached());
  EXPECT_EQ(t.fake->checks(), 3);
}

TEST(Coalescer, OneBadSubmissionDoesNotFailItsNeighbours) {
  Fixture t({absl::Milliseconds(200), 1000, /*flush_when_idle=*/false});
  Answer good, bad;
  t.coalescer->Submit({OneSample("x", "x")}, Later(), good.Callback());
  t.coalescer->Submit({OneSample("x", "x", "no_such_verifier")}, Later(), bad.Callback());
  good.done.WaitForNotification();
  bad.done.WaitForNotification();
  ASSERT_TRUE(good.result.ok()) << good.result.status();
  EXPECT_EQ((*good.result)[0].samples(0).outcome(), v1::CORRECT);
  // An unknown verifier fails its own group inside the merged batch.
  ASSERT_TRUE(bad.result.ok()) << bad.result.status();
  EXPECT_EQ((*bad.result)[0].status().code(), static_cast<int>(absl::StatusCode::kInvalidArgument));
}

TEST(Coalescer, PassesAdmissionRefusalsOn) {
  ServerOptions options;
  options.max_queued_items = 1;
  Fixture t({absl::ZeroDuration(), 1000}, options);
  Answer blocked, refused;
  t.coalescer->Submit({OneSample("x", "block")}, Later(), blocked.Callback());
  t.fake->WaitUntilBlocked(1);
  t.coalescer->Submit({OneSample("x", "x")}, Later(), refused.Callback());
  refused.done.WaitForNotification();
  EXPECT_EQ(refused.result.status().code(), absl::StatusCode::kResourceExhausted);
  t.fake->Release();
  blocked.done.WaitForNotification();
  EXPECT_TRUE(blocked.result.ok());
}

TEST(Coalescer, ASaturatedSandboxRefusesOnlyTheSubmissionsWithSandboxWork) {
  testing::CpuAndSandboxFakes fakes;
  sdk::VerifierRegistry& registry = fakes.registry;
  FakeVerifier* boxed = fakes.boxed();
  ASSERT_EQ(registry.Names().size(), 2u);
  ServerOptions options;
  options.sandbox_concurrency = 1;
  auto dispatcher = Dispatcher::Create(options, &registry, nullptr);
  ASSERT_TRUE(dispatcher.ok()) << dispatcher.status();
  Coalescer coalescer(dispatcher->get(), {absl::Milliseconds(200), 1000, false}, nullptr);
  Answer blocked, cpu, sandbox;
  coalescer.Submit({OneSample("x", "block", "boxed")}, Later(), blocked.Callback());
  boxed->WaitUntilBlocked(1);
  // One merged batch: its 2 s deadline cannot wait for the blocked check (>= 1 s) and its own.
  const absl::Time soon = absl::Now() + absl::Seconds(2);
  coalescer.Submit({OneSample("x", "x")}, soon, cpu.Callback());
  coalescer.Submit({OneSample("y", "y", "boxed")}, soon, sandbox.Callback());
  cpu.done.WaitForNotification();
  sandbox.done.WaitForNotification();
  ASSERT_TRUE(cpu.result.ok()) << cpu.result.status();
  EXPECT_EQ((*cpu.result)[0].samples(0).outcome(), v1::CORRECT);
  EXPECT_EQ(sandbox.result.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_TRUE(IsSandboxSaturated(sandbox.result.status())) << sandbox.result.status();
  boxed->Release();
  blocked.done.WaitForNotification();
  coalescer.Shutdown();
}

TEST(Coalescer, SendsAFullBatchWithoutWaitingForTheWindow) {
  Fixture t({absl::Seconds(60), 2, /*flush_when_idle=*/false});
  const absl::Time start = absl::Now();
  Answer a, b;
  t.coalescer->Submit({OneSample("x", "x")}, Later(), a.Callback());
  t.coalescer->Submit({OneSample("y", "y")}, Later(), b.Callback());
  a.done.WaitForNotification();
  b.done.WaitForNotification();
  EXPECT_LT(absl::Now() - start, absl::Seconds(30));
}

TEST(Coalescer, AnswersAnEmptySubmissionAtOnce) {
  Fixture t({absl::Seconds(60), 10, /*flush_when_idle=*/false});
  Answer a;
  t.coalescer->Submit({}, Later(), a.Callback());
  ASSERT_TRUE(a.done.HasBeenNotified());
  EXPECT_TRUE(a.result.ok() && a.result->empty());
}

TEST(Coalescer, SendsAtOnceWhenNothingIsBeingScored) {
  Fixture t({absl::Seconds(60), 10, /*flush_when_idle=*/true});
  const absl::Time start = absl::Now();
  Answer a;
  t.coalescer->Submit({OneSample("x", "x")}, Later(), a.Callback());
  a.done.WaitForNotification();
  EXPECT_LT(absl::Now() - start, absl::Seconds(30));
}

TEST(Coalescer, BatchesWhatArrivesWhileABatchIsBeingScored) {
  Fixture t({absl::Seconds(60), 10, /*flush_when_idle=*/true});
  Answer blocked, a, b;
  t.coalescer->Submit({OneSample("x", "block")}, Later(), blocked.Callback());
  t.fake->WaitUntilBlocked(1);
  t.coalescer->Submit({OneSample("y", "y")}, Later(), a.Callback());
  t.coalescer->Submit({OneSample("y", "y")}, Later(), b.Callback());
  EXPECT_FALSE(a.done.HasBeenNotified());
  t.fake->Release();  // the blocked batch ends: the two queued ones go as one batch
  a.done.WaitForNotification();
  b.done.WaitForNotification();
  EXPECT_TRUE((*a.result)[0].samples(0).cached() != (*b.result)[0].samples(0).cached());
  // Its answer writes into `blocked`, which must outlive it (ASan: stack-use-after-scope).
  blocked.done.WaitForNotification();
  EXPECT_TRUE(blocked.result.ok());
}

TEST(Coalescer, SendsWhatWaitedAWindowEvenWhileABatchIsBeingScored) {
  ServerOptions options;
  options.cpu_threads = 2;  // one stays blocked
  Fixture t({absl::Milliseconds(20), 10, /*flush_when_idle=*/true}, options);
  Answer blocked, a, b;
  t.coalescer->Submit({OneSample("x", "block")}, Later(), blocked.Callback());
  t.fake->WaitUntilBlocked(1);
  t.coalescer->Submit({OneSample("y", "y")}, Later(), a.Callback());
  t.coalescer->Submit({OneSample("z", "n")}, Later(), b.Callback());
  // The flusher sends both once their window ends; the blocked batch is still being scored.
  a.done.WaitForNotification();
  b.done.WaitForNotification();
  EXPECT_FALSE(blocked.done.HasBeenNotified());
  EXPECT_EQ((*a.result)[0].samples(0).outcome(), v1::CORRECT);
  EXPECT_EQ((*b.result)[0].samples(0).outcome(), v1::INCORRECT);
  t.fake->Release();
  blocked.done.WaitForNotification();
  EXPECT_TRUE(blocked.result.ok());
}

TEST(Coalescer, AnswersEverySubmissionUnderConcurrentLoad) {
  // Submit from several threads while batches end on workers: each submission is answered
  // exactly once, with its own verdict, whichever thread sends its batch.
  Fixture t({absl::Milliseconds(1), 64, /*flush_when_idle=*/true});
  constexpr int kThreads = 4, kEach = 200;
  std::vector<Answer> answers(static_cast<size_t>(kThreads) * kEach);
  std::vector<std::thread> threads;
  threads.reserve(kThreads);
  for (int th = 0; th < kThreads; ++th) {
    threads.emplace_back([&, th] {
      for (int i = 0; i < kEach; ++i) {
        const int n = th * kEach + i;
        const std::string truth = std::to_string(n);
        t.coalescer->Submit({OneSample(truth, n % 3 == 0 ? "wrong" : truth)}, Later(),
                            answers[static_cast<size_t>(n)].Callback());
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (size_t n = 0; n < answers.size(); ++n) {
    answers[n].done.WaitForNotification();
    ASSERT_TRUE(answers[n].result.ok()) << answers[n].result.status();
    ASSERT_EQ(answers[n].result->size(), 1u);
    EXPECT_EQ((*answers[n].result)[0].samples(0).outcome(),
              n % 3 == 0 ? v1::INCORRECT : v1::CORRECT)
        << n;
  }
}

TEST(Coalescer, ShutdownSendsWhatIsQueued) {
  Fixture t({absl::Seconds(60), 10, /*flush_when_idle=*/false});
  Answer a;
  t.coalescer->Submit({OneSample("x", "x")}, Later(), a.Callback());
  t.coalescer->Shutdown();
  a.done.WaitForNotification();
  EXPECT_TRUE(a.result.ok());
}

}  // namespace
}  // namespace arbiter::server::http
