#include "server/result_cache.h"

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
  ResultCache cache(2);
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
  ResultCache cache(0);
  const ItemKey key = SampleKey(TaskDigest("fake", "1", v1::Task()), v1::Sample());
  cache.Insert(key, Verdict(1));
  EXPECT_FALSE(cache.Lookup(key).has_value());
  EXPECT_EQ(cache.size(), 0);
}

}  // namespace
}  // namespace arbiter::server
