#include "client/client.h"

#include <arpa/inet.h>

#include <algorithm>
#include <utility>
#include <vector>

#include "absl/random/random.h"
#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/synchronization/notification.h"
#include "grpc/grpc.h"
#include "grpcpp/client_context.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/support/byte_buffer.h"
#include "grpcpp/support/channel_arguments.h"
#include "rpc/status_conversion.h"

namespace arbiter::client {

std::string ServerTarget(const std::string& address) {
  if (absl::StrContains(address, ":/") || absl::StartsWith(address, "unix:") ||
      absl::StartsWith(address, "ipv4:") || absl::StartsWith(address, "ipv6:")) {
    return address;  // a URI: the user chose the scheme
  }
  const size_t bracket = address.rfind(']');
  const size_t colon = address.rfind(':');
  const bool has_port =
      colon != std::string::npos &&
      (bracket == std::string::npos ? address.find(':') == colon : colon > bracket);
  if (has_port) return address;
  if (bracket == std::string::npos && std::count(address.begin(), address.end(), ':') > 1) {
    return absl::StrCat("[", address, "]:", kDefaultPort);  // a bare IPv6 address
  }
  return absl::StrCat(address, ":", kDefaultPort);
}

namespace {

// 4 or 6 for an IP literal host ("10.0.0.2", "[::1]"), 0 for a name.
int AddressFamily(absl::string_view host) {
  const std::string bare(absl::StripSuffix(absl::StripPrefix(host, "["), "]"));
  unsigned char buffer[sizeof(struct in6_addr)];
  if (inet_pton(AF_INET, bare.c_str(), buffer) == 1) return 4;
  if (inet_pton(AF_INET6, bare.c_str(), buffer) == 1) return 6;
  return 0;
}

}  // namespace

absl::StatusOr<std::string> ChannelTarget(const std::string& server) {
  if (server.empty()) return absl::InvalidArgumentError("server address is empty");
  if (!absl::StrContains(server, ',')) return ServerTarget(server);
  std::vector<std::string> entries;
  int family = 0;
  for (absl::string_view raw : absl::StrSplit(server, ',')) {
    const std::string entry = ServerTarget(std::string(absl::StripAsciiWhitespace(raw)));
    const size_t colon = entry.rfind(':');
    const int entry_family =
        raw.empty() || colon == std::string::npos ? 0 : AddressFamily(entry.substr(0, colon));
    if (entry_family == 0 || (family != 0 && entry_family != family)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "server list \"", server, "\": entry \"", raw,
          "\" is not an IP literal of the same family as the others; several replicas are "
          "IP:PORT,IP:PORT, or a DNS name that resolves to all of them (dns:///name:port)"));
    }
    family = entry_family;
    entries.push_back(entry);
  }
  return absl::StrCat(family == 4 ? "ipv4:" : "ipv6:", absl::StrJoin(entries, ","));
}

absl::StatusOr<std::unique_ptr<Client>> Client::Create(const ClientOptions& options) {
  absl::StatusOr<std::string> target = ChannelTarget(options.server);
  if (!target.ok()) return target.status();
  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(options.max_message_bytes);
  args.SetMaxSendMessageSize(options.max_message_bytes);
  if (!options.lb_policy.empty()) args.SetLoadBalancingPolicyName(options.lb_policy);
  if (options.keepalive_time != absl::InfiniteDuration()) {
    args.SetInt(GRPC_ARG_KEEPALIVE_TIME_MS, absl::ToInt64Milliseconds(options.keepalive_time));
    args.SetInt(GRPC_ARG_KEEPALIVE_TIMEOUT_MS,
                absl::ToInt64Milliseconds(options.keepalive_timeout));
    // Keep pinging through a long call on which the server sends nothing (gRPC's default stops
    // after 2 pings without data, which would leave a cut-off server unnoticed).
    args.SetInt(GRPC_ARG_HTTP2_MAX_PINGS_WITHOUT_DATA, 0);
  }
  // Our own retry loop decides what is retried; gRPC's transparent retries stay on (they only
  // replay calls that never left the client).
  auto channel = grpc::CreateCustomChannel(*target, grpc::InsecureChannelCredentials(), args);
  return CreateForChannel(std::move(channel), options);
}

std::unique_ptr<Client> Client::CreateForChannel(std::shared_ptr<grpc::Channel> channel,
                                                 const ClientOptions& options) {
  return std::unique_ptr<Client>(new Client(std::move(channel), options));
}

Client::Client(std::shared_ptr<grpc::Channel> channel, const ClientOptions& options)
    : options_(options),
      channel_(std::move(channel)),
      stub_(v1::Arbiter::NewStub(channel_)),
      limiter_(options.max_concurrent_rpcs) {}

