// Fuzz target: the compat scanners (format check, after-think split, box matching, the six
// extraction rules) on arbitrary bytes, as completion and as gold text. Must never crash; the
// score is one of BeamPERL's four values. The corpus in fuzz_corpus/compat/ replays in ctest.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <vector>

#include "verifiers/beam/compat.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  std::vector<double> gold;
  arbiter::beam::ExtractCoefficients(text, /*gold=*/true, &gold);
  const std::vector<double> fixed_gold = {0.25, 0.75};
  const arbiter::beam::CompatResult r =
      arbiter::beam::ScoreCompat(text, fixed_gold, arbiter::beam::CompatOptions());
  const double s = r.score;
  if (s != 0.0 && std::fabs(s - 0.333) > 1e-12 && std::fabs(s - 0.667) > 1e-12 &&
      std::fabs(s - 1.0) > 1e-12) {
    std::abort();
  }
  if (r.format_ok && !r.has_box) std::abort();
  return 0;
}
