-- raw.source_tables, typed as its frame (pipelines/frames.py); nothing else happens in staging.
{{ staged('source_tables') }}
