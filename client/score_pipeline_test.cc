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
  options.initial_concurrency = 2;  // batch 0 is held: the others need a second slot at once
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
    if (groups[0].group_id() == "g2") return absl::InternalError("too slow");
    return Echo(groups);
  };
  std::istringstream in(input);
  std::ostringstream out;
  const auto stats = ScoreJsonl(in, out, Options(2, 2), fn);
  ASSERT_TRUE(stats.ok());
  const auto results = ParseOutput(out.str());
  ASSERT_EQ(results.size(), 4u);
  EXPECT_EQ(results[1].status().code(), 0);
  EXPECT_EQ(results[2].status().code(), static_cast<int>(absl::StatusCode::kInternal));
  EXPECT_EQ(results[3].group_id(), "g3");
  EXPECT_EQ(results[3].status().message(), "input line 4: too slow");
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

TEST(BatchScorer, SendsOneRequestPerBatchAndPassesAFailureOn) {
  int requests = 0;
  ScoreRequestFn request_fn = [&](const v1::ScoreRequest&) -> absl::StatusOr<v1::ScoreResponse> {
    ++requests;
    return absl::InvalidArgumentError("shaping: bad normalizer");
  };
  const auto results = MakeBatchScorer(request_fn, v1::Shaping())(std::vector<v1::Group>(3));
  EXPECT_EQ(results.status(), absl::InvalidArgumentError("shaping: bad normalizer"));
  EXPECT_EQ(requests, 1);  // no group-by-group resend: the server fails bad groups alone
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

TEST(ScorePipeline, GroupsThatExpireInTheServersQueueAreSentAgainAlone) {
  std::string input;
  for (int i = 0; i < 6; ++i) absl::StrAppend(&input, GroupLine(absl::StrCat("g", i)), "\n");
  absl::Mutex mu;
  int calls = 0;
  std::vector<size_t> sizes;
  ScoreBatchFn fn = [&](const std::vector<v1::Group>& groups) {
    absl::MutexLock lock(&mu);
    ++calls;
    sizes.push_back(groups.size());
    absl::StatusOr<std::vector<v1::GroupResult>> results = Echo(groups);
    // In a full batch g1 is never reached in time; alone it is verified.
    for (size_t i = 0; i < groups.size(); ++i) {
      if (groups[i].group_id() == "g1" && groups.size() > 1) {
        (*results)[i].mutable_samples(0)->set_outcome(v1::INFRA_ERROR);
        (*results)[i].mutable_samples(0)->set_message("deadline exceeded before verification");
      }
    }
    return results;
  };
  std::istringstream in(input);
  std::ostringstream out;
  std::vector<std::string> ids;
  ScorePipelineOptions options = Options(3, 2);
  options.on_result = [&](const v1::GroupResult& r) {
    ids.push_back(r.group_id());
    EXPECT_FALSE(ExpiredBeforeVerification(r)) << r.DebugString();
  };
  const auto stats = ScoreJsonl(in, out, options, fn);
  ASSERT_TRUE(stats.ok()) << stats.status();
  EXPECT_EQ(stats->retried_groups, 1);
  EXPECT_EQ(stats->groups_written, 6);
  EXPECT_EQ(ids, (std::vector<std::string>{"g0", "g1", "g2", "g3", "g4", "g5"}));
  EXPECT_EQ(calls, 3);  // two batches of three, then g1 alone
}

TEST(ScorePipeline, AFailedGroupsMessageNamesItsInputLine) {
  const std::string input = "\n" + GroupLine("g0") + "\n\n" + GroupLine("bad") + "\n";
  ScoreBatchFn fn = [](const std::vector<v1::Group>& groups) {
    absl::StatusOr<std::vector<v1::GroupResult>> results = Echo(groups);
    for (size_t i = 0; i < groups.size(); ++i) {
      if (groups[i].group_id() == "bad") {
        (*results)[i].mutable_status()->set_code(3);
        (*results)[i].mutable_status()->set_message("sat: empty");
      }
    }
    return results;
  };
  std::istringstream in(input);
  std::ostringstream out;
  ASSERT_TRUE(ScoreJsonl(in, out, Options(8, 1), fn).ok());
  EXPECT_NE(out.str().find("input line 4: sat: empty"), std::string::npos) << out.str();
}

TEST(ScorePipeline, ADatasetRowSentAsAGroupIsToldHowToWrapIt) {
  std::istringstream in(R"({"prompt": "solve", "clause": "A & B", "k": 2})"
                        "\n");
  std::ostringstream out;
  ASSERT_TRUE(ScoreJsonl(in, out, Options(8, 1), Echo).ok());
  EXPECT_NE(out.str().find("not a dataset row: wrap the row as"), std::string::npos) << out.str();
}

}  // namespace
}  // namespace arbiter::client
