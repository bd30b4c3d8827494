// The HTTP transport: per-sample POSTs to the gateway, as the trainers send them
// (spec/trainers.md). slime: POST /slime/reward?reward_key=reward on one keep-alive connection
// per worker (slime's shared aiohttp session); openrlhf: POST /get_reward with one query, on a
// new connection per request (OpenRLHF's agent). A call is one sample. Each worker is a thread
// blocking on its socket (Boost.Beast), so `max_in_flight` bounds both threads and connections.
#include <deque>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/synchronization/mutex.h"
#include "boost/asio/ip/tcp.hpp"
#include "boost/beast/core.hpp"
#include "boost/beast/http.hpp"
#include "client/cli/bench/transport.h"
#include "nlohmann/json.hpp"

namespace arbiter::client::cli::bench {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
using tcp = boost::asio::ip::tcp;
using json = nlohmann::json;

constexpr char kPrompt[] =
    "<|im_start|>user\nSolve the task; put the final answer in \\boxed{}.<|im_end|>\n"
    "<|im_start|>assistant\n";

struct Body {
  std::string text;
  size_t tag = 0;  // offset of the tag
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

class HttpTransport final : public Transport {
 public:
  HttpTransport(const TransportOptions& options, tcp::endpoint endpoint, std::string host,
                std::vector<Body> bodies, const std::string& verifier)
      : slime_(options.kind == "slime"),
        target_(Target(slime_, verifier)),
        deadline_(options.deadline),
        endpoint_(std::move(endpoint)),
        host_(std::move(host)),
        bodies_(std::move(bodies)) {
    for (int i = 0; i < std::max(1, options.max_in_flight); ++i) {
      workers_.emplace_back([this] { Work(); });
    }
  }

  ~HttpTransport() override {
    {
      absl::MutexLock lock(&mu_);
      stopping_ = true;
    }
    for (std::thread& t : workers_) t.join();
  }

  void Start(uint64_t call, Done done) override {
    absl::MutexLock lock(&mu_);
    queue_.emplace_back(call, std::move(done));
  }

  bool reports_cached() const override { return !slime_; }

 private:
  void Work() {
    boost::asio::io_context io;
    std::unique_ptr<beast::tcp_stream> stream;
    std::string body;
    while (true) {
      std::pair<uint64_t, Done> next;
      {
        absl::MutexLock lock(&mu_);
        mu_.Await(absl::Condition(
            +[](HttpTransport* t) { return t->stopping_ || !t->queue_.empty(); }, this));
        if (queue_.empty()) return;
        next = std::move(queue_.front());
        queue_.pop_front();
      }
      const Body& b = bodies_[next.first % bodies_.size()];
      body = b.text;
      WriteTag(next.first, 0, body.data() + b.tag);
      CallOutcome outcome = Post(io, stream, body);
      outcome.items = 1;
      outcome.groups = b.groups;
      std::move(next.second)(std::move(outcome));
    }
  }

