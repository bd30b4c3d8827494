// Conformance against Saturn's released data ($ARBITER_SHARED_DIR/data/saturn/**.jsonl, 2580
// rows): every planted solution scores 1 in strict and compat through sdk::ScoreGroup, and the
// generator at every (n, k, l) present produces formulas of the same shape. The data is part of
// CI: a missing directory is a failure, not a skip.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "verifiers/sat/difficulty.h"
#include "verifiers/sat/prompt.h"
#include "verifiers/sat/sat_generators.h"
#include "verifiers/sat/sat_verifier.h"
#include "verifiers/sdk/verifier.h"

namespace arbiter::sat {
namespace {

struct Row {
  std::string file;
  std::string line;
  nlohmann::json json;
};

std::vector<Row> LoadRows() {
  const char* shared = std::getenv("ARBITER_SHARED_DIR");
  if (shared == nullptr || *shared == '\0') {
    ADD_FAILURE() << "ARBITER_SHARED_DIR is not set: the conformance data lives in "
                     "$ARBITER_SHARED_DIR/data/saturn (run through ctest)";
    return {};
  }
  const std::filesystem::path root = std::filesystem::path(shared) / "data" / "saturn";
  if (!std::filesystem::is_directory(root)) {
    ADD_FAILURE() << "conformance data directory " << root << " is missing";
    return {};
  }
  std::vector<Row> rows;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
    if (entry.path().extension() != ".jsonl") continue;
    std::ifstream in(entry.path());
    std::string line;
    while (std::getline(in, line)) {
      if (line.empty()) continue;
      rows.push_back({entry.path().string(), line, nlohmann::json::parse(line)});
    }
  }
  return rows;
}

// True when `clause` is a Saturn formula of l clauses of n literals over the first k
// variables, each clause's variables distinct and ascending, clauses sorted.
::testing::AssertionResult HasShape(const std::string& clause, int n, int k, int l) {
  std::vector<std::string> clauses = absl::StrSplit(clause, " & ");
  if (static_cast<int>(clauses.size()) != l) {
    return ::testing::AssertionFailure() << clauses.size() << " clauses, want " << l;
  }
  if (!std::is_sorted(clauses.begin(), clauses.end())) {
    return ::testing::AssertionFailure() << "clauses not sorted";
  }
  for (const std::string& c : clauses) {
    int count = 0;
    int last = -1;
    for (char ch : c) {
      if (ch == '!') continue;
      const int v = ch - 'A';
      if (v <= last || v >= k) return ::testing::AssertionFailure() << "bad clause " << c;
      last = v;
      ++count;
    }
    if (count != n) return ::testing::AssertionFailure() << "clause " << c << " has " << count;
  }
  return ::testing::AssertionSuccess();
}

double ScoreOne(const v1::Task& task, const std::string& completion) {
  SatVerifier verifier;
  v1::Sample sample;
  sample.set_completion(completion);
  absl::StatusOr<std::vector<v1::SampleResult>> r = sdk::ScoreGroup(verifier, task, {sample});
  EXPECT_TRUE(r.ok()) << r.status();
  return r.ok() ? (*r)[0].score() : -100;
}

TEST(Conformance, EveryPlantedSolutionScoresOneInBothModes) {
  const std::vector<Row> rows = LoadRows();
  ASSERT_EQ(rows.size(), 2580u);
  for (const Row& row : rows) {
    SCOPED_TRACE(row.file + ": " + row.line.substr(0, 120));
    const std::string solution = row.json["solution"];
    const std::string completion = "Reasoning.\n\\boxed{" + solution + "}";
    v1::Task as_row;  // the whole row as ground_truth, k from the row
    as_row.set_verifier("sat");
    as_row.set_ground_truth(row.line);
    EXPECT_EQ(ScoreOne(as_row, completion), 1.0);
    v1::Task clause_only;  // the `clause` column alone
    clause_only.set_verifier("sat");
    clause_only.set_ground_truth(row.json["clause"].get<std::string>());
    if (absl::StrContains(row.json["clause"].get<std::string>(),
                          static_cast<char>('A' + row.json["k"].get<int>() - 1))) {
      EXPECT_EQ(ScoreOne(clause_only, completion), 1.0);
    }
    for (auto mode : {v1::SatTask::MODE_STRICT, v1::SatTask::MODE_COMPAT}) {
      v1::Task typed;
      typed.set_verifier("sat");
      typed.mutable_sat()->set_formula(row.json["clause"].get<std::string>());
      typed.mutable_sat()->set_k(row.json["k"].get<int>());
      typed.mutable_sat()->set_mode(mode);
      EXPECT_EQ(ScoreOne(typed, completion), 1.0) << "mode " << mode;
    }
    // The prompt is Saturn's template around the row's problem line.
    EXPECT_EQ(
        row.json["prompt"].get<std::string>(),
        SaturnPrompt(row.json["n_sat"], row.json["k"], row.json["clause"].get<std::string>()));
  }
}

TEST(Conformance, GeneratorMatchesTheShapeOfEveryDataLevel) {
  const std::vector<Row> rows = LoadRows();
  ASSERT_FALSE(rows.empty());
  std::set<std::tuple<int, int, int>> levels;
  for (const Row& row : rows) {
    const int n = row.json["n_sat"];
    const int k = row.json["k"];
    const std::string clause = row.json["clause"];
    const int l = static_cast<int>(std::count(clause.begin(), clause.end(), '&')) + 1;
    ASSERT_TRUE(HasShape(clause, n, k, l)) << row.line.substr(0, 120);
    levels.insert({n, k, l});
  }
  EXPECT_EQ(levels.size(), 14u);
  SatGenerator generator;
  SatVerifier verifier;
  for (const auto& [n, k, l] : levels) {
    SCOPED_TRACE(::testing::Message() << "(n,k,l)=(" << n << "," << k << "," << l << ")");
    v1::GenerateRequest request;
    request.set_kind("sat");
    request.mutable_sat()->set_n(n);
    request.mutable_sat()->set_k(k);
    request.mutable_sat()->set_l(l);
    request.mutable_sat()->set_count(20);
    request.mutable_sat()->set_seed(2580);
    absl::StatusOr<v1::GenerateResponse> r = generator.Generate(request);
    ASSERT_TRUE(r.ok()) << r.status();
    ASSERT_EQ(r->tasks_size(), 20);
    for (const v1::GeneratedTask& task : r->tasks()) {
      EXPECT_TRUE(HasShape(task.sat().clause(), n, k, l)) << task.sat().clause();
      EXPECT_DOUBLE_EQ(task.sat().difficulty(), Difficulty(n, k, l));
      EXPECT_EQ(ScoreOne(task.task(), "\\boxed{" + task.sat().solution() + "}"), 1.0);
    }
  }
}

}  // namespace
}  // namespace arbiter::sat
