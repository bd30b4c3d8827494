// The server over a real in-process gRPC server on 127.0.0.1:0, with fake verifiers.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "arbiter/v1/arbiter.grpc.pb.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/security/credentials.h"
#include "gtest/gtest.h"
#include "prometheus/registry.h"
#include "server/dispatcher.h"
#include "server/metrics.h"
#include "server/server.h"
#include "server/suite_store.h"
#include "server/testing/fake_verifier.h"

namespace arbiter::server {
namespace {

using testing::FakeVerifier;

class FakeGenerator : public sdk::Generator {
 public:
  v1::GeneratorInfo Info() const override {
    v1::GeneratorInfo info;
    info.set_kind("fakegen");
    return info;
  }
  absl::StatusOr<v1::GenerateResponse> Generate(const v1::GenerateRequest&) const override {
    v1::GenerateResponse response;
    response.add_tasks()->set_id("task-0");
    return response;
  }
};

struct TestServer {
  explicit TestServer(ServerOptions options = {}, std::string metrics_address = "") {
    auto owned = std::make_unique<FakeVerifier>("zeta");
    fake = owned.get();
    EXPECT_TRUE(registry.Register(std::move(owned)).ok());
    EXPECT_TRUE(registry.Register(std::make_unique<FakeVerifier>("alpha")).ok());
    EXPECT_TRUE(registry.RegisterGenerator(std::make_unique<FakeGenerator>()).ok());
    options.address = "127.0.0.1:0";
    options.metrics_address = std::move(metrics_address);
    auto created = Server::Create(options, &registry);
    EXPECT_TRUE(created.ok()) << created.status();
    server = *std::move(created);
    channel = grpc::CreateChannel(absl::StrCat("127.0.0.1:", server->port()),
                                  grpc::InsecureChannelCredentials());
    stub = v1::Arbiter::NewStub(channel);
  }

  // "SERVING", "NOT_SERVING", or the failed call's status code.
  std::string Health() {
    grpc::GenericStub generic(channel);
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    grpc::Slice empty(std::string(""));
    grpc::ByteBuffer request(&empty, 1);  // HealthCheckRequest{service: ""}
    grpc::ByteBuffer response;
    grpc::Status status;
    absl::Notification done;
    generic.UnaryCall(&context, "/grpc.health.v1.Health/Check", grpc::StubOptions(), &request,
                      &response, [&](grpc::Status s) {
                        status = std::move(s);
                        done.Notify();
                      });
    done.WaitForNotification();
    if (!status.ok()) return absl::StrCat("RPC failed: ", status.error_code());
    std::vector<grpc::Slice> slices;
    EXPECT_TRUE(response.Dump(&slices).ok());
    std::string bytes;
    for (const grpc::Slice& slice : slices) {
      bytes.append(reinterpret_cast<const char*>(slice.begin()), slice.size());
    }
    // HealthCheckResponse{status = 1 (SERVING) | 2 (NOT_SERVING)}: field 1, varint.
    if (bytes == std::string("\x08\x01", 2)) return "SERVING";
    if (bytes == std::string("\x08\x02", 2)) return "NOT_SERVING";
    return "UNEXPECTED";
  }

