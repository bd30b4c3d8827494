"""TRL GRPOTrainer: reward functions called as _calculate_rewards calls them (spec §3)."""
import asyncio
import inspect
import math
import threading

import pytest

from arbiter_client.adapters import trl as adapter


class TrainerState:  # stands in for transformers.TrainerState
    global_step = 3


def trl_inputs(cases, conversational=False):
    """Rows with Saturn's dataset columns, G=3 completions per prompt (1, 0, -1)."""
    inputs, completions, want = [], [], []
    for case in cases[:4]:
        for completion, expect in ((case.correct, 1.0), (case.wrong, 0.0), (case.no_answer, -1.0)):
            prompt = ([{"role": "user", "content": case.prompt}] if conversational else case.prompt)
            inputs.append({"prompt": prompt, "id": 1, "n_sat": 3, "k": case.k,
                           "solution": "this is not the label", "clause": case.formula})
            completions.append([{"role": "assistant", "content": completion}] if conversational
                               else completion)
            want.append(expect)
    return inputs, completions, want


def reward_kwargs_for(inputs, metrics, extra):
    keys = [k for k in inputs[0] if k not in ("prompt", "completion", "completion_ids")]
    kwargs = {key: [row[key] for row in inputs] for key in keys}
    kwargs["trainer_state"] = TrainerState()
    kwargs["log_extra"] = lambda column, values: extra.update({column: values})
    kwargs["log_metric"] = lambda name, value: metrics.update({name: value})
    return kwargs


def as_tensor_row(output):  # None -> NaN, as TRL does
    return [r if r is not None else math.nan for r in output]


def start_event_loop_in_daemon():
    loop = asyncio.new_event_loop()
    ready = threading.Event()

    def run():
        asyncio.set_event_loop(loop)
        ready.set()
        loop.run_forever()

    thread = threading.Thread(target=run, name="GRPOTrainer-AsyncLoop", daemon=True)
    thread.start()
    ready.wait()
    return thread, loop


def calculate_rewards(reward_funcs, inputs, completions, loop=None):
    """The sync/async split of GRPOTrainer._calculate_rewards."""
    prompts = [row["prompt"] for row in inputs]
    metrics, extra = {}, {}
    kwargs = reward_kwargs_for(inputs, metrics, extra)
    completion_ids = [[1, 2, 3]] * len(completions)
    columns, async_funcs = {}, []
    for i, func in enumerate(reward_funcs):
        if inspect.iscoroutinefunction(func):
            async_funcs.append((i, func))
        else:
            columns[i] = as_tensor_row(func(prompts=prompts, completions=completions,
                                            completion_ids=completion_ids, **kwargs))
    if async_funcs:
        async def invoke(i, func):
            out = await func(prompts=prompts, completions=completions,
                             completion_ids=completion_ids, **kwargs)
            return i, as_tensor_row(out)

        async def run_all():
            return await asyncio.gather(*(invoke(i, f) for i, f in async_funcs))

        for i, out in asyncio.run_coroutine_threadsafe(run_all(), loop).result():
            columns[i] = out
    return [columns[i] for i in range(len(reward_funcs))], metrics


def test_sync_and_async_functions_on_the_daemon_loop(server, sat_cases, monkeypatch):
    monkeypatch.setenv("ARBITER_VERIFIER", "sat")
    thread, loop = start_event_loop_in_daemon()
    funcs = [adapter.reward_func, adapter.async_reward_func,
             adapter.make_reward_func("sat", "clause"), adapter.make_async_reward_func("sat", "clause")]
    assert [inspect.iscoroutinefunction(f) for f in funcs] == [False, True, False, True]
    assert funcs[2].__name__ == "arbiter_sat"
    for conversational in (False, True):
        for _step in range(2):  # the daemon loop persists across steps
            inputs, completions, want = trl_inputs(sat_cases, conversational)
            columns, metrics = calculate_rewards(funcs, inputs, completions, loop)
            assert all(column == want for column in columns)
            assert metrics["arbiter/correct"] == pytest.approx(1 / 3)
    loop.call_soon_threadsafe(loop.stop)
    thread.join(5)


def test_problems_are_none_and_do_not_poison_the_batch(server, sat_cases, monkeypatch):
    monkeypatch.delenv("ARBITER_VERIFIER", raising=False)
    inputs, completions, want = trl_inputs(sat_cases)
    inputs[0]["clause"] = "garbage"          # malformed label
    inputs[4]["verifier"] = "no-such"        # unknown verifier: the server refuses that group
    for i, row in enumerate(inputs):
        row.setdefault("verifier", "sat")
    columns, metrics = calculate_rewards([adapter.reward_func], inputs, completions)
    got = columns[0]
    assert math.isnan(got[0]) and math.isnan(got[4])
    assert [g for i, g in enumerate(got) if i not in (0, 4)] == [w for i, w in enumerate(want)
                                                               if i not in (0, 4)]
    assert metrics["arbiter/problems"] == pytest.approx(2 / len(got))


def test_verl_style_reward_model_column_and_data_source(server, sat_cases):
    case = sat_cases[0]
    out = adapter.reward_func(prompts=["p", "p"], completions=[case.correct, case.wrong],
                              data_source=["saturn", "saturn"],
                              reward_model=[{"ground_truth": case.formula}] * 2)
    assert out == [1.0, 0.0]
