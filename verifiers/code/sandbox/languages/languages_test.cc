// Every language of the toolchain table (toolchain.h) end to end through the real sandbox:
// compiled once per distinct program and cached, stdin/stdout tests, compile errors as data,
// and function-call tests for Java and JavaScript. A language whose toolchain is not installed
// here skips with the reason (the Debian package to install).
#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "gtest/gtest.h"
#include "verifiers/code/sandbox/bwrap_runner.h"
#include "verifiers/code/sandbox/sandbox_test_util.h"

namespace arbiter::code {
namespace {

using Status = RawRun::Status;

struct LanguageCase {
  Language language;
  std::string sum_program;     // reads two integers, prints their sum
  std::string broken_program;  // does not compile
  std::string diagnostic;      // a fragment of the compiler's message for it
};

std::vector<LanguageCase> Cases() {
  return {
      {Language::kC,
       "#include <stdio.h>\nint main(void) { long a, b; if (scanf(\"%ld %ld\", &a, &b) != 2) "
       "return 3; printf(\"%ld\\n\", a + b); return 0; }\n",
       "int main(void) { return undefined_name; }\n", "undefined_name"},
      {Language::kCpp,
       "#include <bits/stdc++.h>\nint main() { long long a, b; std::cin >> a >> b; "
       "std::cout << a + b << \"\\n\"; }\n",
       "int main() { return undefined_name; }\n", "undefined_name"},
      {Language::kGo,
       "package main\n\nimport \"fmt\"\n\nfunc main() {\n\tvar a, b int64\n\tfmt.Scan(&a, &b)\n"
       "\tfmt.Println(a + b)\n}\n",
       "package main\n\nfunc main() { undefinedName() }\n", "undefinedName"},
      {Language::kRust,
       "use std::io::Read;\nfn main() {\n    let mut s = String::new();\n"
       "    std::io::stdin().read_to_string(&mut s).unwrap();\n"
       "    let v: Vec<i64> = s.split_whitespace().map(|x| x.parse().unwrap()).collect();\n"
       "    println!(\"{}\", v[0] + v[1]);\n}\n",
       "fn main() { undefined_name(); }\n", "undefined_name"},
      {Language::kJava,
       "import java.util.*;\n\npublic class Sum {\n  public static void main(String[] args) {\n"
       "    Scanner in = new Scanner(System.in);\n"
       "    System.out.println(in.nextLong() + in.nextLong());\n  }\n}\n",
       "public class Main { public static void main(String[] a) { undefinedName(); } }\n",
       "undefinedName"},
      {Language::kJavaScript,
       "const [a, b] = require('fs').readFileSync(0, 'utf8').trim().split(/\\s+/).map(Number);\n"
       "console.log(a + b);\n",
       "function broken( {\n", "SyntaxError"},
      {Language::kPython, "a, b = map(int, input().split())\nprint(a + b)\n", "", ""},
  };
}

// One runner (so one compile cache) for the whole binary; made on first use.
const absl::StatusOr<std::unique_ptr<BwrapRunner>>& Shared() {
  static const auto* const runner =
      new absl::StatusOr<std::unique_ptr<BwrapRunner>>(testing::MakeRunner());
  return *runner;
}
BwrapRunner& SharedRunner() { return **Shared(); }

// Skips unless the sandbox works and this language's toolchain is installed.
#define ARBITER_REQUIRE_LANGUAGE(language)                                               \
  if (const std::string reason = testing::SandboxUnavailableReason(); !reason.empty()) { \
    GTEST_SKIP() << "sandbox unavailable: " << reason;                                   \
  }                                                                                      \
  ASSERT_TRUE(Shared().ok()) << Shared().status();                                       \
  if (absl::Status can = SharedRunner().CanRun(language); !can.ok()) GTEST_SKIP() << can

absl::StatusOr<SessionResult> RunProgram(Language language, std::string program,
                                         std::vector<TestInput> tests, RunLimits limits = {}) {
  SessionRequest request{language, std::move(program), std::move(tests), limits};
  return SharedRunner().RunSession(request, sdk::VerifyContext{}, nullptr);
}

size_t CachedPrograms() {
  const std::vector<std::string> names = testing::ListDir(testing::TestCacheDir());
  return static_cast<size_t>(std::count_if(names.begin(), names.end(), [](const std::string& n) {
    return n.size() > 4 && n.substr(n.size() - 4) == ".bin";
  }));
}

class Languages : public ::testing::TestWithParam<LanguageCase> {};

TEST_P(Languages, RunsStdinTestsFromOneCompilation) {
  const LanguageCase& c = GetParam();
  ARBITER_REQUIRE_LANGUAGE(c.language);
  std::vector<TestInput> tests(3);
  tests[0].stdin_data = "3 4\n";
  tests[1].stdin_data = "-5 5";
  tests[2].stdin_data = "4000000000 4000000000\n";
  auto first = RunProgram(c.language, c.sum_program, tests);
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_TRUE(first->compiled) << first->compile_output;
  const std::vector<std::string> expected = {"7\n", "0\n", "8000000000\n"};
  for (size_t i = 0; i < tests.size(); ++i) {
    EXPECT_EQ(first->tests[i].status, Status::kExited) << i << ": " << first->tests[i].stderr_data;
    EXPECT_EQ(first->tests[i].exit_code, 0) << i << ": " << first->tests[i].stderr_data;
    EXPECT_EQ(first->tests[i].stdout_data, expected[i]) << i;
  }
  // The same program again is served from the compile cache: no new cached artifact.
  const size_t cached = CachedPrograms();
  auto again = RunProgram(c.language, c.sum_program, {tests[0]});
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->tests[0].stdout_data, "7\n");
  EXPECT_EQ(CachedPrograms(), cached);
}

TEST_P(Languages, CompileErrorIsReportedWithTheCompilersDiagnostics) {
  const LanguageCase& c = GetParam();
  if (c.broken_program.empty()) GTEST_SKIP() << "interpreted without a compile step";
  ARBITER_REQUIRE_LANGUAGE(c.language);
  auto result = RunProgram(c.language, c.broken_program, std::vector<TestInput>(2));
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_FALSE(result->compiled);
  EXPECT_NE(result->compile_output.find(c.diagnostic), std::string::npos) << result->compile_output;
  for (const RawRun& run : result->tests) EXPECT_EQ(run.status, Status::kNotRun);
}

INSTANTIATE_TEST_SUITE_P(All, Languages, ::testing::ValuesIn(Cases()),
                         [](const ::testing::TestParamInfo<LanguageCase>& info) {
                           return std::string(LanguageName(info.param.language));
                         });

TestInput CallTest(std::string fn, std::string args) {
  TestInput t;
  t.fn_name = std::move(fn);
  t.args_json = std::move(args);
  return t;
}

TEST(JavaCalls, CallsSolutionMethodsWithJsonArgumentsAndReturnsJson) {
  ARBITER_REQUIRE_LANGUAGE(Language::kJava);
  const std::string program = R"(import java.util.*;

class Solution {
  public int[] twoSum(int[] nums, int target) {
    Map<Integer, Integer> seen = new HashMap<>();
    for (int i = 0; i < nums.length; i++) {
      Integer j = seen.get(target - nums[i]);
      if (j != null) return new int[] {j, i};
      seen.put(nums[i], i);
    }
    return new int[0];
  }
  public List<List<String>> group(List<String> words, char sep, long scale, double x, boolean up) {
    List<List<String>> out = new ArrayList<>();
    out.add(words);
    out.add(Arrays.asList(String.valueOf(sep), String.valueOf(scale * 2), String.valueOf(x), up ? "Y" : "N"));
    return out;
  }
  public double half(int x) { return x / 2.0; }
  public String fail(String s) { throw new IllegalStateException("bad " + s); }
  public static boolean isEven(int x) { System.out.println("printed"); return x % 2 == 0; }
})";
  auto result = RunProgram(
      Language::kJava, program,
      {CallTest("twoSum", "[[2, 7, 11, 15], 9]"),
       CallTest("group", R"([["a", "b"], "-", 3000000000, 0.25, true])"), CallTest("half", "[3]"),
       CallTest("fail", R"(["x"])"), CallTest("isEven", "[4]"), CallTest("missing", "[]")});
  ASSERT_TRUE(result.ok()) << result.status();
  ASSERT_TRUE(result->compiled) << result->compile_output;
  const auto& t = result->tests;
  EXPECT_EQ(t[0].return_json, "[0,1]") << t[0].stderr_data << t[0].error;
  EXPECT_EQ(t[1].return_json, R"([["a","b"],["-","6000000000","0.25","Y"]])") << t[1].error;
  EXPECT_EQ(t[2].return_json, "1.5");
  EXPECT_EQ(t[3].return_json, "");
  EXPECT_NE(t[3].error.find("IllegalStateException: bad x"), std::string::npos) << t[3].error;
  EXPECT_NE(t[3].exit_code, 0);
  EXPECT_EQ(t[4].return_json, "true");
  EXPECT_EQ(t[4].stdout_data, "printed\n");
  EXPECT_EQ(t[5].return_json, "");
  EXPECT_NE(t[5].error.find("no method missing"), std::string::npos) << t[5].error;
}

