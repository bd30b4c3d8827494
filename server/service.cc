#include "server/service.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "rpc/status_conversion.h"
#include "server/auth.h"
#include "verifiers/sdk/utf8.h"

namespace arbiter::server {
namespace {

void Record(Metrics* metrics, Rpc rpc, const grpc::Status& status, absl::Time start) {
  if (metrics == nullptr) return;
  metrics->RequestDone(rpc, rpc::FromGrpcStatus(status).code(), absl::Now() - start);
}

grpc::ServerUnaryReactor* Refuse(grpc::CallbackServerContext* context, grpc::Status status) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  reactor->Finish(std::move(status));
  return reactor;
}

// A ScoreStream refused before it starts: finishes at once, sends nothing.
class RefusedStream final : public grpc::ServerWriteReactor<grpc::ByteBuffer> {
 public:
  explicit RefusedStream(grpc::Status status) { Finish(std::move(status)); }
  void OnDone() override { delete this; }
};

}  // namespace

ArbiterService::ArbiterService(Dispatcher* dispatcher, const sdk::VerifierRegistry* registry,
                               Metrics* metrics, v1::ServerInfo server_info,
                               int64_t max_message_bytes, const TokenFile* tokens)
    : dispatcher_(dispatcher),
      registry_(registry),
      metrics_(metrics),
      server_info_(std::move(server_info)),
      max_message_bytes_(max_message_bytes),
      tokens_(tokens) {}

grpc::Status ArbiterService::Authorize(const grpc::CallbackServerContext* context, Rpc rpc,
                                       absl::Time start) const {
  if (tokens_ == nullptr) return grpc::Status::OK;
  const auto& metadata = context->client_metadata();
  auto it = metadata.find("authorization");
  if (it != metadata.end() &&
      tokens_->Allows(absl::string_view(it->second.data(), it->second.size()))) {
    return grpc::Status::OK;
  }
  grpc::Status refused(grpc::StatusCode::UNAUTHENTICATED, std::string(kUnauthenticatedMessage));
  if (metrics_ != nullptr) metrics_->Rejected(RejectReason::kUnauthenticated);
  Record(metrics_, rpc, refused, start);
  return refused;
}

grpc::ServerUnaryReactor* ArbiterService::Score(grpc::CallbackServerContext* context,
                                                const grpc::ByteBuffer* request,
                                                grpc::ByteBuffer* response) {
  if (grpc::Status refused = Authorize(context, Rpc::kScore, absl::Now()); !refused.ok()) {
    return Refuse(context, std::move(refused));
  }
  return StartScore({dispatcher_, metrics_, &server_info_, max_message_bytes_}, context, request,
                    response);
}

grpc::ServerWriteReactor<grpc::ByteBuffer>* ArbiterService::ScoreStream(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* request) {
  if (grpc::Status refused = Authorize(context, Rpc::kScoreStream, absl::Now()); !refused.ok()) {
    return new RefusedStream(std::move(refused));
  }
  return StartScoreStream({dispatcher_, metrics_, &server_info_, max_message_bytes_}, context,
                          request);
}

grpc::ServerUnaryReactor* ArbiterService::Generate(grpc::CallbackServerContext* context,
                                                   const v1::GenerateRequest* request,
                                                   v1::GenerateResponse* response) {
  const absl::Time start = absl::Now();
  if (grpc::Status refused = Authorize(context, Rpc::kGenerate, start); !refused.ok()) {
    return Refuse(context, std::move(refused));
  }
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  const sdk::Generator* generator = registry_->FindGenerator(request->kind());
  if (generator == nullptr) {
    std::vector<std::string> kinds;
    for (const v1::GeneratorInfo& info : registry_->Generators()) kinds.push_back(info.kind());
    const grpc::Status status = rpc::ToGrpcStatus(absl::InvalidArgumentError(absl::StrCat(
        request->kind().empty() ? "GenerateRequest.kind is empty"
                                : absl::StrCat("unknown generate kind '", request->kind(), "'"),
        "; known kinds: ", absl::StrJoin(kinds, ", "))));
    Record(metrics_, Rpc::kGenerate, status, start);
    reactor->Finish(status);
    return reactor;
  }
  absl::Status admitted =
      dispatcher_->RunOnCpuPool([this, reactor, generator, request, response, start] {
        absl::StatusOr<v1::GenerateResponse> generated = generator->Generate(*request);
        grpc::Status status = rpc::ToGrpcStatus(generated.status());
        if (generated.ok()) {
          *response = *std::move(generated);
          *response->mutable_server() = server_info_;
          sdk::RepairUtf8Fields(*response);
        }
        Record(metrics_, Rpc::kGenerate, status, start);
        reactor->Finish(status);
      });
  if (!admitted.ok()) {
    Record(metrics_, Rpc::kGenerate, rpc::ToGrpcStatus(admitted), start);
    reactor->Finish(rpc::ToGrpcStatus(admitted));
  }
  return reactor;
}

grpc::ServerUnaryReactor* ArbiterService::ListVerifiers(grpc::CallbackServerContext* context,
                                                        const v1::ListVerifiersRequest*,
                                                        v1::ListVerifiersResponse* response) {
  const absl::Time start = absl::Now();
  if (grpc::Status refused = Authorize(context, Rpc::kListVerifiers, start); !refused.ok()) {
    return Refuse(context, std::move(refused));
  }
  for (v1::VerifierInfo& info : registry_->Verifiers()) *response->add_verifiers() = info;
  for (v1::GeneratorInfo& info : registry_->Generators()) *response->add_generators() = info;
  *response->mutable_server() = server_info_;
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  Record(metrics_, Rpc::kListVerifiers, grpc::Status::OK, start);
  reactor->Finish(grpc::Status::OK);
  return reactor;
}

// Hashing a suite of up to max_message_bytes is CPU work: it runs on the CPU pool (one admitted
// item), never on the reaction.
grpc::ServerUnaryReactor* ArbiterService::RegisterSuite(grpc::CallbackServerContext* context,
                                                        const v1::RegisterSuiteRequest* request,
                                                        v1::RegisterSuiteResponse* response) {
  const absl::Time start = absl::Now();
  if (grpc::Status refused = Authorize(context, Rpc::kRegisterSuite, start); !refused.ok()) {
    return Refuse(context, std::move(refused));
  }
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  absl::Status admitted = dispatcher_->RunOnCpuPool([this, reactor, request, response, start] {
    absl::StatusOr<std::string> id = dispatcher_->suites().Register(request->content());
    grpc::Status status = rpc::ToGrpcStatus(id.status());
    if (id.ok()) {
      response->set_suite_id(*std::move(id));
      response->set_bytes(static_cast<int64_t>(request->content().size()));
      *response->mutable_server() = server_info_;
    }
    Record(metrics_, Rpc::kRegisterSuite, status, start);
    reactor->Finish(status);
  });
  if (!admitted.ok()) {
    Record(metrics_, Rpc::kRegisterSuite, rpc::ToGrpcStatus(admitted), start);
    reactor->Finish(rpc::ToGrpcStatus(admitted));
  }
  return reactor;
}

}  // namespace arbiter::server
