// SuiteStore on its own (ids, idempotence, the byte bound) and through the dispatcher (a
// ground_truth_ref scores and caches exactly as the inline ground truth does; an unknown id or a
// task with both forms fails only its own group).
#include "server/suite_store.h"

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "gtest/gtest.h"
#include "server/dispatcher.h"
#include "server/item_key.h"
#include "server/testing/fake_verifier.h"
#include "server/testing/score_and_wait.h"

namespace arbiter::server {
namespace {

constexpr int kNotFound = static_cast<int>(absl::StatusCode::kNotFound);
constexpr int kInvalid = static_cast<int>(absl::StatusCode::kInvalidArgument);

TEST(SuiteStore, IdIsLowercaseHexSha256) {
  // FIPS 180-2 test vector.
  EXPECT_EQ(SuiteStore::SuiteId("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  SuiteStore store(1 << 20);
  absl::StatusOr<std::string> id = store.Register("abc");
  ASSERT_TRUE(id.ok()) << id.status();
  EXPECT_EQ(*id, SuiteStore::SuiteId("abc"));
  ASSERT_NE(store.Find(*id), nullptr);
  EXPECT_EQ(*store.Find(*id), "abc");
  EXPECT_EQ(store.Find(SuiteStore::SuiteId("abd")), nullptr);
}

TEST(SuiteStore, RegisterIsIdempotent) {
  SuiteStore store(1 << 20);
  ASSERT_TRUE(store.Register("tests").ok());
  ASSERT_TRUE(store.Register("tests").ok());
  EXPECT_EQ(store.size(), 1);
  EXPECT_EQ(store.bytes(), 5 + SuiteStore::kEntryOverhead);
}

TEST(SuiteStore, EvictsLeastRecentlyUsedToStayWithinBytes) {
  const int64_t cost = 1000 + SuiteStore::kEntryOverhead;
  SuiteStore store(3 * cost);
  const std::string a(1000, 'a'), b(1000, 'b'), c(1000, 'c'), d(1000, 'd');
  for (const std::string* s : {&a, &b, &c}) ASSERT_TRUE(store.Register(*s).ok());
  EXPECT_EQ(store.bytes(), 3 * cost);
  ASSERT_NE(store.Find(SuiteStore::SuiteId(a)), nullptr);  // a is now the most recent
  ASSERT_TRUE(store.Register(d).ok());                     // evicts b
  EXPECT_EQ(store.size(), 3);
  EXPECT_LE(store.bytes(), store.max_bytes());
  EXPECT_EQ(store.Find(SuiteStore::SuiteId(b)), nullptr);
  EXPECT_NE(store.Find(SuiteStore::SuiteId(a)), nullptr);
  EXPECT_NE(store.Find(SuiteStore::SuiteId(c)), nullptr);
  EXPECT_NE(store.Find(SuiteStore::SuiteId(d)), nullptr);
}

TEST(SuiteStore, ContentHeldByACallerSurvivesEviction) {
  SuiteStore store(1000 + SuiteStore::kEntryOverhead);
  const std::string a(1000, 'a');
  ASSERT_TRUE(store.Register(a).ok());
  std::shared_ptr<const std::string> held = store.Find(SuiteStore::SuiteId(a));
  ASSERT_TRUE(store.Register(std::string(1000, 'b')).ok());
  EXPECT_EQ(store.Find(SuiteStore::SuiteId(a)), nullptr);
  EXPECT_EQ(*held, a);
}

TEST(SuiteStore, RefusesASuiteLargerThanTheStoreAndRegistrationWhenDisabled) {
  SuiteStore small(100);
  EXPECT_EQ(small.Register(std::string(200, 'x')).status().code(),
            absl::StatusCode::kInvalidArgument);
  SuiteStore disabled(0);
  EXPECT_EQ(disabled.Register("x").status().code(), absl::StatusCode::kFailedPrecondition);
}

TEST(SuiteStore, ResolveSubstitutesTheContentAndKeepsTheRest) {
  SuiteStore store(1 << 20);
  const std::string id = *store.Register("expected");
  v1::Task inline_task;
  inline_task.set_verifier("fake");
  inline_task.set_mode("strict");
  inline_task.set_ground_truth("expected");
  v1::Task by_ref = inline_task;
  by_ref.set_ground_truth_ref(id);
  by_ref.clear_kind();
  v1::Task storage;
  absl::StatusOr<const v1::Task*> resolved = store.Resolve(by_ref, storage);
  ASSERT_TRUE(resolved.ok()) << resolved.status();
  EXPECT_EQ((*resolved)->SerializeAsString(), inline_task.SerializeAsString());
  // The cache key of the resolved task is the inline one's, also when the digest takes the
  // suite id (the content's SHA-256) instead of hashing the content again, as the dispatcher does.
  EXPECT_EQ(TaskDigest("fake", "1", **resolved), TaskDigest("fake", "1", inline_task));
  EXPECT_EQ(TaskDigest("fake", "1", **resolved, absl::HexStringToBytes(id)),
            TaskDigest("fake", "1", inline_task));
  // Without a ref the task itself is used, uncopied.
  absl::StatusOr<const v1::Task*> same = store.Resolve(inline_task, storage);
  ASSERT_TRUE(same.ok());
  EXPECT_EQ(*same, &inline_task);
}

TEST(SuiteStore, ResolveRefusesBothFormsAndNamesTheRemedyForAnUnknownId) {
  SuiteStore store(1 << 20);
  v1::Task task;
  task.set_ground_truth_ref(SuiteStore::SuiteId("never"));
  v1::Task storage;
  absl::Status missing = store.Resolve(task, storage).status();
  EXPECT_EQ(missing.code(), absl::StatusCode::kNotFound);
  EXPECT_NE(missing.message().find("RegisterSuite"), std::string::npos) << missing;
  EXPECT_NE(missing.message().find("inline"), std::string::npos) << missing;
  task.set_ground_truth("x");
  EXPECT_EQ(store.Resolve(task, storage).status().code(), absl::StatusCode::kInvalidArgument);
}

// --- Through the dispatcher ---

struct Fixture {
  Fixture() {
    auto owned = std::make_unique<testing::FakeVerifier>("fake");
    fake = owned.get();
    EXPECT_TRUE(registry.Register(std::move(owned)).ok());
    auto created = Dispatcher::Create({}, &registry, std::make_shared<Metrics>(registry.Names()));
    EXPECT_TRUE(created.ok()) << created.status();
    dispatcher = *std::move(created);
  }
  std::vector<v1::GroupResult> Score(const v1::ScoreRequest& request) {
    return testing::ScoreAndWait(*dispatcher, request);
  }
  sdk::VerifierRegistry registry;
  testing::FakeVerifier* fake = nullptr;
  std::unique_ptr<Dispatcher> dispatcher;
};

v1::Group ByRef(const std::string& suite_id, const std::vector<std::string>& completions) {
  v1::Group group;
  group.mutable_task()->set_verifier("fake");
  group.mutable_task()->set_ground_truth_ref(suite_id);
  for (const std::string& completion : completions) group.add_samples()->set_completion(completion);
  return group;
}

TEST(SuiteStoreDispatch, ReferenceScoresAsInlineAndSharesItsCacheEntries) {
  Fixture f;
  const std::string truth(4096, 't');
  const std::string id = *f.dispatcher->suites().Register(truth);
  v1::ScoreRequest by_ref;
  *by_ref.add_groups() = ByRef(id, {truth, "wrong"});
  const std::vector<v1::GroupResult> first = f.Score(by_ref);
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(first[0].status().code(), 0) << first[0].status().message();
  EXPECT_EQ(first[0].samples(0).outcome(), v1::CORRECT);
  EXPECT_EQ(first[0].samples(1).outcome(), v1::INCORRECT);
  EXPECT_EQ(f.fake->checks(), 2);

  // The inline form hits the verdicts the reference stored: same task digest.
  v1::ScoreRequest inline_request = by_ref;
  inline_request.mutable_groups(0)->mutable_task()->clear_ground_truth_ref();
  inline_request.mutable_groups(0)->mutable_task()->set_ground_truth(truth);
  const std::vector<v1::GroupResult> second = f.Score(inline_request);
  ASSERT_EQ(second.size(), 1u);
  EXPECT_EQ(f.fake->checks(), 2);
  for (int i = 0; i < 2; ++i) {
    EXPECT_TRUE(second[0].samples(i).cached());
    EXPECT_EQ(second[0].samples(i).outcome(), first[0].samples(i).outcome());
    EXPECT_EQ(second[0].samples(i).reward(), first[0].samples(i).reward());
    EXPECT_EQ(second[0].samples(i).advantage(), first[0].samples(i).advantage());
  }
}

TEST(SuiteStoreDispatch, UnknownIdOrBothFormsFailOnlyThatGroup) {
  Fixture f;
  const std::string id = *f.dispatcher->suites().Register("a");
  v1::ScoreRequest request;
  *request.add_groups() = ByRef(id, {"a"});
  *request.add_groups() = ByRef(SuiteStore::SuiteId("unregistered"), {"b"});
  v1::Group both = ByRef(id, {"a"});
  both.mutable_task()->set_ground_truth("a");
  *request.add_groups() = both;
  v1::Group plain;
  plain.mutable_task()->set_verifier("fake");
  plain.mutable_task()->set_ground_truth("c");
  plain.add_samples()->set_completion("c");
  *request.add_groups() = plain;

  const std::vector<v1::GroupResult> results = f.Score(request);
  ASSERT_EQ(results.size(), 4u);
  EXPECT_EQ(results[0].status().code(), 0);
  EXPECT_EQ(results[0].samples(0).outcome(), v1::CORRECT);
  EXPECT_EQ(results[1].status().code(), kNotFound);
  EXPECT_NE(results[1].status().message().find("RegisterSuite"), std::string::npos);
  EXPECT_EQ(results[2].status().code(), kInvalid);
  EXPECT_EQ(results[3].status().code(), 0);
  EXPECT_EQ(results[3].samples(0).outcome(), v1::CORRECT);
  EXPECT_EQ(f.dispatcher->in_flight_items(), 0);
}

}  // namespace
}  // namespace arbiter::server
