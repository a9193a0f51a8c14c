-- The build key of every document as of the last build whose incremental marts all succeeded: the next
-- build rebuilds only the documents whose key differs (int_document_builds). It runs after those marts.
-- depends_on: {{ ref('fct_resources') }}, {{ ref('fct_posts') }}, {{ ref('fct_kpis') }}
-- depends_on: {{ ref('fct_resource_changes') }}, {{ ref('fct_post_count_changes') }}, {{ ref('fct_post_change_details') }}
-- depends_on: {{ ref('fct_resources_yoy') }}, {{ ref('fct_posts_yoy') }}, {{ ref('fct_kpis_yoy') }}
-- depends_on: {{ ref('int_change_reconciliation') }}, {{ ref('rpt_reconciliation') }}, {{ ref('dq_findings') }}
select document_id, build_key
from {{ ref('int_document_builds') }}
where build_key is not null
