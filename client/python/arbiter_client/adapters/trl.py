"""TRL GRPOTrainer reward functions backed by arbiter.

    from arbiter_client.adapters.trl import async_reward_func
    GRPOTrainer(..., reward_funcs=[async_reward_func])     # or reward_func, or a factory's result

TRL calls a reward function once per local batch with keywords: ``prompts``, ``completions``
(strings, or ``[{"role": "assistant", "content": ...}]`` lists), ``completion_ids``, every dataset
column as a per-row list, and ``trainer_state``, ``log_extra``, ``log_metric``. They return one
value per row: arbiter's raw score (Saturn 1 / 0 / -1), or ``None`` for a per-item problem
(INFRA_ERROR, a bad label, unknown verifier): TRL turns None into NaN and leaves the row out of
its group baseline, so a problem is never trained on as a 0. An unreachable server raises after
bounded retries.

Where the task comes from, per row:
- verifier: the factory's ``verifier``, else a ``verifier`` column, else a ``data_source`` column
  (verl-style names, see common.route_data_source), else $ARBITER_VERIFIER; mode likewise from
  ``mode`` / $ARBITER_MODE;
- label: the factory's ``ground_truth_key`` column, else $ARBITER_GROUND_TRUTH_KEY, else the first
  of the columns ``ground_truth``, ``label``, ``clause`` (Saturn), ``answer``, or a verl-style
  ``reward_model`` column's ``ground_truth``. Saturn's ``solution`` column is one satisfying
  assignment, not the label: it is never used.

Consecutive rows with the same task go to the server as one group; the whole batch is one RPC
(split if huge). The async function runs on TRL's daemon-thread event loop; the client keeps one
channel per loop. With ``log_metric`` given, the fraction of CORRECT and of problem rows is
logged as ``arbiter/correct`` and ``arbiter/problems``.
"""
import os

from arbiter_client.adapters import common

LABEL_KEYS = ("ground_truth", "label", "clause", "answer")


def _column(kwargs, key, i):
    values = kwargs.get(key)
    if values is None or i >= len(values):
        return None
    return values[i]


def _label(kwargs, i, key):
    key = key or os.environ.get("ARBITER_GROUND_TRUTH_KEY")
    if key:
        return _column(kwargs, key, i)
    for candidate in LABEL_KEYS:
        if kwargs.get(candidate) is not None:
            return _column(kwargs, candidate, i)
    reward_model = _column(kwargs, "reward_model", i)
    if isinstance(reward_model, dict):
        return reward_model.get("ground_truth")
    return None


def _items(completions, kwargs, verifier, mode, ground_truth_key):
    items = []
    for i, completion in enumerate(completions):
        chosen, chosen_mode = common.choose(
            verifier or _column(kwargs, "verifier", i), mode or _column(kwargs, "mode", i),
            _column(kwargs, "data_source", i))
        items.append((chosen, chosen_mode, _label(kwargs, i, ground_truth_key),
                      common.completion_text(completion)))
    return items


def _values(samples, kwargs):
    log_metric = kwargs.get("log_metric")
    if callable(log_metric) and samples:
        log_metric("arbiter/correct", sum(s.correct for s in samples) / len(samples))
        log_metric("arbiter/problems", sum(s.is_problem for s in samples) / len(samples))
    return [None if s.is_problem else float(s.score) for s in samples]


def make_reward_func(verifier=None, ground_truth_key=None, mode=None, server=None):
    """A synchronous TRL reward function for one verifier and label column. Its ``__name__``
    (TRL's metric name ``rewards/<name>``) is ``arbiter_<verifier>``."""

    def reward(prompts=None, completions=(), completion_ids=None, **kwargs):
        items = _items(completions, kwargs, verifier, mode, ground_truth_key)
        return _values(common.score_many(items, server), kwargs)

    reward.__name__ = reward.__qualname__ = f"arbiter_{verifier or 'reward'}"
    return reward


def make_async_reward_func(verifier=None, ground_truth_key=None, mode=None, server=None):
    """The ``async def`` twin of make_reward_func (TRL runs it on its daemon loop)."""

    async def reward(prompts=None, completions=(), completion_ids=None, **kwargs):
        items = _items(completions, kwargs, verifier, mode, ground_truth_key)
        return _values(await common.score_many_async(items, server), kwargs)

    reward.__name__ = reward.__qualname__ = f"arbiter_{verifier or 'reward'}_async"
    return reward


def reward_func(prompts=None, completions=(), completion_ids=None, **kwargs):
    """Module-level sync reward function (loadable by dotted path: TRL CLI ``--reward_funcs
    arbiter_client.adapters.trl.reward_func``); task from columns/environment as above."""
    items = _items(completions, kwargs, None, None, None)
    return _values(common.score_many(items), kwargs)


async def async_reward_func(prompts=None, completions=(), completion_ids=None, **kwargs):
    """Module-level async reward function; see reward_func."""
    items = _items(completions, kwargs, None, None, None)
    return _values(await common.score_many_async(items), kwargs)
