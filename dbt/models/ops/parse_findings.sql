-- What the parsers could not read (error), read with a repair (warn) or skipped as noise (info).
select f.document_id, d.document_symbol, d.source_path, f.severity, f.code, f.source_table, f.source_line, f.message
from {{ ref('stg_parse_findings') }} as f
left join {{ ref('int_documents') }} as d using (document_id)
