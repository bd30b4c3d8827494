// Dispatcher behaviour through its public interface, with the fake verifier.
#include "server/dispatcher.h"

#include <memory>
#include <new>
#include <stdexcept>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "server/testing/fake_verifier.h"

namespace arbiter::server {
namespace {

using testing::FakeVerifier;

v1::Group MakeGroup(const std::string& truth, const std::vector<std::string>& completions,
                    const std::string& verifier = "fake") {
  v1::Group group;
  group.set_group_id("g-" + truth);
  group.mutable_task()->set_verifier(verifier);
  group.mutable_task()->set_ground_truth(truth);
  for (size_t i = 0; i < completions.size(); ++i) {
    v1::Sample* sample = group.add_samples();
    sample->set_completion(completions[i]);
    sample->set_sample_id("s" + std::to_string(i));
  }
  return group;
}

// Writes its own advantages in Finalize, as VeRPO's code verifier does.
class AdvantageVerifier : public FakeVerifier {
 public:
  AdvantageVerifier() : FakeVerifier("adv") {}
  absl::Status Finalize(const sdk::PreparedTask&, const sdk::Samples& samples,
                        absl::Span<v1::SampleResult> results,
                        sdk::GroupFinal& group) const override {
    EXPECT_EQ(static_cast<size_t>(samples.size()), results.size());
    for (size_t i = 0; i < results.size(); ++i) {
      results[i].set_advantage(0.25 * (i + 1));
      results[i].set_reward(99);  // not the verifier's to set: shaping overwrites it
    }
    v1::ServerInfo detail;  // any message stands for a group-level detail
    detail.set_version(absl::StrCat(samples.size(), " samples"));
    group.detail.PackFrom(detail);
    group.advantages_set = true;
    return absl::OkStatus();
  }
};

// Writes reward and advantage in Check and in Finalize without saying it set advantages: the
// server must drop both (reward belongs to shaping).
class OverreachingVerifier : public FakeVerifier {
 public:
  OverreachingVerifier() : FakeVerifier("overreach") {}
  v1::SampleResult Check(const sdk::PreparedTask& prepared, const v1::Sample& sample,
                         const sdk::VerifyContext& ctx) const override {
    v1::SampleResult result = FakeVerifier::Check(prepared, sample, ctx);
    result.set_reward(7);
    result.set_advantage(3);
    return result;
  }
  absl::Status Finalize(const sdk::PreparedTask&, const sdk::Samples&,
                        absl::Span<v1::SampleResult> results, sdk::GroupFinal&) const override {
    for (v1::SampleResult& r : results) r.set_advantage(5);
    return absl::OkStatus();
  }
};

// Throws where a verifier built on GiNaC or CaDiCaL can: from Prepare (ground truth
// "throw-prepare": std::runtime_error), Check (completion "throw": std::bad_alloc; "throw-int": a
// non-standard exception) and Finalize (ground truth "throw-finalize": std::bad_alloc).
class ThrowingVerifier : public FakeVerifier {
 public:
  ThrowingVerifier() : FakeVerifier("thrower") {}
  absl::StatusOr<std::unique_ptr<const sdk::PreparedTask>> Prepare(
      const v1::Task& task) const override {
    if (task.ground_truth() == "throw-prepare") throw std::runtime_error("parser gave up");
    return FakeVerifier::Prepare(task);
  }
  v1::SampleResult Check(const sdk::PreparedTask& prepared, const v1::Sample& sample,
                         const sdk::VerifyContext& ctx) const override {
    if (sample.completion() == "throw") throw std::bad_alloc();
    if (sample.completion() == "throw-int") throw 42;
    return FakeVerifier::Check(prepared, sample, ctx);
  }
  absl::Status Finalize(const sdk::PreparedTask& prepared, const sdk::Samples& samples,
                        absl::Span<v1::SampleResult> results,
                        sdk::GroupFinal& group) const override {
    for (const v1::Sample& sample : samples) {
      if (sample.completion() == "throw-finalize") throw std::bad_alloc();
    }
    return FakeVerifier::Finalize(prepared, samples, results, group);
  }
};

// Gives up preparing as a verifier waiting for another request's preparation of the same task
// does (the code verifier's single flight): DEADLINE_EXCEEDED or CANCELLED, from the call's
// context, which it records.
class GivingUpVerifier : public FakeVerifier {
 public:
  GivingUpVerifier() : FakeVerifier("gives-up") {}
  absl::StatusOr<std::unique_ptr<const sdk::PreparedTask>> PrepareWithin(
      const v1::Task&, const sdk::VerifyContext& ctx) const override {
    absl::MutexLock lock(&mu_);
    deadline_ = ctx.deadline;
    if (ctx.Cancelled()) return absl::CancelledError("cancelled while waiting");
    return absl::DeadlineExceededError("deadline exceeded while waiting");
  }
  absl::Time deadline() const {
    absl::MutexLock lock(&mu_);
    return deadline_;
  }

