// Fuzz target: Prepare() over an arbitrary ground_truth string (Saturn clause string, DIMACS or
// JSON row). It must return OK or INVALID_ARGUMENT, never crash or throw. Aborts otherwise.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "verifiers/sat/sat_verifier.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const arbiter::sat::SatVerifier* verifier = new arbiter::sat::SatVerifier();
  arbiter::v1::Task task;
  task.set_verifier("sat");
  task.set_ground_truth(std::string(reinterpret_cast<const char*>(data), size));
  auto prepared = verifier->Prepare(task);
  if (!prepared.ok() && prepared.status().code() != absl::StatusCode::kInvalidArgument) {
    std::abort();
  }
  return 0;
}
