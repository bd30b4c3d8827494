#include "verifiers/math/math_verify_grader.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "verifiers/math/extract.h"
#include "verifiers/math/latex_parser.h"

namespace arbiter::math {
namespace {

Expr Percent(Expr e) {
  return MakeNode(Op::kMul,
                  {std::move(e), MakeNode(Op::kPow, {MakeNumber("100"), MakeNumber("-1")})});
}

absl::StatusOr<Expr> ParseCandidate(const Candidate& c) {
  if (c.parts.size() > 1) {
    // Math-Verify: all parts parse -> one finite set (sets flattened); otherwise the first part.
    std::vector<Expr> elements;
    for (const std::string& part : c.parts) {
      absl::StatusOr<Expr> e = ParseAnswer(part);
      if (!e.ok()) {
        elements.clear();
        break;
      }
      if (e->op == Op::kSet || (e->op == Op::kTuple && e->text == "bare")) {
        for (Expr& x : e->args) elements.push_back(std::move(x));
      } else {
        elements.push_back(*std::move(e));
      }
    }
    if (!elements.empty()) return MakeNode(Op::kSet, std::move(elements));
    return ParseAnswer(c.parts[0]);
  }
  absl::StatusOr<Expr> e = ParseAnswer(c.text);
  if (e.ok() && c.percent && IsScalar(*e)) return Percent(*std::move(e));
  return e;
}

// Compares `pred` with each gold in turn: CORRECT at the first match, else INCORRECT with the
// first gold's normal form (and the matching gold's, method and cap when one matches).
void GradeAgainstGolds(const Expr& pred, const std::vector<ParsedGold>& golds,
                       const CompareOptions& options, Budget& budget, MathGrade& g) {
  g.normalized_prediction = ToString(pred);
  g.verdict = MathGrade::Verdict::kIncorrect;
  for (const ParsedGold& gold : golds) {
    const Comparison c = Compare(gold.expr, pred, options, budget);
    if (g.normalized_gold.empty() || c.equal) {
      g.normalized_gold = ToString(gold.expr);
      g.method = c.method;
      g.capped = c.capped;
    }
    if (c.equal) {
      g.verdict = MathGrade::Verdict::kCorrect;
      return;
    }
  }
}

}  // namespace

absl::StatusOr<ParsedGold> ParseGold(absl::string_view gold) {
  const absl::string_view trimmed = absl::StripAsciiWhitespace(gold);
  if (trimmed.empty()) return absl::InvalidArgumentError("math: the gold answer is empty");
  if (HasMathDelimiters(trimmed)) {
    for (const Candidate& c : FindCandidates(trimmed)) {
      absl::StatusOr<Expr> e = ParseCandidate(c);
      if (e.ok()) return ParsedGold{std::string(trimmed), *std::move(e)};
    }
  } else {
    absl::StatusOr<Expr> e = ParseAnswer(trimmed);
    if (e.ok()) return ParsedGold{std::string(trimmed), *std::move(e)};
    return absl::InvalidArgumentError(absl::StrCat("math: cannot parse the gold answer \"", trimmed,
                                                   "\": ", e.status().message()));
  }
  return absl::InvalidArgumentError(
      absl::StrCat("math: cannot parse the gold answer \"", trimmed, "\""));
}

MathGrade GradeParsed(absl::string_view answer, const std::vector<ParsedGold>& golds,
                      const CompareOptions& options, Budget& budget) {
  MathGrade g;
  g.extracted = std::string(answer);
  absl::StatusOr<Expr> pred = ParseAnswer(answer);
  if (!pred.ok()) {
    g.verdict = MathGrade::Verdict::kIncorrect;
    g.method = std::string(pred.status().message());
    g.capped = pred.status().code() == absl::StatusCode::kResourceExhausted;
    return g;
  }
  GradeAgainstGolds(*pred, golds, options, budget, g);
  return g;
}

MathGrade GradeMathVerify(absl::string_view completion, const std::vector<ParsedGold>& golds,
                          const CompareOptions& options, Budget& budget) {
  const std::vector<Candidate> candidates = FindCandidates(completion);
  MathGrade g;
  std::string cap_message;
  for (const Candidate& c : candidates) {
    if (!budget.Step()) break;
    absl::StatusOr<Expr> pred = ParseCandidate(c);
    if (!pred.ok()) {
      if (pred.status().code() == absl::StatusCode::kResourceExhausted && cap_message.empty()) {
        cap_message = std::string(pred.status().message());
      }
      continue;
    }
    g.extracted = c.text;
    GradeAgainstGolds(*pred, golds, options, budget, g);
    return g;
  }
  if (!golds.empty()) g.normalized_gold = ToString(golds[0].expr);
  if (!cap_message.empty()) {
    g.verdict = MathGrade::Verdict::kIncorrect;
    g.method = cap_message;
    g.capped = true;
    return g;
  }
  if (!candidates.empty()) {
    // Nothing parsed: Math-Verify falls back to the first match as a string.
    g.extracted = candidates.front().text;
    for (const ParsedGold& gold : golds) {
      if (absl::StripAsciiWhitespace(g.extracted) == absl::StripAsciiWhitespace(gold.raw)) {
        g.verdict = MathGrade::Verdict::kCorrect;
        g.method = "string";
        return g;
      }
    }
    g.verdict = MathGrade::Verdict::kIncorrect;
    g.method = budget.Exceeded() ? "cap: cpu budget" : "unparsable answer";
    g.capped = budget.Exceeded();
    return g;
  }
  g.method = "no answer found";
  return g;
}

}  // namespace arbiter::math
