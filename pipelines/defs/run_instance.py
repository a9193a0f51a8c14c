"""The throwaway Dagster instance ``unwh run`` executes the job on, without two costs nothing reads.

``DagsterInstance.ephemeral()`` keeps its event log in an in-memory SQLite database that no one opens after
the run: ``unwh run`` reads the run's events from the result, which Dagster collects as they are emitted,
not from the log. Writing that log cost ~1 s of CPU per run at 4 documents (748 events; issue 13):

- each query opened a new SQLite connection and set two pragmas (2,223 connections a run);
- half the events are records for the Dagster UI that no step reads back during the run (below).

The Dagster UI (``make dev``) runs on the instance of dagster.yaml, which stores every event as before.
"""

from __future__ import annotations

import threading
from contextlib import contextmanager

from dagster import DagsterEventType, DagsterInstance
from dagster._core.storage.event_log import InMemoryEventLogStorage

# Stored for the UI's run view and for re-executing a run from another (STEP_OUTPUT), neither of which an
# in-process run on a throwaway instance does. Still in the run's result, and still logged. Kept: the
# materializations (later steps read the latest one of their upstream assets for its data version), the
# check evaluations, the run and step events, and the log messages.
NOT_READ_DURING_RUN = frozenset(
    {
        DagsterEventType.STEP_OUTPUT,
        DagsterEventType.ASSET_MATERIALIZATION_PLANNED,
        DagsterEventType.ASSET_CHECK_EVALUATION_PLANNED,  # the evaluation inserts its row when none is planned
    }
)


class RunEventLog(InMemoryEventLogStorage):
    """Dagster's in-memory event log on one connection, storing only what the run may read back."""

    def __init__(self) -> None:
        super().__init__()
        self._held_thread = threading.get_ident()  # sqlite3 refuses a connection made in another thread

    @contextmanager
    def _connect(self):
        # Dagster's opens a connection per query so that its pragmas apply; the database lives in memory,
        # where neither WAL nor the foreign keys (its tables declare none) change anything.
        if threading.get_ident() != self._held_thread:
            with super()._connect() as conn:
                yield conn
            return
        with self._db_lock, self._held_conn.begin():
            yield self._held_conn

    def store_event(self, event) -> None:
        if event.dagster_event_type not in NOT_READ_DURING_RUN:
            super().store_event(event)


def run_instance() -> DagsterInstance:
    """``DagsterInstance.ephemeral()`` (dagster 1.13's ``create_ephemeral_instance``) with ``RunEventLog``."""
    from dagster._core.instance.types import InstanceType
    from dagster._core.launcher.sync_in_memory_run_launcher import SyncInMemoryRunLauncher
    from dagster._core.run_coordinator import DefaultRunCoordinator
    from dagster._core.storage.noop_compute_log_manager import NoOpComputeLogManager
    from dagster._core.storage.root import TemporaryLocalArtifactStorage
    from dagster._core.storage.runs import InMemoryRunStorage

    return DagsterInstance(
        instance_type=InstanceType.EPHEMERAL,
        local_artifact_storage=TemporaryLocalArtifactStorage(),
        run_storage=InMemoryRunStorage(),
        event_storage=RunEventLog(),
        compute_log_manager=NoOpComputeLogManager(),
        run_coordinator=DefaultRunCoordinator(),
        run_launcher=SyncInMemoryRunLauncher(),
    )
