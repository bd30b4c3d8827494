#include "server/http/gateway.h"

#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "boost/asio/executor_work_guard.hpp"
#include "boost/asio/io_context.hpp"
#include "boost/asio/ip/tcp.hpp"
#include "boost/asio/post.hpp"
#include "boost/asio/steady_timer.hpp"
#include "boost/asio/strand.hpp"
#include "server/http/coalescer.h"
#include "server/http/connection.h"
#include "server/http/endpoints.h"
#include "server/http/tls.h"

namespace arbiter::server::http {
namespace {

namespace net = boost::asio;
using tcp = net::ip::tcp;

// After the grace period, cancelled requests still get this long to be answered (INFRA_ERROR)
// before their connections are closed.
constexpr absl::Duration kCancelFlush = absl::Milliseconds(500);

// "HOST:PORT" → endpoint; HOST is a numeric IPv4/IPv6 address ("[::1]:80" too) or "localhost".
absl::StatusOr<tcp::endpoint> ParseEndpoint(const std::string& address) {
  const size_t colon = address.rfind(':');
  int port = -1;
  if (colon == std::string::npos || !absl::SimpleAtoi(address.substr(colon + 1), &port) ||
      port < 0 || port > 65535) {
    return absl::InvalidArgumentError(
        absl::StrCat("http_address '", address, "' is not HOST:PORT"));
  }
  std::string host = address.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  if (host == "localhost") host = "127.0.0.1";
  if (host.empty()) host = "0.0.0.0";
  boost::system::error_code ec;
  const net::ip::address ip = net::ip::make_address(host, ec);
  if (ec) {
    return absl::InvalidArgumentError(absl::StrCat(
        "http_address '", address, "': host must be a numeric IP address or localhost"));
  }
  return tcp::endpoint(ip, static_cast<unsigned short>(port));
}

}  // namespace

struct Gateway::Impl {
  Impl(const ServerOptions& options, Dispatcher* dispatcher, const sdk::VerifierRegistry* registry,
       v1::ServerInfo server_info, const TokenFile* tokens)
      : options(options),
        cancellation(std::make_shared<sdk::CancellationToken>()),
        coalescer(dispatcher, {options.http_batch_window, options.http_batch_max_items},
                  cancellation),
        endpoints(EndpointsContext{dispatcher, registry, &coalescer, std::move(server_info),
                                   options.http_default_verifier, options.http_request_timeout,
                                   options.max_message_bytes, &context.draining, cancellation,
                                   tokens}),
        io(options.http_threads),
        work(net::make_work_guard(io)),
        acceptor(net::make_strand(io)),
        retry_timer(acceptor.get_executor()) {
    context.endpoints = &endpoints;
    context.max_body_bytes = options.max_message_bytes;
    context.idle_timeout = options.http_idle_timeout;
  }

  absl::Status Listen();
  void Accept();
  void OnAccept(boost::system::error_code ec, tcp::socket socket);
  void WaitForInFlight(absl::Time deadline);

  const ServerOptions options;
  // Declared before the io_context: connections destroyed with it still count themselves out.
  ConnectionContext context;
  const std::shared_ptr<sdk::CancellationToken> cancellation;
  Coalescer coalescer;
  Endpoints endpoints;
  net::io_context io;
  net::executor_work_guard<net::io_context::executor_type> work;
  tcp::acceptor acceptor;
  net::steady_timer retry_timer;
  int port = 0;
  std::vector<std::thread> threads;
  std::unique_ptr<TlsContextSource> tls;  // null: plaintext

