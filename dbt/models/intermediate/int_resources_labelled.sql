{{ facts_with_labels('stg_resources') }}
