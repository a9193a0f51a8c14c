select * from {{ source('raw', 'source_tables') }}
