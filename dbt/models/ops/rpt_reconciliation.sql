-- Every consistency-rule instance checked by the validation stage, agreeing or not. Whether a printed
-- figure agrees is decided once, by interval, in pipelines/validation/intervals.py (column consistent).
-- Incremental by document.
{{ config(**by_document_config()) }}
select
    r.*,
    r.consistent as agrees
from {{ ref('stg_reconciliation') }} as r
where {{ changed_documents('r.document_id') }}
