"""A sensor that watches RAW_DIR and a nightly full-refresh schedule (both off until turned on)."""

import dagster as dg

from pipelines.defs.ingest import DOCUMENTS, FULL_REFRESH_TAG
from pipelines.operations import registry
from pipelines.operations.config import Settings

RANGE_START = "dagster/asset_partition_range_start"
RANGE_END = "dagster/asset_partition_range_end"


def range_tags(keys: list[str]) -> dict[str, str]:
    """One run over a contiguous range of document partitions (the ingest asset runs it as one step)."""
    return {RANGE_START: keys[0], RANGE_END: keys[-1]}


@dg.sensor(
    job_name="refresh",
    minimum_interval_seconds=30,
    default_status=dg.DefaultSensorStatus.STOPPED,
    description="Registers new or changed files in RAW_DIR as document partitions and requests one run "
    "for them; files that disappeared lose their partition and their facts.",
)
def raw_dir_sensor(context: dg.SensorEvaluationContext):
    settings = Settings.from_env()
    files = registry.scan(settings.raw_dir, registry.from_cache(context.cursor))
    docs = registry.documents(files)
    existing = list(context.instance.get_dynamic_partitions(DOCUMENTS.name))
    new = [k for k in docs if k not in existing]
    removed = [k for k in existing if k not in docs]
    requests = []
    if new:
        # new partitions are appended in order, so they form one contiguous range at the end
        requests.append(dg.RunRequest(run_key=f"new:{','.join(sorted(new))}", tags=range_tags(new)))
    elif removed:
        requests.append(dg.RunRequest(run_key=f"removed:{','.join(sorted(removed))}", tags=range_tags(existing[:1])))
    return dg.SensorResult(
        run_requests=requests,
        dynamic_partitions_requests=[
            *([DOCUMENTS.build_add_request(new)] if new else []),
            *([DOCUMENTS.build_delete_request(removed)] if removed else []),
        ],
        cursor=registry.to_cache(files),
    )


@dg.schedule(
    job_name="refresh",
    cron_schedule="0 2 * * *",
    default_status=dg.DefaultScheduleStatus.STOPPED,
    description="Nightly full refresh: every document re-parsed, re-validated and re-landed, marts rebuilt.",
)
def nightly_full_refresh(context: dg.ScheduleEvaluationContext):
    keys = list(context.instance.get_dynamic_partitions(DOCUMENTS.name))
    if not keys:
        return dg.SkipReason("no document partitions yet: turn on raw_dir_sensor first")
    return dg.RunRequest(run_key=None, tags={**range_tags(keys), FULL_REFRESH_TAG: "true"})
