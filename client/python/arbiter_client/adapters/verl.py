"""verl custom reward functions backed by arbiter.

Config (verl >= 0.7.1, reward loop):

    reward.custom_reward_function.path=pkg://arbiter_client.adapters.verl
    reward.custom_reward_function.name=compute_score_async
    reward.custom_reward_function.reward_kwargs.verifier=sat     # optional

Functions (all module-level: picklable by reference, so PRIME's process pool and Ray take them):

- ``compute_score(data_source, solution_str, ground_truth, extra_info=None, **kwargs) -> dict``
  and ``async compute_score_async(...)``: one sample, as verl's reward loop calls them. Concurrent
  calls in a process (or on one event loop) are coalesced into batched RPCs.
- ``compute_score_batch(data_sources, solution_strs, ground_truths, extra_infos, **kwargs)``:
  the legacy (<= v0.7.0) batch reward manager; returns a list of dicts.
- ``compute_score_scalar(...) -> float``: PRIME and ``verl.trainer.main_eval`` (they need a number).

Every dict has exactly the keys ``score`` (float: arbiter's raw score, Saturn 1 / 0 / -1),
``acc`` (1.0 when CORRECT else 0.0) and ``outcome`` ("CORRECT", "INCORRECT", "NO_ANSWER",
"INFRA_ERROR", or "ERROR" when the task could not be checked). verl has no per-sample mask and
needs a number for every sample, so INFRA_ERROR and ERROR get ``score = error_score`` (keyword or
$ARBITER_ERROR_SCORE, default 0.0): filter on ``outcome`` in reward_extra_info to see them.

Keyword options (reward_kwargs override call-time kwargs in verl): ``verifier``, ``mode``,
``server``, ``error_score``. Verifier: ``verifier`` kwarg, else the data_source mapping
(common.route_data_source), else $ARBITER_VERIFIER. An unreachable server raises
ArbiterUnavailableError after bounded retries (verl then fails the step, loudly).
"""
from arbiter_client.adapters import common

KEYS = ("score", "acc", "outcome")


def _as_dict(sample, error_score: float) -> dict:
    if sample.is_problem:
        return {"score": error_score, "acc": 0.0, "outcome": sample.outcome}
    return {"score": float(sample.score), "acc": 1.0 if sample.correct else 0.0,
            "outcome": sample.outcome}


def compute_score(data_source=None, solution_str="", ground_truth=None, extra_info=None, *,
                  verifier=None, mode=None, server=None, error_score=None, **_ignored) -> dict:
    """One sample (verl reward loop, legacy naive manager). Thread-safe; blocks the calling
    thread for one coalesced RPC."""
    verifier, mode = common.choose(verifier, mode, data_source)
    sample = common.score_one(verifier, mode, ground_truth, solution_str, server, data_source)
    return _as_dict(sample, common.number_from(error_score, "ARBITER_ERROR_SCORE", 0.0))


async def compute_score_async(data_source=None, solution_str="", ground_truth=None,
                              extra_info=None, *, verifier=None, mode=None, server=None,
                              error_score=None, **_ignored) -> dict:
    """One sample, awaited on verl's reward-loop event loop (recommended by verl for remote
    services)."""
    verifier, mode = common.choose(verifier, mode, data_source)
    sample = await common.score_one_async(verifier, mode, ground_truth, solution_str, server,
                                          data_source)
    return _as_dict(sample, common.number_from(error_score, "ARBITER_ERROR_SCORE", 0.0))


def compute_score_batch(data_sources, solution_strs, ground_truths, extra_infos=None, *,
                        verifier=None, mode=None, server=None, error_score=None,
                        **_ignored) -> list:
    """Legacy batch reward manager: one call for the whole batch, one dict per sample."""
    error_score = common.number_from(error_score, "ARBITER_ERROR_SCORE", 0.0)
    items = []
    for data_source, solution, ground_truth in zip(data_sources, solution_strs, ground_truths):
        chosen, chosen_mode = common.choose(verifier, mode, data_source)
        items.append((chosen, chosen_mode, ground_truth, solution))
    return [_as_dict(s, error_score) for s in common.score_many(items, server)]


def compute_score_scalar(data_source=None, solution_str="", ground_truth=None, extra_info=None,
                         **kwargs) -> float:
    """``compute_score(...)["score"]``: for PRIME (which zeroes the whole batch on a dict) and
    ``verl.trainer.main_eval`` (which averages the results)."""
    return compute_score(data_source, solution_str, ground_truth, extra_info, **kwargs)["score"]
