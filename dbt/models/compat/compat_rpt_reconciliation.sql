-- marts.rpt_reconciliation, kept as a view of ops.rpt_reconciliation for the run summary (pipelines/summary.py); read ops.rpt_reconciliation.
{{ config(alias='rpt_reconciliation') }}
select * from {{ ref('rpt_reconciliation') }}
