{{ config(alias='documents') }}
select * from {{ ref('ingest_log') }}
