#include "verifiers/math/math_verifier.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "verifiers/math/latex_parser.h"
#include "verifiers/math/math.pb.h"
#include "verifiers/math/math_task.h"
#include "verifiers/math/math_verify_grader.h"
#include "verifiers/math/minerva_normalize.h"
#include "verifiers/math/reference_graders.h"
#include "verifiers/sdk/utf8.h"

namespace arbiter::math {
namespace {

constexpr size_t kMaxScanBytes = size_t{64} * 1024;
constexpr size_t kMaxDetailBytes = 512;

struct PreparedMath : sdk::PreparedTask {
  MathConfig config;
  std::vector<ParsedGold> golds;  // math_verify and minerva
};

std::string Clip(absl::string_view s) { return std::string(sdk::Utf8Prefix(s, kMaxDetailBytes)); }

arbiter::v1::SampleResult Finish(const MathConfig& config, arbiter::v1::Outcome outcome,
                                 std::string message, arbiter::math::v1::MathDetail detail) {
  arbiter::v1::SampleResult result;
  result.set_outcome(outcome);
  double score = 0.0;
  if (outcome == arbiter::v1::CORRECT) score = config.correct_score;
  if (outcome == arbiter::v1::INCORRECT) score = config.incorrect_score;
  if (outcome == arbiter::v1::NO_ANSWER) score = config.no_answer_score;
  result.set_score(score);
  if (!message.empty()) result.set_message(std::move(message));
  detail.set_mode(config.mode_name);
  detail.set_extracted(Clip(detail.extracted()));
  detail.set_normalized_prediction(Clip(detail.normalized_prediction()));
  detail.set_normalized_gold(Clip(detail.normalized_gold()));
  sdk::PackDetail(detail, result);
  return result;
}

arbiter::v1::SampleResult FromStringGrade(const MathConfig& config, const StringGrade& g,
                                          absl::string_view method) {
  arbiter::math::v1::MathDetail detail;
  if (g.extracted) detail.set_extracted(*g.extracted);
  detail.set_normalized_prediction(g.normalized_prediction);
  detail.set_normalized_gold(g.normalized_gold);
  detail.set_method(std::string(method));
  if (!g.extracted) {
    return Finish(config, arbiter::v1::NO_ANSWER, "no answer found", std::move(detail));
  }
  return Finish(config, g.correct ? arbiter::v1::CORRECT : arbiter::v1::INCORRECT, "",
                std::move(detail));
}

arbiter::v1::SampleResult FromMathGrade(const MathConfig& config, const MathGrade& g,
                                        const sdk::VerifyContext& ctx) {
  arbiter::math::v1::MathDetail detail;
  detail.set_extracted(g.extracted);
  detail.set_normalized_prediction(g.normalized_prediction);
  detail.set_normalized_gold(g.normalized_gold);
  detail.set_method(g.method);
  if (g.capped && ctx.Done()) {
    // Cut short by the call's deadline or cancellation, not by the item's own budget.
    return Finish(config, arbiter::v1::INFRA_ERROR, "deadline or cancellation cut the check short",
                  std::move(detail));
  }
  switch (g.verdict) {
    case MathGrade::Verdict::kCorrect:
      return Finish(config, arbiter::v1::CORRECT, "", std::move(detail));
    case MathGrade::Verdict::kIncorrect:
      return Finish(config, arbiter::v1::INCORRECT, g.capped ? g.method : "", std::move(detail));
    case MathGrade::Verdict::kNoAnswer:
      break;
  }
  return Finish(config, arbiter::v1::NO_ANSWER, "no answer found", std::move(detail));
}

arbiter::v1::SampleResult CheckMinerva(const PreparedMath& task, absl::string_view text,
                                       const sdk::VerifyContext& ctx) {
  const MathConfig& config = task.config;
  std::optional<std::string> answer = MinervaExtract(text);
  arbiter::math::v1::MathDetail detail;
  detail.set_normalized_gold(LmEvalNormalize(absl::StripAsciiWhitespace(config.golds[0])));
  if (!answer)
    return Finish(config, arbiter::v1::NO_ANSWER, "no Final Answer line", std::move(detail));
  const std::string pred = LmEvalNormalize(*answer);
  detail.set_extracted(*answer);
  detail.set_normalized_prediction(pred);
  for (const std::string& gold : config.golds) {
    if (LmEvalNormalize(absl::StripAsciiWhitespace(gold)) == pred) {
      detail.set_normalized_gold(LmEvalNormalize(absl::StripAsciiWhitespace(gold)));
      detail.set_method("string");
      return Finish(config, arbiter::v1::CORRECT, "", std::move(detail));
    }
  }
  // lm-eval's is_equiv: sympy simplify(a - b) == 0 on the normalised strings (no 6-decimal
  // rounding there, so none here).
  Budget budget(config.cpu_budget, &ctx);
  std::vector<ParsedGold> golds;
  for (const std::string& gold : config.golds) {
    absl::StatusOr<Expr> e = ParseAnswer(LmEvalNormalize(absl::StripAsciiWhitespace(gold)));
    if (e.ok()) golds.push_back(ParsedGold{gold, *std::move(e)});
  }
  MathGrade g = GradeParsed(pred, golds, CompareOptions{15}, budget);
  g.extracted = *answer;
  // The normalised forms reported are lm-eval's strings (the symbolic forms are only the fallback).
  g.normalized_prediction = pred;
  g.normalized_gold = detail.normalized_gold();
  if (g.verdict == MathGrade::Verdict::kNoAnswer) g.verdict = MathGrade::Verdict::kIncorrect;
  return FromMathGrade(config, g, ctx);
}

}  // namespace

arbiter::v1::VerifierInfo MathVerifier::Info() const {
  arbiter::v1::VerifierInfo info;
  info.set_name("math");
  info.set_version("1");
  info.set_description(
      "Final math answers against a dataset label: Math-Verify 0.8 semantics (default "
      "math_verify: extraction, LaTeX normalisation, exact rationals, GiNaC symbolic "
      "equivalence, relations, intervals, sets, tuples, matrices), verl dapo and gsm8k, lm-eval "
      "minerva, multiple_choice. Score 1/0/0 (dapo +1/-1/-1).");
  info.set_defaults_json(
      R"({"mode":"math_verify","float_rounding":6,"cpu_budget_ms":1000,"choices":"ABCD",)"
      R"("gsm8k_method":"strict","gsm8k_parity":false,"strict_box_verify":false})");
  info.set_ground_truth_formats(
      "the dataset's label: a LaTeX or plain answer (bare LaTeX is parsed as if boxed), a JSON "
      "array of strings (any one matches), a number; or a JSON object {\"answer\": ..., "
      "\"mode\": ..., options}. Modes: math_verify, dapo, gsm8k, minerva, multiple_choice. "
      "Typed: arbiter.math.v1.MathTask in Task.extension.");
  return info;
}

absl::StatusOr<std::unique_ptr<const sdk::PreparedTask>> MathVerifier::Prepare(
    const arbiter::v1::Task& task) const {
  absl::StatusOr<MathConfig> config = ResolveMathTask(task);
  if (!config.ok()) return config.status();
  auto prepared = std::make_unique<PreparedMath>();
  prepared->config = *std::move(config);
  if (prepared->config.mode == Mode::kMathVerify) {
    for (const std::string& gold : prepared->config.golds) {
      absl::StatusOr<ParsedGold> parsed = ParseGold(gold);
      if (!parsed.ok()) return parsed.status();
      prepared->golds.push_back(*std::move(parsed));
    }
  }
  return prepared;
}

arbiter::v1::SampleResult MathVerifier::Check(const sdk::PreparedTask& prepared,
                                              const arbiter::v1::Sample& sample,
                                              const sdk::VerifyContext& ctx) const {
  const auto& task = static_cast<const PreparedMath&>(prepared);
  const MathConfig& config = task.config;
  absl::string_view text = sample.completion();
  if (!config.answer_after.empty()) {
    const size_t at = text.rfind(config.answer_after);
    if (at == absl::string_view::npos) {
      arbiter::math::v1::MathDetail detail;
      return Finish(config, arbiter::v1::NO_ANSWER,
                    absl::StrCat("no \"", config.answer_after, "\""), std::move(detail));
    }
    text = text.substr(at + config.answer_after.size());
  }
  text = sdk::Utf8Suffix(text, kMaxScanBytes);
  const std::string& gold = config.golds[0];
  switch (config.mode) {
    case Mode::kDapo: {
      // verl compares against the one ground-truth string; a list is any-of.
      StringGrade best;
      for (const std::string& g : config.golds) {
        best = GradeDapo(text, g, config.strict_box_verify);
        if (best.correct) break;
      }
      return FromStringGrade(config, best, config.strict_box_verify ? "strict_box" : "minerva");
    }
    case Mode::kGsm8k: {
      StringGrade best;
      for (const std::string& g : config.golds) {
        best = GradeGsm8k(text, g, config.gsm8k_flexible, config.gsm8k_parity);
        if (best.correct) break;
      }
      return FromStringGrade(config, best, config.gsm8k_flexible ? "flexible" : "strict");
    }
    case Mode::kMultipleChoice:
      return FromStringGrade(config, GradeMultipleChoice(text, gold, config.choices), "letter");
    case Mode::kMinerva:
      return CheckMinerva(task, text, ctx);
    case Mode::kMathVerify:
      break;
  }
  Budget budget(config.cpu_budget, &ctx);
  return FromMathGrade(
      config, GradeMathVerify(text, task.golds, CompareOptions{config.float_rounding}, budget),
      ctx);
}

}  // namespace arbiter::math
