// ParseJsonSubset against nlohmann::json::parse on a per-sample slime body (2.3 KB, the shape
// `arbiter bench --transport=slime --workload=sat` sends).
#include <string>

#include "benchmark/benchmark.h"
#include "nlohmann/json.hpp"
#include "server/http/json_subset.h"

namespace arbiter::server::http {
namespace {

std::string SlimeBody() {
  std::string completion = "[8000000000000000:00000]\n";
  while (completion.size() < 2048) {
    completion +=
        "Consider the 3-SAT formula over 5 variables step by step; check each condition. ";
  }
  completion += "\n**Final Answer**\n\\boxed{11000}";
  return nlohmann::json{
      {"prompt",
       "<|im_start|>user\nSolve the task; put the final answer in \\boxed{}.<|im_end|>\n"
       "<|im_start|>assistant\n"},
      {"response", completion},
      {"label", "!A!B!C & !A!C!E & !A!CE & !ABE & !BC!E & !CDE & A!B!D & A!B!E & A!C!D & A!CE"}}
      .dump();
}

void BM_ParseSlimeBodyNlohmann(benchmark::State& state) {
  const std::string body = SlimeBody();
  for (auto _ : state) benchmark::DoNotOptimize(nlohmann::json::parse(body));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * body.size()));
}
BENCHMARK(BM_ParseSlimeBodyNlohmann);

void BM_ParseSlimeBodySubset(benchmark::State& state) {
  const std::string body = SlimeBody();
  if (!ParseJsonSubset(body, 128)) state.SkipWithError("the body is outside the subset");
  for (auto _ : state) benchmark::DoNotOptimize(ParseJsonSubset(body, 128));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * body.size()));
}
BENCHMARK(BM_ParseSlimeBodySubset);

}  // namespace
}  // namespace arbiter::server::http
BENCHMARK_MAIN();
