// The HTTP transport: per-sample POSTs to the gateway, as the trainers send them
// (spec/trainers.md). slime: POST /slime/reward?reward_key=reward on keep-alive connections
// (slime's shared aiohttp session keeps one per request in flight); openrlhf: POST /get_reward
// with one query, on a new connection per request (OpenRLHF's agent). A call is one sample.
//
// Event-driven, as an aiohttp client is: `threads` I/O loops (default one), each owning its
// connections; a call is a chain of asynchronous connect/write/read on its loop, so thousands of
// calls in flight cost no thread each. Every request is pre-encoded (headers and body) and only
// its tag is rewritten per call. Connections are opened on demand, so at most one per call in
// flight.
#include <atomic>
#include <memory>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "boost/asio/executor_work_guard.hpp"
#include "boost/asio/ip/tcp.hpp"
#include "boost/asio/post.hpp"
#include "boost/beast/core.hpp"
#include "boost/beast/http.hpp"
#include "client/cli/bench/transport.h"
#include "nlohmann/json.hpp"

namespace arbiter::client::cli::bench {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using json = nlohmann::json;

constexpr char kPrompt[] =
    "<|im_start|>user\nSolve the task; put the final answer in \\boxed{}.<|im_end|>\n"
    "<|im_start|>assistant\n";

// One pre-encoded request: the whole HTTP message, with the offset of its tag.
struct Message {
  std::string bytes;
  size_t tag = 0;
  double groups = 0;
};

int OutcomeNumber(const std::string& name) {
  if (name == "CORRECT") return 1;
  if (name == "INCORRECT") return 2;
  if (name == "NO_ANSWER") return 3;
  if (name == "INFRA_ERROR") return 4;
  return 0;
}

// slime's path asks for the outcome too (reward_key); ?verifier= when the labels are bare.
std::string Target(bool slime, const std::string& verifier) {
  std::vector<std::string> query;
  if (slime) query.emplace_back("reward_key=reward");
  if (!verifier.empty()) query.push_back(absl::StrCat("verifier=", verifier));
  return absl::StrCat(slime ? "/slime/reward" : "/get_reward", query.empty() ? "" : "?",
                      absl::StrJoin(query, "&"));
}

// Reads a 200 answer's outcome (and, OpenRLHF, whether it was cached) into `out`.
void Tally(bool slime, const std::string& body, CallOutcome& out) {
  const json answer = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (slime && answer.is_number()) {
    ++out.outcomes[0];  // a server that answers only the score (a baseline): outcome unknown
  } else if (slime && answer.is_object() && answer.contains("outcome") &&
             answer["outcome"].is_string()) {
    const int o = OutcomeNumber(answer["outcome"].get<std::string>());
    ++out.outcomes[o];
    if (o == 0) ++out.group_errors;
  } else if (!slime && answer.is_object() && answer.contains("outcomes") &&
             answer["outcomes"].is_array() && answer["outcomes"].size() == 1 &&
             answer["outcomes"][0].is_string()) {
    const int o = OutcomeNumber(answer["outcomes"][0].get<std::string>());
    ++out.outcomes[o];
    if (o == 0) ++out.group_errors;
    const json& cached = answer["extra_logs"]["cached"];
    if (cached.is_array() && !cached.empty() && cached[0] == 1) ++out.cached;
  } else {
    out.code = "DATA_LOSS";
    out.message = absl::StrCat("unexpected answer: ", body.substr(0, 200));
  }
}

// A connection and the buffer its answers are read into.
struct Connection {
  explicit Connection(asio::io_context& io) : stream(io) {}
  beast::tcp_stream stream;
  beast::flat_buffer buffer;
};

// One I/O thread and the connections it owns. Everything but `io` is touched only on `thread`.
struct Loop {
  asio::io_context io{1};
  asio::executor_work_guard<asio::io_context::executor_type> work = asio::make_work_guard(io);
  std::vector<std::unique_ptr<Connection>> idle;  // keep-alive connections between calls
  std::thread thread;
};

// One call in flight; owned by the handler chain running it.
struct Call {
  Loop* loop = nullptr;
  Done done;
  std::string bytes;
  double groups = 0;
  std::unique_ptr<Connection> connection;
  http::response<http::string_body> response;
};

class HttpTransport final : public Transport {
 public:
  HttpTransport(const TransportOptions& options, tcp::endpoint endpoint,
                std::vector<Message> messages)
      : slime_(options.kind == "slime"),
        deadline_(absl::ToChronoNanoseconds(options.deadline)),
        endpoint_(std::move(endpoint)),
        messages_(std::move(messages)),
        loops_(static_cast<size_t>(std::clamp(options.http_threads, 1, 64))) {
    for (Loop& loop : loops_) loop.thread = std::thread([&loop] { loop.io.run(); });
  }

