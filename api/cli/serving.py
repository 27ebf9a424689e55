"""`maillage serve` with several workers: uvicorn's supervisor, over a listening socket whose
connections send small answers at once.

With `--workers N` (N > 1) uvicorn binds the socket itself and hands it to the workers; the
sockets it accepts then lack TCP_NODELAY (asyncio sets it only on sockets it knows to be TCP,
and a socket rebuilt in a worker from its descriptor does not say so). An answer's headers and
body go out as two writes: without TCP_NODELAY the second waited for the client's delayed ACK,
about 40 ms on every request (measured: a bare endpoint answered in 2 ms with one worker and in
44 ms with two). On Linux an accepted socket inherits TCP_NODELAY from the listening one, so
the listening socket gets it here.
"""

from __future__ import annotations

import socket
from typing import Any

import uvicorn
from uvicorn.supervisors import Multiprocess


class NoDelayConfig(uvicorn.Config):
    """uvicorn's configuration, its listening TCP socket set TCP_NODELAY."""

    def bind_socket(self) -> socket.socket:
        sock = super().bind_socket()
        if sock.family in (socket.AF_INET, socket.AF_INET6):
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return sock


def run_workers(app: str, **options: Any) -> None:
    """What `uvicorn.run(app, workers=N, …)` does for N > 1, over a TCP_NODELAY socket."""
    config = NoDelayConfig(app, **options)
    Multiprocess(config, sockets=[config.bind_socket()]).run()
