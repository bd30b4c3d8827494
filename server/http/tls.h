// TLS for the HTTP gateway: the server's certificate and key (the same files as gRPC's
// --tls_cert_file/--tls_key_file), re-read when they change so that rotation needs no restart.
// Client certificates are not requested here: the kubelet's HTTPS probes present none, and
// bearer tokens (server/auth.h) guard every endpoint but /healthz.
//
// Thread-safety: Current() may be called from any thread.
#pragma once

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "boost/asio/ssl/context.hpp"

namespace arbiter::server::http {

class TlsContextSource {
 public:
  // INVALID_ARGUMENT naming the file when the certificate or key cannot be loaded.
  static absl::StatusOr<std::unique_ptr<TlsContextSource>> Create(std::string cert_file,
                                                                  std::string key_file,
                                                                  absl::Duration reload_interval);

  // The context new connections use: reloaded first when the files changed since the last
  // check (at most once per reload interval). A reload that fails keeps the previous context
  // and logs why.
  std::shared_ptr<boost::asio::ssl::context> Current();

 private:
  TlsContextSource(std::string cert_file, std::string key_file, absl::Duration reload_interval)
      : cert_file_(std::move(cert_file)),
        key_file_(std::move(key_file)),
        reload_interval_(reload_interval) {}
  absl::StatusOr<std::shared_ptr<boost::asio::ssl::context>> Load() const;

  const std::string cert_file_;
  const std::string key_file_;
  const absl::Duration reload_interval_;
  absl::Mutex mu_;
  std::shared_ptr<boost::asio::ssl::context> current_ ABSL_GUARDED_BY(mu_);
  std::string fingerprint_ ABSL_GUARDED_BY(mu_);
  absl::Time last_check_ ABSL_GUARDED_BY(mu_);
};

}  // namespace arbiter::server::http
