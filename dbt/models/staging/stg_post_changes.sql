-- raw.post_changes, typed as its frame (pipelines/frames.py); nothing else happens in staging.
{{ staged('post_changes') }}
