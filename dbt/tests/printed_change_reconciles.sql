-- Rows whose printed later amount differs from base + change by more than their rounding allows
-- (the interval verdict of the validation stage, pipelines/validation/intervals.py).
-- Severity warn: the warehouse records what the document prints; this lists where it contradicts itself.
{{ config(severity='warn') }}
select * from {{ ref('rpt_reconciliation') }} where rule = 'base_plus_change_equals_year' and not agrees
