// The verifier through its public interface: spec §1.7's vectors in both modes, ground_truth
// forms, DIMACS answers and UNSAT claims.
#include "verifiers/sat/sat_verifier.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "verifiers/sat/register.h"
#include "verifiers/sat/test_util.h"
#include "verifiers/sat/unsat_check.h"
#include "verifiers/sdk/registry.h"

namespace arbiter::sat {
namespace {

constexpr char kF[] = "!A!BC & A!BD & AB!C & BCD";
constexpr char kF2[] = "!B!DE & !BCE & !BD!E & !BDE & BC!D";

v1::Task SaturnTask(const std::string& formula, int k, v1::SatTask::Mode mode) {
  v1::Task task;
  task.set_verifier("sat");
  task.mutable_sat()->set_formula(formula);
  task.mutable_sat()->set_k(k);
  task.mutable_sat()->set_mode(mode);
  return task;
}

v1::Task GroundTruth(const std::string& text) {
  v1::Task task;
  task.set_verifier("sat");
  task.set_ground_truth(text);
  return task;
}

v1::SampleResult ScoreOne(const v1::Task& task, const std::string& completion,
                          const sdk::VerifyContext& ctx = {}) {
  SatVerifier verifier;
  v1::Sample sample;
  sample.set_completion(completion);
  absl::StatusOr<std::vector<v1::SampleResult>> results =
      sdk::ScoreGroup(verifier, task, {sample}, ctx);
  EXPECT_TRUE(results.ok()) << results.status();
  if (!results.ok()) return {};
  return (*results)[0];
}

double Score(const std::string& formula, int k, v1::SatTask::Mode mode,
             const std::string& completion) {
  return ScoreOne(SaturnTask(formula, k, mode), completion).score();
}

struct Vector {
  const char* completion;
  double strict;
  double compat;
};

// spec §1.7, formula F (k = 4).
const Vector kVectors[] = {
    {"... reasoning ...\\boxed{1010}", 1, 1},
    {"... reasoning ...\\boxed{1101}", 0, 0},
    {"answer 1101", -1, -1},
    {"\\boxed{111}", 0, 1},
    {"\\boxed{11111}", 0, 1},
    {"\\boxed{1 1 1 1}", 0, 1},
    {"\\boxed{ 1010 }", 1, 0},
    {"\\boxed{1101} then \\boxed{1111}", 1, 1},
    {"\\boxed{1111} then \\boxed{1101}", 0, 0},
    {"$\\boxed{1010}$", 1, 1},
};

TEST(SatVerifier, Spec17VectorsHoldInBothModes) {
  for (const Vector& v : kVectors) {
    SCOPED_TRACE(v.completion);
    EXPECT_EQ(Score(kF, 4, v1::SatTask::MODE_STRICT, v.completion), v.strict);
    EXPECT_EQ(Score(kF, 4, v1::SatTask::MODE_COMPAT, v.completion), v.compat);
    EXPECT_EQ(Score(kF, 0, v1::SatTask::MODE_UNSPECIFIED, v.completion), v.strict);
  }
}

TEST(SatVerifier, Spec17EmptyBoxVectors) {
  EXPECT_EQ(Score(kF2, 5, v1::SatTask::MODE_COMPAT, "\\boxed{}"), 1);
  EXPECT_EQ(Score(kF2, 5, v1::SatTask::MODE_STRICT, "\\boxed{}"), 0);
  EXPECT_EQ(Score("ABC & !A!B!C", 3, v1::SatTask::MODE_COMPAT, "\\boxed{}"), 0);
  EXPECT_EQ(Score("ABC & !A!B!C", 3, v1::SatTask::MODE_STRICT, "\\boxed{}"), 0);
}

TEST(SatVerifier, SpecSatisfyingSetIsExactlyTheBruteForceSet) {
  const std::vector<std::string> satisfying = {"0001", "0101", "0111", "1001",
                                               "1010", "1011", "1110", "1111"};
  for (int bits = 0; bits < 16; ++bits) {
    std::string a;
    for (int i = 0; i < 4; ++i) a += ((bits >> (3 - i)) & 1) ? '1' : '0';
    const bool want = std::find(satisfying.begin(), satisfying.end(), a) != satisfying.end();
    EXPECT_EQ(Score(kF, 4, v1::SatTask::MODE_STRICT, "\\boxed{" + a + "}"), want ? 1 : 0) << a;
  }
}

TEST(SatVerifier, OutcomesAndDetails) {
  const v1::Task task = SaturnTask(kF, 4, v1::SatTask::MODE_STRICT);
  v1::SampleResult ok = ScoreOne(task, "\\boxed{1010}");
  EXPECT_EQ(ok.outcome(), v1::CORRECT);
  EXPECT_TRUE(ok.sat().format_ok());
  EXPECT_EQ(ok.sat().assignment(), "1010");
  EXPECT_EQ(ok.sat().unsatisfied_clauses(), 0);
  v1::SampleResult wrong = ScoreOne(task, "\\boxed{1101}");
  EXPECT_EQ(wrong.outcome(), v1::INCORRECT);
  EXPECT_EQ(wrong.sat().unsatisfied_clauses(), 1);
  EXPECT_EQ(wrong.sat().assignment(), "1101");
  v1::SampleResult malformed = ScoreOne(task, "\\boxed{10x0}");
  EXPECT_EQ(malformed.outcome(), v1::INCORRECT);
  EXPECT_FALSE(malformed.sat().format_ok());
  EXPECT_FALSE(malformed.message().empty());
  v1::SampleResult none = ScoreOne(task, "no box");
  EXPECT_EQ(none.outcome(), v1::NO_ANSWER);
  EXPECT_EQ(none.score(), -1);
  v1::SampleResult compat = ScoreOne(SaturnTask(kF, 4, v1::SatTask::MODE_COMPAT), "\\boxed{1 1}");
  EXPECT_EQ(compat.sat().assignment(), "1?10");
}

TEST(SatVerifier, CompatCountsCodePointsLikePython) {
  // Python indexes code points: in "é010" position 1 is '0' (B=0), so A is neither, B=0, C=1,
  // D=0. Clause "!B" is satisfied only when B reads '0' at code point 1, not at byte 1.
  EXPECT_EQ(Score("!B", 2, v1::SatTask::MODE_COMPAT,
                  "\\boxed{\xc3\xa9"
                  "0}"),
            1);
  EXPECT_EQ(Score("B", 2, v1::SatTask::MODE_COMPAT,
                  "\\boxed{\xc3\xa9"
                  "1}"),
            1);
  EXPECT_EQ(Score("A", 2, v1::SatTask::MODE_COMPAT,
                  "\\boxed{\xc3\xa9"
                  "1}"),
            0);
}

TEST(SatVerifier, GroundTruthClauseStringAndJsonRow) {
  EXPECT_EQ(ScoreOne(GroundTruth(kF), "\\boxed{1010}").score(), 1);
  // k wins over the letters seen: the formula uses A..D but k = 5.
  const std::string row = R"({"id": 3, "n_sat": 3, "k": 5, "solution": "10100", "clause": ")" +
                          std::string(kF) + R"(", "prompt": "..."})";
  EXPECT_EQ(ScoreOne(GroundTruth(row), "\\boxed{10100}").score(), 1);
  EXPECT_EQ(ScoreOne(GroundTruth(row), "\\boxed{1010}").score(), 0);
  const std::string compat = R"({"clause": ")" + std::string(kF) + R"(", "mode": "compat"})";
  EXPECT_EQ(ScoreOne(GroundTruth(compat), "\\boxed{111}").score(), 1);
}

