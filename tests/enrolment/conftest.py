import pytest


@pytest.fixture
def app_overrides(tmp_path) -> dict:
    """Keep uploads waiting for confirmation in the test's own folder."""
    return {"UPLOAD_DIR": str(tmp_path / "uploads")}


@pytest.fixture
def smtp_server(app):
    """Run a real SMTP server (aiosmtpd) on a free loopback port and point the app at it.

    Overrides the shared fixture: aiosmtpd's start() connects to the port it was given to check
    that the server is up, so port 0 fails; pick a free port first instead.
    """
    import socket

    from aiosmtpd.controller import Controller
    from aiosmtpd.handlers import Message

    received = []

    class Collect(Message):
        def handle_message(self, message):
            received.append(message)

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(Collect(), hostname="127.0.0.1", port=port)
    controller.start()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port)
    yield received
    controller.stop()


@pytest.fixture(scope="session")
def base_url():
    """Replace pytest-playwright's base_url fixture, which newer pytest flags as deprecated."""
    return None
