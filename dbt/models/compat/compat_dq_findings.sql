-- marts.dq_findings, kept as a view of ops.dq_findings for the run summary (pipelines/summary.py); read ops.dq_findings.
{{ config(alias='dq_findings') }}
select * from {{ ref('dq_findings') }}
