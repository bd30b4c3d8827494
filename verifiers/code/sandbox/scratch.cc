#include "verifiers/code/sandbox/scratch.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "verifiers/code/sandbox/internal/compile_cache.h"
#include "verifiers/code/sandbox/internal/log.h"

namespace arbiter::code {
namespace {

absl::Status Unavailable(const std::string& why) {
  internal::Log(internal::LogLevel::kError, why);
  return absl::UnavailableError(why);
}

}  // namespace

absl::StatusOr<std::string> DiskScratch::NewDir() {
  // The "build-" prefix is what CompileCache removes when it takes over a left-behind directory.
  std::string templ = absl::StrCat(root_, "/build-XXXXXX");
  if (mkdtemp(templ.data()) == nullptr) {
    return Unavailable(absl::StrCat("cannot make a directory in ", root_, ": ", strerror(errno)));
  }
  chmod(templ.c_str(), 0777);  // a compiler runs as uid 65534 inside (mapped to us)
  return templ;
}

absl::Status DiskScratch::WriteFile(const std::string& path, std::string_view data) {
  const int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  bool ok = fd >= 0;
  for (size_t done = 0; ok && done < data.size();) {
    const ssize_t n = write(fd, data.data() + done, data.size() - done);
    ok = n > 0;
    done += ok ? static_cast<size_t>(n) : 0;
  }
  const int error = errno;
  if (fd >= 0 && close(fd) != 0) ok = false;
  if (ok) return absl::OkStatus();
  return Unavailable(absl::StrCat("cannot write ", path, ": ", strerror(error)));
}

int64_t DiskScratch::FreeBytes(const std::string& path) const {
  struct statvfs fs;
  if (statvfs(path.c_str(), &fs) != 0) return INT64_MAX;
  return static_cast<int64_t>(fs.f_bavail) * static_cast<int64_t>(fs.f_frsize);
}

void DiskScratch::Remove(const std::string& dir) { internal::RemoveTree(dir); }

absl::StatusOr<std::string> FaultyScratch::NewDir() {
  if (fail_new_dir) return absl::UnavailableError("injected: cannot make a directory");
  return base_->NewDir();
}

absl::Status FaultyScratch::WriteFile(const std::string& path, std::string_view data) {
  if (fail_writes) {
    return absl::UnavailableError(
        absl::StrCat("injected: cannot write ", path, ": ", strerror(ENOSPC)));
  }
  return base_->WriteFile(path, data);
}

int64_t FaultyScratch::FreeBytes(const std::string& path) const {
  const int64_t injected = free_bytes;
  return injected >= 0 ? injected : base_->FreeBytes(path);
}

}  // namespace arbiter::code
