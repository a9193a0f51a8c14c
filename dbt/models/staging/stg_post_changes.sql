select
    document_id,
    document_symbol,
    entity_code,
    source_table,
    row_label,
    count_value::integer as post_count,
    count_text,
    detail_text,
    grade_code,
    grade_count,
    source_line,
    table_index,
    row_index
from {{ source('raw', 'post_changes') }}
