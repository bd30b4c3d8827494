#include "server/http/connection.h"

#include <algorithm>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "boost/asio/dispatch.hpp"
#include "boost/asio/post.hpp"
#include "boost/beast/core.hpp"
#include "boost/beast/http.hpp"
#include "boost/beast/ssl.hpp"

namespace arbiter::server::http {
namespace {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace net = boost::asio;

constexpr uint32_t kMaxHeaderBytes = 64 * 1024;
// Beast reads at most the buffer's free capacity (at least 512 bytes) per recvmsg, and a
// flat_buffer that the parser keeps draining stays near 1 KiB: a 2.4 KB slime request took 5
// reads. A request's headers and a typical trainer body arrive in one read from this much room
// (8 KiB per open connection); a longer body gets room for its Content-Length (up to 64 KiB)
// once the headers are in, and a connection gives back more than that once it is answered.
constexpr size_t kReadBytes = size_t{8} * 1024;
constexpr size_t kKeptReadBytes = size_t{64} * 1024;

std::chrono::steady_clock::duration Chrono(absl::Duration d) {
  return absl::ToChronoNanoseconds(d);
}

// Stream: beast::tcp_stream (plaintext) or beast::ssl_stream<beast::tcp_stream> (TLS).
template <class Stream>
class Connection : public std::enable_shared_from_this<Connection<Stream>> {
 public:
  template <class... TlsContext>
  Connection(net::ip::tcp::socket socket, ConnectionContext* context, bool refuse,
             TlsContext&... tls)
      : stream_(std::move(socket), tls...), context_(context), refuse_(refuse) {
    (refuse_ ? context_->refused_connections : context_->open_connections).fetch_add(1);
  }
  ~Connection() {
    (refuse_ ? context_->refused_connections : context_->open_connections).fetch_sub(1);
  }

  void KeepAlive(std::shared_ptr<net::ssl::context> tls) { tls_context_ = std::move(tls); }

  void Start() {
    net::dispatch(stream_.get_executor(), [self = this->shared_from_this()] {
      if constexpr (kTls) {
        self->tcp().expires_after(Chrono(self->context_->io_timeout));
        self->stream_.async_handshake(net::ssl::stream_base::server, [self](beast::error_code ec) {
          if (ec) return self->Close();
          self->ReadHeader();
        });
      } else {
        self->ReadHeader();
      }
    });
  }

 private:
  static constexpr bool kTls = !std::is_same_v<Stream, beast::tcp_stream>;
  beast::tcp_stream& tcp() { return beast::get_lowest_layer(stream_); }

  void ReadHeader() {
    if (buffer_.capacity() > kKeptReadBytes) buffer_.shrink_to_fit();
    buffer_.reserve(kReadBytes);
    parser_.emplace();
    parser_->header_limit(kMaxHeaderBytes);
    parser_->body_limit(static_cast<uint64_t>(context_->max_body_bytes));
    tcp().expires_after(Chrono(refuse_ ? context_->refuse_timeout : context_->idle_timeout));
    bhttp::async_read_header(
        stream_, buffer_, *parser_,
        [self = this->shared_from_this()](beast::error_code ec, size_t) { self->OnHeader(ec); });
  }

  void OnHeader(beast::error_code ec) {
    if (ec) return OnReadError(ec);
    if (!refuse_) tcp().expires_after(Chrono(context_->io_timeout));
    if (const auto length = parser_->content_length(); length && !refuse_) {
      // Room for the body, up to what one read takes (Beast reads <= 64 KiB at a time): a
      // client cannot make us reserve more than that by announcing a long body.
      buffer_.reserve(std::min<size_t>(buffer_.size() + std::min<uint64_t>(*length, kKeptReadBytes),
                                       kKeptReadBytes));
    }
    const auto& header = parser_->get();
    if (absl::EqualsIgnoreCase(std::string(header[bhttp::field::expect]), "100-continue")) {
      // curl sends it for bodies over 1 KiB and waits a second for this before sending.
      continue_.emplace(bhttp::status::continue_, header.version());
      bhttp::async_write(stream_, *continue_,
                         [self = this->shared_from_this()](beast::error_code ec, size_t) {
                           if (ec) return self->Close();
                           self->ReadBody();
                         });
      return;
    }
    ReadBody();
  }

  void ReadBody() {
    bhttp::async_read(
        stream_, buffer_, *parser_,
        [self = this->shared_from_this()](beast::error_code ec, size_t) { self->OnBody(ec); });
  }