  CallOutcome Post(boost::asio::io_context& io, std::unique_ptr<beast::tcp_stream>& stream,
                   const std::string& body) {
    CallOutcome out;
    beast::error_code ec;
    if (stream == nullptr || !slime_) {
      stream = std::make_unique<beast::tcp_stream>(io);
      stream->expires_after(absl::ToChronoNanoseconds(deadline_));
      stream->async_connect(endpoint_, [&ec](beast::error_code e) { ec = e; });
      RunIo(io);
      if (ec) return Failed(stream, "CONNECT", ec.message());
    }
    stream->expires_after(absl::ToChronoNanoseconds(deadline_));
    http::request<http::string_body> request{http::verb::post, target_, 11};
    request.set(http::field::host, host_);
    request.set(http::field::content_type, "application/json");
    request.keep_alive(slime_);
    request.body() = body;
    request.prepare_payload();
    // Asynchronous operations run to completion here: only they honour the stream's timeout.
    http::async_write(*stream, request, [&ec](beast::error_code e, size_t) { ec = e; });
    RunIo(io);
    beast::flat_buffer buffer;
    http::response<http::string_body> response;
    if (!ec) {
      http::async_read(*stream, buffer, response, [&ec](beast::error_code e, size_t) { ec = e; });
      RunIo(io);
    }
    if (ec) return Failed(stream, "UNAVAILABLE", ec.message());
    if (!response.keep_alive() || !slime_) stream.reset();
    if (response.result_int() != 200) {
      out.code = absl::StrCat("HTTP ", response.result_int());
      out.message = response.body().substr(0, 200);
      return out;
    }
    const json answer = json::parse(response.body(), nullptr, /*allow_exceptions=*/false);
    if (slime_ && answer.is_number()) {
      ++out.outcomes[0];  // a server that answers only the score (a baseline): outcome unknown
    } else if (slime_ && answer.is_object() && answer.contains("outcome")) {
      const int o = OutcomeNumber(answer["outcome"].get<std::string>());
      ++out.outcomes[o];
      if (o == 0) ++out.group_errors;
    } else if (!slime_ && answer.is_object() && answer.contains("outcomes") &&
               answer["outcomes"].size() == 1) {
      const int o = OutcomeNumber(answer["outcomes"][0].get<std::string>());
      ++out.outcomes[o];
      if (o == 0) ++out.group_errors;
      const json& cached = answer["extra_logs"]["cached"];
      if (cached.is_array() && !cached.empty() && cached[0] == 1) ++out.cached;
    } else {
      out.code = "DATA_LOSS";
      out.message = absl::StrCat("unexpected answer: ", response.body().substr(0, 200));
    }
    return out;
  }

  static void RunIo(boost::asio::io_context& io) {
    io.restart();
    io.run();
  }

  static CallOutcome Failed(std::unique_ptr<beast::tcp_stream>& stream, const std::string& code,
                            const std::string& message) {
    stream.reset();
    CallOutcome out;
    out.code = code;
    out.message = message;
    return out;
  }

  const bool slime_;
  const std::string target_;
  const absl::Duration deadline_;
  const tcp::endpoint endpoint_;
  const std::string host_;
  const std::vector<Body> bodies_;
  std::vector<std::thread> workers_;
  absl::Mutex mu_;
  std::deque<std::pair<uint64_t, Done>> queue_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
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

// The per-sample bodies of every template, in call order.
std::vector<Body> Bodies(const Workload& workload, bool slime) {
  const bool bare = !SharedVerifier(workload).empty();
  std::vector<Body> bodies;
  for (size_t r = 0; r < workload.requests.size(); ++r) {
    const v1::ScoreRequest& request = workload.requests[r];
    for (int g = 0; g < request.groups_size(); ++g) {
      const json& envelope = workload.labels[r][static_cast<size_t>(g)];
      const json& label = bare ? envelope["ground_truth"] : envelope;
      const double share = 1.0 / std::max(1, request.groups(g).samples_size());
      for (const v1::Sample& sample : request.groups(g).samples()) {
        json j =
            slime ? json{{"prompt", kPrompt}, {"response", sample.completion()}, {"label", label}}
                  : json{{"query", {kPrompt + sample.completion()}},
                         {"prompts", {kPrompt}},
                         {"labels", {label}}};
        Body b{j.dump(), 0, share};
        const std::vector<size_t> tags = FindTags(b.text);
        if (!tags.empty()) b.tag = tags[0];
        bodies.push_back(std::move(b));
      }
    }
  }
  return bodies;
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
  boost::asio::io_context io;
  tcp::resolver resolver(io);
  beast::error_code ec;
  const auto resolved = resolver.resolve(host, std::to_string(port), ec);
  if (ec || resolved.empty()) {
    return absl::UnavailableError(absl::StrCat("cannot resolve ", host, ": ", ec.message()));
  }
  std::vector<Body> bodies = Bodies(workload, options.kind == "slime");
  if (bodies.empty()) return absl::InvalidArgumentError("the workload has no samples");
  const std::string host_header =
      absl::StrCat(!absl::StrContains(host, ':') ? host : absl::StrCat("[", host, "]"), ":", port);
  return std::make_unique<HttpTransport>(options, resolved.begin()->endpoint(), host_header,
                                         std::move(bodies), SharedVerifier(workload));
}

}  // namespace arbiter::client::cli::bench
