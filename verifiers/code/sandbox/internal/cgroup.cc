#include "verifiers/code/sandbox/internal/cgroup.h"

#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "verifiers/code/sandbox/internal/log.h"

namespace arbiter::code::internal {
namespace {

constexpr char kRoot[] = "/sys/fs/cgroup";

bool Exists(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0;
}

bool WriteFile(const std::string& path, const std::string& value) {
  std::ofstream out(path);
  out << value;
  out.flush();
  return out.good();
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

bool MakeDir(const std::string& path) { return mkdir(path.c_str(), 0755) == 0 || errno == EEXIST; }

std::string UniqueName() {
  static std::atomic<uint64_t> counter{0};
  return absl::StrCat("s", getpid(), "_", counter.fetch_add(1));
}

}  // namespace

std::unique_ptr<CgroupManager> CgroupManager::Create(bool enabled) {
  auto manager = std::make_unique<CgroupManager>();
  if (!enabled) return manager;
  if (Exists(absl::StrCat(kRoot, "/cgroup.controllers"))) {
    const std::string parent = absl::StrCat(kRoot, "/arbiter");
    // The root must delegate memory and pids to its children, and so must our parent.
    WriteFile(absl::StrCat(kRoot, "/cgroup.subtree_control"), "+memory +pids");
    if (MakeDir(parent) && WriteFile(parent + "/cgroup.subtree_control", "+memory +pids")) {
      manager->mode_ = CgroupMode::kV2;
      manager->memory_parent_ = parent;
    }
  } else if (Exists(absl::StrCat(kRoot, "/memory")) && Exists(absl::StrCat(kRoot, "/pids"))) {
    const std::string memory = absl::StrCat(kRoot, "/memory/arbiter");
    const std::string pids = absl::StrCat(kRoot, "/pids/arbiter");
    if (MakeDir(memory) && MakeDir(pids) && access(memory.c_str(), W_OK) == 0 &&
        access(pids.c_str(), W_OK) == 0) {
      manager->mode_ = CgroupMode::kV1;
      manager->memory_parent_ = memory;
      manager->pids_parent_ = pids;
    }
  }
  static std::atomic<bool> warned{false};
  if (manager->mode_ == CgroupMode::kNone && !warned.exchange(true)) {
    Log(LogLevel::kWarning,
        absl::StrCat("no writable cgroup (v1 memory+pids or delegated v2) under ", kRoot,
                     "; sandboxes are limited by rlimits only (per-process memory, per-user "
                     "process count)"));
  }
  return manager;
}

std::string CgroupManager::Describe() const {
  switch (mode_) {
    case CgroupMode::kV1:
      return absl::StrCat("cgroup v1 (", memory_parent_, ", ", pids_parent_, ")");
    case CgroupMode::kV2:
      return absl::StrCat("cgroup v2 (", memory_parent_, ")");
    case CgroupMode::kNone:
      break;
  }
  return "no cgroups (rlimits only)";
}

absl::StatusOr<std::unique_ptr<SessionCgroup>> CgroupManager::NewSession(int64_t memory_bytes,
                                                                         int max_pids) const {
  if (mode_ == CgroupMode::kNone) return absl::UnavailableError("cgroups disabled");
  auto group = std::make_unique<SessionCgroup>();
  group->mode_ = mode_;
  const std::string name = UniqueName();
  const std::string bytes = absl::StrCat(memory_bytes);
  if (mode_ == CgroupMode::kV1) {
    const std::string memory = absl::StrCat(memory_parent_, "/", name);
    const std::string pids = absl::StrCat(pids_parent_, "/", name);
    if (!MakeDir(memory)) return absl::UnavailableError("cannot create memory cgroup");
    group->dirs_.push_back(memory);
    if (!MakeDir(pids)) return absl::UnavailableError("cannot create pids cgroup");
    group->dirs_.push_back(pids);
    if (!WriteFile(memory + "/memory.limit_in_bytes", bytes)) {
      return absl::UnavailableError("cannot set memory.limit_in_bytes");
    }
    // Swap counts too where the kernel accounts it (memsw must be >= the memory limit).
    if (Exists(memory + "/memory.memsw.limit_in_bytes")) {
      WriteFile(memory + "/memory.memsw.limit_in_bytes", bytes);
    }
    if (!WriteFile(pids + "/pids.max", absl::StrCat(max_pids))) {
      return absl::UnavailableError("cannot set pids.max");
    }
    group->memory_dir_ = memory;
    group->procs_files_ = {memory + "/cgroup.procs", pids + "/cgroup.procs"};
  } else {
    const std::string dir = absl::StrCat(memory_parent_, "/", name);
    if (!MakeDir(dir)) return absl::UnavailableError("cannot create cgroup");
    group->dirs_.push_back(dir);
    if (!WriteFile(dir + "/memory.max", bytes) ||
        !WriteFile(dir + "/pids.max", absl::StrCat(max_pids))) {
      return absl::UnavailableError("cannot set cgroup v2 limits");
    }
    WriteFile(dir + "/memory.swap.max", "0");
    group->memory_dir_ = dir;
    group->procs_files_ = {dir + "/cgroup.procs"};
  }
  return group;
}

int64_t SessionCgroup::MemoryLimitHits() const {
  int64_t value = 0;
  if (mode_ == CgroupMode::kV1) {
    std::string text = ReadFile(memory_dir_ + "/memory.failcnt");
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
    if (!absl::SimpleAtoi(text, &value)) value = 0;
  } else if (mode_ == CgroupMode::kV2) {
    std::istringstream in(ReadFile(memory_dir_ + "/memory.events"));
    std::string key;
    int64_t n;
    while (in >> key >> n) {
      if (key == "oom_kill" || key == "max") value += n;
    }
  }
  return value;
}

void SessionCgroup::KillAll() const {
  for (const std::string& file : procs_files_) {
    std::istringstream in(ReadFile(file));
    for (pid_t pid; in >> pid;) kill(pid, SIGKILL);
  }
}

SessionCgroup::~SessionCgroup() {
  // rmdir succeeds once the last member is gone; the pid namespace tears down asynchronously,
  // slowly on a loaded machine (a 1 s bound left an empty group behind at load ~40), so the
  // bound is 10 s; a session normally goes in a few milliseconds.
  const absl::Time give_up = absl::Now() + absl::Seconds(10);
  while (!dirs_.empty()) {
    KillAll();
    for (auto it = dirs_.begin(); it != dirs_.end();) {
      it = (rmdir(it->c_str()) == 0 || errno == ENOENT) ? dirs_.erase(it) : it + 1;
    }
    if (dirs_.empty() || absl::Now() >= give_up) break;
    absl::SleepFor(absl::Milliseconds(5));
  }
  for (const std::string& dir : dirs_) {
    Log(LogLevel::kError, absl::StrCat("could not remove cgroup ", dir));
  }
}

}  // namespace arbiter::code::internal
