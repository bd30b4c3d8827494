#include "client/score_pipeline.h"

#include <algorithm>
#include <deque>
#include <map>
#include <string>
#include <thread>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "client/jsonl.h"

namespace arbiter::client {
namespace {

// One non-blank input line: a parsed group, or the reason it could not be parsed.
struct Entry {
  int64_t line_number = 0;
  absl::Status parse_status;
  v1::Group group;
};

struct Batch {
  int64_t seq = 0;
  int64_t first_index = 0;  // output position of entries[0]
  std::vector<Entry> entries;
};

v1::GroupResult ErrorResult(const absl::Status& status, const std::string& group_id) {
  v1::GroupResult result;
  result.set_group_id(group_id);
  result.mutable_status()->set_code(static_cast<int>(status.code()));
  result.mutable_status()->set_message(std::string(status.message()));
  return result;
}

// A dataset row sent as it is fails with protobuf's "Cannot find field": say how to wrap it.
std::string RowHint(const std::string& line) {
  if (absl::StrContains(line, "\"task\"") || absl::StrContains(line, "\"samples\"")) {
    return "";
  }
  return "; each line must be an arbiter.v1.Group, not a dataset row: wrap the row as "
         "{\"task\": {\"verifier\": \"sat\", \"ground_truth\": <the row's label>}, "
         "\"samples\": [{\"completion\": \"...\"}, ...]} (see arbiter score --help)";
}

class Pipeline {
 public:
  Pipeline(std::ostream& out, const ScorePipelineOptions& options, const ScoreBatchFn& score)
      : out_(out), options_(options), score_(score) {}

  absl::StatusOr<ScorePipelineStats> Run(std::istream& in) {
    const int workers = std::max(1, options_.concurrency);
    {
      absl::MutexLock lock(&mu_);
      window_ = std::clamp(options_.initial_concurrency, 1, workers);
    }
    max_pending_ = int64_t{2} * workers;
    std::vector<std::thread> threads;
    threads.reserve(static_cast<size_t>(workers));
    for (int i = 0; i < workers; ++i) threads.emplace_back([this] { Work(); });
    Read(in);
    {
      absl::MutexLock lock(&mu_);
      closed_ = true;
    }
    for (std::thread& t : threads) t.join();
    absl::MutexLock lock(&mu_);
    if (!fatal_.ok()) return fatal_;
    return stats_;
  }

 private:
  void Read(std::istream& in) {
    const int batch_size = std::max(1, options_.batch_groups);
    Batch batch;
    int64_t line_number = 0, index = 0, seq = 0;
    std::string line;
    auto flush = [&]() -> bool {
      if (batch.entries.empty()) return true;
      batch.seq = seq++;
      absl::MutexLock lock(&mu_);
      // Bounds memory: at most `max_pending_` batches read but not yet written.
      mu_.Await(absl::Condition(this, &Pipeline::CanDispatch));
      if (!fatal_.ok()) return false;
      queue_.push_back(std::move(batch));
      ++dispatched_;
      batch = Batch();
      batch.first_index = index;
      return true;
    };
    while (std::getline(in, line)) {
      ++line_number;
      if (IsBlankLine(line)) continue;
      Entry entry;
      entry.line_number = line_number;
      if (absl::Status s = ParseJsonMessage(line, &entry.group); !s.ok()) {
        entry.parse_status = absl::InvalidArgumentError(
            absl::StrCat("input line ", line_number, ": ", s.message(), RowHint(line)));
      }
      batch.entries.push_back(std::move(entry));
      ++index;
      if (static_cast<int>(batch.entries.size()) >= batch_size && !flush()) return;
    }
    flush();
  }

  void Work() {
    while (true) {
      Batch batch;
      {
        absl::MutexLock lock(&mu_);
        mu_.Await(absl::Condition(this, &Pipeline::HasWorkOrDone));
        if (queue_.empty() || !fatal_.ok()) return;
        batch = std::move(queue_.front());
        queue_.pop_front();
      }
      absl::StatusOr<std::vector<std::string>> lines = Score(batch);
      absl::MutexLock lock(&mu_);
      if (!lines.ok()) {
        if (fatal_.ok()) fatal_ = lines.status();
        return;
      }
      Write(batch.seq, *std::move(lines));
    }
  }

  // One call to the scorer inside the pacing window.
  absl::StatusOr<std::vector<v1::GroupResult>> Call(const std::vector<v1::Group>& groups) {
    {
      absl::MutexLock lock(&mu_);
      mu_.Await(absl::Condition(this, &Pipeline::HasSlot));
      ++in_flight_;
    }
    absl::StatusOr<std::vector<v1::GroupResult>> scored = score_(groups);
    if (scored.ok() && scored->size() != groups.size()) {
      scored = absl::InternalError(absl::StrCat("server returned ", scored->size(), " results for ",
                                                groups.size(), " groups"));
    }
    absl::MutexLock lock(&mu_);
    --in_flight_;
    ++stats_.rpcs;
    return scored;
  }

