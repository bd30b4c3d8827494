// Fuzz target: task preparation over an arbitrary ground_truth string (APPS/TACO, LiveCodeBench,
// wrappers, JSON inside JSON). It must return OK or INVALID_ARGUMENT and never crash or throw;
// every prepared call-based test's expected value must compare equal to itself unless it holds
// a NaN. Aborts otherwise.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "absl/strings/match.h"
#include "verifiers/code/compare.h"
#include "verifiers/code/task.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  arbiter::v1::Task task;
  task.set_ground_truth(std::string(reinterpret_cast<const char*>(data), size));
  const arbiter::code::RunLimits limits;
  auto prepared = arbiter::code::PrepareCodeTask(task, limits, limits);
  if (!prepared.ok()) {
    if (prepared.status().code() != absl::StatusCode::kInvalidArgument) std::abort();
    return 0;
  }
  const auto& p = **prepared;
  if (p.inputs.size() != p.expected_json.size() || p.inputs.empty()) std::abort();
  for (const nlohmann::json& expected : p.expected_json) {
    if (!arbiter::code::JsonEqual(expected, expected, 0) &&
        !absl::StrContains(expected.dump(), "NaN")) {
      std::abort();
    }
  }
  return 0;
}
