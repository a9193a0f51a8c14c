-- marts.ingest_log, kept as a view of ops.ingest_log for the run summary (pipelines/summary.py); read ops.ingest_log.
{{ config(alias='ingest_log') }}
select * from {{ ref('ingest_log') }}