  void OnReadError(beast::error_code ec) {
    if (ec == bhttp::error::body_limit) {
      return Answer(ErrorResponse(413, absl::StrCat("request body larger than the limit of ",
                                                    context_->max_body_bytes, " bytes")),
                    /*close=*/true);
    }
    if (ec == bhttp::error::header_limit) {
      return Answer(ErrorResponse(431, "request headers larger than 64 KiB"), /*close=*/true);
    }
    if (ec == bhttp::error::end_of_stream || ec == net::error::eof || ec == beast::error::timeout ||
        ec == net::error::operation_aborted || ec == net::error::connection_reset) {
      return Close();
    }
    // Anything else is a malformed request: say so, then close (the stream is out of sync).
    Answer(ErrorResponse(400, absl::StrCat("malformed HTTP request: ", ec.message())),
           /*close=*/true);
  }

  void OnBody(beast::error_code ec) {
    if (ec) return OnReadError(ec);
    bhttp::request<bhttp::string_body> request = parser_->release();
    keep_alive_ = request.keep_alive();
    version_ = request.version();
    head_ = request.method() == bhttp::verb::head;
    if (refuse_) {
      HttpResponse response = ErrorResponse(
          503, "too many open connections; retry later or reuse a keep-alive connection");
      response.retry_after_seconds = 1;
      return Answer(std::move(response), /*close=*/true);
    }
    context_->in_flight_requests.fetch_add(1);
    counted_ = true;
    tcp().expires_never();  // the request's own deadline bounds the wait
    HttpRequest forwarded{std::string(request.method_string()), std::string(request.target()),
                          std::move(request.body()),
                          std::string(request[bhttp::field::authorization])};
    context_->endpoints->Handle(
        forwarded, [self = this->shared_from_this()](HttpResponse response) mutable {
          // From a dispatcher worker: the network I/O happens on the connection's strand.
          auto executor = self->stream_.get_executor();
          net::post(executor, [self = std::move(self), response = std::move(response)]() mutable {
            self->Answer(std::move(response), /*close=*/false);
          });
        });
  }

  void Answer(HttpResponse answer, bool close) {
    close_after_ = close || !keep_alive_ || context_->draining.load();
    response_.emplace(static_cast<bhttp::status>(answer.status), version_);
    response_->set(bhttp::field::server, "arbiterd");
    response_->set(bhttp::field::content_type, answer.content_type);
    if (answer.retry_after_seconds > 0) {
      response_->set(bhttp::field::retry_after, std::to_string(answer.retry_after_seconds));
    }
    if (!answer.allow.empty()) response_->set(bhttp::field::allow, answer.allow);
    if (!answer.www_authenticate.empty()) {
      response_->set(bhttp::field::www_authenticate, answer.www_authenticate);
    }
    response_->keep_alive(!close_after_);
    if (!head_) response_->body() = std::move(answer.body);
    response_->prepare_payload();
    tcp().expires_after(Chrono(context_->io_timeout));
    bhttp::async_write(
        stream_, *response_,
        [self = this->shared_from_this()](beast::error_code ec, size_t) { self->OnWritten(ec); });
  }

  void OnWritten(beast::error_code ec) {
    if (counted_) {
      context_->in_flight_requests.fetch_sub(1);
      counted_ = false;
    }
    response_.reset();
    if (ec || close_after_) return Close();
    head_ = false;
    ReadHeader();
  }

  void Close() {
    beast::error_code ignored;
    tcp().socket().shutdown(net::ip::tcp::socket::shutdown_send, ignored);
    tcp().socket().close(ignored);
  }

  Stream stream_;
  std::shared_ptr<net::ssl::context> tls_context_;
  ConnectionContext* const context_;
  const bool refuse_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  std::optional<bhttp::response<bhttp::empty_body>> continue_;
  std::optional<bhttp::response<bhttp::string_body>> response_;
  unsigned version_ = 11;
  bool keep_alive_ = false;
  bool head_ = false;
  bool close_after_ = false;
  bool counted_ = false;
};

}  // namespace

void StartConnection(net::ip::tcp::socket socket, ConnectionContext* context, bool refuse,
                     std::shared_ptr<net::ssl::context> tls) {
  if (tls == nullptr) {
    std::make_shared<Connection<beast::tcp_stream>>(std::move(socket), context, refuse)->Start();
    return;
  }
  // The connection keeps the context it started with alive, even after a certificate reload.
  auto connection = std::make_shared<Connection<beast::ssl_stream<beast::tcp_stream>>>(
      std::move(socket), context, refuse, *tls);
  connection->KeepAlive(std::move(tls));
  connection->Start();
}

}  // namespace arbiter::server::http
