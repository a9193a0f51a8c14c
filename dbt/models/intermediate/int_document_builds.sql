-- Each document's build key now, and whether its mart rows must be rebuilt: new, changed (another key than
-- the last complete build recorded in ops.document_builds) or gone (build_key null, its rows deleted).
-- A table, taken once at the start of a build: a document landed while dbt runs waits for the next build.
{{ config(materialized='table') }}
{%- set previous = adapter.get_relation(database=this.database, schema='ops', identifier='document_builds')
    if execute else none %}
with current_build as (
    select document_id, {{ document_build_key() }} as build_key
    from {{ ref('stg_ingest_log') }}
)
{%- if previous and not flags.FULL_REFRESH %}
select
    coalesce(c.document_id, p.document_id) as document_id,
    c.build_key,
    c.build_key is distinct from p.build_key as changed
from current_build as c
full outer join {{ previous }} as p using (document_id)
{%- else %}
select document_id, build_key, true as changed
from current_build
{%- endif %}
