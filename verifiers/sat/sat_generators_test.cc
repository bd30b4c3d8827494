// The "sat" and "sat_curriculum" generators through the Generate interface.
#include "verifiers/sat/sat_generators.h"

#include <set>
#include <string>

#include "absl/strings/str_split.h"
#include "gtest/gtest.h"
#include "verifiers/sat/prompt.h"
#include "verifiers/sat/sat_verifier.h"
#include "verifiers/sdk/verifier.h"

namespace arbiter::sat {
namespace {

v1::GenerateRequest Request(int n, int k, int l, int count, uint64_t seed) {
  v1::GenerateRequest request;
  request.set_kind("sat");
  v1::SatGenerateParams* p = request.mutable_sat();
  p->set_n(n);
  p->set_k(k);
  p->set_l(l);
  p->set_count(count);
  p->set_seed(seed);
  return request;
}

TEST(SatGenerator, TasksHaveSaturnShapeAndScoreOneWithThePlantedSolution) {
  SatGenerator generator;
  absl::StatusOr<v1::GenerateResponse> response = generator.Generate(Request(3, 5, 13, 30, 7));
  ASSERT_TRUE(response.ok()) << response.status();
  ASSERT_EQ(response->tasks_size(), 30);
  SatVerifier verifier;
  std::set<std::string> ids;
  for (const v1::GeneratedTask& task : response->tasks()) {
    const v1::SatGeneratedTask& info = task.sat();
    ids.insert(task.id());
    EXPECT_EQ(info.n_sat(), 3);
    EXPECT_EQ(info.k(), 5);
    EXPECT_EQ(info.solution().size(), 5u);
    EXPECT_NEAR(info.difficulty(), 8.389474, 5e-7);
    std::vector<std::string> clauses = absl::StrSplit(info.clause(), " & ");
    EXPECT_EQ(clauses.size(), 13u);
    EXPECT_TRUE(std::is_sorted(clauses.begin(), clauses.end()));
    EXPECT_EQ(std::set<std::string>(clauses.begin(), clauses.end()).size(), 13u);
    EXPECT_EQ(task.task().verifier(), "sat");
    EXPECT_EQ(task.task().sat().k(), 5);
    for (auto mode : {v1::SatTask::MODE_STRICT, v1::SatTask::MODE_COMPAT}) {
      v1::Task scored = task.task();
      scored.mutable_sat()->set_mode(mode);
      v1::Sample sample;
      sample.set_completion("Reasoning...\n\\boxed{" + info.solution() + "}");
      absl::StatusOr<std::vector<v1::SampleResult>> r = sdk::ScoreGroup(verifier, scored, {sample});
      ASSERT_TRUE(r.ok()) << r.status();
      EXPECT_EQ((*r)[0].score(), 1.0) << info.clause() << " / " << info.solution();
    }
    EXPECT_EQ(task.prompt(), info.prompt());
    EXPECT_EQ(task.prompt(), std::string(SaturnPromptPrefix()) +
                                 R"({"n_sat": 3, "k": 5, "clause": ")" + info.clause() + "\"}\n");
  }
  EXPECT_EQ(ids.size(), 30u);
  EXPECT_EQ(*ids.begin(), "0");
}

TEST(SatGenerator, SameSeedSameTasksOtherSeedOtherTasks) {
  SatGenerator generator;
  absl::StatusOr<v1::GenerateResponse> a = generator.Generate(Request(3, 5, 5, 10, 42));
  absl::StatusOr<v1::GenerateResponse> b = generator.Generate(Request(3, 5, 5, 10, 42));
  absl::StatusOr<v1::GenerateResponse> c = generator.Generate(Request(3, 5, 5, 10, 43));
  ASSERT_TRUE(a.ok() && b.ok() && c.ok());
  EXPECT_EQ(a->SerializeAsString(), b->SerializeAsString());
  EXPECT_NE(a->SerializeAsString(), c->SerializeAsString());
}

// Pins the PRNG and the draw order: a change here changes every seeded dataset.
constexpr char kPinnedSeedZero[] = "01110 !A!BE & !ABE & !BCE & ABE & ACE";

TEST(SatGenerator, SeedZeroIsStable) {
  SatGenerator generator;
  absl::StatusOr<v1::GenerateResponse> r = generator.Generate(Request(3, 5, 5, 1, 0));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->tasks(0).sat().solution() + " " + r->tasks(0).sat().clause(), kPinnedSeedZero);
}

