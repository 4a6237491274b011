"""A throwaway PostgreSQL 15 server on loopback for the test run."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))


def free_port() -> int:
    """Return a loopback port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class ThrowawayPostgres:
    """initdb in a temporary folder, start on a free loopback port, remove on stop."""

    def __init__(self, directory: Path | None = None) -> None:
        """Use a new temporary folder, or `directory`, kept with its databases for the next run."""
        self.keep = directory is not None
        self.dir = directory or Path(tempfile.mkdtemp(prefix="pg."))
        self.dir.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.data = self.dir / "data"

    @staticmethod
    def available() -> bool:
        """Return whether the server binaries are here."""
        return (PG_BIN / "initdb").exists()

    def _as_postgres(self, *args: str) -> list[str]:
        if os.geteuid() == 0:
            return ["runuser", "-u", "postgres", "--", *args]
        return list(args)

    def start(self) -> str:
        """Start the server and return a SQLAlchemy URL prefix (no database name)."""
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres")
        if not (self.data / "PG_VERSION").exists():
            self._initdb()
        options = (
            f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.dir} -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        )
        subprocess.run(
            self._as_postgres(
                str(PG_BIN / "pg_ctl"),
                "-D",
                str(self.data),
                "-o",
                options,
                "-l",
                str(self.dir / "log"),
                "-w",
                "start",
            ),
            check=True,
            capture_output=True,
        )
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}"

    def _initdb(self) -> None:
        subprocess.run(
            self._as_postgres(
                str(PG_BIN / "initdb"),
                "-D",
                str(self.data),
                "-A",
                "trust",
                "--no-sync",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
                "-U",
                "postgres",
            ),
            check=True,
            capture_output=True,
        )

    def stop(self) -> None:
        """Stop the server and delete its folder (unless it is kept)."""
        subprocess.run(
            self._as_postgres(
                str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop"
            ),
            capture_output=True,
            check=False,
        )
        if not self.keep:
            shutil.rmtree(self.dir, ignore_errors=True)
