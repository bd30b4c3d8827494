// One HTTP/1.1 connection of the gateway (Boost.Beast): reads a request, hands it to the
// Endpoints, writes the answer when it comes (from whichever thread), and reads the next one on
// the same connection unless either side asked to close (keep-alive; no pipelining: one request
// at a time).
//
// Limits: headers <= 64 KiB (431), body <= max_body_bytes (413), `Expect: 100-continue`
// answered; an idle connection is closed after idle_timeout; reading a request's body and
// writing an answer each have write_timeout. While draining every answer carries
// `Connection: close`. A refused connection (over max connections) reads one request and
// answers 503 + Retry-After + close, within refuse_timeout.
//
// Thread-safety: each connection runs on its own strand; the shared counters are atomics.
#pragma once

#include <atomic>
#include <cstdint>

#include <memory>
#include "absl/time/time.h"

#include "boost/asio/ip/tcp.hpp"
#include "boost/asio/ssl/context.hpp"
#include "server/http/endpoints.h"

namespace arbiter::server::http {

// Shared by every connection of a gateway; outlives them all.
struct ConnectionContext {
  const Endpoints* endpoints = nullptr;
  int64_t max_body_bytes = 0;
  absl::Duration idle_timeout = absl::Seconds(75);
  absl::Duration io_timeout = absl::Seconds(60);
  absl::Duration refuse_timeout = absl::Seconds(5);
  std::atomic<bool> draining{false};
  std::atomic<int64_t> open_connections{0};     // served connections
  std::atomic<int64_t> refused_connections{0};  // being refused right now
  std::atomic<int64_t> in_flight_requests{0};   // read, not yet answered
};

// Serves `socket` (on a strand of its own) until either side closes. `refuse`: answer 503.
// `tls`: when set, a TLS handshake first (within io_timeout), then HTTP over it.
void StartConnection(boost::asio::ip::tcp::socket socket, ConnectionContext* context, bool refuse,
                     std::shared_ptr<boost::asio::ssl::context> tls = nullptr);

}  // namespace arbiter::server::http