TEST(JavaScriptCalls, CallsTopLevelFunctionsAndSolutionMethods) {
  ARBITER_REQUIRE_LANGUAGE(Language::kJavaScript);
  const std::string program = R"(
var twoSum = function(nums, target) {
  const seen = new Map();
  for (let i = 0; i < nums.length; i++) {
    if (seen.has(target - nums[i])) return [seen.get(target - nums[i]), i];
    seen.set(nums[i], i);
  }
  return [];
};
const later = async (x) => ({value: x * 2, ok: true});
function noisy(s) { console.log('printed'); throw new RangeError('bad ' + s); }
class Solution { countBits(n) { return n.toString(2).split('1').length - 1; } }
)";
  auto result = RunProgram(
      Language::kJavaScript, program,
      {CallTest("twoSum", "[[2, 7, 11, 15], 9]"), CallTest("later", "[21]"),
       CallTest("noisy", R"(["x"])"), CallTest("countBits", "[7]"), CallTest("missing", "[]")});
  ASSERT_TRUE(result.ok()) << result.status();
  ASSERT_TRUE(result->compiled) << result->compile_output;
  const auto& t = result->tests;
  EXPECT_EQ(t[0].return_json, "[0,1]") << t[0].stderr_data << t[0].error;
  EXPECT_EQ(t[1].return_json, R"({"value":42,"ok":true})") << t[1].error;
  EXPECT_EQ(t[2].return_json, "");
  EXPECT_EQ(t[2].stdout_data, "printed\n");
  EXPECT_NE(t[2].error.find("RangeError: bad x"), std::string::npos) << t[2].error;
  EXPECT_EQ(t[3].return_json, "3") << t[3].error;
  EXPECT_NE(t[4].error.find("no function named missing"), std::string::npos) << t[4].error;
}

