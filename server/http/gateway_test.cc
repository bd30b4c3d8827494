// The HTTP gateway over real HTTP on 127.0.0.1:0, through Server (so the wiring is tested too),
// with the fake verifier: registered as "sat" (the gateway's default verifier) and "fake".
// FakeVerifier: CORRECT (1) when completion == ground truth, else INCORRECT (0); "block" waits.
#include "server/http/gateway.h"

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "boost/asio/connect.hpp"
#include "boost/asio/ip/tcp.hpp"
#include "boost/beast/core.hpp"
#include "boost/beast/http.hpp"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "server/server.h"
#include "server/testing/fake_verifier.h"

namespace arbiter::server::http {
namespace {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace net = boost::asio;
using nlohmann::json;
using testing::FakeVerifier;

struct Reply {
  int status = 0;
  std::string body;
  std::string retry_after;
  bool keep_alive = false;
  json Json() const { return json::parse(body); }
};

// A blocking HTTP/1.1 client on one keep-alive connection.
class Client {
 public:
  explicit Client(int port) : socket_(io_) {
    socket_.connect({net::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port)});
  }
  Reply Send(const std::string& method, const std::string& target, const std::string& body = "",
             bool keep_alive = true) {
    bhttp::request<bhttp::string_body> request(bhttp::string_to_verb(method), target, 11);
    request.set(bhttp::field::host, "127.0.0.1");
    request.set(bhttp::field::content_type, "application/json");
    request.keep_alive(keep_alive);
    request.body() = body;
    request.prepare_payload();
    beast::error_code ec;
    bhttp::write(socket_, request, ec);
    Reply reply;
    if (ec) return reply;
    bhttp::response_parser<bhttp::string_body> parser;
    parser.body_limit(1 << 30);
    bhttp::read(socket_, buffer_, parser, ec);
    if (ec) return reply;
    reply.status = parser.get().result_int();
    reply.body = parser.get().body();
    reply.retry_after = std::string(parser.get()[bhttp::field::retry_after]);
    reply.keep_alive = parser.get().keep_alive();
    return reply;
  }

 private:
  net::io_context io_;
  net::ip::tcp::socket socket_;
  beast::flat_buffer buffer_;
};

struct Fixture {
  explicit Fixture(ServerOptions options = {}) {
    auto owned = std::make_unique<FakeVerifier>("sat");
    fake = owned.get();
    EXPECT_TRUE(registry.Register(std::move(owned)).ok());
    EXPECT_TRUE(registry.Register(std::make_unique<FakeVerifier>("fake")).ok());
    options.address = "127.0.0.1:0";
    options.metrics_address = "";
    options.http_address = "127.0.0.1:0";
    options.grace_period = absl::Seconds(10);
    auto created = Server::Create(options, &registry);
    EXPECT_TRUE(created.ok()) << created.status();
    server = *std::move(created);
  }
  int port() const { return server->http_port(); }

