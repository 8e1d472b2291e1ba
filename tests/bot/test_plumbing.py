"""Callback data and the single-instance lock."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bot.instance_lock import AlreadyRunning, InstanceLock
from bot.telegram.callback_data import VERSION, CallbackTooLong, decode, encode


def test_callback_data_round_trips_and_fits_64_bytes() -> None:
    data = encode("a", "q7Hk2p", "tp_3xYz9AbCdEf")
    assert len(data.encode()) <= 64
    decoded = decode(data)
    assert decoded is not None
    assert (decoded.action, decoded.fields) == ("a", ("q7Hk2p", "tp_3xYz9AbCdEf"))


def test_callback_data_refuses_to_grow_past_the_limit() -> None:
    with pytest.raises(CallbackTooLong):
        encode("a", "x" * 70)
    with pytest.raises(ValueError, match="may not contain"):
        encode("a", "a|b")


@pytest.mark.parametrize("data", [None, "", "garbage", "c0|a|x", f"{VERSION}"])
def test_old_or_foreign_callback_data_decodes_to_nothing(data: str | None) -> None:
    assert decode(data) is None


def test_a_second_process_on_the_same_database_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "cjm.sqlite3"
    with InstanceLock.for_database(db):
        code = (
            "import sys; from bot.instance_lock import InstanceLock, AlreadyRunning\n"
            f"try:\n    InstanceLock.for_database({str(db)!r}).acquire()\n"
            "except AlreadyRunning as e:\n    print(e); sys.exit(3)\n"
        )
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
        assert out.returncode == 3
        assert "already serving" in out.stdout
    # released: the next one may start
    lock = InstanceLock.for_database(db)
    lock.acquire()
    lock.release()


def test_the_lock_is_per_database(tmp_path: Path) -> None:
    with (
        InstanceLock.for_database(tmp_path / "a.sqlite3"),
        InstanceLock.for_database(tmp_path / "b.sqlite3"),
        pytest.raises(AlreadyRunning),
    ):
        InstanceLock.for_database(tmp_path / "a.sqlite3").acquire()


def test_the_same_token_on_two_databases_is_refused_too() -> None:
    with InstanceLock.for_token("1:abc"), pytest.raises(AlreadyRunning) as info:
        InstanceLock.for_token("1:abc").acquire()
    assert info.value.what == "token"
    with InstanceLock.for_token("1:abc"), InstanceLock.for_token("2:other"):
        pass


@pytest.mark.parametrize(
    ("text", "ok"),
    [
        ("<b>Stage</b> &amp; <i>step</i> &lt;1&gt;", True),
        ('<a href="https://t.me/x?start=1">link</a>', True),
        ("Tom & Jerry", False),
        ("a < b", False),
        ("<script>alert(1)</script>", False),
        ("<b>unclosed", False),
    ],
)
def test_the_fake_refuses_html_telegram_would_refuse(text: str, ok: bool) -> None:
    from tests.bot.fake_telegram import ApiError, check_html

    if ok:
        check_html(text)
    else:
        with pytest.raises(ApiError):
            check_html(text)
