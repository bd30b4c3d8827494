"""arbiter-client: Python client and trainer adapters for the arbiter verifiable-reward service.

    from arbiter_client import Client, score_one
    score_one("sat", "!A!BC & A!BD", "... \\boxed{1010}")   # SampleScore(outcome='CORRECT', ...)

Importing the package opens no channel and starts no thread. See README.md.
"""
from arbiter_client.aio_client import AsyncClient
from arbiter_client.client import Client
from arbiter_client.config import Options, RetryPolicy, resolve_server
from arbiter_client.default import default_async_client, default_client, score_group, score_one
from arbiter_client.errors import ArbiterError, ArbiterUnavailableError
from arbiter_client.results import GroupScore, SampleScore

__all__ = ["AsyncClient", "Client", "Options", "RetryPolicy", "resolve_server",
           "default_async_client", "default_client", "score_group", "score_one",
           "ArbiterError", "ArbiterUnavailableError", "GroupScore", "SampleScore"]
__version__ = "0.1.0"
