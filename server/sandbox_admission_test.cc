// SandboxAdmission with a fake clock, and through the Dispatcher with the fake verifiers.
#include "server/sandbox_admission.h"

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/synchronization/notification.h"
#include "gtest/gtest.h"
#include "server/dispatcher.h"
#include "server/testing/fake_verifier.h"
#include "verifiers/sdk/testing/fake_clock.h"

namespace arbiter::server {
namespace {

using testing::FakeVerifier;

SandboxAdmission::Options TwoLanes(sdk::FakeClock* clock) {
  SandboxAdmission::Options options;
  options.concurrency = 2;
  options.clock = clock;
  return options;
}

double RejectedSandboxSaturated(const Metrics& metrics) {
  for (const auto& family : metrics.registry()->Collect()) {
    if (family.name != "arbiter_rejected_total") continue;
    for (const auto& metric : family.metric) {
      for (const auto& label : metric.label) {
        if (label.value == "sandbox_saturated") return metric.counter.value;
      }
    }
  }
  return -1;
}

TEST(SandboxAdmission, AdmitsAnyRequestWhenNothingIsAhead) {
  sdk::FakeClock clock;
  SandboxAdmission admission(TwoLanes(&clock), nullptr);
  // Waiting could not help it: 1000 items of an unknown time against a 1 s deadline go in.
  absl::StatusOr<SandboxAdmission::Ticket> ticket =
      admission.AdmitItems(1000, clock.Now() + absl::Seconds(1));
  ASSERT_TRUE(ticket.ok()) << ticket.status();
  EXPECT_EQ(admission.items_ahead(), 1000);
}

TEST(SandboxAdmission, RefusesWithRetryHintWhenWorkAheadOutlastsTheDeadline) {
  sdk::FakeClock clock;
  auto metrics = std::make_shared<Metrics>(std::vector<std::string>{});
  SandboxAdmission admission(TwoLanes(&clock), metrics);
  absl::StatusOr<SandboxAdmission::Ticket> flood =
      admission.AdmitItems(10, clock.Now() + absl::Seconds(100));
  ASSERT_TRUE(flood.ok());
  {
    SandboxAdmission::ItemRun run = flood->StartItem(true);
    clock.Advance(absl::Seconds(5));
    run.Finish();
  }
  EXPECT_EQ(admission.ItemTime(), absl::Seconds(5));
  EXPECT_EQ(admission.items_ahead(), 9);
  // (9 + 2) x 5 s / 2 = 27.5 s > 0.7 x 20 s.
  absl::StatusOr<SandboxAdmission::Ticket> refused =
      admission.AdmitItems(2, clock.Now() + absl::Seconds(20));
  ASSERT_EQ(refused.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_TRUE(absl::StartsWith(refused.status().message(), "sandbox saturated: ~9 items queued"))
      << refused.status();
  // The work ahead drains in 9 x 5 s / 2 = 22.5 s.
  EXPECT_TRUE(absl::StrContains(refused.status().message(), "retry in ~23 s")) << refused.status();
  EXPECT_TRUE(IsSandboxSaturated(refused.status()));
  EXPECT_FALSE(IsSandboxSaturated(absl::ResourceExhaustedError("sandbox saturated: forged")));
  EXPECT_EQ(RejectedSandboxSaturated(*metrics), 1);
  EXPECT_EQ(admission.items_ahead(), 9);
  // 27.5 s < 0.7 x 40 s: admitted.
  EXPECT_TRUE(admission.AdmitItems(2, clock.Now() + absl::Seconds(40)).ok());
}

TEST(SandboxAdmission, HeadroomRefusesAnEstimateJustUnderTheDeadline) {
  sdk::FakeClock clock;
  SandboxAdmission admission(TwoLanes(&clock), nullptr);
  absl::StatusOr<SandboxAdmission::Ticket> ahead =
      admission.AdmitItems(8, clock.Now() + absl::Seconds(100));
  ASSERT_TRUE(ahead.ok());
  // Unmeasured: 1 s per item; (8 + 2) x 1 s / 2 = 5 s, under a 6 s deadline but over 70 % of it.
  EXPECT_EQ(admission.AdmitItems(2, clock.Now() + absl::Seconds(6)).status().code(),
            absl::StatusCode::kResourceExhausted);
  EXPECT_TRUE(admission.AdmitItems(2, clock.Now() + absl::Seconds(7.5)).ok());
}

TEST(SandboxAdmission, RunningChecksRaiseAStaleEstimate) {
  sdk::FakeClock clock;
  SandboxAdmission admission(TwoLanes(&clock), nullptr);
  absl::StatusOr<SandboxAdmission::Ticket> ticket =
      admission.AdmitItems(4, clock.Now() + absl::Seconds(100));
  ASSERT_TRUE(ticket.ok());
  {
    SandboxAdmission::ItemRun fast = ticket->StartItem(true);
    clock.Advance(absl::Milliseconds(100));
    fast.Finish();
  }
  EXPECT_EQ(admission.ItemTime(), absl::Milliseconds(100));
  SandboxAdmission::ItemRun slow1 = ticket->StartItem(true);
  SandboxAdmission::ItemRun slow2 = ticket->StartItem(true);
  clock.Advance(absl::Seconds(10));
  EXPECT_EQ(admission.ItemTime(), absl::Seconds(10));
  // 3 ahead x 10 s / 2 > 0.7 x 20 s.
  EXPECT_FALSE(admission.AdmitItems(1, clock.Now() + absl::Seconds(20)).ok());
}

TEST(SandboxAdmission, SkippedItemsReleaseWithoutTeachingTheEstimate) {
  sdk::FakeClock clock;
  SandboxAdmission admission(TwoLanes(&clock), nullptr);
  {
    absl::StatusOr<SandboxAdmission::Ticket> ticket =
        admission.AdmitItems(5, clock.Now() + absl::Seconds(100));
    ASSERT_TRUE(ticket.ok());
    {
      SandboxAdmission::ItemRun skipped = ticket->StartItem(true);
      clock.Advance(absl::Seconds(30));
    }  // destroyed unfinished: a check skipped at its deadline
    EXPECT_EQ(admission.items_ahead(), 4);
    EXPECT_EQ(admission.ItemTime(), absl::Seconds(1));         // still the initial estimate
    SandboxAdmission::ItemRun cpu = ticket->StartItem(false);  // not a sandbox item: no-op
  }
  // The ticket's unrun items (cache hits, duplicates) are released with it.
  EXPECT_EQ(admission.items_ahead(), 0);
}

// --- Through the dispatcher ---

v1::ScoreRequest OneGroup(const std::string& verifier, const std::vector<std::string>& samples) {
  v1::ScoreRequest request;
  v1::Group* group = request.add_groups();
  group->set_group_id(verifier);
  group->mutable_task()->set_verifier(verifier);
  group->mutable_task()->set_ground_truth("ok");
  for (const std::string& completion : samples) group->add_samples()->set_completion(completion);
  return request;
}

struct Pending {
  absl::Status admitted;
  absl::Notification done;
  std::vector<v1::GroupResult> results;
  Pending(Dispatcher& dispatcher, const v1::ScoreRequest& request, absl::Time deadline) {
    ScoreCallbacks callbacks;
    callbacks.on_done = [this](std::vector<v1::GroupResult> r) {
      results = std::move(r);
      done.Notify();
    };
    admitted = dispatcher.Score(request, deadline, nullptr, std::move(callbacks));
  }
};

TEST(SandboxAdmission, DispatcherRefusesOnlySandboxWorkWhileTheSandboxIsFull) {
  testing::CpuAndSandboxFakes fakes;
  sdk::VerifierRegistry& registry = fakes.registry;
  FakeVerifier* boxed = fakes.boxed();
  ASSERT_EQ(registry.Names().size(), 2u);
  ServerOptions options;
  options.sandbox_concurrency = 1;
  options.cpu_threads = 2;
  auto metrics = std::make_shared<Metrics>(registry.Names());
  auto dispatcher = Dispatcher::Create(options, &registry, metrics);
  ASSERT_TRUE(dispatcher.ok()) << dispatcher.status();

  // Two blocked checks: one running, one queued behind it; unmeasured, each counts >= 1 s.
  const v1::ScoreRequest flood = OneGroup("boxed", {"block", "queued"});
  Pending flooding(**dispatcher, flood, absl::Now() + absl::Seconds(60));
  ASSERT_TRUE(flooding.admitted.ok()) << flooding.admitted;
  boxed->WaitUntilBlocked(1);

  // (2 + 1) x >= 1 s / 1 lane > 0.7 x 2 s: refused at once, nothing queued.
  const v1::ScoreRequest more = OneGroup("boxed", {"ok"});
  const absl::Time before = absl::Now();
  Pending refused(**dispatcher, more, absl::Now() + absl::Seconds(2));
  EXPECT_LT(absl::Now() - before, absl::Seconds(1));
  EXPECT_EQ(refused.admitted.code(), absl::StatusCode::kResourceExhausted) << refused.admitted;
  EXPECT_TRUE(absl::StrContains(refused.admitted.message(), "retry in ~")) << refused.admitted;
  EXPECT_EQ(RejectedSandboxSaturated(*metrics), 1);

  // CPU work with the same deadline is admitted and answered while the sandbox stays blocked.
  const v1::ScoreRequest cpu = OneGroup("fake", {"ok", "no"});
  Pending answered(**dispatcher, cpu, absl::Now() + absl::Seconds(2));
  ASSERT_TRUE(answered.admitted.ok()) << answered.admitted;
  answered.done.WaitForNotification();
  ASSERT_EQ(answered.results.size(), 1u);
  EXPECT_EQ(answered.results[0].samples(0).outcome(), v1::CORRECT);
  EXPECT_FALSE(flooding.done.HasBeenNotified());
  // Groups of CPU verifiers and of unknown ones hold no sandbox items: admitted too.
  v1::ScoreRequest mixed = OneGroup("fake", {"ok"});
  *mixed.add_groups() = OneGroup("nope", {"ok", "ok"}).groups(0);
  Pending mixed_answered(**dispatcher, mixed, absl::Now() + absl::Seconds(2));
  ASSERT_TRUE(mixed_answered.admitted.ok()) << mixed_answered.admitted;
  mixed_answered.done.WaitForNotification();
  ASSERT_EQ(mixed_answered.results.size(), 2u);
  EXPECT_EQ(mixed_answered.results[1].status().code(),
            static_cast<int>(absl::StatusCode::kInvalidArgument));
  EXPECT_FALSE(flooding.done.HasBeenNotified());

  boxed->Release();
  flooding.done.WaitForNotification();
  // Drained: sandbox work is admitted again.
  Pending after(**dispatcher, more, absl::Now() + absl::Seconds(60));
  ASSERT_TRUE(after.admitted.ok()) << after.admitted;
  after.done.WaitForNotification();
  EXPECT_EQ(after.results[0].samples(0).outcome(), v1::CORRECT);
}

}  // namespace
}  // namespace arbiter::server
