select * from {{ source('raw', 'validation_results') }}
