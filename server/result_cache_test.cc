#include "server/result_cache.h"

#include <openssl/evp.h>

#include "gtest/gtest.h"
#include "server/item_key.h"

namespace arbiter::server {
namespace {

v1::Task TaskWith(const std::string& truth) {
  v1::Task task;
  task.set_verifier("fake");
  task.set_ground_truth(truth);
  return task;
}

v1::SampleResult Verdict(double score) {
  v1::SampleResult result;
  result.set_outcome(v1::CORRECT);
  result.set_score(score);
  return result;
}

TEST(ItemKey, CoversVerifierVersionTaskCompletionAndTurnsOnly) {
  v1::Sample sample;
  sample.set_completion("x");
  const ItemKey base = SampleKey(TaskDigest("fake", "1", TaskWith("a")), sample);

  v1::Sample other_metadata = sample;
  other_metadata.set_logprob(-1.5);
  other_metadata.set_num_tokens(7);
  other_metadata.set_sample_id("s9");
  EXPECT_EQ(SampleKey(TaskDigest("fake", "1", TaskWith("a")), other_metadata), base);

  EXPECT_FALSE(SampleKey(TaskDigest("fake", "2", TaskWith("a")), sample) == base);
  EXPECT_FALSE(SampleKey(TaskDigest("other", "1", TaskWith("a")), sample) == base);
  EXPECT_FALSE(SampleKey(TaskDigest("fake", "1", TaskWith("b")), sample) == base);
  v1::Sample other_completion = sample;
  other_completion.set_completion("y");
  EXPECT_FALSE(SampleKey(TaskDigest("fake", "1", TaskWith("a")), other_completion) == base);
  v1::Sample with_turn = sample;
  with_turn.add_turns("t");
  EXPECT_FALSE(SampleKey(TaskDigest("fake", "1", TaskWith("a")), with_turn) == base);
}

TEST(ItemKey, ALabelTaskKeysOnItsLabelsSha256AndEveryOtherTaskOnItsWholeBytes) {
  v1::Task label = TaskWith("p cnf 1 1\n1 0\n");
  label.set_mode("strict");
  const ItemKey base = TaskDigest("fake", "1", label);
  // The label's SHA-256, given (a referenced suite's id), keys as the label itself.
  std::string sha(32, '\0');
  unsigned int size = 0;
  EVP_Digest(label.ground_truth().data(), label.ground_truth().size(),
             reinterpret_cast<unsigned char*>(sha.data()), &size, EVP_sha256(), nullptr);
  EXPECT_EQ(TaskDigest("fake", "1", label, sha), base);
  // Mode, verifier field, label and any other field each change the key.
  v1::Task other_mode = label;
  other_mode.set_mode("compat");
  EXPECT_FALSE(TaskDigest("fake", "1", other_mode) == base);
  v1::Task other_verifier = label;
  other_verifier.set_verifier("sat2");
  EXPECT_FALSE(TaskDigest("fake", "1", other_verifier) == base);
  v1::Task other_label = label;
  other_label.set_ground_truth("p cnf 1 1\n-1 0\n");
  EXPECT_FALSE(TaskDigest("fake", "1", other_label) == base);
  v1::Task unknown_field = label;
  unknown_field.GetReflection()->MutableUnknownFields(&unknown_field)->AddVarint(99, 1);
  EXPECT_FALSE(TaskDigest("fake", "1", unknown_field) == base);
  // A typed task is hashed whole.
  v1::Task typed;
  typed.set_verifier("sat");
  typed.mutable_sat()->set_formula("p cnf 1 1\n1 0\n");
  EXPECT_FALSE(TaskDigest("fake", "1", typed) == base);
  v1::Task typed_other = typed;
  typed_other.mutable_sat()->set_formula("p cnf 1 1\n-1 0\n");
  EXPECT_FALSE(TaskDigest("fake", "1", typed_other) == TaskDigest("fake", "1", typed));
}

TEST(ItemKey, FieldBoundariesMatter) {
  // ("ab", "c") and ("a", "bc") must not collide: fields are length-prefixed.
  v1::Sample one;
  one.set_completion("c");
  v1::Sample two;
  two.set_completion("bc");
  EXPECT_FALSE(SampleKey(TaskDigest("ab", "", v1::Task()), one) ==
               SampleKey(TaskDigest("a", "", v1::Task()), two));
}

TEST(ResultCache, EvictsTheLeastRecentlyUsedEntryWhenFull) {
  ResultCache cache(2, int64_t{1} << 20);
  v1::Sample s;
  auto key = [&](const std::string& c) {
    s.set_completion(c);
    return SampleKey(TaskDigest("fake", "1", v1::Task()), s);
  };
  cache.Insert(key("a"), Verdict(1));
  cache.Insert(key("b"), Verdict(2));
  ASSERT_TRUE(cache.Lookup(key("a")).has_value());  // "a" is now most recent
  cache.Insert(key("c"), Verdict(3));               // evicts "b"
  EXPECT_EQ(cache.size(), 2);
  EXPECT_FALSE(cache.Lookup(key("b")).has_value());
  EXPECT_EQ(cache.Lookup(key("a"))->score(), 1);
  EXPECT_EQ(cache.Lookup(key("c"))->score(), 3);
}

TEST(ResultCache, ZeroCapacityStoresNothing) {
  for (const auto& [entries, bytes] : {std::pair<int64_t, int64_t>{0, 1 << 20}, {10, 0}}) {
    ResultCache cache(entries, bytes);
    const ItemKey key = SampleKey(TaskDigest("fake", "1", v1::Task()), v1::Sample());
    cache.Insert(key, Verdict(1));
    EXPECT_FALSE(cache.Lookup(key).has_value());
    EXPECT_EQ(cache.size(), 0);
  }
}

// A verdict with `detail_bytes` of details: what the code verifier's per-test records weigh.
v1::SampleResult BigVerdict(double score, size_t detail_bytes) {
  v1::SampleResult result = Verdict(score);
  result.set_message(std::string(detail_bytes, 'x'));
  return result;
}

TEST(ResultCache, TheByteBoundEvictsLeastRecentlyUsedFirst) {
  const int64_t entry =
      static_cast<int64_t>(BigVerdict(1, 1000).ByteSizeLong()) + ResultCache::kEntryOverhead;
  ResultCache cache(1000, 3 * entry);  // room for three such entries by bytes, 1000 by count
  v1::Sample s;
  auto key = [&](const std::string& c) {
    s.set_completion(c);
    return SampleKey(TaskDigest("fake", "1", v1::Task()), s);
  };
  for (const char* c : {"a", "b", "c"}) cache.Insert(key(c), BigVerdict(1, 1000));
  EXPECT_EQ(cache.bytes(), 3 * entry);
  ASSERT_TRUE(cache.Lookup(key("a")).has_value());  // "a" is now most recent
  cache.Insert(key("d"), BigVerdict(4, 1000));      // evicts "b", the least recently used
  EXPECT_EQ(cache.size(), 3);
  EXPECT_EQ(cache.bytes(), 3 * entry);
  EXPECT_FALSE(cache.Lookup(key("b")).has_value());
  EXPECT_TRUE(cache.Lookup(key("a")).has_value());
  EXPECT_EQ(cache.Lookup(key("d"))->score(), 4);

  // Refreshing an entry with a bigger verdict re-counts it and evicts to make room.
  cache.Insert(key("a"), BigVerdict(5, 2000));
  EXPECT_LE(cache.bytes(), 3 * entry);
  EXPECT_EQ(cache.Lookup(key("a"))->score(), 5);
  EXPECT_EQ(cache.size(), 2);

  // A verdict bigger than the whole bound is not stored, and drops its stale predecessor.
  cache.Insert(key("a"), BigVerdict(6, 10000));
  EXPECT_FALSE(cache.Lookup(key("a")).has_value());
  EXPECT_EQ(cache.bytes(), entry);
  EXPECT_EQ(cache.size(), 1);
}

}  // namespace
}  // namespace arbiter::server
