// Tests per second per language, one warm session of 16 trivial stdin tests (read a number, print
// it plus one), the program compiled once before timing (a cache hit afterwards, as for a group's
// later completions). Python is the baseline measured in the same run; a compiled
// binary costs one exec per test, Java and JavaScript a runtime start per test. A language whose
// toolchain is missing is skipped with the reason.
#include <memory>
#include <string>

#include "benchmark/benchmark.h"
#include "verifiers/code/sandbox/bwrap_runner.h"

namespace arbiter::code {
namespace {

constexpr int kTests = 16;

BwrapRunner* Runner() {
  static const std::unique_ptr<BwrapRunner> runner = [] {
    auto r = BwrapRunner::Create(BwrapOptions());
    return r.ok() ? *std::move(r) : nullptr;
  }();
  return runner.get();
}

std::string PlusOne(Language language) {
  switch (language) {
    case Language::kPython:
      return "print(int(input()) + 1)\n";
    case Language::kC:
      return "#include <stdio.h>\nint main(void) { long n; scanf(\"%ld\", &n); "
             "printf(\"%ld\\n\", n + 1); return 0; }\n";
    case Language::kCpp:
      return "#include <iostream>\nint main() { long n; std::cin >> n; std::cout << n + 1 << "
             "'\\n'; }\n";
    case Language::kGo:
      return "package main\n\nimport \"fmt\"\n\nfunc main() {\n\tvar n int\n\tfmt.Scan(&n)\n"
             "\tfmt.Println(n + 1)\n}\n";
    case Language::kRust:
      return "fn main() {\n    let mut s = String::new();\n    std::io::stdin().read_line(&mut s)"
             ".unwrap();\n    println!(\"{}\", s.trim().parse::<i64>().unwrap() + 1);\n}\n";
    case Language::kJava:
      return "public class Main { public static void main(String[] a) { "
             "System.out.println(new java.util.Scanner(System.in).nextLong() + 1); } }\n";
    case Language::kJavaScript:
      return "console.log(Number(require('fs').readFileSync(0, 'utf8')) + 1);\n";
  }
  return "";
}

void BM_WarmSession(benchmark::State& state, Language language) {
  if (Runner() == nullptr) return state.SkipWithError("sandbox unavailable");
  if (absl::Status can = Runner()->CanRun(language); !can.ok()) {
    return state.SkipWithError(std::string(can.message()).c_str());
  }
  SessionRequest request;
  request.language = language;
  request.program = PlusOne(language);
  request.tests.resize(kTests);
  for (TestInput& t : request.tests) t.stdin_data = "41\n";
  // Untimed: compiles (or finds in the cache) the program, as a group's first completion does.
  if (!Runner()->RunSession(request, sdk::VerifyContext{}, nullptr).ok()) {
    return state.SkipWithError("warm-up session failed");
  }
  for (auto _ : state) {
    auto result = Runner()->RunSession(request, sdk::VerifyContext{}, nullptr);
    if (!result.ok() || !result->compiled || result->tests.back().stdout_data != "42\n") {
      state.SkipWithError(result.ok()
                              ? (result->compile_output + result->tests.back().stderr_data).c_str()
                              : std::string(result.status().message()).c_str());
      break;
    }
  }
  state.SetItemsProcessed(state.iterations() * kTests);
}
BENCHMARK_CAPTURE(BM_WarmSession, python, Language::kPython)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK_CAPTURE(BM_WarmSession, c, Language::kC)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_CAPTURE(BM_WarmSession, cpp, Language::kCpp)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK_CAPTURE(BM_WarmSession, go, Language::kGo)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_CAPTURE(BM_WarmSession, rust, Language::kRust)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK_CAPTURE(BM_WarmSession, java, Language::kJava)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK_CAPTURE(BM_WarmSession, javascript, Language::kJavaScript)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
}  // namespace arbiter::code

BENCHMARK_MAIN();
