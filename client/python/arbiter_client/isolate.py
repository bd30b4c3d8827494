"""Scoring a batch so that a request the server refuses as a whole fails only its culprits.

arbiterd rejects a whole ScoreRequest with INVALID_ARGUMENT when one group names an unknown
verifier (DESIGN §2). Adapters must turn that into a per-item problem, so on INVALID_ARGUMENT the
batch is bisected until the offending groups stand alone. Returns, per group, its GroupResult or
the ArbiterError that refused it; other errors (unavailable, deadline) propagate.
"""
from arbiter_client.errors import ArbiterError


def _refused(err: ArbiterError) -> bool:
    return err.code is not None and err.code.name == "INVALID_ARGUMENT"


def score_isolated(client, groups: list) -> list:
    if not groups:
        return []
    try:
        return list(client.score(groups).groups)
    except ArbiterError as err:
        if not _refused(err):
            raise
        if len(groups) == 1:
            return [err]
    half = len(groups) // 2
    return score_isolated(client, groups[:half]) + score_isolated(client, groups[half:])


async def score_isolated_async(client, groups: list) -> list:
    if not groups:
        return []
    try:
        return list((await client.score(groups)).groups)
    except ArbiterError as err:
        if not _refused(err):
            raise
        if len(groups) == 1:
            return [err]
    half = len(groups) // 2
    return (await score_isolated_async(client, groups[:half])
            + await score_isolated_async(client, groups[half:]))