  // The driver has seen every call end: no handler is pending, so the loops stop once released.
  ~HttpTransport() override {
    for (Loop& loop : loops_) {
      loop.work.reset();
      loop.thread.join();
      loop.idle.clear();
    }
  }

  void Start(uint64_t n, Done done) override {
    Loop& loop = loops_[next_loop_.fetch_add(1, std::memory_order_relaxed) % loops_.size()];
    auto call = std::make_shared<Call>();
    call->loop = &loop;
    call->done = std::move(done);
    const Message& m = messages_[n % messages_.size()];
    call->bytes = m.bytes;
    WriteTag(n, 0, call->bytes.data() + m.tag);
    call->groups = m.groups;
    asio::post(loop.io, [this, call] { Begin(call); });
  }

  bool reports_cached() const override { return !slime_; }

 private:
  void Begin(const std::shared_ptr<Call>& call) {
    Loop& loop = *call->loop;
    if (slime_ && !loop.idle.empty()) {
      call->connection = std::move(loop.idle.back());
      loop.idle.pop_back();
      Write(call);
      return;
    }
    call->connection = std::make_unique<Connection>(loop.io);
    call->connection->stream.expires_after(deadline_);
    call->connection->stream.async_connect(endpoint_, [this, call](beast::error_code ec) {
      if (ec) return End(call, "CONNECT", ec.message());
      call->connection->stream.socket().set_option(tcp::no_delay(true), ec);
      Write(call);
    });
  }

  void Write(const std::shared_ptr<Call>& call) {
    Connection& c = *call->connection;
    c.stream.expires_after(deadline_);  // covers the write and the read
    asio::async_write(c.stream, asio::buffer(call->bytes),
                      [this, call](beast::error_code ec, size_t) {
                        if (ec) return End(call, "UNAVAILABLE", ec.message());
                        Connection& c = *call->connection;
                        http::async_read(c.stream, c.buffer, call->response,
                                         [this, call](beast::error_code ec, size_t) {
                                           if (ec) return End(call, "UNAVAILABLE", ec.message());
                                           Answered(call);
                                         });
                      });
  }

  void Answered(const std::shared_ptr<Call>& call) {
    CallOutcome out;
    const http::response<http::string_body>& response = call->response;
    if (response.result_int() != 200) {
      out.code = absl::StrCat("HTTP ", response.result_int());
      out.message = response.body().substr(0, 200);
    } else {
      Tally(slime_, response.body(), out);
    }
    if (slime_ && response.keep_alive()) {
      call->connection->buffer.clear();
      call->loop->idle.push_back(std::move(call->connection));
    }
    Finish(call, std::move(out));
  }

  void End(const std::shared_ptr<Call>& call, const std::string& code, const std::string& message) {
    call->connection.reset();
    CallOutcome out;
    out.code = code;
    out.message = message;
    Finish(call, std::move(out));
  }

  static void Finish(const std::shared_ptr<Call>& call, CallOutcome out) {
    out.items = 1;
    out.groups = call->groups;
    std::move(call->done)(std::move(out));
  }

