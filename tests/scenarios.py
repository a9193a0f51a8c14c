"""Scenarios: a test module's sequence of `unwh run`s (bad inputs, kill -9, concurrent runs, the lake),
built once per session and asserted by several tests. They start in threads when the session starts
(tests/conftest.py), so their subprocesses use the second core while the in-process tests use the first;
each scenario's fixture awaits its own. Its own module (not conftest): conftest is imported twice, as
pytest's ``conftest`` and as ``tests.conftest``, and the registry must be one."""

from __future__ import annotations

import inspect
import os
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor

import pytest

_scenarios: dict[str, Callable] = {}
_ranks: dict[str, int] = {"built_warehouse": 0}  # the session's run of the bundled documents (tests/conftest.py)
_started: dict[str, Future] = {}
_pool = ThreadPoolExecutor(max_workers=8, thread_name_prefix="scenario")  # a thread per scenario: see _build
bundled: list = []  # the session's BundledRun (tests/conftest.py), one whichever conftest module starts it
cluster: list = []  # the session's PgCluster (tests/conftest.py), likewise
# The suite keeps both cores busy; its length is that of its longest chain of runs in turn (the lake's, then the
# operations'), which took twice as long when sharing the cores evenly. Those scenarios (rank LONG and over), the
# session's run and the in-process tests keep the session's priority; the other scenarios run at NICENESS, on
# what they leave (a session 163-170 s before, 146-153 s after, on two cores).
LONG, NICENESS = 2, 5


def scenario(build: Callable | None = None, *, rank: int = 1):
    """Make ``build`` (its parameters are session fixtures) a session fixture of the same name whose value
    is built in the background from the start of the session. ``rank``: the later it is expected to be built,
    the higher, so that its tests run after those of scenarios built sooner (``rank``)."""
    if build is None:
        return lambda build: scenario(build, rank=rank)
    name = build.__name__
    _scenarios[name], _ranks[name] = build, rank

    @pytest.fixture(scope="session", name=name)
    def fixture(request):
        start(request, name)
        return _started[name].result()

    fixture.__doc__ = build.__doc__
    return fixture


def rank(fixturenames) -> int:
    """The order a test runs in: -1 when it awaits nothing built in the background (it runs while that is
    built), else the highest rank of what it awaits. The main thread waits for each scenario in turn, and
    runs the tests of those done meanwhile; a test of a scenario built sooner left until after a later one
    would run on one core at the end of the session (`dbt docs generate` behind the lake was ~5 s of it)."""
    return max((_ranks[n] for n in fixturenames if n in _ranks), default=-1)


def uses(fixturenames, name: str) -> bool:
    """Whether a test needs the fixture ``name``, itself or through a scenario it reads (a scenario's
    parameters are requested when it starts, not by the test)."""
    scenarios = [_scenarios[n] for n in fixturenames if n in _scenarios]
    return name in fixturenames or any(name in inspect.signature(build).parameters for build in scenarios)


def start(request, name: str) -> None:
    if name not in _started:
        build = _scenarios[name]
        args = {p: request.getfixturevalue(p) for p in inspect.signature(build).parameters}
        _started[name] = _pool.submit(_build, build, _ranks[name] >= LONG, args)


def _build(build: Callable, long: bool, args: dict):
    if not long:
        lower_priority()  # this thread's, which the runs it starts inherit
    return build(**args)


def lower_priority() -> None:
    """The calling thread's priority (Linux: a thread's niceness, inherited by the threads and processes it
    starts), at NICENESS. Priority only orders the work: where it cannot be set, nothing changes."""
    try:
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), NICENESS)
    except OSError:
        pass


def start_needed(request) -> None:
    """Start every scenario a selected test uses."""
    needed = {n for item in request.session.items for n in item.fixturenames}
    for name in _scenarios:
        if name in needed:
            start(request, name)


def cancel_pending() -> None:
    """A stopped session (-x) waits for the runs under way, not for scenarios not yet begun."""
    for future in _started.values():
        future.cancel()
