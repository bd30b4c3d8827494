#!/usr/bin/env bash
# OpenRLHF (>= 0.10.2) PPO/GRPO with arbiter as the reward: a reward_func file that re-exports the
# adapter. OpenRLHF loads it as module `reward_func` and calls it once per completion in threads;
# the adapter coalesces those calls into batched RPCs.
set -euo pipefail
export ARBITER_SERVER=${ARBITER_SERVER:-127.0.0.1:50051}
export ARBITER_VERIFIER=sat            # the label column (--data.label_key) is Saturn's `clause`
cat > /tmp/arbiter_reward.py <<'PY'
from arbiter_client.adapters.openrlhf import reward_func  # rewards=score, scores=1.0 if CORRECT
PY
python -m openrlhf.cli.train_ppo_ray \
  --reward.remote_url /tmp/arbiter_reward.py \
  --data.label_key clause \
  --algo.dynamic_filtering_range 0 1 \
  "$@"   # plus your model, data and Ray options
