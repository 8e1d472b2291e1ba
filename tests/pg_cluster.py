"""A throwaway PostgreSQL cluster for the tests: made with ``initdb`` in a temporary folder,
started with ``pg_ctl`` on a free loopback port, stopped and removed at the end.

The server refuses to run as root: as root, the cluster belongs to the ``postgres`` user
(or ``nobody``). ``CJM_TEST_POSTGRES_URL`` names an existing server to use instead (a
database the tests may create databases on). Nothing here is durable: fsync is off.

Each test gets its own database, copied from a template that already has every migration
(``CREATE DATABASE ... TEMPLATE`` is a file copy, a few milliseconds)."""

from __future__ import annotations

import asyncio
import glob
import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit, urlunsplit

T = TypeVar("T")
URL_ENV = "CJM_TEST_POSTGRES_URL"
TEMPLATE = "cjm_template"


class NoServer(Exception):
    """No PostgreSQL server can be had here; the message says why."""


def _binaries() -> Path:
    found = shutil.which("initdb")
    if found:
        return Path(found).resolve().parent
    for candidate in sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), reverse=True):
        return Path(candidate).parent
    raise NoServer("PostgreSQL's initdb is not installed (Debian package 'postgresql')")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _run_as() -> str | None:
    """Who runs the server: nobody else than ourselves unless we are root."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        try:
            pwd.getpwnam(name)
            return name
        except KeyError:
            continue
    raise NoServer("running as root and there is no unprivileged user to run PostgreSQL")


def run_now(work: Coroutine[Any, Any, T]) -> T:
    """Run ``work`` to its end now, from sync code (which may be inside an event loop)."""
    with ThreadPoolExecutor(1) as thread:
        return thread.submit(asyncio.run, work).result()


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


@dataclass
class Cluster:
    url: str  # the maintenance database
    folder: Path | None = None
    pg_ctl: Path | None = None
    user: str | None = None
    _names: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    @classmethod
    def start(cls) -> Cluster:
        if os.environ.get(URL_ENV):
            return cls(os.environ[URL_ENV])
        bin_dir = _binaries()
        user = _run_as()
        folder = Path(tempfile.mkdtemp(prefix="cjm-pg-"))
        data, socket_dir = folder / "data", folder / "socket"
        socket_dir.mkdir()
        if user is not None:
            entry = pwd.getpwnam(user)
            for path in (folder, socket_dir):
                os.chown(path, entry.pw_uid, entry.pw_gid)
        port = _free_port()

        def run(*args: str) -> None:
            done = subprocess.run(
                args, user=user, capture_output=True, text=True, cwd=folder, timeout=120
            )
            if done.returncode != 0:
                raise NoServer(f"{Path(args[0]).name} failed: {done.stderr or done.stdout}")

        try:
            run(
                str(bin_dir / "initdb"),
                "-D",
                str(data),
                "-U",
                "cjm",
                "--auth=trust",
                "-E",
                "UTF8",
                "--no-locale",
                "--no-sync",
            )
            options = (
                f"-c listen_addresses=127.0.0.1 -p {port} -k {socket_dir} -c fsync=off "
                "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
            )
            run(
                str(bin_dir / "pg_ctl"),
                "-D",
                str(data),
                "-o",
                options,
                "-l",
                str(folder / "server.log"),
                "-w",
                "-t",
                "60",
                "start",
            )
        except (NoServer, OSError, subprocess.SubprocessError) as exc:
            shutil.rmtree(folder, ignore_errors=True)
            raise NoServer(str(exc)) from exc
        except BaseException:  # interrupted: nothing is left behind
            subprocess.run(
                [str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
                user=user,
                capture_output=True,
            )
            shutil.rmtree(folder, ignore_errors=True)
            raise
        return cls(
            f"postgresql://cjm@127.0.0.1:{port}/postgres",
            folder=folder,
            pg_ctl=bin_dir / "pg_ctl",
            user=user,
        )

    def stop(self) -> None:
        if self.folder is None or self.pg_ctl is None:
            return
        subprocess.run(
            [str(self.pg_ctl), "-D", str(self.folder / "data"), "-m", "immediate", "stop"],
            user=self.user,
            capture_output=True,
            timeout=60,
        )
        shutil.rmtree(self.folder, ignore_errors=True)

    def prepare(self, name: str) -> str:
        """A migrated database of this name (and the template), made now; its URL."""

        async def both() -> str:
            await self.prepare_template()
            await self.drop_database(with_database(self.url, name))  # left by an earlier run
            return await self.new_database(name=name)

        return run_now(both())

    async def prepare_template(self) -> None:
        """The template database, with every migration applied once."""
        import asyncpg

        from storage.postgres.db import PgDatabase

        conn = await asyncpg.connect(self.url)
        try:
            await conn.execute(f"DROP DATABASE IF EXISTS {TEMPLATE}")
            await conn.execute(f"CREATE DATABASE {TEMPLATE}")
        finally:
            await conn.close()
        db = await PgDatabase.open(with_database(self.url, TEMPLATE))
        await db.close()

    async def new_database(self, *, migrated: bool = True, name: str | None = None) -> str:
        """A database of its own for one test: migrated (a copy of the template) or empty."""
        import asyncpg

        name = name or f"cjm_test_{os.getpid()}_{next(self._names)}"
        template = TEMPLATE if migrated else "template0"
        conn = await asyncpg.connect(self.url)
        try:
            await conn.execute(f"CREATE DATABASE {name} TEMPLATE {template} STRATEGY FILE_COPY")
        finally:
            await conn.close()
        return with_database(self.url, name)

    async def drop_database(self, url: str) -> None:
        import asyncpg

        conn = await asyncpg.connect(self.url)
        try:
            await conn.execute(f"DROP DATABASE IF EXISTS {urlsplit(url).path.lstrip('/')} (FORCE)")
        finally:
            await conn.close()
