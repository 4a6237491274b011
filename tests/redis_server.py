"""A throwaway Redis on loopback for the test run (rate limits shared by several app instances)."""

from __future__ import annotations

import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

from tests.pg import free_port


class ThrowawayRedis:
    """Start redis-server on a free loopback port without persistence; remove it on stop."""

    def __init__(self) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="redis."))
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    @staticmethod
    def available() -> bool:
        """Return whether redis-server is installed."""
        return shutil.which("redis-server") is not None

    def start(self) -> str:
        """Start the server, wait until it accepts connections and return its URL."""
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.dir),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2) as sock:
                    sock.sendall(b"PING\r\n")
                    if sock.recv(16).startswith(b"+PONG"):
                        return f"redis://127.0.0.1:{self.port}/0"
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError("redis-server did not start within 10 seconds")

    def stop(self) -> None:
        """Stop the server and delete its folder."""
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
        shutil.rmtree(self.dir, ignore_errors=True)
