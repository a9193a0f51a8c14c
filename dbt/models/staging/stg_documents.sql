-- One row per raw file of the latest run; the session number of the symbol orders editions.
select
    document_id,
    source_path,
    content_sha256,
    document_kind,
    document_symbol,
    language,
    script,
    title,
    status,
    message,
    size_bytes,
    try_cast(regexp_extract(document_symbol, '^A/(\d+)/', 1) as integer) as session_number
from {{ source('raw', 'documents') }}