  const bool slime_;
  const std::chrono::nanoseconds deadline_;
  const tcp::endpoint endpoint_;
  const std::vector<Message> messages_;
  std::vector<Loop> loops_;
  std::atomic<size_t> next_loop_{0};
};

// The verifier every label names when they all name the same one and no mode, else "". Then
// labels go bare (the dataset's ground truth, as trainers send it) with ?verifier= in the URL,
// which also lets a baseline server that reads bare labels take the same traffic.
std::string SharedVerifier(const Workload& workload) {
  std::string shared;
  for (const std::vector<json>& labels : workload.labels) {
    for (const json& label : labels) {
      if (label.contains("mode")) return "";
      const std::string v = label.value("verifier", "");
      if (v.empty() || (!shared.empty() && v != shared)) return "";
      shared = v;
    }
  }
  return shared;
}

// The per-sample requests of every template, in call order, encoded whole.
std::vector<Message> Messages(const Workload& workload, bool slime, const std::string& host) {
  const std::string verifier = SharedVerifier(workload);
  const bool bare = !verifier.empty();
  const std::string head =
      absl::StrCat("POST ", Target(slime, verifier), " HTTP/1.1\r\nHost: ", host,
                   "\r\nContent-Type: application/json\r\n", slime ? "" : "Connection: close\r\n",
                   "Content-Length: ");
  std::vector<Message> messages;
  for (size_t r = 0; r < workload.requests.size(); ++r) {
    const v1::ScoreRequest& request = workload.requests[r];
    for (int g = 0; g < request.groups_size(); ++g) {
      const json& envelope = workload.labels[r][static_cast<size_t>(g)];
      const json& label = bare ? envelope["ground_truth"] : envelope;
      const double share = 1.0 / std::max(1, request.groups(g).samples_size());
      for (const v1::Sample& sample : request.groups(g).samples()) {
        const json j =
            slime ? json{{"prompt", kPrompt}, {"response", sample.completion()}, {"label", label}}
                  : json{{"query", {kPrompt + sample.completion()}},
                         {"prompts", {kPrompt}},
                         {"labels", {label}}};
        const std::string body = j.dump();
        Message m{absl::StrCat(head, body.size(), "\r\n\r\n"), 0, share};
        const std::vector<size_t> tags = FindTags(body);
        if (!tags.empty()) m.tag = m.bytes.size() + tags[0];
        m.bytes += body;
        messages.push_back(std::move(m));
      }
    }
  }
  return messages;
}

}  // namespace

absl::StatusOr<std::unique_ptr<Transport>> MakeHttpTransport(const TransportOptions& options,
                                                             const Workload& workload) {
  if (!workload.http_refusal.empty()) {
    return absl::InvalidArgumentError(absl::StrCat("workload ", workload.name, " over --transport=",
                                                   options.kind, ": ", workload.http_refusal));
  }
  const size_t colon = options.address.rfind(':');
  int port = 0;
  if (colon == std::string::npos || !absl::SimpleAtoi(options.address.substr(colon + 1), &port)) {
    return absl::InvalidArgumentError(
        absl::StrCat("--http=", options.address, " is not HOST:PORT"));
  }
  std::string host = options.address.substr(0, colon);
  if (host.size() > 2 && host.front() == '[') host = host.substr(1, host.size() - 2);
  asio::io_context io;
  tcp::resolver resolver(io);
  beast::error_code ec;
  const auto resolved = resolver.resolve(host, std::to_string(port), ec);
  if (ec || resolved.empty()) {
    return absl::UnavailableError(absl::StrCat("cannot resolve ", host, ": ", ec.message()));
  }
  const std::string host_header =
      absl::StrCat(!absl::StrContains(host, ':') ? host : absl::StrCat("[", host, "]"), ":", port);
  std::vector<Message> messages = Messages(workload, options.kind == "slime", host_header);
  if (messages.empty()) return absl::InvalidArgumentError("the workload has no samples");
  return std::make_unique<HttpTransport>(options, resolved.begin()->endpoint(),
                                         std::move(messages));
}

}  // namespace arbiter::client::cli::bench