TEST(SatVerifier, MalformedTasksAreInvalidArgument) {
  SatVerifier verifier;
  for (const v1::Task& task :
       {GroundTruth(""), GroundTruth("{not json"), GroundTruth(R"({"k": 3})"),
        GroundTruth(R"({"clause": "AB", "k": "3"})"), GroundTruth(R"({"clause": "AB", "k": 1})"),
        GroundTruth(R"({"clause": "AB", "mode": "lenient"})"), GroundTruth("A && B"),
        GroundTruth(R"({"clause": "AB", "k": 27})"), SaturnTask("AB", -1, v1::SatTask::MODE_STRICT),
        GroundTruth("p cnf 2 1\n1 3 0\n"), v1::Task()}) {
    SCOPED_TRACE(task.DebugString());
    absl::StatusOr<std::unique_ptr<const sdk::PreparedTask>> prepared = verifier.Prepare(task);
    ASSERT_FALSE(prepared.ok());
    EXPECT_EQ(prepared.status().code(), absl::StatusCode::kInvalidArgument);
  }
}

TEST(SatVerifier, DimacsAnswerForms) {
  const v1::Task task = GroundTruth(testing::ReadTestdata("dimacs_basic.cnf"));  // (1∨¬3)∧(2∨3∨¬1)
  EXPECT_EQ(ScoreOne(task, "\\boxed{110}").outcome(), v1::CORRECT);
  EXPECT_EQ(ScoreOne(task, "\\boxed{100}").outcome(), v1::INCORRECT);
  EXPECT_EQ(ScoreOne(task, "\\boxed{1 2 -3 0}").outcome(), v1::CORRECT);
  EXPECT_EQ(ScoreOne(task, "\\boxed{v 1 2}").outcome(), v1::CORRECT);
  EXPECT_EQ(ScoreOne(task, "\\boxed{2}").outcome(), v1::CORRECT);  // 1, 3 false
  EXPECT_EQ(ScoreOne(task, "\\boxed{0}").outcome(), v1::CORRECT);  // all false
  EXPECT_EQ(ScoreOne(task, "\\boxed{3}").outcome(), v1::INCORRECT);
  for (const char* malformed : {"\\boxed{11}", "\\boxed{1 -1}", "\\boxed{4}", "\\boxed{1 0 2}",
                                "\\boxed{x}", "\\boxed{}"}) {
    SCOPED_TRACE(malformed);
    v1::SampleResult r = ScoreOne(task, malformed);
    EXPECT_EQ(r.outcome(), v1::INCORRECT);
    EXPECT_FALSE(r.sat().format_ok());
    EXPECT_FALSE(r.message().empty());
  }
  v1::SampleResult sat_claim = ScoreOne(task, "\\boxed{UNSAT}");
  EXPECT_EQ(sat_claim.outcome(), v1::INCORRECT);
  EXPECT_TRUE(sat_claim.sat().claimed_unsat());
  EXPECT_EQ(sat_claim.sat().unsat_check(), "sat");
  EXPECT_EQ(ScoreOne(task, "\\boxed{1 2}").sat().assignment(), "110");
}

