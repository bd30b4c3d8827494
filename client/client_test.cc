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
    if (calls.fetch_add(1) < failures) return grpc::Status(code, "fake failure");
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
      TwoGroups(), [&](v1::GroupResult r) { seen.push_back(r.group_index()); });
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

}  // namespace
}  // namespace arbiter::client
