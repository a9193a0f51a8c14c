-- One row per document the warehouse knows: the files now in RAW_DIR (registry) with their latest
-- ingestion, plus retained earlier versions whose facts stay because the new version could not land.
-- Which versions are retained is decided once, when landing prunes (pipelines/landing: _RETAINED); a
-- landed document no longer in the registry is one of them, and is labelled 'retained' here.
with registry as (
    select * from {{ ref('stg_documents') }}
),
log as (
    select * from {{ ref('stg_ingest_log') }}
),
originals as (
    select
        coalesce(l.document_id, r.document_id) as document_id,
        coalesce(r.source_path, l.source_path) as source_path,
        coalesce(l.content_sha256, r.content_sha256) as content_sha256,
        coalesce(l.document_kind, r.document_kind) as document_kind,
        coalesce(l.document_symbol, r.document_symbol) as document_symbol,
        l.language,
        l.script,
        l.title,
        case
            when r.refused is not null then 'quarantined'
            when r.document_id is null then 'retained'
            when l.document_id is null then 'registered'
            else l.status
        end as status,
        coalesce(r.refused, l.reason) as reason,
        case
            when r.document_id is null
                then l.source_path || ': facts of this earlier version kept because the current version did not land'
            when r.refused is not null and l.message is null then r.source_path || ': refused (' || r.refused || ')'
            else l.message
        end as message,
        l.error_line,
        l.encoding,
        coalesce(l.size_bytes, r.size_bytes) as size_bytes,
        l.pipeline_version
    from log as l
    full outer join (select * from registry where duplicate_of is null) as r using (document_id)
),
duplicates as (
    select
        document_id || '~duplicate~' || left(md5(source_path), 8) as document_id,
        source_path, content_sha256, document_kind, document_symbol,
        null as language, null as script, null as title,
        'duplicate' as status, 'duplicate' as reason,
        source_path || ': same content as ' || duplicate_of || '; not loaded twice' as message,
        null::bigint as error_line, null as encoding, size_bytes, null as pipeline_version
    from registry
    where duplicate_of is not null
)
select
    *,
    try_cast(regexp_extract(document_symbol, '^A/(\d+)/', 1) as integer) as session_number
from (select * from originals union all by name select * from duplicates)
