"""The instance `unwh run` executes on (pipelines/defs/run_instance.py): the run sees every event, the log
keeps what a later step reads back."""

from __future__ import annotations

import threading

import dagster as dg

from pipelines.defs.run_instance import run_instance


@dg.asset
def upstream() -> dg.MaterializeResult:
    return dg.MaterializeResult(data_version=dg.DataVersion("v7"))


@dg.asset(deps=[upstream], check_specs=[dg.AssetCheckSpec("positive", asset="downstream")])
def downstream():
    yield dg.Output(None)
    yield dg.AssetCheckResult(passed=False, severity=dg.AssetCheckSeverity.ERROR)


def _types(events) -> set[str]:
    """Dagster event types, of the run's events or of the log's entries."""
    events = [getattr(e, "dagster_event", e) for e in events]
    return {e.event_type_value for e in events if e is not None}


def test_the_run_sees_every_event_and_the_log_keeps_what_steps_read():
    instance = run_instance()
    result = dg.materialize([upstream, downstream], instance=instance, raise_on_error=False)
    # the planned events go to the instance only (Dagster reports them when it creates the run)
    assert {"STEP_OUTPUT", "ASSET_MATERIALIZATION", "ASSET_CHECK_EVALUATION"} <= _types(result.all_events)
    stored = instance.all_logs(result.run_id)
    assert not {"STEP_OUTPUT", "ASSET_MATERIALIZATION_PLANNED", "ASSET_CHECK_EVALUATION_PLANNED"} & _types(stored)
    assert {"ASSET_MATERIALIZATION", "ASSET_CHECK_EVALUATION", "STEP_SUCCESS"} <= _types(stored)
    # the downstream step read the upstream materialization back from the log for its data version
    tags = instance.get_latest_materialization_event(dg.AssetKey("downstream")).dagster_event.step_materialization_data
    assert tags.materialization.tags["dagster/input_data_version/upstream"] == "v7"
    check = instance.event_log_storage.get_asset_check_execution_history(
        dg.AssetCheckKey(dg.AssetKey("downstream"), "positive"), limit=1
    )
    assert [c.status.value for c in check] == ["FAILED"]


def test_the_log_answers_from_another_thread():
    instance = run_instance()
    instance.add_dynamic_partitions("documents", ["a"])
    seen = []
    thread = threading.Thread(
        target=lambda: (
            instance.add_dynamic_partitions("documents", ["b"]),
            seen.append(instance.get_dynamic_partitions("documents")),
        )
    )
    thread.start()
    thread.join()
    assert seen == [["a", "b"]] and instance.get_dynamic_partitions("documents") == ["a", "b"]
