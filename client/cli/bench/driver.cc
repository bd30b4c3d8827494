#include "client/cli/bench/driver.h"

#include <algorithm>
#include <atomic>
#include <iostream>
#include <thread>

#include "absl/strings/str_format.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"

namespace arbiter::client::cli::bench {
namespace {

// A send later than this after its slot counts as late (open loop).
constexpr absl::Duration kLate = absl::Milliseconds(1);

class Run {
 public:
  explicit Run(const LoadPlan& plan) : plan_(plan) {}

  LoadResult Go(Transport& transport) {
    const absl::Time start = absl::Now();
    const absl::Time stop = start + plan_.duration;
    absl::Notification finished;
    std::thread progress;
    if (plan_.progress) progress = std::thread([&] { Progress(start, finished); });
    transport_ = &transport;
    stop_ = stop;
    while (true) {
      absl::Time slot = absl::Now();
      if (plan_.rate > 0) {  // only this thread sends in an open loop
        int64_t n;
        {
          absl::MutexLock lock(&mu_);
          n = next_;
        }
        slot = start + absl::Seconds(static_cast<double>(n) / plan_.rate);
        if (slot >= stop) break;
        absl::SleepFor(slot - absl::Now());
      }
      int64_t i;
      {
        absl::MutexLock lock(&mu_);
        // A closed loop waits here only for its first calls, or when a call ends on a thread
        // that cannot send the next one (Finish); an open loop when the cap is reached.
        mu_.AwaitWithDeadline(absl::Condition(this, &Run::HasRoom), stop);
        if (!HasRoom() || absl::Now() >= stop || next_ >= plan_.requests) break;
        i = next_++;
        ++in_flight_;
      }
      const absl::Time sent = absl::Now();
      if (plan_.rate > 0 && sent - slot > kLate) late_.fetch_add(1, std::memory_order_relaxed);
      Send(i, plan_.rate > 0 ? slot : sent);
    }
    LoadResult result;
    {
      absl::MutexLock lock(&mu_);
      mu_.Await(absl::Condition(
          +[](int* n) { return *n == 0; }, &in_flight_));
      result_.wall_seconds = absl::ToDoubleSeconds(std::max(last_end_, start) - start);
      result_.late_sends = late_.load();
      result = std::move(result_);
    }
    finished.Notify();
    if (progress.joinable()) progress.join();
    return result;
  }

 private:
  bool HasRoom() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return in_flight_ < plan_.concurrency; }

  void Send(int64_t i, absl::Time from) {
    transport_->Start(plan_.first_call + static_cast<uint64_t>(i),
                      [this, from](const CallOutcome& outcome) { Finish(from, outcome); });
  }

  // Tallies a call. In a closed loop the thread that saw it end sends the next one itself, so
  // a call's end wakes no other thread (the driver's thread sleeps until the run is over);
  // a transport that ends calls inside Start would nest, so past a small depth the driver's
  // thread sends instead.
  void Finish(absl::Time from, const CallOutcome& outcome) {
    const absl::Time end = absl::Now();
    int64_t next = -1;
    {
      absl::MutexLock lock(&mu_);
      --in_flight_;
      Record(end, from, outcome);
      if (plan_.rate <= 0 && finish_depth < kMaxFinishDepth && next_ < plan_.requests &&
          end < stop_) {
        next = next_++;
        ++in_flight_;
      }
    }
    if (next < 0) return;
    ++finish_depth;
    Send(next, absl::Now());
    --finish_depth;
  }

  void Record(absl::Time end, absl::Time from, const CallOutcome& outcome)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    last_end_ = std::max(last_end_, end);
    if (!outcome.ok()) {
      if (result_.failed++ == 0) result_.first_error = outcome.code + ": " + outcome.message;
      ++result_.errors[outcome.code];
      return;
    }
    ++result_.ok;
    result_.latencies_ms.push_back(absl::ToDoubleMilliseconds(end - from));
    for (int o = 0; o < 5; ++o) result_.outcomes[o] += outcome.outcomes[o];
    result_.cached += outcome.cached;
    result_.group_errors += outcome.group_errors;
    result_.items += outcome.items;
    result_.groups += outcome.groups;
  }

  void Progress(absl::Time start, absl::Notification& finished) {
    while (!finished.WaitForNotificationWithTimeout(absl::Seconds(1))) {
      int64_t ok, failed, items;
      int in_flight;
      {
        absl::MutexLock lock(&mu_);
        ok = result_.ok;
        failed = result_.failed;
        items = result_.items;
        in_flight = in_flight_;
      }
      const double s = absl::ToDoubleSeconds(absl::Now() - start);
      std::cerr << absl::StrFormat(
          "\r  %6.1f s  %d ok  %d failed  %.0f calls/s  %.0f items/s  %d in flight   ", s, ok,
          failed, static_cast<double>(ok) / s, static_cast<double>(items) / s, in_flight);
    }
    std::cerr << "\r" << std::string(80, ' ') << "\r";
  }

  static constexpr int kMaxFinishDepth = 8;
  static thread_local int finish_depth;

  const LoadPlan plan_;
  Transport* transport_ = nullptr;
  absl::Time stop_;
  std::atomic<int64_t> late_{0};
  absl::Mutex mu_;
  int in_flight_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t next_ ABSL_GUARDED_BY(mu_) = 0;  // the next call to send
  absl::Time last_end_ ABSL_GUARDED_BY(mu_) = absl::InfinitePast();
  LoadResult result_ ABSL_GUARDED_BY(mu_);
};

thread_local int Run::finish_depth = 0;

}  // namespace

LoadResult RunLoad(Transport& transport, const LoadPlan& plan) {
  Run run(plan);
  return run.Go(transport);
}

}  // namespace arbiter::client::cli::bench
