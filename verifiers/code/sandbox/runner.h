// The OS boundary of the `code` verifier: run one candidate program against a list of test inputs
// inside one sandbox session, and report raw observations. No verdicts are decided here beyond
// resource-limit classification: comparing outputs with expected values is the verifier's job,
// done outside the sandbox, and expected values never enter it.
//
// One session pays sandbox and interpreter start-up once: a trusted harness inside the sandbox
// starts each test in a fresh child process with its own empty work directory, so nothing from
// one test is visible to the next, and nothing from one session to another.
//
// Thread-safety: RunSession may be called concurrently from many threads; the caller (the
// server's sandbox pool) bounds how many run at once.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "verifiers/sdk/verify_context.h"

namespace arbiter::code {

// The languages a session can run. Which of them a given runner can run right now (its
// toolchains are installed) is SandboxRunner::CanRun.
enum class Language { kPython, kCpp, kC, kJava, kJavaScript, kGo, kRust };

// Lower-case name used in messages and in ground_truth wrappers: "python", "cpp", "c", "java",
// "javascript", "go", "rust".
inline absl::string_view LanguageName(Language language) {
  switch (language) {
    case Language::kPython:
      return "python";
    case Language::kCpp:
      return "cpp";
    case Language::kC:
      return "c";
    case Language::kJava:
      return "java";
    case Language::kJavaScript:
      return "javascript";
    case Language::kGo:
      return "go";
    case Language::kRust:
      return "rust";
  }
  return "unknown";
}

// Limits of one test run (each test gets the full budget).
struct RunLimits {
  absl::Duration cpu = absl::Seconds(2);
  absl::Duration wall = absl::Seconds(5);
  int64_t memory_bytes = int64_t{512} << 20;
  int max_processes = 64;
  int max_open_files = 64;
  int64_t max_file_bytes = int64_t{16} << 20;
  int64_t max_stdout_bytes = int64_t{1} << 20;
  int64_t max_stderr_bytes = int64_t{1} << 20;
};

// Python, Java and JavaScript programs can be called with function-call tests (TestInput::fn_name);
// the others only run stdin/stdout tests.
inline bool SupportsFunctionCalls(Language language) {
  return language == Language::kPython || language == Language::kJava ||
         language == Language::kJavaScript;
}

// Python function-call tests run with the imports LeetCode-style solutions assume (`List`,
// `sqrt`, `Counter`, ...; harness/program.py PRELUDE), except functions whose name starts with
// this prefix: the verifier's own entries (assert-style tests, HumanEval/MBPP), which must see the
// program exactly as written, as those datasets' graders run it (a program that uses `sqrt`
// without importing it fails there, so it must fail here).
inline constexpr char kPlainCallPrefix[] = "__arbiter_";

struct TestInput {
  // stdin of the test (stdin/stdout tests).
  std::string stdin_data;
  // Call-based tests: the function to call and its positional arguments as a JSON array.
  // Empty fn_name = stdin/stdout test.
  std::string fn_name;
  std::string args_json;
  // APPS's grader (and TACO's) turns the string keys of a first dict argument into ints ("JSON
  // forces dictionaries to have string keys; this undoes this (assuming a singleton list)") and
  // then calls with that dict alone; the keys stay strings when one is not an int. Set for
  // COMPARE_APPS call tests; the Python harness honours it (other languages get JSON's keys).
  bool apps_int_keys = false;
};

// What happened to one test run.
struct RawRun {
  enum class Status {
    kExited,         // the process exited by itself; see exit_code
    kSignaled,       // killed by a signal it raised or received (not our limit); see signal
    kCpuTimeLimit,   // exceeded RunLimits::cpu
    kWallTimeLimit,  // exceeded RunLimits::wall
    kMemoryLimit,    // exceeded RunLimits::memory_bytes (OOM, failed allocation detected)
    kOutputLimit,    // wrote more than max_stdout_bytes
    kNotRun,         // skipped (stop requested by the caller's callback, or cancelled)
  };
  Status status = Status::kNotRun;
  int exit_code = 0;
  int signal = 0;
  std::string stdout_data;
  std::string stderr_data;  // truncated to max_stderr_bytes
  // Call-based tests: the returned value serialised as JSON by the harness, outside the
  // candidate's reach (see the harness design in README); empty if the call did not return.
  std::string return_json;
  // Python call-based tests: what JSON cannot carry of the returned value (tuple vs list,
  // non-string dict keys), for graders whose `==` sees it. "exact" when json.loads(return_json)
  // == the value; else the value tagged: containers ["tuple"|"list"|"dict", items] (dict items
  // are [key, value] pairs), scalars as themselves. Empty: unknown (other languages), JSON decides.
  std::string python_types;
  // Call-based tests: the call raised (exception type and message), or the candidate exited.
  std::string error;
  // Python call-based tests: the call returned a value that no JSON value equals under Python's
  // `==` (a set, a generator, an object of the program's own class, a NaN), so it equals no
  // expected value; what it was, for the message. Empty otherwise (and return_json is then set).
  std::string unequal;
  absl::Duration cpu_time;
  absl::Duration wall_time;
  int64_t peak_memory_bytes = 0;
};

// How the tests of one session are run (README "Execution modes"). Either way each test gets its
// own stdio, empty work directory, limits and verdict, and expected values never enter.
enum class ExecutionMode {
  // A fresh process per test: nothing of one test can reach the next.
  kFreshProcess,
  // Python: one process runs the session's tests one after another (each in a fresh global
  // namespace), as APPS's and LiveCodeBench's graders do; what the interpreter keeps between
  // tests (imported modules and their state) is kept. A test that ends or damages the process
  // makes a fresh one run the rest. Other languages run as kFreshProcess.
  kPerCompletion,
};

struct SessionRequest {
  Language language = Language::kPython;
  std::string program;  // source code
  std::vector<TestInput> tests;
  RunLimits limits;
  ExecutionMode mode = ExecutionMode::kFreshProcess;
};

struct SessionResult {
  // C++ only: false when compilation failed; then `tests` are all kNotRun.
  bool compiled = true;
  std::string compile_output;  // compiler diagnostics (truncated)
  std::vector<RawRun> tests;   // one per SessionRequest::tests, same order
};

class SandboxRunner {
 public:
  virtual ~SandboxRunner() = default;

