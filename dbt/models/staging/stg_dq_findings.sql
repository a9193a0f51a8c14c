select * from {{ source('raw', 'dq_findings') }}
