"""A second wangjian instance on this machine, for the demo's partner bureau and the tests between two instances.

It is a real instance — its own home folder, database (SQLite), keys and server process — driven through its
console commands, never through this process's database. Migrating an empty database takes a minute or more,
so a home may start from a copy of a database freshly migrated here (``copy_database``: SQLite's online
backup, safe while this instance runs).
"""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def environment(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("WANGJIAN_")}
    env.update(
        {
            "WANGJIAN_HOME": str(home),
            "WANGJIAN_FETCH_ALLOW": "127.0.0.1/32",
            "DJANGO_SETTINGS_MODULE": "wangjian.settings",
        }
    )
    for key in ("WANGJIAN_STORAGE_S3_ENDPOINT",):
        env.pop(key, None)
    return env


def copy_database(source: str | sqlite3.Connection, home: Path) -> Path:
    """Copy a migrated SQLite database (a path, or an open connection) to ``home``'s database file."""
    home.mkdir(parents=True, exist_ok=True)
    return backup(source, home / "wangjian.sqlite3")


def backup(source: str | sqlite3.Connection, target: Path) -> Path:
    """SQLite's online backup of ``source`` into the file ``target`` (replaced)."""
    target.unlink(missing_ok=True)
    src = sqlite3.connect(source) if isinstance(source, str) else source
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        dst.close()
        if isinstance(source, str):
            src.close()
    return target


def run(home: Path, *args: str, timeout: float = 600) -> subprocess.CompletedProcess:
    """``wangjian ARGS`` in the instance at ``home``; raises with its output when it fails."""
    done = subprocess.run(
        [sys.executable, "-m", "wangjian", *args],
        env=environment(home),
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if done.returncode != 0:
        raise RuntimeError(
            f"wangjian {' '.join(args)} exited {done.returncode}:\n{done.stdout}\n{done.stderr}"
        )
    return done


def run_json(home: Path, *args: str) -> Any:
    return json.loads(run(home, *args).stdout)


def serve(home: Path, port: int, *, wait: float = 60, fingerprint: str = "") -> subprocess.Popen:
    """Start the instance's server on 127.0.0.1:``port`` and return once it answers — it, not another server on
    that port: the process must be alive and, given ``fingerprint``, the keys it publishes must include that key."""
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "wangjian",
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--threads",
            "4",
        ],
        env=environment(home),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(
                f"the instance at {home} stopped with {process.returncode} (port {port} taken?)"
            )
        try:
            response = httpx.get(f"http://127.0.0.1:{port}/exchange/keys/", timeout=2)
        except httpx.HTTPError:
            time.sleep(0.3)
            continue
        ours = not fingerprint or any(
            b.get("fingerprint") == fingerprint for b in response.json().get("bureaus", [])
        )
        if response.status_code == 200 and ours:
            time.sleep(0.2)
            if process.poll() is None:
                return process
        elif response.status_code == 200:
            stop(process)
            raise RuntimeError(f"another server answers on port {port}")
        time.sleep(0.3)
    stop(process)
    raise RuntimeError(f"the instance at {home} did not answer on port {port}")


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
