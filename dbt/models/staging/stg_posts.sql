{{ stg_facts('posts') }}
