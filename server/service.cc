#include "server/service.h"

#include <deque>
#include <memory>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "server/status_conversion.h"

namespace arbiter::server {
namespace {

absl::Time ClientDeadline(const grpc::CallbackServerContext* context) {
  const auto deadline = context->deadline();
  if (deadline == std::chrono::system_clock::time_point::max()) return absl::InfiniteFuture();
  return absl::FromChrono(deadline);
}

void Record(Metrics* metrics, Rpc rpc, const grpc::Status& status, absl::Time start) {
  if (metrics == nullptr) return;
  metrics->RequestDone(rpc, FromGrpcStatus(status).code(), absl::Now() - start);
}

class ScoreReactor final : public grpc::ServerUnaryReactor {
 public:
  ScoreReactor(ArbiterService* service, grpc::CallbackServerContext* context,
               const v1::ScoreRequest* request, v1::ScoreResponse* response)
      : metrics_(service->metrics()), token_(std::make_shared<sdk::CancellationToken>()) {
    *response->mutable_server() = service->server_info();
    ScoreCallbacks callbacks;
    callbacks.on_done = [this, response](std::vector<v1::GroupResult> groups) {
      response->mutable_groups()->Reserve(static_cast<int>(groups.size()));
      for (v1::GroupResult& group : groups) *response->add_groups() = std::move(group);
      Done(grpc::Status::OK);
    };
    absl::Status admitted = service->dispatcher().Score(*request, ClientDeadline(context), token_,
                                                        std::move(callbacks));
    if (!admitted.ok()) Done(ToGrpcStatus(admitted));
  }

  void OnCancel() override { token_->Cancel(); }
  void OnDone() override { delete this; }

 private:
  // The last thing this object does: after Finish, OnDone may delete it on another thread.
  void Done(const grpc::Status& status) {
    Record(metrics_, Rpc::kScore, status, start_);
    Finish(status);
  }

  Metrics* const metrics_;
  const absl::Time start_ = absl::Now();
  const std::shared_ptr<sdk::CancellationToken> token_;
};

class ScoreStreamReactor final : public grpc::ServerWriteReactor<v1::GroupResult> {
 public:
  ScoreStreamReactor(ArbiterService* service, grpc::CallbackServerContext* context,
                     const v1::ScoreRequest* request)
      : metrics_(service->metrics()), token_(std::make_shared<sdk::CancellationToken>()) {
    ScoreCallbacks callbacks;
    callbacks.on_group = [this](const v1::GroupResult& group) { Enqueue(group); };
    callbacks.on_done = [this](std::vector<v1::GroupResult>) { AllEnqueued(); };
    absl::Status admitted = service->dispatcher().Score(*request, ClientDeadline(context), token_,
                                                        std::move(callbacks));
    if (!admitted.ok()) {
      Record(metrics_, Rpc::kScoreStream, ToGrpcStatus(admitted), start_);
      Finish(ToGrpcStatus(admitted));
    }
  }

  void OnWriteDone(bool ok) override {
    if (!ok) token_->Cancel();  // the client is gone: stop the remaining work
    Pump(/*write_done=*/true, ok);
  }
  void OnCancel() override { token_->Cancel(); }
  void OnDone() override { delete this; }

 private:
  void Enqueue(const v1::GroupResult& group) {
    {
      absl::MutexLock lock(&mu_);
      if (!broken_) pending_.push_back(group);
    }
    Pump(/*write_done=*/false, true);
  }
  void AllEnqueued() {
    {
      absl::MutexLock lock(&mu_);
      all_enqueued_ = true;
    }
    Pump(/*write_done=*/false, true);
  }

