// WorkPool: a fixed set of threads running queued tasks in FIFO order.
//
// The dispatcher owns two: a CPU pool sized to the cores and a sandbox pool whose size is the
// sandbox concurrency cap (its threads mostly block on child processes). The queue itself is
// not bounded here: the dispatcher's admission control bounds the work that can be queued.
//
// Thread-safety: Submit() and queue_size() may be called from any thread, including from a task
// running on the pool. The destructor runs every task already queued, then joins the threads;
// Submit() must not be called once destruction has begun.
#pragma once

#include <cstddef>
#include <deque>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/functional/any_invocable.h"
#include "absl/synchronization/mutex.h"

namespace arbiter::server {

class WorkPool {
 public:
  // `threads` >= 1. `name` is used in thread names (visible in debuggers and `top -H`).
  WorkPool(const std::string& name, int threads);
  ~WorkPool();
  WorkPool(const WorkPool&) = delete;
  WorkPool& operator=(const WorkPool&) = delete;

  void Submit(absl::AnyInvocable<void() &&> task);
  // Tasks queued and not yet started.
  size_t queue_size() const;
  int threads() const { return static_cast<int>(threads_.size()); }

 private:
  void Run();

  mutable absl::Mutex mu_;
  std::deque<absl::AnyInvocable<void() &&>> queue_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::vector<std::thread> threads_;
};

}  // namespace arbiter::server
