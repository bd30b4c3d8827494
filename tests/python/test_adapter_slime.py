"""slime: custom_rm called as rm_hub calls a --custom-rm-path function (spec §4)."""
import argparse
import asyncio
import dataclasses
import importlib
import json

import pytest


@dataclasses.dataclass
class Sample:  # the fields of slime.utils.types.Sample that reward functions touch
    prompt: object = ""
    response: str = ""
    label: object = None
    reward: object = None
    remove_sample: bool = False
    metadata: dict = dataclasses.field(default_factory=dict)
    custom_rm_path: object = None

    def get_reward_value(self, args):
        return self.reward if not args.reward_key else self.reward[args.reward_key]


def load_function(path):  # slime.utils.misc.load_function
    module, name = path.rsplit(".", 1)
    return getattr(importlib.import_module(module), name)


def make_args(**extra):
    return argparse.Namespace(custom_rm_path="arbiter_client.adapters.slime.custom_rm",
                              group_rm=False, reward_key=None, rm_type=None, **extra)


async def async_rm(args, sample, **kwargs):  # rm_hub.async_rm, custom path branch
    if sample.custom_rm_path:
        return await load_function(sample.custom_rm_path)(args, sample, **kwargs)
    return await load_function(args.custom_rm_path)(args, sample, **kwargs)


async def batched_async_rm(args, samples, **kwargs):  # rm_hub.batched_async_rm
    return await load_function(args.custom_rm_path)(args, samples, **kwargs)


def group_of(case, message_prompt=False):
    prompt = [{"role": "user", "content": case.prompt}] if message_prompt else case.prompt
    return [Sample(prompt=prompt, response=c, label=case.formula)
            for c in (case.correct, case.wrong, case.no_answer)]


def test_per_sample_calls_on_one_loop(server, sat_cases):
    args = make_args(arbiter_verifier="sat")

    async def rollout():
        samples = [s for i, case in enumerate(sat_cases) for s in group_of(case, i % 2 == 1)]
        rewards = await asyncio.gather(*(async_rm(args, s) for s in samples))
        for sample, reward in zip(samples, rewards):
            sample.reward = reward
        return samples

    samples = asyncio.run(rollout())
    assert [s.reward for s in samples] == [1.0, 0.0, -1.0] * len(sat_cases)
    assert not any(s.remove_sample for s in samples)


def test_group_rm_list_form(server, sat_cases, monkeypatch):
    monkeypatch.setenv("ARBITER_VERIFIER", "sat")
    args = make_args()
    args.group_rm = True
    group = group_of(sat_cases[0])
    rewards = asyncio.run(batched_async_rm(args, group))
    assert rewards == [1.0, 0.0, -1.0]


def test_null_label_and_unknown_verifier_remove_the_sample(server, sat_cases, monkeypatch):
    monkeypatch.setenv("ARBITER_VERIFIER", "sat")
    args = make_args(arbiter_error_reward=-0.25)
    no_label = Sample(prompt="p", response=sat_cases[0].correct, label=None)
    assert asyncio.run(async_rm(args, no_label)) == -0.25 and no_label.remove_sample
    other = Sample(prompt="p", response="x", label="A", metadata={"verifier": "no-such"})
    assert asyncio.run(async_rm(args, other)) == -0.25 and other.remove_sample
    group = group_of(sat_cases[1])
    group[1].label = "garbage"
    rewards = asyncio.run(batched_async_rm(args, group))
    assert rewards[0] == 1.0 and rewards[1] == -0.25 and group[1].remove_sample


def test_group_shaping_feeds_the_post_process_hook(server, sat_cases, monkeypatch):
    monkeypatch.setenv("ARBITER_VERIFIER", "sat")
    monkeypatch.setenv("ARBITER_SHAPING", json.dumps({"normalizer": "NORMALIZER_ZSCORE_UNBIASED"}))
    args = make_args()
    group = group_of(sat_cases[2])
    rewards = asyncio.run(batched_async_rm(args, group))
    for sample, reward in zip(group, rewards):
        sample.reward = reward
    assert rewards == [1.0, 0.0, -1.0]
    post = load_function("arbiter_client.adapters.slime.reward_post_process")
    raw, processed = post(args, group)
    assert raw == [1.0, 0.0, -1.0]
    assert processed[0] > 0 > processed[2] and processed[1] == pytest.approx(0.0, abs=1e-6)
