#include "tests/replicas/hosts.h"

#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <filesystem>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "tests/integration/subprocess.h"

namespace arbiter::replicas {
namespace {

constexpr char kPrefix[] = "arbr";

// Runs `ip args...`; its stdout, or an error carrying the command and its stderr.
absl::StatusOr<std::string> IpOutput(const std::vector<std::string>& args) {
  absl::StatusOr<std::string> ip = IpBinary();
  if (!ip.ok()) return ip.status();
  std::vector<std::string> argv = {*ip};
  argv.insert(argv.end(), args.begin(), args.end());
  integration::TempDir scratch;
  absl::StatusOr<integration::RunResult> run =
      integration::RunProcess(argv, scratch.path(), absl::Seconds(20));
  if (!run.ok()) return run.status();
  if (run->exit_code != 0) {
    return absl::FailedPreconditionError(absl::StrCat("`ip ", absl::StrJoin(args, " "), "` exited ",
                                                      run->exit_code, ": ", run->err));
  }
  return run->out;
}

absl::Status Ip(const std::vector<std::string>& args) { return IpOutput(args).status(); }

// Deletes namespaces named by earlier runs whose process is gone, first killing what still runs
// inside (a test killed before its destructor leaves its servers there).
void DeleteStaleNamespaces() {
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator("/run/netns", ec)) {
    const std::string name = entry.path().filename().string();
    absl::string_view rest = name;
    if (!absl::ConsumePrefix(&rest, kPrefix)) continue;
    const std::vector<absl::string_view> parts = absl::StrSplit(rest, '-');
    int pid = 0;
    if (parts.size() != 2 || !absl::SimpleAtoi(parts[0], &pid) || pid <= 0) continue;
    if (kill(pid, 0) == 0 || errno != ESRCH) continue;  // its run is still alive
    for (absl::string_view line : absl::StrSplit(IpOutput({"netns", "pids", name}).value_or(""),
                                                 '\n', absl::SkipWhitespace())) {
      if (int inside = 0; absl::SimpleAtoi(line, &inside) && inside > 0) kill(inside, SIGKILL);
    }
    (void)Ip({"netns", "del", name});
  }
}

}  // namespace

absl::StatusOr<std::string> IpBinary() {
  for (const char* path : {"/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip", "/bin/ip"}) {
    if (access(path, X_OK) == 0) return std::string(path);
  }
  return absl::NotFoundError("iproute2's `ip` is not installed");
}

absl::StatusOr<std::unique_ptr<NetnsHosts>> NetnsHosts::Create(int count) {
  if (geteuid() != 0) return absl::FailedPreconditionError("not root: cannot add namespaces");
  DeleteStaleNamespaces();
  std::unique_ptr<NetnsHosts> hosts(new NetnsHosts());
  const int pid = getpid();
  // 10.<100..199>.<0..255>.<4i>/30 from the pid: concurrent runs (distinct pids) rarely share.
  const std::string net = absl::StrCat("10.", 100 + (pid / 256) % 100, ".", pid % 256, ".");
  for (int i = 0; i < count; ++i) {
    Host host;
    host.netns = absl::StrCat(kPrefix, pid, "-", i);
    host.host_link = absl::StrCat(kPrefix, pid, "h", i);
    const std::string inner = absl::StrCat(kPrefix, pid, "n", i);
    host.gateway = absl::StrCat(net, 4 * i + 1);
    host.address = absl::StrCat(net, 4 * i + 2);
    absl::Status status = Ip({"netns", "add", host.netns});
    if (!status.ok()) return status;
    hosts->hosts_.push_back(host);  // from here on the destructor deletes it
    for (const std::vector<std::string>& step : std::vector<std::vector<std::string>>{
             {"link", "add", host.host_link, "type", "veth", "peer", "name", inner, "netns",
              host.netns},
             {"addr", "add", host.gateway + "/30", "dev", host.host_link},
             {"link", "set", host.host_link, "up"},
             {"-n", host.netns, "addr", "add", host.address + "/30", "dev", inner},
             {"-n", host.netns, "link", "set", inner, "up"},
             {"-n", host.netns, "link", "set", "lo", "up"}}) {
      if (status = Ip(step); !status.ok()) return status;
    }
  }
  return hosts;
}

NetnsHosts::~NetnsHosts() {
  for (const Host& host : hosts_) {
    (void)Ip({"netns", "del", host.netns});     // takes both veth ends with it
    (void)Ip({"link", "del", host.host_link});  // in case the namespace was already gone
  }
}

std::vector<std::string> NetnsHosts::Exec(int i) const {
  return {IpBinary().value_or("ip"), "netns", "exec", hosts_[i].netns};
}

absl::Status NetnsHosts::CutOff(int i) const {
  return Ip({"link", "set", hosts_[i].host_link, "down"});
}

}  // namespace arbiter::replicas
