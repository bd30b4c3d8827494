// Scratch space: where the runner puts files on the host (the build directory of each
// compilation, the work directory of each unisolated session). Behind a small interface, like
// the runner itself, so tests can make the disk fail the way real disks do (full, unwritable)
// and check that it is reported as the server's trouble (UNAVAILABLE -> INFRA_ERROR), never
// charged to the program as a compile error.
//   DiskScratch    the real one: private directories under a root (the runner's cache dir)
//   FaultyScratch  the fake: another Scratch with injected failures (leveldb's ErrorEnv idea)
//
// Thread-safety: every method may be called concurrently.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace arbiter::code {

class Scratch {
 public:
  virtual ~Scratch() = default;
  // A new, empty directory that uid 65534 inside a sandbox may write when bound (mode 0777
  // under a root only its owner lists). UNAVAILABLE when it cannot be made.
  virtual absl::StatusOr<std::string> NewDir() = 0;
  // Creates `path` holding `data`. UNAVAILABLE (with errno's text) when it cannot.
  virtual absl::Status WriteFile(const std::string& path, std::string_view data) = 0;
  // Bytes free for an unprivileged writer at `path` (INT64_MAX when unknown).
  virtual int64_t FreeBytes(const std::string& path) const = 0;
  // Removes a directory made by NewDir and everything in it (best effort).
  virtual void Remove(const std::string& dir) = 0;
};

class DiskScratch : public Scratch {
 public:
  explicit DiskScratch(std::string root) : root_(std::move(root)) {}
  absl::StatusOr<std::string> NewDir() override;
  absl::Status WriteFile(const std::string& path, std::string_view data) override;
  int64_t FreeBytes(const std::string& path) const override;
  void Remove(const std::string& dir) override;

 private:
  const std::string root_;
};

class FaultyScratch : public Scratch {
 public:
  explicit FaultyScratch(std::shared_ptr<Scratch> base) : base_(std::move(base)) {}
  // Failures to inject from now on.
  std::atomic<bool> fail_new_dir{false};
  std::atomic<bool> fail_writes{false};  // as ENOSPC
  std::atomic<int64_t> free_bytes{-1};   // reported free space; -1 = the base's

  absl::StatusOr<std::string> NewDir() override;
  absl::Status WriteFile(const std::string& path, std::string_view data) override;
  int64_t FreeBytes(const std::string& path) const override;
  void Remove(const std::string& dir) override { base_->Remove(dir); }

 private:
  std::shared_ptr<Scratch> base_;
};

}  // namespace arbiter::code
