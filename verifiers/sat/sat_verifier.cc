#include "verifiers/sat/sat_verifier.h"

#include <optional>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "verifiers/sat/boxed_answer.h"
#include "verifiers/sat/dimacs.h"
#include "verifiers/sat/dimacs_answer.h"
#include "verifiers/sat/sat_task.h"
#include "verifiers/sat/saturn_check.h"
#include "verifiers/sat/saturn_formula.h"
#include "verifiers/sat/unsat_check.h"
#include "verifiers/sat/unsat_memo.h"

namespace arbiter::sat {
namespace {

UnsatCheck SolveOnce(const PreparedSat& task, UnsatMemo& memo, const sdk::VerifyContext& ctx) {
  absl::MutexLock lock(&task.unsat_mu);
  if (task.unsat_result.has_value()) return *task.unsat_result;
  const FormulaDigest digest = DigestOf(task.cnf);
  std::optional<UnsatCheck> check = memo.Lookup(digest, task.unsat_budget);
  if (!check.has_value()) {
    check = CheckUnsatClaim(task.cnf, task.unsat_budget, ctx);
    memo.Insert(digest, task.unsat_budget, *check);
  }
  // A result cut short by this call's deadline is not the group's answer: a later claim (with
  // time left) tries again.
  if (check->result != UnsatCheck::Result::kUnknown || check->budget_exhausted) {
    task.unsat_result = check;
  }
  return *check;
}

absl::Status PrepareSaturn(const v1::SatTask& task, PreparedSat& prepared) {
  absl::StatusOr<SaturnFormula> formula = ParseSaturnFormula(task.formula());
  if (!formula.ok()) return formula.status();
  prepared.saturn = *std::move(formula);
  const int k = task.k() == 0 ? prepared.saturn.max_var : task.k();
  if (k > kMaxSaturnVars) {
    return absl::InvalidArgumentError(
        absl::StrCat("sat: k = ", k, " exceeds 26, the number of variables A..Z"));
  }
  if (k < prepared.saturn.max_var) {
    return absl::InvalidArgumentError(
        absl::StrCat("sat: k = ", k, " but the formula uses variable ",
                     std::string(1, static_cast<char>('A' + prepared.saturn.max_var - 1))));
  }
  prepared.k = k;
  return absl::OkStatus();
}

absl::Status PrepareDimacs(const v1::SatTask& task, PreparedSat& prepared) {
  if (task.mode() == v1::SatTask::MODE_COMPAT) {
    return absl::InvalidArgumentError(
        "sat: mode compat reproduces Saturn's reward function and applies to Saturn formulas "
        "only; use strict for DIMACS");
  }
  absl::StatusOr<CnfFormula> formula = ParseDimacs(task.formula());
  if (!formula.ok()) return formula.status();
  prepared.cnf = *std::move(formula);
  if (task.k() != 0 && task.k() != prepared.cnf.num_vars) {
    return absl::InvalidArgumentError(absl::StrCat("sat: k = ", task.k(),
                                                   " disagrees with the DIMACS header's ",
                                                   prepared.cnf.num_vars, " variables"));
  }
  prepared.k = static_cast<int>(prepared.cnf.num_vars);
  return absl::OkStatus();
}

v1::SampleResult Verdict(v1::Outcome outcome, double score) {
  v1::SampleResult result;
  result.set_outcome(outcome);
  result.set_score(score);
  return result;
}

v1::SampleResult CheckSaturn(const PreparedSat& task, std::string_view capture) {
  const SaturnVerdict verdict = task.compat ? CheckSaturnCompat(task.saturn, task.k, capture)
                                            : CheckSaturnStrict(task.saturn, task.k, capture);
  v1::SampleResult result =
      verdict.satisfied ? Verdict(v1::CORRECT, 1.0) : Verdict(v1::INCORRECT, 0.0);
  v1::SatDetail* detail = result.mutable_sat();
  detail->set_format_ok(verdict.format_ok);
  detail->set_unsatisfied_clauses(verdict.unsatisfied);
  if (verdict.assignment_size > 0)
    detail->set_assignment(verdict.assignment, verdict.assignment_size);
  if (!verdict.format_ok) {
    result.set_message(absl::StrCat("answer is not a ", task.k, "-character 0/1 string"));
  }
  return result;
}

v1::SampleResult CheckUnsat(const PreparedSat& task, UnsatMemo& memo,
                            const sdk::VerifyContext& ctx) {
  const UnsatCheck check = SolveOnce(task, memo, ctx);
  v1::SampleResult result;
  switch (check.result) {
    case UnsatCheck::Result::kUnsat:
      result = Verdict(v1::CORRECT, 1.0);
      result.mutable_sat()->set_unsat_check("unsat");
      break;
    case UnsatCheck::Result::kSat:
      result = Verdict(v1::INCORRECT, 0.0);
      result.set_message("the formula is satisfiable");
      result.mutable_sat()->set_unsat_check("sat");
      break;
    case UnsatCheck::Result::kUnknown:
      // Undecided within the task's budget: scored as a wrong answer (0), never masked. Were it
      // INFRA_ERROR (advantage 0) while a wrong assignment earns a negative advantage, a policy
      // would learn to claim UNSAT on every hard satisfiable formula. Only a claim cut short by
      // the call's deadline or cancellation is INFRA_ERROR: that is the server's trouble.
      result = check.budget_exhausted ? Verdict(v1::INCORRECT, 0.0) : Verdict(v1::INFRA_ERROR, 0.0);
      result.set_message(
          check.budget_exhausted
              ? absl::StrCat(check.message, ": an unverified UNSAT claim scores as a wrong answer")
              : check.message);
      result.mutable_sat()->set_unsat_check("unknown");
      break;
  }
  result.mutable_sat()->set_format_ok(true);
  result.mutable_sat()->set_claimed_unsat(true);
  return result;
}

v1::SampleResult CheckDimacs(const PreparedSat& task, std::string_view capture, UnsatMemo& memo,
                             const sdk::VerifyContext& ctx) {
  DimacsAnswer answer = ParseDimacsAnswer(task.cnf, capture);
  switch (answer.kind) {
    case DimacsAnswer::Kind::kUnsat:
      return CheckUnsat(task, memo, ctx);
    case DimacsAnswer::Kind::kMalformed: {
      v1::SampleResult result = Verdict(v1::INCORRECT, 0.0);
      result.set_message(std::move(answer.error));
      result.mutable_sat()->set_format_ok(false);
      return result;
    }
    case DimacsAnswer::Kind::kAssignment:
      break;
  }
  const int64_t unsatisfied = CountUnsatisfied(task.cnf, answer.values);
  v1::SampleResult result =
      unsatisfied == 0 ? Verdict(v1::CORRECT, 1.0) : Verdict(v1::INCORRECT, 0.0);
  v1::SatDetail* detail = result.mutable_sat();
  detail->set_format_ok(true);
  detail->set_unsatisfied_clauses(static_cast<int32_t>(std::min<int64_t>(unsatisfied, INT32_MAX)));
  detail->set_assignment(std::move(answer.rendered));
  return result;
}

}  // namespace

v1::VerifierInfo SatVerifier::Info() const {
  v1::VerifierInfo info;
  info.set_name("sat");
  info.set_version("2");  // 2: an UNSAT claim undecided within its budget is INCORRECT
  info.set_description(
      "SATURN SAT checker: the last \\boxed{} answer against a CNF formula (Saturn encoding or "
      "DIMACS). Score 1 satisfying, 0 wrong, -1 no box. Modes strict (paper) and compat "
      "(Saturn's reward_func.py); DIMACS UNSAT claims checked with CaDiCaL.");
  info.set_defaults_json(absl::StrCat(R"({"mode":"strict","format":"auto","unsat_budget_ms":)",
                                      kDefaultUnsatBudgetMs, R"(,"max_unsat_budget_ms":)",
                                      kMaxUnsatBudgetMs, "}"));
  info.set_ground_truth_formats(
      "Saturn clause string (\"!A!BC & A!BD\"); DIMACS CNF text; or a JSON object with Saturn's "
      "row fields {\"clause\": ..., \"k\": ...} and optional \"mode\" (strict|compat), "
      "\"format\" (saturn|dimacs|auto), \"unsat_budget_ms\"");
  return info;
}

absl::StatusOr<std::unique_ptr<const PreparedSat>> SatVerifier::PrepareTask(
    const v1::Task& task) const {
  absl::StatusOr<v1::SatTask> sat = ResolveSatTask(task);
  if (!sat.ok()) return sat.status();
  auto prepared = std::make_unique<PreparedSat>();
  prepared->compat = sat->mode() == v1::SatTask::MODE_COMPAT;
  prepared->unsat_budget = absl::Milliseconds(sat->unsat_budget_ms());
  if (sat->mode() != v1::SatTask::MODE_STRICT && sat->mode() != v1::SatTask::MODE_COMPAT) {
    return absl::InvalidArgumentError(absl::StrCat("sat: unknown mode ", sat->mode()));
  }
  absl::Status status;
  if (sat->format() == v1::SatTask::FORMAT_SATURN) {
    status = PrepareSaturn(*sat, *prepared);
  } else if (sat->format() == v1::SatTask::FORMAT_DIMACS) {
    prepared->dimacs = true;
    status = PrepareDimacs(*sat, *prepared);
  } else {
    return absl::InvalidArgumentError(absl::StrCat("sat: unknown format ", sat->format()));
  }
  if (!status.ok()) return status;
  return std::unique_ptr<const PreparedSat>(std::move(prepared));
}

v1::SampleResult SatVerifier::CheckSample(const PreparedSat& prepared, const v1::Sample& sample,
                                          const sdk::VerifyContext& ctx) const {
  const std::optional<std::string_view> capture = LastBoxed(sample.completion());
  if (!capture.has_value()) {
    v1::SampleResult result = Verdict(v1::NO_ANSWER, -1.0);
    result.mutable_sat()->set_format_ok(false);
    return result;
  }
  return prepared.dimacs ? CheckDimacs(prepared, *capture, unsat_memo_, ctx)
                         : CheckSaturn(prepared, *capture);
}

}  // namespace arbiter::sat
