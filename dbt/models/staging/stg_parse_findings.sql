-- raw.parse_findings, typed as its frame (pipelines/frames.py); nothing else happens in staging.
{{ staged('parse_findings') }}
