"""A network the browser tests can kill: a TCP proxy in front of live_server.

Playwright's set_offline() turns navigator.onLine false, but Chromium's offline emulation is
not a wall: under load a request of a document being replaced (a reload made offline) still
reached the live server about one run in thirty. A real dead network refuses everything, so the
browser tests talk to the server through this proxy; kill() drops the open connections and
refuses new ones until revive().
"""

from __future__ import annotations

import socket
import struct
import threading
from urllib.parse import urlsplit


class Network:
    """Forward loopback TCP connections to the server while alive; cut them while dead."""

    def __init__(self, server_url: str) -> None:
        target = urlsplit(server_url)
        self._target = (target.hostname, target.port)
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self._listener.getsockname()[1]}"
        self._alive = True
        self._open: set[socket.socket] = set()
        self._lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def kill(self) -> None:
        """Drop every open connection and refuse new ones, as a dead network does."""
        with self._lock:
            self._alive = False
            for sock in self._open:
                _reset(sock)
            self._open.clear()

    def revive(self) -> None:
        """Let connections through again."""
        with self._lock:
            self._alive = True

    def close(self) -> None:
        """Stop listening and cut what is still open."""
        self.kill()
        self._listener.close()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return  # closed
            with self._lock:
                if not self._alive:
                    _reset(client)
                    continue
                try:
                    upstream = socket.create_connection(self._target)
                except OSError:
                    _reset(client)
                    continue
                self._open.update((client, upstream))
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(source, sink), daemon=True).start()

    def _pipe(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass  # cut by kill(), or the other side went away
        finally:
            with self._lock:
                for sock in (source, sink):
                    if sock in self._open:
                        self._open.discard(sock)
                        _reset(sock)


def _reset(sock: socket.socket) -> None:
    """Close with a TCP reset (linger 0), so the browser sees the connection die at once.

    shutdown(SHUT_RD) first wakes the pipe thread blocked in recv() on it without sending FIN.
    """
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        sock.shutdown(socket.SHUT_RD)
    except OSError:
        pass
    sock.close()
