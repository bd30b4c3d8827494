#include "server/init_process.h"

#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace arbiter::server {
namespace {

constexpr int kForwarded[] = {SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2};

[[noreturn]] void SuperviseServer(pid_t server, const sigset_t& waited) {
  int exit_code = 0;
  bool server_running = true;
  while (true) {
    siginfo_t info;
    const int signo = sigwaitinfo(&waited, &info);
    if (signo < 0) continue;  // EINTR
    if (signo != SIGCHLD) {
      if (server_running) kill(server, signo);
      continue;
    }
    // One SIGCHLD may stand for many exits: reap until nothing is left to reap.
    while (true) {
      int status = 0;
      const pid_t pid = waitpid(-1, &status, WNOHANG);
      if (pid <= 0) break;
      if (pid != server) continue;
      server_running = false;
      exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }
    if (server_running) continue;
    // The server is gone: nothing in the namespace has a reason to outlive it.
    kill(-1, SIGKILL);
    while (waitpid(-1, nullptr, 0) > 0) {
    }
    std::_Exit(exit_code);
  }
}

}  // namespace

void RunAsInitIfPid1() {
  if (getpid() != 1) return;
  const char* opt_out = std::getenv("ARBITER_NO_INIT");
  if (opt_out != nullptr && std::strcmp(opt_out, "1") == 0) return;

  sigset_t waited;
  sigemptyset(&waited);
  sigaddset(&waited, SIGCHLD);
  for (int signo : kForwarded) sigaddset(&waited, signo);
  sigset_t previous;
  sigprocmask(SIG_BLOCK, &waited, &previous);  // before fork: no signal is lost in between

  const pid_t server = fork();
  if (server < 0) {
    std::fprintf(stderr,
                 "arbiterd: running as PID 1 but cannot fork the server (%s); "
                 "continuing without reaping orphans\n",
                 std::strerror(errno));
    sigprocmask(SIG_SETMASK, &previous, nullptr);
    return;
  }
  if (server == 0) {
    // The server: dies with its init, and starts with the signal mask it would have had.
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    sigprocmask(SIG_SETMASK, &previous, nullptr);
    return;
  }
  std::fprintf(stderr,
               "arbiterd: running as PID 1: forwarding signals to the server (pid %d) "
               "and reaping orphans\n",
               static_cast<int>(server));
  SuperviseServer(server, waited);
}

}  // namespace arbiter::server