TEST(SatGenerator, StartIdOffsetsIds) {
  v1::GenerateRequest request = Request(3, 5, 5, 3, 1);
  request.mutable_sat()->set_start_id(250);
  absl::StatusOr<v1::GenerateResponse> r = SatGenerator().Generate(request);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->tasks(0).id(), "250");
  EXPECT_EQ(r->tasks(2).sat().id(), 252);
}

TEST(SatGenerator, InvalidParametersAreInvalidArgumentNamingTheParameter) {
  struct Case {
    v1::GenerateRequest request;
    const char* name;
  };
  v1::GenerateRequest big_pool = Request(3, 5, 5, 1, 0);
  big_pool.mutable_sat()->set_pool_cap(-1);
  v1::GenerateRequest no_params;
  no_params.set_kind("sat");
  for (const Case& c :
       {Case{Request(6, 5, 5, 1, 0), "n = 6"}, Case{Request(3, 27, 5, 1, 0), "k = 27"},
        Case{Request(3, 5, 71, 1, 0), "l = 71"}, Case{Request(3, 5, 5, 0, 0), "count"},
        Case{Request(3, 5, 5, -3, 0), "count"}, Case{Request(3, 5, 5, 1000000000, 0), "count"},
        Case{Request(3, 20, 5, 1, 0), "l = 5"}, Case{big_pool, "pool_cap"},
        Case{no_params, "params"}}) {
    absl::StatusOr<v1::GenerateResponse> r = SatGenerator().Generate(c.request);
    ASSERT_FALSE(r.ok()) << c.name;
    EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_NE(r.status().message().find(c.name), std::string::npos) << r.status().message();
  }
}

TEST(SatGenerator, CountIsLoweredToThePossibleFormulasLikeSaturn) {
  // n = k = 1: the pool holds the clauses "A" (solution 1) and "!A" (solution 0); l = 1 allows
  // exactly two formulas.
  absl::StatusOr<v1::GenerateResponse> r = SatGenerator().Generate(Request(1, 1, 1, 5, 3));
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->tasks_size(), 2);
}

TEST(SatCurriculumGenerator, Spec18VectorThroughGenerate) {
  v1::GenerateRequest request;
  request.set_kind("sat_curriculum");
  v1::SatCurriculumParams* p = request.mutable_sat_curriculum();
  p->set_n(3);
  p->set_k(5);
  p->set_l(5);
  p->set_pass_at_1(0.55);
  p->set_epsilon(0.5);
  absl::StatusOr<v1::GenerateResponse> r = SatCurriculumGenerator().Generate(request);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_TRUE(r->sat_curriculum().advanced());
  EXPECT_EQ(r->sat_curriculum().l(), 6);
  EXPECT_NEAR(r->sat_curriculum().difficulty(), 6.158520, 5e-7);
  p->set_pass_at_1(0.50);
  r = SatCurriculumGenerator().Generate(request);
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->sat_curriculum().advanced());
  EXPECT_EQ(r->sat_curriculum().l(), 5);
  p->set_pass_at_1(-0.1);
  EXPECT_EQ(SatCurriculumGenerator().Generate(request).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(SatCurriculumGenerator, EstimatesPassAt1FromCountsWithTheUnbiasedEstimator) {
  v1::GenerateRequest request;
  request.set_kind("sat_curriculum");
  v1::SatCurriculumParams* p = request.mutable_sat_curriculum();
  p->set_n(3);
  p->set_k(5);
  p->set_l(5);
  p->set_samples_per_item(12);
  for (int c : {12, 6, 3, 3}) p->add_correct(c);  // pass@1 = (1 + 0.5 + 0.25 + 0.25) / 4 = 0.5
  absl::StatusOr<v1::GenerateResponse> r = SatCurriculumGenerator().Generate(request);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_DOUBLE_EQ(r->sat_curriculum().pass_at_1(), 0.5);
  EXPECT_FALSE(r->sat_curriculum().advanced());  // 0.5 is not > 0.5
  p->set_correct(3, 4);
  r = SatCurriculumGenerator().Generate(request);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->sat_curriculum().advanced());
  p->set_correct(0, 13);  // more correct than samples
  EXPECT_EQ(SatCurriculumGenerator().Generate(request).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace arbiter::sat
