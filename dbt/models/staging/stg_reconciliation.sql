-- raw.reconciliation, typed as its frame (pipelines/frames.py); nothing else happens in staging.
{{ staged('reconciliation') }}
