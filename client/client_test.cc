// Client against an in-process fake Arbiter service and gRPC's own health service.
#include "client/client.h"

#include <atomic>
#include <memory>
#include <vector>

#include "gmock/gmock.h"
#include "grpcpp/health_check_service_interface.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server.h"
#include "grpcpp/server_builder.h"
#include "gtest/gtest.h"
#include "verifiers/sdk/testing/fake_clock.h"

namespace arbiter::client {
namespace {

// Fails the first `failures` Score calls with `code`, then echoes one GroupResult per group.
class FakeArbiter final : public v1::Arbiter::Service {
 public:
  grpc::StatusCode code = grpc::StatusCode::RESOURCE_EXHAUSTED;
  int failures = 0;
  std::atomic<int> calls{0};

  grpc::Status Score(grpc::ServerContext*, const v1::ScoreRequest* request,
                     v1::ScoreResponse* response) override {
    if (calls.fetch_add(1) < failures) return {code, "fake failure"};
    for (int i = 0; i < request->groups_size(); ++i) {
      v1::GroupResult* result = response->add_groups();
      result->set_group_index(i);
      result->set_group_id(request->groups(i).group_id());
    }
    return grpc::Status::OK;
  }
  grpc::Status ScoreStream(grpc::ServerContext*, const v1::ScoreRequest* request,
                           grpc::ServerWriter<v1::GroupResult>* writer) override {
    calls.fetch_add(1);
    for (int i = request->groups_size() - 1; i >= 0; --i) {  // reverse order on purpose
      v1::GroupResult result;
      result.set_group_index(i);
      writer->Write(result);
    }
    return grpc::Status::OK;
  }
};

class ClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    grpc::EnableDefaultHealthCheckService(true);
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port_);
    builder.RegisterService(&fake_);
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
    options_.server = "127.0.0.1:" + std::to_string(port_);
    options_.retry.initial_backoff = absl::Milliseconds(1);
    options_.retry.max_backoff = absl::Milliseconds(4);
    options_.deadline = absl::Seconds(10);
  }
  void TearDown() override { server_->Shutdown(); }

  std::unique_ptr<Client> MakeClient() {
    auto client = Client::Create(options_);
    EXPECT_TRUE(client.ok()) << client.status();
    return *std::move(client);
  }
  static v1::ScoreRequest TwoGroups() {
    v1::ScoreRequest request;
    request.add_groups()->set_group_id("a");
    request.add_groups()->set_group_id("b");
    return request;
  }

  FakeArbiter fake_;
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
  ClientOptions options_;
};

TEST_F(ClientTest, ScoreReturnsResultsInRequestOrder) {
  const auto response = MakeClient()->Score(TwoGroups());
  ASSERT_TRUE(response.ok()) << response.status();
  ASSERT_EQ(response->groups_size(), 2);
  EXPECT_EQ(response->groups(0).group_id(), "a");
  EXPECT_EQ(response->groups(1).group_id(), "b");
}

TEST_F(ClientTest, RetriesResourceExhaustedUntilSuccess) {
  fake_.failures = 2;
  const auto response = MakeClient()->Score(TwoGroups());
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(fake_.calls.load(), 3);
}

TEST_F(ClientTest, GivesUpAfterMaxAttempts) {
  fake_.code = grpc::StatusCode::UNAVAILABLE;
  fake_.failures = 100;
  options_.retry.max_attempts = 4;
  const auto response = MakeClient()->Score(TwoGroups());
  EXPECT_EQ(response.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(fake_.calls.load(), 4);
}

TEST_F(ClientTest, ReportsEachRetryWithItsStatusAttemptAndPeer) {
  fake_.code = grpc::StatusCode::UNAVAILABLE;
  fake_.failures = 2;
  std::vector<RetryEvent> events;
  options_.on_retry = [&](const RetryEvent& event) { events.push_back(event); };
  ASSERT_TRUE(MakeClient()->Score(TwoGroups()).ok());
  ASSERT_EQ(events.size(), 2u);
  for (int i = 0; i < 2; ++i) {
    EXPECT_EQ(events[i].status.code(), absl::StatusCode::kUnavailable);
    EXPECT_EQ(events[i].attempt, i + 1);
    EXPECT_THAT(events[i].peer, ::testing::HasSubstr("127.0.0.1:" + std::to_string(port_)));
  }
}

TEST_F(ClientTest, BacksOffOnTheOptionsClock) {
  fake_.failures = 3;
  options_.retry = RetryPolicy();     // 50 ms, 100 ms, 200 ms caps: slept on the fake clock only
  sdk::FakeClock clock(absl::Now());  // at the real time: gRPC's deadline is derived from it
  options_.clock = &clock;
  ASSERT_TRUE(MakeClient()->Score(TwoGroups()).ok());
  EXPECT_EQ(fake_.calls.load(), 4);
  const std::vector<absl::Duration> sleeps = clock.sleeps();
  ASSERT_EQ(sleeps.size(), 3u);
  for (int i = 0; i < 3; ++i) EXPECT_LE(sleeps[i], BackoffCap(options_.retry, i + 1)) << i;
}

TEST_F(ClientTest, RoundRobinSpreadsCallsOverEveryListedServer) {
  FakeArbiter second;
  grpc::ServerBuilder builder;
  int second_port = 0;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &second_port);
  builder.RegisterService(&second);
  std::unique_ptr<grpc::Server> second_server = builder.BuildAndStart();
  ASSERT_NE(second_server, nullptr);
  options_.server = options_.server + ",127.0.0.1:" + std::to_string(second_port);
  auto client = MakeClient();
  ASSERT_TRUE(client->WaitForConnected(absl::Seconds(10)));
  for (int i = 0; i < 20; ++i) ASSERT_TRUE(client->Score(TwoGroups()).ok());
  // round_robin picks over the READY connections; the second may still be connecting for the
  // first calls, so only "both served a fair share" is certain.
  EXPECT_GE(fake_.calls.load(), 5);
  EXPECT_GE(second.calls.load(), 5);
  second_server->Shutdown();
}

