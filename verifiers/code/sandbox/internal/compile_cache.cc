#include "verifiers/code/sandbox/internal/compile_cache.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <functional>
#include <system_error>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace arbiter::code::internal {

void RemoveTree(const std::string& path) {
  std::error_code ec;
  std::filesystem::remove_all(path, ec);
}

CompiledProgram::~CompiledProgram() {
  if (!binary_path.empty()) unlink(binary_path.c_str());
}

absl::StatusOr<std::unique_ptr<CompileCache>> CompileCache::Create(std::string dir,
                                                                   int64_t max_bytes) {
  bool owned = false;
  if (dir.empty()) {
    const char* tmp = getenv("TMPDIR");
    std::string templ =
        absl::StrCat(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp", "/arbiter-cxx-cache-XXXXXX");
    if (mkdtemp(templ.data()) == nullptr) {
      return absl::FailedPreconditionError(absl::StrCat("mkdtemp ", templ, ": ", strerror(errno)));
    }
    dir = templ;
    owned = true;
  } else if (mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) {
    return absl::FailedPreconditionError(absl::StrCat("mkdir ", dir, ": ", strerror(errno)));
  }
  // Traversable (not listable) by the unprivileged host uid bwrap runs as, which binds binaries.
  chmod(dir.c_str(), 0711);
  return std::unique_ptr<CompileCache>(new CompileCache(std::move(dir), owned, max_bytes));
}

CompileCache::~CompileCache() {
  {
    absl::MutexLock lock(&mu_);
    index_.clear();
    lru_.clear();
  }
  if (owned_) RemoveTree(dir_);
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

absl::StatusOr<std::string> CompileCache::NewBuildDir() {
  std::string templ = absl::StrCat(dir_, "/build-XXXXXX");
  if (mkdtemp(templ.data()) == nullptr) {
    return absl::UnavailableError(absl::StrCat("mkdtemp ", templ, ": ", strerror(errno)));
  }
  chmod(templ.c_str(), 0777);  // the compiler runs as uid 65534 inside (mapped to us)
  return templ;
}

}  // namespace arbiter::code::internal
