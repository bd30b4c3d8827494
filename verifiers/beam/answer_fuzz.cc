// Fuzz target: the whole symbolic answer path on arbitrary bytes (box extraction, splitting,
// label resolution, the LaTeX parser and equivalence checks). Must never crash or hang; every
// score must be finite. The corpus in fuzz_corpus/answer/ replays in ctest.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string_view>

#include "verifiers/beam/internal/beam_builder.h"
#include "verifiers/beam/symbolic_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const arbiter::beam::SymbolicChecker* checker = [] {
    arbiter::beam::internal::BeamBuilder beam("2*L");
    beam.Fixed("0").Hinge("L").Roller("2*L").Force("-P", "3*L/2").Couple("M", "L/2");
    auto created = arbiter::beam::SymbolicChecker::Create(beam.beam(), {}, /*ask_moments=*/true);
    if (!created.ok()) std::abort();
    return created->release();
  }();
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const arbiter::beam::SymbolicVerdict verdict = checker->Check(text);
  if (!std::isfinite(verdict.score)) std::abort();
  return 0;
}