TEST_F(ClientTest, DoesNotRetryInvalidArgument) {
  fake_.code = grpc::StatusCode::INVALID_ARGUMENT;
  fake_.failures = 1;
  const auto response = MakeClient()->Score(TwoGroups());
  EXPECT_EQ(response.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(response.status().message(), "fake failure");
  EXPECT_EQ(fake_.calls.load(), 1);
}

TEST_F(ClientTest, ScoreStreamDeliversEveryGroup) {
  std::vector<int> seen;
  const absl::Status status = MakeClient()->ScoreStream(
      TwoGroups(), [&](const v1::GroupResult& r) { seen.push_back(r.group_index()); });
  ASSERT_TRUE(status.ok()) << status;
  EXPECT_THAT(seen, ::testing::ElementsAre(1, 0));
}

TEST_F(ClientTest, HealthReadsGrpcHealthService) {
  auto client = MakeClient();
  auto* health = server_->GetHealthCheckService();
  ASSERT_NE(health, nullptr);
  health->SetServingStatus("", true);
  EXPECT_EQ(*client->Health(), ServingStatus::kServing);
  health->SetServingStatus("", false);
  EXPECT_EQ(*client->Health(), ServingStatus::kNotServing);
  health->SetServingStatus("arbiter.v1.Arbiter", true);
  EXPECT_EQ(*client->Health("arbiter.v1.Arbiter"), ServingStatus::kServing);
  // gRPC answers NOT_FOUND for a service it has never heard of.
  EXPECT_EQ(client->Health("no.such.Service").status().code(), absl::StatusCode::kNotFound);
}

TEST(ClientUnreachable, ReportsUnavailable) {
  ClientOptions options;
  options.server = "127.0.0.1:1";  // nothing listens on port 1
  options.retry.max_attempts = 2;
  options.retry.initial_backoff = absl::Milliseconds(1);
  options.deadline = absl::Seconds(5);
  auto client = Client::Create(options);
  ASSERT_TRUE(client.ok());
  EXPECT_EQ((*client)->Health().status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ((*client)->ListVerifiers().status().code(), absl::StatusCode::kUnavailable);
}

TEST(ClientCreate, RejectsEmptyAddress) {
  ClientOptions options;
  options.server = "";
  EXPECT_EQ(Client::Create(options).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(ConcurrencyLimiter, BoundsSlots) {
  ConcurrencyLimiter limiter(2);
  EXPECT_TRUE(limiter.TryAcquire());
  {
    ConcurrencyLimiter::Slot slot(limiter);
    EXPECT_FALSE(limiter.TryAcquire());
  }
  EXPECT_TRUE(limiter.TryAcquire());
  EXPECT_FALSE(limiter.TryAcquire());
  limiter.Release();
  limiter.Release();
  EXPECT_EQ(ConcurrencyLimiter(0).limit(), 1);
}

TEST(ServerTarget, AnAddressWithoutAPortGetsTheDefaultPortNot443) {
  EXPECT_EQ(ServerTarget("localhost"), "localhost:50051");
  EXPECT_EQ(ServerTarget("10.0.0.7"), "10.0.0.7:50051");
  EXPECT_EQ(ServerTarget("localhost:7000"), "localhost:7000");
  EXPECT_EQ(ServerTarget("[::1]"), "[::1]:50051");
  EXPECT_EQ(ServerTarget("[::1]:7000"), "[::1]:7000");
  EXPECT_EQ(ServerTarget("::1"), "[::1]:50051");
  EXPECT_EQ(ServerTarget("dns:///arbiter.svc:50051"), "dns:///arbiter.svc:50051");
  EXPECT_EQ(ServerTarget("unix:/run/arbiter.sock"), "unix:/run/arbiter.sock");
}

TEST(ChannelTarget, ListsOfIpLiteralsBecomeOneMultiAddressTarget) {
  EXPECT_EQ(*ChannelTarget("10.0.0.2:7000,10.0.0.3"), "ipv4:10.0.0.2:7000,10.0.0.3:50051");
  EXPECT_EQ(*ChannelTarget("10.0.0.2, 10.0.0.3:1"), "ipv4:10.0.0.2:50051,10.0.0.3:1");
  EXPECT_EQ(*ChannelTarget("[::1]:7000,::2"), "ipv6:[::1]:7000,[::2]:50051");
  EXPECT_EQ(*ChannelTarget("arbiter.svc"), "arbiter.svc:50051");  // one address: ServerTarget
  EXPECT_EQ(*ChannelTarget("dns:///arbiter-headless:50051"), "dns:///arbiter-headless:50051");
}

TEST(ChannelTarget, RefusesWhatNoMultiAddressTargetCanHold) {
  for (const char* bad : {"", "a.svc:1,b.svc:1", "10.0.0.2,[::1]", "10.0.0.2,", ",10.0.0.2"}) {
    const absl::StatusOr<std::string> target = ChannelTarget(bad);
    EXPECT_EQ(target.status().code(), absl::StatusCode::kInvalidArgument) << bad;
  }
  EXPECT_THAT(ChannelTarget("a.svc:1,b.svc:1").status().message(), ::testing::HasSubstr("dns:///"));
}

}  // namespace
}  // namespace arbiter::client