TEST(SatVerifier, DimacsUnsatClaimCheckedWithCadical) {
  const v1::Task task = GroundTruth(testing::ReadTestdata("dimacs_unsat.cnf"));
  for (const char* claim : {"\\boxed{UNSAT}", "\\boxed{ unsatisfiable }", "\\boxed{Unsat}"}) {
    v1::SampleResult r = ScoreOne(task, claim);
    EXPECT_EQ(r.outcome(), v1::CORRECT) << claim;
    EXPECT_EQ(r.sat().unsat_check(), "unsat");
  }
  EXPECT_EQ(ScoreOne(task, "\\boxed{11}").outcome(), v1::INCORRECT);
  EXPECT_EQ(
      ScoreOne(GroundTruth(testing::ReadTestdata("dimacs_empty_clause.cnf")), "\\boxed{UNSAT}")
          .outcome(),
      v1::CORRECT);
}

TEST(SatVerifier, UnsatClaimIsInfraErrorWhenTheCallHasNoTimeLeft) {
  sdk::VerifyContext ctx;
  ctx.deadline = absl::Now() - absl::Seconds(1);
  v1::SampleResult r =
      ScoreOne(GroundTruth(testing::ReadTestdata("dimacs_unsat.cnf")), "\\boxed{UNSAT}", ctx);
  EXPECT_EQ(r.outcome(), v1::INFRA_ERROR);
  EXPECT_EQ(r.sat().unsat_check(), "unknown");
  EXPECT_NE(r.message().find("deadline"), std::string::npos) << r.message();
}

// Pigeonhole PHP(n+1, n): UNSAT and hard for resolution, so a 1 ms budget runs out.
std::string Pigeonhole(int holes) {
  const int pigeons = holes + 1;
  auto var = [&](int p, int h) { return p * holes + h + 1; };
  std::string clauses;
  int count = 0;
  for (int p = 0; p < pigeons; ++p, ++count) {
    for (int h = 0; h < holes; ++h) clauses += std::to_string(var(p, h)) + " ";
    clauses += "0\n";
  }
  for (int h = 0; h < holes; ++h) {
    for (int p = 0; p < pigeons; ++p) {
      for (int q = p + 1; q < pigeons; ++q, ++count) {
        clauses += "-" + std::to_string(var(p, h)) + " -" + std::to_string(var(q, h)) + " 0\n";
      }
    }
  }
  return "p cnf " + std::to_string(pigeons * holes) + " " + std::to_string(count) + "\n" + clauses;
}

