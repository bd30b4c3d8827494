// Fuzz target: the DIMACS parser and the DIMACS answer parser over arbitrary bytes. Invariants
// checked on success: clause offsets are monotone, literals are dense ids in range, variables lie
// in 1..V; the answer parser never fails on any capture. Aborts on violation.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "verifiers/sat/dimacs.h"
#include "verifiers/sat/dimacs_answer.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  absl::StatusOr<arbiter::sat::CnfFormula> cnf = arbiter::sat::ParseDimacs(text);
  if (!cnf.ok()) {
    if (cnf.status().code() != absl::StatusCode::kInvalidArgument) std::abort();
    return 0;
  }
  if (cnf->start.empty() || cnf->start.front() != 0 || cnf->start.back() != cnf->lits.size()) {
    std::abort();
  }
  for (size_t i = 1; i < cnf->start.size(); ++i) {
    if (cnf->start[i] < cnf->start[i - 1]) std::abort();
  }
  for (uint32_t lit : cnf->lits) {
    if ((lit >> 1) >= cnf->dense_to_var.size()) std::abort();
  }
  for (int32_t var : cnf->dense_to_var) {
    if (var < 1 || var > cnf->num_vars) std::abort();
  }
  // The same bytes as an answer to the parsed formula: any verdict, never a crash.
  const arbiter::sat::DimacsAnswer answer = arbiter::sat::ParseDimacsAnswer(*cnf, text);
  if (answer.kind == arbiter::sat::DimacsAnswer::Kind::kAssignment) {
    if (answer.values.size() != cnf->dense_to_var.size()) std::abort();
    if (arbiter::sat::CountUnsatisfied(*cnf, answer.values) < 0) std::abort();
  }
  return 0;
}
