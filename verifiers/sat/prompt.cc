#include "verifiers/sat/prompt.h"

#include "absl/strings/str_cat.h"
#include "verifiers/sat/internal/text.h"

namespace arbiter::sat {
namespace {

// Copied unchanged from the `prompt` field of Saturn's data rows (Saturn-code, Apache-2.0).
constexpr std::string_view kPrefix =
    R"PROMPT(You are now required to solve a SAT (Boolean Satisfiability) problem. The problem is provided in JSON format, containing the following fields:

- "n_sat": The number of variables in each clause (n-SAT problem).
- "k": The total number of distinct variables in the problem.
- "clause": A string representation of the SAT formula, where clauses are separated by " & " (representing logical AND). Within each clause, variables are combined using concatenation (representing logical OR). A negation is indicated by "!" before a variable.

Your task is to provide a valid solution. The answer is a string of length k representing the truth values of the variables in order (1 for true, 0 for false). If there are multiple solutions, provide any one of them.
Please reason step by step, and put your final answer within \boxed{}.

**Example**
{"n_sat": 3, "k": 4, "clause": "!B!C!D & A!B!D & AB!D"}
**Final Answer**
\boxed{1101}

Below is the SAT problem you need to solve:
)PROMPT";

}  // namespace

std::string_view SaturnPromptPrefix() { return kPrefix; }

std::string SaturnPrompt(int n, int k, std::string_view clause) {
  return absl::StrCat(internal::ToAbsl(kPrefix), "{\"n_sat\": ", n, ", \"k\": ", k,
                      R"(, "clause": ")", internal::ToAbsl(clause), "\"}\n");
}

}  // namespace arbiter::sat
