#include "server/score_reactors.h"

#include <deque>
#include <memory>
#include <utility>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "rpc/status_conversion.h"
#include "server/wire.h"

namespace arbiter::server {
namespace {

// Room kept for the response's own fields (ServerInfo) and framing.
constexpr int64_t kResponseOverheadBytes = 4096;

absl::Time ClientDeadline(const grpc::CallbackServerContext* context) {
  const auto deadline = context->deadline();
  if (deadline == std::chrono::system_clock::time_point::max()) return absl::InfiniteFuture();
  return absl::FromChrono(deadline);
}

void Record(Metrics* metrics, Rpc rpc, const grpc::Status& status, absl::Time start) {
  if (metrics == nullptr) return;
  metrics->RequestDone(rpc, rpc::FromGrpcStatus(status).code(), absl::Now() - start);
}

class ScoreReactor final : public grpc::ServerUnaryReactor {
 public:
  ScoreReactor(const ScoreCallContext& call, grpc::CallbackServerContext* context,
               const grpc::ByteBuffer* request, grpc::ByteBuffer* response)
      : call_(call), token_(std::make_shared<sdk::CancellationToken>()) {
    if (absl::Status parsed = ParseMessage(*request, request_); !parsed.ok()) {
      Done(rpc::ToGrpcStatus(parsed));
      return;
    }
    ScoreCallbacks callbacks;
    callbacks.on_done = [this, response](std::vector<v1::GroupResult> groups) {
      FitGroupsToLimit(groups, call_.max_message_bytes - kResponseOverheadBytes);
      v1::ScoreResponse message;
      *message.mutable_server() = *call_.server_info;
      message.mutable_groups()->Reserve(static_cast<int>(groups.size()));
      for (v1::GroupResult& group : groups) *message.add_groups() = std::move(group);
      Done(rpc::ToGrpcStatus(SerializeMessage(message, *response)));
    };
    absl::Status admitted =
        call_.dispatcher->Score(request_, ClientDeadline(context), token_, std::move(callbacks));
    if (!admitted.ok()) Done(rpc::ToGrpcStatus(admitted));
  }

  void OnCancel() override { token_->Cancel(); }
  void OnDone() override { delete this; }

 private:
  // The last thing this object does: after Finish, OnDone may delete it on another thread.
  void Done(const grpc::Status& status) {
    Record(call_.metrics, Rpc::kScore, status, start_);
    Finish(status);
  }

  const ScoreCallContext call_;
  const absl::Time start_ = absl::Now();
  const std::shared_ptr<sdk::CancellationToken> token_;
  v1::ScoreRequest request_;  // outlives the dispatcher's use of it (until on_done)
};

class ScoreStreamReactor final : public grpc::ServerWriteReactor<grpc::ByteBuffer> {
 public:
  ScoreStreamReactor(const ScoreCallContext& call, grpc::CallbackServerContext* context,
                     const grpc::ByteBuffer* request)
      : call_(call), token_(std::make_shared<sdk::CancellationToken>()) {
    absl::Status admitted = ParseMessage(*request, request_);
    if (admitted.ok()) {
      ScoreCallbacks callbacks;
      callbacks.on_group = [this](const v1::GroupResult& group) { Enqueue(group); };
      callbacks.on_done = [this](const std::vector<v1::GroupResult>&) { AllEnqueued(); };
      admitted =
          call_.dispatcher->Score(request_, ClientDeadline(context), token_, std::move(callbacks));
    }
    if (!admitted.ok()) {
      Record(call_.metrics, Rpc::kScoreStream, rpc::ToGrpcStatus(admitted), start_);
      Finish(rpc::ToGrpcStatus(admitted));
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
    // Serialised here, on the worker, so the size is known and the reaction thread only writes.
    grpc::ByteBuffer bytes;
    const int64_t size = EncodedGroupSize(group);
    const int64_t limit = call_.max_message_bytes - kResponseOverheadBytes;
    if (size > limit) {
      v1::GroupResult failed = group;
      FailOversizeGroup(failed, size, limit);
      (void)SerializeMessage(failed, bytes);
    } else {
      (void)SerializeMessage(group, bytes);
    }
    Pump(/*write_done=*/false, /*ok=*/true, &bytes);
  }
  void AllEnqueued() { Pump(/*write_done=*/false, /*ok=*/true, nullptr, /*all_enqueued=*/true); }

  // Records what happened (a write done, a group to send, the last group sent) and starts the
  // next write or the Finish, whichever is due, in one critical section: once a caller releases
  // `mu_` with nothing left to do, the thread of a write's completion may Finish, and OnDone may
  // delete this object, so no caller touches it after that (an ASan CI run caught the worker
  // setting all_enqueued_, releasing, and locking again in a reactor already deleted). gRPC
  // calls are made without `mu_` held: a reaction may run inline and re-enter Pump.
  void Pump(bool write_done, bool ok, grpc::ByteBuffer* add = nullptr, bool all_enqueued = false) {
    enum { kNothing, kWrite, kFinish } action = kNothing;
    const grpc::ByteBuffer* next = nullptr;
    {
      absl::MutexLock lock(&mu_);
      if (add != nullptr && !broken_) pending_.push_back(std::move(*add));
      if (all_enqueued) all_enqueued_ = true;
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
        // front() stays put until its OnWriteDone pops it; deque push_back keeps references
        // to existing elements valid.
        next = &pending_.front();
      } else if (all_enqueued_) {
        finished_ = true;
        action = kFinish;
      }
    }
    if (action == kWrite) {
      StartWrite(next);
    } else if (action == kFinish) {
      Record(call_.metrics, Rpc::kScoreStream, grpc::Status::OK, start_);
      Finish(grpc::Status::OK);
    }
  }

  const ScoreCallContext call_;
  const absl::Time start_ = absl::Now();
  const std::shared_ptr<sdk::CancellationToken> token_;
  v1::ScoreRequest request_;
  absl::Mutex mu_;
  std::deque<grpc::ByteBuffer> pending_ ABSL_GUARDED_BY(mu_);
  bool writing_ ABSL_GUARDED_BY(mu_) = false;
  bool broken_ ABSL_GUARDED_BY(mu_) = false;
  bool all_enqueued_ ABSL_GUARDED_BY(mu_) = false;
  bool finished_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace

grpc::ServerUnaryReactor* StartScore(const ScoreCallContext& call,
                                     grpc::CallbackServerContext* context,
                                     const grpc::ByteBuffer* request, grpc::ByteBuffer* response) {
  return new ScoreReactor(call, context, request, response);
}

grpc::ServerWriteReactor<grpc::ByteBuffer>* StartScoreStream(const ScoreCallContext& call,
                                                             grpc::CallbackServerContext* context,
                                                             const grpc::ByteBuffer* request) {
  return new ScoreStreamReactor(call, context, request);
}

}  // namespace arbiter::server
