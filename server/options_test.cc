#include "server/options.h"

#include "gtest/gtest.h"

namespace arbiter::server {
namespace {

TEST(ResolveOptions, FillsThreadCountsFromTheCores) {
  auto resolved = ResolveOptions(ServerOptions());
  ASSERT_TRUE(resolved.ok()) << resolved.status();
  EXPECT_GE(resolved->cpu_threads, 1);
  EXPECT_GE(resolved->sandbox_concurrency, 1);
  EXPECT_EQ(resolved->max_message_bytes, 64 << 20);
}

TEST(ResolveOptions, RejectsOutOfRangeValuesNamingTheField) {
  ServerOptions options;
  options.default_deadline = absl::Seconds(20);
  options.max_deadline = absl::Seconds(10);
  auto resolved = ResolveOptions(options);
  EXPECT_EQ(resolved.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(resolved.status().message().find("default_deadline"), absl::string_view::npos);

  options = ServerOptions();
  options.max_queued_items = 0;
  EXPECT_NE(ResolveOptions(options).status().message().find("max_queued_items"),
            absl::string_view::npos);
  options = ServerOptions();
  options.cpu_threads = -1;
  EXPECT_NE(ResolveOptions(options).status().message().find("cpu_threads"),
            absl::string_view::npos);
}

TEST(ResolveOptions, LeavesTheGatewayOffByDefault) {
  auto resolved = ResolveOptions(ServerOptions());
  ASSERT_TRUE(resolved.ok());
  EXPECT_EQ(resolved->http_address, "");
  EXPECT_EQ(resolved->http_default_verifier, "sat");
  EXPECT_EQ(resolved->http_request_timeout, absl::Seconds(170));
}

TEST(ResolveOptions, ChecksGatewayOptionsOnlyWhenTheGatewayIsOn) {
  ServerOptions options;
  options.http_max_connections = 0;
  EXPECT_TRUE(ResolveOptions(options).ok());  // off: not read
  options.http_address = "127.0.0.1:0";
  EXPECT_NE(ResolveOptions(options).status().message().find("http_max_connections"),
            absl::string_view::npos);
  options = ServerOptions();
  options.http_address = "127.0.0.1:0";
  options.http_batch_window = absl::Seconds(5);
  EXPECT_NE(ResolveOptions(options).status().message().find("http_batch_window"),
            absl::string_view::npos);
}

TEST(ConfigString, ListsEveryKeyOnItsOwnLine) {
  ServerOptions options;
  options.port_file = "/tmp/p";
  const std::string text = ConfigString(options);
  for (const char* key :
       {"address=127.0.0.1:50051\n", "metrics_address=", "cpu_threads=", "sandbox_concurrency=",
        "max_queued_items=65536\n", "default_deadline=1m\n", "max_deadline=10m\n",
        "max_message_bytes=", "cache_entries=", "cache_max_bytes=268435456\n",
        "suite_store_bytes=1073741824\n", "grace_period=30s\n", "port_file=/tmp/p\n",
        "http_address=\n", "http_batch_window=2ms\n", "http_request_timeout=2m50s\n"}) {
    EXPECT_NE(text.find(key), std::string::npos) << key;
  }
}

}  // namespace
}  // namespace arbiter::server
