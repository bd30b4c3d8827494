// SuiteReferences against a real in-process arbiter server with the fake verifier: large ground
// truths go by reference once registered, and a group whose suite the server no longer holds is
// re-sent inline with the inline result.
#include "client/suite_references.h"

#include <memory>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "server/dispatcher.h"
#include "server/server.h"
#include "server/suite_store.h"
#include "server/testing/fake_verifier.h"

namespace arbiter::client {
namespace {

struct Fixture {
  explicit Fixture(int64_t suite_store_bytes = int64_t{1} << 30) {
    EXPECT_TRUE(registry.Register(std::make_unique<server::testing::FakeVerifier>("fake")).ok());
    server::ServerOptions options;
    options.address = "127.0.0.1:0";
    options.metrics_address = "";
    options.suite_store_bytes = suite_store_bytes;
    auto created = server::Server::Create(options, &registry);
    EXPECT_TRUE(created.ok()) << created.status();
    server = *std::move(created);
    ClientOptions client_options;
    client_options.server = "127.0.0.1:" + std::to_string(server->port());
    auto made = Client::Create(client_options);
    EXPECT_TRUE(made.ok()) << made.status();
    client = *std::move(made);
  }
  server::SuiteStore& suites() { return server->dispatcher().suites(); }

  sdk::VerifierRegistry registry;
  std::unique_ptr<server::Server> server;
  std::unique_ptr<Client> client;
};

v1::Group Group(const std::string& truth, const std::vector<std::string>& completions) {
  v1::Group group;
  group.mutable_task()->set_verifier("fake");
  group.mutable_task()->set_ground_truth(truth);
  for (const std::string& completion : completions) group.add_samples()->set_completion(completion);
  return group;
}

TEST(SuiteReferences, IdIsTheServersId) {
  EXPECT_EQ(SuiteReferences::SuiteId("abc"), server::SuiteStore::SuiteId("abc"));
}

TEST(SuiteReferences, LargeGroundTruthsGoByReferenceAndAreRegisteredOnce) {
  Fixture f;
  SuiteReferences suites(f.client.get(), /*min_bytes=*/1000);
  const std::string big(5000, 'b');
  v1::ScoreRequest request;
  for (int g = 0; g < 4; ++g) *request.add_groups() = Group(big, {big, "wrong"});
  *request.add_groups() = Group("small", {"small"});
  for (int step = 0; step < 2; ++step) {
    absl::StatusOr<v1::ScoreResponse> response = suites.Score(request);
    ASSERT_TRUE(response.ok()) << response.status();
    ASSERT_EQ(response->groups_size(), 5);
    for (int g = 0; g < 5; ++g) {
      EXPECT_EQ(response->groups(g).status().code(), 0) << response->groups(g).status().message();
      EXPECT_EQ(response->groups(g).samples(0).outcome(), v1::CORRECT);
    }
    EXPECT_EQ(response->groups(0).samples(1).outcome(), v1::INCORRECT);
  }
  EXPECT_EQ(suites.groups_by_reference(), 8);
  EXPECT_EQ(suites.groups_resent_inline(), 0);
  EXPECT_EQ(f.suites().size(), 1);  // "small" stayed inline
  EXPECT_NE(f.suites().Find(SuiteReferences::SuiteId(big)), nullptr);
}

TEST(SuiteReferences, AGroupWhoseSuiteWasEvictedIsResentInlineAndRegisteredAgainLater) {
  // Room for one suite: registering a second evicts the first behind the client's back.
  Fixture f(/*suite_store_bytes=*/6000 + server::SuiteStore::kEntryOverhead);
  SuiteReferences suites(f.client.get(), /*min_bytes=*/1000);
  const std::string first(5000, '1'), second(5000, '2');
  v1::ScoreRequest request;
  *request.add_groups() = Group(first, {first});
  *request.add_groups() = Group("small", {"small", "x"});
  ASSERT_TRUE(suites.Score(request).ok());
  ASSERT_TRUE(f.client->RegisterSuite(second).ok());
  ASSERT_EQ(f.suites().Find(SuiteReferences::SuiteId(first)), nullptr);

  absl::StatusOr<v1::ScoreResponse> response = suites.Score(request);
  ASSERT_TRUE(response.ok()) << response.status();
  ASSERT_EQ(response->groups_size(), 2);
  EXPECT_EQ(response->groups(0).status().code(), 0) << response->groups(0).status().message();
  EXPECT_EQ(response->groups(0).group_index(), 0);
  EXPECT_EQ(response->groups(0).samples(0).outcome(), v1::CORRECT);
  EXPECT_EQ(response->groups(1).samples(0).outcome(), v1::CORRECT);
  EXPECT_EQ(suites.groups_resent_inline(), 1);

  // The id was forgotten: the next batch registers it again and goes by reference.
  ASSERT_TRUE(suites.Score(request).ok());
  EXPECT_NE(f.suites().Find(SuiteReferences::SuiteId(first)), nullptr);
  EXPECT_EQ(suites.groups_resent_inline(), 1);
  EXPECT_EQ(suites.groups_by_reference(), 3);
}

TEST(SuiteReferences, ADisabledStoreMeansEverythingInline) {
  Fixture f(/*suite_store_bytes=*/0);
  SuiteReferences suites(f.client.get(), /*min_bytes=*/10);
  v1::ScoreRequest request;
  *request.add_groups() = Group(std::string(100, 'a'), {std::string(100, 'a')});
  for (int step = 0; step < 2; ++step) {
    absl::StatusOr<v1::ScoreResponse> response = suites.Score(request);
    ASSERT_TRUE(response.ok()) << response.status();
    EXPECT_EQ(response->groups(0).samples(0).outcome(), v1::CORRECT);
  }
  EXPECT_EQ(suites.groups_by_reference(), 0);
}

}  // namespace
}  // namespace arbiter::client
