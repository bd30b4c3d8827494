#include "verifiers/code/sandbox/internal/compile_cache.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <functional>
#include <system_error>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "verifiers/code/sandbox/internal/log.h"

namespace arbiter::code::internal {

void RemoveTree(const std::string& path) {
  std::error_code ec;
  std::filesystem::remove_all(path, ec);
}

CompiledProgram::~CompiledProgram() {
  if (!binary_path.empty()) unlink(binary_path.c_str());
}

namespace {

constexpr char kOwnerLock[] = "/.owner.lock";
constexpr char kPrivatePrefix[] = "arbiter-cxx-cache-";

// Opens `dir`/.owner.lock and takes it exclusively without waiting: the fd on success (held for
// the owner's lifetime, so the lock dies with the process, SIGKILL included), -1 when another
// live process holds it or the file cannot be made.
int LockOwner(const std::string& dir, bool create) {
  const std::string path = dir + kOwnerLock;
  const int fd = open(path.c_str(), O_RDWR | O_CLOEXEC | (create ? O_CREAT : 0), 0600);
  if (fd < 0) return -1;
  if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

// Private cache directories of servers that died without cleaning up (SIGKILL, OOM kill): their
// owner lock is free. Directories without a lock file are left alone (not provably ours).
void RemoveStalePrivateDirs(const std::string& parent) {
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(parent, ec)) {
    const std::string name = entry.path().filename().string();
    if (!absl::StartsWith(name, kPrivatePrefix) || !entry.is_directory(ec)) continue;
    const int fd = LockOwner(entry.path().string(), /*create=*/false);
    if (fd < 0) continue;
    RemoveTree(entry.path().string());
    close(fd);
    Log(LogLevel::kInfo, absl::StrCat("removed ", entry.path().string(),
                                      " left by a server that did not shut down cleanly"));
  }
}

// Leftovers of an earlier owner of a caller-chosen directory: embedded artifacts, build
// directories and binaries (the index of binaries lives in memory, so none is reusable).
void RemoveLeftovers(const std::string& dir) {
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (absl::StartsWith(name, "forker-") || absl::StartsWith(name, "launcher-") ||
        absl::StartsWith(name, "build-") ||
        (name.size() > 4 && name.compare(name.size() - 4, 4, ".bin") == 0)) {
      RemoveTree(entry.path().string());
    }
  }
}

}  // namespace

absl::StatusOr<std::unique_ptr<CompileCache>> CompileCache::Create(std::string dir,
                                                                   int64_t max_bytes) {
  bool owned = false;
  int lock_fd = -1;
  if (dir.empty()) {
    const char* tmp = getenv("TMPDIR");
    const std::string parent = tmp != nullptr && *tmp != '\0' ? tmp : "/tmp";
    RemoveStalePrivateDirs(parent);
    std::string templ = absl::StrCat(parent, "/", kPrivatePrefix, "XXXXXX");
    if (mkdtemp(templ.data()) == nullptr) {
      return absl::FailedPreconditionError(absl::StrCat("mkdtemp ", templ, ": ", strerror(errno)));
    }
    dir = templ;
    owned = true;
    lock_fd = LockOwner(dir, /*create=*/true);
  } else {
    if (mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) {
      return absl::FailedPreconditionError(absl::StrCat("mkdir ", dir, ": ", strerror(errno)));
    }
    lock_fd = LockOwner(dir, /*create=*/true);
    if (lock_fd >= 0) {
      RemoveLeftovers(dir);
    } else {
      Log(LogLevel::kWarning, absl::StrCat(dir,
                                           " is in use by another live server (or its lock "
                                           "cannot be made): leftovers are not removed"));
    }
  }
  // Traversable (not listable) by the unprivileged host uid bwrap runs as, which binds binaries.
  chmod(dir.c_str(), 0711);
  return std::unique_ptr<CompileCache>(new CompileCache(std::move(dir), owned, max_bytes, lock_fd));
}

CompileCache::~CompileCache() {
  {
    absl::MutexLock lock(&mu_);
    index_.clear();
    lru_.clear();
  }
  if (owned_) RemoveTree(dir_);
  if (lock_fd_ >= 0) close(lock_fd_);
}

std::shared_ptr<const CompiledProgram> CompileCache::Lookup(const std::string& material) {
  absl::MutexLock lock(&mu_);
  auto it = index_.find(std::hash<std::string>{}(material));
  if (it == index_.end()) return nullptr;
  for (auto entry : it->second) {
    if (entry->material == material) {
      lru_.splice(lru_.begin(), lru_, entry);
      return entry->program;
    }
  }
  return nullptr;
}

std::shared_ptr<const CompiledProgram> CompileCache::Insert(const std::string& material, bool ok,
                                                            const std::string& built_binary,
                                                            std::string diagnostics) {
  auto program = std::make_shared<CompiledProgram>();
  program->ok = ok;
  program->diagnostics = std::move(diagnostics);
  absl::MutexLock lock(&mu_);
  if (ok) {
    program->binary_path = absl::StrCat(dir_, "/", next_id_++, ".bin");
    if (rename(built_binary.c_str(), program->binary_path.c_str()) != 0) {
      program->binary_path.clear();
      program->ok = false;
      program->diagnostics = absl::StrCat("could not store the compiled binary: ", strerror(errno));
      return program;  // not cached: the next attempt retries
    }
    chmod(program->binary_path.c_str(), 0755);
    struct stat st;
    program->bytes = stat(program->binary_path.c_str(), &st) == 0 ? st.st_size : 0;
  }
  program->bytes += static_cast<int64_t>(material.size() + program->diagnostics.size());
  const size_t hash = std::hash<std::string>{}(material);
  lru_.push_front(Entry{material, program});
  index_[hash].push_back(lru_.begin());
  bytes_ += program->bytes;
  while (bytes_ > max_bytes_ && lru_.size() > 1) {
    Entry& victim = lru_.back();
    auto& bucket = index_[std::hash<std::string>{}(victim.material)];
    bucket.remove(std::prev(lru_.end()));
    if (bucket.empty()) index_.erase(std::hash<std::string>{}(victim.material));
    bytes_ -= victim.program->bytes;
    lru_.pop_back();
  }
  return program;
}

}  // namespace arbiter::code::internal