  sdk::VerifierRegistry registry;
  FakeVerifier* fake = nullptr;
  std::unique_ptr<Server> server;
};

std::string OpenRlhfBody(const std::vector<std::string>& queries,
                         const std::vector<std::string>& prompts, const json& labels) {
  return json{{"query", queries}, {"prompts", prompts}, {"labels", labels}}.dump();
}

TEST(Gateway, IsOffByDefault) {
  ServerOptions options;
  options.address = "127.0.0.1:0";
  options.metrics_address = "";
  sdk::VerifierRegistry registry;
  ASSERT_TRUE(registry.Register(std::make_unique<FakeVerifier>("sat")).ok());
  auto server = Server::Create(options, &registry);
  ASSERT_TRUE(server.ok()) << server.status();
  EXPECT_EQ((*server)->http_port(), 0);
}

TEST(Gateway, GetRewardScoresEachQueryAfterItsPrompt) {
  Fixture t;
  Client client(t.port());
  const Reply reply =
      client.Send("POST", "/get_reward",
                  OpenRlhfBody({"PROMPT:yes", "PROMPT:no", "other:x"}, {"PROMPT:", "PROMPT:", "P"},
                               json{"yes", "yes", "x"}));
  ASSERT_EQ(reply.status, 200) << reply.body;
  const json answer = reply.Json();
  EXPECT_EQ(answer["rewards"], json({1.0, 0.0, 0.0}));
  EXPECT_EQ(answer["scores"], json({1.0, 0.0, 0.0}));
  EXPECT_EQ(answer["extra_logs"]["prompt_mismatch"], json({0.0, 0.0, 1.0}));
  EXPECT_EQ(answer["extra_logs"]["outcome_code"], json({1.0, 2.0, 2.0}));
}

TEST(Gateway, GetRewardAnswersEmptyListsWithEmptyLists) {
  Fixture t;
  const Reply reply =
      Client(t.port()).Send("POST", "/get_reward", OpenRlhfBody({}, {}, json::array()));
  ASSERT_EQ(reply.status, 200);
  EXPECT_EQ(reply.Json()["rewards"], json::array());
  EXPECT_EQ(reply.Json()["extra_logs"]["error"], json::array());
}

TEST(Gateway, PerItemProblemsAreFiniteZerosNotHttpErrors) {
  Fixture t;
  const json labels = {json{{"verifier", "nope"}, {"ground_truth", "a"}}, "malformed task",
                       json{{"verifier", 7}, {"ground_truth", "a"}}, "a"};
  const Reply reply = Client(t.port()).Send(
      "POST", "/get_reward", OpenRlhfBody({"a", "a", "a", "a"}, {"", "", "", ""}, labels));
  ASSERT_EQ(reply.status, 200) << reply.body;
  const json answer = reply.Json();
  EXPECT_EQ(answer["rewards"], json({0.0, 0.0, 0.0, 1.0}));
  EXPECT_EQ(answer["scores"], json({0.0, 0.0, 0.0, 1.0}));
  EXPECT_EQ(answer["extra_logs"]["error"], json({1.0, 1.0, 1.0, 0.0}));
  EXPECT_NE(answer["messages"][0].get<std::string>().find("unknown verifier"), std::string::npos);
  EXPECT_NE(answer["messages"][1].get<std::string>().find("malformed"), std::string::npos);
}

TEST(Gateway, VerifierComesFromTheQueryStringOrTheLabel) {
  Fixture t;
  Client client(t.port());
  const Reply bad =
      client.Send("POST", "/get_reward?verifier=nope",
                  OpenRlhfBody({"a", "a"}, {"", ""},
                               json{"a", json{{"verifier", "fake"}, {"ground_truth", "a"}}}));
  ASSERT_EQ(bad.status, 200);
  EXPECT_EQ(bad.Json()["extra_logs"]["error"], json({1.0, 0.0}));
  EXPECT_EQ(bad.Json()["rewards"], json({0.0, 1.0}));
}

TEST(Gateway, UnreadableBodiesAre400WithAMessage) {
  Fixture t;
  Client client(t.port());
  for (const std::string& body :
       {std::string("not json"), std::string(R"({"query": ["a"], "prompts": [], "labels": []})")}) {
    const Reply reply = client.Send("POST", "/get_reward", body);
    ASSERT_EQ(reply.status, 400) << body;
    EXPECT_FALSE(reply.Json()["error"].get<std::string>().empty());
  }
  EXPECT_EQ(client.Send("POST", "/slime/reward", "{}").status, 400);
  EXPECT_EQ(client.Send("POST", "/v1/score", R"({"groups": 3})").status, 400);
  EXPECT_EQ(client.Send("GET", "/get_reward").status, 405);
  EXPECT_EQ(client.Send("POST", "/nowhere", "{}").status, 404);
}

TEST(Gateway, SlimeGetsABareNumberOrAnObjectWithRewardKey) {
  Fixture t;
  Client client(t.port());
  const std::string body = R"({"prompt": [{"role": "user", "content": "q"}], "response": "a",
                               "label": "a"})";
  const Reply bare = client.Send("POST", "/slime/reward", body);
  ASSERT_EQ(bare.status, 200) << bare.body;
  EXPECT_EQ(bare.Json(), json(1.0));
  const Reply keyed = client.Send("POST", "/slime/reward?reward_key=score", body);
  ASSERT_EQ(keyed.status, 200);
  EXPECT_EQ(keyed.Json()["score"], 1.0);
  EXPECT_EQ(keyed.Json()["outcome"], "CORRECT");
  const Reply null_label =
      client.Send("POST", "/slime/reward", R"({"prompt": "p", "response": "a", "label": null})");
  ASSERT_EQ(null_label.status, 200);
  EXPECT_EQ(null_label.Json(), json(0.0));
}

TEST(Gateway, ScoreTakesAndAnswersProto3Json) {
  Fixture t;
  const Reply reply = Client(t.port()).Send(
      "POST", "/v1/score",
      R"({"groups": [{"group_id": "g", "task": {"verifier": "fake", "ground_truth": "a"},
                      "samples": [{"completion": "a"}, {"completion": "b"}]}]})");
  ASSERT_EQ(reply.status, 200) << reply.body;
  const json answer = reply.Json();
  EXPECT_EQ(answer["groups"][0]["group_id"], "g");
  EXPECT_EQ(answer["groups"][0]["samples"][0]["outcome"], "CORRECT");
  EXPECT_EQ(answer["groups"][0]["samples"][1]["score"], 0.0);
  EXPECT_FALSE(answer["server"]["config_hash"].get<std::string>().empty());
  // An unknown verifier fails its group (200, the group's status says why); a request with no
  // group at all is the client's error (400).
  const Reply unknown = Client(t.port()).Send(
      "POST", "/v1/score", R"({"groups": [{"task": {"verifier": "nope"}, "samples": [{}]}]})");
  EXPECT_EQ(unknown.status, 200) << unknown.body;
  EXPECT_EQ(unknown.Json()["groups"][0]["status"]["code"], 3);
  const Reply empty = Client(t.port()).Send("POST", "/v1/score", R"({"groups": []})");
  EXPECT_EQ(empty.status, 400) << empty.body;
}