// A program that makes the compiler itself blow up (10^8 initialisers from nested macros: the
// preprocessor and the parser want gigabytes and minutes) is stopped by the compile limits and
// reported as the program's compile error.
TEST(BwrapRunner, CompilerBombIsStoppedByTheCompileLimits) {
  ARBITER_REQUIRE_LANGUAGE(Language::kCpp);
  BwrapOptions options;  // its own private cache directory
  options.compile_cpu = absl::Seconds(1);
  options.compile_wall = absl::Seconds(5);
  options.compile_memory_bytes = int64_t{256} << 20;
  auto runner = BwrapRunner::Create(options);
  ASSERT_TRUE(runner.ok()) << runner.status();
  std::string program = "#define X1 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,\n";
  for (int level = 2; level <= 8; ++level) {
    absl::StrAppend(&program, "#define X", level, " ");
    for (int i = 0; i < 10; ++i) absl::StrAppend(&program, "X", level - 1, " ");
    program += "\n";
  }
  program += "int a[] = {X8};\nint main() { return a[0]; }\n";
  SessionRequest request{Language::kCpp, program, std::vector<TestInput>(1), RunLimits()};
  auto result = (*runner)->RunSession(request, sdk::VerifyContext{}, nullptr);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_FALSE(result->compiled);
  const std::string& out = result->compile_output;
  EXPECT_TRUE(absl::StrContains(out, "memory") || absl::StrContains(out, "time limit") ||
              absl::StrContains(out, "killed by signal"))
      << out;
  EXPECT_EQ(result->tests[0].status, Status::kNotRun);
}

TEST(BwrapRunner, CanRunNamesTheMissingToolchain) {
  if (const std::string reason = testing::SandboxUnavailableReason(); !reason.empty()) {
    GTEST_SKIP() << "sandbox unavailable: " << reason;
  }
  BwrapOptions options;  // its own private cache directory
  options.cxx_path = "/usr/bin/no-such-g++";
  auto runner = BwrapRunner::Create(options);
  ASSERT_TRUE(runner.ok()) << runner.status();
  const absl::Status status = (*runner)->CanRun(Language::kCpp);
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(status.message().find("cpp"), std::string::npos) << status;
  EXPECT_NE(status.message().find("/usr/bin/no-such-g++"), std::string::npos) << status;
  EXPECT_TRUE((*runner)->CanRun(Language::kPython).ok());
}

}  // namespace
}  // namespace arbiter::code
