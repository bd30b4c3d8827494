// Server: arbiterd's gRPC server — the Arbiter service, grpc.health.v1 and reflection on one
// port, the dispatcher's pools behind them, the Prometheus exporter, and the HTTP/JSON gateway
// (server/http/) when `http_address` is set.
//
// Lifecycle: Create() binds and starts serving (health NOT_SERVING while it starts, SERVING once
// the ports are known and written to `port_file` / `http_port_file`). Shutdown(grace) drains:
// health goes NOT_SERVING, new calls and HTTP requests are refused, in-flight ones get `grace`
// to finish, then the remaining ones are cancelled (their sandboxes killed) and Shutdown returns
// once every call has ended.
// The destructor calls Shutdown(options.grace_period) if it has not been called.
//
// Thread-safety: port(), config_hash() and Shutdown() may be called from any thread; Shutdown()
// is idempotent (later calls wait for the first to finish).
#pragma once

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "arbiter/v1/arbiter.pb.h"
#include "server/options.h"
#include "verifiers/sdk/registry.h"

namespace grpc {
class Server;
}  // namespace grpc
namespace prometheus {
class Exposer;
}  // namespace prometheus

namespace arbiter::server {
namespace http {
class Gateway;
}  // namespace http

class ArbiterService;
class TokenFile;
class Dispatcher;
class Metrics;

class Server {
 public:
  // INVALID_ARGUMENT for bad options (see ResolveOptions); UNAVAILABLE when the address or the
  // metrics address cannot be bound, or the port file cannot be written. `registry` must be
  // fully populated and outlive the server.
  static absl::StatusOr<std::unique_ptr<Server>> Create(ServerOptions options,
                                                        const sdk::VerifierRegistry* registry);
  ~Server();

  // The bound gRPC port (the chosen one when the address asked for port 0).
  int port() const { return port_; }
  // The bound HTTP gateway port; 0 when the gateway is off.
  int http_port() const { return http_port_; }
  // The bound metrics port; 0 when metrics are disabled.
  int metrics_port() const { return metrics_port_; }
  const ServerOptions& options() const { return options_; }
  // Hex hash of the effective configuration (options and the registry's names and versions).
  const std::string& config_hash() const { return config_hash_; }
  Dispatcher& dispatcher() const;
  Metrics& metrics() const;

  void Shutdown(absl::Duration grace);

 private:
  Server() = default;
  v1::ServerInfo service_info() const;

  ServerOptions options_;
  std::string config_hash_;
  int port_ = 0;
  int metrics_port_ = 0;
  int http_port_ = 0;
  std::shared_ptr<Metrics> metrics_;
  // Before the dispatcher: destroyed after it, so answers the dispatcher still hands over while
  // it winds down find the gateway's I/O context alive.
  std::unique_ptr<http::Gateway> gateway_;
  std::unique_ptr<prometheus::Exposer> exposer_;
  std::unique_ptr<Dispatcher> dispatcher_;
  std::unique_ptr<TokenFile> tokens_;  // null: no token required
  std::unique_ptr<ArbiterService> service_;
  std::unique_ptr<grpc::Server> grpc_server_;

  absl::Mutex shutdown_mu_;
  bool shut_down_ ABSL_GUARDED_BY(shutdown_mu_) = false;
};

// The arbiter version ("0.1.0") stamped on every response.
std::string Version();

}  // namespace arbiter::server
