// Escape and integrity attacks: what the candidate can see, reach and forge. Each expects a
// specific observation printed by the program (or a specific status), and no leftovers.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <cstdlib>
#include <map>
#include <set>
#include <string>
#include <thread>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "gtest/gtest.h"
#include "verifiers/code/sandbox/sandbox_test_util.h"

namespace arbiter::code {
namespace {

using Status = RawRun::Status;
using testing::LeakCheck;

RawRun RunOne(const BwrapRunner& runner, const std::string& program,
              const std::string& stdin_data = "") {
  SessionRequest request = testing::Python(program, 1, stdin_data);
  LeakCheck leaks;
  auto result = runner.RunSession(request, sdk::VerifyContext{}, nullptr);
  EXPECT_EQ(leaks.Leftovers(), "") << program;
  EXPECT_TRUE(result.ok()) << result.status();
  return result.ok() ? result->tests[0] : RawRun{};
}

TEST(Security, RootFilesystemIsReadOnly) {
  ARBITER_REQUIRE_SANDBOX(runner);
  // A namespaced uid that maps to host root could rewrite global sysctls (core_pattern is a
  // classic container escape): the host's value must be unchanged afterwards.
  const std::string core_pattern = testing::ReadSmallFile("/proc/sys/kernel/core_pattern");
  RawRun run = RunOne(*runner,
                      "import os\nok = []\n"
                      "for p in ['/x', '/usr/x', '/usr/bin/python3', '/bin/x', '/etc/x', '/dev/x',"
                      " '/proc/sys/kernel/core_pattern', '/sys/kernel/x', '/arbiter/x']:\n"
                      "    try:\n"
                      "        fd = os.open(p, os.O_WRONLY | os.O_CREAT | os.O_APPEND)\n"
                      "        os.write(fd, b'x'); ok.append(p)\n"
                      "    except OSError: pass\n"
                      "print(ok)\n");
  EXPECT_EQ(run.status, Status::kExited) << run.stderr_data;
  EXPECT_EQ(run.stdout_data, "[]\n");
  EXPECT_EQ(testing::ReadSmallFile("/proc/sys/kernel/core_pattern"), core_pattern);
}

// Whether `pid` is a descendant of this test process (test binaries run in parallel, and their
// availability probes start bwrap as root on purpose).
bool DescendsFromThisProcess(const std::string& pid) {
  std::string current = pid;
  for (int depth = 0; depth < 64; ++depth) {
    std::string parent;
    for (absl::string_view line :
         absl::StrSplit(testing::ReadSmallFile("/proc/" + current + "/status"), '\n')) {
      if (absl::ConsumePrefix(&line, "PPid:"))
        parent = std::string(absl::StripAsciiWhitespace(line));
    }
    if (parent == absl::StrCat(getpid())) return true;
    if (parent.empty() || parent == "0" || parent == "1") return false;
    current = parent;
  }
  return false;
}

// Seen from the host, every sandbox process (bwrap outside and inside the new pid namespace, the
// harness, the test) runs as the unprivileged host uid with an empty bounding set, and what bwrap
// runs has no capability at all: the launcher drops them before bwrap starts. As host root,
// host-root-owned kernel files would be writable.
TEST(Security, SandboxProcessesRunAsAnUnprivilegedHostUser) {
  ARBITER_REQUIRE_SANDBOX(runner);
  if (geteuid() != 0) GTEST_SKIP() << "the tests do not run as root here: there is no uid to drop";
  // Only processes that appear from here on (the availability probe above runs bwrap as root).
  const std::vector<std::string> before = testing::ListDir("/proc");
  const std::set<std::string> old_pids(before.begin(), before.end());
  const std::set<ino_t> host_namespaces = testing::PidNamespaces();
  std::atomic<bool> done{false};
  std::map<std::string, std::string> seen;  // pid -> comm and its Uid/Gid/CapEff/CapBnd lines
  std::thread watcher([&] {
    while (!done) {
      for (const std::string& pid : testing::ListDir("/proc")) {
        if (pid.find_first_not_of("0123456789") != std::string::npos) continue;
        if (old_pids.count(pid) != 0 || !DescendsFromThisProcess(pid)) continue;
        const std::string comm = testing::ReadSmallFile("/proc/" + pid + "/comm");
        if (comm != "bwrap" && host_namespaces.count(testing::PidNamespaceOf(pid)) != 0) continue;
        std::string fields = comm;
        for (absl::string_view line :
             absl::StrSplit(testing::ReadSmallFile("/proc/" + pid + "/status"), '\n')) {
          for (const char* key : {"Uid:", "Gid:", "CapEff:", "CapBnd:"}) {
            if (absl::StartsWith(line, key)) absl::StrAppend(&fields, " ", line);
          }
        }
        if (fields != comm) seen[pid] = fields;  // gone before its status was read otherwise
      }
      usleep(5000);
    }
  });
  RawRun run = RunOne(*runner, "import time\ntime.sleep(1)\nprint('ok')\n");
  done = true;
  watcher.join();
  EXPECT_EQ(run.stdout_data, "ok\n");
  ASSERT_FALSE(seen.empty());
  bool saw_bwrap = false, saw_python = false;
  for (const auto& [pid, fields] : seen) {
    saw_bwrap = saw_bwrap || absl::StartsWith(fields, "bwrap ");
    saw_python = saw_python || absl::StartsWith(fields, "python3 ");
    EXPECT_NE(fields.find("Uid:\t65534\t65534\t65534\t65534"), std::string::npos) << fields;
    EXPECT_NE(fields.find("Gid:\t65534\t65534\t65534\t65534"), std::string::npos) << fields;
    EXPECT_NE(fields.find("CapBnd:\t0000000000000000"), std::string::npos) << fields;
    // bwrap itself holds capabilities inside the user namespace it has just made (they are not
    // host capabilities: its host uid is 65534) until it drops them before exec; what it runs
    // must have none.
    if (!absl::StartsWith(fields, "bwrap ")) {
      EXPECT_NE(fields.find("CapEff:\t0000000000000000"), std::string::npos) << fields;
    }
  }
  EXPECT_TRUE(saw_bwrap && saw_python) << seen.size() << " processes seen";
}

TEST(Security, NoNetworkEvenToTheHostLoopback) {
  ARBITER_REQUIRE_SANDBOX(runner);
  // A real listener on the host's loopback: the sandbox must not reach it.
  const int listener = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  ASSERT_GE(listener, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(bind(listener, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(listen(listener, 1), 0);
  socklen_t len = sizeof addr;
  getsockname(listener, reinterpret_cast<sockaddr*>(&addr), &len);
  RawRun run =
      RunOne(*runner,
             "import socket, sys\n"
             "port = int(sys.stdin.read())\n"
             "out = []\n"
             "for fam, addr in [(socket.AF_INET, ('127.0.0.1', port)),"
             " (socket.AF_INET, ('1.1.1.1', 53)), (socket.AF_INET6, ('::1', port))]:\n"
             "    try:\n"
             "        s = socket.socket(fam, socket.SOCK_STREAM); s.settimeout(1)\n"
             "        s.connect(addr); out.append('connected')\n"
             "    except OSError as e: out.append('blocked')\n"
             "try:\n"
             "    socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 0); out.append('netlink')\n"
             "except OSError: out.append('blocked')\n"
             "print(out)\n",
             std::to_string(ntohs(addr.sin_port)));
  close(listener);
  EXPECT_EQ(run.stdout_data, "['blocked', 'blocked', 'blocked', 'blocked']\n") << run.stderr_data;
}

TEST(Security, CrashSignalsAreSignaledVerdicts) {
  ARBITER_REQUIRE_SANDBOX(runner);
  RawRun segv = RunOne(*runner, "import ctypes\nctypes.string_at(0)\n");
  EXPECT_EQ(segv.status, Status::kSignaled);
  EXPECT_EQ(segv.signal, SIGSEGV);
  RawRun abrt = RunOne(*runner, "import os\nos.abort()\n");
  EXPECT_EQ(abrt.status, Status::kSignaled);
  EXPECT_EQ(abrt.signal, SIGABRT);
}

TEST(Security, ConcurrentSessionsDoNotSeeEachOther) {
  ARBITER_REQUIRE_SANDBOX(runner);
  // Each session leaves a marker in every writable place, then looks for the other's marker
  // while the other is (very likely) running; the check holds whatever the interleaving.
  const std::string program =
      "import os, sys, time\n"
      "me = sys.stdin.read()\n"
      "for d in ['.', '/work', '/dev/shm']: open(os.path.join(d, 'm' + me + d[-1]), 'w')\n"
      "seen = set()\n"
      "for _ in range(50):\n"
      "    for d in ['.', '/work', '/dev/shm']:\n"
      "        seen |= {n for n in os.listdir(d) if n.startswith('m') and me not in n}\n"
      "    time.sleep(0.01)\n"
      "print(sorted(seen))\n";
  absl::StatusOr<SessionResult> results[2];
  LeakCheck leaks;
  std::thread other([&] {
    results[1] = runner->RunSession(testing::Python(program, 1, "B"), sdk::VerifyContext{}, {});
  });
  results[0] = runner->RunSession(testing::Python(program, 1, "A"), sdk::VerifyContext{}, {});
  other.join();
  for (const auto& result : results) {
    ASSERT_TRUE(result.ok()) << result.status();
    EXPECT_EQ(result->tests[0].stdout_data, "[]\n") << result->tests[0].stderr_data;
  }
  EXPECT_EQ(leaks.Leftovers(), "");
}

TEST(Security, TerminalInjectionIsRefused) {
  ARBITER_REQUIRE_SANDBOX(runner);
  RawRun run = RunOne(*runner,
                      "import os, fcntl, termios, errno\n"
                      "res = []\n"
                      "fds = [0, 1, 2]\n"
                      "try:\n"
                      "    m, s = os.openpty(); fds += [m, s]\n"
                      "except OSError: pass\n"
                      "for fd in fds:\n"
                      "    try: fcntl.ioctl(fd, termios.TIOCSTI, b'x'); res.append('injected')\n"
                      "    except OSError as e: res.append(errno.errorcode[e.errno])\n"
                      "print(set(res))\n");
  EXPECT_EQ(run.status, Status::kExited) << run.stderr_data;
  EXPECT_EQ(run.stdout_data, "{'EPERM'}\n");  // the seccomp filter answers before the tty layer
}

TEST(Security, HostFilesAreNotVisible) {
  ARBITER_REQUIRE_SANDBOX(runner);
  const std::string server_dir =
      getenv("ARBITER_SOURCE_DIR") ? getenv("ARBITER_SOURCE_DIR") : "/work/main";
  RawRun run = RunOne(*runner,
                      "import os, sys\n"
                      "seen = []\n"
                      "for p in ['/etc/shadow', '/etc/passwd', '/etc/hostname', '/root', '/home',"
                      " '/work/main', '/tmp', '/var', '/sys/fs/cgroup', '/proc/1/environ',"
                      " sys.stdin.read()]:\n"
                      "    try:\n"
                      "        os.listdir(p) if os.path.isdir(p) else open(p).read(1)\n"
                      "        seen.append(p)\n"
                      "    except OSError: pass\n"
                      "print(seen, os.listdir('/'))\n",
                      server_dir);
  EXPECT_EQ(run.status, Status::kExited) << run.stderr_data;
  EXPECT_EQ(run.stdout_data.substr(0, 3), "[] ") << run.stdout_data;
  for (const char* absent : {"'etc'", "'root'", "'home'", "'tmp'", "'var'", "'sys'"}) {
    EXPECT_EQ(run.stdout_data.find(absent), std::string::npos) << absent << " " << run.stdout_data;
  }
}

TEST(Security, SignallingTheHarnessHasNoEffect) {
  ARBITER_REQUIRE_SANDBOX(runner);
  // The harness is pid 1 of the sandbox's pid namespace: the kernel drops signals it does not
  // handle (SIGKILL and SIGSTOP included), and kill(-1) spares it.
  for (const char* attack : {"os.kill(os.getppid(), 9)", "os.kill(-1, 9)", "os.kill(1, 9)",
                             "os.kill(os.getppid(), 19)", "os.kill(1, 2)", "os.kill(1, 15)"}) {
    SessionRequest request = testing::Python(
        absl::StrCat("import os, sys\nif sys.stdin.read() == 'x':\n    try: ", attack,
                     "\n    except OSError: pass  # ESRCH: nobody else to kill\nprint('ok')\n"),
        3);
    request.tests[1].stdin_data = "x";
    request.limits.wall = absl::Seconds(2);
    LeakCheck leaks;
    auto result = runner->RunSession(request, sdk::VerifyContext{}, nullptr);
    ASSERT_TRUE(result.ok()) << attack << ": " << result.status();
    for (const RawRun& run : result->tests) {
      EXPECT_EQ(run.status, Status::kExited) << attack;
      EXPECT_EQ(run.stdout_data, "ok\n") << attack;
    }
    EXPECT_EQ(leaks.Leftovers(), "") << attack;
  }
}

// The forker (the warm interpreter that clones each test) runs as the same uid as the tests, so
// a test can signal or re-limit it. Whatever a test does to it, the next test must start from
// the same state as the first: same parent (pid 1, the supervisor), same rlimits, same nice.
TEST(Security, TamperingWithTheForkerDoesNotReachLaterTests) {
  ARBITER_REQUIRE_SANDBOX(runner);
  SessionRequest request = testing::Python(
      "import os, resource, signal, sys\n"
      "mode = sys.stdin.read().strip()\n"
      "for p in [int(p) for p in os.listdir('/proc') if p.isdigit()]:\n"
      "  if p in (1, os.getpid()): continue\n"
      "  try:\n"
      "    if mode == 'kill': os.kill(p, signal.SIGKILL)\n"
      "    if mode == 'stop': os.kill(p, signal.SIGSTOP)\n"
      "    if mode == 'limit':\n"
      "      resource.prlimit(p, resource.RLIMIT_STACK, (1 << 20, 1 << 20))\n"
      "      os.setpriority(os.PRIO_PROCESS, p, 10)\n"
      "  except OSError as e: print(mode, p, e, file=sys.stderr)\n"
      "print(os.getppid(), resource.getrlimit(resource.RLIMIT_STACK),\n"
      "      os.getpriority(os.PRIO_PROCESS, 0))\n",
      8);
  const char* modes[] = {"plain", "kill", "plain", "stop", "plain", "limit", "plain", "plain"};
  for (size_t i = 0; i < request.tests.size(); ++i) request.tests[i].stdin_data = modes[i];
  LeakCheck leaks;
  const absl::Time start = absl::Now();
  auto result = runner->RunSession(request, sdk::VerifyContext{}, nullptr);
  ASSERT_TRUE(result.ok()) << result.status();
  // A stopped forker left alone would hang the next test until its wall limit (5 s).
  EXPECT_LT(absl::Now() - start, absl::Seconds(4));
  const std::string first = result->tests[0].stdout_data;
  EXPECT_EQ(first.rfind("1 (", 0), 0) << first;  // the test's parent is the supervisor
  for (size_t i = 0; i < result->tests.size(); ++i) {
    const RawRun& run = result->tests[i];
    EXPECT_EQ(run.status, Status::kExited) << i << " " << run.error << run.stderr_data;
    EXPECT_EQ(run.exit_code, 0) << i;
    EXPECT_EQ(run.stdout_data, first) << "test " << i << " after " << modes[i > 0 ? i - 1 : 0];
  }
  EXPECT_EQ(leaks.Leftovers(), "");
}

// The supervisor (pid 1) is immune to signals but not to prlimit/setpriority from the same uid,
// and what it has, a replacement forker inherits. A test that changes it retires the sandbox:
// the tests after it run in a fresh one, so all of them see the same limits and priority.
TEST(Security, ReLimitingTheSupervisorDoesNotReachLaterTests) {
  ARBITER_REQUIRE_SANDBOX(runner);
  SessionRequest request = testing::Python(
      "import os, resource, signal, sys\n"
      "if sys.stdin.read() == 'attack':\n"
      "  resource.prlimit(1, resource.RLIMIT_STACK, (1 << 20, 1 << 20))\n"
      "  os.setpriority(os.PRIO_PROCESS, 1, 10)\n"
      "  for p in [int(p) for p in os.listdir('/proc') if p.isdigit()]:\n"
      "    if p not in (1, os.getpid()): os.kill(p, signal.SIGKILL)  # a new forker, too\n"
      "print(resource.getrlimit(resource.RLIMIT_STACK), os.getpriority(os.PRIO_PROCESS, 0))\n",
      4);
  request.tests[1].stdin_data = "attack";
  LeakCheck leaks;
  auto result = runner->RunSession(request, sdk::VerifyContext{}, nullptr);
  ASSERT_TRUE(result.ok()) << result.status();
  for (const RawRun& run : result->tests) {
    EXPECT_EQ(run.status, Status::kExited) << run.error << run.stderr_data;
    EXPECT_EQ(run.stdout_data, result->tests[0].stdout_data);
  }
  EXPECT_EQ(leaks.Leftovers(), "");
}

// SysV IPC objects and POSIX message queues outlive their process in the sandbox's IPC
// namespace: allowed, they would carry data from one test to the next. Denied (EPERM = 1).
TEST(Security, SysVIpcAndMessageQueuesAreDenied) {
  ARBITER_REQUIRE_SANDBOX(runner);
  SessionRequest request = testing::Python(
      "import ctypes, os\n"
      "libc = ctypes.CDLL(None, use_errno=True)\n"
      "r = []\n"
      "for call in (lambda: libc.shmget(0x4242, 4096, 0o1600),\n"
      "             lambda: libc.msgget(0x4243, 0o1600),\n"
      "             lambda: libc.semget(0x4244, 1, 0o1600),\n"
      "             lambda: libc.mq_open(b'/arbiter', os.O_CREAT | os.O_RDWR, 0o600, None)):\n"
      "    r += [call(), ctypes.get_errno()]\n"
      "print(r)\n",
      2);
  LeakCheck leaks;
  auto result = runner->RunSession(request, sdk::VerifyContext{}, nullptr);
  ASSERT_TRUE(result.ok()) << result.status();
  for (const RawRun& run : result->tests) {
    EXPECT_EQ(run.stdout_data, "[-1, 1, -1, 1, -1, 1, -1, 1]\n") << run.stderr_data;
  }
  EXPECT_EQ(leaks.Leftovers(), "");
}

TEST(Security, SymlinksCannotEscape) {
  ARBITER_REQUIRE_SANDBOX(runner);
  RawRun run = RunOne(*runner,
                      "import os\n"
                      "read = []\n"
                      "for i, target in enumerate(['/etc/shadow', '/proc/1/root/etc/passwd',"
                      " '/proc/self/root/root', '../../../../etc/passwd', '/proc/1/cwd/../etc']):\n"
                      "    os.symlink(target, 'l%d' % i)\n"
                      "    try:\n"
                      "        os.listdir('l%d' % i) if os.path.isdir('l%d' % i) else "
                      "open('l%d' % i).read(1)\n"
                      "        read.append(target)\n"
                      "    except OSError: pass\n"
                      "print(read)\n");
  EXPECT_EQ(run.status, Status::kExited) << run.stderr_data;
  EXPECT_EQ(run.stdout_data, "[]\n");
}

TEST(Security, HostEnvironmentDoesNotLeak) {
  ARBITER_REQUIRE_SANDBOX(runner);
  setenv("ARBITER_TEST_SECRET", "hunter2", 1);
  RawRun run = RunOne(*runner, "import os\nprint(sorted(os.environ))\n");
  unsetenv("ARBITER_TEST_SECRET");
  EXPECT_EQ(run.stdout_data,
            "['HOME', 'LANG', 'PATH', 'PWD', 'PYTHONDONTWRITEBYTECODE', 'PYTHONHASHSEED', "
            "'TMPDIR']\n");
}

TEST(Security, FilesDoNotPersistBetweenSessions) {
  ARBITER_REQUIRE_SANDBOX(runner);
  const std::string program =
      "import os\n"
      "print(os.path.exists('/work/keep'), os.path.exists('/dev/shm/keep'))\n"
      "open('/work/keep', 'w'); open('/dev/shm/keep', 'w')\n";
  EXPECT_EQ(RunOne(*runner, program).stdout_data, "False False\n");
  EXPECT_EQ(RunOne(*runner, program).stdout_data, "False False\n");
}

TEST(Security, CannotGainPrivilegesOrNewNamespaces) {
  ARBITER_REQUIRE_SANDBOX(runner);
  RawRun run = RunOne(*runner,
                      "import os, ctypes\n"
                      "libc = ctypes.CDLL(None, use_errno=True)\n"
                      "r = [os.getuid(), os.getgid()]\n"
                      "r.append(libc.unshare(0x10000000))\n"  // CLONE_NEWUSER
                      "r.append(libc.ptrace(0, 0, 0, 0))\n"
                      "r.append(libc.mount(b'none', b'/work', b'tmpfs', 0, None))\n"
                      "try: os.setuid(0); r.append('root')\n"
                      "except OSError: r.append('no')\n"
                      "print(r)\n");
  EXPECT_EQ(run.stdout_data, "[65534, 65534, -1, -1, -1, 'no']\n") << run.stderr_data;
}

}  // namespace
}  // namespace arbiter::code
