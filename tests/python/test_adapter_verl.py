"""verl: the adapter called exactly as verl calls a custom reward function (spec §1)."""
import asyncio
import concurrent.futures
import importlib
import importlib.util
import inspect
import multiprocessing
import os
import pickle
import statistics
import subprocess
import sys
from functools import partial

import pytest

from arbiter_client.adapters import common
from arbiter_client.adapters import verl as adapter
from arbiter_client.results import SampleScore

EXPECTED = [(1.0, "CORRECT"), (0.0, "INCORRECT"), (-1.0, "NO_ANSWER")]


# -- verl's loading and wrapping, re-written here (utils/import_utils.py, trainer/ppo/reward.py) --

def load_extern(path: str, name: str):
    if path.startswith("pkg://"):
        module = importlib.import_module(path[len("pkg://"):].replace("/", "."))
    else:
        spec = importlib.util.spec_from_file_location(
            f"custom_module_{hash(os.path.abspath(path))}", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)  # not added to sys.modules, outside any package
    return getattr(module, name)


def _call_with_kwargs(raw_fn, extra_kwargs, *args, **kwargs):
    return raw_fn(*args, **{**kwargs, **extra_kwargs})


async def _call_with_kwargs_async(raw_fn, extra_kwargs, *args, **kwargs):
    return await raw_fn(*args, **{**kwargs, **extra_kwargs})


def get_custom_reward_fn(path, name, reward_kwargs):
    raw_fn = load_extern(path, name)
    if not inspect.iscoroutinefunction(raw_fn):
        return partial(_call_with_kwargs, raw_fn, dict(reward_kwargs))
    return partial(_call_with_kwargs_async, raw_fn, dict(reward_kwargs))


def rows(cases):
    """(data_source, response, ground_truth, extra_info) as verl's reward loop sees them."""
    out = []
    for case in cases[:3]:
        for completion in (case.correct, case.wrong, case.no_answer):
            out.append(("saturn", completion, case.formula, {"index": len(out)}))
    return out


async def run_single(compute_score, data_source, response, ground_truth, extra_info):
    """experimental/reward_loop/reward_manager/naive.py: run_single's call and result handling."""
    loop = asyncio.get_running_loop()
    extra_info["num_turns"] = None
    extra_info["rollout_reward_scores"] = {}
    if inspect.iscoroutinefunction(compute_score):
        result = await compute_score(data_source=data_source, solution_str=response,
                                     ground_truth=ground_truth, extra_info=extra_info)
    else:
        result = await loop.run_in_executor(None, lambda: compute_score(
            data_source=data_source, solution_str=response, ground_truth=ground_truth,
            extra_info=extra_info))
    return {"reward_score": result["score"], "reward_extra_info": dict(result)}


def check_reward_loop(compute_score, cases):
    async def batch():  # reward_loop.py: one task per sample, gathered
        return await asyncio.gather(*(run_single(compute_score, *r) for r in rows(cases)))

    outputs = asyncio.run(batch())
    keys = set(outputs[0]["reward_extra_info"])  # verl's columns come from sample 0
    assert keys == set(adapter.KEYS)
    for out, want in zip(outputs, EXPECTED * 3):
        assert set(out["reward_extra_info"]) == keys
        assert (out["reward_score"], out["reward_extra_info"]["outcome"]) == want
        assert all(isinstance(v, (int, float, str)) for v in out["reward_extra_info"].values())


@pytest.mark.parametrize("name", ["compute_score", "compute_score_async"])
def test_reward_loop_with_pkg_path(server, sat_cases, name):
    fn = get_custom_reward_fn("pkg://arbiter_client.adapters.verl", name, {})
    assert inspect.iscoroutinefunction(fn) == name.endswith("async")
    check_reward_loop(fn, sat_cases)


