// Fault injection: GiNaC (math, beam) and CaDiCaL (SAT's UNSAT claims) throwing, through the
// real verifiers and the real dispatcher.
//
// While a verifier call is armed (library_allocations.h), the allocations made by GiNaC, CLN and
// CaDiCaL code on that thread succeed `fail_after` times and then every one of them fails with
// std::bad_alloc until the call returns. For each verifier and each of its calls (Prepare, Check,
// Finalize) the test counts those allocations in one clean request, then replays the request with
// the failure armed at a spread of points from the first allocation to past the last. Each time the
// dispatcher must answer every group; the armed verifier's samples must be either what the clean
// run said or INFRA_ERROR "out of memory" (masked: reward and advantage 0), never another verdict
// (a bad_alloc swallowed into "wrong answer" would be the server's trouble turned into a reward);
// its group's status OK or RESOURCE_EXHAUSTED; the other verifiers' groups exactly as in the
// clean run. Afterwards a clean request scores as at the start.
//
// Only the libraries' own allocations fail (library_allocations.h says why). Not run under ASan or
// TSan (their runtimes define operator new).
#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "server/dispatcher.h"
#include "server/testing/score_and_wait.h"
#include "tests/reliability/library_allocations.h"
#include "verifiers/beam/internal/beam_builder.h"
#include "verifiers/beam/register.h"
#include "verifiers/math/register.h"
#include "verifiers/sat/register.h"
#include "verifiers/sdk/registry.h"

namespace arbiter::server {
namespace {

enum class Stage { kPrepare, kCheck, kFinalize };
const char* StageName(Stage s) {
  return s == Stage::kPrepare ? "Prepare" : s == Stage::kCheck ? "Check" : "Finalize";
}

// What the armed calls do; set between requests, read by the wrappers on worker threads.
struct Injection {
  std::atomic<const sdk::Verifier*> target{nullptr};
  std::atomic<Stage> stage{Stage::kPrepare};
  std::atomic<int64_t> fail_after{-1};   // -1: count instead of failing
  std::atomic<int64_t> most_counted{0};  // largest count of one armed call
};
Injection injection;

// Arms the calling thread for the duration of one verifier call when it is the target.
class Armed {
 public:
  Armed(const sdk::Verifier* verifier, Stage stage)
      : active_(injection.target.load() == verifier && injection.stage.load() == stage) {
    if (active_) reliability::ArmThisThread(injection.fail_after.load());
  }
  ~Armed() {
    if (!active_) return;
    const int64_t counted = reliability::DisarmThisThread();
    int64_t seen = injection.most_counted.load();
    while (counted > seen && !injection.most_counted.compare_exchange_weak(seen, counted)) {
    }
  }
  Armed(const Armed&) = delete;
  Armed& operator=(const Armed&) = delete;

 private:
  const bool active_;
};

// The real verifier, its calls armed (the real one stays in its own registry).
class FailingAllocations : public sdk::Verifier {
 public:
  explicit FailingAllocations(const sdk::Verifier* inner) : inner_(inner) {}
  v1::VerifierInfo Info() const override { return inner_->Info(); }
  Work work() const override { return inner_->work(); }
  absl::StatusOr<std::unique_ptr<const sdk::PreparedTask>> Prepare(
      const v1::Task& task) const override {
    const Armed armed(inner_, Stage::kPrepare);
    return inner_->Prepare(task);
  }
  v1::SampleResult Check(const sdk::PreparedTask& task, const v1::Sample& sample,
                         const sdk::VerifyContext& ctx) const override {
    const Armed armed(inner_, Stage::kCheck);
    return inner_->Check(task, sample, ctx);
  }
  absl::Status Finalize(const sdk::PreparedTask& task, const sdk::Samples& samples,
                        absl::Span<v1::SampleResult> results,
                        sdk::GroupFinal& group) const override {
    const Armed armed(inner_, Stage::kFinalize);
    return inner_->Finalize(task, samples, results, group);
  }