TEST(Gateway, HealthzServes) {
  Fixture t;
  const Reply reply = Client(t.port()).Send("GET", "/healthz");
  EXPECT_EQ(reply.status, 200);
  EXPECT_EQ(reply.body, "SERVING\n");
}

TEST(Gateway, KeepsTheConnectionAliveAcrossRequests) {
  Fixture t;
  Client client(t.port());
  for (int i = 0; i < 50; ++i) {
    const std::string label = "l" + std::to_string(i);
    const Reply reply =
        client.Send("POST", "/slime/reward", json{{"response", label}, {"label", label}}.dump());
    ASSERT_EQ(reply.status, 200) << i;
    EXPECT_TRUE(reply.keep_alive);
    EXPECT_EQ(reply.Json(), json(1.0));
  }
}

TEST(Gateway, ConcurrentClientsEachGetTheirOwnAnswer) {
  ServerOptions options;
  options.http_batch_window = absl::Milliseconds(20);  // batches form while one is scored
  Fixture t(options);
  constexpr int kClients = 64, kRequests = 20;
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  threads.reserve(kClients);
  for (int c = 0; c < kClients; ++c) {
    threads.emplace_back([&, c] {
      Client client(t.port());
      for (int r = 0; r < kRequests; ++r) {
        // Half the answers are right: each reply must match its own request.
        const std::string truth = absl::StrCat("c", c, "r", r);
        const std::string completion = r % 2 == 0 ? truth : "wrong";
        const Reply reply = client.Send("POST", "/get_reward",
                                        OpenRlhfBody({"P" + completion}, {"P"}, json{truth}));
        if (reply.status != 200 || reply.Json()["rewards"] != json({r % 2 == 0 ? 1.0 : 0.0})) {
          wrong.fetch_add(1);
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(wrong.load(), 0);
}

TEST(Gateway, AdmissionRefusalIs503WithRetryAfter) {
  ServerOptions options;
  options.max_queued_items = 1;
  Fixture t(options);
  std::thread blocked([&] {
    EXPECT_EQ(Client(t.port()).Send("POST", "/slime/reward", R"({"response": "block"})").status,
              200);
  });
  t.fake->WaitUntilBlocked(1);
  const Reply refused = Client(t.port()).Send("POST", "/slime/reward", R"({"response": "a"})");
  EXPECT_EQ(refused.status, 503);
  EXPECT_EQ(refused.retry_after, "1");
  t.fake->Release();
  blocked.join();
}

TEST(Gateway, RefusesConnectionsBeyondTheLimitCleanly) {
  ServerOptions options;
  options.http_max_connections = 2;
  Fixture t(options);
  Client first(t.port()), second(t.port());
  ASSERT_EQ(first.Send("GET", "/healthz").status, 200);
  ASSERT_EQ(second.Send("GET", "/healthz").status, 200);
  Client third(t.port());
  const Reply refused = third.Send("GET", "/healthz");
  EXPECT_EQ(refused.status, 503);
  EXPECT_EQ(refused.retry_after, "1");
  EXPECT_FALSE(refused.keep_alive);
  EXPECT_EQ(first.Send("GET", "/healthz").status, 200);  // the served ones still work
}

TEST(Gateway, RejectsBodiesOverTheMessageLimit) {
  ServerOptions options;
  options.max_message_bytes = 4096;
  Fixture t(options);
  const Reply reply = Client(t.port()).Send("POST", "/slime/reward",
                                            json{{"response", std::string(8192, 'x')}}.dump());
  EXPECT_EQ(reply.status, 413);
}

TEST(Gateway, ARequestPastItsTimeoutIsStillAnsweredWithAFiniteReward) {
  ServerOptions options;
  options.http_request_timeout = absl::Milliseconds(200);
  Fixture t(options);
  const Reply reply =
      Client(t.port()).Send("POST", "/get_reward", OpenRlhfBody({"block"}, {""}, json{"x"}));
  ASSERT_EQ(reply.status, 200);
  EXPECT_EQ(reply.Json()["rewards"], json({0.0}));
}

TEST(Gateway, ShutdownFinishesInFlightRequestsAndStopsAccepting) {
  Fixture t;
  const int port = t.port();
  Reply in_flight;
  std::thread request(
      [&] { in_flight = Client(port).Send("POST", "/slime/reward", R"({"response": "block"})"); });
  t.fake->WaitUntilBlocked(1);
  std::thread shutdown([&] { t.server->Shutdown(absl::Seconds(20)); });
  t.fake->Release();
  request.join();
  shutdown.join();
  EXPECT_EQ(in_flight.status, 200);
  EXPECT_THROW(Client{port}, boost::system::system_error);
}

}  // namespace
}  // namespace arbiter::server::http
