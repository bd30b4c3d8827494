// Gateway: arbiterd's HTTP/JSON front door (Boost.Beast on Asio threads of its own), serving the
// Endpoints (endpoints.h) to OpenRLHF, slime and plain HTTP clients. Off unless
// ServerOptions::http_address is set; Server starts and stops it.
//
// Nothing of the gRPC side waits on it: requests are parsed on the gateway's threads
// (http_threads), handed to the Coalescer/Dispatcher, and answered by posting the response back
// to the connection's strand, so dispatcher workers never do network I/O. At most
// http_max_connections connections are served; further ones get 503 + Retry-After and are
// closed. Request bodies are limited to max_message_bytes.
//
// Lifecycle: Create() binds and serves. StartDraining() stops accepting; new requests on open
// connections get 503 (with `Connection: close`) and /healthz answers 503. Shutdown(deadline)
// drains, waits until every request read has been answered or `deadline` passes, cancels the
// rest (their unchecked items end INFRA_ERROR and are answered within a short flush), then
// closes every connection and joins its threads.
//
// The dispatcher must outlive the gateway's last answer: destroy (or drain) the dispatcher
// before the gateway, as Server does. Thread-safety: all methods may be called from any thread;
// Shutdown is idempotent.
#pragma once

#include <memory>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "arbiter/v1/arbiter.pb.h"
#include "server/dispatcher.h"
#include "server/options.h"
#include "verifiers/sdk/registry.h"

namespace arbiter::server {
class TokenFile;
}  // namespace arbiter::server

namespace arbiter::server::http {

class Gateway {
 public:
  // `options` resolved (ResolveOptions) with a non-empty http_address. UNAVAILABLE when the
  // address cannot be bound (the message names it). `dispatcher` and `registry` must outlive
  // the gateway.
  static absl::StatusOr<std::unique_ptr<Gateway>> Create(const ServerOptions& options,
                                                         Dispatcher* dispatcher,
                                                         const sdk::VerifierRegistry* registry,
                                                         v1::ServerInfo server_info,
                                                         const TokenFile* tokens = nullptr);
  ~Gateway();  // Shutdown(now) unless already shut down

  // The bound port (the chosen one when the address asked for port 0).
  int port() const;

  void StartDraining();
  void Shutdown(absl::Time deadline);

 private:
  struct Impl;
  explicit Gateway(std::unique_ptr<Impl> impl);

  std::unique_ptr<Impl> impl_;
};

}  // namespace arbiter::server::http