 private:
  const sdk::Verifier* const inner_;
};

// Pigeonhole: `holes` + 1 pigeons in `holes` holes, unsatisfiable, plus the unit clause of a
// variable numbered after `seed`, so each request is a formula the UNSAT memo has not seen and
// CaDiCaL runs every time.
std::string Pigeonhole(int holes, int seed) {
  const int pigeons = holes + 1;
  auto var = [&](int p, int h) { return p * holes + h + 1; };
  std::vector<std::string> clauses;
  for (int p = 0; p < pigeons; ++p) {
    std::string c;
    for (int h = 0; h < holes; ++h) absl::StrAppend(&c, var(p, h), " ");
    clauses.push_back(c + "0");
  }
  for (int h = 0; h < holes; ++h) {
    for (int p = 0; p < pigeons; ++p) {
      for (int q = p + 1; q < pigeons; ++q) {
        clauses.push_back(absl::StrCat(-var(p, h), " ", -var(q, h), " 0"));
      }
    }
  }
  const int fresh = pigeons * holes + 1 + seed;
  clauses.push_back(absl::StrCat(fresh, " 0"));
  std::string out = absl::StrCat("p cnf ", fresh, " ", clauses.size(), "\n");
  for (const std::string& clause : clauses) absl::StrAppend(&out, clause, "\n");
  return out;
}

v1::Group MakeGroup(const std::string& id, v1::Task task, const std::vector<std::string>& texts) {
  v1::Group group;
  group.set_group_id(id);
  *group.mutable_task() = std::move(task);
  for (size_t i = 0; i < texts.size(); ++i) {
    v1::Sample* sample = group.add_samples();
    sample->set_sample_id(absl::StrCat("s", i));
    sample->set_completion(texts[i]);
  }
  return group;
}

v1::Task GroundTruth(const std::string& verifier, const std::string& truth) {
  v1::Task task;
  task.set_verifier(verifier);
  task.set_ground_truth(truth);
  return task;
}

// One request with work for every verifier; `n` makes its texts new (no cache can answer).
v1::ScoreRequest Request(int n) {
  v1::ScoreRequest request;
  *request.add_groups() =
      MakeGroup("sat-unsat", GroundTruth("sat", Pigeonhole(4, n)),
                {absl::StrCat("n", n, " \\boxed{UNSAT}"), absl::StrCat("n", n, " \\boxed{1 2 3}")});
  *request.add_groups() =
      MakeGroup("sat-saturn", GroundTruth("sat", "AB & !A!C & B!D"),
                {absl::StrCat("n", n, " \\boxed{1101}"), absl::StrCat("n", n, " \\boxed{0000}")});
  // Trigonometric: outside the exact field the comparison has without GiNaC, so GiNaC decides.
  *request.add_groups() =
      MakeGroup("math", GroundTruth("math", absl::StrCat(R"(\sin^2(x) + \cos^2(x) + )", n)),
                {absl::StrCat("\\boxed{1 + ", n, "}"), absl::StrCat("\\boxed{", n, "}"),
                 absl::StrCat(R"(\boxed{\cos^2(x) + \sin^2(x) + )", n, "}")});
  v1::Task beam;
  beam.set_verifier("beam");
  *beam.mutable_beam()->mutable_beam() =
      beam::internal::BeamBuilder("2*L").Pin("0").Roller("2*L").Force("-3*P", "0.6*L").beam();
  *request.add_groups() =
      MakeGroup("beam", beam,
                {absl::StrCat("n", n, "\n</think>\n\\boxed{R_A = \\frac{21P}{10}, R_B = 0.9P}"),
                 absl::StrCat("n", n, "\n</think>\n\\boxed{0.9P} \\boxed{2.1P}")});
  return request;
}

std::vector<v1::GroupResult> Score(Dispatcher& dispatcher, const v1::ScoreRequest& request) {
  return testing::ScoreAndWait(dispatcher, request);
}

class AllocationFailureTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const absl::Status found = reliability::FindLibraryCode();
    ASSERT_TRUE(found.ok()) << found;
    ASSERT_TRUE(sat::RegisterSatVerifier(real_).ok());
    ASSERT_TRUE(math::RegisterMathVerifier(real_).ok());
    ASSERT_TRUE(beam::RegisterBeamVerifier(real_).ok());
    for (const std::string& name : real_.Names()) {
      ASSERT_TRUE(armed_.Register(std::make_unique<FailingAllocations>(real_.Find(name))).ok());
    }
    ServerOptions options;
    options.cache_entries = 0;  // every request reaches the verifiers
    auto created = Dispatcher::Create(*ResolveOptions(options), &armed_, nullptr);
    ASSERT_TRUE(created.ok()) << created.status();
    dispatcher_ = *std::move(created);
  }

  sdk::VerifierRegistry real_;
  sdk::VerifierRegistry armed_;
  std::unique_ptr<Dispatcher> dispatcher_;
};

std::vector<v1::Outcome> Outcomes(const v1::GroupResult& group) {
  std::vector<v1::Outcome> out;
  for (const v1::SampleResult& s : group.samples()) out.push_back(s.outcome());
  return out;
}

