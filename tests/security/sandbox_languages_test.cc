// The attack classes that apply to every language (fork bomb, memory bomb, output flood, file
// writes, network), run by one program per compiled or exec'd language (programs/: stdin names
// the attack). One session per language, compiled once: each attack is followed by a probe test
// that must see a clean sandbox (the supervisor, the forker and itself in /proc; empty work
// directory and /dev/shm), and the session must leave nothing behind. Python's own rows are in
// sandbox_isolation_test.cc and sandbox_escape_test.cc. A language whose toolchain is not
// installed skips with the reason.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "verifiers/code/sandbox/sandbox_test_util.h"

namespace arbiter::code {
namespace {

using Status = RawRun::Status;
using testing::LeakCheck;

struct LanguageCase {
  Language language;
  std::string file;  // under tests/security/programs
};

std::string ReadProgram(const std::string& file) {
  const char* root = std::getenv("ARBITER_SOURCE_DIR");
  std::ifstream in(std::string(root ? root : ".") + "/tests/security/programs/" + file);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// A loopback listener on the host: a sandbox that reaches it has network.
class Listener {
 public:
  Listener() : fd_(socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) {
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    if (fd_ >= 0 && bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
        listen(fd_, 8) == 0 && getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
      port_ = ntohs(addr.sin_port);
    }
  }
  ~Listener() {
    if (fd_ >= 0) close(fd_);
  }
  int port() const { return port_; }

 private:
  int fd_;
  int port_ = 0;
};

class LanguageIsolation : public ::testing::TestWithParam<LanguageCase> {};

TEST_P(LanguageIsolation, AttacksAreContainedAndLeaveNothingBehind) {
  const LanguageCase& c = GetParam();
  ARBITER_REQUIRE_SANDBOX(runner);
  if (absl::Status can = runner->CanRun(c.language); !can.ok()) GTEST_SKIP() << can;
  Listener listener;
  ASSERT_GT(listener.port(), 0);
  const std::vector<std::string> attacks = {"memory", "flood", "files",
                                            "net " + std::to_string(listener.port()), "fork"};
  SessionRequest request;
  request.language = c.language;
  request.program = ReadProgram(c.file);
  ASSERT_FALSE(request.program.empty()) << c.file;
  for (const std::string& attack : attacks) {
    request.tests.emplace_back().stdin_data = attack;
    request.tests.emplace_back().stdin_data = "probe";
  }
  request.limits.cpu = absl::Seconds(2);
  request.limits.wall = absl::Seconds(4);
  request.limits.memory_bytes = int64_t{256} << 20;
  LeakCheck leaks;
  auto result = runner->RunSession(request, sdk::VerifyContext{}, nullptr);
  ASSERT_TRUE(result.ok()) << result.status();
  ASSERT_TRUE(result->compiled) << result->compile_output;
  EXPECT_EQ(leaks.Leftovers(), "");
  const auto& t = result->tests;
  for (size_t i = 0; i < attacks.size(); ++i) {
    const RawRun& probe = t[2 * i + 1];
    EXPECT_EQ(probe.status, Status::kExited) << "after " << attacks[i] << ": " << probe.stderr_data;
    EXPECT_EQ(probe.stdout_data, "3 0 0\n") << "after " << attacks[i] << ": " << probe.stderr_data;
  }
  // Memory bomb: C has no runtime to say "out of memory" (malloc returns NULL, it aborts).
  const std::set<Status> memory_verdicts =
      c.language == Language::kC ? std::set<Status>{Status::kMemoryLimit, Status::kSignaled}
                                 : std::set<Status>{Status::kMemoryLimit};
  EXPECT_EQ(memory_verdicts.count(t[0].status), 1u)
      << static_cast<int>(t[0].status) << ": " << t[0].stderr_data.substr(0, 500);
  EXPECT_EQ(t[2].status, Status::kOutputLimit) << t[2].stderr_data.substr(0, 500);
  EXPECT_EQ(t[4].status, Status::kExited) << t[4].stderr_data;
  EXPECT_EQ(t[4].stdout_data, "refused 5\n") << t[4].stderr_data;
  EXPECT_EQ(t[6].status, Status::kExited) << t[6].stderr_data;
  EXPECT_EQ(t[6].stdout_data, "blocked blocked\n") << t[6].stderr_data;
  // Fork bomb: stopped by a limit (which one depends on who runs out first), never finishing
  // normally. A runtime that cannot start a thread once the process limit is reached gives up
  // by itself (Go prints "pthread_create failed: Resource temporarily unavailable" and exits 2):
  // that too is the limit at work. The probe after it checks that nothing was left behind.
  const std::set<Status> limits = {Status::kWallTimeLimit, Status::kCpuTimeLimit,
                                   Status::kMemoryLimit, Status::kSignaled};
  const bool runtime_gave_up = t[8].status == Status::kExited && t[8].exit_code != 0;
  EXPECT_TRUE(limits.count(t[8].status) == 1 || runtime_gave_up)
      << static_cast<int>(t[8].status) << " exit " << t[8].exit_code << ": "
      << t[8].stderr_data.substr(0, 500);
}

INSTANTIATE_TEST_SUITE_P(Security, LanguageIsolation,
                         ::testing::Values(LanguageCase{Language::kC, "attacks.c"},
                                           LanguageCase{Language::kCpp, "attacks.c"},
                                           LanguageCase{Language::kGo, "attacks.go"},
                                           LanguageCase{Language::kRust, "attacks.rs"},
                                           LanguageCase{Language::kJava, "Attacks.java"},
                                           LanguageCase{Language::kJavaScript, "attacks.js"}),
                         [](const ::testing::TestParamInfo<LanguageCase>& info) {
                           return std::string(LanguageName(info.param.language));
                         });

}  // namespace
}  // namespace arbiter::code