  absl::Mutex mu;
  bool shut_down ABSL_GUARDED_BY(mu) = false;
};

absl::Status Gateway::Impl::Listen() {
  absl::StatusOr<tcp::endpoint> endpoint = ParseEndpoint(options.http_address);
  if (!endpoint.ok()) return endpoint.status();
  boost::system::error_code ec;
  acceptor.open(endpoint->protocol(), ec);
  // SO_REUSEADDR only lets a restarted server bind past TIME_WAIT; a live listener still makes
  // bind() fail (no SO_REUSEPORT), so a busy address is an error, as for gRPC.
  if (!ec) acceptor.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(*endpoint, ec);
  if (!ec) acceptor.listen(net::socket_base::max_listen_connections, ec);
  if (ec) {
    return absl::UnavailableError(
        absl::StrCat("cannot serve HTTP on '", options.http_address, "': ", ec.message()));
  }
  port = acceptor.local_endpoint().port();
  return absl::OkStatus();
}

void Gateway::Impl::Accept() {
  acceptor.async_accept(net::make_strand(io),
                        [this](boost::system::error_code ec, tcp::socket socket) {
                          OnAccept(ec, std::move(socket));
                        });
}

void Gateway::Impl::OnAccept(boost::system::error_code ec, tcp::socket socket) {
  if (!acceptor.is_open() || ec == net::error::operation_aborted) return;
  if (ec) {
    // Out of file descriptors and the like: back off instead of spinning on accept().
    retry_timer.expires_after(std::chrono::milliseconds(50));
    retry_timer.async_wait([this](boost::system::error_code timer_ec) {
      if (!timer_ec && acceptor.is_open()) Accept();
    });
    return;
  }
  socket.set_option(tcp::no_delay(true), ec);
  const int64_t limit = options.http_max_connections;
  if (context.open_connections.load() < limit) {
    StartConnection(std::move(socket), &context, /*refuse=*/false, tls ? tls->Current() : nullptr);
  } else if (context.refused_connections.load() < limit) {
    StartConnection(std::move(socket), &context, /*refuse=*/true, tls ? tls->Current() : nullptr);
  }  // else: the socket closes here, unanswered: the refusals themselves are over the bound
  Accept();
}

void Gateway::Impl::WaitForInFlight(absl::Time deadline) {
  // Shutdown only: polling keeps the connections free of any shutdown bookkeeping.
  while (context.in_flight_requests.load() > 0 && absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(5));
  }
}

Gateway::Gateway(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

absl::StatusOr<std::unique_ptr<Gateway>> Gateway::Create(const ServerOptions& options,
                                                         Dispatcher* dispatcher,
                                                         const sdk::VerifierRegistry* registry,
                                                         v1::ServerInfo server_info,
                                                         const TokenFile* tokens) {
  if (options.http_address.empty()) {
    return absl::InvalidArgumentError("Gateway: http_address is empty (the gateway is off)");
  }
  auto impl = std::make_unique<Impl>(options, dispatcher, registry, std::move(server_info), tokens);
  if (!options.tls_cert_file.empty()) {
    absl::StatusOr<std::unique_ptr<TlsContextSource>> tls = TlsContextSource::Create(
        options.tls_cert_file, options.tls_key_file, options.tls_reload_interval);
    if (!tls.ok()) {
      impl->coalescer.Shutdown();
      return tls.status();
    }
    impl->tls = *std::move(tls);
  }
  if (absl::Status status = impl->Listen(); !status.ok()) {
    impl->coalescer.Shutdown();
    return status;
  }
  Impl* raw = impl.get();
  net::post(raw->acceptor.get_executor(), [raw] { raw->Accept(); });
  for (int i = 0; i < options.http_threads; ++i) {
    raw->threads.emplace_back([raw] { raw->io.run(); });
  }
  return std::unique_ptr<Gateway>(new Gateway(std::move(impl)));
}

Gateway::~Gateway() { Shutdown(absl::Now()); }

int Gateway::port() const { return impl_->port; }

void Gateway::StartDraining() {
  if (impl_->context.draining.exchange(true)) return;
  Impl* raw = impl_.get();
  net::post(raw->acceptor.get_executor(), [raw] {
    boost::system::error_code ignored;
    raw->acceptor.close(ignored);
    raw->retry_timer.cancel();
  });
}

void Gateway::Shutdown(absl::Time deadline) {
  absl::MutexLock lock(&impl_->mu);
  if (impl_->shut_down) return;
  impl_->shut_down = true;
  StartDraining();
  impl_->WaitForInFlight(deadline);
  if (impl_->context.in_flight_requests.load() > 0) {
    impl_->cancellation->Cancel();
    impl_->WaitForInFlight(absl::Now() + kCancelFlush);
  }
  impl_->coalescer.Shutdown();
  impl_->work.reset();
  impl_->io.stop();
  for (std::thread& thread : impl_->threads) thread.join();
  impl_->threads.clear();
  // io.stop() drops handlers still queued, StartDraining's close among them when the I/O thread
  // had not reached it (seen under ASan in CI): the listener stayed open and the kernel went on
  // accepting connections nobody would serve. No I/O thread runs now, so close it here (a
  // pending accept-retry timer can no longer fire either).
  boost::system::error_code ignored;
  impl_->acceptor.close(ignored);
}

}  // namespace arbiter::server::http
