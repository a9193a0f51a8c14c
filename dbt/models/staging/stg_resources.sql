-- raw.resources, typed as its frame (pipelines/frames.py); nothing else happens in staging.
{{ staged('resources') }}
