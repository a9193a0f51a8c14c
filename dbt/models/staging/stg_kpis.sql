-- raw.kpis, typed as its frame (pipelines/frames.py); nothing else happens in staging.
{{ staged('kpis') }}
