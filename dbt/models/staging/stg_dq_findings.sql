-- raw.dq_findings, typed as its frame (pipelines/frames.py); nothing else happens in staging.
{{ staged('dq_findings') }}
