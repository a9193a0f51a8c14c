select * from {{ source('raw', 'kpis') }}
