"""Links and QR codes point at the port the platform serves on (`make run PORT=...`)."""

from __future__ import annotations

import subprocess
from pathlib import Path

from app.config import load_environment

ROOT = Path(__file__).resolve().parent.parent


def test_the_public_address_follows_port_unless_it_is_set(monkeypatch, tmp_path):
    monkeypatch.delenv("PUBLIC_BASE_URL", raising=False)
    monkeypatch.setenv("PORT", "5123")
    config: dict = {}
    load_environment(config, tmp_path)
    assert config["PUBLIC_BASE_URL"] == "http://127.0.0.1:5123"
    monkeypatch.setenv("PUBLIC_BASE_URL", "https://training.example.org")
    load_environment(config, tmp_path)
    assert config["PUBLIC_BASE_URL"] == "https://training.example.org"


def test_make_run_loads_the_demo_with_the_port_it_serves_on():
    planned = subprocess.run(
        ["make", "-n", "--always-make", "run", "PORT=5123"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    (demo,) = [line for line in planned.splitlines() if "flask demo load" in line]
    assert "PORT=5123" in demo
