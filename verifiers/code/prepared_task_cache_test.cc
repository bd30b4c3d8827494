// PreparedTaskCache and its use by CodeVerifier::PrepareTask: groups with the same large label
// share one preparation; mode, size threshold, byte bound and LRU order decide what is held.
#include "verifiers/code/prepared_task_cache.h"

#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
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
  EXPECT_EQ(verifier->prepared_cache().hits() + verifier->prepared_cache().misses(), 8);
}

}  // namespace
}  // namespace arbiter::code