  // Called after each test with its index and raw result; return false to skip the remaining
  // tests (stop-at-first-failure policy). May be empty.
  using TestCallback = std::function<bool(size_t index, const RawRun& run)>;

  // Runs the session. A non-OK status means the infrastructure failed (the sandbox could not be
  // created, the harness died unexpectedly, ...): the caller reports INFRA_ERROR. A candidate that
  // crashes, loops, floods or kills its own test child is NOT an infrastructure failure: that is
  // a RawRun status. Honours ctx: on cancellation or deadline, kills the whole sandbox and returns
  // DEADLINE_EXCEEDED or CANCELLED.
  virtual absl::StatusOr<SessionResult> RunSession(const SessionRequest& request,
                                                   const sdk::VerifyContext& ctx,
                                                   const TestCallback& on_test) const = 0;

  // OK when this runner can run `language`; otherwise FAILED_PRECONDITION naming the language
  // and why (not supported yet, toolchain not installed). The verifier fails a group whose task
  // selects such a language instead of charging its samples. Cheap; thread-safe.
  virtual absl::Status CanRun(Language language) const {
    if (language == Language::kPython || language == Language::kCpp) return absl::OkStatus();
    return absl::FailedPreconditionError(absl::StrCat("code: this server cannot run ",
                                                      LanguageName(language),
                                                      " programs yet (it runs python and cpp)"));
  }
};

}  // namespace arbiter::code
