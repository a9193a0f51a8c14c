-- marts.parse_findings, kept as a view of ops.parse_findings for the run summary (pipelines/summary.py); read ops.parse_findings.
{{ config(alias='parse_findings') }}
select * from {{ ref('parse_findings') }}
