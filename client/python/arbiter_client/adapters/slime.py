"""slime custom reward function backed by arbiter:
``--custom-rm-path arbiter_client.adapters.slime.custom_rm`` (per sample), optionally with
``--group-rm`` (one call per group, a list of samples).

``async custom_rm(args, sample_or_samples, **kwargs)`` returns arbiter's raw score (Saturn
1 / 0 / -1) for a Sample, or a list of them for a list. slime needs a finite number for every
sample: a per-item problem (INFRA_ERROR, ``label`` None or malformed, unknown verifier) returns
``error_reward`` (kwarg, ``args.arbiter_error_reward`` or $ARBITER_ERROR_REWARD, default 0.0) and
sets ``sample.remove_sample = True`` (slime's per-sample mask) where the attribute exists. An
unreachable server raises after bounded retries.

Verifier / mode, first found: ``verifier`` / ``mode`` kwargs, ``sample.metadata["verifier"]`` /
``["mode"]``, ``args.arbiter_verifier`` / ``args.arbiter_mode``, $ARBITER_VERIFIER / $ARBITER_MODE.
The completion is ``sample.response``; the label ``sample.label``, sent unchanged.

Group shaping (only where a whole group arrives): with ``--group-rm`` and a ``Shaping`` (JSON in
$ARBITER_SHAPING or ``shaping=`` kwarg), the list is scored as one group under that shaping and
each sample's server advantage is stored in ``sample.metadata["arbiter_advantage"]``; then
``--custom-reward-post-process-path arbiter_client.adapters.slime.reward_post_process`` feeds
those advantages to training instead of slime's own normalisation.
"""
import json
import os

from arbiter_client import default, results
from arbiter_client.adapters import common
from arbiter_client.errors import ArbiterError


def _task(args, sample, kwargs):
    metadata = getattr(sample, "metadata", None)
    metadata = metadata if isinstance(metadata, dict) else {}
    verifier = (kwargs.get("verifier") or metadata.get("verifier")
                or getattr(args, "arbiter_verifier", None))
    mode = kwargs.get("mode") or metadata.get("mode") or getattr(args, "arbiter_mode", None)
    return common.choose(verifier, mode)


def _error_reward(args, kwargs) -> float:
    value = kwargs.get("error_reward", getattr(args, "arbiter_error_reward", None))
    return common.number_from(value, "ARBITER_ERROR_REWARD", 0.0)


def _apply(sample, score, error_reward: float) -> float:
    if score.is_problem:
        if hasattr(sample, "remove_sample"):
            sample.remove_sample = True
        return error_reward
    return float(score.score)


def _shaping(kwargs):
    shaping = kwargs.get("shaping") or os.environ.get("ARBITER_SHAPING")
    return json.loads(shaping) if isinstance(shaping, str) else shaping


async def _shaped_group(samples, verifier, mode, shaping, server):
    group = results.make_group(verifier, samples[0].label,
                               [common.completion_text(s.response) for s in samples], mode,
                               shaping=shaping)
    try:
        answer = await default.default_async_client(server).score_group_message(group)
    except ArbiterError as err:
        common._refusal(err)
        return [common.problem(str(err))] * len(samples), [0.0] * len(samples)
    scored = results.group_score(answer, len(samples))
    return scored.samples, [s.advantage for s in scored.samples]


async def custom_rm(args, sample_or_samples, **kwargs):
    server = kwargs.get("server") or getattr(args, "arbiter_server", None)
    error_reward = _error_reward(args, kwargs)
    if not isinstance(sample_or_samples, (list, tuple)):
        sample = sample_or_samples
        verifier, mode = _task(args, sample, kwargs)
        score = await common.score_one_async(verifier, mode, sample.label,
                                             common.completion_text(sample.response), server)
        return _apply(sample, score, error_reward)
    samples = list(sample_or_samples)
    if not samples:
        return []
    verifier, mode = _task(args, samples[0], kwargs)
    shaping = _shaping(kwargs)
    if shaping is not None and verifier:
        scores, advantages = await _shaped_group(samples, verifier, mode, shaping, server)
        for sample, advantage in zip(samples, advantages):
            if isinstance(getattr(sample, "metadata", None), dict):
                sample.metadata["arbiter_advantage"] = advantage
    else:
        items = []
        for sample in samples:
            chosen, chosen_mode = _task(args, sample, kwargs)
            items.append((chosen, chosen_mode, sample.label,
                          common.completion_text(sample.response)))
        scores = await common.score_many_async(items, server)
    return [_apply(s, score, error_reward) for s, score in zip(samples, scores)]


def reward_post_process(args, samples):
    """``--custom-reward-post-process-path``: (raw rewards, arbiter's advantages). Needs every
    sample scored by custom_rm under a shaping (see the module doc); raises otherwise."""
    if samples and isinstance(samples[0], list):
        samples = [s for group in samples for s in group]
    raw = [s.get_reward_value(args) if hasattr(s, "get_reward_value") else s.reward
           for s in samples]
    processed = []
    for sample in samples:
        metadata = getattr(sample, "metadata", None) or {}
        if "arbiter_advantage" not in metadata:
            raise ValueError("reward_post_process: a sample has no arbiter advantage; run "
                             "custom_rm with --group-rm and a shaping (ARBITER_SHAPING)")
        processed.append(0.0 if getattr(sample, "remove_sample", False)
                         else float(metadata["arbiter_advantage"]))
    return raw, processed
