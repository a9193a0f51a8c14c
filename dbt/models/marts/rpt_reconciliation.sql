-- Every consistency-rule instance checked by the validation stage, agreeing or not.
select
    r.*,
    abs(r.difference) <= 0.1 as agrees
from {{ ref('stg_reconciliation') }} as r
