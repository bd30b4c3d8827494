// ItemKey: the content address of one verification — what makes two items "identical".
//
// Two items are identical when they agree on verifier name, verifier version (Info().version),
// the task (serialised deterministically) and the sample's completion and turns. Sample fields a
// verifier must not read for its verdict (logprob, num_tokens, sample_id) are not part of it.
// The key is SHA-256 over length-prefixed fields, so a false hit needs a SHA-256 collision.
//
// Use: TaskDigest once per group, then SampleKey per sample (hashes only the sample's bytes).
// Thread-safety: pure functions.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

#include "absl/hash/hash.h"
#include "arbiter/v1/arbiter.pb.h"

namespace arbiter::server {

struct ItemKey {
  std::array<uint8_t, 32> bytes{};

  friend bool operator==(const ItemKey& a, const ItemKey& b) { return a.bytes == b.bytes; }
  template <typename H>
  friend H AbslHashValue(H h, const ItemKey& key) {
    // The bytes are already uniformly distributed; 8 of them are plenty for a hash table.
    uint64_t prefix = 0;
    for (int i = 0; i < 8; ++i) prefix = (prefix << 8) | key.bytes[i];
    return H::combine(std::move(h), prefix);
  }
};

// Digest of (verifier name, verifier version, task). A task that is only a label (verifier,
// mode, ground_truth) is hashed with the label's SHA-256 in place of the label:
// `ground_truth_sha256` (32 raw bytes: the suite id of a referenced suite, which RegisterSuite
// computed from the content) when given, else computed here. Both forms key alike.
ItemKey TaskDigest(std::string_view verifier_name, std::string_view verifier_version,
                   const v1::Task& task, std::string_view ground_truth_sha256 = {});
// Key of one sample under a task digest: covers completion and turns only.
ItemKey SampleKey(const ItemKey& task_digest, const v1::Sample& sample);

}  // namespace arbiter::server
