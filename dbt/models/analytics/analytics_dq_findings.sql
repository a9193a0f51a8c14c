{{ config(alias='dq_findings') }}
select * from {{ ref('dq_findings') }}
