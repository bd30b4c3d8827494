// FakeVerifier: the verifier server tests use (server tests never link real verifiers).
//
// Task: `ground_truth` is the expected completion; a ground truth starting with "malformed" is
// rejected by Prepare() with INVALID_ARGUMENT "fake: malformed task". Check(): CORRECT (score 1)
// when completion == ground truth, else INCORRECT (score 0). A completion "block" makes Check()
// announce itself (WaitUntilBlocked) and wait until Release() or until the call is cancelled or
// past its deadline — the way a sandboxed check polls VerifyContext::Done(); a check that ended
// because of cancellation is counted in cancelled_checks().
//
// Thread-safety: all methods may be called concurrently.
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <utility>

#include "absl/strings/match.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "verifiers/sdk/registry.h"
#include "verifiers/sdk/verifier.h"

namespace arbiter::server::testing {

class FakeVerifier : public sdk::Verifier {
 public:
  explicit FakeVerifier(std::string name = "fake", Work work = Work::kCpu)
      : name_(std::move(name)), work_(work) {}

  v1::VerifierInfo Info() const override {
    v1::VerifierInfo info;
    info.set_name(name_);
    info.set_version("1");
    info.set_description("test double");
    return info;
  }
  Work work() const override { return work_; }

  absl::StatusOr<std::unique_ptr<const sdk::PreparedTask>> Prepare(
      const v1::Task& task) const override {
    if (absl::StartsWith(task.ground_truth(), "malformed")) {
      return absl::InvalidArgumentError("fake: malformed task");
    }
    return std::make_unique<Expected>(task.ground_truth());
  }

  v1::SampleResult Check(const sdk::PreparedTask& prepared, const v1::Sample& sample,
                         const sdk::VerifyContext& ctx) const override {
    checks_.fetch_add(1);
    if (sample.completion() == "block") Block(ctx);
    const bool ok = sample.completion() == static_cast<const Expected&>(prepared).text;
    v1::SampleResult result;
    result.set_outcome(ok ? v1::CORRECT : v1::INCORRECT);
    result.set_score(ok ? 1.0 : 0.0);
    return result;
  }

  int checks() const { return checks_.load(); }
  int cancelled_checks() const { return cancelled_checks_.load(); }

  // Waits until `n` "block" checks are running.
  void WaitUntilBlocked(int n) const {
    absl::MutexLock lock(&mu_);
    auto enough = [this, n]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return blocked_ >= n; };
    mu_.Await(absl::Condition(&enough));
  }
  // Lets every current and future "block" check finish.
  void Release() const {
    absl::MutexLock lock(&mu_);
    released_ = true;
  }

 private:
  struct Expected : sdk::PreparedTask {
    explicit Expected(std::string t) : text(std::move(t)) {}
    std::string text;
  };

  void Block(const sdk::VerifyContext& ctx) const {
    absl::MutexLock lock(&mu_);
    ++blocked_;
    // Cancellation is an atomic flag, not a mutex-guarded state, so it is polled every
    // millisecond, as a sandbox runner polls it; release wakes the wait at once.
    auto released = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return released_; };
    while (!mu_.AwaitWithTimeout(absl::Condition(&released), absl::Milliseconds(1))) {
      if (ctx.Done()) {
        if (ctx.Cancelled()) cancelled_checks_.fetch_add(1);
        return;
      }
    }
  }

  const std::string name_;
  const Work work_;
  mutable std::atomic<int> checks_{0};
  mutable std::atomic<int> cancelled_checks_{0};
  mutable absl::Mutex mu_;
  mutable int blocked_ ABSL_GUARDED_BY(mu_) = 0;
  mutable bool released_ ABSL_GUARDED_BY(mu_) = false;
};

// A registry with a CPU fake ("fake") and a sandbox fake ("boxed"), the pair the admission and
// coalescer tests use; `boxed()` stays owned by `registry`.
struct CpuAndSandboxFakes {
  CpuAndSandboxFakes() {
    auto owned = std::make_unique<FakeVerifier>("boxed", sdk::Verifier::Work::kSandbox);
    boxed_ = owned.get();
    (void)registry.Register(std::make_unique<FakeVerifier>("fake"));
    (void)registry.Register(std::move(owned));
  }
  FakeVerifier* boxed() const { return boxed_; }
  sdk::VerifierRegistry registry;

 private:
  FakeVerifier* boxed_ = nullptr;
};

}  // namespace arbiter::server::testing
