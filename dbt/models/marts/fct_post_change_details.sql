-- Post-change tables: each row's printed count and detail text, one row per grade count in the detail,
-- and the funding source whose column printed it (A/80/400: regular budget or support account).
{{ config(**by_document_config()) }}
select
    c.document_id, c.document_symbol, c.entity_code, c.source_table, c.funding_source, c.row_label,
    c.count_value::integer as post_count, c.count_text, c.detail_text, c.grade_code, g.label_zh as grade_label_zh,
    g.label_en as grade_label_en, c.grade_count, c.source_line
from {{ ref('stg_post_changes') }} as c
left join {{ ref('grades') }} as g using (grade_code)
where {{ changed_documents('c.document_id') }}
