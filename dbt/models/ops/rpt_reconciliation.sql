-- Every consistency-rule instance checked by the validation stage, agreeing or not. Incremental by document.
{{ config(**by_document_config()) }}
select
    r.*,
    abs(r.difference) <= 0.1 as agrees
from {{ ref('stg_reconciliation') }} as r
where {{ changed_documents('r.document_id') }}
