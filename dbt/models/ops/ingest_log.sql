-- What happened to each file of RAW_DIR in the latest run: parsed, quarantined (with the reason, a
-- message naming the file and, where it applies, the line), duplicate, or retained earlier version.
select source_path, document_id, document_kind, document_symbol, status, reason, message, error_line, encoding,
       size_bytes, pipeline_version
from {{ ref('int_documents') }}
