#include "verifiers/code/code_verifier.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "nlohmann/json.hpp"
#include "verifiers/code/extract.h"
#include "verifiers/code/language.h"
#include "verifiers/code/limits.h"
#include "verifiers/code/task.h"
#include "verifiers/code/turn_runner.h"
#include "verifiers/code/verpo.h"
#include "verifiers/sdk/status_macros.h"
#include "verifiers/sdk/utf8.h"

namespace arbiter::code {
namespace {

void Summarise(v1::CodeTurn& turn, size_t num_tests) {
  turn.set_num_tests(static_cast<int32_t>(num_tests));
  int passed = 0;
  for (const v1::TestResult& test : turn.tests()) passed += test.verdict() == v1::OK ? 1 : 0;
  turn.set_num_passed(passed);
  turn.set_passed_all(turn.turn_verdict() == v1::TEST_VERDICT_UNSPECIFIED &&
                      passed == turn.num_tests() && passed > 0);
}

std::string FirstFailure(const v1::CodeTurn& turn) {
  if (turn.turn_verdict() != v1::TEST_VERDICT_UNSPECIFIED) {
    const std::string& message = turn.tests(0).message();
    return absl::StrCat("0/", turn.num_tests(), " tests passed; all ",
                        v1::TestVerdict_Name(turn.turn_verdict()),
                        message.empty() ? "" : " (" + message + ")");
  }
  for (int i = 0; i < turn.tests_size(); ++i) {
    const v1::TestResult& test = turn.tests(i);
    if (test.verdict() == v1::OK) continue;
    return absl::StrCat(turn.num_passed(), "/", turn.tests_size(), " tests passed; test ", i, ": ",
                        v1::TestVerdict_Name(test.verdict()),
                        test.message().empty() ? "" : " (" + test.message() + ")");
  }
  return "";
}

}  // namespace

absl::StatusOr<std::unique_ptr<CodeVerifier>> CodeVerifier::Create(CodeVerifierOptions options) {
  if (options.runner == nullptr) {
    return absl::InvalidArgumentError("code verifier: options.runner is null");
  }
  ARBITER_RETURN_IF_ERROR(ValidateDefaults(options.default_limits, options.max_limits));
  return std::unique_ptr<CodeVerifier>(new CodeVerifier(std::move(options)));
}

v1::VerifierInfo CodeVerifier::Info() const {
  v1::VerifierInfo info;
  info.set_name("code");
  info.set_version("4");
  info.set_description(
      "Runs the completion's program (last fenced block) against unit tests in a sandbox; "
      "per-test verdicts; VeRPO dense reward and fused advantages over the group");
  const v1::CodeLimits defaults = LimitsToProto(options_.default_limits);
  const v1::CodeLimits caps = LimitsToProto(options_.max_limits);
  nlohmann::json json = {{"language", "from the completion (python when untagged)"},
                         {"extract", "last_block"},
                         {"policy", "run_all"},
                         {"compare", "whitespace"},
                         {"float_tolerance", 1e-6},
                         {"limits",
                          {{"cpu_seconds", defaults.cpu_seconds()},
                           {"wall_seconds", defaults.wall_seconds()},
                           {"memory_bytes", defaults.memory_bytes()}}},
                         {"caps",
                          {{"cpu_seconds", caps.cpu_seconds()},
                           {"wall_seconds", caps.wall_seconds()},
                           {"memory_bytes", caps.memory_bytes()}}},
                         {"verpo",
                          {{"variant", "full"},
                           {"alpha", kDefaultAlpha},
                           {"sigma", "std(rho)/sqrt(2), floor 1e-3"},
                           {"delta", kDefaultDelta},
                           {"beta", kDefaultBeta},
                           {"gamma", kDefaultGamma}}},
                         {"score", "gamma^|tau| * R_traj + beta * R_turn(last turn)"}};
  // What this server can run now (a language whose toolchain is missing fails its group).
  nlohmann::json languages = nlohmann::json::array();
  for (Language language : {Language::kPython, Language::kCpp, Language::kC, Language::kJava,
                            Language::kJavaScript, Language::kGo, Language::kRust}) {
    if (options_.runner->CanRun(language).ok()) languages.push_back(LanguageName(language));
  }
  json["languages"] = std::move(languages);
  info.set_defaults_json(json.dump());
  info.set_ground_truth_formats(
      "APPS/TACO {\"inputs\",\"outputs\",\"fn_name\"?}; LiveCodeBench {\"inputs\":[JSON "
      "lines],\"outputs\",\"fn_name\"} and [{\"input\",\"output\",\"testtype\",\"metadata\"?}]; "
      "SandboxFusion [{\"input\":{\"stdin\"},\"output\":{\"stdout\"}}]; CodeContests "
      "{\"input\":[...],\"output\":[...]} or public/private/generated_tests; open-r1 "
      "{\"test_cases\"}; HumanEval {\"test\",\"entry_point\"}; MBPP {\"test_list\"}; wrapper "
      "{\"language\"?,\"fn_name\"?,\"tests\"|\"input_output\"|\"verification_info\"}. "
      "Modes name the comparison: livecodebench, apps, codecontests, sandboxfusion, open_r1, "
      "exact, whitespace, float");
  return info;
}

absl::StatusOr<std::unique_ptr<const SharedCodeTask>> CodeVerifier::PrepareTask(
    const v1::Task& task) const {
  return PrepareTaskWithin(task, sdk::VerifyContext());
}

absl::StatusOr<std::unique_ptr<const SharedCodeTask>> CodeVerifier::PrepareTaskWithin(
    const v1::Task& task, const sdk::VerifyContext& ctx) const {
  // Only ground_truth labels are cached: a typed CodeTask is parsed already (Task.code).
  if (task.kind_case() != v1::Task::kGroundTruth || !prepared_cache_->Caches(task.ground_truth())) {
    ARBITER_ASSIGN_OR_RETURN(std::shared_ptr<const PreparedCodeTask> prepared, Parse(task));
    return std::make_unique<const SharedCodeTask>(std::move(prepared));
  }
  ARBITER_ASSIGN_OR_RETURN(
      std::shared_ptr<const PreparedCodeTask> prepared,
      prepared_cache_->GetOrPrepare(
          task.mode(), task.ground_truth(), ctx, [&]() -> PreparedTaskCache::Prepared {
            ARBITER_ASSIGN_OR_RETURN(std::shared_ptr<const PreparedCodeTask> parsed, Parse(task));
            return parsed;
          }));
  return std::make_unique<const SharedCodeTask>(std::move(prepared));
}

absl::StatusOr<std::unique_ptr<const PreparedCodeTask>> CodeVerifier::Parse(
    const v1::Task& task) const {
  ARBITER_ASSIGN_OR_RETURN(const v1::CodeTest::Compare mode_compare, CompareFromMode(task.mode()));
  ARBITER_ASSIGN_OR_RETURN(
      std::unique_ptr<const PreparedCodeTask> prepared,
      PrepareCodeTask(task, options_.default_limits, options_.max_limits, mode_compare));
  // A pinned language this runner cannot run fails the group; one the completion chooses is
  // checked when it runs (INFRA_ERROR for that sample, see RunTurn).
  if (prepared->task.language() != v1::CodeTask::LANGUAGE_UNSPECIFIED) {
    ARBITER_RETURN_IF_ERROR(options_.runner->CanRun(ToSandboxLanguage(prepared->task.language())));
  }
  return prepared;
}

v1::SampleResult CodeVerifier::CheckSample(const SharedCodeTask& shared, const v1::Sample& sample,
                                           const sdk::VerifyContext& ctx) const {
  const PreparedCodeTask& prepared = *shared.prepared;
  const size_t num_tests = prepared.inputs.size();
  std::vector<std::string> completions(sample.turns().begin(), sample.turns().end());
  if (completions.empty()) completions.push_back(sample.completion());

  v1::SampleResult result;
  v1::CodeDetail* detail = result.mutable_code();
  *detail->mutable_limits() = prepared.task.limits();
  *detail->mutable_task_notes() = {prepared.notes.begin(), prepared.notes.end()};
  for (const std::string& completion : completions) {
    v1::CodeTurn* turn = detail->add_turns();
    const std::optional<ExtractedProgram> program = ExtractProgram(
        completion, prepared.languages, prepared.untagged_language, prepared.task.extract());
    turn->set_program_found(program.has_value());
    if (program.has_value()) turn->set_language(TaskLanguageName(program->language));
    if (!program.has_value()) {
      FillTurn(*turn, num_tests, v1::NO_PROGRAM, "no program found in the completion");
    } else if (absl::Status status = RunTurn(*options_.runner, *metrics_, prepared, *program, ctx,
                                             *turn, options_.default_mode);
               !status.ok()) {
      FillTurn(*turn, num_tests, v1::SANDBOX_ERROR, std::string(status.message()));
      result.set_outcome(v1::INFRA_ERROR);
      result.set_score(0);
      result.set_message(
          absl::StrCat("sandbox failure (not the model's fault): ", status.ToString()));
      metrics_->RecordSample(*detail);
      return result;
    }
    Summarise(*turn, num_tests);
  }
  const v1::CodeTurn& last = detail->turns(detail->turns_size() - 1);
  if (!last.program_found()) {
    result.set_outcome(v1::NO_ANSWER);
    result.set_message("no program found in the completion");
  } else if (last.passed_all()) {
    result.set_outcome(v1::CORRECT);
  } else {
    result.set_outcome(v1::INCORRECT);
    result.set_message(
        last.compile_output().empty()
            ? FirstFailure(last)
            : absl::StrCat("compilation failed: ", sdk::Utf8Prefix(last.compile_output(), 200)));
  }
  // Provisional (Finalize replaces it with the VeRPO reward): 1 when the last turn passes.
  result.set_score(last.passed_all() ? 1.0 : 0.0);
  metrics_->RecordSample(*detail);
  return result;
}

absl::Status CodeVerifier::FinalizeGroup(const SharedCodeTask& shared, const sdk::Samples& samples,
                                         absl::Span<v1::SampleResult> results,
                                         sdk::GroupFinal& group) const {
  const PreparedCodeTask& prepared = *shared.prepared;
  (void)samples;
  const int num_tests = static_cast<int>(prepared.inputs.size());
  // The pass matrix over the samples that were verified (INFRA_ERROR ones are left out).
  PassMatrix pass;
  std::vector<size_t> members;
  for (size_t i = 0; i < results.size(); ++i) {
    if (results[i].outcome() == v1::INFRA_ERROR) continue;
    members.push_back(i);
    auto& traj = pass.emplace_back();
    for (const v1::CodeTurn& turn : results[i].code().turns()) {
      auto& row = traj.emplace_back(static_cast<size_t>(num_tests), false);
      for (int j = 0; j < num_tests && j < turn.tests_size(); ++j) {
        row[j] = turn.tests(j).verdict() == v1::OK;
      }
    }
  }
  const v1::VerpoParams& params = prepared.task.verpo();
  const VerpoResult verpo = ComputeVerpo(pass, num_tests, params);
  int turns_pooled = 0;
  for (const auto& traj : verpo.turn_rewards) turns_pooled += static_cast<int>(traj.size());

  // The group's vectors, once (not copied into every sample).
  v1::CodeGroupDetail vectors;
  *vectors.mutable_pass_rates() = {verpo.pass_rates.begin(), verpo.pass_rates.end()};
  *vectors.mutable_weights() = {verpo.weights.begin(), verpo.weights.end()};
  *vectors.mutable_difficulty_weights() = {verpo.difficulty_weights.begin(),
                                           verpo.difficulty_weights.end()};
  *vectors.mutable_densities() = {verpo.densities.begin(), verpo.densities.end()};
  *vectors.mutable_resolved() = params;
  vectors.mutable_resolved()->set_sigma(verpo.sigma);
  vectors.set_num_trajectories(static_cast<int>(members.size()));
  vectors.set_num_turns_pooled(turns_pooled);
  group.detail.PackFrom(vectors);
  group.advantages_set = true;

  for (v1::SampleResult& result : results) {
    result.set_score(0);
    result.set_advantage(0);
  }
  for (size_t k = 0; k < members.size(); ++k) {
    v1::SampleResult& result = results[members[k]];
    v1::CodeDetail* detail = result.mutable_code();
    for (int t = 0; t < detail->turns_size(); ++t) {
      detail->mutable_turns(t)->set_turn_reward(verpo.turn_rewards[k][t]);
      detail->mutable_turns(t)->set_advantage(verpo.advantages[k][t]);
    }
    detail->set_traj_reward(verpo.traj_rewards[k]);
    detail->set_traj_reward_decayed(verpo.traj_rewards_decayed[k]);
    result.set_score(verpo.traj_rewards_decayed[k] + params.beta() * verpo.turn_rewards[k].back());
    result.set_advantage(verpo.advantages[k].back());
  }
  return absl::OkStatus();
}

}  // namespace arbiter::code
