-- raw.validation_results, typed as its frame (pipelines/frames.py); nothing else happens in staging.
{{ staged('validation_results') }}
