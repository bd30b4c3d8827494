// Fuzz target: answer extraction and the whole math_verify check over arbitrary completions.
// Extraction must return candidates that are substrings of the input's scanned tail; the
// verifier must return a defined outcome with a finite score in {0, 1} (default rewards) within
// the item's budget. Aborts on violation.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "verifiers/math/extract.h"
#include "verifiers/math/math_verifier.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const arbiter::math::MathVerifier* verifier = new arbiter::math::MathVerifier();
  static const arbiter::sdk::PreparedTask* prepared = [] {
    arbiter::v1::Task task;
    task.set_ground_truth(R"(\frac{3}{4})");
    return verifier->Prepare(task)->release();
  }();
  const std::string text(reinterpret_cast<const char*>(data), size);
  for (const arbiter::math::Candidate& c : arbiter::math::FindCandidates(text)) {
    if (c.text.size() > text.size()) std::abort();
  }
  arbiter::v1::Sample sample;
  sample.set_completion(text);
  const arbiter::v1::SampleResult r = verifier->Check(*prepared, sample, {});
  if (!std::isfinite(r.score()) || (r.score() != 0.0 && r.score() != 1.0)) std::abort();
  if (r.outcome() == arbiter::v1::OUTCOME_UNSPECIFIED) std::abort();
  if ((r.outcome() == arbiter::v1::CORRECT) != (r.score() == 1.0)) std::abort();
  return 0;
}
