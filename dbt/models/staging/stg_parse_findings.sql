select document_id, severity, code, message, source_table, source_line
from {{ source('raw', 'parse_findings') }}
