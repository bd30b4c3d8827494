// The gRPC transport: Score over the callback API of a generic stub, so the client neither
// blocks a thread per call nor re-encodes the request: each template is encoded once, and a
// call copies its bytes and overwrites the tags in place.
#include <atomic>
#include <vector>

#include "absl/strings/str_cat.h"
#include "client/cli/bench/transport.h"
#include "client/client.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/support/byte_buffer.h"
#include "grpcpp/support/proto_buffer_reader.h"
#include "rpc/status_conversion.h"

namespace arbiter::client::cli::bench {
namespace {

constexpr char kScoreMethod[] = "/arbiter.v1.Arbiter/Score";

struct Encoded {
  std::string bytes;
  std::vector<size_t> tags;
  int64_t items = 0;
  int groups = 0;
};

class GrpcTransport final : public Transport {
 public:
  GrpcTransport(const TransportOptions& options, const Workload& workload)
      : deadline_(options.deadline) {
    for (int c = 0; c < std::max(1, options.connections); ++c) {
      grpc::ChannelArguments args;
      args.SetMaxReceiveMessageSize(64 << 20);
      args.SetMaxSendMessageSize(64 << 20);
      // A distinct argument per channel, so each gets its own connection.
      args.SetInt("arbiter.bench_channel", c);
      stubs_.push_back(std::make_unique<grpc::GenericStub>(grpc::CreateCustomChannel(
          ServerTarget(options.address), grpc::InsecureChannelCredentials(), args)));
    }
    for (const v1::ScoreRequest& request : workload.requests) {
      Encoded e;
      request.SerializeToString(&e.bytes);
      e.tags = FindTags(e.bytes);
      for (const v1::Group& g : request.groups()) e.items += g.samples_size();
      e.groups = request.groups_size();
      templates_.push_back(std::move(e));
    }
  }

  void Start(uint64_t call, Done done) override {
    const Encoded& t = templates_[call % templates_.size()];
    auto* state = new State;
    state->done = std::move(done);
    state->items = t.items;
    state->groups = t.groups;
    state->context.set_deadline(absl::ToChronoTime(absl::Now() + deadline_));
    grpc_slice slice = grpc_slice_malloc(t.bytes.size());
    std::string_view view(t.bytes);
    std::copy(view.begin(), view.end(), reinterpret_cast<char*>(GRPC_SLICE_START_PTR(slice)));
    char* start = reinterpret_cast<char*>(GRPC_SLICE_START_PTR(slice));
    for (size_t i = 0; i < t.tags.size(); ++i) {
      WriteTag(call, static_cast<uint32_t>(i), start + t.tags[i]);
    }
    grpc::Slice owned(slice, grpc::Slice::STEAL_REF);
    state->request = grpc::ByteBuffer(&owned, 1);
    grpc::GenericStub& stub = *stubs_[call % stubs_.size()];
    stub.UnaryCall(&state->context, kScoreMethod, grpc::StubOptions(), &state->request,
                   &state->response, [state](const grpc::Status& status) {
                     // The call's context goes before `done` runs: once the driver has seen
                     // the last call end it may destroy the channels.
                     CallOutcome outcome = Outcome(status, state->response);
                     outcome.items = state->items;
                     outcome.groups = state->groups;
                     Done done = std::move(state->done);
                     delete state;
                     std::move(done)(std::move(outcome));
                   });
  }

  bool reports_cached() const override { return true; }

 private:
  struct State {
    grpc::ClientContext context;
    grpc::ByteBuffer request, response;
    Done done;
    int64_t items = 0;
    int groups = 0;
  };

  static CallOutcome Outcome(const grpc::Status& status, grpc::ByteBuffer& bytes) {
    CallOutcome out;
    if (!status.ok()) {
      out.code = absl::StatusCodeToString(rpc::FromGrpcStatus(status).code());
      out.message = status.error_message();
      return out;
    }
    v1::ScoreResponse response;
    grpc::ProtoBufferReader reader(&bytes);
    if (!response.ParseFromZeroCopyStream(&reader)) {
      out.code = "DATA_LOSS";
      out.message = "the response is not a ScoreResponse";
      return out;
    }
    for (const v1::GroupResult& g : response.groups()) {
      if (g.status().code() != 0) ++out.group_errors;
      for (const v1::SampleResult& s : g.samples()) {
        const int o = static_cast<int>(s.outcome());
        if (o >= 0 && o < 5) ++out.outcomes[o];
        if (s.cached()) ++out.cached;
      }
    }
    return out;
  }

  absl::Duration deadline_;
  std::vector<std::unique_ptr<grpc::GenericStub>> stubs_;
  std::vector<Encoded> templates_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<Transport>> MakeGrpcTransport(const TransportOptions& options,
                                                             const Workload& workload) {
  if (workload.requests.empty()) return absl::InvalidArgumentError("the workload is empty");
  return std::make_unique<GrpcTransport>(options, workload);
}

absl::StatusOr<std::unique_ptr<Transport>> MakeTransport(const TransportOptions& options,
                                                         const Workload& workload) {
  if (options.kind == "grpc") return MakeGrpcTransport(options, workload);
  if (options.kind == "slime" || options.kind == "openrlhf") {
    return MakeHttpTransport(options, workload);
  }
  return absl::InvalidArgumentError(
      absl::StrCat("unknown --transport=", options.kind, "; one of: grpc, slime, openrlhf"));
}

}  // namespace arbiter::client::cli::bench
