"""Building Score requests: coercing groups, splitting by size and count, merging responses.

Pure functions over messages; thread- and loop-safe.
"""
from arbiter_client import messages
from arbiter_client.errors import ArbiterError

# Bytes a request needs besides its groups: request_id, shaping, and one tag + length prefix
# per group (at most 1 + 5 bytes each) are added explicitly below; this covers the rest.
_REQUEST_OVERHEAD = 64 * 1024


def coerce_groups(groups) -> list:
    """``groups`` (an iterable of Group messages or proto3-JSON dicts) as a list of Groups."""
    if isinstance(groups, (dict, messages.Group)):
        raise TypeError("score() takes a list of groups; wrap a single group in a list")
    return [messages.coerce(g, messages.Group, f"groups[{i}]") for i, g in enumerate(groups)]


def coerce_shaping(shaping):
    return None if shaping is None else messages.coerce(shaping, messages.Shaping, "shaping")


def group_wire_size(group) -> int:
    return group.ByteSize() + 6


def split(groups: list, max_bytes: int, max_groups: int) -> list:
    """Splits ``groups`` into consecutive chunks ``[(start_index, [group, ...]), ...]`` whose
    requests stay under ``max_bytes`` serialized and ``max_groups`` groups.

    A group is never split (it is the unit of shaping). One that alone exceeds ``max_bytes`` raises
    ArbiterError saying so, instead of letting the server reject the whole batch.
    """
    budget = max_bytes - _REQUEST_OVERHEAD
    chunks, current, current_bytes, start = [], [], 0, 0
    for i, group in enumerate(groups):
        size = group_wire_size(group)
        if size > budget:
            raise ArbiterError(
                f"group {i} ({group.group_id!r}) is {size} bytes, over the {max_bytes}-byte message "
                "limit: raise the server's --max_message_bytes and Options.max_message_bytes")
        if current and (current_bytes + size > budget or len(current) >= max_groups):
            chunks.append((start, current))
            current, current_bytes, start = [], 0, i
        current.append(group)
        current_bytes += size
    if current or not chunks:
        chunks.append((start, current))
    return chunks


def make_request(groups: list, shaping=None, request_id: str = ""):
    request = messages.ScoreRequest(request_id=request_id)
    request.groups.extend(groups)
    if shaping is not None:
        request.shaping.CopyFrom(shaping)
    return request


def reindex(result, start: int):
    """Shifts a GroupResult of a chunk starting at ``start`` to its index in the whole batch."""
    result.group_index += start
    return result


def merge(responses: list):
    """One ScoreResponse from the chunks' responses ``[(start, ScoreResponse), ...]``."""
    merged = messages.ScoreResponse()
    for start, response in sorted(responses, key=lambda pair: pair[0]):
        for result in response.groups:
            merged.groups.append(reindex(result, start))
        if not merged.HasField("server"):
            merged.server.CopyFrom(response.server)
    return merged
