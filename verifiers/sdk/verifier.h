// The plugin API of arbiter: a Verifier scores a whole group of completions for one task.
//
// Scoring a group is three calls, so the server can parallelise, deduplicate and cache the middle
// one while group-level methods (VeRPO's weights over the pass matrix) still see every sample:
//
//   1. Prepare(task)            once per group: parse and validate the task. A malformed task is
//                               INVALID_ARGUMENT with a message naming the problem; that group
//                               gets a non-OK status and the rest of the batch is unaffected.
//                               (The server calls PrepareWithin(task, ctx), which defaults to it.)
//   2. Check(prepared, sample)  once per distinct sample, possibly concurrently on several
//                               threads: returns the sample's verdict. Never fails: a wrong answer
//                               is Outcome INCORRECT / NO_ANSWER; a failure that is not the
//                               model's fault is INFRA_ERROR with a message. Must be deterministic
//                               in (verifier version, task, sample.completion, sample.turns): the
//                               server caches on exactly that.
//   3. Finalize(prepared, samples, results, group)   once, after every Check, with results in
//                               sample order: group-level scoring. Default: nothing. It sees the
//                               request's own samples (no copy) and may write each sample's
//                               score, outcome, details and advantage, and the group's detail
//                               and "advantages set" signal (GroupFinal).
//
// Contract: `score` is finite; outcome is never OUTCOME_UNSPECIFIED. `reward` belongs to shaping
// (shaping/): whatever a verifier writes there is discarded, as is an `advantage` written without
// GroupFinal::advantages_set. Verifiers are stateless and thread-safe: one instance serves every
// request.
//
// Implement it through TypedVerifier<P> (typed_verifier.h), which takes and gives your own
// PreparedTask type P so that no verifier downcasts. Example (compiled as
// verifiers/sdk/example_test.cc):
//
//   struct Expected : arbiter::sdk::PreparedTask {
//     explicit Expected(std::string t) : text(std::move(t)) {}
//     std::string text;
//   };
//   class ExactVerifier : public arbiter::sdk::TypedVerifier<Expected> {
//    public:
//     arbiter::v1::VerifierInfo Info() const override {
//       arbiter::v1::VerifierInfo info;
//       info.set_name("exact");
//       info.set_version("1");
//       return info;
//     }
//     absl::StatusOr<std::unique_ptr<const Expected>> PrepareTask(
//         const arbiter::v1::Task& task) const override {
//       if (task.ground_truth().empty()) {
//         return absl::InvalidArgumentError("exact: ground_truth is empty");
//       }
//       return std::make_unique<Expected>(task.ground_truth());
//     }
//     arbiter::v1::SampleResult CheckSample(const Expected& prepared,
//                                           const arbiter::v1::Sample& sample,
//                                           const arbiter::sdk::VerifyContext&) const override {
//       const bool ok = sample.completion() == prepared.text;
//       arbiter::v1::SampleResult result;
//       result.set_outcome(ok ? arbiter::v1::CORRECT : arbiter::v1::INCORRECT);
//       result.set_score(ok ? 1.0 : 0.0);
//       return result;
//     }
//   };
#pragma once

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "arbiter/v1/arbiter.pb.h"
#include "google/protobuf/any.pb.h"
#include "google/protobuf/repeated_ptr_field.h"
#include "verifiers/sdk/verify_context.h"

namespace prometheus {
class Registry;
}  // namespace prometheus

