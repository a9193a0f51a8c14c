-- Where a document contradicts itself, or breaks a rule its frames must obey, from the latest run's
-- validation: one row per finding, with the printed value and the value its parts imply. Incremental by document.
{{ config(**by_document_config()) }}
select
    f.document_id,
    d.document_symbol,
    f.entity_code,
    e.entity_name_zh,
    e.entity_name_en,
    f.source_table,
    f.row_label,
    f.source_line,
    f.table_index,
    f.row_index,
    f.column_header,
    f.measure,
    f.fiscal_year,
    f.rule,
    f.severity,
    f.printed_value,
    f.expected_value,
    f.difference,
    f.message
from {{ ref('stg_dq_findings') }} as f
left join {{ ref('int_documents') }} as d using (document_id)
left join {{ ref('dim_entity') }} as e using (entity_code)
where {{ changed_documents('f.document_id') }}