  // AIMD on the window: grow by one after a clean batch, halve after an expiry.
  void Adjust(bool expired) {
    absl::MutexLock lock(&mu_);
    window_ = expired ? std::max(1, window_ / 2)
                      : std::min(std::max(1, options_.concurrency), window_ + 1);
  }

  // Scores `groups` into `results` (one per group), sending groups that expired in the
  // server's queue again, alone, until they are verified or out of attempts. Fatal RPC
  // failures are returned as errors.
  absl::Status ScoreWithRetries(const std::vector<v1::Group>& groups,
                                std::vector<v1::GroupResult>& results, int64_t& rpc_failed) {
    absl::StatusOr<std::vector<v1::GroupResult>> scored = Call(groups);
    std::vector<size_t> expired;
    if (scored.ok()) {
      results = *std::move(scored);
      for (size_t i = 0; i < results.size(); ++i) {
        if (ExpiredBeforeVerification(results[i])) expired.push_back(i);
      }
    } else {
      if (IsFatalRpcStatus(scored.status().code())) return scored.status();
      results.clear();
      for (const v1::Group& group : groups) {
        results.push_back(ErrorResult(scored.status(), group.group_id()));
      }
      if (scored.status().code() == absl::StatusCode::kDeadlineExceeded) {
        for (size_t i = 0; i < groups.size(); ++i) expired.push_back(i);
      } else {
        rpc_failed += static_cast<int64_t>(groups.size());
      }
    }
    Adjust(!expired.empty());
    for (int attempt = 2; attempt <= options_.max_attempts && !expired.empty(); ++attempt) {
      std::vector<size_t> still;
      for (size_t i : expired) {
        {
          absl::MutexLock lock(&mu_);
          ++stats_.retried_groups;
        }
        absl::StatusOr<std::vector<v1::GroupResult>> one = Call({groups[i]});
        if (!one.ok() && IsFatalRpcStatus(one.status().code())) return one.status();
        if (one.ok()) results[i] = std::move((*one)[0]);
        const bool again = one.ok() ? ExpiredBeforeVerification(results[i])
                                    : one.status().code() == absl::StatusCode::kDeadlineExceeded;
        if (!one.ok()) results[i] = ErrorResult(one.status(), groups[i].group_id());
        Adjust(again);
        if (again) still.push_back(i);
      }
      expired = std::move(still);
    }
    return absl::OkStatus();
  }

  // Scores one batch and returns its output lines. Fatal RPC failures are returned as errors.
  absl::StatusOr<std::vector<std::string>> Score(Batch& batch) {
    std::vector<v1::Group> groups;
    for (Entry& e : batch.entries) {
      if (e.parse_status.ok()) groups.push_back(std::move(e.group));
    }
    std::vector<v1::GroupResult> results;
    int64_t rpc_failed = 0, malformed = 0;
    if (!groups.empty()) {
      if (absl::Status s = ScoreWithRetries(groups, results, rpc_failed); !s.ok()) return s;
    }
    std::vector<std::string> lines;
    std::vector<v1::GroupResult> written;
    size_t next = 0;
    for (size_t i = 0; i < batch.entries.size(); ++i) {
      const Entry& e = batch.entries[i];
      v1::GroupResult result;
      if (!e.parse_status.ok()) {
        result = ErrorResult(e.parse_status, "");
        ++malformed;
      } else {
        result = std::move(results[next++]);
        const std::string prefix = absl::StrCat("input line ", e.line_number, ": ");
        if (result.status().code() != 0 && !absl::StartsWith(result.status().message(), prefix)) {
          result.mutable_status()->set_message(prefix + result.status().message());
        }
      }
      result.set_group_index(static_cast<int32_t>(batch.first_index + static_cast<int64_t>(i)));
      result.mutable_status();  // always present in the output: {"code":0,...} when OK
      absl::StatusOr<std::string> line = PrintJsonMessage(result);
      if (!line.ok()) return line.status();
      lines.push_back(*std::move(line));
      if (options_.on_result) written.push_back(std::move(result));
    }
    absl::MutexLock lock(&mu_);
    stats_.malformed_lines += malformed;
    stats_.rpc_failed_groups += rpc_failed;
    pending_results_[batch.seq] = std::move(written);
    return lines;
  }

