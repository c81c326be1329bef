"""The kit's clock: every scenario starts at the same frozen instant, moves
only when told, and gives real time back when the scenario ends."""

from __future__ import annotations

import datetime as _dt
import time
from collections.abc import Iterator

import pytest
from freezegun.api import real_time

from flask_conformance.drive.clock import SCENARIO_START, Clock

#: How far the clock may drift from real time outside a scenario (the base
#: freezer ticks along with real time, so they differ only by the test's run).
REAL_TIME_TOLERANCE = 5.0


@pytest.fixture
def started_clock() -> Iterator[Clock]:
    with Clock() as clock:
        yield clock


def test_scenario_starts_frozen_at_2030_noon_utc(started_clock: Clock) -> None:
    expected = _dt.datetime(2030, 1, 1, 12, 0, 0, tzinfo=_dt.timezone.utc)
    assert SCENARIO_START == expected
    assert started_clock.now() == expected
    assert _dt.datetime.now(_dt.timezone.utc) == expected
    assert time.time() == expected.timestamp()


def test_time_stands_still_until_told(started_clock: Clock) -> None:
    before = time.time()
    sum(range(10_000))  # real time passes; scenario time must not
    assert time.time() == before


def test_advance_moves_datetime_now_and_time_time(started_clock: Clock) -> None:
    started_clock.advance(_dt.timedelta(minutes=31))
    assert _dt.datetime.now(_dt.timezone.utc) == SCENARIO_START + _dt.timedelta(minutes=31)
    assert time.time() == SCENARIO_START.timestamp() + 31 * 60


def test_advance_backwards(started_clock: Clock) -> None:
    started_clock.advance(_dt.timedelta(seconds=-2))
    assert started_clock.now() == SCENARIO_START - _dt.timedelta(seconds=2)


def test_listeners_hear_every_move(started_clock: Clock) -> None:
    moves: list[_dt.timedelta] = []
    started_clock.on_move(moves.append)
    started_clock.advance(_dt.timedelta(hours=1))
    started_clock.advance(_dt.timedelta(seconds=-5))
    assert moves == [_dt.timedelta(hours=1), _dt.timedelta(seconds=-5)]


def test_real_time_comes_back_after_stop() -> None:
    clock = Clock()
    clock.start()
    clock.advance(_dt.timedelta(days=3))
    clock.stop()
    assert abs(time.time() - real_time()) < REAL_TIME_TOLERANCE
    now = _dt.datetime.now(_dt.timezone.utc).timestamp()
    assert abs(now - real_time()) < REAL_TIME_TOLERANCE


def test_a_with_block_freezes_the_clock_and_gives_real_time_back() -> None:
    with Clock() as clock:
        assert clock.now() == SCENARIO_START
        clock.advance(_dt.timedelta(days=3))
    assert abs(time.time() - real_time()) < REAL_TIME_TOLERANCE


def test_each_scenario_starts_afresh() -> None:
    first = Clock()
    first.start()
    first.advance(_dt.timedelta(hours=5))
    first.stop()
    second = Clock()
    second.start()
    try:
        assert second.now() == SCENARIO_START
    finally:
        second.stop()


def test_advance_before_start_is_an_error() -> None:
    with pytest.raises(RuntimeError, match="has not been started"):
        Clock().advance(_dt.timedelta(seconds=1))


def test_the_clock_fixture_is_frozen(conformance_clock: Clock) -> None:
    assert conformance_clock.now() == SCENARIO_START
