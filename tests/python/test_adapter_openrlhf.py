"""OpenRLHF: reward_func loaded from a .py as module `reward_func`, one query per call through
asyncio.to_thread, concurrently (openrlhf/utils/agent.py, spec §2)."""
import asyncio
import importlib.util

import pytest

from arbiter_client.adapters.openrlhf import completion_of


def load_reward_func(tmp_path):
    path = tmp_path / "arbiter_reward.py"
    path.write_text("from arbiter_client.adapters.openrlhf import reward_func\n")
    spec = importlib.util.spec_from_file_location("reward_func", str(path))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.reward_func


async def fetch_rewards_via_func(reward_func, queries, prompts, labels):
    """SingleTurnAgentExecutor._fetch_rewards_via_func: batch_size 1, to_thread, gather."""
    tasks = [asyncio.to_thread(reward_func, queries[i:i + 1], prompts[i:i + 1], labels[i:i + 1])
             for i in range(len(queries))]
    return await asyncio.gather(*tasks)


def templated(case):
    # A chat-templated prompt that itself contains an example \boxed{1101}, as Saturn's does.
    return f"<|im_start|>user\n{case.prompt}<|im_end|>\n<|im_start|>assistant\n"


def test_concurrent_single_query_calls(server, sat_cases, tmp_path, monkeypatch):
    monkeypatch.setenv("ARBITER_VERIFIER", "sat")
    reward_func = load_reward_func(tmp_path)
    queries, prompts, labels, want = [], [], [], []
    for case in sat_cases:
        assert "\\boxed{1101}" in case.prompt
        for completion, expect in ((case.correct, (1.0, 1.0)), (case.wrong, (0.0, 0.0)),
                                   (case.no_answer, (-1.0, 0.0))):
            queries.append(templated(case) + completion + "<|im_end|>")
            prompts.append(templated(case))
            labels.append(case.formula)
            want.append(expect)
    infos = asyncio.run(fetch_rewards_via_func(reward_func, queries, prompts, labels))
    for info, expect in zip(infos, want):
        # what execute() and samples_generator do with the answer
        score = info.get("scores") if info.get("scores") is not None else info.get("rewards")
        assert (info["rewards"], score) == ([expect[0]], [expect[1]])
        assert all(isinstance(v, list) and len(v) == 1 and isinstance(v[0], float)
                   for v in info["extra_logs"].values())
        assert info["extra_logs"]["arbiter_error"] == [0.0]


def test_bad_label_and_unknown_verifier_are_finite_with_scores_zero(server, sat_cases, tmp_path,
                                                                   monkeypatch):
    reward_func = load_reward_func(tmp_path)
    case = sat_cases[0]
    query = templated(case) + case.correct
    monkeypatch.setenv("ARBITER_VERIFIER", "sat")
    info = reward_func([query], [templated(case)], [None])
    assert info["rewards"] == [0.0] and info["scores"] == [0.0]
    assert info["extra_logs"]["arbiter_error"] == [1.0]
    monkeypatch.setenv("ARBITER_VERIFIER", "no-such-verifier")
    monkeypatch.setenv("ARBITER_ERROR_REWARD", "-1")
    info = reward_func([query], [templated(case)], [case.formula])
    assert info["rewards"] == [-1.0] and info["scores"] == [0.0]


def test_legacy_micro_batch_call(server, sat_cases, tmp_path):
    reward_func = load_reward_func(tmp_path)
    case = sat_cases[1]
    completions = [case.correct, case.wrong, case.no_answer, case.correct]
    info = reward_func([templated(case) + c for c in completions], [templated(case)] * 4,
                       [case.formula] * 3 + ["garbage"], verifier="sat")
    assert info["rewards"] == [1.0, 0.0, -1.0, 0.0]
    assert info["scores"] == [1.0, 0.0, 0.0, 0.0]
    assert info["extra_logs"]["arbiter_error"] == [0.0, 0.0, 0.0, 1.0]


def test_completion_is_taken_after_the_prompt():
    assert completion_of("PROMPT answer", "PROMPT ") == "answer"
    assert completion_of("<s>PROMPT answer", "PROMPT ") == "answer"  # BOS added on decode
    assert completion_of("answer", "") == "answer"
