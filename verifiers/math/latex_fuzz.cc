// Fuzz target: the LaTeX parser and the comparison over arbitrary answers. Parsing never
// crashes; a parsed answer compares equal to itself unless a cap decided or it is undefined
// (`1/0`; reflexivity), and comparing it with a fixed gold terminates within the budget. Aborts
// on violation.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "absl/strings/match.h"
#include "verifiers/math/compare.h"
#include "verifiers/math/latex_parser.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  absl::StatusOr<arbiter::math::Expr> e = arbiter::math::ParseAnswer(text);
  if (!e.ok()) return 0;
  static const arbiter::math::Expr* gold =
      new arbiter::math::Expr(*arbiter::math::ParseAnswer(R"(x^2 - 1)"));
  arbiter::math::Budget budget(absl::Seconds(1), nullptr);
  const arbiter::math::Comparison self = arbiter::math::Compare(*e, *e, {}, budget);
  if (!self.equal && !self.capped && !absl::StrContains(self.method, "GiNaC") &&
      !absl::StartsWith(self.method, "undefined") && self.method != "undecided" &&
      self.method != "numeric" && self.method != "structure") {
    std::abort();
  }
  arbiter::math::Budget budget2(absl::Seconds(1), nullptr);
  (void)arbiter::math::Compare(*gold, *e, {}, budget2);
  return 0;
}
