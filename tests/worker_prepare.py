"""The stand-in for stages.prepare_chunk that tests/test_worker_pool.py hands the worker pool. A module of its
own, importing nothing heavy: each spawned worker process imports the module that defines the function it runs,
and a test module would make every one of them import Polars and the pipeline as well."""

from __future__ import annotations

import os


def prepare(settings, chunk):
    """Stands in for stages.prepare_chunk (pickled by name into the spawned process)."""
    if any("crash" in path for _, path in chunk):
        os._exit(3)  # as a segfault or the OOM killer would: no exception, no cleanup
    return [key for key, _ in chunk]


def niceness(settings, chunk):
    """The worker process's niceness (os.nice(0) reads it)."""
    return os.nice(0)
