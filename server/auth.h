// Who may call: bearer tokens from a file (a mounted Kubernetes Secret), checked on every RPC
// and HTTP request except health. The file holds one token per line (blank lines and lines
// starting with '#' ignored); it is re-read when its modification time or size changes (checked
// at most once a second of `clock` time), so rotating the Secret needs no restart. A file that
// cannot be read or holds no token after a change keeps the previous tokens and logs why.
//
// Thread-safety: Allows() may be called concurrently.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "verifiers/sdk/clock.h"

namespace arbiter::server {

class TokenFile {
 public:
  // INVALID_ARGUMENT naming the file when it cannot be read or holds no token. `clock` times the
  // re-read checks (a fake one in tests); never null, must outlive the TokenFile.
  static absl::StatusOr<std::unique_ptr<TokenFile>> Open(std::string path,
                                                         sdk::Clock* clock = &sdk::RealClock());

  // True when `authorization` is `Bearer <token>` for one of the file's tokens (compared in
  // time independent of where they differ).
  bool Allows(absl::string_view authorization) const;

 private:
  TokenFile(std::string path, sdk::Clock* clock) : path_(std::move(path)), clock_(clock) {}
  absl::Status Reload() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const std::string path_;
  sdk::Clock* const clock_;
  mutable absl::Mutex mu_;
  mutable std::vector<std::string> tokens_ ABSL_GUARDED_BY(mu_);
  mutable absl::Time last_check_ ABSL_GUARDED_BY(mu_) = absl::InfinitePast();
  mutable std::string fingerprint_ ABSL_GUARDED_BY(mu_);  // of the file tokens_ came from
};

// The message of every refusal, for gRPC (UNAUTHENTICATED) and HTTP (401).
inline constexpr absl::string_view kUnauthenticatedMessage =
    "missing or invalid bearer token: send the header 'authorization: Bearer <token>'";

}  // namespace arbiter::server
