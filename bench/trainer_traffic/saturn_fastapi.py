"""Baseline (a): the reward server people write today for Saturn's SAT task — FastAPI + uvicorn
around Saturn's Python reward logic (our own port: saturn_reward.py), speaking slime's remote_rm form:
POST /slime/reward {"prompt": ..., "response": ..., "label": clause} -> a bare JSON number.

Interpreter: the bench venv (fastapi, uvicorn[standard]); `run` makes it.
  python saturn_fastapi.py --port_file=F [--loop=asyncio|uvloop] [--http=h11|httptools]
Binds 127.0.0.1 on a free port, writes the port to F once listening, serves until SIGTERM.
One uvicorn worker (what `uvicorn app:app` gives).
"""
import argparse
import os
import socket
import sys

from fastapi import FastAPI, Request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from saturn_reward import saturn_reward  # noqa: E402

# --- the server ------------------------------------------------------------------------------
app = FastAPI()


@app.post("/slime/reward")
async def slime_reward(request: Request):
    body = await request.json()
    return saturn_reward(body["response"], body["label"])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port_file", required=True)
    parser.add_argument("--loop", default="asyncio", choices=["asyncio", "uvloop"])
    parser.add_argument("--http", default="h11", choices=["h11", "httptools"])
    args = parser.parse_args()
    import uvicorn

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    config = uvicorn.Config(app, loop=args.loop, http=args.http, log_level="warning",
                            access_log=False, backlog=2048)
    server = uvicorn.Server(config)
    port = sock.getsockname()[1]

    original = server.startup

    async def startup(sockets=None):
        await original(sockets=sockets)
        tmp = args.port_file + ".tmp"
        with open(tmp, "w") as f:
            f.write(str(port))
        os.replace(tmp, args.port_file)

    server.startup = startup
    server.run(sockets=[sock])


if __name__ == "__main__":
    main()
