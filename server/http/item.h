// One completion a trainer asked the gateway to score (OpenRLHF query, slime sample), and what
// became of it.
//
// A ScoreItem is either a one-sample Group to send to the dispatcher or, when its label could
// not be read or names an unknown verifier, a per-item error that is never sent. Its
// ItemVerdict is what the protocol renderers need: per-item errors and failed groups
// (malformed task, deadline) become `error` with a message; every score is finite. Trainers
// get a finite reward for every item whatever happened (spec/trainers.md §6).
//
// Pure functions; thread-safe.
#pragma once

#include <string>

#include "absl/status/status.h"
#include "arbiter/v1/arbiter.pb.h"
#include "verifiers/sdk/registry.h"

namespace arbiter::server::http {

struct ScoreItem {
  absl::Status error;            // non-OK: not sent, answered as a per-item error
  v1::Group group;               // one task, one sample; meaningful when `error` is OK
  bool prompt_mismatch = false;  // OpenRLHF: the query did not contain its prompt
};

struct ItemVerdict {
  bool error = false;  // not scored: bad label, unknown verifier, failed group
  v1::Outcome outcome = v1::OUTCOME_UNSPECIFIED;
  double score = 0;  // the verifier's raw score; 0 for errors and INFRA_ERROR
  bool cached = false;
  std::string message;  // why (errors, INCORRECT, INFRA_ERROR); may be empty
};

// A ScoreItem for `task` and `completion`; INVALID_ARGUMENT (as the item's error) when the
// task's verifier is not in `registry` (the message lists the known names).
ScoreItem MakeScoreItem(v1::Task task, std::string completion,
                        const sdk::VerifierRegistry& registry);

ItemVerdict VerdictFromError(const absl::Status& error);
// The verdict of the group's only sample; a non-OK group status is an error.
ItemVerdict VerdictFromGroup(const v1::GroupResult& group);

// "CORRECT", ..., "ERROR" for `error` verdicts.
std::string OutcomeName(const ItemVerdict& verdict);

}  // namespace arbiter::server::http
