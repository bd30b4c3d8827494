"""OpenRLHF ``reward_func`` backed by arbiter: ``--reward.remote_url /path/to/arbiter_reward.py``
(a file whose only line is ``from arbiter_client.adapters.openrlhf import reward_func``).

``reward_func(queries, prompts, labels, **kwargs)`` -> ``{"rewards": [...], "scores": [...],
"extra_logs": {...}}`` with plain lists of numbers, one entry per query:

- the completion is ``queries[i]`` after its ``prompts[i]`` prefix (the query is the templated
  prompt + completion + EOS, decoded with special tokens; Saturn's prompts contain an example
  ``\\boxed{1101}``, so the prompt must not be checked);
- ``rewards``: arbiter's raw score (Saturn 1 / 0 / -1); ``scores``: 1.0 if CORRECT else 0.0 (the
  0-1 pass signal dynamic filtering reads);
- ``extra_logs``: ``arbiter_correct``, ``arbiter_no_answer``, ``arbiter_infra_error``,
  ``arbiter_error`` (0/1 per query).

OpenRLHF calls it once per completion through ``asyncio.to_thread``, concurrently: the calls are
coalesced into batched RPCs. A per-item problem (INFRA_ERROR, a bad label, unknown verifier) gives
``rewards = error_reward`` (kwarg or $ARBITER_ERROR_REWARD, default 0.0) and ``scores`` 0, never an
exception (OpenRLHF would turn an exception into a None reward and crash experience making). An
unreachable server raises after bounded retries. Verifier: ``verifier`` kwarg, else
$ARBITER_VERIFIER; mode: ``mode`` kwarg, else $ARBITER_MODE.
"""
from arbiter_client.adapters import common


def completion_of(query: str, prompt: str) -> str:
    """The completion inside an OpenRLHF query (prompt + completion [+ EOS])."""
    query, prompt = query or "", prompt or ""
    if prompt and query.startswith(prompt):
        return query[len(prompt):]
    at = query.rfind(prompt) if prompt else -1
    return query[at + len(prompt):] if at >= 0 else query


def reward_func(queries, prompts, labels, *, verifier=None, mode=None, server=None,
                error_reward=None, **_ignored) -> dict:
    error_reward = common.number_from(error_reward, "ARBITER_ERROR_REWARD", 0.0)
    verifier, mode = common.choose(verifier, mode)
    prompts = list(prompts) if prompts is not None else [""] * len(queries)
    labels = list(labels) if labels is not None else [None] * len(queries)
    completions = [completion_of(q, p) for q, p in zip(queries, prompts)]
    if len(completions) == 1:
        samples = [common.score_one(verifier, mode, labels[0], completions[0], server)]
    else:
        samples = common.score_many(
            [(verifier, mode, label, c) for label, c in zip(labels, completions)], server)
    flag = lambda outcome: [1.0 if s.outcome == outcome else 0.0 for s in samples]
    return {
        "rewards": [error_reward if s.is_problem else float(s.score) for s in samples],
        "scores": [1.0 if s.correct else 0.0 for s in samples],
        "extra_logs": {
            "arbiter_correct": flag("CORRECT"),
            "arbiter_no_answer": flag("NO_ANSWER"),
            "arbiter_infra_error": flag("INFRA_ERROR"),
            "arbiter_error": flag("ERROR"),
        },
    }
