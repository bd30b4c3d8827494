"""What the adapters share: choosing verifier and mode, turning trainer inputs into Groups, and
the per-item-problem rule.

Per-item problems (a malformed label, an unknown verifier or mode, INFRA_ERROR) never raise: they
come back as a SampleScore whose ``is_problem`` is true, and each adapter maps that to its
trainer's convention. Only an unreachable or failing server raises (after bounded retries).
Stateless; thread-, process- and loop-safe.
"""
import logging
import os

from arbiter_client import default, results
from arbiter_client.errors import ArbiterError, ArbiterUnavailableError
from arbiter_client.isolate import score_isolated, score_isolated_async

log = logging.getLogger("arbiter_client.adapters")

# verl data_source -> (verifier, mode); mode None = the verifier's default.
_EXACT = {
    "openai/gsm8k": ("math", "gsm8k"),
    "lighteval/MATH": ("math", None),
    "DigitalLearningGmbH/MATH-lighteval": ("math", None),
    "HuggingFaceH4/MATH-500": ("math", None),
    "math": ("math", "dapo"),
    "math_dapo": ("math", "dapo"),
    "math_dapo_reasoning": ("math", "dapo"),
}
_CODE = ("codecontests", "code_contests", "apps", "taco", "livecodebench", "deepcoder",
         "primeintellect", "codeforces")


def route_data_source(data_source) -> tuple:
    """(verifier, mode) for a verl ``data_source`` value, or (None, None) when unknown."""
    if not isinstance(data_source, str) or not data_source:
        return None, None
    if data_source in _EXACT:
        return _EXACT[data_source]
    name = data_source.lower()
    base = name.rsplit("/", 1)[-1]
    if base.startswith("aime"):
        return "math", "dapo"
    if base.startswith("numina"):
        return "math", None
    if "saturn" in name or base == "sat" or base.startswith(("sat_", "sat-")):
        return "sat", None
    if any(key in name for key in _CODE):
        return "code", None
    return None, None


def choose(verifier=None, mode=None, data_source=None) -> tuple:
    """(verifier, mode): explicit arguments, else the data_source mapping, else
    $ARBITER_VERIFIER / $ARBITER_MODE. The verifier may be None (a per-item problem)."""
    if verifier:
        return verifier, mode or os.environ.get("ARBITER_MODE") or None
    mapped, mapped_mode = route_data_source(data_source)
    if mapped:
        return mapped, mode or mapped_mode
    return os.environ.get("ARBITER_VERIFIER") or None, mode or os.environ.get("ARBITER_MODE") or None


def number_from(value, env: str, default: float) -> float:
    if value is None:
        value = os.environ.get(env, default)
    return float(value)


def problem(message: str) -> results.SampleScore:
    return results.SampleScore(results.ERROR, 0.0, 0.0, 0.0, message)


_warned = set()


def _no_verifier(data_source) -> results.SampleScore:
    message = (f"no arbiter verifier for data_source={data_source!r}: pass verifier= (verl: "
               "reward.custom_reward_function.reward_kwargs.verifier) or set ARBITER_VERIFIER")
    if message not in _warned:
        _warned.add(message)
        log.warning(message)
    return problem(message)


def _refusal(err: ArbiterError) -> results.SampleScore:
    if isinstance(err, ArbiterUnavailableError) or err.code is None or \
            err.code.name != "INVALID_ARGUMENT":
        raise err
    return problem(str(err))


def score_one(verifier, mode, ground_truth, completion, server=None, data_source=None):
    """One completion through the process's coalescing client."""
    if not verifier:
        return _no_verifier(data_source)
    try:
        return default.default_client(server).score_one(verifier, ground_truth, completion, mode)
    except ArbiterError as err:
        return _refusal(err)


async def score_one_async(verifier, mode, ground_truth, completion, server=None,
                          data_source=None):
    """One completion through the calling loop's coalescing client."""
    if not verifier:
        return _no_verifier(data_source)
    try:
        return await default.default_async_client(server).score_one(
            verifier, ground_truth, completion, mode)
    except ArbiterError as err:
        return _refusal(err)


def _plan(items):
    """items: [(verifier, mode, ground_truth, completion)] -> groups of consecutive items with
    the same task, and for each item (group index, sample index) or a problem."""
    groups, where, key_of_last = [], [], None
    for verifier, mode, ground_truth, completion in items:
        if not verifier:
            where.append(_no_verifier(None))
            key_of_last = None
            continue
        key = (verifier, mode or "", results._label_text(ground_truth))
        if key != key_of_last:
            groups.append(results.make_group(verifier, ground_truth, [], mode))
            key_of_last = key
        groups[-1].samples.add(completion=completion)
        where.append((len(groups) - 1, len(groups[-1].samples) - 1))
    return groups, where


def _collect(groups, answers, where):
    converted = []
    for group, answer in zip(groups, answers):
        if isinstance(answer, ArbiterError):
            converted.append([problem(str(answer))] * len(group.samples))
        else:
            converted.append(results.group_score(answer, len(group.samples)).samples)
    return [w if isinstance(w, results.SampleScore) else converted[w[0]][w[1]] for w in where]


def score_many(items, server=None) -> list:
    """Scores ``[(verifier, mode, ground_truth, completion), ...]`` in one batch (consecutive
    items of the same task form one group); returns a SampleScore per item."""
    groups, where = _plan(items)
    return _collect(groups, score_isolated(default.default_client(server), groups), where)


async def score_many_async(items, server=None) -> list:
    groups, where = _plan(items)
    answers = await score_isolated_async(default.default_async_client(server), groups)
    return _collect(groups, answers, where)


def completion_text(completion) -> str:
    """A completion as text: a string, or a chat message list (TRL conversational data, slime
    message prompts) whose assistant contents are joined."""
    if completion is None:
        return ""
    if isinstance(completion, str):
        return completion
    if isinstance(completion, dict):
        completion = [completion]
    parts = []
    for message in completion:
        if not isinstance(message, dict) or message.get("role", "assistant") != "assistant":
            continue
        content = message.get("content")
        if isinstance(content, str):
            parts.append(content)
        elif isinstance(content, list):  # [{"type": "text", "text": ...}, ...]
            parts.extend(p.get("text", "") for p in content if isinstance(p, dict))
    return "".join(parts)


__all__ = ["route_data_source", "choose", "score_one", "score_one_async", "score_many",
           "score_many_async", "completion_text", "problem", "number_from"]
