select * from {{ source('raw', 'reconciliation') }}