template <typename AttemptFn>
absl::Status Client::WithRetries(AttemptFn attempt) const {
  const absl::Time deadline = options_.clock->Now() + options_.deadline;
  thread_local absl::BitGen rng;  // seeded once per thread: a Client is shared across threads
  return RunWithRetries(
      options_.retry, deadline, *options_.clock, rng,
      [&](std::string& peer) {
        ConcurrencyLimiter::Slot slot(limiter_);
        grpc::ClientContext context;
        context.set_deadline(absl::ToChronoTime(deadline));
        absl::Status status = attempt(context);
        if (!status.ok()) peer = context.peer();
        return status;
      },
      options_.on_retry);
}

absl::StatusOr<v1::ScoreResponse> Client::Score(const v1::ScoreRequest& request) const {
  v1::ScoreResponse response;
  const absl::Status status = WithRetries([&](grpc::ClientContext& context) {
    response.Clear();
    return rpc::FromGrpcStatus(stub_->Score(&context, request, &response));
  });
  if (!status.ok()) return status;
  return response;
}

absl::Status Client::ScoreStream(const v1::ScoreRequest& request,
                                 absl::FunctionRef<void(v1::GroupResult)> on_result) const {
  bool delivered = false;
  return WithRetries([&](grpc::ClientContext& context) -> absl::Status {
    auto reader = stub_->ScoreStream(&context, request);
    v1::GroupResult result;
    while (reader->Read(&result)) {
      delivered = true;
      on_result(std::move(result));
      result.Clear();
    }
    absl::Status status = rpc::FromGrpcStatus(reader->Finish());
    if (!status.ok() && delivered && IsRetryable(status.code())) {
      // Results already went to the caller: a replay would deliver them twice, so the failure
      // becomes final (ABORTED is not retryable), naming the original code.
      return absl::AbortedError(absl::StrCat(
          "stream broke after partial results: ", absl::StatusCodeToString(status.code()), ": ",
          status.message()));
    }
    return status;
  });
}

absl::StatusOr<v1::GenerateResponse> Client::Generate(const v1::GenerateRequest& request) const {
  v1::GenerateResponse response;
  const absl::Status status = WithRetries([&](grpc::ClientContext& context) {
    response.Clear();
    return rpc::FromGrpcStatus(stub_->Generate(&context, request, &response));
  });
  if (!status.ok()) return status;
  return response;
}

absl::StatusOr<v1::ListVerifiersResponse> Client::ListVerifiers() const {
  v1::ListVerifiersResponse response;
  const absl::Status status = WithRetries([&](grpc::ClientContext& context) {
    response.Clear();
    return rpc::FromGrpcStatus(
        stub_->ListVerifiers(&context, v1::ListVerifiersRequest(), &response));
  });
  if (!status.ok()) return status;
  return response;
}

absl::StatusOr<v1::RegisterSuiteResponse> Client::RegisterSuite(std::string content) const {
  v1::RegisterSuiteRequest request;
  request.set_content(std::move(content));
  v1::RegisterSuiteResponse response;
  const absl::Status status = WithRetries([&](grpc::ClientContext& context) {
    response.Clear();
    return rpc::FromGrpcStatus(stub_->RegisterSuite(&context, request, &response));
  });
  if (!status.ok()) return status;
  return response;
}

absl::StatusOr<ServingStatus> Client::Health(std::string_view service) const {
  grpc::GenericStub generic(channel_);
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + options_.deadline));
  const std::string request_bytes = EncodeHealthCheckRequest(service);
  grpc::Slice slice(request_bytes);
  grpc::ByteBuffer request(&slice, 1);
  grpc::ByteBuffer response;
  grpc::Status rpc_status;
  absl::Notification done;
  {
    ConcurrencyLimiter::Slot slot(limiter_);
    generic.UnaryCall(&context, kHealthCheckMethod, grpc::StubOptions(), &request, &response,
                      [&](grpc::Status status) {
                        rpc_status = std::move(status);
                        done.Notify();
                      });
    done.WaitForNotification();
  }
  if (!rpc_status.ok()) return rpc::FromGrpcStatus(rpc_status);
  std::vector<grpc::Slice> slices;
  if (!response.Dump(&slices).ok()) return absl::InternalError("cannot read health response");
  std::string bytes;
  for (const grpc::Slice& s : slices) {
    bytes.append(reinterpret_cast<const char*>(s.begin()), s.size());
  }
  return DecodeHealthCheckResponse(bytes);
}

bool Client::WaitForConnected(absl::Duration timeout) const {
  return channel_->WaitForConnected(absl::ToChronoTime(absl::Now() + timeout));
}

}  // namespace arbiter::client
