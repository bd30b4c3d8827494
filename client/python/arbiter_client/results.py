"""Plain-Python results (dataclasses) for callers that do not want protobuf messages.

``SampleScore.outcome`` is one of "CORRECT", "INCORRECT", "NO_ANSWER", "INFRA_ERROR" (the
server's verdicts; INFRA_ERROR = not the model's fault: mask it, never train on it as a 0), or
"ERROR" when the whole group could not be scored (malformed task, unknown verifier or mode, ...:
``GroupScore.status_code`` and ``message`` say why). Scores are the server's, always finite; for
"ERROR" they are 0.0 and carry no meaning.
"""
import dataclasses

import grpc

from arbiter_client import messages

ERROR = "ERROR"
_CODE_NAMES = {code.value[0]: code.name for code in grpc.StatusCode}


@dataclasses.dataclass(frozen=True)
class SampleScore:
    outcome: str
    score: float
    reward: float
    advantage: float
    message: str = ""
    cached: bool = False

    @property
    def correct(self) -> bool:
        return self.outcome == "CORRECT"

    @property
    def is_problem(self) -> bool:
        """True for INFRA_ERROR and ERROR: no verdict on the model's answer."""
        return self.outcome in ("INFRA_ERROR", ERROR)

    def to_dict(self) -> dict:
        return dataclasses.asdict(self)


@dataclasses.dataclass(frozen=True)
class GroupScore:
    group_id: str
    status_code: str  # "OK" or a grpc.StatusCode name, e.g. "INVALID_ARGUMENT"
    status_message: str
    samples: list

    @property
    def ok(self) -> bool:
        return self.status_code == "OK"

    def to_dict(self) -> dict:
        return {"group_id": self.group_id, "status_code": self.status_code,
                "status_message": self.status_message,
                "samples": [s.to_dict() for s in self.samples]}


def sample_score(result) -> SampleScore:
    return SampleScore(outcome=messages.outcome_name(result.outcome), score=result.score,
                       reward=result.reward, advantage=result.advantage, message=result.message,
                       cached=result.cached)


def group_score(result, num_samples: int) -> GroupScore:
    """Converts a GroupResult; a failed group gets ``num_samples`` "ERROR" samples."""
    code = _CODE_NAMES.get(result.status.code, f"CODE_{result.status.code}")
    if code != "OK" or len(result.samples) != num_samples:
        message = result.status.message or (
            f"server returned {len(result.samples)} results for {num_samples} samples")
        code = code if code != "OK" else "INTERNAL"
        samples = [SampleScore(ERROR, 0.0, 0.0, 0.0, message) for _ in range(num_samples)]
        return GroupScore(result.group_id, code, message, samples)
    return GroupScore(result.group_id, code, result.status.message,
                      [sample_score(s) for s in result.samples])


def make_group(verifier: str, ground_truth, completions, mode=None, group_id: str = "",
               shaping=None):
    """A Group for ``completions`` of one task given by its dataset label ``ground_truth``.

    ``ground_truth`` is sent unchanged (a non-string label, e.g. a list or dict, is sent as JSON);
    ``mode`` only when given (empty = the verifier's default).
    """
    group = messages.Group(group_id=group_id)
    group.task.verifier = verifier or ""
    group.task.ground_truth = _label_text(ground_truth)
    if mode:
        group.task.mode = mode
    for completion in completions:
        group.samples.add(completion=completion)
    if shaping is not None:
        group.shaping.CopyFrom(messages.coerce(shaping, messages.Shaping, "shaping"))
    return group


def _label_text(label) -> str:
    if label is None:
        return ""
    if isinstance(label, str):
        return label
    if isinstance(label, bytes):
        return label.decode("utf-8", "replace")
    import json
    try:
        return json.dumps(_plain(label))
    except TypeError:
        return str(label)


def _plain(value):
    """numpy arrays/scalars (verl's non_tensor_batch) to lists/numbers, recursively."""
    if hasattr(value, "tolist"):
        return value.tolist()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value
