#include "verifiers/sat/sat_generators.h"

#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "verifiers/sat/difficulty.h"
#include "verifiers/sat/prompt.h"
#include "verifiers/sat/sat_construction.h"

namespace arbiter::sat {

v1::GeneratorInfo SatGenerator::Info() const {
  v1::GeneratorInfo info;
  info.set_kind("sat");
  info.set_params_type("arbiter.v1.SatGenerateParams");
  info.set_description(
      "Saturn's SAT_Construction(n, k, l, count) with a seeded PRNG: planted-solution (n,k,l)-SAT "
      "tasks with Saturn's prompt and D(n,k,l); params SatGenerateParams");
  return info;
}

absl::StatusOr<v1::GenerateResponse> SatGenerator::Generate(
    const v1::GenerateRequest& request) const {
  if (request.params_case() != v1::GenerateRequest::kSat) {
    return absl::InvalidArgumentError("sat generator: params `sat` (SatGenerateParams) required");
  }
  const v1::SatGenerateParams& in = request.sat();
  SatConstructionParams params;
  params.n = in.n();
  params.k = in.k();
  params.l = in.l();
  params.count = in.count();
  params.seed = in.seed();
  params.pool_cap = in.pool_cap();
  params.start_id = in.start_id();
  absl::StatusOr<std::vector<SatInstance>> instances = SatConstruction(params);
  if (!instances.ok()) return instances.status();
  const double difficulty = Difficulty(params.n, params.k, params.l);
  v1::GenerateResponse response;
  for (SatInstance& instance : *instances) {
    v1::GeneratedTask* task = response.add_tasks();
    task->set_id(absl::StrCat(instance.id));
    std::string prompt = SaturnPrompt(params.n, params.k, instance.clause);
    v1::Task* scored = task->mutable_task();
    scored->set_verifier("sat");
    v1::SatTask* sat = scored->mutable_sat();
    sat->set_formula(instance.clause);
    sat->set_k(params.k);
    sat->set_format(v1::SatTask::FORMAT_SATURN);
    task->set_prompt(prompt);
    v1::SatGeneratedTask* info = task->mutable_sat();
    info->set_id(instance.id);
    info->set_n_sat(params.n);
    info->set_k(params.k);
    info->set_solution(std::move(instance.solution));
    info->set_clause(std::move(instance.clause));
    info->set_prompt(std::move(prompt));
    info->set_difficulty(difficulty);
  }
  return response;
}

v1::GeneratorInfo SatCurriculumGenerator::Info() const {
  v1::GeneratorInfo info;
  info.set_kind("sat_curriculum");
  info.set_params_type("arbiter.v1.SatCurriculumParams");
  info.set_description(
      "One step of Saturn's curriculum: l += delta_l when validation pass@1 > epsilon, with the "
      "new D(n,k,l); params SatCurriculumParams");
  return info;
}

absl::StatusOr<v1::GenerateResponse> SatCurriculumGenerator::Generate(
    const v1::GenerateRequest& request) const {
  if (request.params_case() != v1::GenerateRequest::kSatCurriculum) {
    return absl::InvalidArgumentError(
        "sat_curriculum: params `sat_curriculum` (SatCurriculumParams) required");
  }
  const v1::SatCurriculumParams& in = request.sat_curriculum();
  double pass_at_1 = in.pass_at_1();
  if (in.correct_size() > 0) {
    if (pass_at_1 != 0.0) {
      return absl::InvalidArgumentError(
          "sat_curriculum: give either pass_at_1 or correct/samples_per_item, not both");
    }
    double sum = 0;
    for (const int32_t c : in.correct()) {
      absl::StatusOr<double> p = PassAtK(in.samples_per_item(), c, 1);
      if (!p.ok()) {
        return absl::InvalidArgumentError(
            absl::StrCat("sat_curriculum: correct/samples_per_item: ", p.status().message()));
      }
      sum += *p;
    }
    pass_at_1 = sum / in.correct_size();
  }
  absl::StatusOr<CurriculumStep> step =
      NextCurriculumStep(in.n(), in.k(), in.l(), pass_at_1, in.epsilon(), in.delta_l());
  if (!step.ok()) return step.status();
  v1::GenerateResponse response;
  v1::SatCurriculumResult* out = response.mutable_sat_curriculum();
  out->set_n(step->n);
  out->set_k(step->k);
  out->set_l(step->l);
  out->set_difficulty(step->difficulty);
  out->set_advanced(step->advanced);
  out->set_pass_at_1(pass_at_1);
  return response;
}

}  // namespace arbiter::sat
