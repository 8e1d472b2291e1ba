"""Only one bot process serves a database at a time.

An exclusive ``flock`` on ``<database>.lock`` is held for the life of the process; the
kernel drops it when the process dies, even by SIGKILL, so a crash never leaves a stale
lock behind. The lock file records the holder's pid for the error message.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path


class AlreadyRunning(RuntimeError):
    """Another process holds the database."""


class InstanceLock:
    def __init__(self, database_path: Path) -> None:
        self.path = Path(str(database_path) + ".lock")
        self._fd: int | None = None

    def acquire(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.read(fd, 32).decode(errors="replace").strip() or "?"
            os.close(fd)
            raise AlreadyRunning(
                f"another cjm-bot process (pid {holder}) is already serving {self.path.stem}; "
                "stop it first — two processes on one token and database would answer twice"
            ) from None
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        self._fd = fd

    def release(self) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> InstanceLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()
