// Bounded cache of compiled C++ binaries, keyed by the full (compiler, flags, source) material:
// a lookup hashes the material and then compares it byte for byte, so a hash collision can never
// hand one program another's binary. Failed compilations are cached too (their diagnostics).
// Entries are shared_ptrs: eviction drops the map's reference and the file is unlinked when the
// last session using it lets go.
//
// Thread-safety: thread-safe.
#pragma once

#include <cstdint>
#include <list>
#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"

namespace arbiter::code::internal {

struct CompiledProgram {
  ~CompiledProgram();  // unlinks binary_path (when non-empty)
  bool ok = false;
  std::string binary_path;  // ok only
  std::string diagnostics;
  int64_t bytes = 0;
};

class CompileCache {
 public:
  // `dir` empty: a private directory under $TMPDIR (or /tmp), removed by the destructor; the
  // private directories of servers that died without cleaning up (their owner lock is free)
  // are removed first. `dir` given: made if missing; locked while this cache lives, and when the
  // lock is free, the artifacts, build directories and binaries an earlier owner left are removed.
  static absl::StatusOr<std::unique_ptr<CompileCache>> Create(std::string dir, int64_t max_bytes);
  ~CompileCache();

  std::shared_ptr<const CompiledProgram> Lookup(const std::string& material);
  // Takes ownership of the file at `built_binary` (moved into the cache) when ok.
  std::shared_ptr<const CompiledProgram> Insert(const std::string& material, bool ok,
                                                const std::string& built_binary,
                                                std::string diagnostics);
  // The cache's directory: traversable, not listable, by the host uid bwrap runs as.
  const std::string& dir() const { return dir_; }

 private:
  struct Entry {
    std::string material;
    std::shared_ptr<const CompiledProgram> program;
  };
  CompileCache(std::string dir, bool owned, int64_t max_bytes, int lock_fd)
      : dir_(std::move(dir)), owned_(owned), max_bytes_(max_bytes), lock_fd_(lock_fd) {}

  const std::string dir_;
  const bool owned_;
  const int64_t max_bytes_;
  const int lock_fd_;  // flock'd .owner.lock, or -1
  absl::Mutex mu_;
  std::list<Entry> lru_ ABSL_GUARDED_BY(mu_);  // front = most recent
  absl::flat_hash_map<size_t, std::list<std::list<Entry>::iterator>> index_ ABSL_GUARDED_BY(mu_);
  int64_t bytes_ ABSL_GUARDED_BY(mu_) = 0;
  uint64_t next_id_ ABSL_GUARDED_BY(mu_) = 0;
};

// Removes a directory tree (best effort; used for build and work directories we created).
void RemoveTree(const std::string& path);

}  // namespace arbiter::code::internal