@pytest.mark.parametrize("name", ["compute_score", "compute_score_async"])
def test_reward_loop_with_a_file_path_and_reward_kwargs(server, sat_cases, tmp_path, name):
    path = tmp_path / "arbiter_reward.py"
    path.write_text(f"from arbiter_client.adapters.verl import {name}\n")
    # reward_kwargs win over the data_source mapping: an unmapped data_source still scores.
    fn = get_custom_reward_fn(str(path), name, {"verifier": "sat"})
    async def batch():
        return await asyncio.gather(*(run_single(fn, "my_private_dataset", resp, gt, extra)
                                      for _, resp, gt, extra in rows(sat_cases)))

    outputs = asyncio.run(batch())
    assert [(o["reward_score"], o["reward_extra_info"]["outcome"]) for o in outputs] == EXPECTED * 3


def test_unknown_data_source_is_a_per_item_problem(server, sat_cases, monkeypatch):
    monkeypatch.delenv("ARBITER_VERIFIER", raising=False)
    out = adapter.compute_score("my_private_dataset", sat_cases[0].correct, sat_cases[0].formula)
    assert out == {"score": 0.0, "acc": 0.0, "outcome": "ERROR"}
    monkeypatch.setenv("ARBITER_VERIFIER", "sat")
    assert adapter.compute_score("my_private_dataset", sat_cases[0].correct,
                                 sat_cases[0].formula)["outcome"] == "CORRECT"


def test_math_and_code_sources_route_to_their_verifiers(server):
    assert common.choose(None, None, "openai/gsm8k") == ("math", "gsm8k")
    assert common.choose(None, None, "lighteval/MATH") == ("math", None)
    assert common.choose(None, None, "DigitalLearningGmbH/MATH-lighteval") == ("math", None)
    assert common.choose(None, None, "math_dapo") == ("math", "dapo")
    assert common.choose(None, None, "aime_2024") == ("math", "dapo")
    assert common.choose(None, None, "numina_olympiads") == ("math", None)
    for source in ("codecontests", "apps", "taco", "livecodebench/code_generation_lite",
                   "agentica-org/DeepCoder-Preview-Dataset", "PrimeIntellect/verifiable-coding"):
        assert common.choose(None, None, source) == ("code", None), source
    assert common.choose(None, None, "Saturn-3-5") == ("sat", None)
    assert common.choose("beam", "compat", "openai/gsm8k") == ("beam", "compat")
    # The math verifier (verifiers/math) scores GSM8K's `#### N` in its gsm8k mode.
    out = adapter.compute_score("openai/gsm8k", "#### 72", "72")
    assert out["outcome"] == "CORRECT" and out["score"] == 1.0
    sample = common.score_one("math", "gsm8k", "72", "#### 72")
    assert sample.outcome == "CORRECT"


def test_infra_error_is_a_finite_score_with_its_outcome(monkeypatch):
    infra = SampleScore("INFRA_ERROR", 0.0, 0.0, 0.0, "sandbox could not start")
    assert adapter._as_dict(infra, -0.5) == {"score": -0.5, "acc": 0.0, "outcome": "INFRA_ERROR"}
    monkeypatch.setattr(common, "score_one", lambda *a, **k: infra)
    assert adapter.compute_score("saturn", "x", "A") == {"score": 0.0, "acc": 0.0,
                                                        "outcome": "INFRA_ERROR"}


def test_main_eval_positional_call(server, sat_cases):
    # trainer/main_eval.py: reward_fn(data_source, r, ground_truth), then np.mean of the results.
    reward_fn = get_custom_reward_fn("pkg://arbiter_client.adapters.verl", "compute_score_scalar", {})
    case = sat_cases[4]
    scores = [reward_fn("saturn", r, case.formula) for r in (case.correct, case.wrong, case.no_answer)]
    assert scores == [1.0, 0.0, -1.0] and statistics.mean(scores) == 0.0
    assert adapter.compute_score("saturn", case.correct, case.formula)["score"] == 1.0


