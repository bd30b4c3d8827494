#!/usr/bin/env bash
# slime with arbiter as a custom reward function: `await custom_rm(args, sample)` per sample
# (returns arbiter's raw score; a per-item problem sets sample.remove_sample = True).
set -euo pipefail
export ARBITER_SERVER=${ARBITER_SERVER:-127.0.0.1:50051}
export ARBITER_VERIFIER=sat            # sample.label is the dataset's label, e.g. Saturn's clause
python train.py \
  --custom-rm-path arbiter_client.adapters.slime.custom_rm \
  --label-key clause \
  "$@"
# Whole-group form with server-side shaping (arbiter's advantages replace slime's normalisation):
#   ARBITER_SHAPING='{"normalizer": "NORMALIZER_ZSCORE_UNBIASED"}' python train.py \
#     --custom-rm-path arbiter_client.adapters.slime.custom_rm --group-rm \
#     --custom-reward-post-process-path arbiter_client.adapters.slime.reward_post_process ...