  // Starts the next write or the Finish, whichever is due. gRPC calls are made without `mu_`
  // held: a reaction may run inline and re-enter Pump.
  void Pump(bool write_done, bool ok) {
    enum { kNothing, kWrite, kFinish } action = kNothing;
    {
      absl::MutexLock lock(&mu_);
      if (write_done) {
        writing_ = false;
        pending_.pop_front();
        if (!ok) {
          broken_ = true;
          pending_.clear();
        }
      }
      if (writing_ || finished_) return;
      if (!pending_.empty()) {
        writing_ = true;
        action = kWrite;
      } else if (all_enqueued_) {
        finished_ = true;
        action = kFinish;
      }
    }
    if (action == kWrite) {
      // pending_.front() stays put until its OnWriteDone pops it; deque push_back keeps
      // references to existing elements valid.
      const v1::GroupResult* next;
      {
        absl::MutexLock lock(&mu_);
        next = &pending_.front();
      }
      StartWrite(next);
    } else if (action == kFinish) {
      Record(metrics_, Rpc::kScoreStream, grpc::Status::OK, start_);
      Finish(grpc::Status::OK);
    }
  }

  Metrics* const metrics_;
  const absl::Time start_ = absl::Now();
  const std::shared_ptr<sdk::CancellationToken> token_;
  absl::Mutex mu_;
  std::deque<v1::GroupResult> pending_ ABSL_GUARDED_BY(mu_);
  bool writing_ ABSL_GUARDED_BY(mu_) = false;
  bool broken_ ABSL_GUARDED_BY(mu_) = false;
  bool all_enqueued_ ABSL_GUARDED_BY(mu_) = false;
  bool finished_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace

ArbiterService::ArbiterService(Dispatcher* dispatcher, const sdk::VerifierRegistry* registry,
                               Metrics* metrics, v1::ServerInfo server_info)
    : dispatcher_(dispatcher),
      registry_(registry),
      metrics_(metrics),
      server_info_(std::move(server_info)) {}

grpc::ServerUnaryReactor* ArbiterService::Score(grpc::CallbackServerContext* context,
                                                const v1::ScoreRequest* request,
                                                v1::ScoreResponse* response) {
  return new ScoreReactor(this, context, request, response);
}

grpc::ServerWriteReactor<v1::GroupResult>* ArbiterService::ScoreStream(
    grpc::CallbackServerContext* context, const v1::ScoreRequest* request) {
  return new ScoreStreamReactor(this, context, request);
}

grpc::ServerUnaryReactor* ArbiterService::Generate(grpc::CallbackServerContext* context,
                                                   const v1::GenerateRequest* request,
                                                   v1::GenerateResponse* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  const absl::Time start = absl::Now();
  const sdk::Generator* generator = registry_->FindGenerator(request->kind());
  if (generator == nullptr) {
    std::vector<std::string> kinds;
    for (const v1::GeneratorInfo& info : registry_->Generators()) kinds.push_back(info.kind());
    const grpc::Status status = ToGrpcStatus(absl::InvalidArgumentError(absl::StrCat(
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
        grpc::Status status = ToGrpcStatus(generated.status());
        if (generated.ok()) {
          *response = *std::move(generated);
          *response->mutable_server() = server_info_;
        }
        Record(metrics_, Rpc::kGenerate, status, start);
        reactor->Finish(status);
      });
  if (!admitted.ok()) {
    Record(metrics_, Rpc::kGenerate, ToGrpcStatus(admitted), start);
    reactor->Finish(ToGrpcStatus(admitted));
  }
  return reactor;
}

grpc::ServerUnaryReactor* ArbiterService::ListVerifiers(grpc::CallbackServerContext* context,
                                                        const v1::ListVerifiersRequest*,
                                                        v1::ListVerifiersResponse* response) {
  const absl::Time start = absl::Now();
  for (v1::VerifierInfo& info : registry_->Verifiers()) *response->add_verifiers() = info;
  for (v1::GeneratorInfo& info : registry_->Generators()) *response->add_generators() = info;
  *response->mutable_server() = server_info_;
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  Record(metrics_, Rpc::kListVerifiers, grpc::Status::OK, start);
  reactor->Finish(grpc::Status::OK);
  return reactor;
}

}  // namespace arbiter::server
