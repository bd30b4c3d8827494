// Reads JSON Lines {"gold": ..., "completion": ..., "mode": optional} on stdin and writes one
// line per item {"correct": bool, "outcome": "...", "extracted": ..., "us": microseconds} with
// arbiter's verdict. The differential test and the Math-Verify timing comparison drive it.
#include <chrono>
#include <iostream>
#include <string>

#include "nlohmann/json.hpp"
#include "verifiers/math/math.pb.h"
#include "verifiers/math/math_verifier.h"

namespace {

int Run() {
  arbiter::math::MathVerifier verifier;
  std::string line;
  while (std::getline(std::cin, line)) {
    const nlohmann::json in = nlohmann::json::parse(line, nullptr, false);
    nlohmann::json out;
    if (in.is_discarded()) {
      out["error"] = "bad json";
      std::cout << out.dump() << "\n";
      continue;
    }
    arbiter::v1::Task task;
    task.set_ground_truth(in.value("gold", ""));
    task.set_mode(in.value("mode", ""));
    arbiter::v1::Sample sample;
    sample.set_completion(in.value("completion", ""));
    const auto start = std::chrono::steady_clock::now();
    auto prepared = verifier.Prepare(task);
    if (!prepared.ok()) {
      out["error"] = std::string(prepared.status().message());
      out["correct"] = false;
      std::cout << out.dump() << "\n";
      continue;
    }
    const arbiter::v1::SampleResult r = verifier.Check(**prepared, sample, {});
    const auto end = std::chrono::steady_clock::now();
    arbiter::math::v1::MathDetail detail;
    r.extension().UnpackTo(&detail);
    out["correct"] = r.outcome() == arbiter::v1::CORRECT;
    out["outcome"] = arbiter::v1::Outcome_Name(r.outcome());
    out["extracted"] = detail.extracted();
    out["method"] = detail.method();
    out["normalized_prediction"] = detail.normalized_prediction();
    out["normalized_gold"] = detail.normalized_gold();
    out["us"] = std::chrono::duration<double, std::micro>(end - start).count();
    std::cout << out.dump() << "\n";
  }
  return 0;
}

}  // namespace

int main() {
  try {
    return Run();
  } catch (...) {  // e.g. a "gold" that is not a string: nlohmann's value() throws
    std::cerr << "math_oracle_cli: input that is not {gold: str, completion: str, mode: str}\n";
    return 1;
  }
}