  // Writes every batch that is next in order.
  void Write(int64_t seq, std::vector<std::string> lines) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    ready_[seq] = std::move(lines);
    for (auto it = ready_.find(next_write_); it != ready_.end(); it = ready_.find(next_write_)) {
      for (const std::string& line : it->second) out_ << line << '\n';
      stats_.groups_written += static_cast<int64_t>(it->second.size());
      ready_.erase(it);
      if (auto results = pending_results_.find(next_write_); results != pending_results_.end()) {
        if (options_.on_result) {
          for (const v1::GroupResult& result : results->second) options_.on_result(result);
        }
        pending_results_.erase(results);
      }
      ++next_write_;
    }
    out_.flush();
    if (!out_) {
      if (fatal_.ok()) fatal_ = absl::DataLossError("cannot write the output");
      return;
    }
    if (options_.on_progress) options_.on_progress(stats_.groups_written);
  }

  bool CanDispatch() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return !fatal_.ok() || dispatched_ - next_write_ < max_pending_;
  }
  bool HasSlot() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return in_flight_ < window_; }
  bool HasWorkOrDone() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return !queue_.empty() || closed_ || !fatal_.ok();
  }

  std::ostream& out_;
  const ScorePipelineOptions& options_;
  const ScoreBatchFn& score_;
  absl::Mutex mu_;
  std::deque<Batch> queue_ ABSL_GUARDED_BY(mu_);
  std::map<int64_t, std::vector<std::string>> ready_ ABSL_GUARDED_BY(mu_);
  std::map<int64_t, std::vector<v1::GroupResult>> pending_results_ ABSL_GUARDED_BY(mu_);
  int window_ ABSL_GUARDED_BY(mu_) = 1;
  int in_flight_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t dispatched_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t next_write_ ABSL_GUARDED_BY(mu_) = 0;
  bool closed_ ABSL_GUARDED_BY(mu_) = false;
  absl::Status fatal_ ABSL_GUARDED_BY(mu_);
  ScorePipelineStats stats_ ABSL_GUARDED_BY(mu_);
  int64_t max_pending_ = 1;  // set before the workers start
};

}  // namespace

bool ExpiredBeforeVerification(const v1::GroupResult& result) {
  if (result.status().code() == static_cast<int>(absl::StatusCode::kDeadlineExceeded)) return true;
  for (const v1::SampleResult& sample : result.samples()) {
    if (sample.outcome() == v1::INFRA_ERROR && absl::StrContains(sample.message(), "deadline")) {
      return true;
    }
  }
  return false;
}

bool IsFatalRpcStatus(absl::StatusCode code) {
  return code == absl::StatusCode::kUnavailable || code == absl::StatusCode::kUnimplemented ||
         code == absl::StatusCode::kUnauthenticated || code == absl::StatusCode::kPermissionDenied;
}

absl::StatusOr<ScorePipelineStats> ScoreJsonl(std::istream& in, std::ostream& out,
                                              const ScorePipelineOptions& options,
                                              const ScoreBatchFn& score_batch) {
  Pipeline pipeline(out, options, score_batch);
  return pipeline.Run(in);
}

}  // namespace arbiter::client

namespace arbiter::client {
namespace {

// Orders a response's groups by group_index when those form a permutation; else by position.
std::vector<v1::GroupResult> InRequestOrder(v1::ScoreResponse response, size_t n) {
  std::vector<v1::GroupResult> out(n);
  std::vector<bool> seen(n, false);
  bool permutation = static_cast<size_t>(response.groups_size()) == n;
  for (const v1::GroupResult& r : response.groups()) {
    if (!permutation) break;
    const int i = r.group_index();
    if (i < 0 || static_cast<size_t>(i) >= n || seen[i]) permutation = false;
    if (permutation) seen[i] = true;
  }
  std::vector<v1::GroupResult> moved(response.mutable_groups()->begin(),
                                     response.mutable_groups()->end());
  if (!permutation) return moved;
  for (v1::GroupResult& r : moved) {
    const int i = r.group_index();
    out[i] = std::move(r);
  }
  return out;
}

}  // namespace

ScoreBatchFn MakeBatchScorer(ScoreRequestFn score_request, v1::Shaping shaping) {
  return [score_request = std::move(score_request), shaping = std::move(shaping)](
             const std::vector<v1::Group>& groups) -> absl::StatusOr<std::vector<v1::GroupResult>> {
    v1::ScoreRequest request;
    if (shaping.ByteSizeLong() > 0) *request.mutable_shaping() = shaping;
    for (const v1::Group& group : groups) *request.add_groups() = group;
    absl::StatusOr<v1::ScoreResponse> response = score_request(request);
    if (!response.ok()) return response.status();
    return InRequestOrder(*std::move(response), groups.size());
  };
}

}  // namespace arbiter::client
