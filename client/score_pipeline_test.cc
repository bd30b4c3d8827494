#include "client/score_pipeline.h"

#include <atomic>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/mutex.h"
#include "client/jsonl.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace arbiter::client {
namespace {

using ::testing::HasSubstr;

std::string GroupLine(const std::string& id) {
  return absl::StrCat(R"({"group_id":")", id, R"(","task":{"verifier":"sat"}})");
}

std::vector<v1::GroupResult> ParseOutput(const std::string& text) {
  std::vector<v1::GroupResult> out;
  for (absl::string_view line : absl::StrSplit(text, '\n', absl::SkipEmpty())) {
    v1::GroupResult r;
    EXPECT_TRUE(ParseJsonMessage(std::string_view(line.data(), line.size()), &r).ok()) << line;
    out.push_back(r);
  }
  return out;
}

ScorePipelineOptions Options(int batch_groups, int concurrency) {
  ScorePipelineOptions options;
  options.batch_groups = batch_groups;
  options.concurrency = concurrency;
  return options;
}

// Echoes group ids as results with an OK status.
absl::StatusOr<std::vector<v1::GroupResult>> Echo(const std::vector<v1::Group>& groups) {
  std::vector<v1::GroupResult> results;
  for (size_t i = 0; i < groups.size(); ++i) {
    v1::GroupResult r;
    r.set_group_index(static_cast<int>(i));
    r.set_group_id(groups[i].group_id());
    r.add_samples()->set_score(1);
    results.push_back(r);
  }
  return results;
}

TEST(ScorePipeline, KeepsInputOrderWhenBatchesFinishOutOfOrder) {
  std::string input;
  for (int i = 0; i < 8; ++i) absl::StrAppend(&input, GroupLine(absl::StrCat("g", i)), "\n");
  // Batch 0 (g0, g1) is held until the three later batches have been scored.
  absl::Mutex mu;
  int later_done = 0;
  ScoreBatchFn fn = [&](const std::vector<v1::Group>& groups) {
    if (groups[0].group_id() == "g0") {
      absl::MutexLock lock(&mu);
      mu.Await(absl::Condition(
          +[](int* n) { return *n == 3; }, &later_done));
    } else {
      absl::MutexLock lock(&mu);
      ++later_done;
    }
    return Echo(groups);
  };
  std::istringstream in(input);
  std::ostringstream out;
  std::vector<int64_t> progress;
  ScorePipelineOptions options = Options(2, 2);
  options.on_progress = [&](int64_t n) { progress.push_back(n); };
  const auto stats = ScoreJsonl(in, out, options, fn);
  ASSERT_TRUE(stats.ok()) << stats.status();
  const auto results = ParseOutput(out.str());
  ASSERT_EQ(results.size(), 8u);
  for (int i = 0; i < 8; ++i) {
    EXPECT_EQ(results[i].group_id(), absl::StrCat("g", i));
    EXPECT_EQ(results[i].group_index(), i);
  }
  EXPECT_EQ(stats->groups_written, 8);
  EXPECT_EQ(stats->rpcs, 4);
  ASSERT_FALSE(progress.empty());
  EXPECT_EQ(progress.back(), 8);
}

TEST(ScorePipeline, MalformedLineGetsInvalidArgumentNamingItsLine) {
  const std::string input = GroupLine("a") + "\n\n{not json\n" + GroupLine("c") + "\n";
  std::istringstream in(input);
  std::ostringstream out;
  const auto stats = ScoreJsonl(in, out, Options(64, 1), Echo);
  ASSERT_TRUE(stats.ok()) << stats.status();
  const auto results = ParseOutput(out.str());
  ASSERT_EQ(results.size(), 3u);  // the blank line 2 produces nothing
  EXPECT_EQ(results[0].group_id(), "a");
  EXPECT_EQ(results[0].status().code(), 0);
  EXPECT_THAT(out.str(), HasSubstr(R"("status":{"code":0)"));  // present even when OK
  EXPECT_EQ(results[1].status().code(), static_cast<int>(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(results[1].status().message(), HasSubstr("input line 3"));
  EXPECT_EQ(results[1].group_index(), 1);
  EXPECT_EQ(results[2].group_id(), "c");
  EXPECT_EQ(results[2].samples(0).score(), 1);
  EXPECT_EQ(stats->malformed_lines, 1);
}

TEST(ScorePipeline, NonFatalRpcFailureMarksOnlyItsBatch) {
  std::string input;
  for (int i = 0; i < 4; ++i) absl::StrAppend(&input, GroupLine(absl::StrCat("g", i)), "\n");
  ScoreBatchFn fn =
      [](const std::vector<v1::Group>& groups) -> absl::StatusOr<std::vector<v1::GroupResult>> {
    if (groups[0].group_id() == "g2") return absl::DeadlineExceededError("too slow");
    return Echo(groups);
  };
  std::istringstream in(input);
  std::ostringstream out;
  const auto stats = ScoreJsonl(in, out, Options(2, 2), fn);
  ASSERT_TRUE(stats.ok());
  const auto results = ParseOutput(out.str());
  ASSERT_EQ(results.size(), 4u);
  EXPECT_EQ(results[1].status().code(), 0);
  EXPECT_EQ(results[2].status().code(), static_cast<int>(absl::StatusCode::kDeadlineExceeded));
  EXPECT_EQ(results[3].group_id(), "g3");
  EXPECT_EQ(results[3].status().message(), "too slow");
  EXPECT_EQ(stats->rpc_failed_groups, 2);
}

TEST(ScorePipeline, UnavailableServerStopsTheRun) {
  std::string input;
  for (int i = 0; i < 50; ++i) absl::StrAppend(&input, GroupLine(absl::StrCat("g", i)), "\n");
  std::atomic<int> calls{0};
  ScoreBatchFn fn =
      [&](const std::vector<v1::Group>&) -> absl::StatusOr<std::vector<v1::GroupResult>> {
    ++calls;
    return absl::UnavailableError("connection refused");
  };
  std::istringstream in(input);
  std::ostringstream out;
  const auto stats = ScoreJsonl(in, out, Options(1, 2), fn);
  EXPECT_EQ(stats.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_LT(calls.load(), 50);
  EXPECT_EQ(out.str(), "");
}

TEST(ScorePipeline, EmptyInputWritesNothing) {
  std::istringstream in("\n  \n");
  std::ostringstream out;
  const auto stats = ScoreJsonl(in, out, {}, Echo);
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->groups_written, 0);
  EXPECT_EQ(out.str(), "");
}

TEST(BatchScorer, RequestRejectedAsAWholeIsRetriedGroupByGroup) {
  std::vector<int> request_sizes;
  ScoreRequestFn request_fn =
      [&](const v1::ScoreRequest& request) -> absl::StatusOr<v1::ScoreResponse> {
    request_sizes.push_back(request.groups_size());
    v1::ScoreResponse response;
    for (const v1::Group& g : request.groups()) {
      if (g.task().verifier() == "nope") return absl::InvalidArgumentError("unknown verifier nope");
      v1::GroupResult* r = response.add_groups();
      r->set_group_index(response.groups_size() - 1);
      r->set_group_id(g.group_id());
    }
    return response;
  };
  std::vector<v1::Group> groups(3);
  groups[0].set_group_id("a");
  groups[1].set_group_id("b");
  groups[1].mutable_task()->set_verifier("nope");
  groups[2].set_group_id("c");
  const auto results = MakeBatchScorer(request_fn, v1::Shaping())(groups);
  ASSERT_TRUE(results.ok());
  ASSERT_EQ(results->size(), 3u);
  EXPECT_EQ((*results)[0].group_id(), "a");
  EXPECT_EQ((*results)[1].status().code(), static_cast<int>(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT((*results)[1].status().message(), HasSubstr("nope"));
  EXPECT_EQ((*results)[2].status().code(), 0);
  EXPECT_THAT(request_sizes, ::testing::ElementsAre(3, 1, 1, 1));
}

TEST(BatchScorer, SetsShapingAndReordersByGroupIndex) {
  v1::Shaping shaping;
  shaping.set_normalizer(v1::NORMALIZER_MEAN_ONLY);
  ScoreRequestFn request_fn =
      [](const v1::ScoreRequest& request) -> absl::StatusOr<v1::ScoreResponse> {
    EXPECT_EQ(request.shaping().normalizer(), v1::NORMALIZER_MEAN_ONLY);
    v1::ScoreResponse response;
    for (int i = request.groups_size() - 1; i >= 0; --i) {  // reversed on the wire
      v1::GroupResult* r = response.add_groups();
      r->set_group_index(i);
      r->set_group_id(request.groups(i).group_id());
    }
    return response;
  };
  std::vector<v1::Group> groups(2);
  groups[0].set_group_id("first");
  groups[1].set_group_id("second");
  const auto results = MakeBatchScorer(request_fn, shaping)(groups);
  ASSERT_TRUE(results.ok());
  EXPECT_EQ((*results)[0].group_id(), "first");
  EXPECT_EQ((*results)[1].group_id(), "second");
}

}  // namespace
}  // namespace arbiter::client