 private:
  mutable absl::Mutex mu_;
  mutable absl::Time deadline_ ABSL_GUARDED_BY(mu_);
};

// A dispatcher over one CPU fake ("fake"), one sandbox fake ("boxed"), "adv", "overreach",
// "thrower" and "gives-up".
struct Fixture {
  explicit Fixture(const ServerOptions& options = {}) {
    auto owned = std::make_unique<FakeVerifier>("fake");
    fake = owned.get();
    EXPECT_TRUE(registry.Register(std::move(owned)).ok());
    auto boxed_owned = std::make_unique<FakeVerifier>("boxed", sdk::Verifier::Work::kSandbox);
    boxed = boxed_owned.get();
    EXPECT_TRUE(registry.Register(std::move(boxed_owned)).ok());
    EXPECT_TRUE(registry.Register(std::make_unique<AdvantageVerifier>()).ok());
    EXPECT_TRUE(registry.Register(std::make_unique<OverreachingVerifier>()).ok());
    EXPECT_TRUE(registry.Register(std::make_unique<ThrowingVerifier>()).ok());
    auto giving_up_owned = std::make_unique<GivingUpVerifier>();
    giving_up = giving_up_owned.get();
    EXPECT_TRUE(registry.Register(std::move(giving_up_owned)).ok());
    auto created =
        Dispatcher::Create(options, &registry, std::make_shared<Metrics>(registry.Names()));
    EXPECT_TRUE(created.ok()) << created.status();
    dispatcher = *std::move(created);
  }
  sdk::VerifierRegistry registry;
  FakeVerifier* fake = nullptr;
  FakeVerifier* boxed = nullptr;
  GivingUpVerifier* giving_up = nullptr;
  std::unique_ptr<Dispatcher> dispatcher;
};

// An asynchronous Score call whose result can be awaited.
struct PendingScore {
  absl::Status admitted;
  absl::Notification done;
  std::vector<v1::GroupResult> results;
  std::vector<int> streamed;  // group_index in on_group order