  sdk::VerifierRegistry registry;
  FakeVerifier* fake = nullptr;
  std::unique_ptr<Server> server;
  std::shared_ptr<grpc::Channel> channel;
  std::unique_ptr<v1::Arbiter::Stub> stub;
};

v1::Group MakeGroup(const std::string& truth, const std::vector<std::string>& completions) {
  v1::Group group;
  group.set_group_id(truth);
  group.mutable_task()->set_verifier("zeta");
  group.mutable_task()->set_ground_truth(truth);
  for (const std::string& completion : completions) group.add_samples()->set_completion(completion);
  return group;
}

TEST(Service, ScoreAnswersInRequestOrderWithServerInfo) {
  TestServer t;
  v1::ScoreRequest request;
  for (int g = 0; g < 5; ++g) *request.add_groups() = MakeGroup(std::to_string(g), {"0", "1"});
  grpc::ClientContext context;
  v1::ScoreResponse response;
  ASSERT_TRUE(t.stub->Score(&context, request, &response).ok());
  ASSERT_EQ(response.groups_size(), 5);
  for (int g = 0; g < 5; ++g) {
    EXPECT_EQ(response.groups(g).group_index(), g);
    EXPECT_EQ(response.groups(g).group_id(), std::to_string(g));
    EXPECT_EQ(response.groups(g).samples(0).outcome(), g == 0 ? v1::CORRECT : v1::INCORRECT);
  }
  EXPECT_EQ(response.server().version(), Version());
  EXPECT_EQ(response.server().config_hash(), t.server->config_hash());
  EXPECT_EQ(response.server().config_hash().size(), 16u);
}

TEST(Service, MalformedRequestIsInvalidArgumentWithAPreciseMessage) {
  TestServer t;
  grpc::ClientContext context;
  v1::ScoreResponse response;
  const grpc::Status status = t.stub->Score(&context, v1::ScoreRequest(), &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status.error_message(), "ScoreRequest has no groups: send at least one Group");
}

TEST(Service, AnUnknownVerifierFailsItsGroupAndTheNeighboursAreScored) {
  TestServer t;
  v1::ScoreRequest request;
  *request.add_groups() = MakeGroup("a", {"a"});
  *request.add_groups() = MakeGroup("b", {"b"});
  request.mutable_groups(1)->mutable_task()->set_verifier("nope");
  grpc::ClientContext context;
  v1::ScoreResponse response;
  const grpc::Status status = t.stub->Score(&context, request, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_EQ(response.groups_size(), 2);
  EXPECT_EQ(response.groups(0).samples(0).outcome(), v1::CORRECT);
  EXPECT_EQ(response.groups(1).status().code(), 3);
  EXPECT_EQ(response.groups(1).status().message(),
            "unknown verifier 'nope'; known verifiers: alpha, zeta");
}

TEST(Service, ScoreStreamSendsEachGroupAsSoonAsItIsDone) {
  TestServer t;
  v1::ScoreRequest request;
  *request.add_groups() = MakeGroup("slow", {"block"});
  for (int g = 1; g < 4; ++g) *request.add_groups() = MakeGroup(std::to_string(g), {"x"});
  grpc::ClientContext context;
  auto reader = t.stub->ScoreStream(&context, request);
  std::vector<int> seen;
  v1::GroupResult result;
  for (int k = 0; k < 3; ++k) {
    ASSERT_TRUE(reader->Read(&result));
    seen.push_back(result.group_index());
    EXPECT_EQ(result.group_id(), std::to_string(result.group_index()));
  }
  std::sort(seen.begin(), seen.end());
  EXPECT_EQ(seen, (std::vector<int>{1, 2, 3}));  // group 0 is still blocked
  t.fake->Release();
  ASSERT_TRUE(reader->Read(&result));
  EXPECT_EQ(result.group_index(), 0);
  EXPECT_FALSE(reader->Read(&result));
  EXPECT_TRUE(reader->Finish().ok());
}

TEST(Service, GenerateRoutesByKindAndListsKnownKindsForAnUnknownOne) {
  TestServer t;
  v1::GenerateRequest request;
  request.set_kind("fakegen");
  v1::GenerateResponse response;
  {
    grpc::ClientContext context;
    ASSERT_TRUE(t.stub->Generate(&context, request, &response).ok());
  }
  ASSERT_EQ(response.tasks_size(), 1);
  EXPECT_EQ(response.tasks(0).id(), "task-0");
  EXPECT_EQ(response.server().version(), Version());

  request.set_kind("nope");
  grpc::ClientContext context;
  const grpc::Status status = t.stub->Generate(&context, request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status.error_message(), "unknown generate kind 'nope'; known kinds: fakegen");
}

// Once shutdown has begun, new work is refused with UNAVAILABLE (which clients and load
// balancers retry on another replica), never accepted and then CANCELLED. Work already admitted
// is not touched (ShutdownLetsInFlightCallsFinishWithinTheGracePeriod).
TEST(Service, NewWorkWhileDrainingIsUnavailable) {
  TestServer t;
  t.server->dispatcher().StartDraining();
  v1::ScoreRequest score;
  *score.add_groups() = MakeGroup("a", {"x"});
  v1::ScoreResponse score_response;
  grpc::ClientContext score_context;
  const grpc::Status scored = t.stub->Score(&score_context, score, &score_response);
  EXPECT_EQ(scored.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(scored.error_message(), "server is shutting down; retry on another replica");

  grpc::ClientContext stream_context;
  auto reader = t.stub->ScoreStream(&stream_context, score);
  v1::GroupResult result;
  EXPECT_FALSE(reader->Read(&result));
  EXPECT_EQ(reader->Finish().error_code(), grpc::StatusCode::UNAVAILABLE);

  v1::GenerateRequest generate;
  generate.set_kind("fakegen");
  v1::GenerateResponse generated;
  grpc::ClientContext generate_context;
  EXPECT_EQ(t.stub->Generate(&generate_context, generate, &generated).error_code(),
            grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(t.fake->cancelled_checks(), 0);
}

TEST(Service, ListVerifiersIsSortedByName) {
  TestServer t;
  grpc::ClientContext context;
  v1::ListVerifiersResponse response;
  ASSERT_TRUE(t.stub->ListVerifiers(&context, v1::ListVerifiersRequest(), &response).ok());
  ASSERT_EQ(response.verifiers_size(), 2);
  EXPECT_EQ(response.verifiers(0).name(), "alpha");
  EXPECT_EQ(response.verifiers(1).name(), "zeta");
  ASSERT_EQ(response.generators_size(), 1);
  EXPECT_EQ(response.server().config_hash(), t.server->config_hash());
}

TEST(Service, OversizeMessageIsRejected) {
  ServerOptions options;
  options.max_message_bytes = 4096;
  TestServer t(options);
  v1::ScoreRequest request;
  *request.add_groups() = MakeGroup("a", {std::string(8192, 'x')});
  grpc::ClientContext context;
  v1::ScoreResponse response;
  EXPECT_EQ(t.stub->Score(&context, request, &response).error_code(),
            grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_EQ(t.fake->checks(), 0);
}

TEST(Service, ClientCancellationReachesTheRunningCheck) {
  TestServer t;
  v1::ScoreRequest request;
  *request.add_groups() = MakeGroup("a", {"block"});
  grpc::ClientContext context;
  std::thread caller([&] {
    v1::ScoreResponse response;
    EXPECT_EQ(t.stub->Score(&context, request, &response).error_code(),
              grpc::StatusCode::CANCELLED);
  });
  t.fake->WaitUntilBlocked(1);
  context.TryCancel();
  caller.join();
  t.server->Shutdown(absl::Seconds(10));  // returns once the cancelled call has fully ended
  EXPECT_EQ(t.fake->cancelled_checks(), 1);
}

TEST(Service, CancellingAStreamReachesTheRunningCheck) {
  TestServer t;
  v1::ScoreRequest request;
  *request.add_groups() = MakeGroup("slow", {"block"});
  *request.add_groups() = MakeGroup("1", {"1"});
  grpc::ClientContext context;
  auto reader = t.stub->ScoreStream(&context, request);
  v1::GroupResult result;
  ASSERT_TRUE(reader->Read(&result));
  EXPECT_EQ(result.group_index(), 1);
  t.fake->WaitUntilBlocked(1);
  context.TryCancel();
  while (reader->Read(&result)) {
  }
  EXPECT_EQ(reader->Finish().error_code(), grpc::StatusCode::CANCELLED);
  t.server->Shutdown(absl::Seconds(10));  // returns once the cancelled call has fully ended
  EXPECT_EQ(t.fake->cancelled_checks(), 1);
}

TEST(Service, HealthIsServingThenNotServingOnceShutdownBeginsAndInFlightCallsFinish) {
  TestServer t;
  EXPECT_EQ(t.Health(), "SERVING");
  v1::ScoreRequest request;
  *request.add_groups() = MakeGroup("a", {"block"});
  v1::ScoreResponse response;
  grpc::Status status;
  std::thread caller([&] {
    grpc::ClientContext context;
    status = t.stub->Score(&context, request, &response);
  });
  t.fake->WaitUntilBlocked(1);
  std::thread stopper([&] { t.server->Shutdown(absl::Seconds(60)); });
  // Draining: the health service turns NOT_SERVING, and then the server refuses new calls;
  // either way it never answers SERVING again.
  std::string health;
  do {
    health = t.Health();
  } while (health == "SERVING");
  EXPECT_NE(health, "UNEXPECTED");
  t.fake->Release();
  caller.join();
  stopper.join();
  EXPECT_TRUE(status.ok()) << status.error_message();
  ASSERT_EQ(response.groups_size(), 1);
  EXPECT_EQ(response.groups(0).samples(0).outcome(), v1::INCORRECT);
  EXPECT_EQ(t.fake->cancelled_checks(), 0);
}

TEST(Service, ShutdownCancelsCallsStillRunningAfterTheGracePeriod) {
  TestServer t;
  v1::ScoreRequest request;
  *request.add_groups() = MakeGroup("a", {"block"});
  std::thread caller([&] {
    grpc::ClientContext context;
    v1::ScoreResponse response;
    EXPECT_FALSE(t.stub->Score(&context, request, &response).ok());
  });
  t.fake->WaitUntilBlocked(1);
  t.server->Shutdown(absl::Milliseconds(50));
  caller.join();
  EXPECT_EQ(t.fake->cancelled_checks(), 1);
}

TEST(Service, PortFileHoldsTheBoundPort) {
  ServerOptions options;
  options.port_file = absl::StrCat(::testing::TempDir(), "/arbiterd-", getpid(), ".port");
  TestServer t(options);
  std::ifstream file(options.port_file);
  int port = 0;
  file >> port;
  EXPECT_EQ(port, t.server->port());
  EXPECT_GT(port, 0);
}

TEST(Service, BindFailureIsUnavailable) {
  TestServer first;
  sdk::VerifierRegistry registry;
  ServerOptions options;
  options.address = absl::StrCat("127.0.0.1:", first.server->port());
  options.metrics_address = "";
  EXPECT_EQ(Server::Create(options, &registry).status().code(), absl::StatusCode::kUnavailable);
}

double CounterValue(const prometheus::Registry& registry, const std::string& family,
                    const std::map<std::string, std::string>& labels) {
  for (const auto& f : registry.Collect()) {
    if (f.name != family) continue;
    for (const auto& metric : f.metric) {
      std::map<std::string, std::string> got;
      for (const auto& label : metric.label) got[label.name] = label.value;
      if (got == labels) return metric.counter.value;
    }
  }
  return -1;
}

TEST(Service, MetricsCountRequestsItemsAndCacheHits) {
  TestServer t;
  v1::ScoreRequest request;
  *request.add_groups() = MakeGroup("a", {"a", "a", "b"});
  grpc::ClientContext context;
  v1::ScoreResponse response;
  ASSERT_TRUE(t.stub->Score(&context, request, &response).ok());
  const prometheus::Registry& registry = *t.server->metrics().registry();
  EXPECT_EQ(CounterValue(registry, "arbiter_requests_total", {{"rpc", "Score"}, {"code", "OK"}}),
            1);
  EXPECT_EQ(
      CounterValue(registry, "arbiter_items_total", {{"verifier", "zeta"}, {"outcome", "CORRECT"}}),
      2);
  EXPECT_EQ(CounterValue(registry, "arbiter_items_total",
                         {{"verifier", "zeta"}, {"outcome", "INCORRECT"}}),
            1);
  EXPECT_EQ(CounterValue(registry, "arbiter_cache_hits_total", {}), 1);
}

// A suite registered once is named by id; a replica that does not hold an id fails only the
// group naming it (NOT_FOUND), and the client may register again or send it inline.
TEST(Service, RegisteredSuiteIsScoredByReferenceAndAnUnknownOneFailsItsGroupOnly) {
  TestServer t;
  const std::string suite(100000, 's');
  v1::RegisterSuiteRequest registration;
  registration.set_content(suite);
  v1::RegisterSuiteResponse registered;
  {
    grpc::ClientContext context;
    ASSERT_TRUE(t.stub->RegisterSuite(&context, registration, &registered).ok());
  }
  EXPECT_EQ(registered.suite_id(), SuiteStore::SuiteId(suite));
  EXPECT_EQ(registered.bytes(), 100000);
  EXPECT_EQ(registered.server().config_hash(), t.server->config_hash());
  v1::ScoreRequest request;
  *request.add_groups() = MakeGroup("unused", {suite, "wrong"});
  request.mutable_groups(0)->mutable_task()->clear_kind();
  request.mutable_groups(0)->mutable_task()->set_ground_truth_ref(registered.suite_id());
  *request.add_groups() = MakeGroup("unused", {"x"});
  request.mutable_groups(1)->mutable_task()->clear_kind();
  request.mutable_groups(1)->mutable_task()->set_ground_truth_ref(SuiteStore::SuiteId("other"));
  *request.add_groups() = MakeGroup("c", {"c"});
  grpc::ClientContext context;
  v1::ScoreResponse response;
  ASSERT_TRUE(t.stub->Score(&context, request, &response).ok());
  ASSERT_EQ(response.groups_size(), 3);
  EXPECT_EQ(response.groups(0).status().code(), 0) << response.groups(0).status().message();
  EXPECT_EQ(response.groups(0).samples(0).outcome(), v1::CORRECT);
  EXPECT_EQ(response.groups(0).samples(1).outcome(), v1::INCORRECT);
  EXPECT_EQ(response.groups(1).status().code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(response.groups(2).samples(0).outcome(), v1::CORRECT);
  const prometheus::Registry& metrics = *t.server->metrics().registry();
  EXPECT_EQ(
      CounterValue(metrics, "arbiter_requests_total", {{"rpc", "RegisterSuite"}, {"code", "OK"}}),
      1);
  EXPECT_EQ(CounterValue(metrics, "arbiter_suite_lookups_total", {{"result", "hit"}}), 1);
  EXPECT_EQ(CounterValue(metrics, "arbiter_suite_lookups_total", {{"result", "miss"}}), 1);
}

TEST(Service, RegisterSuiteIsFailedPreconditionWhenTheStoreIsDisabled) {
  ServerOptions options;
  options.suite_store_bytes = 0;
  TestServer t(options);
  v1::RegisterSuiteRequest registration;
  registration.set_content("tests");
  v1::RegisterSuiteResponse registered;
  grpc::ClientContext context;
  EXPECT_EQ(t.stub->RegisterSuite(&context, registration, &registered).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
}

// A plain HTTP/1.0 GET over a socket; returns the whole response.
std::string HttpGet(int port, const std::string& path) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    close(fd);
    return "connect failed";
  }
  const std::string request = "GET " + path + " HTTP/1.0\r\n\r\n";
  if (write(fd, request.data(), request.size()) != static_cast<ssize_t>(request.size())) {
    close(fd);
    return "write failed";
  }
  std::string response;
  char buffer[4096];
  for (ssize_t n; (n = read(fd, buffer, sizeof buffer)) > 0;) response.append(buffer, n);
  close(fd);
  return response;
}

TEST(Service, MetricsAreServedOverHttp) {
  TestServer t({}, "127.0.0.1:0");
  ASSERT_GT(t.server->metrics_port(), 0);
  grpc::ClientContext context;
  v1::ListVerifiersResponse response;
  ASSERT_TRUE(t.stub->ListVerifiers(&context, v1::ListVerifiersRequest(), &response).ok());
  const std::string page = HttpGet(t.server->metrics_port(), "/metrics");
  EXPECT_NE(page.find("arbiter_requests_total{code=\"OK\",rpc=\"ListVerifiers\"} 1"),
            std::string::npos)
      << page.substr(0, 2000);
  EXPECT_NE(page.find("arbiter_in_flight_items 0"), std::string::npos);
}

}  // namespace
}  // namespace arbiter::server
