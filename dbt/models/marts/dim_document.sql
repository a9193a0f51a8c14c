select document_id, document_symbol, document_kind, language, script, title, source_path,
       content_sha256, size_bytes, status, reason, message, session_number
from {{ ref('int_documents') }}