  PendingScore(Dispatcher& dispatcher, const v1::ScoreRequest& request,
               absl::Time deadline = absl::InfiniteFuture(),
               std::shared_ptr<sdk::CancellationToken> token = nullptr) {
    ScoreCallbacks callbacks;
    callbacks.on_group = [this](const v1::GroupResult& g) { streamed.push_back(g.group_index()); };
    callbacks.on_done = [this](std::vector<v1::GroupResult> r) {
      results = std::move(r);
      done.Notify();
    };
    admitted = dispatcher.Score(request, deadline, std::move(token), std::move(callbacks));
  }
  const std::vector<v1::GroupResult>& Wait() {
    done.WaitForNotification();
    return results;
  }
};

TEST(Dispatcher, PreservesRequestOrderAndEchoesIds) {
  Fixture f;
  v1::ScoreRequest request;
  for (int g = 0; g < 8; ++g) {
    *request.add_groups() = MakeGroup(std::to_string(g), {std::to_string(g), "wrong"});
  }
  PendingScore call(*f.dispatcher, request);
  ASSERT_TRUE(call.admitted.ok()) << call.admitted;
  const auto& results = call.Wait();
  ASSERT_EQ(results.size(), 8u);
  for (int g = 0; g < 8; ++g) {
    EXPECT_EQ(results[g].group_index(), g);
    EXPECT_EQ(results[g].group_id(), "g-" + std::to_string(g));
    EXPECT_EQ(results[g].status().code(), 0);
    ASSERT_EQ(results[g].samples_size(), 2);
    EXPECT_EQ(results[g].samples(0).outcome(), v1::CORRECT);
    EXPECT_EQ(results[g].samples(0).sample_id(), "s0");
    EXPECT_EQ(results[g].samples(1).outcome(), v1::INCORRECT);
    EXPECT_EQ(results[g].samples(1).sample_id(), "s1");
    // Default shaping: reward = score, z-scored advantages of opposite signs.
    EXPECT_EQ(results[g].samples(0).reward(), 1.0);
    EXPECT_GT(results[g].samples(0).advantage(), 0.0);
    EXPECT_LT(results[g].samples(1).advantage(), 0.0);
  }
  EXPECT_EQ(call.streamed.size(), 8u);
  EXPECT_EQ(f.dispatcher->in_flight_items(), 0);
}

TEST(Dispatcher, MalformedGroupFailsAloneWhileNeighboursAreScored) {
  Fixture f;
  v1::ScoreRequest request;
  *request.add_groups() = MakeGroup("a", {"a"});
  *request.add_groups() = MakeGroup("malformed", {"x"});
  *request.add_groups() = MakeGroup("c", {"c"});
  PendingScore call(*f.dispatcher, request);
  ASSERT_TRUE(call.admitted.ok());
  const auto& results = call.Wait();
  ASSERT_EQ(results.size(), 3u);
  EXPECT_EQ(results[1].status().code(), static_cast<int>(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(results[1].status().message(), "fake: malformed task");
  EXPECT_EQ(results[0].samples(0).outcome(), v1::CORRECT);
  EXPECT_EQ(results[2].samples(0).outcome(), v1::CORRECT);
}

TEST(Dispatcher, UnknownVerifierFailsOnlyItsGroup) {
  Fixture f;
  v1::ScoreRequest request;
  *request.add_groups() = MakeGroup("a", {"a"});
  *request.add_groups() = MakeGroup("b", {"b"}, "nope");
  PendingScore call(*f.dispatcher, request);
  ASSERT_TRUE(call.admitted.ok()) << call.admitted;
  const auto& results = call.Wait();
  ASSERT_EQ(results.size(), 2u);
  EXPECT_EQ(results[0].samples(0).outcome(), v1::CORRECT);
  EXPECT_EQ(results[1].status().code(), static_cast<int>(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(
      results[1].status().message(),
      "unknown verifier 'nope'; known verifiers: adv, boxed, fake, gives-up, overreach, thrower");
  EXPECT_EQ(f.fake->checks(), 1);
}

TEST(Dispatcher, EmptyRequestIsInvalidArgument) {
  Fixture f;
  PendingScore call(*f.dispatcher, v1::ScoreRequest());
  EXPECT_EQ(call.admitted.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(call.admitted.message().find("no groups"), absl::string_view::npos);
}

TEST(Dispatcher, RejectsAtOnceWhenAdmissionWouldExceedTheBound) {
  ServerOptions options;
  options.max_queued_items = 3;
  Fixture f(options);
  v1::ScoreRequest blocking;
  *blocking.add_groups() = MakeGroup("a", {"block", "block"});
  PendingScore first(*f.dispatcher, blocking);
  ASSERT_TRUE(first.admitted.ok());
  f.fake->WaitUntilBlocked(1);

  v1::ScoreRequest two;
  *two.add_groups() = MakeGroup("b", {"b", "c"});
  PendingScore rejected(*f.dispatcher, two);
  EXPECT_EQ(rejected.admitted.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_FALSE(rejected.done.HasBeenNotified());

  f.fake->Release();
  first.Wait();
  EXPECT_EQ(f.dispatcher->in_flight_items(), 0);
  PendingScore admitted(*f.dispatcher, two);
  EXPECT_TRUE(admitted.admitted.ok());
  admitted.Wait();
}

TEST(Dispatcher, CpuPoolTasksCountAgainstTheAdmissionBound) {
  ServerOptions options;
  options.max_queued_items = 1;
  Fixture f(options);
  v1::ScoreRequest blocking;
  *blocking.add_groups() = MakeGroup("a", {"block"});
  PendingScore call(*f.dispatcher, blocking);
  f.fake->WaitUntilBlocked(1);
  EXPECT_EQ(f.dispatcher->RunOnCpuPool([] {}).code(), absl::StatusCode::kResourceExhausted);
  f.fake->Release();
  call.Wait();  // on_done runs after the call's items are released
  absl::Notification ran;
  ASSERT_TRUE(f.dispatcher->RunOnCpuPool([&] { ran.Notify(); }).ok());
  ran.WaitForNotification();
}

TEST(Dispatcher, RequestLargerThanTheBoundIsInvalidArgument) {
  ServerOptions options;
  options.max_queued_items = 2;
  Fixture f(options);
  v1::ScoreRequest request;
  *request.add_groups() = MakeGroup("a", {"a", "b", "c"});
  PendingScore call(*f.dispatcher, request);
  EXPECT_EQ(call.admitted.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(call.admitted.message().find("split the batch"), absl::string_view::npos);
}

TEST(Dispatcher, SamplesNotCheckedBeforeTheDeadlineAreInfraErrors) {
  ServerOptions options;
  options.cpu_threads = 1;
  Fixture f(options);
  v1::ScoreRequest request;
  // One worker: "a" waits behind "block", which holds the worker until the deadline passes.
  *request.add_groups() = MakeGroup("a", {"block", "a"});
  PendingScore call(*f.dispatcher, request, absl::Now() + absl::Milliseconds(100));
  ASSERT_TRUE(call.admitted.ok());
  const auto& results = call.Wait();
  ASSERT_EQ(results[0].samples_size(), 2);
  EXPECT_EQ(results[0].samples(1).outcome(), v1::INFRA_ERROR);
  EXPECT_EQ(results[0].samples(1).message(), "deadline exceeded before verification");
  EXPECT_EQ(results[0].samples(1).sample_id(), "s1");

  // The INFRA_ERROR verdict was not cached: the same item is verified for real next time.
  const int checks = f.fake->checks();
  v1::ScoreRequest again;
  *again.add_groups() = MakeGroup("a", {"a"});
  PendingScore second(*f.dispatcher, again);
  const auto& fresh = second.Wait();
  EXPECT_EQ(fresh[0].samples(0).outcome(), v1::CORRECT);
  EXPECT_FALSE(fresh[0].samples(0).cached());
  EXPECT_EQ(f.fake->checks(), checks + 1);
}

TEST(Dispatcher, ExpiredDeadlineFailsEveryGroupWithInfraErrorSamples) {
  Fixture f;
  v1::ScoreRequest request;
  *request.add_groups() = MakeGroup("a", {"a", "b"});
  PendingScore call(*f.dispatcher, request, absl::Now() - absl::Seconds(1));
  ASSERT_TRUE(call.admitted.ok());
  const auto& results = call.Wait();
  EXPECT_EQ(results[0].status().code(), static_cast<int>(absl::StatusCode::kDeadlineExceeded));
  ASSERT_EQ(results[0].samples_size(), 2);
  for (const auto& sample : results[0].samples()) {
    EXPECT_EQ(sample.outcome(), v1::INFRA_ERROR);
    EXPECT_EQ(sample.message(), "deadline exceeded before verification");
  }
  EXPECT_EQ(f.fake->checks(), 0);
}

TEST(Dispatcher, APreparationGivingUpAtTheCallsDeadlineFailsItsGroupWithInfraErrorSamples) {
  Fixture f;
  v1::ScoreRequest request;
  *request.add_groups() = MakeGroup("a", {"a", "b"}, "gives-up");
  *request.add_groups() = MakeGroup("b", {"b"});
  const absl::Time deadline = absl::Now() + absl::Seconds(30);
  PendingScore call(*f.dispatcher, request, deadline);
  ASSERT_TRUE(call.admitted.ok());
  const auto& results = call.Wait();
  EXPECT_EQ(f.giving_up->deadline(), deadline);  // the verifier waited within the call's context
  EXPECT_EQ(results[0].status().code(), static_cast<int>(absl::StatusCode::kDeadlineExceeded));
  ASSERT_EQ(results[0].samples_size(), 2);
  for (const auto& sample : results[0].samples()) {
    EXPECT_EQ(sample.outcome(), v1::INFRA_ERROR);
    EXPECT_EQ(sample.message(), "deadline exceeded before verification");
  }
  EXPECT_EQ(results[1].status().code(), 0);  // its neighbour is scored
  EXPECT_EQ(results[1].samples(0).outcome(), v1::CORRECT);
}

TEST(Dispatcher, CancellationReachesRunningChecksAndSkipsQueuedOnes) {
  ServerOptions options;
  options.cpu_threads = 1;
  Fixture f(options);
  auto token = std::make_shared<sdk::CancellationToken>();
  v1::ScoreRequest request;
  *request.add_groups() = MakeGroup("a", {"block", "a"});
  PendingScore call(*f.dispatcher, request, absl::InfiniteFuture(), token);
  ASSERT_TRUE(call.admitted.ok());
  f.fake->WaitUntilBlocked(1);
  token->Cancel();
  const auto& results = call.Wait();
  EXPECT_EQ(f.fake->cancelled_checks(), 1);
  EXPECT_EQ(results[0].samples(1).outcome(), v1::INFRA_ERROR);
  EXPECT_EQ(results[0].samples(1).message(), "cancelled before verification");
}

TEST(Dispatcher, IdenticalItemsInOneBatchAreCheckedOnceAndMarkedCached) {
  Fixture f;
  v1::ScoreRequest request;
  *request.add_groups() = MakeGroup("a", {"a", "a", "b", "a"});
  *request.add_groups() = MakeGroup("a", {"b"});  // same task and completion as group 0's "b"
  PendingScore call(*f.dispatcher, request);
  const auto& results = call.Wait();
  EXPECT_EQ(f.fake->checks(), 2);
  const std::vector<bool> cached = {results[0].samples(0).cached(), results[0].samples(1).cached(),
                                    results[0].samples(2).cached(), results[0].samples(3).cached()};
  // Exactly one of each identical set ran; which one is the first scheduled.
  EXPECT_EQ(cached[0] + cached[1] + cached[3], 2);
  EXPECT_EQ(cached[2] + results[1].samples(0).cached(), 1);
  for (int i : {0, 1, 3}) EXPECT_EQ(results[0].samples(i).outcome(), v1::CORRECT);
  EXPECT_EQ(results[1].samples(0).outcome(), v1::INCORRECT);
  EXPECT_EQ(results[0].samples(3).sample_id(), "s3");
}

TEST(Dispatcher, CacheAnswersAcrossRequestsButNotWhenDisabled) {
  for (int64_t entries : {int64_t{100}, int64_t{0}}) {
    ServerOptions options;
    options.cache_entries = entries;
    Fixture f(options);
    v1::ScoreRequest request;
    *request.add_groups() = MakeGroup("a", {"a", "b"});
    PendingScore first(*f.dispatcher, request);
    first.Wait();
    PendingScore second(*f.dispatcher, request);
    const auto& results = second.Wait();
    EXPECT_EQ(f.fake->checks(), entries > 0 ? 2 : 4) << "cache_entries=" << entries;
    EXPECT_EQ(results[0].samples(0).cached(), entries > 0);
    EXPECT_EQ(results[0].samples(1).outcome(), v1::INCORRECT);
  }
}

TEST(Dispatcher, SandboxWorkDoesNotOccupyTheCpuPool) {
  ServerOptions options;
  options.cpu_threads = 1;
  options.sandbox_concurrency = 1;
  Fixture f(options);
  v1::ScoreRequest boxed;
  *boxed.add_groups() = MakeGroup("a", {"block"}, "boxed");
  PendingScore sandboxed(*f.dispatcher, boxed);
  f.boxed->WaitUntilBlocked(1);
  v1::ScoreRequest cpu;
  *cpu.add_groups() = MakeGroup("a", {"a"});
  PendingScore quick(*f.dispatcher, cpu);
  EXPECT_EQ(quick.Wait()[0].samples(0).outcome(), v1::CORRECT);
  EXPECT_FALSE(sandboxed.done.HasBeenNotified());
  f.boxed->Release();
  sandboxed.Wait();
}

TEST(Dispatcher, GroupsAreHandedOverAsTheyFinishUnlessShapingNeedsTheWholeBatch) {
  for (bool paired : {false, true}) {
    Fixture f;
    v1::ScoreRequest request;
    *request.add_groups() = MakeGroup("a", {"block", "a"});
    *request.add_groups() = MakeGroup("b", {"b", "c"});
    if (paired) {  // a (q+, q-) pair: shaping needs both groups, so nothing streams early
      request.mutable_groups(0)->set_pair_id("p");
      request.mutable_groups(0)->set_pair_role(v1::PAIR_ROLE_POSITIVE);
      request.mutable_groups(1)->set_pair_id("p");
      request.mutable_groups(1)->set_pair_role(v1::PAIR_ROLE_NEGATIVE);
    }
    absl::Notification group_one_streamed;
    std::vector<int> order;
    ScoreCallbacks callbacks;
    callbacks.on_group = [&](const v1::GroupResult& g) {
      order.push_back(g.group_index());
      if (g.group_index() == 1) group_one_streamed.Notify();
    };
    absl::Notification done;
    callbacks.on_done = [&](const std::vector<v1::GroupResult>&) { done.Notify(); };
    ASSERT_TRUE(
        f.dispatcher->Score(request, absl::InfiniteFuture(), nullptr, std::move(callbacks)).ok());
    f.fake->WaitUntilBlocked(1);
    if (!paired) group_one_streamed.WaitForNotification();  // before group 0 is released
    EXPECT_EQ(group_one_streamed.HasBeenNotified(), !paired);
    f.fake->Release();
    done.WaitForNotification();
    EXPECT_EQ(order, paired ? std::vector<int>({0, 1}) : std::vector<int>({1, 0}));
  }
}

TEST(Dispatcher, VerifierAdvantagesSurviveDefaultShaping) {
  Fixture f;
  v1::ScoreRequest request;
  *request.add_groups() = MakeGroup("a", {"a", "b"}, "adv");
  PendingScore call(*f.dispatcher, request);
  const auto& results = call.Wait();
  EXPECT_EQ(results[0].stats().advantage_source(), "verifier");
  EXPECT_EQ(results[0].samples(0).advantage(), 0.25);
  EXPECT_EQ(results[0].samples(1).advantage(), 0.5);
  EXPECT_EQ(results[0].samples(0).reward(), 1.0);  // shaping's (= score), not the verifier's 99
  EXPECT_EQ(results[0].samples(1).reward(), 0.0);
  v1::ServerInfo detail;  // the group-level detail, once per group
  ASSERT_TRUE(results[0].stats().verifier_detail().UnpackTo(&detail));
  EXPECT_EQ(detail.version(), "2 samples");
}

TEST(Dispatcher, VerifierAdvantagesAreReplacedWhenTheShapingNamesANormalizer) {
  Fixture f;
  v1::ScoreRequest request;
  *request.add_groups() = MakeGroup("a", {"a", "b"}, "adv");
  request.mutable_shaping()->set_normalizer(v1::NORMALIZER_MEAN_ONLY);
  PendingScore call(*f.dispatcher, request);
  const auto& results = call.Wait();
  EXPECT_EQ(results[0].stats().advantage_source(), "normalizer");
  EXPECT_EQ(results[0].samples(0).advantage(), 0.5);
  EXPECT_EQ(results[0].samples(1).advantage(), -0.5);
}

TEST(Dispatcher, RewardAndUnannouncedAdvantagesFromAVerifierAreDropped) {
  Fixture f;
  v1::ScoreRequest request;
  *request.add_groups() = MakeGroup("a", {"a", "b"}, "overreach");
  request.mutable_shaping()->set_normalizer(v1::NORMALIZER_NONE);
  PendingScore call(*f.dispatcher, request);
  const auto& results = call.Wait();
  ASSERT_EQ(results[0].samples_size(), 2);
  EXPECT_EQ(results[0].stats().advantage_source(), "normalizer");
  EXPECT_FALSE(results[0].stats().has_verifier_detail());
  for (int i = 0; i < 2; ++i) {
    EXPECT_EQ(results[0].samples(i).reward(), results[0].samples(i).score()) << i;
    EXPECT_EQ(results[0].samples(i).advantage(), 0.0) << i;
  }
}

TEST(Dispatcher, GroupWithoutSamplesIsInvalidArgument) {
  Fixture f;
  v1::ScoreRequest request;
  *request.add_groups() = MakeGroup("a", {});
  *request.add_groups() = MakeGroup("b", {"b"});
  PendingScore call(*f.dispatcher, request);
  const auto& results = call.Wait();
  EXPECT_EQ(results[0].status().code(), static_cast<int>(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(results[1].samples(0).outcome(), v1::CORRECT);
}

TEST(Dispatcher, EffectiveDeadlineIsCappedAndDefaulted) {
  ServerOptions options;
  options.default_deadline = absl::Seconds(5);
  options.max_deadline = absl::Seconds(10);
  Fixture f(options);
  // absl::Now() may step by microseconds between reads; allow for that.
  const absl::Duration slack = absl::Milliseconds(5);
  const absl::Time before = absl::Now();
  const absl::Time defaulted = f.dispatcher->EffectiveDeadline(absl::InfiniteFuture());
  const absl::Time capped = f.dispatcher->EffectiveDeadline(before + absl::Hours(1));
  const absl::Time after = absl::Now();
  EXPECT_GE(defaulted, before + absl::Seconds(5) - slack);
  EXPECT_LE(defaulted, after + absl::Seconds(5) + slack);
  EXPECT_GE(capped, before + absl::Seconds(10) - slack);
  EXPECT_LE(capped, after + absl::Seconds(10) + slack);
  EXPECT_EQ(f.dispatcher->EffectiveDeadline(before + absl::Seconds(1)), before + absl::Seconds(1));
}

TEST(Dispatcher, AVerifierThatThrowsFailsOnlyWhatItWasWorkingOnAsInfraError) {
  Fixture f;
  v1::ScoreRequest request;
  *request.add_groups() = MakeGroup("a", {"a"});
  *request.add_groups() = MakeGroup("throw-prepare", {"x", "y"}, "thrower");
  *request.add_groups() = MakeGroup("x", {"x", "throw", "throw-int", "z"}, "thrower");
  *request.add_groups() = MakeGroup("x", {"x", "throw-finalize"}, "thrower");
  *request.add_groups() = MakeGroup("c", {"c", "d"});
  PendingScore call(*f.dispatcher, request);
  ASSERT_TRUE(call.admitted.ok()) << call.admitted;
  const auto& results = call.Wait();
  ASSERT_EQ(results.size(), 5u);

  EXPECT_EQ(results[0].samples(0).outcome(), v1::CORRECT);
  EXPECT_EQ(results[4].samples(0).outcome(), v1::CORRECT);
  EXPECT_EQ(results[4].samples(1).outcome(), v1::INCORRECT);

  // Prepare threw: the group fails, every sample masked, and the message says who threw what.
  EXPECT_EQ(results[1].status().code(), static_cast<int>(absl::StatusCode::kInternal));
  EXPECT_EQ(results[1].status().message(),
            "verifier 'thrower' threw preparing the task: parser gave up");
  ASSERT_EQ(results[1].samples_size(), 2);
  for (const v1::SampleResult& sample : results[1].samples()) {
    EXPECT_EQ(sample.outcome(), v1::INFRA_ERROR);
    EXPECT_EQ(sample.reward(), 0.0);
    EXPECT_EQ(sample.advantage(), 0.0);
  }
  EXPECT_EQ(results[1].samples(1).sample_id(), "s1");

  // Check threw: only those samples; the group is scored and shaped around them.
  EXPECT_EQ(results[2].status().code(), 0);
  ASSERT_EQ(results[2].samples_size(), 4);
  EXPECT_EQ(results[2].samples(0).outcome(), v1::CORRECT);
  EXPECT_GT(results[2].samples(0).advantage(), 0.0);
  EXPECT_EQ(results[2].samples(1).outcome(), v1::INFRA_ERROR);
  EXPECT_EQ(results[2].samples(1).message(),
            "verifier 'thrower' ran out of memory checking a sample");
  EXPECT_EQ(results[2].samples(1).advantage(), 0.0);
  EXPECT_EQ(results[2].samples(2).outcome(), v1::INFRA_ERROR);
  EXPECT_EQ(results[2].samples(2).message(),
            "verifier 'thrower' threw a non-standard exception checking a sample");
  EXPECT_EQ(results[2].samples(3).outcome(), v1::INCORRECT);
  EXPECT_LT(results[2].samples(3).advantage(), 0.0);

  // Finalize threw: the whole group is masked (its group-level results never came).
  EXPECT_EQ(results[3].status().code(), static_cast<int>(absl::StatusCode::kResourceExhausted));
  ASSERT_EQ(results[3].samples_size(), 2);
  EXPECT_EQ(results[3].samples(0).outcome(), v1::INFRA_ERROR);
  EXPECT_EQ(results[3].samples(0).message(),
            "verifier 'thrower' ran out of memory finalizing the group");
  EXPECT_EQ(results[3].samples(1).sample_id(), "s1");

  // Nothing thrown was cached, and the dispatcher serves on.
  PendingScore again(*f.dispatcher, request);
  ASSERT_TRUE(again.admitted.ok());
  EXPECT_EQ(again.Wait()[2].samples(1).outcome(), v1::INFRA_ERROR);
  EXPECT_EQ(f.dispatcher->in_flight_items(), 0);
}
}  // namespace
}  // namespace arbiter::server
