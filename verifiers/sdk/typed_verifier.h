// TypedVerifier<P>: a Verifier whose prepared task is a P, so a verifier never downcasts.
//
// A verifier implements PrepareTask/CheckSample (and, for group-level scoring,
// FinalizeGroup) on its own type P; the Verifier methods the server calls are
// final here. The server only ever hands Check and Finalize the PreparedTask that the same
// verifier's Prepare made for that group, so the one cast below is the audited place that relies
// on it.
//
//   struct Expected : arbiter::sdk::PreparedTask { std::string text; };
//   class ExactVerifier : public arbiter::sdk::TypedVerifier<Expected> {
//     ...Info()...
//     absl::StatusOr<std::unique_ptr<const Expected>> PrepareTask(const v1::Task& task) const
//     override; v1::SampleResult CheckSample(const Expected& task, const v1::Sample& sample,
//                                  const arbiter::sdk::VerifyContext& ctx) const override;
//   };
// (compiled as verifiers/sdk/example_test.cc)
//
// Thread-safety: as Verifier's contract (stateless, thread-safe).
#pragma once

#include <memory>
#include <type_traits>
#include <utility>

#include "verifiers/sdk/verifier.h"

namespace arbiter::sdk {

template <typename P>
class TypedVerifier : public Verifier {
  static_assert(std::is_base_of_v<PreparedTask, P>, "P must derive from sdk::PreparedTask");

 public:
  // As Verifier::Prepare / Check / Finalize, on P.
  virtual absl::StatusOr<std::unique_ptr<const P>> PrepareTask(const v1::Task& task) const = 0;
  // As Verifier::PrepareWithin. Default: PrepareTask(task).
  virtual absl::StatusOr<std::unique_ptr<const P>> PrepareTaskWithin(
      const v1::Task& task, const VerifyContext& ctx) const {
    (void)ctx;
    return PrepareTask(task);
  }
  virtual v1::SampleResult CheckSample(const P& task, const v1::Sample& sample,
                                       const VerifyContext& ctx) const = 0;
  virtual absl::Status FinalizeGroup(const P& task, const Samples& samples,
                                     absl::Span<v1::SampleResult> results,
                                     GroupFinal& group) const {
    (void)task;
    (void)samples;
    (void)results;
    (void)group;
    return absl::OkStatus();
  }

  absl::StatusOr<std::unique_ptr<const PreparedTask>> Prepare(const v1::Task& task) const final {
    return Erased(PrepareTask(task));
  }
  absl::StatusOr<std::unique_ptr<const PreparedTask>> PrepareWithin(
      const v1::Task& task, const VerifyContext& ctx) const final {
    return Erased(PrepareTaskWithin(task, ctx));
  }
  v1::SampleResult Check(const PreparedTask& task, const v1::Sample& sample,
                         const VerifyContext& ctx) const final {
    return CheckSample(static_cast<const P&>(task), sample, ctx);
  }
  absl::Status Finalize(const PreparedTask& task, const Samples& samples,
                        absl::Span<v1::SampleResult> results, GroupFinal& group) const final {
    return FinalizeGroup(static_cast<const P&>(task), samples, results, group);
  }

 private:
  static absl::StatusOr<std::unique_ptr<const PreparedTask>> Erased(
      absl::StatusOr<std::unique_ptr<const P>> prepared) {
    if (!prepared.ok()) return prepared.status();
    return std::unique_ptr<const PreparedTask>(*std::move(prepared));
  }
};

}  // namespace arbiter::sdk
