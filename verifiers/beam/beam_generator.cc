#include "verifiers/beam/beam_generator.h"

#include <cmath>
#include <cstdint>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "verifiers/beam/beam_verifier.h"
#include "verifiers/beam/expr.h"
#include "verifiers/beam/internal/ginac_lock.h"
#include "verifiers/beam/internal/prompt.h"
#include "verifiers/beam/solver.h"

namespace arbiter::beam {
namespace {

using Family = v1::BeamGenerateParams::Family;
constexpr int kMaxCount = 10000;

// Deterministic across standard libraries (std::uniform_int_distribution is not).
class Rng {
 public:
  explicit Rng(uint64_t seed) : engine_(seed) {}
  size_t Below(size_t n) { return static_cast<size_t>(engine_() % n); }
  template <typename T>
  const T& Pick(const std::vector<T>& v) {
    return v[Below(v.size())];
  }

 private:
  std::mt19937_64 engine_;
};

// A multiple of L written with up to 6 decimals ("0.6*L"), or as a fraction.
std::string TimesL(double k) {
  std::string s = absl::StrFormat("%.6f", k);
  while (s.back() == '0') s.pop_back();
  if (s.back() == '.') s.pop_back();
  return s == "0" ? "0" : s == "1" ? "L" : s + "*L";
}

v1::Beam TrainLike(Rng& rng, const std::vector<int>& spans, const std::vector<int>& magnitudes,
                   const std::vector<double>& fractions) {
  const int span = rng.Pick(spans);
  const int magnitude = rng.Pick(magnitudes);
  const double f = rng.Pick(fractions);
  v1::Beam beam;
  beam.set_length(TimesL(span));
  internal::AddSupport(&beam, v1::BeamSupport::PIN, "0");
  internal::AddSupport(&beam, v1::BeamSupport::ROLLER, TimesL(span));
  internal::AddLoad(&beam, v1::BeamLoad::POINT_FORCE, absl::StrCat("-", magnitude, "*P"),
                    TimesL(f * span));
  return beam;
}

std::vector<double> Grid(int steps) {
  std::vector<double> g;
  for (int i = 0; i <= steps; ++i) g.push_back(static_cast<double>(i) / steps);
  return g;
}

v1::Beam Make(Family family, Rng& rng) {
  switch (family) {
    case v1::BeamGenerateParams::FAMILY_IN_DISTRIBUTION:
      return TrainLike(rng, {9}, {7, 13, 19},
                       {0.07, 0.13, 0.21, 0.27, 0.33, 0.41, 0.53, 0.61, 0.73, 0.83});
    case v1::BeamGenerateParams::FAMILY_LENGTH:
      return TrainLike(rng, {7, 11, 13}, {1, 2, 3}, Grid(20));
    case v1::BeamGenerateParams::FAMILY_MULTI_LOAD: {
      v1::Beam beam = TrainLike(rng, {9}, {1}, {0.5});
      beam.clear_loads();
      const int loads = 2 + static_cast<int>(rng.Below(3));
      const int magnitude = 1 + static_cast<int>(rng.Below(3));
      std::vector<double> spots = Grid(20);
      for (int i = 0; i < loads; ++i) {
        const size_t k = rng.Below(spots.size());
        internal::AddLoad(&beam, v1::BeamLoad::POINT_FORCE, absl::StrCat("-", magnitude, "*P"),
                          TimesL(spots[k] * 9));
        spots.erase(spots.begin() + static_cast<long>(k));
      }
      return beam;
    }
    case v1::BeamGenerateParams::FAMILY_VARYING_SUPPORTS: {
      v1::Beam beam = TrainLike(rng, {9}, {1, 2, 3}, Grid(20));
      beam.mutable_supports(0)->set_position(TimesL(rng.Pick<double>({0, 0.1, 0.5, 1, 1.5, 2})));
      beam.mutable_supports(1)->set_position(TimesL(rng.Pick<double>({7, 7.5, 8, 8.5, 8.9, 9})));
      return beam;
    }
    case v1::BeamGenerateParams::FAMILY_DISTRIBUTED: {
      v1::Beam beam = TrainLike(rng, {9}, {1}, {0.5});
      beam.clear_loads();
      const int k = 1 + static_cast<int>(rng.Below(5));
      const int anchor = static_cast<int>(rng.Below(3));  // left, middle, right third
      internal::AddDistributed(&beam, absl::StrCat("-", k, "*P/L"), TimesL(3 * anchor),
                               TimesL(3 * anchor + 3));
      return beam;
    }
    case v1::BeamGenerateParams::FAMILY_MOMENT: {
      v1::Beam beam = TrainLike(rng, {9}, {1}, {0.5});
      beam.clear_loads();
      const int c = 1 + static_cast<int>(rng.Below(5));
      internal::AddLoad(&beam, v1::BeamLoad::MOMENT, absl::StrCat(c, "*P*L"),
                        TimesL(9 * rng.Pick<double>({0.25, 0.5, 0.75})));
      return beam;
    }
    default:
      return TrainLike(rng, {1, 2, 3}, {1, 2, 3}, Grid(20));
  }
}

std::string CompatGold(double coefficient) {
  if (std::fabs(coefficient) < 5e-7) return "0";
  return absl::StrFormat("%.6fP", coefficient);
}

absl::Status Fill(const v1::Beam& beam, Family family, const std::string& family_name,
                  v1::GeneratedTask* out) {
  absl::MutexLock lock(&internal::GinacMutex());
  absl::StatusOr<BeamSolution> solution = SolveBeamLocked(beam, SolveOptions());
  if (!solution.ok()) return absl::InternalError(solution.status().message());
  v1::BeamGeneratedTask* info = out->mutable_beam();
  *info->mutable_beam() = beam;
  info->set_family(family_name);
  const GiNaC::symbol& P = Symbols().P;
  for (const SupportReaction& r : solution->reactions) {
    const GiNaC::ex coefficient = (r.force / P).normal();
    if (!IsNumber(coefficient)) return absl::InternalError("beam generator: reaction not k*P");
    info->add_gold(CompatGold(GiNaC::ex_to<GiNaC::numeric>(coefficient).to_double()));
    std::ostringstream symbolic;
    symbolic << r.force;
    info->add_gold_symbolic(symbolic.str());
  }
  (void)family;
  out->set_prompt(internal::PromptFor(beam));
  v1::Task* task = out->mutable_task();
  task->set_verifier(kVerifierName);
  *task->mutable_beam()->mutable_beam() = beam;
  *task->mutable_beam()->mutable_gold() = info->gold();
  return absl::OkStatus();
}

}  // namespace

v1::GeneratorInfo BeamGenerator::Info() const {
  v1::GeneratorInfo info;
  info.set_kind("beam");
  info.set_params_type("arbiter.v1.BeamGenerateParams");
  info.set_description(
      "BeamPERL beam tasks (seeded): training family and evaluation categories in-distribution, "
      "multi-load, varying supports, distributed, length, moment");
  return info;
}

absl::StatusOr<v1::GenerateResponse> BeamGenerator::Generate(
    const v1::GenerateRequest& request) const {
  const v1::BeamGenerateParams& params = request.beam();
  if (params.count() < 1 || params.count() > kMaxCount) {
    return absl::InvalidArgumentError(absl::StrCat("beam generator: count must be in [1, ",
                                                   kMaxCount, "], got ", params.count()));
  }
  Family family = params.family();
  if (family == v1::BeamGenerateParams::FAMILY_UNSPECIFIED) {
    family = v1::BeamGenerateParams::FAMILY_TRAIN;
  }
  if (!v1::BeamGenerateParams::Family_IsValid(family)) {
    return absl::InvalidArgumentError(absl::StrCat("beam generator: unknown family ", family));
  }
  std::string family_name = v1::BeamGenerateParams::Family_Name(family).substr(7);
  for (char& c : family_name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  Rng rng(params.seed());
  v1::GenerateResponse response;
  for (int i = 0; i < params.count(); ++i) {
    v1::GeneratedTask* task = response.add_tasks();
    task->set_id(absl::StrCat("beam-", family_name, "-", params.seed(), "-", i));
    const absl::Status st = Fill(Make(family, rng), family, family_name, task);
    if (!st.ok()) return st;
  }
  return response;
}

}  // namespace arbiter::beam
