-- raw.ingest_log, typed as its frame (pipelines/frames.py); nothing else happens in staging.
{{ staged('ingest_log') }}
