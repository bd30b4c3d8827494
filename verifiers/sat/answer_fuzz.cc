// Fuzz target: answer extraction and checking over arbitrary completions. The backward scan must
// agree with the regex-engine procedure; the verifier, on a Saturn task in both modes and on a
// DIMACS task, must return a finite score in {-1, 0, 1} consistent with its outcome. Aborts on
// violation. UNSAT claims are checked against a tiny formula, so CaDiCaL returns at once.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>

#include "verifiers/sat/boxed_answer.h"
#include "verifiers/sat/sat_verifier.h"

namespace {

using arbiter::sat::SatVerifier;

std::unique_ptr<const arbiter::sdk::PreparedTask> Prepare(const SatVerifier& verifier,
                                                          const char* formula,
                                                          arbiter::v1::SatTask::Mode mode) {
  arbiter::v1::Task task;
  task.set_verifier("sat");
  task.mutable_sat()->set_formula(formula);
  task.mutable_sat()->set_mode(mode);
  auto prepared = verifier.Prepare(task);
  if (!prepared.ok()) std::abort();
  return *std::move(prepared);
}

void CheckResult(const arbiter::v1::SampleResult& r) {
  switch (r.outcome()) {
    case arbiter::v1::CORRECT:
      if (r.score() != 1.0) std::abort();
      break;
    case arbiter::v1::INCORRECT:
    case arbiter::v1::INFRA_ERROR:
      if (r.score() != 0.0) std::abort();
      break;
    case arbiter::v1::NO_ANSWER:
      if (r.score() != -1.0) std::abort();
      break;
    default:
      std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const SatVerifier* verifier = new SatVerifier();
  static const auto* strict =
      Prepare(*verifier, "!A!BC & A!BD & AB!C & BCD", arbiter::v1::SatTask::MODE_STRICT).release();
  static const auto* compat =
      Prepare(*verifier, "!A!BC & A!BD & AB!C & BCD", arbiter::v1::SatTask::MODE_COMPAT).release();
  static const auto* dimacs =
      Prepare(*verifier, "p cnf 3 2\n1 -3 0\n2 3 -1 0\n", arbiter::v1::SatTask::MODE_STRICT)
          .release();
  const std::string text(reinterpret_cast<const char*>(data), size);
  const auto fast = arbiter::sat::LastBoxed(text);
  if (size <= 4096) {  // the reference is quadratic on adversarial inputs
    const auto slow = arbiter::sat::LastBoxedForward(text);
    if (fast.has_value() != slow.has_value()) std::abort();
    if (fast && (fast->data() != slow->data() || fast->size() != slow->size())) std::abort();
  }
  arbiter::v1::Sample sample;
  sample.set_completion(text);
  for (const auto* prepared : {strict, compat, dimacs}) {
    CheckResult(verifier->Check(*prepared, sample, {}));
  }
  return 0;
}
