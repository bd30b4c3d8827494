// Scores a JSON Lines stream of Groups in batches, several batches in flight, and writes one
// GroupResult line per input line in input order. This is the engine of `arbiter score`.
//
// Contract:
//   - Blank lines are skipped and produce no output; every other line produces exactly one
//     output line, at the same position among the outputs.
//   - A line that is not a valid Group in JSON is not sent: its output is a GroupResult with
//     status INVALID_ARGUMENT and the message "input line N: <reason>" (N 1-based), so the output
//     stays aligned with the input and the rest of the file is still scored.
//   - Every output line has a `status` (code 0 when OK), even when the server left it unset.
//   - group_index in the output is the 0-based position of the group among the non-blank input
//     lines (the server's per-batch index is replaced); group_id is echoed.
//   - A failed group's status message starts with "input line N: " (its line in the input).
//   - Pacing: at most `concurrency` RPCs are in flight, but the pipeline starts with one and
//     adds one per batch that comes back without expiry (slow start), and halves the window when
//     a group expired in the server's queue (DEADLINE_EXCEEDED, or INFRA_ERROR samples that
//     were never verified for want of time). Expired groups are sent again alone, up to
//     `max_attempts` in all: the client's own queueing never costs a group.
//   - A batch whose RPC fails with a non-fatal status gives each of its groups that status.
//     Fatal statuses (UNAVAILABLE, UNIMPLEMENTED, UNAUTHENTICATED, PERMISSION_DENIED: the server
//     cannot be used) stop the run and are returned; what was already written stays written.
//
// Thread-safety: ScoreJsonl runs `score_batch` from up to `concurrency` threads at once; the
// function must be thread-safe. The streams are used from one thread at a time.
#pragma once

#include <cstdint>
#include <functional>
#include <istream>
#include <ostream>
#include <vector>

#include "absl/status/statusor.h"
#include "arbiter/v1/arbiter.pb.h"

namespace arbiter::client {

// Scores `groups` and returns one result per group, in order (what Client::Score returns).
using ScoreBatchFn =
    std::function<absl::StatusOr<std::vector<v1::GroupResult>>(const std::vector<v1::Group>&)>;

struct ScorePipelineOptions {
  // Groups per RPC.
  int batch_groups = 64;
  // Most batches in flight (the window grows to it; see Pacing above).
  int concurrency = 4;
  // Batches in flight at the start (slow start); grows by one per clean batch.
  int initial_concurrency = 1;
  // Tries per group when it expires in the server's queue (1 = no retry).
  int max_attempts = 5;
  // Called for every result as it is written, in output order, under the writer's lock.
  std::function<void(const v1::GroupResult&)> on_result;
  // Called after each batch is written with the number of output lines written so far
  // (from a worker thread, under the writer's lock: keep it short).
  std::function<void(int64_t written)> on_progress;
};

struct ScorePipelineStats {
  int64_t groups_written = 0;
  int64_t malformed_lines = 0;
  // Groups whose batch failed at the RPC level (they carry the RPC's status).
  int64_t rpc_failed_groups = 0;
  int64_t rpcs = 0;
  // Groups sent again after expiring in the server's queue.
  int64_t retried_groups = 0;
};

// True when `result` says its group ran out of time before it was verified.
bool ExpiredBeforeVerification(const v1::GroupResult& result);

// True for the statuses that end a run (see the contract above).
bool IsFatalRpcStatus(absl::StatusCode code);

absl::StatusOr<ScorePipelineStats> ScoreJsonl(std::istream& in, std::ostream& out,
                                              const ScorePipelineOptions& options,
                                              const ScoreBatchFn& score_batch);

// A ScoreBatchFn over a scorer of whole requests (e.g. Client::Score): one request per batch, with
// `shaping` copied in; results in request order. A group the server cannot score (unknown
// verifier, malformed task) comes back with its own status and its neighbours scored, so a
// failed RPC is a failure of the whole batch (its groups carry that status; see ScoreJsonl).
using ScoreRequestFn = std::function<absl::StatusOr<v1::ScoreResponse>(const v1::ScoreRequest&)>;
ScoreBatchFn MakeBatchScorer(ScoreRequestFn score_request, v1::Shaping shaping);

}  // namespace arbiter::client