namespace arbiter::sdk {

// A verifier's parsed form of one Task. Subclass it; the server only holds it.
class PreparedTask {
 public:
  virtual ~PreparedTask() = default;
};

// A group's samples as the request holds them: Finalize reads them in place.
using Samples = google::protobuf::RepeatedPtrField<v1::Sample>;

// What Finalize says about the group as a whole.
struct GroupFinal {
  // Group-level detail (VeRPO's pass rates and weights), sent once per group in
  // GroupStats.verifier_detail instead of being copied into every sample. Empty: none.
  google::protobuf::Any detail;
  // Finalize wrote every verified sample's `advantage` (VeRPO's fused advantages). Shaping keeps
  // them when the group's shaping names no normaliser and no stage and the group is not paired,
  // and otherwise replaces them (GroupStats.advantage_source reports which).
  bool advantages_set = false;
};

class Verifier {
 public:
  // Where Check() runs: the CPU pool (pure computation) or under the sandbox concurrency cap
  // (spawns sandboxed processes; blocking on them is expected).
  enum class Work { kCpu, kSandbox };

  virtual ~Verifier() = default;

  // Name (the Task.verifier string), version (part of every cache key: bump it when verdicts
  // change), description, defaults.
  virtual v1::VerifierInfo Info() const = 0;
  virtual Work work() const { return Work::kCpu; }

  virtual absl::StatusOr<std::unique_ptr<const PreparedTask>> Prepare(
      const v1::Task& task) const = 0;
  // Prepare() for a caller with a deadline and a cancellation token (the server calls this one).
  // A verifier whose Prepare may wait for work in flight elsewhere (the code verifier waits for
  // another request's parse of the same label) overrides it so that the wait ends with `ctx`:
  // DEADLINE_EXCEEDED or CANCELLED. Default: Prepare(task).
  virtual absl::StatusOr<std::unique_ptr<const PreparedTask>> PrepareWithin(
      const v1::Task& task, const VerifyContext& ctx) const {
    (void)ctx;
    return Prepare(task);
  }
  virtual v1::SampleResult Check(const PreparedTask& task, const v1::Sample& sample,
                                 const VerifyContext& ctx) const = 0;
  // Group-level step. `results[i]` belongs to `samples[i]`; the verifier may rewrite score,
  // outcome and details, write advantages (and say so in `group.advantages_set`) and a
  // group-level detail (`group.detail`). A non-OK status fails the group.
  virtual absl::Status Finalize(const PreparedTask& task, const Samples& samples,
                                absl::Span<v1::SampleResult> results, GroupFinal& group) const {
    (void)task;
    (void)samples;
    (void)results;
    (void)group;
    return absl::OkStatus();
  }
  // Optional: adds this verifier's own metrics (prometheus-cpp) to the server's registry. Called
  // once per server before it serves; a verifier keeps what it registers and records into it
  // from Check(). Names start with `arbiter_`, use base units and bounded labels. Default: none.
  virtual void RegisterMetrics(prometheus::Registry& registry) const { (void)registry; }
};

// A seeded task generator or stateless helper reached through the Generate RPC.
class Generator {
 public:
  virtual ~Generator() = default;
  // The GenerateRequest.kind it serves, and a one-line description.
  virtual v1::GeneratorInfo Info() const = 0;
  // INVALID_ARGUMENT for bad parameters, naming the parameter. Deterministic in the request.
  virtual absl::StatusOr<v1::GenerateResponse> Generate(
      const v1::GenerateRequest& request) const = 0;
};

// Runs Prepare, Check for every sample in order, then Finalize, on the calling thread. For tests,
// benchmarks and embedding; the server runs the same steps on its pools (and then shaping, which
// this does not: `reward` is left unset). The samples are copied once into a group.
struct ScoredGroup {
  std::vector<v1::SampleResult> samples;
  GroupFinal group;
};
absl::StatusOr<ScoredGroup> ScoreWholeGroup(const Verifier& verifier, const v1::Task& task,
                                            absl::Span<const v1::Sample> samples,
                                            const VerifyContext& ctx = {});
// The same, the samples' results only.
absl::StatusOr<std::vector<v1::SampleResult>> ScoreGroup(const Verifier& verifier,
                                                         const v1::Task& task,
                                                         absl::Span<const v1::Sample> samples,
                                                         const VerifyContext& ctx = {});

}  // namespace arbiter::sdk
