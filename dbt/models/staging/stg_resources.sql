{{ stg_facts('resources') }}
