"""Only one bot process serves a database, and one a token, at a time.

An exclusive ``flock`` is held for the life of the process on ``<database>.lock`` and on
a lock file named by a hash of the token in the system's temporary folder; the kernel
drops it when the process dies, even by SIGKILL, so a crash never leaves a stale lock.
The lock file records the holder's pid for the message.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import tempfile
from pathlib import Path


class AlreadyRunning(RuntimeError):
    """Another process holds the lock; ``what`` is "database" or "token"."""

    def __init__(self, pid: str, what: str) -> None:
        super().__init__(f"another cjm-bot process (pid {pid}) is already serving this {what}")
        self.pid = pid
        self.what = what


class InstanceLock:
    def __init__(self, path: Path, what: str = "database") -> None:
        self.path = Path(path)
        self.what = what
        self._fd: int | None = None

    @classmethod
    def for_database(cls, database_path: Path) -> InstanceLock:
        return cls(Path(str(database_path) + ".lock"), "database")

    @classmethod
    def for_token(cls, token: str) -> InstanceLock:
        digest = hashlib.sha256(token.encode()).hexdigest()[:16]
        return cls(Path(tempfile.gettempdir()) / f"cjm-bot-{digest}.lock", "token")

    def acquire(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.read(fd, 32).decode(errors="replace").strip() or "?"
            os.close(fd)
            raise AlreadyRunning(holder, self.what) from None
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