def test_legacy_batch_manager(server, sat_cases):
    # workers/reward_manager/batch.py: one keyword call with arrays, **reward_kwargs.
    fn = get_custom_reward_fn("pkg://arbiter_client.adapters.verl", "compute_score_batch", {})
    data = rows(sat_cases) + [("openai/gsm8k", "#### 3", "3", {})]
    out = fn(data_sources=[d[0] for d in data], solution_strs=[d[1] for d in data],
             ground_truths=[d[2] for d in data], extra_infos=[d[3] for d in data])
    assert [(o["score"], o["outcome"]) for o in out[:-1]] == EXPECTED * 3
    assert out[-1]["outcome"] == "CORRECT"  # gsm8k through the math verifier


def _prime_scores(evaluation_func, completions, references, tasks, extra_info):
    """workers/reward_manager/prime.py: a forked process pool, positional calls, new loop."""

    async def single(executor, c, r, t, e):
        loop = asyncio.get_event_loop()
        future = loop.run_in_executor(executor, partial(evaluation_func, t, c, r, e))
        try:
            return await asyncio.wait_for(future, timeout=300.0)
        except Exception as err:  # PRIME turns any failure into None, then 0.0
            print(f"[Error] {err}")
            return None

    async def gather():
        context = multiprocessing.get_context("fork")
        with concurrent.futures.ProcessPoolExecutor(max_workers=4, mp_context=context) as executor:
            return await asyncio.gather(*(single(executor, *x) for x in
                                          zip(completions, references, tasks, extra_info)))

    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    try:
        results = loop.run_until_complete(gather())
    finally:
        loop.close()
    out = []
    for result in results:
        if result is None:
            out.append(0.0)
        elif isinstance(result, (int, float, bool)):
            out.append(float(result))
        else:
            out.append(float(result[0]))  # a dict raises here: PRIME zeroes the whole batch
    return out


def test_prime_forked_process_pool_with_the_scalar_function(server, sat_cases):
    adapter.compute_score_scalar("saturn", sat_cases[0].correct, sat_cases[0].formula)  # parent used
    fn = get_custom_reward_fn("pkg://arbiter_client.adapters.verl", "compute_score_scalar",
                              {"verifier": "sat"})
    data = rows(sat_cases)
    scores = _prime_scores(fn, [d[1] for d in data], [d[2] for d in data], [d[0] for d in data],
                           [d[3] for d in data])
    assert scores == [1.0, 0.0, -1.0] * 3


def test_wrapped_function_survives_pickling_into_a_fresh_interpreter(server, sat_cases):
    # Ray ships the wrapped function to actors; a pkg:// function pickles by reference.
    fn = get_custom_reward_fn("pkg://arbiter_client.adapters.verl", "compute_score", {"verifier": "sat"})
    case = sat_cases[5]
    blob = pickle.dumps((partial(adapter.compute_score, verifier="sat"), case.formula, case.wrong))
    code = ("import pickle, sys\nfn, gt, r = pickle.loads(sys.stdin.buffer.read())\n"
            "print(fn(data_source='x', solution_str=r, ground_truth=gt, extra_info={})['outcome'])")
    out = subprocess.run([sys.executable, "-c", code], input=blob, capture_output=True)
    assert out.returncode == 0, out.stderr.decode()
    assert out.stdout.decode().strip() == "INCORRECT"
    assert fn.func is _call_with_kwargs and pickle.loads(pickle.dumps(fn.args[0])) is adapter.compute_score


def test_unreachable_server_raises(monkeypatch):
    from arbiter_client import ArbiterUnavailableError
    monkeypatch.setenv("ARBITER_SERVER", "127.0.0.1:1")
    with pytest.raises(ArbiterUnavailableError, match="127.0.0.1:1"):
        adapter.compute_score("saturn", "x", "A")
    with pytest.raises(ArbiterUnavailableError):
        asyncio.run(adapter.compute_score_async("saturn", "x", "A"))