TEST(SatVerifier, UnsatClaimUndecidedWithinItsBudgetScoresAsAWrongAnswer) {
  // Were it INFRA_ERROR (masked, advantage 0) while a wrong assignment earns a negative
  // advantage, claiming UNSAT would beat trying on every hard satisfiable formula.
  v1::Task task;
  task.set_verifier("sat");
  task.mutable_sat()->set_formula(Pigeonhole(11));
  task.mutable_sat()->set_unsat_budget_ms(1);
  v1::SampleResult r = ScoreOne(task, "\\boxed{UNSAT}");
  EXPECT_EQ(r.outcome(), v1::INCORRECT);
  EXPECT_EQ(r.score(), 0);
  EXPECT_EQ(r.sat().unsat_check(), "unknown");
  EXPECT_NE(r.message().find("budget"), std::string::npos) << r.message();
  const v1::SampleResult wrong = ScoreOne(task, "\\boxed{1 2 3}");
  EXPECT_LE(r.score(), wrong.score());
}

TEST(SatVerifier, UnsatClaimsOfAGroupAndOfLaterGroupsShareOneSolve) {
  SatVerifier verifier;
  v1::Task task;
  task.set_verifier("sat");
  task.mutable_sat()->set_formula(Pigeonhole(11));
  task.mutable_sat()->set_unsat_budget_ms(30);
  std::vector<v1::Sample> samples(16);
  for (size_t i = 0; i < samples.size(); ++i) {
    samples[i].set_completion("claim " + std::to_string(i) + ": \\boxed{UNSAT}");
  }
  const int64_t before = UnsatSolverRuns();
  auto first = sdk::ScoreGroup(verifier, task, samples);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(UnsatSolverRuns() - before, 1);
  for (const v1::SampleResult& r : *first) EXPECT_EQ(r.outcome(), v1::INCORRECT);
  // Another group (another request) with the same formula, differently written: no new solve.
  v1::Task again = task;
  again.mutable_sat()->set_formula("c the same clauses\n" + Pigeonhole(11));
  ASSERT_TRUE(sdk::ScoreGroup(verifier, again, samples).ok());
  EXPECT_EQ(UnsatSolverRuns() - before, 1);
  // A larger budget may decide what a smaller one could not: it solves again.
  again.mutable_sat()->set_unsat_budget_ms(60);
  ASSERT_TRUE(sdk::ScoreGroup(verifier, again, samples).ok());
  EXPECT_EQ(UnsatSolverRuns() - before, 2);
}

TEST(SatVerifier, CompatModeIsRejectedForDimacs) {
  v1::Task task = GroundTruth(testing::ReadTestdata("dimacs_basic.cnf"));
  task.set_ground_truth(R"({"clause": "p cnf 1 1\n1 0\n", "mode": "compat"})");
  SatVerifier verifier;
  EXPECT_EQ(verifier.Prepare(task).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(SatVerifier, InfoAndRegistration) {
  sdk::VerifierRegistry registry;
  ASSERT_TRUE(RegisterSatVerifier(registry).ok());
  const sdk::Verifier* verifier = registry.Find("sat");
  ASSERT_NE(verifier, nullptr);
  EXPECT_EQ(verifier->Info().version(), "2");
  EXPECT_NE(verifier->Info().defaults_json().find("\"mode\":\"strict\""), std::string::npos);
  EXPECT_NE(registry.FindGenerator("sat"), nullptr);
  EXPECT_NE(registry.FindGenerator("sat_curriculum"), nullptr);
  EXPECT_EQ(RegisterSatVerifier(registry).code(), absl::StatusCode::kAlreadyExists);
}

TEST(SatVerifier, TaskModeSelectsTheModeOfAGroundTruthTask) {
  // Saturn's compat reads the first k characters; strict needs exactly k (spec §1.7).
  v1::Task task = GroundTruth("!A!BC & A!BD & AB!C & BCD");
  const std::string completion = "\\boxed{10100}";  // k + 1 characters
  EXPECT_EQ(ScoreOne(task, completion).outcome(), v1::INCORRECT);
  task.set_mode("compat");
  EXPECT_EQ(ScoreOne(task, completion).outcome(), v1::CORRECT);
  task.set_mode("strict");
  EXPECT_EQ(ScoreOne(task, completion).outcome(), v1::INCORRECT);
  task.set_mode("lenient");
  SatVerifier verifier;
  const auto prepared = verifier.Prepare(task);
  EXPECT_EQ(prepared.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(prepared.status().message().find("strict (default), compat"), std::string::npos);
}

}  // namespace
}  // namespace arbiter::sat