TEST_F(AllocationFailureTest, VerifiersOutOfMemoryAreInfraErrorsAndNeverAVerdict) {
  int request_number = 0;
  const std::vector<v1::GroupResult> clean = Score(*dispatcher_, Request(request_number++));
  ASSERT_EQ(clean.size(), 4u);
  // The clean run is what the verifiers say (so a wrong baseline cannot hide a failure).
  EXPECT_EQ(Outcomes(clean[0]), (std::vector<v1::Outcome>{v1::CORRECT, v1::INCORRECT}));
  EXPECT_EQ(Outcomes(clean[1]), (std::vector<v1::Outcome>{v1::CORRECT, v1::INCORRECT}));
  EXPECT_EQ(Outcomes(clean[2]),
            (std::vector<v1::Outcome>{v1::CORRECT, v1::INCORRECT, v1::CORRECT}));
  EXPECT_EQ(Outcomes(clean[3]), (std::vector<v1::Outcome>{v1::CORRECT, v1::INCORRECT}))
      << clean[3].samples(0).message() << " | " << clean[3].samples(1).message();

  const struct {
    const char* verifier;
    std::vector<int> groups;  // its groups in Request()
  } targets[] = {{"sat", {0, 1}}, {"math", {2}}, {"beam", {3}}};
  int injected_runs = 0, masked_samples = 0;
  std::vector<std::string> counted;  // allocations made by the libraries per verifier call
  for (const auto& target : targets) {
    for (Stage stage : {Stage::kPrepare, Stage::kCheck, Stage::kFinalize}) {
      SCOPED_TRACE(absl::StrCat(target.verifier, " ", StageName(stage)));
      injection.target = real_.Find(target.verifier);
      injection.stage = stage;
      injection.fail_after = -1;
      injection.most_counted = 0;
      Score(*dispatcher_, Request(request_number++));
      const int64_t allocations = injection.most_counted.load();
      // Failure points: each of the first 12 allocations, then spread to one past the last.
      std::vector<int64_t> points;
      for (int64_t k = 0; k < 12 && k <= allocations; ++k) points.push_back(k);
      for (int64_t k = 12; k < allocations; k += std::max<int64_t>(1, allocations / 24)) {
        points.push_back(k);
      }
      points.push_back(allocations + 1);
      for (int64_t k : points) {
        SCOPED_TRACE(absl::StrCat("failing from allocation ", k, " of ", allocations));
        injection.fail_after = k;
        const std::vector<v1::GroupResult> got = Score(*dispatcher_, Request(request_number++));
        ++injected_runs;
        ASSERT_EQ(got.size(), clean.size());
        for (size_t g = 0; g < got.size(); ++g) {
          SCOPED_TRACE(clean[g].group_id());
          ASSERT_EQ(got[g].samples_size(), clean[g].samples_size());
          const bool armed =
              std::find(target.groups.begin(), target.groups.end(), g) != target.groups.end();
          if (!armed) {
            EXPECT_EQ(got[g].status().code(), 0);
            EXPECT_EQ(Outcomes(got[g]), Outcomes(clean[g]));
            continue;
          }
          EXPECT_TRUE(got[g].status().code() == 0 ||
                      got[g].status().code() ==
                          static_cast<int>(absl::StatusCode::kResourceExhausted))
              << got[g].status().code() << " " << got[g].status().message();
          for (int i = 0; i < got[g].samples_size(); ++i) {
            const v1::SampleResult& s = got[g].samples(i);
            if (s.outcome() == v1::INFRA_ERROR) {
              ++masked_samples;
              EXPECT_EQ(s.reward(), 0.0);
              EXPECT_EQ(s.advantage(), 0.0);
              EXPECT_NE(s.message().find("out of memory"), std::string::npos) << s.message();
            } else {
              EXPECT_EQ(s.outcome(), clean[g].samples(i).outcome()) << s.message();
            }
          }
        }
        // Failing from the very first allocation fails some sample of the armed verifier.
        if (k == 0 && allocations > 0) {
          int masked = 0;
          for (int g : target.groups) {
            for (const v1::SampleResult& s : got[g].samples()) {
              masked += s.outcome() == v1::INFRA_ERROR;
            }
          }
          EXPECT_GT(masked, 0);
        }
      }
      counted.push_back(absl::StrCat(target.verifier, " ", StageName(stage), ": ", allocations));
    }
  }
  injection.target = nullptr;
  std::printf("%d requests with GiNaC/CLN/CaDiCaL allocations failing; %d samples masked\n",
              injected_runs, masked_samples);
  std::printf("library allocations per call: %s\n", absl::StrJoin(counted, "; ").c_str());
  EXPECT_GT(masked_samples, 0);

  // GiNaC, CaDiCaL and the dispatcher survived: a clean request scores as at the start.
  const std::vector<v1::GroupResult> after = Score(*dispatcher_, Request(request_number++));
  ASSERT_EQ(after.size(), clean.size());
  for (size_t g = 0; g < after.size(); ++g) {
    EXPECT_EQ(after[g].status().code(), 0);
    EXPECT_EQ(Outcomes(after[g]), Outcomes(clean[g])) << clean[g].group_id();
  }
  EXPECT_EQ(dispatcher_->in_flight_items(), 0);
}

}  // namespace
}  // namespace arbiter::server
