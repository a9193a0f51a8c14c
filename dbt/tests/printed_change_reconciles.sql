-- Rows whose printed total change differs from 2024 - 2023 of the same row by more than rounding.
-- Severity warn: the warehouse records what the document prints; this lists where it contradicts itself.
{{ config(severity='warn') }}
select * from {{ ref('rpt_change_reconciliation') }} where abs(difference) > 0.1
